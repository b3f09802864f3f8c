"""Frozen records of the attendance area: what crosses the models boundary (never ORM rows).

Services read these by field name. Two shapes are positional or packed by contract instead,
because they are the hot path of a month's classification (2,000 agents: ~60,000 roster cells
and ~80,000 punches):

* :data:`ShiftCell` is a plain tuple: building a named tuple per row measured +20-30 % on those
  reads (roster 38 → 45-50 ms for one October of 2,000 agents); unpack it in the documented order.
* A month's roster and punches come one text per person (:data:`PackedShifts`,
  :data:`PackedPunches`), grouped by SQLite itself: the reading process makes 2,000 strings, not
  150,000 tuples of dates and times, and each person's text is opened (:func:`unpack_shifts`,
  :func:`unpack_punches`) where their days are classified: for half of the department, in the
  forked child (:func:`csdesk.services.fanout.halves`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple, TypeAlias

from csdesk.records import record

# (person_id, day, shift_code): one roster cell. Positional by contract (see the module docstring).
ShiftCell: TypeAlias = tuple[int, date, str]
# One person's roster cells: each the day's ISO date (10 characters) followed by its shift code,
# joined by SHIFT_SEPARATOR (a control character no shift code holds).
PackedShifts: TypeAlias = str
# One person's punch times, in ISO form, joined by PUNCH_SEPARATOR, in no particular order.
PackedPunches: TypeAlias = str
SHIFT_SEPARATOR = "\x1e"
PUNCH_SEPARATOR = ","
_DAY_LENGTH = len("YYYY-MM-DD")


def pack_shifts(cells: Iterable[tuple[date, str]]) -> PackedShifts:
    """The text :func:`unpack_shifts` opens, for ``(day, shift code)`` pairs."""
    return SHIFT_SEPARATOR.join(f"{day.isoformat()}{code}" for day, code in cells)


def unpack_shifts(packed: PackedShifts) -> dict[date, str]:
    """day → shift code, from :func:`pack_shifts`' text (or SQLite's grouping of the same)."""
    if not packed:
        return {}
    parse = date.fromisoformat
    return {parse(cell[:_DAY_LENGTH]): cell[_DAY_LENGTH:] for cell in packed.split(SHIFT_SEPARATOR)}


def pack_punches(times: Iterable[datetime]) -> PackedPunches:
    """The text :func:`unpack_punches` opens."""
    return PUNCH_SEPARATOR.join(at.isoformat(" ") for at in times)


def unpack_punches(packed: PackedPunches) -> list[datetime]:
    """The punch times of :func:`pack_punches`' text (or SQLite's grouping of the stored ones)."""
    if not packed:
        return []
    return list(map(datetime.fromisoformat, packed.split(PUNCH_SEPARATOR)))


@record
class AttendancePerson:
    """An active person the month is computed for (rostered, or with the agent role)."""

    id: int
    employee_no: str
    name: str
    team: str | None
    level: str | None
    role: str


@record
class LeaveRecord:
    """A stored leave request with the person facts its entitlement depends on (rules.md §3)."""

    id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    leave_type: str
    start: date
    end: date
    hours: float | None
    status: str  # pending / approved / rejected
    reason: str
    certificate: bool
    cancelled_on_return: bool  # 销假
    created_at: datetime
    created_by: str
    decided_by: str | None
    decided_at: datetime | None
    # What sets a marriage or maternity entitlement.
    event_date: date | None
    remarriage: bool
    difficult_birth: bool
    babies: int
    # The person's facts (marriage entitlement).
    gender: str | None
    birthday: date | None
    join_date: date | None
    version: int = 1  # csdesk.models.versioning: what a decision must be based on
    # The 销假: when it was recorded and by whom (a sign-in name); None before it, and for leave
    # imported as already cancelled (the file does not say when).
    returned_at: datetime | None = None
    returned_by: str | None = None


class LeaveSpan(NamedTuple):
    """The days of one approved leave (the yearly cap); a named tuple, so it also unpacks."""

    person_id: int
    start: date
    end: date
    hours: float | None


@record
class CorrectionRecord:
    """A stored missed-punch correction (漏打卡) and its decision."""

    id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    day: date
    at: datetime
    reason: str
    status: str
    requested_on: date
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    version: int = 1  # csdesk.models.versioning


@record
class SwapRecord:
    """A stored shift swap (调班): who gives the shift, the colleague who takes it, the decision."""

    id: int
    person_id: int
    employee_no: str
    name: str
    colleague_id: int
    colleague_no: str
    colleague_name: str
    day: date
    status: str
    reason: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    version: int = 1  # csdesk.models.versioning


class DayMark(NamedTuple):
    """A fact about one person's day that punches cannot show (e.g. ``UNARRANGED_SWAP``)."""

    person_id: int
    day: date
