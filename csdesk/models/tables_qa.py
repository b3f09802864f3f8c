"""Quality-inspection tables (rules.md §10): the forms inspections were scored with, the
inspections with their answers, and the findings they raised.

A saved inspection names the copy of its form in ``qa_forms`` (one row per form code and
version, the form's definition as JSON) and keeps its exact score as a fraction's text
(``"200/3"``): a later change of the policy never changes it. Findings are edited (fed back,
re-checked), so they carry a ``version`` (csdesk.models.versioning).
"""


from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class QaFormRow(Base):
    """A form as inspections were scored with it: code, version and definition (JSON)."""

    __tablename__ = "qa_forms"
    __table_args__ = (UniqueConstraint("code", "form_version", name="uq_qa_forms_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    form_version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the definition
    definition: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class QaInspectionRow(Base):
    """One inspection: an agent's contact, inspected by one inspector on one day (interfaces.md)."""

    __tablename__ = "qa_inspections"
    __table_args__ = (
        UniqueConstraint("person_id", "contact", "inspector_id", "inspected_on", name="uq_qa_inspections_key"),
        Index("ix_qa_inspections_day", "inspected_on"),
        Index("ix_qa_inspections_contact", "contact"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    contact: Mapped[str] = mapped_column(String(120))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    inspected_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12))
    form_id: Mapped[int] = mapped_column(ForeignKey("qa_forms.id"))
    score: Mapped[str] = mapped_column(String(40))  # exact, as a fraction's text
    critical: Mapped[bool] = mapped_column(Boolean, default=False)  # zeroed by a critical question
    calibration: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class QaAnswerRow(Base):
    """One question's answer (yes, no, na or points) and the inspector's comment on it."""

    __tablename__ = "qa_answers"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("qa_inspections.id", ondelete="CASCADE"), primary_key=True)
    question: Mapped[str] = mapped_column(String(16), primary_key=True)
    answer: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")


class QaFindingRow(Base):
    """A failed item of an inspection: fed back to the agent and team lead, re-checked later;
    ``event_id`` is the spot-check deduction it became (rules.md §5, M13)."""

    __tablename__ = "qa_findings"
    __table_args__ = (
        UniqueConstraint("inspection_id", "question", name="uq_qa_findings_item"),
        Index("ix_qa_findings_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("qa_inspections.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    impact: Mapped[str] = mapped_column(String(12))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    fed_back_at: Mapped[datetime | None] = mapped_column(DateTime)
    fed_back_by: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(12))
    rechecked_on: Mapped[date | None] = mapped_column(Date)
    rechecked_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_events.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning
