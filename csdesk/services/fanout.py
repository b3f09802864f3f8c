"""Independent pieces of one long read computed side by side, in child processes and here.

Python threads share one interpreter lock, so a month of 2,000 agents computed on a second thread
takes as long as on the first. A range of months (the what-if over a year) is made of pieces that
share nothing: each is computed from the database, in its own read. :func:`spread` hands some of
them to child processes, one per spare processor, while this process computes the others.

* The children are *spawned*, never forked: the GUI runs Qt and worker threads, and a fork copies
  a lock some other thread holds. A spawned child imports what it needs (about half a second),
  meanwhile this process has begun the first piece: it takes pieces from the front, the children
  from the back, and the pieces nobody has started go to whoever is free first.
* A piece a child could not compute (its error, a child killed, a pool that does not start) is
  computed again here, where its error is raised as it would be without children: the caller
  sees the same result, or the same error, as from the plain loop.
* A child ends without freeing its heap object by object (``os._exit`` once its exit handlers
  have run): after a few months of 2,000 agents that took it half a second, while the caller waited.
* With one processor, one piece, or a ``there`` of None (an in-memory database no other process
  can open), it is the plain loop.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

Piece = TypeVar("Piece")
Result = TypeVar("Result")


def spare_processors() -> int:
    """The processors this process may use beside the one it runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # Windows, macOS
        usable = os.cpu_count() or 1
    return max(0, usable - 1)


def _end_quickly() -> None:
    """In a child, at its start: its last exit handler ends it there (see the module docstring).
    Registered first, it runs after every handler registered later; multiprocessing has already
    flushed the child's results and run its own exit function by then."""
    atexit.register(os._exit, 0)


def spread(
    pieces: Sequence[Piece],
    here: Callable[[Piece], Result],
    there: Callable[[Piece], Result] | None,
    *,
    children: int | None = None,
) -> list[Result]:
    """``[here(p) for p in pieces]``, with some pieces computed by ``there`` in child processes.

    ``there`` must be picklable (a module-level function, or a ``functools.partial`` of one over
    picklable arguments) and compute what ``here`` computes. ``children``: how many child
    processes at most (default: one per spare processor).
    """
    wanted = spare_processors() if children is None else children
    count = min(wanted, len(pieces) - 1)
    if there is None or count < 1:
        return [here(p) for p in pieces]
    import multiprocessing

    results: dict[int, Result] = {}
    try:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_end_quickly)
    except (OSError, ValueError):  # no process can be started here: compute them all
        return [here(p) for p in pieces]
    try:
        # The children take the pieces from the back, this process from the front.
        futures: dict[int, Future[Result]] = {}
        try:
            for index in reversed(range(len(pieces))):
                futures[index] = pool.submit(there, pieces[index])
        except Exception:  # noqa: BLE001 - a pool that cannot start: the pieces not submitted are done here
            pass
        for index, piece in enumerate(pieces):
            future = futures.get(index)
            if future is None or future.cancel():  # nobody has started it: this process takes it
                results[index] = here(piece)
            else:
                break  # the children have started this one and every one after it
        for index, future in futures.items():
            if index in results:
                continue
            try:
                results[index] = future.result()
            except Exception:  # noqa: BLE001 - computed again here, where its error is raised as it would be without children
                results[index] = here(pieces[index])
    finally:
        # On an error here, the pieces no child has begun are dropped; the begun ones end first,
        # so no child outlives the call.
        pool.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(pieces))]
