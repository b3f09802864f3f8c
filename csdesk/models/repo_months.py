"""Month sign-off: locks, the results stored when a month is locked, and reopened locks.

A locked month is shown from ``month_results`` (written in the same transaction as its lock), so
its numbers never depend on when or by whom it is read, nor on a policy changed afterwards.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from csdesk.models.domain_scorecards import MonthLock, ReopenedLock
from csdesk.models.tables_attendance import MonthLockHistoryRow, MonthLockRow, MonthResultRow

CARD = "card"
ATTENDANCE = "attendance"
SIGNED = "signed"  # one row per signed revision (its audit details): a month with no agents still has results


def _lock(row: MonthLockRow) -> MonthLock:
    return MonthLock(row.month, row.locked_at, row.locked_by, row.policy_hash, row.revision or 1)


class MonthRepository:
    """Locks and stored results over one session (``uow.months``)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def lock(self, month: str) -> MonthLock | None:
        row = self._s.get(MonthLockRow, month)
        return _lock(row) if row else None

    def locks(self) -> list[MonthLock]:
        return [_lock(r) for r in self._s.scalars(select(MonthLockRow).order_by(MonthLockRow.month.desc()))]

    def locked_months(self) -> frozenset[str]:
        return frozenset(self._s.scalars(select(MonthLockRow.month)))

    def next_revision(self, month: str) -> int:
        """One more than any revision the month's results were ever stored under."""
        stored = self._s.scalar(select(func.max(MonthResultRow.revision)).where(MonthResultRow.month == month))
        reopened = self._s.scalar(select(func.max(MonthLockHistoryRow.revision)).where(MonthLockHistoryRow.month == month))
        return max(stored or 0, reopened or 0) + 1

    def add_lock(self, month: str, by: str, at: datetime, policy_hash: str, revision: int) -> MonthLock:
        row = MonthLockRow(month=month, locked_at=at, locked_by=by, policy_hash=policy_hash, revision=revision)
        self._s.add(row)
        self._s.flush()
        return _lock(row)

    def reopen(self, lock: MonthLock, by: str, at: datetime, reason: str) -> None:
        """Remove the lock and keep it in the history (its stored results stay)."""
        self._s.add(MonthLockHistoryRow(
            month=lock.month, revision=lock.revision, locked_at=lock.locked_at, locked_by=lock.locked_by,
            policy_hash=lock.policy_hash, reopened_at=at, reopened_by=by, reason=reason,
        ))  # fmt: skip
        self._s.execute(delete(MonthLockRow).where(MonthLockRow.month == lock.month))

    def history(self, month: str) -> list[ReopenedLock]:
        rows = self._s.scalars(select(MonthLockHistoryRow).where(MonthLockHistoryRow.month == month).order_by(MonthLockHistoryRow.id))
        return [
            ReopenedLock(r.month, r.revision, r.locked_at, r.locked_by, r.policy_hash, r.reopened_at, r.reopened_by, r.reason)
            for r in rows
        ]

    # --- stored results ---------------------------------------------------------------------

    def store_results(self, month: str, revision: int, kind: str, rows: Iterable[tuple[str, str | None, str]]) -> int:
        """Store ``(subject, team, payload)`` rows of one kind; returns how many."""
        values = [
            {"month": month, "revision": revision, "kind": kind, "subject": subject, "team": team, "payload": payload}
            for subject, team, payload in rows
        ]
        if values:
            self._s.execute(insert(MonthResultRow), values)
        return len(values)

    def results(
        self, month: str, revision: int, kind: str, *, team: str | None = None, subjects: Collection[str] | None = None
    ) -> list[str]:
        """The stored payloads of one kind, by subject."""
        stmt = select(MonthResultRow.payload).where(
            MonthResultRow.month == month, MonthResultRow.revision == revision, MonthResultRow.kind == kind
        )
        if team is not None:
            stmt = stmt.where(MonthResultRow.team == team)
        if subjects is not None:
            stmt = stmt.where(MonthResultRow.subject.in_(list(subjects)))
        return list(self._s.scalars(stmt.order_by(MonthResultRow.subject)))

    def has_results(self, month: str, revision: int) -> bool:
        return self._s.scalar(
            select(MonthResultRow.id).where(MonthResultRow.month == month, MonthResultRow.revision == revision).limit(1)
        ) is not None

    def locks_without_results(self) -> list[MonthLock]:
        """Locks made before results were stored with them (databases from before migration 0011:
        no policy hash either). A lock with a hash always stored its results in its own transaction."""
        signed = select(MonthResultRow.id).where(
            MonthResultRow.month == MonthLockRow.month, MonthResultRow.revision == MonthLockRow.revision
        )
        stmt = select(MonthLockRow).where(MonthLockRow.policy_hash.is_(None), ~signed.exists()).order_by(MonthLockRow.month)
        return [_lock(r) for r in self._s.scalars(stmt)]

    def set_policy_hash(self, month: str, policy_hash: str) -> None:
        row = self._s.get(MonthLockRow, month)
        if row is not None:
            row.policy_hash = policy_hash
