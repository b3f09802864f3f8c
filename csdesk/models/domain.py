"""Frozen domain records that cross the models boundary (never ORM rows)."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from typing import Any

from csdesk.records import record


@record
class Team:
    id: int
    name: str
    active: bool = True
    members: int = 0


@record
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
    version: int = 1  # csdesk.models.versioning: what a change must be based on
    device_id: str | None = None  # the punch clock's enrol number or the attendance app's user id


@record
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
    device_id: str | None = None  # the punch clock's enrol number or the attendance app's user id


@record
class LevelChange:
    """One entry of a person's level history: ``level`` applies from ``effective`` on."""

    level: str
    effective: date
    recorded_by: str
    note: str
    created_at: datetime


@record
class LevelTimeline:
    """A person's level history (oldest first) and when the current level started.

    ``since`` is None when no change to the current level is recorded (people entered before
    csdesk kept the history, or whose level was never set)."""

    employee_no: str
    level: str | None
    since: date | None
    changes: tuple[LevelChange, ...]


@record
class User:
    id: int
    username: str
    role: str
    person_id: int | None = None
    active: bool = True


@record
class UserAccount:
    """One sign-in account as the Users list shows it: the linked person and the last sign-in
    (from the audit log; None when the account never signed in)."""

    id: int
    username: str
    role: str
    active: bool
    employee_no: str | None = None
    person_name: str | None = None
    last_sign_in: datetime | None = None


@record
class RosterEntry:
    employee_no: str
    day: date
    shift_code: str


@record
class AuditEntry:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str
    details: dict[str, Any] = field(default_factory=dict)
