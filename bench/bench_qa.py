"""Issue 15's figure: the QA summary of a month (``csdesk qa --month M``) for 2,000 agents with 8
inspections each on a 20-question form: 16,000 inspections, 320,000 answers (goal < 1 s).

The floor is written with plain ``sqlite3`` into a database the migrations made, under a site
policy whose default form has 20 questions in four sections; the first inspection goes through
``QAService.record_inspection`` (so the form's stored copy is the service's own) and the other
15,999 are scored by the rules and bulk-inserted with their answers and findings. Cached in
bench/.cache. Measured: the service call in the process (the first call and then the median),
and the whole ``csdesk --json qa`` process.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import CACHE, report

if TYPE_CHECKING:
    from csdesk.policy.model import QaForm

AGENTS = 2000
TEAM_SIZE = 50
PER_AGENT = 8
QUESTIONS = 20
INSPECTORS = 5
MONTH = date(2026, 10, 1)
NOW = datetime(2026, 10, 28, 18, 0)
VERSION = 1  # bump when the generated data changes: the cache is keyed by it
RUNS = 5
PROCESS_RUNS = 3

_STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite


def _form_toml() -> str:
    """A site policy whose default form has four sections of five questions (Q06 critical)."""
    lines = ["[qa]", 'form_code = "BENCH20"', "form_version = 1", 'critical_questions = ["Q06"]']
    for s, (code, weight) in enumerate((("etiquette", 20), ("process", 30), ("service", 30), ("record", 20))):
        questions = ", ".join(f'"Q{5 * s + q + 1:02d}"' for q in range(5))
        lines += ["[[qa.sections]]", f'code = "{code}"', f"weight = {weight}", f"questions = [{questions}]"]
    return "\n".join(lines) + "\n"


def floor() -> tuple[Path, Path]:
    """The cached database and its site policy file."""
    CACHE.mkdir(exist_ok=True)
    policy = CACHE / f"qa-form-v{VERSION}.toml"
    policy.write_text(_form_toml(), encoding="utf-8")
    path = CACHE / f"qa-{AGENTS}x{PER_AGENT}x{QUESTIONS}-v{VERSION}.db"
    done = path.with_suffix(".done")
    if not done.exists():
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        start = time.perf_counter()
        _build(path, policy)
        report("qa_floor_build", time.perf_counter() - start, "s (people, 16,000 inspections, 320,000 answers)")
        done.write_text("ok\n")
    return path, policy


def _insert(conn: sqlite3.Connection, table: str, columns: str, rows: list[tuple[object, ...]]) -> None:
    names = columns.split()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
    conn.execute("COMMIT")


def _build(path: Path, policy_file: Path) -> None:
    from csdesk.context import build_context
    from csdesk.services.base import SYSTEM

    ctx = build_context(str(path), str(policy_file), clock=lambda: NOW, data_dir=CACHE)  # the schema, by the migrations
    form = ctx.policy.qa.default_form
    conn = sqlite3.connect(path, isolation_level=None)
    teams = AGENTS // TEAM_SIZE
    _insert(conn, "teams", "id name active", [(t + 1, f"客服{t + 1:02d}组", 1) for t in range(teams)])
    people = [(i + 1, f"A{i + 1:04d}", f"坐席{i + 1:04d}", i % teams + 1, "agent", "junior", 1, 1) for i in range(AGENTS)]
    people += [(AGENTS + k + 1, f"Q{k + 1:03d}", f"质检员{k + 1}", None, "qa", None, 1, 1) for k in range(INSPECTORS)]
    _insert(conn, "people", "id employee_no name team_id role level active version", people)
    conn.close()

    rng = random.Random(15)
    plan = [(agent, n) for agent in range(AGENTS) for n in range(PER_AGENT)]
    # The first inspection through the service: the form's stored copy is the service's own.
    ctx.qa.record_inspection(SYSTEM, "A0001", "CALL-A0001-0", _day(0), dict(_answers(form, rng)), inspector="Q001")
    ctx.close()
    _bulk(path, form, plan[1:], rng)


def _day(n: int) -> date:
    return MONTH + timedelta(days=(n * 3) % 27)  # eight days spread over 1–27 October


def _answers(form: QaForm, rng: random.Random) -> list[tuple[str, str]]:
    """One inspection's answers as typed: mostly yes, some no, a few na; the critical one rarely no."""
    out = []
    for q in form.questions:
        roll = rng.random()
        if q in form.critical_questions:
            out.append((q, "no" if roll < 0.02 else "yes"))
        else:
            out.append((q, "yes" if roll < 0.88 else "no" if roll < 0.95 else "na"))
    return out


