"""Issue 7 figures: the callback agenda over 200,000 members and 1,000,000 calls; 10,000 new sales.

The synthetic database is built once (about a minute) and cached under
bench/.cache/. Its history is three years of sales with their four service
calls and yearly birthday calls, settled the way a real floor settles them
(mostly on time, some late, a few still open), plus the call log.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.common import CACHE, report

TODAY = date(2026, 10, 15)
NOW = datetime(2026, 10, 15, 10, 0)
AGENTS = 100
MEMBERS = 200_000
CALLS = 1_000_000
NEW_SALES = 10_000


def _clock() -> datetime:
    return NOW


def _ts(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (so text comparisons order correctly)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _context(path: Path):  # type: ignore[no-untyped-def]
    from csdesk.context import build_context

    return build_context(str(path), None, clock=_clock, data_dir=path.parent)


def _settle(rng: random.Random, start: datetime, due: datetime) -> tuple[str, str | None, str | None, datetime | None]:
    """(status, outcome, result, closed_at) of a historic call."""
    if start > NOW:
        return "open", None, None, None
    roll = rng.random()
    if due < NOW:
        if roll < 0.01:
            return "open", None, None, None  # still overdue
        span = (due - start).total_seconds() if roll < 0.95 else 3 * 86400
        base = start if roll < 0.95 else due
        closed = base + timedelta(seconds=rng.uniform(0, span))
    elif roll < 0.5:
        closed = start + timedelta(seconds=rng.uniform(0, max((NOW - start).total_seconds(), 0)))
    else:
        return "open", None, None, None
    if closed > NOW:
        return "open", None, None, None
    outcome = "REACHED" if rng.random() < 0.9 else "REFUSED"
    return "closed", outcome, "DONE" if outcome == "REACHED" else "CLOSED", closed


def build_database(path: Path) -> None:
    """People, 200,000 members, 1,000,000 calls and their call log, written with sqlite3 executemany."""
    from csdesk.policy import load_policy
    from csdesk.rules import callbacks as rules

    policy = load_policy()
    _context(path)  # creates and migrates the schema
    rng = random.Random(11)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA journal_mode=WAL")
    cur = con.cursor()
    cur.execute("INSERT INTO teams (name, active) VALUES ('Bench', 1)")
    team = cur.lastrowid
    cur.execute("INSERT INTO people (employee_no, name, team_id, role, level, join_date, active) VALUES "
                "('S001', 'Supervisor', ?, 'supervisor', NULL, '2020-01-01', 1)", (team,))
    levels = policy.level_codes
    cur.executemany(
        "INSERT INTO people (employee_no, name, team_id, role, level, join_date, active) VALUES (?, ?, ?, 'agent', ?, ?, 1)",
        [(f"A{i:03d}", f"Agent {i}", team, levels[i % (len(levels) - 1)], (TODAY - timedelta(days=30 * (i % 40 + 1))).isoformat())
         for i in range(1, AGENTS + 1)],
    )
    agent_ids = [r[0] for r in cur.execute("SELECT id FROM people WHERE role = 'agent' ORDER BY id")]
    created = _ts(NOW)
    members = []
    for i in range(MEMBERS):
        birthday = TODAY - timedelta(days=rng.randint(3 * 365, 12 * 365))
        vip = rng.random() < 0.1
        members.append((f"会员{i:06d}", f"13{i:09d}", birthday.isoformat(), int(vip), "important" if vip else "general",
                        agent_ids[i % AGENTS], "", created))
    cur.executemany("INSERT INTO members (name, phone, birthday, vip, tier, agent_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", members)
    member_rows = list(cur.execute("SELECT id, agent_id, birthday FROM members ORDER BY id"))
    sales, calls, log = [], [], []

    def add(kind: str, member_id: int, agent_id: int, start: datetime, due: datetime, sale_id: int | None) -> None:
        status, outcome, result, closed = _settle(rng, start, due)
        calls.append((kind, member_id, agent_id, _ts(start), _ts(due), status, outcome, result, 0, "", 0, "",
                       sale_id, "", _ts(closed) if closed else None, created))
        if closed is not None:
            log.append((agent_id, member_id, _ts(closed), "outgoing", outcome, ""))

    for sale_id, (member_id, agent_id, birthday) in enumerate(member_rows, start=1):
        sale = TODAY - timedelta(days=rng.randint(0, 3 * 365))
        first_class = sale + timedelta(days=rng.randint(20, 90)) if rng.random() < 0.8 else None
        sales.append((member_id, sale.isoformat(), sale.isoformat(), first_class.isoformat() if first_class else None, agent_id, created))
        for planned in rules.sale_plan(sale, sale, first_class, policy).calls:
            add(planned.kind, member_id, agent_id, planned.window_start, planned.due, sale_id)
    born = {m: date.fromisoformat(b) for m, _a, b in member_rows}
    year = TODAY.year
    while len(calls) < CALLS:
        for member_id, agent_id, _b in member_rows:
            if len(calls) >= CALLS:
                break
            plan = rules.birthday_plan(born[member_id], year)
            if plan.window_start.date() <= TODAY + timedelta(days=30):
                add(rules.BIRTHDAY, member_id, agent_id, plan.window_start, plan.due, None)
        year -= 1
    cur.executemany("INSERT INTO sales (member_id, sale_date, card_received, first_class, agent_id, created_at) VALUES (?, ?, ?, ?, ?, ?)", sales)
    cur.executemany(
        "INSERT INTO callbacks (kind, member_id, agent_id, window_start, due, status, outcome, result, attempt, retry_of, "
        "reschedules, note, sale_id, notes, closed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        calls,
    )
    cur.executemany("INSERT INTO call_log (agent_id, member_id, at, direction, outcome, notes) VALUES (?, ?, ?, ?, ?, ?)", log)
    cur.execute("INSERT INTO settings (key, value) VALUES ('callbacks.birthdays_planned_through', ?)", (TODAY.strftime("%Y-%m"),))
    con.commit()
    con.execute("ANALYZE")
    con.close()


def _schema_tag() -> str:
    """Changes when the callbacks schema does, so a stale cached database is rebuilt."""
    import hashlib

    import csdesk.models.tables_callbacks as tables

    return hashlib.sha1(Path(tables.__file__).read_bytes()).hexdigest()[:8]


def big_callbacks_database() -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"callbacks-{MEMBERS // 1000}k-{CALLS // 1000}k-{_schema_tag()}.db"
    for old in CACHE.glob(f"callbacks-{MEMBERS // 1000}k-{CALLS // 1000}k-*.db*"):
        if not old.name.startswith(path.name):
            old.unlink()
    if not path.exists():
        tmp = path.with_suffix(".building")
        for f in path.parent.glob(tmp.name + "*"):
            f.unlink()
        build_database(tmp)
        tmp.rename(path)
    return path


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def agenda_figures(path: Path) -> None:
    from csdesk.services.base import Actor

    ctx = _context(path)
    sup = Actor("bench", "supervisor")
    ctx.callbacks.agenda(sup, TODAY, "A001")  # warm the page cache once, as an open app would be
    agenda = ctx.callbacks.agenda(sup, TODAY, "A001")
    report("agenda_calls_of_one_agent_today", len(agenda.calls), "calls")
    report("open_today_agenda_one_agent", statistics.median(_timed(lambda: ctx.callbacks.agenda(sup, TODAY, "A001")) for _ in range(7)) * 1000, "ms")
    first = [_timed(lambda no=f"A{i:03d}": ctx.callbacks.agenda(sup, TODAY, no)) for i in range(2, 22)]
    report("switch_agent_first_visit_median", statistics.median(first) * 1000, "ms")
    again = [_timed(lambda no=f"A{i:03d}": ctx.callbacks.agenda(sup, TODAY, no)) for _r in range(3) for i in range(2, 22)]
    report("switch_agent_median", statistics.median(again) * 1000, "ms")
    report("switch_agent_90th_percentile", sorted(again)[int(len(again) * 0.9)] * 1000, "ms")
    everyone = ctx.callbacks.agenda(sup, TODAY)
    report("agenda_calls_all_agents_today", len(everyone.calls), "calls")
    report("open_today_agenda_all_agents", statistics.median(_timed(lambda: ctx.callbacks.agenda(sup, TODAY)) for _ in range(5)) * 1000, "ms")
    report("workload_all_agents", statistics.median(_timed(lambda: ctx.callbacks.workload(sup, TODAY)) for _ in range(5)) * 1000, "ms")
    _gui_switch(ctx, sup)


def _gui_switch(ctx, sup) -> None:  # type: ignore[no-untyped-def]
    """The real page: switching the agent combo reloads the agenda table (offscreen Qt)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from csdesk.ui.callbacks.page import CallbacksPage

    # The page remembers the chosen agent; keep that out of the developer's own settings.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="csdesk-bench-"))
    app = QApplication.instance() or QApplication([])
    start = time.perf_counter()
    page = CallbacksPage(ctx.callbacks, actor=sup)
    page.resize(1280, 760)
    page.show()
    app.processEvents()
    report("gui_open_page_first_agent", (time.perf_counter() - start) * 1000, "ms")
    times = []
    for i in range(1, 11):
        start = time.perf_counter()
        page.agent.setCurrentIndex(i)
        app.processEvents()
        times.append(time.perf_counter() - start)
    report("gui_switch_agent_median", statistics.median(times) * 1000, "ms")
    page.close()


