"""The callback scheduler on real SQLite: plans from sales, the agenda, outcomes, quota, masking, re-assignment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from csdesk.errors import PermissionDenied, RuleViolation, ValidationError
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.callback_dto import ContactInput, MemberInput
from tests.helpers.factories import write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


SUPERVISOR = Actor("supervisor", "supervisor")


def empty_callbacks(db_url: str) -> None:
    """Clear the callbacks area (the demo may fill it), keeping people and users: each test plants its own calls."""
    from sqlalchemy import text

    from csdesk.models.db import make_engine

    engine = make_engine(db_url)
    with engine.begin() as conn:
        for table in ("call_log", "home_visits", "callbacks", "contacts", "sales", "members"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("DELETE FROM settings WHERE key LIKE 'callbacks.%'"))
    engine.dispose()


@pytest.fixture
def floor(demo_ctx):
    """The demo department with an empty callbacks area."""
    empty_callbacks(demo_ctx.db_url)
    return demo_ctx


def _lead(ctx) -> Actor:
    """The demo's lead1: team lead of 客服一组 (A001, A004, A007, …)."""
    return Actor("lead1", "team_lead", ctx.people.get(SYSTEM, "L001").id)


HEADER = "member,phone,sale_date,agent,card_received,first_class,birthday,vip\n"


def _agent(ctx, no: str) -> Actor:
    person = ctx.people.get(SYSTEM, no)
    return Actor(no.lower(), "agent", person.id)


def _import(ctx, tmp_path: Path, rows: str):
    return ctx.callbacks.import_sales(SYSTEM, write_csv(tmp_path / "sales.csv", HEADER + rows))


def _calls(ctx, member: str, day: date | None = None):
    calls = [c for c in ctx.callbacks.agenda(SYSTEM, day).calls if c.member == member]
    return {c.kind: c for c in calls}


def _plan(ctx, member: str):
    found = ctx.callbacks.members(SYSTEM, member)
    return {c.kind: c for c in ctx.callbacks.member_calls(SYSTEM, found[0].id)}


# --- due dates through the whole chain: import → database → agenda ---------------------


def test_call1_for_a_card_received_on_friday_is_due_on_sunday_and_overdue_on_monday(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "周小明,13800000001,2026-10-07,A001,2026-10-09,,,\n")
    call1 = _plan(floor, "周小明")["SALE1"]
    assert call1.window_start == datetime(2026, 10, 9) and call1.due.date() == date(2026, 10, 11)
    assert _calls(floor, "周小明", date(2026, 10, 11))["SALE1"].status == "due"
    assert _calls(floor, "周小明", date(2026, 10, 12))["SALE1"].status == "overdue"
    assert "SALE1" not in _calls(floor, "周小明", date(2026, 10, 8))  # the window has not opened


def test_a_sale_on_the_31st_counts_plain_calendar_days_across_month_ends(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "Lucía Peña,600000002,2026-08-31,A002,,,,\n")
    plan = _plan(floor, "Lucía Peña")
    assert plan["SALE1"].due.date() == date(2026, 9, 2)
    assert (plan["SALE2"].window_start.date(), plan["SALE2"].due.date()) == (date(2026, 9, 3), date(2026, 9, 14))
    assert plan["SALE3"].due.date() == date(2026, 10, 12)
    assert "SALE4" not in plan  # no first class known yet


def test_a_first_class_under_two_weeks_away_gets_call4_at_short_notice(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "王欣怡,13800000003,2026-10-10,A003,,2026-10-20,,\n")
    call4 = _plan(floor, "王欣怡")["SALE4"]
    assert call4.note == "SHORT_NOTICE"
    assert (call4.window_start.date(), call4.due.date()) == (date(2026, 10, 10), date(2026, 10, 19))


def test_a_first_class_added_by_a_later_import_plans_call4(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "王欣怡,13800000003,2026-10-10,A003,,,,\n")
    assert "SALE4" not in _plan(floor, "王欣怡")
    report = _import(floor, tmp_path, "王欣怡,13800000003,2026-10-10,A003,,2026-12-01,,\n")
    assert (report.written, report.updated) == (0, 1)
    call4 = _plan(floor, "王欣怡")["SALE4"]
    assert (call4.window_start.date(), call4.due.date()) == (date(2026, 11, 10), date(2026, 11, 17))


