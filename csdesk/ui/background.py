"""Run slow work off the GUI thread, with progress and cancel (after Anki's QueryOp)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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
) -> Job:
    """Start ``op(job)`` on the thread pool; ``op`` must not touch widgets."""
    job = Job()
    job.succeeded.connect(on_success)
    job.failed.connect(on_failure)
    if on_progress is not None:
        job.progressed.connect(on_progress)
    QThreadPool.globalInstance().start(_Runner(job, op))
    return job
