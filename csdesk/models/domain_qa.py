"""Frozen records of the quality-inspection area that cross the models boundary (never ORM rows)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from csdesk.records import record
from csdesk.rules.qa import RESOLVED, round_half_up


@record
class StoredForm:
    """The copy of a form kept with the inspections scored with it (its definition as JSON)."""

    id: int
    code: str
    version: int
    digest: str
    definition: str


@record
class QaAnswer:
    """One question of a saved inspection: the answer as stored (yes, no, na or points)."""

    question: str
    answer: str
    comment: str = ""


@record
class NewInspection:
    """An inspection to store, already validated and scored by the service."""

    person_id: int
    contact: str
    inspected_on: date
    inspector_id: int
    mode: str
    form_id: int
    exact: Fraction
    critical: bool
    calibration: bool
    comment: str
    recorded_by: str
    recorded_at: datetime
    answers: tuple[QaAnswer, ...]


@record
class InspectionRecord:
    """A saved inspection with its agent, inspector and form named."""

    id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    contact: str
    inspected_on: date
    inspector_id: int
    inspector_no: str
    inspector_name: str
    mode: str
    form_id: int
    form_code: str
    form_version: int
    exact: Fraction
    critical: bool
    calibration: bool
    comment: str
    recorded_by: str
    recorded_at: datetime

    @property
    def score(self) -> Decimal:
        """The score as shown: rounded half up to one decimal."""
        return round_half_up(self.exact)


@record
class FindingRecord:
    """A finding with the inspection it came from; ``version`` is what a change must be based on."""

    id: int
    inspection_id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    contact: str
    inspected_on: date
    question: str
    kind: str
    impact: str
    deadline: date
    status: str
    fed_back_at: datetime | None
    fed_back_by: str | None
    outcome: str | None
    rechecked_on: date | None
    rechecked_by: str | None
    note: str
    event_id: int | None
    version: int

    @property
    def closed_on(self) -> date | None:
        """The day a re-check found it put right (None while it is open)."""
        return self.rechecked_on if self.outcome == RESOLVED else None
