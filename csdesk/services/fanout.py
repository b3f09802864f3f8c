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
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

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
    import multiprocessing  # only where pieces go to children: 3-5 ms of every command's start
    from concurrent.futures import ProcessPoolExecutor

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


# --- one list of work, halved with a forked child (the command line) ----------------------------

_fork_allowed = False

#: Below this much work in all, :func:`halves` works alone: a fork, and the copy-on-write of a
#: department's month in both processes, cost about 0.1 s (measured on a what-if's second pass).
FORK_WORTH_SECONDS = 0.25


def allow_fork(allowed: bool = True) -> None:
    """Let :func:`halves` fork: called by the command line's entry point, a process of one thread.

    The GUI never calls it: a fork copies the locks Qt's and the database driver's threads hold,
    and the child's first allocation could wait on one for ever. :func:`halves` checks again at
    each call that the process has one thread (Linux: ``/proc/self/task``, which counts the
    native threads too); elsewhere it does not fork."""
    global _fork_allowed
    _fork_allowed = allowed and hasattr(os, "fork") and spare_processors() > 0


def _one_thread() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc (macOS, BSD): the thread count cannot be known, so no fork
        return False


class Later(Generic[Result]):
    """A job this process may do while the forked child of a :func:`halves` works (see
    :func:`meanwhile`); its :meth:`result` is the job's result, or its error, as if called then."""

    def __init__(self, job: Callable[[], Result], seconds: float) -> None:
        self._job: Callable[[], Result] | None = job
        self.seconds = seconds  #: its cost, in the units of the halves' costs
        self._result: Result | None = None
        self._error: Exception | None = None

    @property
    def pending(self) -> bool:
        return self._job is not None

    def run(self) -> None:
        """Do the job now, once; its error is kept for :meth:`result`."""
        job, self._job = self._job, None
        if job is None:
            return
        try:
            self._result = job()
        except Exception as exc:  # noqa: BLE001 - raised where the result is asked for
            self._error = exc

    def result(self) -> Result:
        self.run()
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]


_waiting = threading.local()


@contextmanager
def meanwhile(later: Later[Result]) -> Iterator[Later[Result]]:
    """Within the block, the first :func:`halves` that forks does ``later`` in this process while
    its child works, and takes that much less of the work itself. A read that another area's
    month follows (the scorecards' stored facts before attendance's M01/S01) is done on the
    processor that would otherwise only wait. Where nothing forks, ``later.result()`` does it
    after the block, as plain code would."""
    stack: list[Later[object]] = _waiting.__dict__.setdefault("stack", [])
    stack.append(later)  # type: ignore[arg-type]
    try:
        yield later
    finally:
        stack.remove(later)  # type: ignore[arg-type]


def _waiting_jobs() -> list[Later[object]]:
    return [later for later in _waiting.__dict__.get("stack", ()) if later.pending]


def halves(
    items: Sequence[Piece],
    work: Callable[[Sequence[Piece]], list[Result]],
    cost: Callable[[Piece], float] | None = None,
    *,
    least: float = 0.0,
) -> list[Result]:
    """``work(items)``, with the second half of ``items`` worked in a forked child meanwhile.

    A month of 2,000 agents is classified person by person, in memory: with a second processor a
    forked child (which shares what this process has read, copy-on-write, and imports nothing)
    takes half of the people and sends back its results pickled. ``work`` must return one result
    per item, in order, and its results must be picklable. A child that fails (its error, its
    death, a result that cannot be read) has its half worked again here, where its error is
    raised as it would be without a child: the caller gets the same result, or the same error,
    as from ``work(items)``. Without :func:`allow_fork`, with one item, or with other threads
    running, it is ``work(items)``. ``cost``: each item's share of the work (default: alike), to
    halve the work rather than the items (a person whose days are already classified costs less);
    work that costs less than ``least`` in all is done here (a fork has its own cost: the
    copy-on-write of the heap that both processes touch, about 0.1 s at 2,000 agents). Jobs given
    to :func:`meanwhile` are done here first, while the child works, and this half is the smaller
    by their cost."""
    if not _fork_allowed or len(items) < 2 or not _one_thread():
        return work(items)
    costs = [1.0] * len(items) if cost is None else [cost(item) for item in items]
    if sum(costs) < least:
        return work(items)
    waiting = _waiting_jobs()  # done here first, while the child works: this half is smaller
    cut = _middle(costs, head=sum(later.seconds for later in waiting))
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return work(items)
    if pid == 0:  # the child: its half, pickled into the pipe, and out without any exit handler
        code = 1
        try:
            os.close(read)
            gc.disable()  # a short life: nothing to collect that its end does not free
            data = pickle.dumps(work(items[cut:]), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        for later in waiting:
            later.run()
        first = work(items[:cut])
    except BaseException:
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)
        finally:
            os.waitpid(pid, 0)
        raise
    with os.fdopen(read, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    second: list[Result] | None = None
    if status == 0:
        collecting = gc.isenabled()
        gc.disable()  # the collector would scan the heap a few times while the objects arrive: 4× slower
        try:
            second = pickle.loads(data)  # noqa: S301 - written by our own child a moment ago
        except Exception:  # noqa: BLE001 - worked again here
            second = None
        finally:
            if collecting:
                gc.enable()
    if second is None or len(second) != len(items) - cut:
        second = work(items[cut:])
    return first + second


def _middle(costs: Sequence[float], head: float = 0.0) -> int:
    """Where to cut the items so that both parts cost about the same (never an empty part), the
    first part after ``head`` of other work."""
    half, running = (sum(costs) - head) / 2, 0.0
    if half <= 0:
        return 1
    for index, value in enumerate(costs):
        running += value
        if running >= half:
            return min(index + 1, len(costs) - 1)
    return len(costs) - 1
