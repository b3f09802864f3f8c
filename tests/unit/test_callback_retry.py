"""A call tried again (busy, no answer) is never due earlier than it was, nor in the past (rules.md §9)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.policy import load_policy
from csdesk.rules.callbacks import BUSY_RESCHEDULED, NO_ANSWER, Call, apply_outcome, end_of_day

POLICY = load_policy()
NOW = datetime(2026, 12, 4, 10, 0)


def call_due(day: date, opens: date = date(2026, 12, 2)) -> Call:
    return Call("SALE2", datetime.combine(opens, time.min), end_of_day(day))


@pytest.mark.parametrize(
    ("agreed", "due"),
    [
        (datetime(2026, 12, 6, 15, 0), date(2026, 12, 8)),  # before the deadline: the deadline stays
        (datetime(2026, 12, 8, 20, 0), date(2026, 12, 8)),  # on the deadline day
        (datetime(2026, 12, 10, 9, 0), date(2026, 12, 10)),  # past it: due by the end of the agreed day
    ],
)
def test_a_busy_customer_s_agreed_time_never_brings_the_deadline_forward(agreed: datetime, due: date) -> None:
    moved = apply_outcome(call_due(date(2026, 12, 8)), BUSY_RESCHEDULED, NOW, POLICY, new_time=agreed).call
    assert (moved.window_start, moved.due) == (agreed, end_of_day(due))


def test_an_overdue_call_rescheduled_is_due_by_the_end_of_the_agreed_day() -> None:
    agreed = datetime(2026, 12, 5, 11, 0)
    moved = apply_outcome(call_due(date(2026, 12, 3)), BUSY_RESCHEDULED, NOW, POLICY, new_time=agreed).call
    assert moved.due == end_of_day(agreed.date())


moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))


@given(now=moments, due_in=st.integers(-30, 30), agreed_in=st.integers(0, 60 * 24 * 30))
def test_a_rescheduled_call_is_due_no_earlier_than_before_nor_before_now(now: datetime, due_in: int, agreed_in: int) -> None:
    call = call_due(now.date() + timedelta(days=due_in), opens=now.date() - timedelta(days=40))
    moved = apply_outcome(call, BUSY_RESCHEDULED, now, POLICY, new_time=now + timedelta(minutes=agreed_in)).call
    assert moved.due >= call.due and moved.due >= now and moved.window_start <= moved.due


@given(now=moments, due_in=st.integers(-30, 30))
def test_a_retry_after_no_answer_is_due_no_earlier_than_the_call_nor_before_now(now: datetime, due_in: int) -> None:
    call = call_due(now.date() + timedelta(days=due_in), opens=now.date() - timedelta(days=40))
    retry = apply_outcome(call, NO_ANSWER, now, POLICY).follow_up
    assert retry is not None
    assert retry.due >= call.due and retry.due >= now and now <= retry.window_start <= retry.due
