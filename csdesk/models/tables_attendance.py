"""Attendance tables: punches, missed-punch corrections, leave requests, swaps, month locks."""


from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class PunchRow(Base):
    """One punch-clock record; (person, time) is unique so re-imports change nothing."""

    __tablename__ = "punches"
    __table_args__ = (UniqueConstraint("person_id", "at", name="uq_punch_person_at"), Index("ix_punches_at_person", "at", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    device: Mapped[str | None] = mapped_column(String(40))


class PunchCorrectionRow(Base):
    """A missed-punch correction (漏打卡): the missing time, why, and its approval."""

    __tablename__ = "punch_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class LeaveRow(Base):
    """A leave request with its approval state (rules.md §3)."""

    __tablename__ = "leave_requests"
    __table_args__ = (Index("ix_leave_person_start", "person_id", "start_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    leave_type: Mapped[str] = mapped_column(String(20))
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)
    hours: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_on_return: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What sets a marriage or maternity entitlement (rules.md §3).
    event_date: Mapped[date | None] = mapped_column(Date)  # the marriage or the birth
    remarriage: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    difficult_birth: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    babies: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning
    # The 销假 (cancelled_on_return): when it was recorded and by whom (a sign-in name); the leave
    # form prints them (revision 0017 filled them in from the audit log for the older ones).
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_by: Mapped[str | None] = mapped_column(String(64))


class SwapRow(Base):
    """A shift swap (调班): who gives the shift, the named colleague who takes it, approval."""

    __tablename__ = "shift_swaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    colleague_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class MonthLockRow(Base):
    """A signed-off month ("YYYY-MM"); a locked month rejects changes until reopened."""

    __tablename__ = "month_locks"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    locked_at: Mapped[datetime] = mapped_column(DateTime)
    locked_by: Mapped[str] = mapped_column(String(64))
    policy_hash: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class MonthResultRow(Base):
    """What a locked month shows, stored when it was locked (``payload``: snapshot_codec JSON).

    ``kind`` is ``card`` (an agent's scorecard with every counted line) or ``attendance`` (a
    person's attendance month); ``subject`` is the employee number. Rows of earlier revisions
    stay after a reopen: they are the history of what was signed.
    """

    __tablename__ = "month_results"
    __table_args__ = (
        UniqueConstraint("month", "revision", "kind", "subject", name="uq_month_results"),
        Index("ix_month_results_month_kind", "month", "revision", "kind", "team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    subject: Mapped[str] = mapped_column(String(40))
    team: Mapped[str | None] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)


class MonthLockHistoryRow(Base):
    """A lock that was reopened: who signed it, who reopened it, when and why."""

    __tablename__ = "month_lock_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    locked_at: Mapped[datetime] = mapped_column(DateTime)
    locked_by: Mapped[str] = mapped_column(String(64))
    policy_hash: Mapped[str | None] = mapped_column(String(64))
    reopened_at: Mapped[datetime] = mapped_column(DateTime)
    reopened_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class AttendanceMarkRow(Base):
    """A fact about one person's day that punches cannot show, e.g. ``UNARRANGED_SWAP``."""

    __tablename__ = "attendance_marks"
    __table_args__ = (UniqueConstraint("person_id", "day", "code", name="uq_attendance_mark"), Index("ix_attendance_marks_day", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
