"""Callback rules (rules.md §9, §12): plans, birthdays, complaints, outcomes, quota, assignment, masking."""

from __future__ import annotations

import dataclasses
import itertools
import random
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.policy.model import Policy
from csdesk.rules import callbacks as cb
from csdesk.rules.callbacks import (
    AgentLoad,
    BirthdayMember,
    Call,
    PlannedCall,
    Review,
    SkippedCall,
    apply_outcome,
    birthday_call,
    birthday_list,
    birthday_list_due,
    complaint_call,
    complaint_deadline,
    end_of_day,
    mask_phone,
    next_month,
    on_agenda,
    quota_progress,
    review_message,
    review_order,
    review_phone_call,
    sale4_call,
    sale_plan,
    status,
    suggest_assignment,
)

POLICY = load_policy()
FRIDAY = date(2026, 10, 2)


def with_callbacks(**changes: object) -> Policy:
    return dataclasses.replace(POLICY, callbacks=dataclasses.replace(POLICY.callbacks, **changes))


def at(day: str, hhmm: str = "00:00") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm))


def dues(plan: cb.SalePlan) -> dict[str, date]:
    return {c.kind: c.due.date() for c in plan.calls}


def open_call(kind: str = "SALE1", due: str = "2026-10-05", opens: str = "2026-10-02", **kw: object) -> Call:
    return Call(kind, at(opens), end_of_day(date.fromisoformat(due)), **kw)  # type: ignore[arg-type]


# --- the sale plan -------------------------------------------------------------------------


def test_call1_for_a_card_received_on_friday_is_due_sunday_because_weekends_are_worked() -> None:
    plan = sale_plan(FRIDAY, FRIDAY, None, POLICY)
    first = plan.calls[0]
    assert (first.kind, first.window_start, first.due) == (
        "SALE1", at("2026-10-02"), end_of_day(date(2026, 10, 4)))


def test_call1_counts_from_the_card_not_the_sale() -> None:
    plan = sale_plan(date(2026, 9, 28), FRIDAY, None, POLICY)
    assert dues(plan)["SALE1"] == date(2026, 10, 4)
    assert dues(plan)["SALE2"] == date(2026, 10, 12)


def test_card_date_defaults_to_the_sale_date() -> None:
    assert sale_plan(FRIDAY, None, None, POLICY) == sale_plan(FRIDAY, FRIDAY, None, POLICY)


def test_card_received_before_the_sale_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        sale_plan(FRIDAY, FRIDAY - timedelta(days=1), None, POLICY)
    assert exc.value.field == "card_received"
    assert exc.value.params["sale_date"] == "2026-10-02"


@pytest.mark.parametrize(
    ("sale", "sale2_due", "sale3_due"),
    [
        (date(2026, 10, 31), date(2026, 11, 14), date(2026, 12, 12)),
        (date(2027, 1, 31), date(2027, 2, 14), date(2027, 3, 14)),
        (date(2026, 12, 31), date(2027, 1, 14), date(2027, 2, 11)),
    ],
)
def test_a_sale_on_the_31st_counts_plain_calendar_days(sale: date, sale2_due: date, sale3_due: date) -> None:
    plan = sale_plan(sale, None, None, POLICY)
    assert dues(plan)["SALE2"] == sale2_due
    assert dues(plan)["SALE3"] == sale3_due


def test_calls_2_and_3_open_the_day_after_the_previous_deadline() -> None:
    calls = {c.kind: c for c in sale_plan(FRIDAY, None, None, POLICY).calls}
    assert calls["SALE2"].window_start == at("2026-10-05")
    assert calls["SALE3"].window_start == at("2026-10-17")


def test_call2_window_never_opens_after_its_own_deadline() -> None:
    late_card = FRIDAY + timedelta(days=13)
    calls = {c.kind: c for c in sale_plan(FRIDAY, late_card, None, POLICY).calls}
    assert calls["SALE2"].window_start.date() == calls["SALE2"].due.date() == date(2026, 10, 16)


def test_call4_window_opens_three_and_closes_two_weeks_before_the_first_class() -> None:
    plan = sale_plan(FRIDAY, None, date(2026, 12, 1), POLICY)
    fourth = plan.calls[-1]
    assert (fourth.kind, fourth.window_start, fourth.due, fourth.note) == (
        "SALE4", at("2026-11-10"), end_of_day(date(2026, 11, 17)), "")
    assert plan.skipped == ()


