"""Issue 12's scale figures: a 2,000-agent floor over five years (about 7 million punches).

* the database's size and ``BackupService.backup`` (online backup API, checked) on it;
* cold start to the main window as a whole process (bench_foundation's method; goal < 1 s);
* month switch on the attendance and scorecards pages (issue 4's goals: the GUI thread never
  blocked 100 ms or more, a cached month shown in < 100 ms).

The floor is written once with plain ``sqlite3`` into a database the migrations made (going
through the services row by row would take hours), then checked and opened like any other, and
cached in bench/.cache. Five years: November 2021 to October 2026 (bench_scorecards' clock,
``NOW`` 2026-10-28), 40 teams of 50 agents with their leads. Every rostered working day has a
clock-in and a clock-out (a few lates, early leaves, missed clock-outs, absences and sick days,
at the demo's rates); the agents of every third team also punch out and in for their meal break,
which brings the floor to about 7 million punches. Each month has the demo's ratings, exams,
adjustments, KPIs and evaluation events; the months before October 2026 are signed off (locked
with their results stored) as a floor that has been running five years has them.
"""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

from bench import bench_scorecards
from bench.bench_attendance import settle_page
from bench.bench_foundation import cold_start
from bench.bench_scorecards import NOW
from bench.common import CACHE, report

if TYPE_CHECKING:
    from csdesk.policy import Policy

AGENTS = 2000
TEAM_SIZE = 50
MONTHS = 60
FIRST = date(2021, 11, 1)  # MONTHS months up to NOW's
BREAK_PUNCH_TEAMS = 3  # every third team punches its meal break too
VERSION = 1  # bump when the generated data changes: the cache is keyed by it
RUNS = 3
BACKUP_RUNS = 1  # a backup of the floor takes about a minute

_STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite


def _month_firsts() -> list[date]:
    firsts, first = [], FIRST
    while first <= NOW.date():
        firsts.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return firsts


# --- the floor ------------------------------------------------------------------------------


