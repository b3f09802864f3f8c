"""SQLAlchemy 2 typed tables of the foundation; each area keeps its own ``tables_<area>.py``.

ORM classes never leave :mod:`csdesk.models`. Importing this module registers the tables of
the areas most commands read on ``Base.metadata``; :func:`register_all_tables` registers every
area's (see the end of the file).

The annotations are evaluated as written, here and in the ``tables_<area>.py`` modules (no
``from __future__ import annotations``): as strings, SQLAlchemy evaluated each ``Mapped[...]``
again, 12 ms of every command's start.
"""


from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from csdesk.models.base import Base

__all__ = ["Base"]


class TeamRow(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="agent")
    level: Mapped[str | None] = mapped_column(String(20))
    join_date: Mapped[date | None] = mapped_column(Date)
    birthday: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(40))
    # The enrol number on the punch clock, or the attendance app's user id (issue #13): unique when set.
    device_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning

    team: Mapped[TeamRow | None] = relationship(foreign_keys=[team_id], lazy="joined")


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RosterRow(Base):
    __tablename__ = "roster"
    __table_args__ = (UniqueConstraint("person_id", "day", name="uq_roster_person_day"), Index("ix_roster_day_person_shift", "day", "person_id", "shift_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    shift_code: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class AuditRow(Base):
    """Append-only and hash-chained: triggers refuse UPDATE, DELETE and rewriting INSERTs
    (csdesk.models.audit_triggers); each entry stores the hash of the one before it."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)  # the last change of a record

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text, default="{}")
    # Filled by AuditRepository.add (NULL only in the trigger's eyes: an insert without them is refused).
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class SettingRow(Base):
    """Site-wide settings kept with the data (company name, ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)



# The areas whose tables most commands read: people, their attendance months, the scorecards and
# the handover log's penalties (which scorecards count). They are declared with this module. The
# others (callbacks, QA, disputes: 12 of the 41 mapped classes) are declared by their repository's
# import, when a command first uses them: declaring and configuring them took 45-55 ms of every
# command-line start that never touched them. No table of the eager areas refers to theirs.
EAGER_AREAS = ("people", "attendance", "scorecards", "handover")


def _register_tables(areas: tuple[str, ...] | None) -> None:
    import importlib
    import pkgutil
    from pathlib import Path

    for info in pkgutil.iter_modules([str(Path(__file__).resolve().parent)]):
        if info.name.startswith("tables_") and (areas is None or info.name.removeprefix("tables_") in areas):
            importlib.import_module(f"csdesk.models.{info.name}")


def register_all_tables() -> None:
    """Declare every area's tables, so that ``Base.metadata`` is the whole schema (what the
    migrations are compared with)."""
    _register_tables(None)


_register_tables(EAGER_AREAS)
