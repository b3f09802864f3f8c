"""The demo has inspections (issue 15): a few per agent in each demo month, recorded through the QA
service, some with findings followed up, one critical failure, one contact calibrated by three
inspectors and one spot-check error turned into the policy's event; the same every time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock, make_context

MONTHS = ("2026-09", "2026-10")  # the clock's month (2026-10-15) and the one before


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    ctx = make_context(tmp_path_factory.mktemp("qa_demo"), FixedClock())
    ctx.demo.build(SYSTEM, agents=9, months=2, seed=4)
    yield ctx
    ctx.close()


def _fingerprint(ctx) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [
        (i.employee_no, i.contact, i.inspected_on, i.inspector_no, i.mode, i.exact, i.calibration)
        for month in MONTHS for i in ctx.qa.inspections(SYSTEM, month, calibration=True)
    ]  # fmt: skip


def test_each_demo_month_has_a_few_inspections_per_agent(demo) -> None:
    agents = [no for no, _name in demo.qa.agents(SYSTEM)]
    for month in MONTHS:
        summary = demo.qa.month_summary(SYSTEM, month)
        counted = {a.employee_no: a.inspections for a in summary.agents}
        assert len(counted) >= len(agents) // 2, month  # most agents inspected in each month
        assert max(counted.values()) <= 6 and sum(counted.values()) >= len(agents), month
        for record in demo.qa.inspections(SYSTEM, month):
            assert record.contact.startswith(("call-", "contact-"))  # a conversation the sampling proposed
            assert record.inspected_on <= demo.qa.now().date()


def test_some_inspections_failed_questions_and_their_findings_are_followed_up(demo) -> None:
    findings = demo.qa.findings(SYSTEM, open_only=False)
    statuses = Counter(f.status for f in findings)
    assert findings and statuses["rechecked"] >= 1 and statuses["rechecked"] < len(findings)
    assert all(f.rechecked_on is None or f.inspected_on <= f.rechecked_on <= demo.qa.now().date() for f in findings)
    critical = sum(a.critical_failures for m in MONTHS for a in demo.qa.month_summary(SYSTEM, m).agents)
    assert critical >= 1
    zero = [i for m in MONTHS for i in demo.qa.inspections(SYSTEM, m) if i.critical]
    assert zero and all(i.exact == 0 for i in zero)


def test_one_contact_is_calibrated_by_three_inspectors_and_calibration_never_counts(demo) -> None:
    contacts = [c for m in MONTHS for c in demo.qa.calibration_contacts(SYSTEM, m)]
    assert len(contacts) == 1 and contacts[0].inspections == 3
    view = demo.qa.calibration(SYSTEM, contacts[0].employee_no, contacts[0].contact)
    assert len({i.inspector_no for i in view.inspections}) == 3
    assert [i.calibration for i in view.inspections].count(True) == 2
    assert view.result.agreed is not None  # the inspection that counts is the agreed one
    counted = sum(a.inspections for m in MONTHS for a in demo.qa.month_summary(SYSTEM, m).agents)
    assert counted == len(_fingerprint(demo)) - 2


def test_one_spot_check_error_became_the_policy_s_event(demo) -> None:
    deducted = [f for f in demo.qa.findings(SYSTEM, open_only=False) if f.event_id is not None]
    assert len(deducted) == 1
    finding = deducted[0]
    card = demo.scorecards.scorecard(SYSTEM, finding.inspected_on, finding.employee_no)
    event = next(e for e in card.events if e.id == finding.event_id)
    assert event.code == demo.policy.qa.spot_check_event == "M13"
    assert event.day == finding.inspected_on and event.points < 0


def test_the_demo_s_inspections_are_the_same_every_time(demo, tmp_path: Path) -> None:
    again = make_context(tmp_path, FixedClock())
    try:
        again.demo.build(SYSTEM, agents=9, months=2, seed=4)
        assert _fingerprint(again) == _fingerprint(demo)
    finally:
        again.close()


def test_a_demo_without_the_areas_has_no_inspections(demo_ctx) -> None:
    assert demo_ctx.qa.inspections(SYSTEM, "2026-10", calibration=True) == []