@pytest.mark.parametrize(
    ("first_class", "expected"),
    [
        (None, SkippedCall("SALE4", "FIRST_CLASS_UNKNOWN")),
        (FRIDAY, SkippedCall("SALE4", "FIRST_CLASS_PASSED")),
        (FRIDAY - timedelta(days=3), SkippedCall("SALE4", "FIRST_CLASS_PASSED")),
        # 18 days away: the ideal window opened before the sale, so it opens at the sale
        (FRIDAY + timedelta(days=18), PlannedCall("SALE4", at("2026-10-02"), end_of_day(date(2026, 10, 6)))),
        # exactly two weeks away: the window is the sale day only
        (FRIDAY + timedelta(days=14), PlannedCall("SALE4", at("2026-10-02"), end_of_day(FRIDAY))),
        # less than two weeks away: as soon as possible, until the day before the class
        (FRIDAY + timedelta(days=10),
         PlannedCall("SALE4", at("2026-10-02"), end_of_day(date(2026, 10, 11)), "SHORT_NOTICE")),
        (FRIDAY + timedelta(days=1),
         PlannedCall("SALE4", at("2026-10-02"), end_of_day(FRIDAY), "SHORT_NOTICE")),
    ],
)
def test_call4_when_the_first_class_is_near_unknown_or_past(first_class: date | None,
                                                          expected: PlannedCall | SkippedCall) -> None:
    assert sale4_call(FRIDAY, first_class, POLICY) == expected


def test_a_skipped_call4_is_reported_not_planned() -> None:
    plan = sale_plan(FRIDAY, None, None, POLICY)
    assert [c.kind for c in plan.calls] == ["SALE1", "SALE2", "SALE3"]
    assert plan.skipped == (SkippedCall("SALE4", "FIRST_CLASS_UNKNOWN"),)


@pytest.mark.parametrize(("hours", "days"), [(24, 1), (36, 2), (48, 2), (72, 3), (1, 1)])
def test_call1_deadline_follows_the_policy_hours_rounded_up_to_whole_days(hours: int, days: int) -> None:
    plan = sale_plan(FRIDAY, None, None, with_callbacks(sale1_within_hours=hours))
    assert dues(plan)["SALE1"] == FRIDAY + timedelta(days=days)


def test_a_changed_policy_number_changes_the_plan() -> None:
    assert dues(sale_plan(FRIDAY, None, None, POLICY))["SALE2"] == date(2026, 10, 16)
    shorter = with_callbacks(sale2_within_days=7)
    assert dues(sale_plan(FRIDAY, None, None, shorter))["SALE2"] == date(2026, 10, 9)
    fourth = sale4_call(FRIDAY, date(2026, 12, 1), with_callbacks(sale4_weeks_before_class_min=1,
                                                                  sale4_weeks_before_class_max=4))
    assert isinstance(fourth, PlannedCall)
    assert (fourth.window_start.date(), fourth.due.date()) == (date(2026, 11, 3), date(2026, 11, 24))


@settings(max_examples=200)
@given(
    sale=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    card_after=st.integers(0, 30),
    class_after=st.one_of(st.none(), st.integers(-10, 120)),
)
def test_every_planned_window_is_well_formed(sale: date, card_after: int, class_after: int | None) -> None:
    first_class = None if class_after is None else sale + timedelta(days=class_after)
    plan = sale_plan(sale, sale + timedelta(days=card_after), first_class, POLICY)
    kinds = [c.kind for c in plan.calls] + [s.kind for s in plan.skipped]
    assert sorted(kinds) == ["SALE1", "SALE2", "SALE3", "SALE4"]
    for call in plan.calls:
        assert call.window_start <= call.due
        assert call.window_start.date() >= sale
        assert call.due.time() == time.max
    for call in plan.calls:
        if call.kind == "SALE4":
            assert first_class is not None and call.due.date() < first_class


