"""Shared helpers for the benchmarks: timing, synthetic databases, output."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def report(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.3f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}", flush=True)


def _alone(module: str, name: str) -> None:
    from csdesk import gc_tuning

    gc_tuning.tune()  # as csdesk's entry point does
    with tempfile.TemporaryDirectory() as tmp:
        getattr(importlib.import_module(module), name)(Path(tmp))


def each_alone(*figures: Callable[[Path], object]) -> None:
    """Run each ``figure(folder)`` in a fresh interpreter, as a csdesk command or a newly opened
    window runs: what one leaves in memory (a 2,000-agent month, a QApplication) made the next
    one's garbage collections slower and moved the import ratio between 1.7x and 2.2x."""
    spawn = multiprocessing.get_context("spawn")
    for fn in figures:
        child = spawn.Process(target=_alone, args=(fn.__module__, fn.__name__))
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit(f"{fn.__name__} failed ({child.exitcode})")


def bare_punch_table(folder: Path) -> sqlite3.Connection:
    """The imports' baseline database, ``folder/bare.db``: the punches table exactly as csdesk's
    migrations made it in ``folder/bench.db`` (columns, unique key and indexes), with csdesk's
    journal settings, for one plain ``executemany`` of the same rows."""
    conn = sqlite3.connect(folder / "bare.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    with sqlite3.connect(folder / "bench.db") as ours_db:
        ddl = [sql for (sql,) in ours_db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'punches' AND sql IS NOT NULL ORDER BY type DESC")]
    for statement in ddl:
        conn.execute(statement)
    return conn


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_database(agents: int = 500, months: int = 36) -> Path:
    """A synthetic department (``csdesk demo``) cached between runs: 500 agents, 3 years."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{agents}x{months}.db"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "csdesk", "--db", str(path), "demo", "--agents", str(agents), "--months", str(months), "--seed", "3"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def _reference_work() -> int:
    """Fixed pure-Python work, unrelated to csdesk's code: dates, dicts, tuples and small objects,
    the kind of work a month's classification is made of."""
    from datetime import datetime, timedelta

    start = datetime(2026, 1, 1, 8, 0)
    seen: dict[tuple[int, int], list[datetime]] = {}
    for i in range(200_000):
        at = start + timedelta(minutes=i % 1440, days=i % 31)
        seen.setdefault((i % 2000, at.day), []).append(at.replace(second=0))
    return len(seen)


def host_reference() -> None:
    """How fast this host is, by work that never changes with csdesk's code: the figures of two
    runs on different hosts (or at a busy moment) are compared through these lines. The
    interpreter matters as much as the host: on one PC, Debian's own python3.11 ran csdesk's
    whole-process figures 13-25 % faster than a pyenv build of 3.11.7 (no profile-guided
    optimisation), so it is named first."""
    print(f"host_reference_interpreter: {os.path.realpath(sys.executable)} (Python {platform.python_version()}, {platform.python_build()[1]})", flush=True)
    report("host_reference_python_work", median_time(_reference_work, repeat=5), "s (fixed pure-Python work)")
    spawn = [sys.executable, "-c", "import sqlalchemy.orm"]
    report("host_reference_process_with_sqlalchemy", median_time(lambda: subprocess.run(spawn, check=True), repeat=5), "s (python -c 'import sqlalchemy.orm')")
