"""Keep a form's text while it is typed: saved a short moment after each change, and at once
when the form is hidden or the application quits (issue #6: nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from csdesk.errors import CsdeskError

# Short enough that closing the window right after typing loses nothing, long enough
# not to write on every key press.
DRAFT_DELAY_MS = 400


class DraftKeeper(QObject):
    """Debounces ``save(snapshot())``; ``paused()`` while the form is filled by code."""

    def __init__(self, snapshot: Callable[[], dict[str, Any]], save: Callable[[dict[str, Any]], None],
                 on_error: Callable[[CsdeskError], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._save = save
        self._on_error = on_error
        self._dirty = False
        self._pause = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.flush)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def schedule(self) -> None:
        if self._pause:
            return
        self._dirty = True
        self.timer.start()

    def flush(self) -> None:
        """Save now if anything changed since the last save."""
        self.timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        try:
            self._save(self._snapshot())
        except CsdeskError as exc:
            self._dirty = True
            self._on_error(exc)

    def forget(self) -> None:
        """The form was saved or discarded: nothing is pending any more."""
        self.timer.stop()
        self._dirty = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        self._pause += 1
        try:
            yield
        finally:
            self._pause -= 1