# --- birthdays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "year", "expected"),
    [
        (date(2015, 6, 9), 2026, date(2026, 6, 9)),
        (date(2016, 2, 29), 2027, date(2027, 2, 28)),  # common year: last day of February
        (date(2016, 2, 29), 2028, date(2028, 2, 29)),
        (date(2016, 12, 31), 2026, date(2026, 12, 31)),
    ],
)
def test_birthday_call_is_on_the_birthday(birthday: date, year: int, expected: date) -> None:
    assert birthday_call(birthday, year) == expected
    assert cb.birthday_plan(birthday, year) == PlannedCall("BIRTHDAY", datetime.combine(expected, time.min),
                                                           end_of_day(expected))


def test_birthday_list_keeps_vip_apart_and_sorted_by_call_date() -> None:
    members = [
        BirthdayMember("M3", date(2018, 11, 20)),
        BirthdayMember("M1", date(2017, 11, 3), vip=True),
        BirthdayMember("M2", date(2019, 11, 3)),
        BirthdayMember("M0", date(2019, 11, 3)),
        BirthdayMember("M4", date(2018, 12, 1)),  # other month
        BirthdayMember("M5", None),  # unknown birthday
        BirthdayMember("M6", date(2026, 11, 30)),  # born on the call date: no birthday yet
        BirthdayMember("M8", date(2027, 11, 2)),  # born after it
        BirthdayMember("M7", date(2016, 11, 30), vip=True),
    ]
    result = birthday_list(members, date(2026, 11, 15))
    assert result.month == date(2026, 11, 1)
    assert [(e.member, e.call_date.day, e.age) for e in result.vip] == [("M1", 3, 9), ("M7", 30, 10)]
    assert [e.member for e in result.normal] == ["M0", "M2", "M3"]


def test_birthday_list_puts_feb_29_on_feb_28_in_a_common_year() -> None:
    result = birthday_list([BirthdayMember("M1", date(2020, 2, 29))], date(2027, 2, 1))
    assert [e.call_date for e in result.normal] == [date(2027, 2, 28)]


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 10, 24), False),
        (date(2026, 10, 25), True),  # the last 7 days of a 31-day month: 25..31
        (date(2026, 10, 31), True),
        (date(2026, 11, 23), False),
        (date(2026, 11, 24), True),
        (date(2027, 2, 21), False),
        (date(2027, 2, 22), True),
        (date(2028, 2, 23), True),  # leap February
        (date(2026, 10, 1), False),
    ],
)
def test_birthday_list_is_due_in_the_last_week_of_the_month(today: date, due: bool) -> None:
    assert birthday_list_due(today, POLICY) is due


def test_birthday_list_window_follows_the_policy() -> None:
    policy = with_callbacks(birthday_list_days_before_month_end=3)
    assert not birthday_list_due(date(2026, 10, 28), policy)
    assert birthday_list_due(date(2026, 10, 29), policy)


@pytest.mark.parametrize(("today", "expected"), [(date(2026, 10, 25), date(2026, 11, 1)),
                                                 (date(2026, 12, 31), date(2027, 1, 1))])
def test_the_birthday_list_is_for_next_month(today: date, expected: date) -> None:
    assert next_month(today) == expected


# --- complaints and bad reviews --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["COMPLAINT", "ENQUIRY"])
@pytest.mark.parametrize("received", ["08:30", "19:55", "23:50"])
def test_complaints_and_enquiries_are_answered_the_same_day(kind: str, received: str) -> None:
    moment = at("2026-10-03", received)
    assert complaint_deadline(moment, kind, POLICY) == end_of_day(date(2026, 10, 3))
    assert complaint_call(moment, kind, POLICY).window_start == moment