# --- outcomes: reschedule and retry chains ---------------------------------------------


@pytest.fixture
def one_call(floor, tmp_path: Path):
    _import(floor, tmp_path, "张伟,13812345678,2026-10-14,A001,,,,\n")
    return floor, _calls(floor, "张伟")["SALE1"]


def test_busy_moves_the_same_call_to_the_agreed_time_and_does_not_fail_it(one_call) -> None:
    ctx, call = one_call
    agreed = datetime(2026, 10, 16, 15, 0)
    done = ctx.callbacks.record_outcome(SYSTEM, call.id, "BUSY_RESCHEDULED", "在开会", agreed)
    assert done.result == "RESCHEDULED" and done.follow_up is None
    assert (done.call.id, done.call.window_start, done.call.due.date()) == (call.id, agreed, date(2026, 10, 16))
    assert done.call.status == "due" and done.call.reschedules == 1
    assert "SALE1" not in _calls(ctx, "张伟")  # off today's list, on the agreed day's
    assert _calls(ctx, "张伟", date(2026, 10, 16))["SALE1"].outcome == "BUSY_RESCHEDULED"


def test_busy_with_a_time_before_the_deadline_keeps_the_deadline(one_call) -> None:
    ctx, call = one_call
    agreed = datetime(2026, 10, 15, 18, 0)  # today; the call is due tomorrow
    done = ctx.callbacks.record_outcome(SYSTEM, call.id, "BUSY_RESCHEDULED", new_time=agreed)
    assert (done.call.window_start, done.call.due) == (agreed, call.due)
    assert _plan(ctx, "张伟")["SALE1"].due == call.due and call.due.date() == date(2026, 10, 16)


def test_busy_without_a_time_or_in_the_past_is_refused(one_call) -> None:
    ctx, call = one_call
    with pytest.raises(RuleViolation):
        ctx.callbacks.record_outcome(SYSTEM, call.id, "BUSY_RESCHEDULED")
    with pytest.raises(RuleViolation) as info:
        ctx.callbacks.record_outcome(SYSTEM, call.id, "BUSY_RESCHEDULED", new_time=datetime(2026, 10, 14, 9, 0))
    assert info.value.field == "new_time"


def test_no_answer_chains_retries_by_the_policy_until_the_last_one_fails(one_call) -> None:
    ctx, call = one_call
    current = call
    for attempt in range(1, ctx.policy.callbacks.max_retries + 1):
        done = ctx.callbacks.record_outcome(SYSTEM, current.id, "NO_ANSWER")
        assert done.result == "RETRY_SCHEDULED" and done.call.status == "done"
        current = done.follow_up
        assert (current.kind, current.retry_of, current.attempt) == ("RETRY", "SALE1", attempt)
        assert current.window_start >= ctx.callbacks.now() + timedelta(hours=ctx.policy.callbacks.retry_after_hours)
    last = ctx.callbacks.record_outcome(SYSTEM, current.id, "NO_ANSWER")
    assert last.result == "FAILED" and last.follow_up is None


def test_a_retry_reached_closes_the_chain_and_the_report_counts_it_once(one_call) -> None:
    ctx, call = one_call
    retry = ctx.callbacks.record_outcome(SYSTEM, call.id, "NO_ANSWER").follow_up
    done = ctx.callbacks.record_outcome(SYSTEM, retry.id, "REACHED", "ok")
    assert done.result == "DONE" and done.effective
    perf = ctx.callbacks.performance_input(SYSTEM, date(2026, 10, 1))
    assert (perf.total.planned, perf.total.on_time, perf.total.reached) == (2, 1, 1)  # SALE1 and SALE2 due in October


