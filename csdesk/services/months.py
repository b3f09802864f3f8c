"""Month sign-off: lock a month after review, reopen it with a reason (audited).

A locked month rejects changes to ratings, exams, adjustments and evaluation events with
:class:`~csdesk.errors.LockedMonth` until it is reopened. The lock lives in ``month_locks``
(tables_attendance), so the attendance area can honour the same sign-off through
:func:`check_open` inside its own unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from csdesk.errors import LockedMonth, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_scorecards import MonthLock
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.services.base import Actor, Service, require
from csdesk.services.imports.reader import parse_month

LOCK_PERMISSION = "scorecards.lock"
MonthHook = Callable[[UnitOfWork, str, Actor], None]


def month_key(value: str | date) -> str:
    """``"2026-10"`` from a date or from text such as ``2026-10``, ``2026/10`` or ``2026年10月``."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    year, month = parse_month(value, "month")
    return f"{year:04d}-{month:02d}"


def month_first(value: str | date) -> date:
    """The first day of the month ``value`` names."""
    key = month_key(value)
    return date(int(key[:4]), int(key[5:]), 1)


LOCKED_MONTH_MESSAGE = N_("The month {month} is locked (signed off by {user}); reopen it with a reason before changing it.")


def check_open(uow: UnitOfWork, month: str | date) -> None:
    """Raise LockedMonth when ``month`` is signed off (call inside the writing unit of work)."""
    key = month_key(month)
    lock = ScorecardRepository(uow.session).lock(key)
    if lock is not None:
        raise LockedMonth(
            LOCKED_MONTH_MESSAGE,
            month=key,
            user=lock.locked_by,
        )


class MonthService(Service):
    """Lock and reopen months; ``on_lock``/``on_reopen`` hooks run inside the same unit of work."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.on_lock: list[MonthHook] = []
        self.on_reopen: list[MonthHook] = []
        self.before_lock: list[Callable[[date], None]] = []

    def is_locked(self, month: str | date) -> bool:
        with self._uow() as uow:
            return ScorecardRepository(uow.session).lock(month_key(month)) is not None

    def lock_info(self, month: str | date) -> MonthLock | None:
        with self._uow() as uow:
            return ScorecardRepository(uow.session).lock(month_key(month))

    def locks(self) -> list[MonthLock]:
        with self._uow() as uow:
            return ScorecardRepository(uow.session).locks()

    def lock(self, actor: Actor, month: str | date) -> MonthLock:
        """Sign the month off: later edits are refused until it is reopened."""
        require(actor, LOCK_PERMISSION)
        key = month_key(month)
        for prepare in self.before_lock:  # e.g. attendance brings its M01/S01 events up to date
            prepare(month_first(key))
        with self._uow() as uow:
            repo = ScorecardRepository(uow.session)
            if repo.lock(key) is not None:
                raise ValidationError(N_("The month {month} is already locked."), field="month", month=key)
            repo.add_lock(key, actor.username, self.now())
            for hook in self.on_lock:
                hook(uow, key, actor)
            self.audit(uow, actor, "month.lock", "month", key)
            uow.commit()
            lock = repo.lock(key)
        assert lock is not None
        return lock

    def reopen(self, actor: Actor, month: str | date, reason: str) -> None:
        """Reopen a signed-off month; the reason is mandatory and goes to the audit log."""
        require(actor, LOCK_PERMISSION)
        key = month_key(month)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(N_("A reason is required to reopen a month."), field="reason")
        with self._uow() as uow:
            repo = ScorecardRepository(uow.session)
            lock = repo.lock(key)
            if lock is None:
                raise ValidationError(N_("The month {month} is not locked."), field="month", month=key)
            repo.remove_lock(key)
            for hook in self.on_reopen:
                hook(uow, key, actor)
            self.audit(
                uow, actor, "month.reopen", "month", key,
                reason=reason, locked_by=lock.locked_by, locked_at=lock.locked_at.isoformat(),
            )  # fmt: skip
            uow.commit()
