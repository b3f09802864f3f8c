"""ScorecardService.kpi_inputs on real SQLite: the month's raw KPIs and 360 scores as entered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from csdesk.errors import LockedMonth, NotFound, PermissionDenied, ValidationError
from csdesk.services.base import Actor
from tests.integration.test_scorecard_service import sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


SUPERVISOR = Actor("supervisor", "supervisor")
TRAINER = Actor("trainer", "trainer")
QA = Actor("qa", "qa")
MONTH = "2026-10"


def test_nothing_entered_lists_every_kpi_and_evaluator_empty_with_its_weight(sc_ctx) -> None:
    inputs = sc_ctx.scorecards.kpi_inputs(QA, MONTH, "A003")
    assert (inputs.employee_no, inputs.name, inputs.month) == ("A003", "Carmen García Jiménez", MONTH)
    # rules.md §6: front-line weights, and the 360 weights self 20 %, supervisor 30 %, customer 50 %
    assert [(k.name, k.value, k.weight) for k in inputs.kpis] == [
        ("satisfaction", None, 50), ("complaint_rate", None, 30), ("response_time", None, 20), ("resolution_rate", None, 0),
    ]  # fmt: skip
    assert [(k.name, k.value, k.weight) for k in inputs.scores_360] == [("self", None, 20), ("supervisor", None, 30), ("customer", None, 50)]
    assert inputs.score_max == 100 and not inputs.locked and inputs.lock is None


def test_entered_values_read_back_exactly_and_none_clears_one(sc_ctx) -> None:
    service = sc_ctx.scorecards
    service.set_kpi_inputs(TRAINER, MONTH, "A001", kpis={"satisfaction": Decimal("96.55"), "response_time": 12}, scores_360={"self": 70, "customer": 88.5})
    service.set_kpi_inputs(TRAINER, MONTH, "A001", kpis={"response_time": None}, scores_360={"self": None})
    inputs = service.kpi_inputs(SUPERVISOR, date(2026, 10, 20), "A001")  # a day names its month
    assert inputs.kpi_values() == {"satisfaction": Decimal("96.55"), "complaint_rate": None, "response_time": None, "resolution_rate": None}
    assert inputs.values_360() == {"self": None, "supervisor": None, "customer": Decimal("88.5")}
    assert service.kpi_inputs(SUPERVISOR, "2026-09", "A001").kpi_values()["satisfaction"] is None  # other months apart


def test_a_locked_month_reports_its_lock_and_refuses_new_inputs(sc_ctx) -> None:
    service = sc_ctx.scorecards
    service.set_kpi_inputs(TRAINER, MONTH, "A001", kpis={"satisfaction": 91})
    service.months.lock(SUPERVISOR, MONTH)
    inputs = service.kpi_inputs(TRAINER, MONTH, "A001")
    assert inputs.locked and inputs.lock is not None and inputs.lock.locked_by == "supervisor"
    with pytest.raises(LockedMonth):
        service.set_kpi_inputs(TRAINER, MONTH, "A001", kpis={"satisfaction": 95})
    assert service.kpi_inputs(TRAINER, MONTH, "A001").kpi_values()["satisfaction"] == 91


def test_an_agent_reads_only_their_own_inputs_and_an_unknown_agent_is_not_found(sc_ctx) -> None:
    agent_user = sc_ctx.auth.login("agent1", "demo-pass")
    assert sc_ctx.scorecards.kpi_inputs(agent_user, MONTH, "A001").employee_no == "A001"
    with pytest.raises(PermissionDenied):
        sc_ctx.scorecards.kpi_inputs(agent_user, MONTH, "A002")
    with pytest.raises(NotFound):
        sc_ctx.scorecards.kpi_inputs(SUPERVISOR, MONTH, "Z999")


@pytest.mark.parametrize(
    ("kpi", "value", "fragment"),
    [("satisfaction", 100.5, "between 0 and 100"), ("resolution_rate", -1, "between 0 and 100"), ("response_time", -3, "cannot be negative")],
)
def test_raw_kpis_outside_their_range_are_refused(sc_ctx, kpi: str, value: float, fragment: str) -> None:
    """A percentage runs 0–100 (the scale's max in the policy); seconds and rates are never negative."""
    service = sc_ctx.scorecards
    with pytest.raises(ValidationError, match=fragment) as refused:
        service.set_kpi_inputs(SUPERVISOR, MONTH, "A001", kpis={kpi: value})
    assert refused.value.field == kpi
    assert service.kpi_inputs(SUPERVISOR, MONTH, "A001").kpi_values()[kpi] is None
    edge = 0 if kpi == "response_time" else 100
    service.set_kpi_inputs(SUPERVISOR, MONTH, "A001", kpis={kpi: edge})  # the edges stand
    assert service.kpi_inputs(SUPERVISOR, MONTH, "A001").kpi_values()[kpi] == edge