@pytest.mark.parametrize("kind", ["REVIEW", "SALE1", "NOPE"])
def test_other_kinds_have_no_same_day_deadline(kind: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        complaint_deadline(at("2026-10-03", "10:00"), kind, POLICY)
    assert exc.value.field == "kind"


def test_bad_review_gets_a_message_first_the_same_day() -> None:
    message = review_message(at("2026-10-03", "11:00"))
    assert (message.kind, message.note, message.due) == ("REVIEW", "MESSAGE", end_of_day(date(2026, 10, 3)))


@pytest.mark.parametrize(
    ("replied", "phone_at"),
    [
        (None, "2026-10-05 11:00"),
        ("2026-10-04 09:00", None),  # replied within 48 h: no call
        ("2026-10-05 11:00", None),  # exactly at the limit still counts as a reply in time
        ("2026-10-05 11:01", "2026-10-05 11:00"),  # a late reply does not cancel the call
    ],
)
def test_bad_review_is_phoned_48_hours_after_an_unanswered_message(replied: str | None,
                                                                   phone_at: str | None) -> None:
    reply = None if replied is None else datetime.fromisoformat(replied)
    call = review_phone_call(at("2026-10-03", "11:00"), reply, POLICY)
    if phone_at is None:
        assert call is None
    else:
        assert call is not None
        assert (call.window_start, call.note, call.due) == (
            datetime.fromisoformat(phone_at), "PHONE", end_of_day(datetime.fromisoformat(phone_at).date()))


def test_review_phone_delay_follows_the_policy() -> None:
    call = review_phone_call(at("2026-10-03", "11:00"), None, with_callbacks(review_phone_after_hours=24))
    assert call is not None and call.window_start == at("2026-10-04", "11:00")


def test_most_severe_reviews_come_first_then_oldest() -> None:
    reviews = [Review("r1", 1, at("2026-10-01")), Review("r2", 3, at("2026-10-03")),
               Review("r3", 3, at("2026-10-02")), Review("r4", 2, at("2026-10-01"))]
    assert [r.ref for r in review_order(reviews)] == ["r3", "r2", "r4", "r1"]


# --- status and agenda -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "closed_at", "expected"),
    [
        ("2026-10-03 12:00", None, "due"),
        ("2026-10-05 23:59", None, "due"),  # the whole due day is allowed
        ("2026-10-06 00:00", None, "overdue"),
        ("2026-10-09 08:00", "2026-10-07 10:00", "done"),  # done late is still done
        ("2026-10-01 08:00", None, "due"),  # before the window opens it is still pending
    ],
)
def test_status_is_due_overdue_or_done(now: str, closed_at: str | None, expected: str) -> None:
    closed = None if closed_at is None else datetime.fromisoformat(closed_at)
    call = open_call(closed_at=closed, outcome=None if closed is None else "REACHED")
    assert status(call, datetime.fromisoformat(now)) == expected


@pytest.mark.parametrize(
    ("day", "closed_at", "shown"),
    [
        (date(2026, 10, 1), None, False),
        (date(2026, 10, 2), None, True),
        (date(2026, 10, 9), None, True),  # overdue calls stay on the agenda
        (date(2026, 10, 4), "2026-10-04 10:00", True),
        (date(2026, 10, 5), "2026-10-04 10:00", False),
    ],
)
def test_agenda_shows_open_calls_from_their_window_and_closed_ones_on_their_day(
        day: date, closed_at: str | None, shown: bool) -> None:
    closed = None if closed_at is None else datetime.fromisoformat(closed_at)
    assert on_agenda(open_call(closed_at=closed), day) is shown


# --- outcomes ---------------------------------------------------------------------------------

NOW = at("2026-10-03", "10:00")  # a Saturday


def test_reached_closes_the_call_and_counts() -> None:
    result = apply_outcome(open_call(), "REACHED", NOW, POLICY)
    assert (result.result, result.call.outcome, result.call.closed_at) == ("DONE", "REACHED", NOW)
    assert result.follow_up is None and result.effective
    assert status(result.call, NOW) == "done"


def test_busy_needs_the_agreed_time() -> None:
    with pytest.raises(RuleViolation) as exc:
        apply_outcome(open_call(), "BUSY_RESCHEDULED", NOW, POLICY)
    assert exc.value.field == "new_time"


def test_busy_cannot_be_rescheduled_into_the_past() -> None:
    with pytest.raises(RuleViolation) as exc:
        apply_outcome(open_call(), "BUSY_RESCHEDULED", NOW, POLICY, new_time=NOW - timedelta(minutes=1))
    assert exc.value.field == "new_time"


