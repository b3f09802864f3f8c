"""Callback planning by the real holiday calendar (rules.md §2, §9; issue 13): China's 2026 schedule.

A make-up working day (调休上班) opens at weekday hours; a day off of a holiday block opens at
weekend hours when the site works holidays and is closed when it does not (a retry or a window
moves to the next open day); the site's own lists count; every other day goes by its weekday.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from csdesk.policy import load_policy
from csdesk.policy.model import Policy
from csdesk.rules.callbacks import (
    NO_ANSWER,
    BirthdayMember,
    Call,
    PlannedCall,
    apply_outcome,
    birthday_call,
    birthday_list,
    birthday_plan,
    end_of_day,
    review_phone_call,
    sale4_call,
    sale_plan,
)
from csdesk.services.base import SYSTEM
from csdesk.services.callback_base import opening_calendar
from tests.helpers.factories import write_csv

POLICY = load_policy()  # 09:00–20:00 on weekdays, 10:00–20:00 at weekends, holidays worked, CN


def _site(**hours: object) -> Policy:
    return dataclasses.replace(POLICY, department_hours=dataclasses.replace(POLICY.department_hours, **hours))


CLOSED = _site(holidays_worked=False)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _retry_at(now: str, policy: Policy) -> datetime:
    """Where a RETRY lands after a NO_ANSWER at ``now`` (retry_after_hours = 4)."""
    moment = _at(now)
    call = Call("SALE2", moment - timedelta(days=3), end_of_day(moment.date() + timedelta(days=20)))
    retry = apply_outcome(call, NO_ANSWER, moment, policy, opening=opening_calendar(policy)).follow_up
    assert retry is not None
    return retry.window_start


# --- retries: the opening hours of each kind of day ------------------------------------------


@pytest.mark.parametrize(
    ("now", "retry_at"),
    [
        # 10-10 (Saturday) is worked for National Day: weekday hours, not 10:00.
        ("2026-10-09 17:00", "2026-10-10 09:00"),
        ("2026-10-10 04:30", "2026-10-10 09:00"),
        # 09-20 (Sunday) too; the plain Saturday before it keeps weekend hours.
        ("2026-09-18 18:00", "2026-09-19 10:00"),
        ("2026-09-19 17:00", "2026-09-20 09:00"),
        # 02-14 and 02-28 (Saturdays) of the Spring Festival.
        ("2026-02-13 16:30", "2026-02-14 09:00"),
        ("2026-02-27 19:00", "2026-02-28 09:00"),
        # National Day worked: weekend hours on its weekdays, statutory or given off.
        ("2026-09-30 17:00", "2026-10-01 10:00"),
        ("2026-10-05 03:00", "2026-10-05 10:00"),
        ("2026-10-01 08:00", "2026-10-01 12:00"),
        ("2026-10-07 17:00", "2026-10-08 09:00"),  # the block is over: an ordinary Thursday
        ("2026-09-24 18:00", "2026-09-25 10:00"),  # 中秋节, a Friday
        # Plain days as before.
        ("2026-10-11 17:00", "2026-10-12 09:00"),
        ("2026-10-16 18:00", "2026-10-17 10:00"),
    ],
)
def test_a_retry_opens_at_the_hours_of_its_day_when_holidays_are_worked(now: str, retry_at: str) -> None:
    assert _retry_at(now, POLICY) == _at(retry_at)


@pytest.mark.parametrize(
    ("now", "retry_at"),
    [
        ("2026-09-30 17:00", "2026-10-08 09:00"),  # past the whole National Day block
        ("2026-10-02 11:00", "2026-10-08 09:00"),  # recorded during it
        ("2026-09-30 10:00", "2026-09-30 14:00"),  # the day before is open as usual
        ("2026-10-09 17:00", "2026-10-10 09:00"),  # the make-up Saturday is open, at weekday hours
        ("2026-02-14 17:00", "2026-02-24 09:00"),  # from the make-up Saturday past the Spring Festival
        ("2026-09-24 18:00", "2026-09-28 09:00"),  # Mid-Autumn takes in its weekend
    ],
)
def test_a_retry_skips_the_days_off_when_holidays_are_not_worked(now: str, retry_at: str) -> None:
    assert _retry_at(now, CLOSED) == _at(retry_at)


@pytest.mark.parametrize(
    ("site", "now", "retry_at", "without_the_list"),
    [
        # A make-up Saturday the site adds: weekday hours.
        ({"makeup_days": ("2026-10-17",)}, "2026-10-16 18:00", "2026-10-17 09:00", "2026-10-17 10:00"),
        # A holiday the site removes is an ordinary Thursday, worked or not.
        ({"removed_holidays": ("2026-10-01",)}, "2026-09-30 17:00", "2026-10-01 09:00", "2026-10-01 10:00"),
        ({"removed_holidays": ("2026-10-01",), "holidays_worked": False},
         "2026-09-30 17:00", "2026-10-01 09:00", "2026-10-08 09:00"),
        # A make-up day the site removes is an ordinary Saturday: weekend hours.
        ({"removed_holidays": ("2026-10-10",)}, "2026-10-09 17:00", "2026-10-10 10:00", "2026-10-10 09:00"),
        # The site's own holiday: weekend hours, or closed.
        ({"extra_holidays": ("2026-10-14",)}, "2026-10-13 17:00", "2026-10-14 10:00", "2026-10-14 09:00"),
        ({"extra_holidays": ("2026-10-14",), "holidays_worked": False},
         "2026-10-13 17:00", "2026-10-15 09:00", "2026-10-14 09:00"),
    ],
)
def test_the_site_s_own_lists_decide_the_retry(site: dict[str, object], now: str, retry_at: str,
                                               without_the_list: str) -> None:
    assert _retry_at(now, _site(**site)) == _at(retry_at)
    worked = {k: v for k, v in site.items() if k == "holidays_worked"}
    assert _retry_at(now, _site(**worked)) == _at(without_the_list)


def test_without_a_calendar_the_rules_go_by_the_weekday_as_before() -> None:
    call = Call("SALE1", _at("2026-10-09 00:00"), end_of_day(date(2026, 10, 20)))
    retry = apply_outcome(call, NO_ANSWER, _at("2026-10-09 17:00"), POLICY).follow_up
    assert retry is not None and retry.window_start == _at("2026-10-10 10:00")


# --- windows: the sale plan, call 4, birthdays, the review phone call -------------------------


def _windows(sale: str, first_class: str | None, policy: Policy) -> dict[str, str]:
    """Each planned call's window as "first day..last day"."""
    plan = sale_plan(date.fromisoformat(sale), None, date.fromisoformat(first_class) if first_class else None,
                     policy, opening_calendar(policy))
    return {c.kind: f"{c.window_start.date()}..{c.due.date()}" for c in plan.calls}


