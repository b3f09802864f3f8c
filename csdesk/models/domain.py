"""Frozen domain records that cross the models boundary (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    active: bool = True
    members: int = 0


@dataclass(frozen=True)
class Person:
    id: int
    employee_no: str
    name: str
    team: str | None
    role: str
    level: str | None = None
    join_date: date | None = None
    birthday: date | None = None
    gender: str | None = None
    phone: str | None = None
    active: bool = True


@dataclass(frozen=True)
class PersonData:
    """The editable fields of a person, as a form or an import row gives them."""

    employee_no: str
    name: str
    team: str | None
    role: str = "agent"
    level: str | None = None
    join_date: date | None = None
    birthday: date | None = None
    gender: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    person_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class RosterEntry:
    employee_no: str
    day: date
    shift_code: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str
    details: dict[str, Any] = field(default_factory=dict)