def test_a_closed_call_takes_no_second_outcome(one_call) -> None:
    ctx, call = one_call
    ctx.callbacks.record_outcome(SYSTEM, call.id, "WRONG_NUMBER")
    with pytest.raises(ValidationError):
        ctx.callbacks.record_outcome(SYSTEM, call.id, "REACHED")


# --- quota -----------------------------------------------------------------------------


def test_quota_counts_effective_outgoing_calls_and_never_incoming_ones(one_call) -> None:
    ctx, call = one_call
    member = ctx.callbacks.members(SYSTEM, "张伟")[0]
    ctx.callbacks.log_contact(SYSTEM, ContactInput(member.id, "ENQUIRY", "A001", by_phone=True))
    ctx.callbacks.log_contact(SYSTEM, ContactInput(member.id, "OTHER", "A001", by_phone=True))
    assert ctx.callbacks.quota(SYSTEM, date(2026, 10, 15), "A001").effective == 0
    ctx.callbacks.record_outcome(SYSTEM, call.id, "REACHED")
    enquiry = _calls(ctx, "张伟")["ENQUIRY"]
    ctx.callbacks.record_outcome(SYSTEM, enquiry.id, "REFUSED")  # made, but not effective
    quota = ctx.callbacks.quota(SYSTEM, date(2026, 10, 15), "A001")
    assert (quota.effective, quota.target, quota.remaining) == (1, 15, 14)


def test_a_home_visit_day_lowers_the_quota(floor) -> None:
    quota = floor.callbacks.set_home_visit(SUPERVISOR, "A002", date(2026, 10, 15))
    assert quota.home_visit and quota.target == floor.policy.callbacks.home_visit_quota
    assert floor.callbacks.quota(SUPERVISOR, date(2026, 10, 16), "A002").target == 15
    assert floor.callbacks.set_home_visit(SUPERVISOR, "A002", date(2026, 10, 15), on=False).target == 15


# --- who sees what ---------------------------------------------------------------------


def test_phones_are_masked_for_roles_that_need_not_see_them(one_call) -> None:
    ctx, _call = one_call
    assert _calls(ctx, "张伟")["SALE1"].phone == "13812345678"  # supervisor
    lead = [c for c in ctx.callbacks.agenda(_lead(ctx)).calls if c.member == "张伟"]
    qa = [c for c in ctx.callbacks.agenda(Actor("qa", "qa")).calls if c.member == "张伟"]
    assert {c.phone for c in lead + qa} == {"138****5678"}
    owner = ctx.callbacks.agenda(_agent(ctx, "A001")).calls
    assert {c.phone for c in owner if c.member == "张伟"} == {"13812345678"}  # the owner dials it
    assert ctx.callbacks.members(_lead(ctx), "张伟")[0].phone == "138****5678"


def test_an_agent_sees_only_their_own_calls(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "甲,13800000011,2026-10-14,A001,,,,\n乙,13800000012,2026-10-14,A002,,,,\n")
    agent = _agent(floor, "A001")
    assert {c.member for c in floor.callbacks.agenda(agent).calls} == {"甲"}
    with pytest.raises(PermissionDenied):
        floor.callbacks.agenda(agent, agent="A002")
    other = _calls(floor, "乙")["SALE1"]
    with pytest.raises(PermissionDenied):
        floor.callbacks.record_outcome(agent, other.id, "REACHED")
    mine = _calls(floor, "甲")["SALE1"]
    assert floor.callbacks.record_outcome(agent, mine.id, "REACHED").call.status == "done"


def test_only_editors_re_assign_or_edit_members(one_call) -> None:
    ctx, call = one_call
    with pytest.raises(PermissionDenied):
        ctx.callbacks.reassign(_agent(ctx, "A001"), [call.id], "A002")
    with pytest.raises(PermissionDenied):
        ctx.callbacks.add_member(Actor("qa", "qa"), MemberInput("X", "13800000099"))


# --- re-assignment ---------------------------------------------------------------------


