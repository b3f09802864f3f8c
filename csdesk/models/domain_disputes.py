"""Frozen records of agents' responses to their month's scorecard and to their quality
inspections (never ORM rows)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from csdesk.records import record

ACKNOWLEDGED = "acknowledged"
DISPUTED = "disputed"

UPHELD = "upheld"  # the scorecard (the inspection) stands as it is
CHANGED = "changed"  # the scorecard (the inspection) is (or will be) corrected
OUTCOMES = (UPHELD, CHANGED)


@record
class ScorecardResponse:
    """An agent's acknowledgement or dispute of one month's scorecard, with the supervisor's
    decision on a dispute; ``version`` is what an arbitration must be based on."""

    id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    month: str
    kind: str
    reason: str
    created_at: datetime
    created_by: str
    outcome: str | None
    note: str
    decided_at: datetime | None
    decided_by: str | None
    version: int

    @property
    def is_open(self) -> bool:
        """A dispute the supervisor has not decided yet."""
        return self.kind == DISPUTED and self.outcome is None


@record
class InspectionResponse:
    """An agent's acknowledgement or dispute of one of their quality inspections, with the
    inspection it answers and the supervisor's decision on a dispute; ``version`` is what an
    arbitration must be based on."""

    id: int
    inspection_id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    contact: str
    inspected_on: date
    exact: Fraction  # the inspection's score as saved
    kind: str
    reason: str  # the agent's reason (a dispute) or comment (an acknowledgement, optional)
    created_at: datetime
    created_by: str
    outcome: str | None
    note: str
    decided_at: datetime | None
    decided_by: str | None
    version: int

    @property
    def month(self) -> str:
        """The month the inspection counts in, as ``"2026-10"``."""
        return f"{self.inspected_on.year:04d}-{self.inspected_on.month:02d}"

    @property
    def score(self) -> Decimal:
        """The inspection's score as shown: rounded half up to one decimal."""
        from csdesk.rules.qa import round_half_up  # the QA rules load with the QA area, not with every label

        return round_half_up(self.exact)

    @property
    def is_open(self) -> bool:
        """A dispute the supervisor has not decided yet."""
        return self.kind == DISPUTED and self.outcome is None
