"""Frozen records of agents' responses to their month's scorecard (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ACKNOWLEDGED = "acknowledged"
DISPUTED = "disputed"

UPHELD = "upheld"  # the scorecard stands as it is
CHANGED = "changed"  # the scorecard is (or will be) corrected
OUTCOMES = (UPHELD, CHANGED)


@dataclass(frozen=True)
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
