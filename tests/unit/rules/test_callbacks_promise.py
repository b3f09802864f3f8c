"""Callback performance (rules.md §9): was each promised call made on time?"""

from __future__ import annotations

from datetime import datetime

import pytest

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.rules.callbacks import (
    NO_ANSWER,
    PROMISE_LATE,
    PROMISE_MISSED,
    PROMISE_ON_TIME,
    PROMISE_PENDING,
    REACHED,
    Call,
    apply_outcome,
    promise_status,
)

POLICY = load_policy()
DUE = datetime(2026, 10, 3, 23, 59, 59, 999999)
FIRST = Call("SALE1", datetime(2026, 10, 1), DUE, ref="1")


def test_a_call_closed_before_its_deadline_is_on_time() -> None:
    done = apply_outcome(FIRST, REACHED, datetime(2026, 10, 2, 10, 0), POLICY).call
    assert promise_status([done], datetime(2026, 10, 20)) == PROMISE_ON_TIME


def test_a_call_closed_after_its_deadline_is_late() -> None:
    done = apply_outcome(FIRST, REACHED, datetime(2026, 10, 4, 10, 0), POLICY).call
    assert promise_status([done], datetime(2026, 10, 20)) == PROMISE_LATE


@pytest.mark.parametrize(("now", "expected"), [(datetime(2026, 10, 3, 22, 0), PROMISE_PENDING), (datetime(2026, 10, 4, 0, 0), PROMISE_MISSED)])
def test_an_open_call_is_pending_until_its_deadline_then_missed(now: datetime, expected: str) -> None:
    assert promise_status([FIRST], now) == expected


def test_a_retry_on_the_last_day_carries_the_deadline_to_its_own_day() -> None:
    first = apply_outcome(FIRST, NO_ANSWER, datetime(2026, 10, 3, 19, 0), POLICY)
    assert first.follow_up is not None and first.follow_up.due > DUE
    retry = apply_outcome(first.follow_up, REACHED, datetime(2026, 10, 4, 11, 0), POLICY).call
    assert promise_status([first.call, retry], datetime(2026, 10, 20)) == PROMISE_ON_TIME


def test_an_open_retry_decides_even_when_the_first_attempt_is_closed() -> None:
    first = apply_outcome(FIRST, NO_ANSWER, datetime(2026, 10, 2, 9, 0), POLICY)
    assert first.follow_up is not None
    assert promise_status([first.call, first.follow_up], datetime(2026, 10, 5)) == PROMISE_MISSED


def test_a_promise_without_attempts_is_refused() -> None:
    with pytest.raises(RuleViolation):
        promise_status([], datetime(2026, 10, 5))
