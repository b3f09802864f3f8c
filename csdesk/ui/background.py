"""Run slow work off the GUI thread, with progress and cancel (after Anki's QueryOp)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from csdesk.errors import CsdeskError


class Job(QObject):
    """A handle on one background operation; signals arrive on the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> bool:
        """The ``progress`` callback handed to services: emits and says whether to go on."""
        self.progressed.emit(done, total)
        return not self._cancel.is_set()


# A job while its last signal is delivered: a caller may drop its handle inside the slot of
# ``succeeded`` or ``failed`` (``self._job = None``), and a QObject deleted while it is still
# emitting takes the process down. Held from the start of that delivery (the first slot) until
# the next turn of the event loop; a job whose owner is gone before it ends is still collected.
_ALIVE: set[Job] = set()


def _kept_alive(job: Job) -> Job:
    """``job`` with its first slots holding it through its last signal (connect the caller's after)."""
    ref = weakref.ref(job)

    def hold(_result: object) -> None:
        held = ref()
        if held is not None:
            _ALIVE.add(held)
            QTimer.singleShot(0, lambda: _ALIVE.discard(held))

    job.succeeded.connect(hold)
    job.failed.connect(hold)
    return job


class _Runner(QRunnable):
    def __init__(self, job: Job, op: Callable[[Job], Any]) -> None:
        super().__init__()
        self._job = job
        self._op = op

    def run(self) -> None:
        try:
            result = self._op(self._job)
        except CsdeskError as exc:
            self._job.failed.emit(exc)
            return
        except BaseException as exc:  # a bug: hand it to the GUI thread, which re-raises it
            self._job.failed.emit(exc)
            return
        self._job.succeeded.emit(result)


def run_in_background(
    op: Callable[[Job], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
    *,
    pool: QThreadPool | None = None,
) -> Job:
    """Start ``op(job)`` on ``pool`` (default: the global thread pool); ``op`` must not touch widgets."""
    job = _kept_alive(Job())
    job.succeeded.connect(on_success)
    job.failed.connect(on_failure)
    if on_progress is not None:
        job.progressed.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(_Runner(job, op))
    return job


# --- jobs in a child process ------------------------------------------------------------


def _child(call: Any, queue: Any, cancel: Any) -> None:
    """Entry point of the child process: report progress, then the result or the error."""
    from csdesk.errors import CsdeskError
    from csdesk.services.jobs import run_service_call

    def progress(done: int, total: int) -> bool:
        queue.put(("progress", done, total))
        return not cancel.is_set()

    try:
        queue.put(("ok", run_service_call(call, progress)))
    except CsdeskError as exc:
        queue.put(("known", exc.msgid, exc.params))
    except BaseException as exc:  # a bug in the child: carry its text back
        queue.put(("bug", f"{type(exc).__name__}: {exc}"))


REAP_DEADLINE_MS = 10_000  # how long a child that has answered may take to exit
_CHILDREN: set[ProcessJob] = set()  # the jobs whose child process has not been joined yet


class ProcessJob(Job):
    """Like :class:`Job`, for work in a child process; a timer polls its messages."""

    POLL_MS = 40

    def __init__(self, call: Any) -> None:
        super().__init__()
        import multiprocessing

        mp = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
        self._queue = mp.Queue()
        self._cancel_event = mp.Event()
        self._process = mp.Process(target=_child, args=(call, self._queue, self._cancel_event), daemon=True)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._poll)
        self._reaping = 0

    def start(self) -> None:
        # Held until its child is joined: a job its owner drops (a wizard cancelling its dry run)
        # would take the child's queue and event with it while the child still starts, and the
        # child would die on them with a traceback.
        _CHILDREN.add(self)
        self._process.start()
        self._timer.start(self.POLL_MS)

    def cancel(self) -> None:
        super().cancel()
        self._cancel_event.set()

    def _poll(self) -> None:
        import queue as queue_module

        from csdesk.errors import CsdeskError

        while True:
            try:
                message = self._queue.get_nowait()
            except queue_module.Empty:
                break
            kind = message[0]
            if kind == "progress":
                self.progressed.emit(message[1], message[2])
                continue
            self._timer.stop()
            if kind == "ok":
                self.succeeded.emit(message[1])
            elif kind == "known":
                self.failed.emit(CsdeskError(message[1], **message[2]))
            else:
                self.failed.emit(RuntimeError(message[1]))
            self._reap()
            return
        if not self._process.is_alive() and self._queue.empty():
            self._timer.stop()
            self.failed.emit(RuntimeError(f"the worker process ended with code {self._process.exitcode}"))
            self._reap()


    def _reap(self) -> None:
        """Join the child once it has exited. It answers before its interpreter shuts down, which
        can take 100 ms and more with a big heap: waiting for that would stall the GUI thread."""
        if self._process.is_alive():
            self._reaping += 1
            if self._reaping * self.POLL_MS > REAP_DEADLINE_MS:  # answered but hangs on exit
                self._process.terminate()
            QTimer.singleShot(self.POLL_MS, self._reap)
            return
        self._process.join()
        QTimer.singleShot(0, lambda: _CHILDREN.discard(self))  # after the last signal is delivered


def run_in_process(
    call: Any,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> ProcessJob:
    """Run ``csdesk.services.jobs.run_service_call(call, progress)`` in a child process."""
    job = _kept_alive(ProcessJob(call))
    job.succeeded.connect(on_success)
    job.failed.connect(on_failure)
    if on_progress is not None:
        job.progressed.connect(on_progress)
    job.start()
    return job
