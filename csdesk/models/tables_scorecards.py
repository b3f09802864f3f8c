"""Scorecard tables: ratings, adjustments, exam scores, evaluation events and their corrections,
KPI inputs and the standings kept when a month is signed off (rules.md §5–§8).

Points and scores are stored as decimal text (``"27.5"``): the rules keep ratings exactly as
entered (see :mod:`csdesk.rules.scoring`), and SQLite has no exact decimal type. Months are
``"YYYY-MM"`` like ``month_locks.month``. Evaluation events are never deleted (a trigger in the
migration refuses it): they are corrected or voided with a reason, and every change leaves an
``evaluation_event_corrections`` row, which is append-only.
"""


from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class RatingRow(Base):
    """One rated criterion of the 80-point part for one agent and month."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("person_id", "month", "criterion", name="uq_rating_person_month_criterion"),
        Index("ix_ratings_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    criterion: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class AdjustmentRow(Base):
    """The trainer's discretionary adjustment (−5…+5) of one agent's month, with its reason."""

    __tablename__ = "rating_adjustments"
    __table_args__ = (
        UniqueConstraint("person_id", "month", name="uq_adjustment_person_month"),
        Index("ix_rating_adjustments_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    points: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class ExamRow(Base):
    """The monthly service exam score (0–100) of one agent (rules.md §7)."""

    __tablename__ = "exam_scores"
    __table_args__ = (
        UniqueConstraint("person_id", "month", name="uq_exam_person_month"),
        Index("ix_exam_scores_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    score: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class EvaluationEventRow(Base):
    """A bonus or deduction event (Appendix A) as recorded; ``source`` is manual or attendance.

    ``revision`` counts the corrections; a voided event stays, marked ``voided``.
    """

    __tablename__ = "evaluation_events"
    __table_args__ = (
        Index("ix_evaluation_events_day", "day"),
        Index("ix_evaluation_events_person_day", "person_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    day: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(8))
    points: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(12), default="manual")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class EventCorrectionRow(Base):
    """One change to an evaluation event: who, when, why, and the values before and after (JSON)."""

    __tablename__ = "evaluation_event_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("evaluation_events.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)


class KpiInputRow(Base):
    """A raw KPI (``kind`` kpi: satisfaction, complaint_rate, …) or a 360 score (``kind`` 360)."""

    __tablename__ = "kpi_inputs"
    __table_args__ = (
        UniqueConstraint("person_id", "month", "kind", "name", name="uq_kpi_person_month_kind_name"),
        Index("ix_kpi_inputs_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class StandingRow(Base):
    """An agent's signed-off month: total, grade and rank, written when the month is locked.

    Promotion (rules.md §8) and the last-place warning (§5) read these as the agent's history.
    """

    __tablename__ = "scorecard_standings"
    __table_args__ = (Index("ix_scorecard_standings_month", "month"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    total: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str] = mapped_column(String(2))
    rank: Mapped[int] = mapped_column(Integer)
    last_place: Mapped[bool] = mapped_column(Boolean, default=False)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    excellent: Mapped[bool] = mapped_column(Boolean, default=False)
