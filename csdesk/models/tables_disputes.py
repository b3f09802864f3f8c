"""Agents' responses to their month's scorecard and to their quality inspections: acknowledged,
or disputed with a reason and arbitrated by the supervisor (issue 15, "Agents' own desk").

A response is never deleted: an agent who disputes after acknowledging, or again after an
arbitration, adds a row, and the latest row of the month (of the inspection) is where the agent
stands. Arbitration edits the dispute's row, so each table carries a ``version``
(csdesk.models.versioning).
"""


from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models import tables_qa  # noqa: F401 - declares qa_inspections, which inspection_responses refers to
from csdesk.models.base import Base


class ScorecardResponseRow(Base):
    """One agent's response to one month's scorecard, and the supervisor's decision on a dispute."""

    __tablename__ = "scorecard_responses"
    __table_args__ = (Index("ix_scorecard_responses_month", "month", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-10"
    kind: Mapped[str] = mapped_column(String(12))  # acknowledged / disputed
    reason: Mapped[str] = mapped_column(Text, default="")  # required for a dispute
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(12))  # upheld / changed, once arbitrated
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class InspectionResponseRow(Base):
    """One agent's response to one of their quality inspections, and the supervisor's decision
    on a dispute. The agent, the contact and the month are the inspection's (``qa_inspections``)."""

    __tablename__ = "inspection_responses"
    __table_args__ = (Index("ix_inspection_responses_inspection", "inspection_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("qa_inspections.id"))
    kind: Mapped[str] = mapped_column(String(12))  # acknowledged / disputed
    reason: Mapped[str] = mapped_column(Text, default="")  # required for a dispute, optional otherwise
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(12))  # upheld / changed, once arbitrated
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning
