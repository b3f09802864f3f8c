"""Garbage-collector settings for a process that holds whole months of a department in memory.

CPython's default thresholds (700, 10, 10) run a full collection again and again while a month
of 2,000 agents is built: measured on the scorecards page, switching month took 1.19 s with 31
pauses of the GUI thread over 100 ms (up to 236 ms); with (50,000, 20, 100) it takes 0.69 s with
2 such pauses (bench/bench_scorecards.py). Garbage is still collected, in fewer, larger steps;
nearly all of what csdesk allocates is acyclic and freed by reference counting anyway.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def tune() -> None:
    """Collect less often (see the module docstring); called once at start-up, GUI and CLI."""
    gc.set_threshold(*THRESHOLDS)


def freeze_startup() -> None:
    """Leave what start-up built (modules, Qt, the policy, the services) out of later collections.

    Called before the first window: anything frozen is never collected, so nothing that can be
    thrown away later (a window, a month of data) may be frozen."""
    gc.collect()
    gc.freeze()