def test_busy_reschedules_the_same_call_and_does_not_fail_it() -> None:
    later = at("2026-10-08", "15:00")
    result = apply_outcome(open_call(), "BUSY_RESCHEDULED", NOW, POLICY, new_time=later)
    assert result.result == "RESCHEDULED" and result.follow_up is None and not result.effective
    assert result.call.closed_at is None and result.call.outcome is None
    assert (result.call.window_start, result.call.due, result.call.reschedules) == (
        later, end_of_day(date(2026, 10, 8)), 1)
    assert status(result.call, at("2026-10-06")) == "due"  # past the original deadline, not overdue


def test_a_reschedule_chain_ends_when_the_customer_is_reached() -> None:
    call = open_call()
    moments = [at("2026-10-03", "10:00"), at("2026-10-04", "11:00"), at("2026-10-06", "16:00")]
    for now, new_time in itertools.pairwise(moments):
        call = apply_outcome(call, "BUSY_RESCHEDULED", now, POLICY, new_time=new_time).call
    done = apply_outcome(call, "REACHED", moments[-1], POLICY)
    assert (done.call.reschedules, done.call.outcome, done.call.kind) == (2, "REACHED", "SALE1")


def test_no_answer_closes_the_attempt_and_schedules_a_retry_after_the_policy_hours() -> None:
    result = apply_outcome(open_call(due="2026-10-03"), "NO_ANSWER", NOW, POLICY)
    assert (result.result, result.call.outcome, result.call.closed_at) == (
        "RETRY_SCHEDULED", "NO_ANSWER", NOW)
    retry = result.follow_up
    assert retry is not None
    assert (retry.kind, retry.retry_of, retry.attempt) == ("RETRY", "SALE1", 1)
    assert (retry.window_start, retry.due) == (at("2026-10-03", "14:00"), end_of_day(date(2026, 10, 3)))
    assert not result.effective


def test_a_retry_keeps_the_original_deadline_when_it_is_later() -> None:
    retry = apply_outcome(open_call("SALE2", due="2026-10-16"), "NO_ANSWER", NOW, POLICY).follow_up
    assert retry is not None and retry.due == end_of_day(date(2026, 10, 16))


@pytest.mark.parametrize(
    ("now", "retry_at"),
    [
        ("2026-10-02 18:00", "2026-10-03 10:00"),  # Friday evening -> Saturday opening (weekend hours)
        ("2026-10-04 17:00", "2026-10-05 09:00"),  # Sunday -> Monday opening
        ("2026-10-05 03:00", "2026-10-05 09:00"),  # before opening -> opening
        ("2026-10-05 15:59", "2026-10-05 19:59"),
        ("2026-10-05 16:00", "2026-10-06 09:00"),  # 20:00 is closing time
    ],
)
def test_a_retry_falling_outside_opening_hours_moves_to_the_next_opening(now: str, retry_at: str) -> None:
    call = open_call(opens="2026-10-01", due="2026-10-20")
    retry = apply_outcome(call, "NO_ANSWER", datetime.fromisoformat(now), POLICY).follow_up
    assert retry is not None and retry.window_start == datetime.fromisoformat(retry_at)


@pytest.mark.parametrize("max_retries", [0, 1, 3, 5])
def test_no_answer_retries_up_to_max_retries_then_fails(max_retries: int) -> None:
    policy = with_callbacks(max_retries=max_retries)
    call, now, attempts = open_call("SALE3", due="2026-11-30"), NOW, 0
    while True:
        attempts += 1
        result = apply_outcome(call, "NO_ANSWER", now, policy)
        if result.follow_up is None:
            break
        assert result.follow_up.retry_of == "SALE3"
        call, now = result.follow_up, result.follow_up.window_start
    assert result.result == "FAILED" and result.call.closed_at is not None
    assert attempts == max_retries + 1
    assert result.call.attempt == max_retries


def test_retry_chain_can_end_reached_on_a_retry() -> None:
    first = apply_outcome(open_call(), "NO_ANSWER", NOW, POLICY)
    assert first.follow_up is not None
    reached = apply_outcome(first.follow_up, "REACHED", at("2026-10-03", "15:00"), POLICY)
    assert (reached.result, reached.call.kind, reached.call.retry_of, reached.effective) == (
        "DONE", "RETRY", "SALE1", True)


