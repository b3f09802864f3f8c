"""The QA service's reads that guide others (issue 15): the month's averages beside the rated
service quality, and the agents proposed for inspection in a week (behind the quota first)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from csdesk.services.base import SYSTEM
from csdesk.services.callback_dto import ContactInput, MemberInput
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


def _conversation(ctx, clock, member: str, kind: str, agent: str, received: datetime, outcome: str | None = None,
                  closed: datetime | None = None) -> tuple[int, int | None]:  # fmt: skip
    """A contact ``agent`` received from a new ``member`` and, with ``outcome``, its same-day call
    closed at ``closed``: (contact id, call id or None)."""
    clock.now = closed or received
    person = ctx.callbacks.add_member(SYSTEM, MemberInput(member, f"138{ord(member[0]):08d}", agent))
    contact = ctx.callbacks.log_contact(SYSTEM, ContactInput(person.id, kind, agent, received_at=received))
    call = next((c.id for c in ctx.callbacks.member_calls(SYSTEM, person.id) if c.kind == kind), None)
    if outcome is not None and call is not None:
        ctx.callbacks.record_outcome(SYSTEM, call, outcome)
    return contact.id, call


def test_the_sample_proposes_the_week_s_conversations_not_inspected_yet_spread_over_their_kinds(floor, clock) -> None:
    """Each agent behind the quota gets as many of the week's calls closed with a conversation and
    contacts received as they still need, latest first, one of each kind before a second of any."""
    day = [datetime(2026, 10, 12) + timedelta(days=n) for n in range(8)]  # Monday 12 to Monday 19 October
    enquiry, inspected = _conversation(floor, clock, "钱一", "ENQUIRY", "A004", day[4].replace(hour=9), "REACHED",
                                       day[4].replace(hour=10))  # fmt: skip
    _enquiry, unanswered = _conversation(floor, clock, "孙二", "ENQUIRY", "A004", day[3].replace(hour=9), "NO_ANSWER",
                                         day[3].replace(hour=10))  # fmt: skip
    _complaint, complaint_call = _conversation(floor, clock, "李三", "COMPLAINT", "A004", day[1].replace(hour=9),
                                               "REACHED", day[1].replace(hour=11))  # fmt: skip
    _conversation(floor, clock, "赵四", "OTHER", "A004", day[0] - timedelta(minutes=1))  # last week's
    _conversation(floor, clock, "周五", "OTHER", "A004", day[7])  # next week's
    _conversation(floor, clock, "吴六", "ENQUIRY", "A001", day[2].replace(hour=9), "REACHED", day[2].replace(hour=10))
    _conversation(floor, clock, "郑七", "OTHER", "A002", day[2].replace(hour=9))
    latest, _call = _conversation(floor, clock, "王八", "OTHER", "A002", day[5].replace(hour=9))
    clock.now = datetime(2026, 10, 20, 9, 0)
    record(floor, contact="CALL-1", day=date(2026, 10, 12))
    record(floor, contact="CALL-2", day=date(2026, 10, 13))  # A001: the week's minimum met
    record(floor, no="A002", contact="T-1", day=date(2026, 10, 14))  # A002: one short this week
    record(floor, no="A004", contact=f"call-{inspected}", day=date(2026, 10, 20))  # inspected the week after

    proposed = {p.employee_no: p for p in floor.qa.sample(SYSTEM, date(2026, 10, 15))}
    assert [(c.reference, c.source, c.kind, c.member_name, c.when) for c in proposed["A004"].contacts] == [
        (f"contact-{enquiry}", "contact", "ENQUIRY", "钱一", day[4].replace(hour=9)),
        (f"call-{complaint_call}", "call", "COMPLAINT", "李三", day[1].replace(hour=11)),
    ]  # not the inspected call, nor the unanswered one, nor a second enquiry contact while a complaint call waits
    assert unanswered is not None  # made and closed, but with no conversation
    assert [c.reference for c in proposed["A002"].contacts] == [f"contact-{latest}"]  # one short: the latest
    assert proposed["A001"].contacts == ()  # the quota met: nothing proposed
    assert proposed["A003"].contacts == ()  # nothing handled that week
    assert floor.qa.sample(SYSTEM, date(2026, 10, 18)) == floor.qa.sample(SYSTEM, date(2026, 10, 12))
    lead = floor.qa.sample(actor(floor, "lead1"), date(2026, 10, 15))
    assert [(p.employee_no, len(p.contacts)) for p in lead] == [("A004", 2), ("A001", 0)]