def floor_database() -> tuple[Path, float, bool]:
    """The cached floor, how long building it took, and whether it was built now."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"scale-{AGENTS}x{MONTHS}-v{VERSION}.db"
    done = path.with_suffix(".done")
    if done.exists():
        return path, float(done.read_text()), False
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    _build(path)
    build = time.perf_counter() - start
    done.write_text(f"{build:.1f}\n")
    return path, build, True


def _build(path: Path) -> None:
    from csdesk.context import build_context
    from csdesk.services.base import SYSTEM

    ctx = build_context(str(path), clock=lambda: NOW, data_dir=CACHE)  # the schema, by the migrations
    policy = ctx.policy
    ctx.close()
    rng = random.Random(12)
    step = time.perf_counter()

    def lap(name: str, what: str) -> None:
        nonlocal step
        report(f"scale_floor_build_{name}", time.perf_counter() - step, f"s ({what})")
        step = time.perf_counter()

    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-4000000", "temp_store=MEMORY", "locking_mode=EXCLUSIVE"):
        conn.execute(f"PRAGMA {pragma}")
    people, agents = _people(conn, policy, rng)
    lap("people", "teams, people, logins, level history")
    roster = _roster(conn, policy, people)
    lap("roster", f"{roster:,} roster days, bulk insert")
    punches = _punches(conn, policy, people, rng)
    lap("punches", f"{punches:,} punches and the leave taken, bulk insert")
    _scorecards(conn, policy, agents, rng)
    lap("scorecards", "ratings, exams, adjustments, KPIs, events, bulk insert")
    conn.execute("PRAGMA locking_mode=NORMAL")
    conn.execute("PRAGMA journal_mode=WAL")  # as the app keeps it
    conn.close()

    # Opened the app's way; the past months signed off as a supervisor does, oldest first.
    ctx = build_context(str(path), clock=lambda: NOW, data_dir=CACHE)
    for first in _month_firsts()[:-1]:
        ctx.scorecards.months.lock_month(SYSTEM, f"{first:%Y-%m}")
    lap("sign_off", f"{MONTHS - 1} past months locked by MonthService.lock_month")
    month = ctx.attendance.team_month(SYSTEM, NOW.year, NOW.month)
    cards = ctx.scorecards.month(SYSTEM, f"{NOW:%Y-%m}")
    assert len(month.agents) == AGENTS + AGENTS // TEAM_SIZE and len(cards.cards) == AGENTS, (len(month.agents), len(cards.cards))
    ctx.close()
    with closing(sqlite3.connect(path)) as check:
        problems = [row[0] for row in check.execute("PRAGMA integrity_check")]
    assert problems == ["ok"], problems[:5]
    lap("check", "a month read through the services, PRAGMA integrity_check")


def _insert(conn: sqlite3.Connection, table: str, columns: str, rows: Iterable[tuple[object, ...]]) -> None:
    """One ``executemany`` in one transaction: ``columns`` space-separated, a value each in ``rows``."""
    names = columns.split()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
    conn.execute("COMMIT")


def _stamp(day: date, hour: int, minute: int = 0) -> str:
    return f"{datetime.combine(day, dt_time(hour, minute)):{_STAMP}}"


def _people(conn: sqlite3.Connection, policy: Policy, rng: random.Random) -> tuple[list[tuple[int, int]], list[int]]:
    """Teams, staff, leads and agents, the demo's logins and the agents' level history. Returns
    the rostered people (leads and agents) as (person id, team index), and the agents' ids."""
    from csdesk.services.auth import hash_password
    from csdesk.services.demo import DEMO_PASSWORD, _name

    teams = AGENTS // TEAM_SIZE
    _insert(conn, "teams", "id name active", [(t + 1, f"客服{t + 1:02d}组", True) for t in range(teams)])
    levels = policy.level_codes
    people: list[tuple[object, ...]] = []
    history: list[tuple[object, ...]] = []
    recorded = _stamp(date(2021, 10, 1), 9)

    def person(no: str, role: str, team: int | None, level: str | None, joined: date, spanish: bool) -> int:
        female = rng.random() < 0.6
        birthday = date(rng.randint(1975, 2001), rng.randint(1, 12), rng.randint(1, 28))
        phone = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        name = _name(rng, spanish, female)
        people.append((len(people) + 1, no, name, team, role, level, str(joined), str(birthday), "FM"[not female], phone, True, 1))
        return len(people)

    for no, role in (("S001", "supervisor"), ("S002", "trainer"), ("S003", "qa"), ("S004", "director")):
        person(no, role, None, None, date(2015, 3, 1), no in ("S002", "S004"))
    rostered, agents = [], []
    for t in range(teams):  # the tenth team of each ten is the Spanish-speaking one, as in the demo
        joined = date(2014, 1, 1) + timedelta(days=rng.randint(0, 2000))
        rostered.append((person(f"L{t + 1:03d}", "team_lead", t + 1, None, joined, t % 10 == 9), t))
    for i in range(AGENTS):
        t = i % teams
        joined = date(2012, 1, 1) + timedelta(days=rng.randint(0, 3500))  # all in service by November 2021
        steps = min(len(levels) - 2, (NOW.date() - joined).days // 730)  # a level every two years, to senior
        pid = person(f"A{i + 1:04d}", "agent", t + 1, levels[steps], joined, t % 10 == 9 or rng.random() < 0.15)
        history += [(pid, levels[s], str(joined + timedelta(days=730 * s)), "supervisor", "", recorded) for s in range(steps + 1)]
        rostered.append((pid, t))
        agents.append(pid)
    columns = "id employee_no name team_id role level join_date birthday gender phone active version"
    _insert(conn, "people", columns, people)
    _insert(conn, "level_changes", "person_id level effective recorded_by note created_at", history)
    ids = {row[1]: row[0] for row in people}
    hashed = hash_password(DEMO_PASSWORD)
    logins = [
        ("supervisor", "S001", "supervisor"), ("trainer", "S002", "trainer"), ("qa", "S003", "qa"),
        ("director", "S004", "director"), ("lead1", "L001", "team_lead"), ("agent1", "A0001", "agent"),
    ]  # fmt: skip
    _insert(conn, "users", "username password_hash role person_id active", [(u, hashed, r, ids[no], True) for u, no, r in logins])
    return rostered, agents


def _days() -> list[date]:
    """Every day of the roster: the five years and the month after (a roster is planned ahead)."""
    last = (date(NOW.year, NOW.month, 28) + timedelta(days=4)).replace(day=1)
    last = (last + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return [FIRST + timedelta(days=n) for n in range((last - FIRST).days + 1)]


def _rotation(policy: Policy, people: list[tuple[int, int]]) -> Callable[[int, int], str]:
    """``shift(person id, day ordinal)``: the demo's rotation (services/demo.py), five working days
    (day or evening shift) and two rest days, the other shift every fourth week."""
    work = [s.code for s in policy.shifts if not s.rest]
    rest = next(s.code for s in policy.shifts if s.rest)
    rng = random.Random(1)
    plan = {pid: (rng.randint(0, 6), rng.randint(0, len(work) - 1)) for pid, _team in people}

    def shift(pid: int, ordinal: int) -> str:
        offset, index = plan[pid]
        if (ordinal + offset) % 7 >= 5:
            return rest
        if (ordinal // 7 + offset) % 4 == 0:
            return work[(index + 1) % len(work)]
        return work[index]

    return shift


def _roster(conn: sqlite3.Connection, policy: Policy, people: list[tuple[int, int]]) -> int:
    shift = _rotation(policy, people)
    days = _days()
    rows = (
        (pid, iso, shift(pid, ordinal), 1)
        for iso, ordinal in ((day.isoformat(), day.toordinal()) for day in days)  # day by day, as planned
        for pid, _team in people
    )
    _insert(conn, "roster", "person_id day shift_code version", rows)
    return len(days) * len(people)


def _punches(conn: sqlite3.Connection, policy: Policy, people: list[tuple[int, int]], rng: random.Random) -> int:
    """The punch clock day by day at the demo's rates (services/attendance_demo.py), and the sick
    or personal days taken instead; returns how many punches."""
    shift = _rotation(policy, people)
    bounds = {}  # code: (start, end, meal break start) in minutes from the day's midnight
    for s in policy.shifts:
        if not s.rest:
            start = s.start.hour * 60 + s.start.minute
            meal = s.meal_break_start.hour * 60 + s.meal_break_start.minute if s.meal_break_start else None
            bounds[s.code] = (start, start + round(s.duration.total_seconds() / 60), meal)
    clock = [f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)]
    now = NOW.hour * 60 + NOW.minute
    leave: list[tuple[object, ...]] = []
    count = 0
    rand, randint = rng.random, rng.randint

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal count
        sick: set[tuple[int, int]] = set()  # (person, month): one sick or personal day a month at most
        for day in _days():
            if day > NOW.date():
                break
            iso, ordinal, month = day.isoformat(), day.toordinal(), day.year * 12 + day.month
            dates = (iso, (day + timedelta(days=1)).isoformat())  # E's clock-out is after midnight
            asked, decided = _stamp(day - timedelta(days=2), 0), _stamp(day - timedelta(days=1), 0)
            today = []

            def stamp(minute: int) -> str:
                return f"{dates[minute // 1440]} {clock[minute % 1440]}:{int(rand() * 60):02d}.000000"

            for pid, team in people:
                code = shift(pid, ordinal)
                if code not in bounds:
                    continue  # a rest day
                start, end, meal = bounds[code]
                if day == NOW.date() and end + 20 > now:
                    continue  # not over yet
                roll = rand()
                if roll < 0.002:
                    continue  # absent
                if roll < 0.01 and day.day < 25 and (pid, month) not in sick:
                    sick.add((pid, month))
                    ok = rand() < 0.85
                    kind = "SICK" if rand() < 0.5 else "PERSONAL"
                    status, by, at = ("approved", "supervisor", decided) if ok else ("pending", None, None)
                    leave.append((pid, kind, iso, iso, None, status, "demo", ok, ok, asked, "supervisor", by, at, None, False, False, 1, 1))
                    continue
                clock_in, clock_out = start - randint(2, 15), end + randint(0, 20)
                if roll < 0.05:
                    clock_in = start + randint(1, 25)
                elif roll < 0.06:
                    clock_out = end - randint(1, 20)
                today.append((stamp(clock_in), pid))
                if meal is not None and team % BREAK_PUNCH_TEAMS == 0:
                    out = meal + randint(-5, 5)
                    today.append((stamp(out), pid))
                    today.append((stamp(out + randint(25, 33)), pid))
                if roll <= 0.995:  # else a missed clock-out
                    today.append((stamp(clock_out), pid))
            today.sort()  # one day's punches, imported in time order
            count += len(today)
            for at, pid in today:
                yield pid, at, "T1"

    _insert(conn, "punches", "person_id at device", rows())
    columns = (
        "person_id leave_type start_day end_day hours status reason certificate cancelled_on_return created_at"
        " created_by decided_by decided_at event_date remarriage difficult_birth babies version"
    )
    _insert(conn, "leave_requests", columns, leave)
    return count


def _scorecards(conn: sqlite3.Connection, policy: Policy, agents: list[int], rng: random.Random) -> None:
    """Every month's scorecard inputs as the demo makes them (services/scorecards_demo.py)."""
    from csdesk.services.scorecard_compute import KIND_360, KIND_KPI
    from csdesk.services.scorecards_demo import _EVENTS, _NOTES, _REASONS, _RECORDERS, RATED_SHARE_THIS_MONTH, SKILL_RANGE, _half

    skill = {pid: rng.uniform(*SKILL_RANGE) for pid in agents}
    codes = {e.code: e for e in policy.events}
    manual = [(c, w) for c, w in _EVENTS if c in codes and not codes[c].automatic]
    ratings, exams, adjustments, kpis, events = [], [], [], [], []
    current = NOW.date().replace(day=1)
    for first in _month_firsts():
        key = f"{first:%Y-%m}"
        last = min((first + timedelta(days=32)).replace(day=1) - timedelta(days=1), NOW.date())
        at = _stamp(last, 9)
        for pid in agents:
            if first == current and rng.random() > RATED_SHARE_THIS_MONTH:
                continue  # the current month is still being rated
            level = skill[pid]
            for criterion in policy.scoring.criteria:
                value = _half(rng, criterion.max * (0.96 + level), criterion.max * 0.05, criterion.max)
                ratings.append((pid, key, criterion.code, str(value), at, "trainer", 1))
            exams.append((pid, key, str(min(100, max(40, round(rng.gauss(82 + level * 60, 10))))), at, "trainer", 1))
            if rng.random() < 0.1:
                adjustments.append((pid, key, str(rng.choice([-3, -2, -1, 1, 2, 3, 5])), rng.choice(_REASONS), at, "trainer", 1))
            kpis += [
                (pid, key, KIND_KPI, "satisfaction", str(round(rng.uniform(85, 99), 1)), 1),
                (pid, key, KIND_KPI, "complaint_rate", str(round(rng.uniform(0, 4), 1)), 1),
                (pid, key, KIND_KPI, "response_time", str(round(rng.uniform(6, 25), 1)), 1),
            ]
            kpis += [(pid, key, KIND_360, name, str(rng.randint(65, 98)), 1) for name in policy.kpi.evaluator_weights]
            used: set[str] = set()
            for _n in range(rng.choice([0, 0, 0, 1, 1, 1, 2, 2, 3])):
                code = rng.choices([c for c, _w in manual], [w for _c, w in manual])[0]
                event = codes[code]
                if event.per_month and code in used:
                    continue
                used.add(code)
                day = first + timedelta(days=rng.randint(0, (last - first).days))
                points = rng.randint(min(event.points_min, event.points_max), max(event.points_min, event.points_max))
                note, by = rng.choice(_NOTES), rng.choice(_RECORDERS)
                events.append((pid, str(day), code, points, "manual", note, by, _stamp(day, 17, 30), False, 0, 1))
    _insert(conn, "ratings", "person_id month criterion value updated_at updated_by version", ratings)
    _insert(conn, "exam_scores", "person_id month score updated_at updated_by version", exams)
    _insert(conn, "rating_adjustments", "person_id month points reason updated_at updated_by version", adjustments)
    _insert(conn, "kpi_inputs", "person_id month kind name value version", kpis)
    columns = "person_id day code points source note recorded_by recorded_at voided revision version"
    _insert(conn, "evaluation_events", columns, events)


# --- the figures ----------------------------------------------------------------------------


def backup_time(db: Path) -> tuple[float, int]:
    """``BackupService.backup`` as SYSTEM into a temporary folder beside the database: (median seconds, bytes)."""
    from csdesk.context import build_context
    from csdesk.services.base import SYSTEM

    ctx = build_context(str(db), clock=lambda: NOW, data_dir=CACHE)
    times = []
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:  # the same disk as the database
        for run in range(BACKUP_RUNS):
            start = time.perf_counter()
            result = ctx.backup.backup(SYSTEM, Path(tmp) / f"backup{run}.db")
            times.append(time.perf_counter() - start)
            Path(result.path).unlink()
    ctx.close()
    return statistics.median(times), result.bytes


def attendance_switch(db: Path) -> tuple[float, float, float, float]:
    """The attendance page going from October 2026 to September (signed off) and back (open,
    computed from the punches), each not in the page's cache, then to September again from the
    cache: (longest GUI-thread block, until September shown, until October shown, cached), ms."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    from csdesk.services.base import Actor
    from csdesk.ui.pages.attendance import AttendancePage

    app = QApplication.instance() or QApplication([])
    page = AttendancePage(bench_scorecards._context(db), actor=Actor("supervisor", "supervisor"))
    page.show()
    pool = QThreadPool.globalInstance()

    def settle() -> None:
        settle_page(app, page, pool)

    settle()
    assert (page.year, page.month) == (NOW.year, NOW.month)
    blocked, to_past, to_current, cached = [], [], [], []
    for _ in range(RUNS):
        page._cache.clear()
        for delta, shown in ((-1, to_past), (1, to_current)):
            index = page.year * 12 + page.month - 1 + delta
            for key in [k for k in page._cache if k[:2] == (index // 12, index % 12 + 1)]:
                del page._cache[key]  # the month to show is computed again; the other stays cached
            start = time.perf_counter()
            page.shift_month(delta)
            blocked.append(time.perf_counter() - start)
            settle()
            shown.append(time.perf_counter() - start)
        start = time.perf_counter()
        page.shift_month(-1)  # September again: from the cache
        app.processEvents()
        assert page.model.month.month == NOW.month - 1
        cached.append(time.perf_counter() - start)
        page.shift_month(1)
        settle()
    assert len(page.model.month.agents) == AGENTS + AGENTS // TEAM_SIZE
    page.close()
    return max(blocked) * 1000, statistics.median(to_past) * 1000, statistics.median(to_current) * 1000, max(cached) * 1000


def _gui_figures(db: str, queue) -> None:  # type: ignore[no-untyped-def]
    """Both pages' month switches in a fresh interpreter, as a newly opened window runs them."""
    from csdesk import gc_tuning

    gc_tuning.tune()
    figures = list(attendance_switch(Path(db)))
    # bench_scorecards' own measurement, on this floor instead of its one-year department
    with mock.patch.object(bench_scorecards, "_department", lambda _agents, _months: Path(db)):
        figures += bench_scorecards.gui_month_switch(AGENTS)
    queue.put(figures)


def main() -> None:
    db, build, now = floor_database()
    report("scale_floor_build_2000_agents_5_years", build, "s (" + ("built now" if now else f"measured when built; cached in {db.name}") + ")")
    with closing(sqlite3.connect(db)) as conn:
        punches = conn.execute("SELECT count(*) FROM punches").fetchone()[0]
        roster = conn.execute("SELECT count(*) FROM roster").fetchone()[0]
    report("scale_floor_punches", punches, "rows (goal: about 7 million)")
    report("scale_floor_roster_days", roster, "rows")
    size = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    report("scale_floor_database_size", size / 1e6, "MB")
    seconds, written = backup_time(db)
    report("scale_floor_backup", seconds, f"s (BackupService.backup: online copy, integrity check, counts; {written / 1e6:.0f} MB)")
    report("scale_floor_cold_start_to_main_window", cold_start(db), "s (goal < 1 s)")
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    child = spawn.Process(target=_gui_figures, args=(str(db), queue))
    child.start()
    while child.is_alive() and queue.empty():
        child.join(0.5)
    if queue.empty():
        raise SystemExit(f"month switch failed ({child.exitcode})")
    figures = queue.get()
    child.join()
    blocked, past, current, cached, stall, shown, _p99, _over = figures
    # Today's goals (issue 4's table): the GUI thread never blocked > 100 ms, a cached month < 100 ms;
    # an uncached month is computed on the thread pool and has no goal of its own.
    report("scale_attendance_switch_month_gui_thread_blocked", blocked, "ms (goal < 100)")
    report("scale_attendance_switch_month_cached", cached, "ms (goal < 100)")
    report("scale_attendance_switch_month_uncached_signed_off_month_shown", past, "ms (read from the stored results)")
    report("scale_attendance_switch_month_uncached_open_month_shown", current, "ms (computed from the punches)")
    report("scale_scorecards_switch_month_gui_thread_longest_stall", stall, "ms (goal < 100)")
    report("scale_scorecards_switch_month_until_shown", shown, "ms (open and signed-off month alternately)")


if __name__ == "__main__":
    main()