@pytest.mark.parametrize("outcome", ["WRONG_NUMBER", "REFUSED"])
def test_wrong_number_and_refused_close_the_call_without_retry(outcome: str) -> None:
    result = apply_outcome(open_call(), outcome, NOW, POLICY)
    assert (result.result, result.call.outcome, result.follow_up, result.effective) == (
        "CLOSED", outcome, None, False)


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        apply_outcome(open_call(), "HUNG_UP", NOW, POLICY)
    assert exc.value.field == "outcome" and exc.value.params["outcome"] == "HUNG_UP"


def test_a_closed_call_takes_no_further_outcome() -> None:
    done = apply_outcome(open_call(), "REACHED", NOW, POLICY).call
    with pytest.raises(RuleViolation):
        apply_outcome(done, "REACHED", NOW, POLICY)


def test_effective_outcomes_come_from_the_policy() -> None:
    policy = with_callbacks(effective_outcomes=("REACHED", "BUSY_RESCHEDULED"))
    result = apply_outcome(open_call(), "BUSY_RESCHEDULED", NOW, policy, new_time=NOW + timedelta(hours=2))
    assert result.effective


# --- quota ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calls", "home_visit", "effective", "target"),
    [
        ([], False, 0, 15),
        ([("outgoing", "REACHED")] * 3, False, 3, 15),
        ([("incoming", "REACHED")] * 20, False, 0, 15),  # incoming never counts
        ([("outgoing", "NO_ANSWER"), ("outgoing", "BUSY_RESCHEDULED"), ("outgoing", "WRONG_NUMBER"),
          ("outgoing", None), ("outgoing", "REACHED")], False, 1, 15),
        ([("outgoing", "REACHED")] * 8, True, 8, 8),  # home-visit day: lower target
    ],
)
def test_quota_counts_effective_outgoing_calls_only(calls: list[tuple[str, str | None]], home_visit: bool,
                                                    effective: int, target: int) -> None:
    progress = quota_progress(calls, home_visit, POLICY)
    assert (progress.effective, progress.target) == (effective, target)
    assert progress.met is (effective >= target)
    assert progress.remaining == max(target - effective, 0)


def test_quota_target_follows_the_policy() -> None:
    assert quota_progress([], False, with_callbacks(daily_quota=20)).target == 20
    assert quota_progress([], True, with_callbacks(home_visit_quota=5)).target == 5


@pytest.mark.parametrize(("call", "field"), [(("sideways", "REACHED"), "direction"),
                                             (("outgoing", "MAYBE"), "outcome")])