@pytest.mark.parametrize(
    ("policy", "sale", "first_class", "expected"),
    [
        # Worked: plain calendar days, as always.
        (POLICY, "2026-09-29", None, {"SALE1": "2026-09-29..2026-10-01", "SALE2": "2026-10-02..2026-10-13",
                                      "SALE3": "2026-10-14..2026-11-10"}),
        # Closed: call 1 due on 10-01 waits for 10-08; call 2 opens the day after.
        (CLOSED, "2026-09-29", None, {"SALE1": "2026-09-29..2026-10-08", "SALE2": "2026-10-09..2026-10-13",
                                      "SALE3": "2026-10-14..2026-11-10"}),
        # A sale entered during the block: call 1 opens and is due on the first open day.
        (CLOSED, "2026-10-03", None, {"SALE1": "2026-10-08..2026-10-08", "SALE2": "2026-10-09..2026-10-17",
                                      "SALE3": "2026-10-18..2026-11-14"}),
        # Call 4 closing on 10-05 (two weeks before a class on 10-19) closes on 10-08.
        (CLOSED, "2026-09-01", "2026-10-19", {"SALE4": "2026-09-28..2026-10-08"}),
        (POLICY, "2026-09-01", "2026-10-19", {"SALE4": "2026-09-28..2026-10-05"}),
        # At short notice it never moves to the class or later: 10-05 stays.
        (CLOSED, "2026-09-28", "2026-10-06", {"SALE4": "2026-09-28..2026-10-05"}),
    ],
)
def test_the_sale_plan_s_windows_move_off_closed_days(policy: Policy, sale: str, first_class: str | None,
                                                      expected: dict[str, str]) -> None:
    windows = _windows(sale, first_class, policy)
    assert {k: windows[k] for k in expected} == expected