def _bulk(path: Path, form: QaForm, plan: list[tuple[int, int]], rng: random.Random) -> None:
    from csdesk.rules.qa import failed_items, parse_answer, score_answers

    conn = sqlite3.connect(path, isolation_level=None)
    form_id, = conn.execute("SELECT id FROM qa_forms").fetchone()
    next_id, = conn.execute("SELECT max(id) + 1 FROM qa_inspections").fetchone()
    recorded = f"{NOW:{_STAMP}}"
    inspections, answers, findings = [], [], []
    for offset, (agent, n) in enumerate(plan):
        inspection_id = next_id + offset
        day = _day(n)
        typed = _answers(form, rng)
        parsed = [parse_answer(q, a, form) for q, a in typed]
        result = score_answers(parsed, form)
        inspector = AGENTS + 1 + rng.randrange(INSPECTORS)
        inspections.append((inspection_id, agent + 1, f"CALL-A{agent + 1:04d}-{n}", inspector, day.isoformat(), "replay",
                            form_id, str(result.exact), int(result.critical_failure), 0, "", "bench", recorded))  # fmt: skip
        answers += [(inspection_id, q, a, "") for q, a in typed]
        for item in failed_items(parsed, form, day, 7):
            resolved = rng.random() < 0.5 and day + timedelta(days=5) <= NOW.date()
            closed = (day + timedelta(days=5)).isoformat() if resolved else None
            findings.append((inspection_id, item.question, item.kind, item.impact, item.deadline.isoformat(),
                             "rechecked" if resolved else "open", "resolved" if resolved else None, closed, "", 1))  # fmt: skip
    _insert(conn, "qa_inspections", "id person_id contact inspector_id inspected_on mode form_id score critical "
                                    "calibration comment recorded_by recorded_at", inspections)  # fmt: skip
    _insert(conn, "qa_answers", "inspection_id question answer comment", answers)
    _insert(conn, "qa_findings", "inspection_id question kind impact deadline status outcome rechecked_on note version",
            findings)  # fmt: skip
    total, = conn.execute("SELECT count(*) FROM qa_answers").fetchone()
    conn.close()
    assert total == AGENTS * PER_AGENT * QUESTIONS, total


def main() -> None:
    from csdesk.context import build_context
    from csdesk.services.base import SYSTEM

    path, policy = floor()
    month = f"{MONTH:%Y-%m}"
    ctx = build_context(str(path), str(policy), clock=lambda: NOW, data_dir=CACHE)
    start = time.perf_counter()
    result = ctx.qa.month_summary(SYSTEM, month)
    first = time.perf_counter() - start
    report("qa_summary_2000_agents_first_call", first, "s (goal < 1 s; 320,000 answers; the service imported)")
    assert len(result.agents) == AGENTS and {a.inspections for a in result.agents} == {PER_AGENT}
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        ctx.qa.month_summary(SYSTEM, month)
        times.append(time.perf_counter() - start)
    report("qa_summary_2000_agents", statistics.median(times), "s (goal < 1 s; median)")
    ctx.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("CSDESK_USER", None)  # a database without sign-in accounts: the command runs as the administrator
    process = []
    for _ in range(PROCESS_RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "csdesk", "--db", str(path), "--policy", str(policy), "--json", "qa",
                        "--month", month], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
        process.append(time.perf_counter() - start)
    report("qa_json_2000_agents_process", statistics.median(process), "s (csdesk --json qa --month, whole process)")


if __name__ == "__main__":
    main()