def test_quota_refuses_unknown_directions_and_outcomes(call: tuple[str, str], field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        quota_progress([call], False, POLICY)
    assert exc.value.field == field


# --- assignment ---------------------------------------------------------------------------------


def calls_due(n: int) -> list[Call]:
    return [Call("SALE2", at("2026-10-02"), end_of_day(date(2026, 10, 5) + timedelta(days=i)), ref=f"c{i}")
            for i in range(n)]


def test_assignment_goes_to_the_lowest_load_first() -> None:
    agents = [AgentLoad("A1", "senior", 30, load=5), AgentLoad("A2", "trainee", 1, load=2)]
    suggestion = suggest_assignment(calls_due(4), agents, POLICY)
    assert [(a.call_ref, a.agent) for a in suggestion.assignments] == [
        ("c0", "A2"), ("c1", "A2"), ("c2", "A2"), ("c3", "A1")]


@pytest.mark.parametrize(
    ("agents", "winner"),
    [
        ([AgentLoad("A1", "junior", 40, 3), AgentLoad("A2", "senior", 2, 3)], "A2"),  # higher level
        ([AgentLoad("A1", "junior", 4, 3), AgentLoad("A2", "junior", 9, 3)], "A2"),  # more experience
        ([AgentLoad("A2", "junior", 4, 3), AgentLoad("A1", "junior", 4, 3)], "A1"),  # then the code
    ],
)
def test_equal_load_goes_to_ability_then_experience(agents: list[AgentLoad], winner: str) -> None:
    assert suggest_assignment(calls_due(1), agents, POLICY).assignments[0].agent == winner


def test_assignment_takes_the_most_urgent_call_first() -> None:
    calls = list(reversed(calls_due(3)))
    suggestion = suggest_assignment(calls, [AgentLoad("A1", "junior", 1, 0)], POLICY)
    assert [a.call_ref for a in suggestion.assignments] == ["c0", "c1", "c2"]


def test_assignment_stops_at_each_agents_quota() -> None:
    agents = [AgentLoad("A1", "junior", 1, load=14), AgentLoad("A2", "junior", 1, load=7, home_visit=True)]
    suggestion = suggest_assignment(calls_due(4), agents, POLICY)
    assert sorted(a.agent for a in suggestion.assignments) == ["A1", "A2"]
    assert suggestion.unassigned == ("c2", "c3")


def test_assignment_is_deterministic_whatever_the_input_order() -> None:
    agents = [AgentLoad(f"A{i}", POLICY.level_codes[i % 5], i * 3 % 7, i % 4) for i in range(6)]
    calls = calls_due(12)
    expected = suggest_assignment(calls, agents, POLICY)
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(agents)
        rng.shuffle(calls)
        assert suggest_assignment(calls, agents, POLICY) == expected


def test_assignment_refuses_closed_calls_and_unknown_levels() -> None:
    closed = dataclasses.replace(calls_due(1)[0], closed_at=NOW, outcome="REACHED")
    with pytest.raises(RuleViolation) as exc:
        suggest_assignment([closed], [AgentLoad("A1", "junior", 1, 0)], POLICY)
    assert exc.value.field == "calls"
    with pytest.raises(RuleViolation) as exc:
        suggest_assignment(calls_due(1), [AgentLoad("A1", "wizard", 1, 0)], POLICY)
    assert exc.value.field == "level"


@settings(max_examples=100)
@given(loads=st.lists(st.integers(0, 15), min_size=1, max_size=6), n=st.integers(0, 40))
def test_assignment_balances_load_and_respects_quotas(loads: list[int], n: int) -> None:
    agents = [AgentLoad(f"A{i}", "junior", 1, load) for i, load in enumerate(loads)]
    suggestion = suggest_assignment(calls_due(n), agents, POLICY)
    assert len(suggestion.assignments) + len(suggestion.unassigned) == n
    cap = POLICY.callbacks.daily_quota
    final = {a.agent: a.load for a in agents}
    for assignment in suggestion.assignments:
        final[assignment.agent] += 1
    receivers = {a.agent for a in suggestion.assignments}
    assert all(final[agent] <= cap for agent in receivers)
    # greedy by load: a receiver ends at most one above anyone who still has room
    for agent in receivers:
        assert all(final[agent] <= load + 1 for load in final.values() if load < cap)
    if suggestion.unassigned:
        assert all(load >= cap for load in final.values())


# --- phone masking (rules.md §12) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "owner", "shown"),
    [
        ("director", False, "13812345678"),
        ("supervisor", False, "13812345678"),
        ("team_lead", False, "138****5678"),
        ("trainer", False, "138****5678"),
        ("qa", False, "138****5678"),
        ("agent", False, "138****5678"),
        ("agent", True, "13812345678"),  # the owner has to dial it
        ("team_lead", True, "13812345678"),
        ("visitor", False, "138****5678"),  # unknown roles see the least
    ],
)
def test_phone_is_masked_by_role(role: str, owner: bool, shown: str) -> None:
    assert mask_phone("13812345678", role, owner=owner) == shown


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+86 138-1234-5678", "+86 1**-****-5678"),
        ("010-6543210", "010-****210"),
        ("6543210", "6****10"),
        ("12345", "****5"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_masking_keeps_separators_and_hides_at_least_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone, "agent") == masked


def test_every_policy_role_has_a_masking_decision() -> None:
    full = {role for role in POLICY.codes.roles if mask_phone("13812345678", role) == "13812345678"}
    assert full == {"director", "supervisor"}


@settings(max_examples=200)
@given(phone=st.text(alphabet="0123456789 -+()", max_size=20))
def test_masking_never_shows_more_than_seven_digits(phone: str) -> None:
    masked = mask_phone(phone, "agent")
    digits = sum(ch.isdigit() for ch in phone)
    assert len(masked) == len(phone)
    assert sum(ch.isdigit() for ch in masked) <= min(max(digits - 4, 0), 7)
    assert [ch for ch in masked if not ch.isdigit() and ch != "*"] == [
        ch for ch in phone if not ch.isdigit()]
