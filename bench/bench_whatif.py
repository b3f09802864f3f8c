"""Issue 16 "Policy what-if" figures, on the 2,000-agent department of bench_scorecards (the month
with punches, and a year of signed-off months before it):

* ``csdesk whatif --month M --with FILE --json`` as a whole process (goal < 1.5 s), for three kinds
  of change: what a late costs (the attendance month computed again, the scorecards not), a grade
  threshold (the scorecards computed again, the attendance month not) and lates in a row as an
  absence (both computed again);
* ``csdesk whatif --from M-11 --to M --with FILE --json``, twelve months, as a whole process (goal < 10 s);
* for comparison, ``csdesk scorecard --month M --json``: the month computed once.

Each figure is the median wall time of three runs, with the process's CPU time beside it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_scorecards import MONTH, _department
from bench.bench_signed_month import _copy
from bench.common import report

RUNS = 3
AGENTS = 2000
YEAR_BACK = 11


def _changes(folder: Path) -> dict[str, Path]:
    """One file per kind of change (a site file replaces a whole array: the grades are all written)."""
    from csdesk.policy import load_policy

    grades = [{**dataclasses.asdict(g), **({"min": 72} if g.code == "C" else {})} for g in load_policy().scoring.grades]
    texts = {
        "late_deduction": "[attendance]\nlate_deduction = 30\n",
        "grade_threshold": "".join("[[scoring.grades]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in g.items()) for g in grades),
        "lates_in_a_row": "[attendance]\nconsecutive_lates_as_absence = 2\n",
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = folder / f"{name}.toml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _process(db: Path, *args: str) -> tuple[float, float]:
    """``csdesk --json ARGS`` as a whole process: (wall time, the process's CPU time). On a machine
    other work shares, the CPU time is the steadier figure."""
    # The command signs in as the demo supervisor (policy security.cli_password), as a script would.
    env = {"CSDESK_USER": "supervisor", "CSDESK_PASSWORD": "demo", **os.environ, "QT_QPA_PLATFORM": "offscreen"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "csdesk", "--db", str(db), "--json", *args], check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _report(name: str, runs: list[tuple[float, float]], goal: str) -> None:
    report(name, statistics.median(wall for wall, _cpu in runs), f"s (goal < {goal}; CPU {statistics.median(cpu for _wall, cpu in runs):.3f} s)")


def main() -> None:
    from csdesk.services.scorecard_compute import shift_month

    month, first = f"{MONTH:%Y-%m}", f"{shift_month(MONTH, -YEAR_BACK):%Y-%m}"
    source = _department(AGENTS, 13)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        work = _copy(source, folder, "whatif.db")
        changes = _changes(folder)
        _process(work, "scorecard", "--month", month)  # migrate the copy, warm the file cache
        runs = [_process(work, "scorecard", "--month", month) for _ in range(RUNS)]
        _report("for_comparison_scorecard_json_2000_agents_one_month_process", runs, "1.0 s, bench_signed_month")
        for name, path in changes.items():
            runs = [_process(work, "whatif", "--month", month, "--with", str(path)) for _ in range(RUNS)]
            _report(f"whatif_{name}_2000_agents_one_month_process", runs, "1.5 s")
        for name in ("late_deduction", "grade_threshold"):
            runs = [_process(work, "whatif", "--from", first, "--to", month, "--with", str(changes[name])) for _ in range(RUNS)]
            _report(f"whatif_{name}_2000_agents_12_months_process", runs, "10 s")


if __name__ == "__main__":
    main()
