"""The QA service's reads that guide others (issue 15): the month's averages beside the rated
service quality, and the agents proposed for inspection in a week (behind the quota first)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from csdesk.services.base import SYSTEM
from tests.integration.test_qa import actor, clock, floor, record  # noqa: F401 - the fixtures


def test_the_averages_are_the_month_summary_s_per_inspected_agent(floor) -> None:
    record(floor, day=date(2026, 10, 5), q02="no")
    record(floor, contact="CALL-2", day=date(2026, 10, 12))
    record(floor, no="A002", contact="T-1", day=date(2026, 10, 13))
    assert floor.qa.averages(SYSTEM, "2026-10") == {"A001": (Decimal("95.0"), 2), "A002": (Decimal("100.0"), 1)}
    assert floor.qa.averages(actor(floor, "lead1"), "2026-10") == {"A001": (Decimal("95.0"), 2)}
    assert floor.qa.averages(SYSTEM, "2026-09") == {}


def test_the_sample_puts_the_agents_behind_the_quota_first_then_the_least_inspected_this_month(floor) -> None:
    record(floor, contact="CALL-1", day=date(2026, 10, 12))
    record(floor, contact="CALL-2", day=date(2026, 10, 13))  # A001: the week's minimum met
    record(floor, no="A002", contact="T-1", day=date(2026, 10, 14))  # A002: one short this week
    record(floor, no="A003", contact="T-2", day=date(2026, 10, 1))  # A003: last week only
    record(floor, no="A003", contact="T-3", day=date(2026, 10, 2))
    proposed = floor.qa.sample(SYSTEM, date(2026, 10, 15))  # Monday 12 to Sunday 18 October
    assert [(p.employee_no, p.done, p.needed, p.month_done) for p in proposed] == [
        ("A004", 0, 2, 0), ("A005", 0, 2, 0), ("A006", 0, 2, 0), ("A003", 0, 2, 2), ("A002", 1, 1, 1),
        ("A001", 2, 0, 2),
    ]  # fmt: skip
    assert floor.qa.sample(SYSTEM, date(2026, 10, 12)) == proposed  # any day names its week; the same order again
    lead = floor.qa.sample(actor(floor, "lead1"), date(2026, 10, 15))
    assert [p.employee_no for p in lead] == ["A004", "A001"]