def import_figures(path: Path) -> None:
    """Read, check and plan 10,000 new sales (40,000 calls) into the big database; median of 3 fresh copies."""
    runs = [_import_once(path) for _ in range(3)]
    report("import_10000_new_sales_with_plans_median", statistics.median(runs), "s")
    report("import_10000_new_sales_with_plans_best", min(runs), "s")
    report("calls_planned_per_second", NEW_SALES * 4 / statistics.median(runs), "calls/s")


def _import_once(path: Path) -> float:
    from csdesk.services.base import Actor

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copy(path, db)
        csv = Path(tmp) / "sales.csv"
        rng = random.Random(5)
        lines = ["member,phone,sale_date,agent,card_received,first_class,birthday,vip"]
        for i in range(NEW_SALES):
            sale = TODAY - timedelta(days=rng.randint(0, 6))
            lines.append(f"新会员{i:05d},15{i:09d},{sale},A{1 + i % AGENTS:03d},{sale},{sale + timedelta(days=40)},"
                         f"{TODAY - timedelta(days=rng.randint(1500, 4000))},{'yes' if i % 9 == 0 else 'no'}")
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ctx = _context(db)
        sup = Actor("bench", "supervisor")
        start = time.perf_counter()
        result = ctx.callbacks.import_sales(sup, csv)
        elapsed = time.perf_counter() - start
        assert result.written == NEW_SALES, result.as_dict()
        return elapsed


def main() -> None:
    start = time.perf_counter()
    path = big_callbacks_database()
    report("synthetic_db_200k_members_1m_calls_build", time.perf_counter() - start, "s (cached after the first run)")
    with sqlite3.connect(path) as con:
        report("calls_in_history", con.execute("SELECT count(*) FROM callbacks").fetchone()[0], "calls")
        report("members", con.execute("SELECT count(*) FROM members").fetchone()[0], "members")
    agenda_figures(path)
    import_figures(path)


if __name__ == "__main__":
    main()
