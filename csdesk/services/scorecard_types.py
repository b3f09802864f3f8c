"""Plain read models of the scorecards area that windows and reports may import (no logic inside)."""

from __future__ import annotations

from decimal import Decimal

from csdesk.models.domain_scorecards import MonthLock
from csdesk.records import record


@record
class KpiInput:
    """One raw KPI or one evaluator's 360 score as entered (None: nothing entered), with its weight in %.

    A KPI's weight is the one of the agent's KPI weight set (rules.md §6); 0 means it is not counted.
    """

    name: str
    value: Decimal | None
    weight: int


@record
class KpiInputs:
    """An agent's raw KPIs and 360 scores of one month, in policy order (rules.md §6).

    ``kpis`` has every KPI the policy scales; ``scores_360`` every evaluator the policy weights;
    ``score_max`` is the top of the 0–``score_max`` scale of the 360 scores. ``lock`` is the
    month's sign-off (None while open): a locked month refuses changes.
    """

    employee_no: str
    name: str
    month: str
    kpis: tuple[KpiInput, ...]
    scores_360: tuple[KpiInput, ...]
    score_max: Decimal
    lock: MonthLock | None = None

    @property
    def locked(self) -> bool:
        return self.lock is not None

    def kpi_values(self) -> dict[str, Decimal | None]:
        return {k.name: k.value for k in self.kpis}

    def values_360(self) -> dict[str, Decimal | None]:
        return {k.name: k.value for k in self.scores_360}