def test_call_4_is_planned_alone_with_the_calendar_too() -> None:
    fourth = sale4_call(date(2026, 9, 1), date(2026, 10, 19), CLOSED, opening_calendar(CLOSED))
    assert isinstance(fourth, PlannedCall)
    assert (fourth.window_start, fourth.due) == (datetime(2026, 9, 28), end_of_day(date(2026, 10, 8)))


@pytest.mark.parametrize(
    ("policy", "birthday", "year", "call"),
    [
        (POLICY, "2015-10-02", 2026, "2026-10-02"),  # worked: on the day
        (CLOSED, "2015-10-02", 2026, "2026-10-08"),  # closed: the next open day of the month
        (CLOSED, "2012-02-16", 2026, "2026-02-24"),  # 除夕
        (CLOSED, "2018-10-10", 2026, "2026-10-10"),  # a make-up Saturday is open
        # 2023-12-30/31 are days off of 元旦 2024: the next open day is in January, so the
        # call stays in December (the month's list) on the last open day before.
        (CLOSED, "2015-12-31", 2023, "2023-12-29"),
        (_site(holidays_worked=False, removed_holidays=("2026-10-02",)), "2015-10-02", 2026, "2026-10-02"),
    ],
)
def test_a_birthday_call_moves_off_a_closed_day_within_its_month(policy: Policy, birthday: str, year: int,
                                                                 call: str) -> None:
    opening = opening_calendar(policy)
    day = date.fromisoformat(call)
    assert birthday_call(date.fromisoformat(birthday), year, opening) == day
    plan = birthday_plan(date.fromisoformat(birthday), year, opening)
    assert (plan.window_start, plan.due) == (datetime.combine(day, time.min), end_of_day(day))


def test_the_birthday_list_shows_the_moved_call_day() -> None:
    members = [BirthdayMember("m1", date(2015, 10, 2)), BirthdayMember("m2", date(2016, 10, 9))]
    listing = birthday_list(members, date(2026, 10, 1), opening_calendar(CLOSED))
    assert [(e.member, e.call_date, e.age) for e in listing.normal] == [
        ("m1", date(2026, 10, 8), 11), ("m2", date(2026, 10, 9), 10)]


@pytest.mark.parametrize(
    ("policy", "opens"),
    [(POLICY, datetime(2026, 10, 1, 12, 0)), (CLOSED, datetime(2026, 10, 8))],
)
def test_the_review_phone_call_opens_on_an_open_day(policy: Policy, opens: datetime) -> None:
    sent = datetime(2026, 9, 29, 12, 0)
    call = review_phone_call(sent, None, policy, opening_calendar(policy))
    assert call is not None and (call.window_start, call.due) == (opens, end_of_day(opens.date()))
    # A reply within the 48 hours still cancels it: the limit does not move with the call.
    assert review_phone_call(sent, datetime(2026, 10, 1, 11, 0), policy, opening_calendar(policy)) is None


# --- the service: a NO_ANSWER recorded on the Friday before a make-up Saturday ----------------


def test_a_no_answer_recorded_through_the_service_retries_at_the_make_up_day_s_weekday_hours(
    demo_ctx, clock, tmp_path: Path
) -> None:
    clock.now = datetime(2026, 10, 9, 17, 0)  # Friday; the retry (4 h later) falls after 20:00
    header = "member,phone,sale_date,agent,card_received,first_class,birthday,vip\n"
    csv = header + "周小明,13800000001,2026-10-09,A001,,,,\n"
    demo_ctx.callbacks.import_sales(SYSTEM, write_csv(tmp_path / "sales.csv", csv))
    calls = demo_ctx.callbacks.agenda(SYSTEM).calls
    call1 = next(c for c in calls if c.member == "周小明" and c.kind == "SALE1")
    done = demo_ctx.callbacks.record_outcome(SYSTEM, call1.id, NO_ANSWER)
    assert done.result == "RETRY_SCHEDULED" and done.follow_up is not None
    # 10-10 is a make-up Saturday (调休上班): it opens at 09:00, not at the weekend's 10:00.
    assert done.follow_up.window_start == datetime(2026, 10, 10, 9, 0)
