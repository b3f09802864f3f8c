"""Shared helpers for the benchmarks: timing, synthetic databases, output."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def report(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.3f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}", flush=True)


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
