"""Letting go of a shown month a few objects at a time, between turns of the event loop.

Freeing is one C call that holds the GIL until the last object is gone. When a page drops the
last reference to the month it showed (2,000 agents' cards, some 60,000 objects), that call ran
on the GUI thread for 30-40 ms, between two turns of the event loop: the page froze for as long.
A page hands the old month to :func:`let_go_later` before it drops its own references; each turn
of the event loop then frees a few cards, well under a millisecond, until none is left (the
same idea as :func:`csdesk.models.db.release` for a unit of work's memo, on the GUI thread).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer

#: Objects freed per turn of the event loop: a card and what it holds take some 15-20 µs.
PER_TURN = 100


class _LetGo(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._held: deque[object] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(0)  # at each turn of the event loop, after the events waiting
        self._timer.timeout.connect(self._drop_some)

    def later(self, objects: Iterable[object]) -> None:
        self._held.extend(objects)
        if self._held and not self._timer.isActive():
            self._timer.start()

    def _drop_some(self) -> None:
        held = self._held
        for _ in range(min(PER_TURN, len(held))):
            held.popleft()
        if not held:
            self._timer.stop()

    @property
    def waiting(self) -> int:
        return len(self._held)


_instance: _LetGo | None = None


def _let_go() -> _LetGo:
    global _instance
    if _instance is None:
        _instance = _LetGo()
    return _instance


def let_go_later(objects: Iterable[object]) -> None:
    """Keep ``objects`` and free them a few per turn of the event loop (GUI thread only)."""
    _let_go().later(objects)


def still_held() -> int:
    """How many objects wait to be let go (tests)."""
    return 0 if _instance is None else _instance.waiting
