"""Handover tables (rules.md §4): entries, their authors, open items and the shifts they pass
through, penalties recorded from an entry, form drafts, and the daily work records.

``handover_entries.search_text`` holds ``rules.handover.search_key`` of every text of the
entry and of the items it lists, so a full-text search is one ``LIKE`` per word.
"""


from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class HandoverEntryRow(Base):
    """One shift change: the outgoing record and, once given, the takeover acknowledgement."""

    __tablename__ = "handover_entries"
    __table_args__ = (Index("ix_handover_entries_team_written", "team_id", "written_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    written_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    shift_code: Mapped[str] = mapped_column(String(8))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    written_by: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    desk_state: Mapped[str] = mapped_column(Text, default="")
    desk_messy: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    takeover_note: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class HandoverAuthorRow(Base):
    """The outgoing person(s) of an entry, in the order written."""

    __tablename__ = "handover_authors"
    __table_args__ = (Index("ix_handover_authors_person", "person_id"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("handover_entries.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class HandoverItemRow(Base):
    """An open item from the handover that opened it until it is closed with an outcome.

    ``pending``/``owner_id``/``due``/``priority`` are the latest state; each shift's own
    state is kept in :class:`HandoverPassageRow`.
    """

    __tablename__ = "handover_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    opened_in: Mapped[int] = mapped_column(ForeignKey("handover_entries.id"), index=True)
    subject: Mapped[str] = mapped_column(Text)
    pending: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    due: Mapped[datetime | None] = mapped_column(DateTime)
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    link_kind: Mapped[str | None] = mapped_column(String(12))
    link_ref: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_in: Mapped[int | None] = mapped_column(ForeignKey("handover_entries.id"))
    outcome: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class HandoverPassageRow(Base):
    """An item listed in an entry (opened or carried there), as that shift left it."""

    __tablename__ = "handover_entry_items"
    __table_args__ = (Index("ix_handover_entry_items_item", "item_id"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("handover_entries.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("handover_items.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    due: Mapped[datetime | None] = mapped_column(DateTime)
    priority: Mapped[str] = mapped_column(String(8), default="normal")


class HandoverPenaltyRow(Base):
    """An M04/M02 penalty (rules.md §4) recorded from an entry; one per entry, person and code."""

    __tablename__ = "handover_penalties"
    __table_args__ = (
        UniqueConstraint("entry_id", "person_id", "code", name="uq_handover_penalty"),
        Index("ix_handover_penalties_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("handover_entries.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    code: Mapped[str] = mapped_column(String(8))
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24))
    recorded_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)


class HandoverDraftRow(Base):
    """A form saved while it is typed (per user and form), so closing the app loses nothing."""

    __tablename__ = "handover_drafts"
    __table_args__ = (UniqueConstraint("username", "kind", name="uq_handover_draft"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class WorkRecordRow(Base):
    """The work record (工作日志) of one person for one day and shift."""

    __tablename__ = "work_records"
    __table_args__ = (
        UniqueConstraint("person_id", "day", "shift_code", name="uq_work_record"),
        Index("ix_work_records_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    shift_code: Mapped[str] = mapped_column(String(8))
    today_work: Mapped[str] = mapped_column(Text, default="")
    tomorrow_plan: Mapped[str] = mapped_column(Text, default="")
    calls_made: Mapped[int] = mapped_column(Integer, default=0)
    complaints_taken: Mapped[int] = mapped_column(Integer, default=0)
    callbacks_done: Mapped[int] = mapped_column(Integer, default=0)
    counts_from: Mapped[str] = mapped_column(String(12), default="typed")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
