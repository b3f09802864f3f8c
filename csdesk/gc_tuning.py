"""Garbage-collector settings for a process that holds whole months of a department in memory.

CPython's default thresholds (700, 10, 10) run a full collection again and again while a month
of 2,000 agents is built: measured on the scorecards page, switching month took 1.19 s with 31
pauses of the GUI thread over 100 ms (up to 236 ms); with (50,000, 20, 100) it takes 0.69 s with
2 such pauses (bench/bench_scorecards.py). Garbage is still collected, in fewer, larger steps;
nearly all of what csdesk allocates is acyclic and freed by reference counting anyway.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (50_000, 20, 100)
_loads = 0
_starting = False  # quiet_start() was called and end_quiet_start() not yet
_loads_lock = threading.Lock()


def tune() -> None:
    """Collect less often (see the module docstring); called once at start-up, GUI and CLI."""
    gc.set_threshold(*THRESHOLDS)


def quiet_start() -> None:
    """The collector off while a command-line process starts (:func:`end_quiet_start` turns it
    back on): the imports build some 300,000 objects that live as long as the process, and
    collecting while they are made only scans them again and again."""
    global _starting
    _starting = True
    gc.disable()


def end_quiet_start() -> None:
    """After the command line's start-up (a no-op without :func:`quiet_start`, as when a test
    calls the command line in its own process): what start-up built is frozen, left out of
    later collections, and the collector comes back on with the thresholds of :func:`tune`."""
    global _starting
    if _starting:
        _starting = False
        tune()
        gc.freeze()
        gc.enable()


def freeze_startup() -> None:
    """Leave what start-up built (modules, Qt, the policy, the services) out of later collections.

    Called before the first window. The collector never looks at frozen objects again: they are
    still freed by reference counting, but a cycle among them is kept for good, so a window (Qt
    wrappers and their connected slots make cycles) should not exist yet when this runs."""
    gc.collect()
    gc.freeze()


@contextmanager
def bulk_load() -> Iterator[None]:
    """Build a month on a worker thread without collector pauses on the GUI thread.

    A collection holds the GIL, and so the GUI thread, for as long as it scans. While a month of
    2,000 agents grows (about a million objects), collections of the middle generation took
    ~100 ms and even the youngest took 20-40 ms each (py-spy: the worker in ``gc_collect_main``
    while the GUI thread waited for the GIL). So the collector is off for the length of the load;
    at the end what it built is frozen (left out of later scans) and the collector comes back on.
    Frozen objects are still freed by reference counting when the next month replaces them (a
    month's records are acyclic); only cyclic garbage made during the load is kept (a database
    session's few objects per load). Loads may overlap (several pages): the last one out freezes.
    """
    global _loads
    with _loads_lock:
        _loads += 1
        if _loads == 1:
            gc.disable()
    try:
        yield
    finally:
        with _loads_lock:
            _loads -= 1
            if _loads == 0:
                gc.freeze()
                gc.enable()


_kept: list[object] = []
_keeping = False  # keep_until_exit() keeps: the process ends with os._exit (csdesk.cli.run)


def keep_results(keep: bool = True) -> None:
    """Let :func:`keep_until_exit` keep what it is given: called by the command line's entry point,
    whose process ends with ``os._exit`` right after its command and so frees nothing."""
    global _keeping
    _keeping = keep


def keep_until_exit(*values: object) -> None:
    """Leave a command's results to the end of the process rather than free them as the command
    returns, as the last unit of work's memo is (:func:`csdesk.models.db.keep_last_memo`): a month's
    2,000 cards took 11 ms to free, object by object, after their JSON was written. Without
    :func:`keep_results` (a test calling the command line's ``main``) it does nothing, and the
    values are freed as usual."""
    if _keeping:
        _kept.extend(values)