def test_bulk_re_assignment_moves_open_calls_and_is_audited(one_call) -> None:
    ctx, call = one_call
    assert ctx.callbacks.reassign(_lead(ctx), [call.id], "A004") == 1
    assert _calls(ctx, "张伟")["SALE1"].agent == "A004"
    assert any(e.action == "callback.reassign" for e in ctx.audit.recent(SUPERVISOR))
    ctx.callbacks.record_outcome(SYSTEM, call.id, "REACHED")
    with pytest.raises(ValidationError):
        ctx.callbacks.reassign(_lead(ctx), [call.id], "A007")


def test_the_balanced_suggestion_spreads_calls_to_the_least_loaded_agents(floor, tmp_path: Path) -> None:
    rows = "".join(f"会员{i},1380000{i:04d},2026-10-14,A001,,,,\n" for i in range(4))
    _import(floor, tmp_path, rows)
    ids = [c.id for c in floor.callbacks.agenda(SUPERVISOR, agent="A001").calls]
    suggestion = floor.callbacks.suggest_assignment(SUPERVISOR, ids, date(2026, 10, 15))
    targets = [m.to_agent for m in suggestion.moves]
    assert len(targets) == 4 and len(set(targets)) == 4  # one each to four agents with no load
    assert "A001" not in targets or targets.count("A001") == 1
    moved = floor.callbacks.apply_assignments(SUPERVISOR, {m.call_id: m.to_agent for m in suggestion.moves})
    assert moved == sum(1 for m in suggestion.moves if m.from_agent != m.to_agent)


# --- contacts, reviews, birthdays ------------------------------------------------------


def test_a_complaint_is_called_back_the_same_day(one_call) -> None:
    ctx, _call = one_call
    member = ctx.callbacks.members(SYSTEM, "张伟")[0]
    contact = ctx.callbacks.log_contact(SYSTEM, ContactInput(member.id, "COMPLAINT", "A001", severity=3, item="退费"))
    call = _calls(ctx, "张伟")["COMPLAINT"]
    assert call.contact_id == contact.id and call.due.date() == date(2026, 10, 15)
    assert _calls(ctx, "张伟", date(2026, 10, 16))["COMPLAINT"].status == "overdue"


def test_a_bad_review_gets_a_message_then_a_phone_call_unless_the_customer_replies(one_call, clock) -> None:
    ctx, _call = one_call
    member = ctx.callbacks.members(SYSTEM, "张伟")[0]
    review = ctx.callbacks.log_contact(SYSTEM, ContactInput(member.id, "REVIEW", "A001", severity=2))
    message = _calls(ctx, "张伟")["REVIEW"]
    assert message.note == "MESSAGE"
    phone = ctx.callbacks.record_outcome(SYSTEM, message.id, "REACHED").follow_up
    assert phone is not None and phone.note == "PHONE"
    assert phone.window_start == ctx.callbacks.now() + timedelta(hours=48)
    clock.now += timedelta(hours=5)
    ctx.callbacks.update_contact(SYSTEM, review.id, "IN_PROGRESS", "客户已回复", replied_at=clock.now)
    assert "REVIEW" not in _calls(ctx, "张伟", date(2026, 10, 17))  # cancelled: the reply came in time


def test_reviews_are_listed_most_severe_first(one_call) -> None:
    ctx, _call = one_call
    member = ctx.callbacks.members(SYSTEM, "张伟")[0]
    for severity in (1, 3, 2):
        ctx.callbacks.log_contact(SYSTEM, ContactInput(member.id, "REVIEW", "A001", severity=severity))
    assert [c.severity for c in ctx.callbacks.contacts(SYSTEM, kinds=["REVIEW"])] == [3, 2, 1]


def test_birthday_calls_are_planned_once_for_the_month(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "生日宝宝,13800000021,2026-09-01,A001,,,2019-10-20,yes\n")
    first = _calls(floor, "生日宝宝", date(2026, 10, 20))["BIRTHDAY"]  # planned by the import
    assert first.window_start == datetime(2026, 10, 20) and first.vip
    assert floor.callbacks.plan_birthdays(SUPERVISOR, date(2026, 10, 1)) == 0
    _import(floor, tmp_path, "另一个,13800000022,2026-09-01,A001,,,2018-11-02,no\n")
    assert floor.callbacks.plan_birthdays(SUPERVISOR, date(2026, 11, 1)) == 1


