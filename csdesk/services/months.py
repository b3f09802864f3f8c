"""Month sign-off: lock a month after review, reopen it with a reason (audited).

A locked month rejects changes to ratings, exams, adjustments and evaluation events with
:class:`~csdesk.errors.LockedMonth` until it is reopened. The lock lives in ``month_locks``
(tables_attendance), so the attendance area can honour the same sign-off through
:func:`check_open` inside its own unit of work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from csdesk.errors import LockedMonth, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_scorecards import MonthLock, ReopenedLock
from csdesk.models.repo_months import SIGNED
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.services.base import Actor, Service, require
from csdesk.services.imports.reader import parse_month
from csdesk.services.scorecard_compute import month_end

LOCK_PERMISSION = "scorecards.lock"


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


LOCKED_ROW_MESSAGE = N_("The month {month} is locked (signed off); reopen it with a reason before changing it.")


def months_between(start: date, end: date) -> list[str]:
    """The month keys from ``start``'s month to ``end``'s, inclusive."""
    keys, first = [], start.replace(day=1)
    while first <= end:
        keys.append(month_key(first))
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return keys


def locked_row(locked: Collection[str], field: str, *days: date) -> ValidationError | None:
    """The bad-row error of an import row dated in a locked month (None when all are open)."""
    key = first_locked(locked, *days)
    return ValidationError(LOCKED_ROW_MESSAGE, field=field, month=key) if key else None


def first_locked(locked: Collection[str], *days: date) -> str | None:
    """The earliest locked month from the month of the first of ``days`` to that of the last (both
    included), or None. For a change that moves a date: every month between the old and the new
    date is touched by it (``date.min`` stands for "since ever")."""
    low, high = month_key(min(days)), month_key(max(days))
    return min((key for key in locked if low <= key <= high), default=None)


def check_open(uow: UnitOfWork, month: str | date) -> None:
    """Raise LockedMonth when ``month`` is signed off (call inside the writing unit of work)."""
    key = month_key(month)
    lock = uow.months.lock(key)
    if lock is not None:
        raise LockedMonth(
            LOCKED_MONTH_MESSAGE,
            month=key,
            user=lock.locked_by,
        )


def policy_hash(policy: Policy) -> str:
    """A fingerprint of the rulebook's numbers (SHA-256 of its canonical JSON), stored with a lock."""

    def plain(value: Any) -> Any:
        if isinstance(value, frozenset | set):
            return sorted(value, key=repr)
        return str(value)

    data = dataclasses.asdict(policy)
    data.pop("source", None)
    text = json.dumps(data, sort_keys=True, default=plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: ``hook(uow, lock, actor)`` inside the lock's (or reopen's) transaction; a lock hook may return
#: details for the audit entry.
MonthHook = Callable[[UnitOfWork, MonthLock, Actor], "dict[str, Any] | None"]


@record
class LockResult:
    lock: MonthLock
    details: dict[str, Any]


class MonthService(Service):
    """Lock and reopen months.

    Locking is one transaction: the lock row is written first (on SQLite that takes the write
    lock, so no other writer can change a fact until it commits), then every ``on_lock`` hook
    computes its area's results and stores them, then the audit entry, then the commit. A crash
    at any instant leaves the month wholly open or wholly locked with its results. Reopening
    keeps the lock and its results in the history.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.on_lock: list[MonthHook] = []
        self.on_reopen: list[MonthHook] = []

    def is_locked(self, month: str | date) -> bool:
        with self._uow() as uow:
            return uow.months.lock(month_key(month)) is not None

    def lock_info(self, month: str | date) -> MonthLock | None:
        with self._uow() as uow:
            return uow.months.lock(month_key(month))

    def locks(self) -> list[MonthLock]:
        with self._uow() as uow:
            return uow.months.locks()

    def history(self, month: str | date) -> list[ReopenedLock]:
        """Every earlier sign-off of the month that was reopened, oldest first."""
        with self._uow() as uow:
            return uow.months.history(month_key(month))

    def lock(self, actor: Actor, month: str | date) -> MonthLock:
        return self.lock_month(actor, month).lock

    def lock_month(self, actor: Actor, month: str | date) -> LockResult:
        """Sign the month off: its results are stored and later edits are refused until it is reopened.
        The result's details name the unrated agents (``not_rated``), those whose dispute of the
        month is still open (``open_disputes``) and the month's inspections whose dispute is
        (``open_inspection_disputes``, "A001:12"): the callers warn of each."""
        require(actor, LOCK_PERMISSION)
        key = month_key(month)
        with self._uow() as uow:
            if uow.months.lock(key) is not None:
                raise ValidationError(N_("The month {month} is already locked."), field="month", month=key)
            lock = uow.months.add_lock(key, actor.username, self.now(), policy_hash(self.policy), uow.months.next_revision(key))
            details = self._store_results(uow, lock, actor)
            # Agents still waiting for an arbitration are named: the sign-off warns of them.
            disputed = sorted({d.employee_no for d in uow.disputes.of_month(key, open_only=True)})
            if disputed:
                details["open_disputes"] = disputed
            first = month_first(key)
            inspections = uow.disputes.of_inspections(first, month_end(first), open_only=True)
            if inspections:
                details["open_inspection_disputes"] = [f"{d.employee_no}:{d.inspection_id}" for d in inspections]
            self.audit(uow, actor, "month.lock", "month", key, revision=lock.revision, policy_hash=lock.policy_hash, **details)
            uow.commit()
        return LockResult(lock, details)

    def _store_results(self, uow: UnitOfWork, lock: MonthLock, actor: Actor) -> dict[str, Any]:
        details: dict[str, Any] = {}
        for hook in self.on_lock:
            details.update(hook(uow, lock, actor) or {})
        uow.months.store_results(lock.month, lock.revision, SIGNED, [("-", None, json.dumps(details, sort_keys=True))])
        return details

    def store_missing_results(self, actor: Actor) -> list[str]:
        """Months locked before their results were stored with the lock (older databases) get them
        now, computed once under the policy in force, audited; returns those months.

        Called when the database is opened: a one-time upgrade step, like a migration."""
        done = []
        with self._uow() as uow:
            missing = [lock.month for lock in uow.months.locks_without_results()]
        for key in missing:
            with self._uow() as uow:
                lock = uow.months.lock(key)
                if lock is None or uow.months.has_results(key, lock.revision):
                    continue
                uow.months.set_policy_hash(key, policy_hash(self.policy))
                lock = uow.months.lock(key)
                assert lock is not None
                details = self._store_results(uow, lock, actor)
                self.audit(uow, actor, "month.results_stored", "month", key, revision=lock.revision, policy_hash=lock.policy_hash, **details)
                uow.commit()
            done.append(key)
        return done

    def reopen(self, actor: Actor, month: str | date, reason: str) -> None:
        """Reopen a signed-off month; the reason is mandatory and goes to the audit log."""
        require(actor, LOCK_PERMISSION)
        key = month_key(month)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(N_("A reason is required to reopen a month."), field="reason")
        with self._uow() as uow:
            lock = uow.months.lock(key)
            if lock is None:
                raise ValidationError(N_("The month {month} is not locked."), field="month", month=key)
            uow.months.reopen(lock, actor.username, self.now(), reason)
            for hook in self.on_reopen:
                hook(uow, lock, actor)
            self.audit(
                uow, actor, "month.reopen", "month", key,
                reason=reason, locked_by=lock.locked_by, locked_at=lock.locked_at.isoformat(), revision=lock.revision,
            )  # fmt: skip
            uow.commit()