def test_a_team_lead_sees_and_hands_out_only_their_own_team_s_calls(floor, tmp_path: Path) -> None:
    """rules.md §12: a team lead (客服一组: A001, A004, …) sees the calls of their team and the
    calls nobody holds, hands them out within the team, and works on no other team's call."""
    _import(floor, tmp_path, "本组,13800000051,2026-10-14,A001,,,,\n别组,13800000052,2026-10-14,A002,,,,\n")
    lead = _lead(floor)
    assert {c.member for c in floor.callbacks.agenda(lead).calls} == {"本组"}
    assert {q.agent for q in floor.callbacks.workload(lead)} <= {"A001", "A004", "A007", "A010", "A013", "A016", "A019", "A022", "A025", "A028"}
    assert {no for no, _name in floor.callbacks.agent_names(lead)} == {q.agent for q in floor.callbacks.workload(lead)}
    assert [m.name for m in floor.callbacks.members(lead, "组")] == ["本组"]
    other = _calls(floor, "别组")["SALE1"]
    own = _calls(floor, "本组")["SALE1"]
    for refused in (
        lambda: floor.callbacks.agenda(lead, agent="A002"),
        lambda: floor.callbacks.call(lead, other.id),
        lambda: floor.callbacks.record_outcome(lead, other.id, "REACHED"),
        lambda: floor.callbacks.reassign(lead, [other.id], "A004"),  # another team's call
        lambda: floor.callbacks.reassign(lead, [own.id], "A002"),  # to another team's agent
        lambda: floor.callbacks.suggest_assignment(lead, [other.id]),
    ):
        with pytest.raises(PermissionDenied, match="客服一组"):
            refused()
    assert _calls(floor, "别组")["SALE1"].agent == "A002" and _calls(floor, "本组")["SALE1"].agent == "A001"
    assert floor.callbacks.reassign(lead, [own.id], "A004") == 1


def test_the_birthday_list_keeps_vip_apart_and_masks_for_the_team_lead(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "Vip Niño,600000031,2026-09-01,A001,,,2019-11-05,yes\nNormal Niña,600000032,2026-09-01,A004,,,2020-11-01,no\n")
    data = floor.callbacks.birthday_list_input(_lead(floor), date(2026, 11, 1))
    assert [e.member for e in data.vip] == ["Vip Niño"] and [e.member for e in data.normal] == ["Normal Niña"]
    assert data.vip[0].age == 7 and "*" in data.vip[0].phone


def test_a_member_form_keeps_a_masked_phone_it_was_not_given(one_call) -> None:
    ctx, _call = one_call
    member = ctx.callbacks.members(_lead(ctx), "张伟")[0]
    updated = ctx.callbacks.update_member(_lead(ctx), member.id, MemberInput("张伟", None, "A001", tier="important", vip=True))
    assert updated.tier == "important" and ctx.callbacks.members(SYSTEM, "张伟")[0].phone == "13812345678"


def test_calls_of_an_agent_called_away_go_to_the_others(floor, tmp_path: Path) -> None:
    _import(floor, tmp_path, "一,13800000041,2026-10-14,A001,,,,\n二,13800000042,2026-10-14,A001,,,,\n")
    ids = [c.id for c in floor.callbacks.agenda(SUPERVISOR, agent="A001").calls]
    away = floor.callbacks.suggest_assignment(_lead(floor), ids, date(2026, 10, 15), away_from_current=True)
    assert "A001" not in {m.to_agent for m in away.moves} and len(away.moves) == 2


def test_the_handover_work_record_takes_its_counts_from_the_calls_made(one_call) -> None:
    """Issue #6: the work record's counts come from the callback area when it exists."""
    ctx, call = one_call
    ctx.callbacks.record_outcome(SYSTEM, call.id, "REACHED", "满意")
    today = ctx.callbacks.now().date()
    counts = ctx.handover.suggested_counts(SYSTEM, "A001", today)
    assert counts is not None and counts.calls_made == 1 and counts.callbacks_done == 1
