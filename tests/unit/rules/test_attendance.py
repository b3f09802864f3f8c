"""Attendance rules (rules.md §2, Appendix A): classification, runs, money, plans, requests."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import Policy, load_policy
from csdesk.policy.model import ShiftTemplate
from csdesk.rules import attendance
from csdesk.rules.attendance import (
    ABSENT,
    EARLY,
    HOLIDAY,
    LATE,
    LATE_EARLY,
    MISSED,
    NOSHIFT,
    ON,
    REST,
    DayInput,
    DayLeave,
    DayResult,
    MonthSummary,
    attribute_punches,
    check_shift_plan,
    classify_day,
    is_scored,
    shown_in_month,
    summarize_month,
    validate_missed_punch_request,
    validate_swap,
)

POLICY = load_policy()
DAY = date(2026, 10, 14)  # a Wednesday
BASE_PAY = POLICY.level("junior").base_pay  # 2200


def at(day: date, hhmm: str) -> datetime:
    """``day`` at ``hhmm``; hours of 24 and more run into the next day ("24:10")."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time()) + timedelta(hours=hours, minutes=minutes)


def worked(
    clock_in: str | None = "08:30",
    clock_out: str | None = "18:00",
    *,
    shift: str | None = "D",
    day: date = DAY,
    **fields: object,
) -> DayInput:
    punches = tuple(at(day, t) for t in (clock_in, clock_out) if t is not None)
    return DayInput(day=day, shift=shift, punches=punches, **fields)  # type: ignore[arg-type]


def attendance_policy(**changes: object) -> Policy:
    return dataclasses.replace(POLICY, attendance=dataclasses.replace(POLICY.attendance, **changes))


def assert_refused(exc: pytest.ExceptionInfo[RuleViolation], field: str) -> None:
    """A refusal names its field and fills every placeholder of its English msgid."""
    assert exc.value.field == field
    assert set(re.findall(r"{(\w+)}", exc.value.msgid)) <= set(exc.value.params)


# --- classify_day: lateness and early leave -----------------------------------------------------


@pytest.mark.parametrize(
    ("clock_in", "status", "late", "reason"),
    [
        ("08:00", ON, 0, None),
        ("08:30", ON, 0, None),
        ("08:31", LATE, 1, None),
        ("09:00", LATE, 30, None),
        ("09:01", ABSENT, 31, "LATE_OVER_MAX"),
        ("11:00", ABSENT, 150, "LATE_OVER_MAX"),
    ],
    ids=["early-arrival", "0-min", "1-min", "30-min", "31-min", "150-min"],
)
def test_late_arrival_is_late_for_1_to_30_minutes_and_absence_beyond(
    clock_in: str, status: str, late: int, reason: str | None
) -> None:
    result = classify_day(worked(clock_in), POLICY)
    assert (result.status, result.late_minutes, result.reason) == (status, late, reason)


def test_late_31_minutes_is_absence() -> None:
    assert classify_day(worked("09:01"), POLICY).status == ABSENT


@pytest.mark.parametrize(
    ("clock_out", "status", "early", "reason"),
    [
        ("19:30", ON, 0, None),
        ("18:00", ON, 0, None),
        ("17:59", EARLY, 1, None),
        ("17:30", EARLY, 30, None),
        ("17:29", ABSENT, 31, "EARLY_OVER_MAX"),
    ],
    ids=["overtime", "0-min", "1-min", "30-min", "31-min"],
)
def test_early_leave_is_early_for_1_to_30_minutes_and_absence_beyond(
    clock_out: str, status: str, early: int, reason: str | None
) -> None:
    result = classify_day(worked(clock_out=clock_out), POLICY)
    assert (result.status, result.early_minutes, result.reason) == (status, early, reason)


def test_late_and_early_on_one_day_is_late_early() -> None:
    result = classify_day(worked("08:40", "17:45"), POLICY)
    assert (result.status, result.late_minutes, result.early_minutes) == (LATE_EARLY, 10, 15)


def test_late_within_limit_but_early_beyond_limit_is_absence() -> None:
    result = classify_day(worked("08:40", "17:00"), POLICY)
    assert (result.status, result.reason) == (ABSENT, "EARLY_OVER_MAX")


@pytest.mark.parametrize(
    ("clock_in", "status"),
    [(datetime(2026, 10, 14, 8, 30, 59), ON), (datetime(2026, 10, 14, 8, 31, 0), LATE)],
    ids=["08:30:59-on-time", "08:31:00-late"],
)
def test_punches_are_compared_at_whole_minutes(clock_in: datetime, status: str) -> None:
    day = DayInput(DAY, "D", (clock_in, at(DAY, "18:00")))
    assert classify_day(day, POLICY).status == status


def test_first_and_last_punch_are_clock_in_and_clock_out() -> None:
    day = DayInput(DAY, "D", tuple(at(DAY, t) for t in ("12:00", "08:29", "18:01", "12:30")))
    assert classify_day(day, POLICY).status == ON


@pytest.mark.parametrize(
    ("clock_out", "status", "early"),
    [("24:00", ON, 0), ("24:45", ON, 0), ("23:59", EARLY, 1), ("23:30", EARLY, 30), ("23:29", ABSENT, 31)],
    ids=["midnight", "00:45", "23:59", "23:30", "23:29"],
)
def test_evening_shift_ends_at_midnight(clock_out: str, status: str, early: int) -> None:
    result = classify_day(worked("15:30", clock_out, shift="E"), POLICY)
    assert (result.status, result.early_minutes) == (status, early)


@pytest.mark.parametrize(
    ("clock_in", "status"), [("08:35", ON), ("08:36", LATE), ("09:00", LATE), ("09:01", ABSENT)]
)
def test_grace_minutes_delay_late_but_not_the_absence_line(clock_in: str, status: str) -> None:
    assert classify_day(worked(clock_in), attendance_policy(grace_minutes=5)).status == status


def test_changed_late_max_in_the_policy_changes_the_outcome() -> None:
    day = worked("09:01")
    assert classify_day(day, POLICY).status == ABSENT
    assert classify_day(day, attendance_policy(late_max_minutes=45)).status == LATE


@settings(max_examples=100, deadline=None)
@given(
    in_offset=st.integers(-120, 120),
    out_offset=st.integers(-120, 120),
    grace=st.integers(0, 10),
    late_max=st.integers(11, 60),
    early_max=st.integers(1, 60),
)
def test_any_punch_pair_is_classified_by_the_thresholds(
    in_offset: int, out_offset: int, grace: int, late_max: int, early_max: int
) -> None:
    policy = attendance_policy(grace_minutes=grace, late_max_minutes=late_max, early_max_minutes=early_max)
    start = at(DAY, "08:30")
    end = at(DAY, "18:00")
    day = DayInput(DAY, "D", (start + timedelta(minutes=in_offset), end + timedelta(minutes=out_offset)))
    late, early = max(0, in_offset), max(0, -out_offset)
    if late > late_max or early > early_max:
        expected = ABSENT
    else:
        expected = {(False, False): ON, (True, False): LATE, (False, True): EARLY, (True, True): LATE_EARLY}[
            (late > grace, early > 0)
        ]
    result = classify_day(day, policy)
    assert (result.status, result.late_minutes, result.early_minutes) == (expected, late, early)


# --- classify_day: no punches, one punch, corrections ------------------------------------------


def test_no_punches_and_no_leave_is_absence() -> None:
    result = classify_day(worked(None, None), POLICY)
    assert (result.status, result.reason) == (ABSENT, "NO_PUNCHES")


def test_a_single_punch_is_a_missed_punch() -> None:
    result = classify_day(worked("08:30", None), POLICY)
    assert (result.status, result.reason) == (MISSED, "ONE_PUNCH")


def test_two_punches_in_the_same_minute_are_one_punch() -> None:
    day = DayInput(DAY, "D", (at(DAY, "08:30"), at(DAY, "08:30") + timedelta(seconds=20)))
    assert classify_day(day, POLICY).status == MISSED


@pytest.mark.parametrize(("correction", "status"), [("18:00", ON), ("17:50", EARLY), ("17:00", ABSENT)])
def test_an_approved_correction_supplies_the_missing_punch(correction: str, status: str) -> None:
    result = classify_day(worked("08:30", None, corrections=(at(DAY, correction),)), POLICY)
    assert (result.status, result.corrected) == (status, True)


def test_corrections_can_supply_both_punches() -> None:
    day = worked(None, None, corrections=(at(DAY, "08:30"), at(DAY, "18:00")))
    assert classify_day(day, POLICY).status == ON


# --- classify_day: schedule and holidays ---------------------------------------------------------


@pytest.mark.parametrize(
    ("shift", "is_holiday", "status"),
    [(None, False, NOSHIFT), ("R", False, REST), ("R", True, HOLIDAY), (None, True, HOLIDAY)],
)
def test_days_without_a_working_shift(shift: str | None, is_holiday: bool, status: str) -> None:
    assert classify_day(worked(None, None, shift=shift, is_holiday=is_holiday), POLICY).status == status


def test_public_holidays_are_worked_by_default() -> None:
    assert classify_day(worked(None, None, is_holiday=True), POLICY).status == ABSENT


def test_public_holiday_is_off_when_the_policy_says_holidays_are_not_worked() -> None:
    hours = dataclasses.replace(POLICY.department_hours, holidays_worked=False)
    policy = dataclasses.replace(POLICY, department_hours=hours)
    assert classify_day(worked(None, None, is_holiday=True), policy).status == HOLIDAY


def test_unknown_shift_code_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        classify_day(worked(shift="Z"), POLICY)
    assert_refused(exc, "shift")


# --- classify_day: leave --------------------------------------------------------------------------


def test_approved_full_day_leave_is_leave_of_its_type() -> None:
    result = classify_day(worked(None, None, leave=DayLeave("SICK")), POLICY)
    assert (result.status, result.leave_code, result.leave_days, result.leave_hours) == (
        "LEAVE:SICK",
        "SICK",
        1.0,
        9.5,
    )


def test_unapproved_leave_is_absence() -> None:
    result = classify_day(worked(None, None, leave=DayLeave("PERSONAL", approved=False)), POLICY)
    assert (result.status, result.reason, result.leave_days) == (ABSENT, "LEAVE_NOT_APPROVED", 0.0)


def test_leave_that_does_not_stand_is_absence_for_its_reason() -> None:
    leave = DayLeave("SICK", absence_reason="LEAVE_NO_CERTIFICATE")
    result = classify_day(worked(None, None, leave=leave), POLICY)
    assert (result.status, result.reason) == (ABSENT, "LEAVE_NO_CERTIFICATE")


def test_unapproved_leave_on_a_worked_day_is_judged_on_the_punches() -> None:
    assert classify_day(worked(leave=DayLeave("PERSONAL", approved=False)), POLICY).status == ON


def test_leave_on_a_rest_day_is_a_rest_day() -> None:
    assert classify_day(worked(None, None, shift="R", leave=DayLeave("SICK")), POLICY).status == REST


@pytest.mark.parametrize(
    ("clock_in", "clock_out", "leave", "status", "late", "early"),
    [
        ("10:30", "18:00", DayLeave("PERSONAL", hours=2), ON, 0, 0),
        ("10:31", "18:00", DayLeave("PERSONAL", hours=2), LATE, 1, 0),
        ("11:01", "18:00", DayLeave("PERSONAL", hours=2), ABSENT, 31, 0),
        ("08:30", "16:00", DayLeave("PERSONAL", hours=2, at_start=False), ON, 0, 0),
        ("08:30", "15:59", DayLeave("PERSONAL", hours=2, at_start=False), EARLY, 0, 1),
        ("08:30", "17:00", DayLeave("NURSING", hours=1, at_start=False), ON, 0, 0),
        ("10:30", "18:00", DayLeave("PERSONAL", hours=2, approved=False), ABSENT, 120, 0),
    ],
    ids=[
        "start-on-time",
        "start-1-late",
        "start-31-late",
        "end-on-time",
        "end-1-early",
        "nursing",
        "unapproved",
    ],
)
def test_part_day_leave_moves_the_expected_start_or_end(
    clock_in: str, clock_out: str, leave: DayLeave, status: str, late: int, early: int
) -> None:
    result = classify_day(worked(clock_in, clock_out, leave=leave), POLICY)
    assert (result.status, result.late_minutes, result.early_minutes) == (status, late, early)


def test_part_day_leave_records_its_hours_and_share_of_the_shift() -> None:
    result = classify_day(worked("10:30", leave=DayLeave("PERSONAL", hours=2)), POLICY)
    assert result.leave_code == "PERSONAL"
    assert result.leave_hours == 2
    assert result.leave_days == pytest.approx(2 / 9.5)


def test_part_day_leave_as_long_as_the_shift_is_a_full_leave_day() -> None:
    assert classify_day(worked(None, None, leave=DayLeave("SICK", hours=9.5)), POLICY).status == "LEAVE:SICK"


@pytest.mark.parametrize(
    ("leave", "field"), [(DayLeave("HOLIDAY"), "leave"), (DayLeave("SICK", hours=0), "hours")]
)
def test_malformed_leave_is_refused(leave: DayLeave, field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        classify_day(worked(leave=leave), POLICY)
    assert_refused(exc, field)


# --- attribute_punches ----------------------------------------------------------------------------


def test_a_clock_out_after_midnight_belongs_to_the_evening_shift_before() -> None:
    punches = [at(DAY, "15:28"), at(DAY, "24:05")]
    assert attribute_punches(punches, {DAY: "E"}, POLICY) == {DAY: tuple(punches)}


@pytest.mark.parametrize(("punch", "owner"), [("24:00", DAY), ("29:59", DAY), ("30:00", DAY + timedelta(1))])
def test_overnight_window_is_six_hours_after_the_shift_end(punch: str, owner: date) -> None:
    assert list(attribute_punches([at(DAY, punch)], {DAY: "E"}, POLICY)) == [owner]


def test_overnight_window_is_a_parameter() -> None:
    punch = at(DAY, "26:00")
    assert list(attribute_punches([punch], {DAY: "E"}, POLICY, window=timedelta(hours=1))) == [punch.date()]


def test_evening_then_day_shift_split_their_punches() -> None:
    tomorrow = DAY + timedelta(days=1)
    punches = [at(DAY, "15:25"), at(DAY, "24:03"), at(tomorrow, "08:20"), at(tomorrow, "18:01")]
    grouped = attribute_punches(punches, {DAY: "E", tomorrow: "D"}, POLICY)
    assert grouped == {DAY: tuple(punches[:2]), tomorrow: tuple(punches[2:])}


def test_a_punch_after_midnight_following_a_day_shift_stays_on_its_own_day() -> None:
    punch = at(DAY, "24:30")
    assert list(attribute_punches([punch], {DAY: "D"}, POLICY)) == [punch.date()]


@pytest.mark.parametrize(("punch", "owner"), [("24:30", DAY), ("24:31", DAY + timedelta(1))])
def test_between_two_shifts_a_punch_goes_to_the_nearer_one(punch: str, owner: date) -> None:
    night = ShiftTemplate("N", time(1, 0), time(9, 0))
    policy = dataclasses.replace(POLICY, shifts=(*POLICY.shifts, night))
    roster = {DAY: "E", DAY + timedelta(1): "N"}
    assert list(attribute_punches([at(DAY, punch)], roster, policy)) == [owner]


@settings(max_examples=100, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 3 * 24 * 60 - 1), max_size=12),
    shifts=st.lists(st.sampled_from(["D", "E", "R"]), min_size=3, max_size=3),
)
def test_every_punch_is_attributed_exactly_once_and_in_order(offsets: list[int], shifts: list[str]) -> None:
    punches = [at(DAY, "00:00") + timedelta(minutes=m) for m in offsets]
    roster = {DAY + timedelta(days=i): code for i, code in enumerate(shifts)}
    grouped = attribute_punches(punches, roster, POLICY)
    assert sorted(p for group in grouped.values() for p in group) == sorted(punches)
    for owner, group in grouped.items():
        assert list(group) == sorted(group)
        assert all(p.date() in (owner, owner + timedelta(days=1)) for p in group)


# --- summarize_month ------------------------------------------------------------------------------

TOKENS = {
    "ON": ON,
    "L": LATE,
    "E": EARLY,
    "LE": LATE_EARLY,
    "A": ABSENT,
    "R": REST,
    "H": HOLIDAY,
    "V": "LEAVE:SICK",
    "M": MISSED,
    "N": NOSHIFT,
}
OCT_1 = date(2026, 10, 1)


def results(pattern: str, start: date = OCT_1) -> list[DayResult]:
    out = []
    for i, token in enumerate(pattern.split()):
        status = TOKENS[token]
        leave = status.startswith("LEAVE:")
        out.append(
            DayResult(
                start + timedelta(days=i),
                status,
                leave_code="SICK" if leave else None,
                leave_days=1.0 if leave else 0.0,
            )
        )
    return out


def month(pattern: str, policy: Policy = POLICY, base_pay: int = BASE_PAY) -> MonthSummary:
    return summarize_month(results(pattern), base_pay, policy)


def counts(summary: MonthSummary) -> tuple[int, int, int, int]:
    return summary.late, summary.early, summary.absent, summary.deduction_cny


@pytest.mark.parametrize(
    ("pattern", "late", "early", "absent", "deduction"),
    [
        ("L L L", 0, 0, 1, 50),
        ("L L ON", 2, 0, 0, 40),
        ("L ON L L", 3, 0, 0, 60),
        ("L E LE", 0, 0, 1, 50),
        ("L R V L H N L", 0, 0, 1, 50),
        ("L L A L", 3, 0, 1, 110),
        ("L L M L", 3, 0, 0, 70),
        ("L L L L L", 2, 0, 1, 90),
        ("L L L L L L", 0, 0, 2, 100),
        ("LE ON", 1, 1, 0, 40),
        ("LE LE", 2, 2, 0, 80),
    ],
    ids=[
        "three-lates-are-one-absence",
        "two-lates-and-an-on-time-day-are-two-lates",
        "an-on-time-day-breaks-the-run",
        "late-and-early-mix-in-one-run",
        "rest-leave-holiday-and-noshift-neither-count-nor-break",
        "an-absence-breaks-the-run",
        "a-missed-punch-breaks-the-run",
        "after-three-the-count-starts-again",
        "six-lates-are-two-absences",
        "late-early-is-two-occurrences",
        "two-late-early-days-are-four-occurrences",
    ],
)
def test_three_consecutive_lates_count_as_one_absence(
    pattern: str, late: int, early: int, absent: int, deduction: int
) -> None:
    assert counts(month(pattern)) == (late, early, absent, deduction)


def test_month_boundary_breaks_the_run() -> None:
    october = summarize_month(results("L L", date(2026, 10, 30)), BASE_PAY, POLICY)
    november = summarize_month(results("L", date(2026, 11, 1)), BASE_PAY, POLICY)
    assert (october.late, october.absent, november.late, november.absent) == (2, 0, 1, 0)


def test_a_summary_spanning_two_months_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        summarize_month(results("L L L", date(2026, 10, 30)), BASE_PAY, POLICY)
    assert_refused(exc, "days")


@pytest.mark.parametrize(
    ("pattern", "pay_cut"),
    [
        ("A A", False),
        ("A A A", True),
        ("A A ON A", False),
        ("A R A V H A", True),
        ("A A L L L", True),
        ("L L L A A", True),
        ("A L L L A", True),
        ("A A L L A", False),
        ("A A M A", False),
    ],
    ids=[
        "two-absences",
        "third-consecutive-absence",
        "on-time-day-breaks-absences",
        "rest-leave-holiday-do-not-break-absences",
        "three-lates-are-the-third-absence",
        "three-lates-start-the-absence-run",
        "three-lates-in-the-middle-of-the-run",
        "two-standing-lates-break-absences",
        "a-missed-punch-breaks-absences",
    ],
)
def test_third_consecutive_absence_cuts_the_pay(pattern: str, pay_cut: bool) -> None:
    summary = month(pattern)
    cut = [line for line in summary.ledger if line.code == "PAY_CUT"]
    assert ("ABSENCE_PAY_CUT" in summary.flags) is pay_cut
    assert [line.amount_cny for line in cut] == ([BASE_PAY // 2] if pay_cut else [])


def test_pay_cut_is_dated_on_the_third_absence_and_adds_to_each_absence() -> None:
    summary = month("A ON A A A")
    (cut,) = [line for line in summary.ledger if line.code == "PAY_CUT"]
    assert cut.day == date(2026, 10, 5)
    assert summary.deduction_cny == 4 * 50 + 1100


def test_pay_cut_applies_once_a_month() -> None:
    summary = month("A A A ON A A A")
    assert [line.code for line in summary.ledger].count("PAY_CUT") == 1


def test_pay_cut_is_rounded_half_up_to_whole_yuan() -> None:
    summary = month("A A A", base_pay=2555)
    assert [line.amount_cny for line in summary.ledger if line.code == "PAY_CUT"] == [1278]


@pytest.mark.parametrize(
    ("pattern", "flagged"), [("A A A A", False), ("A A A A A", True), ("A A A L L L A", True)]
)
def test_five_consecutive_absences_flag_disciplinary_review(pattern: str, flagged: bool) -> None:
    assert ("DISCIPLINARY_REVIEW" in month(pattern).flags) is flagged


@pytest.mark.parametrize(
    ("pattern", "bonus"),
    [
        ("ON ON R ON H", 100),
        ("ON L", 0),
        ("ON E", 0),
        ("ON A", 0),
        ("ON V", 0),
        ("ON M", 100),
        ("R R N", 0),
    ],
    ids=["clean-month", "late", "early", "absence", "leave", "missed-punch-is-not-listed", "no-worked-day"],
)
def test_full_attendance_bonus_needs_no_late_early_absence_or_leave(pattern: str, bonus: int) -> None:
    assert month(pattern).full_attendance_bonus_cny == bonus


def test_part_day_leave_forfeits_the_full_attendance_bonus() -> None:
    day = classify_day(worked("10:30", leave=DayLeave("PERSONAL", hours=2)), POLICY)
    summary = summarize_month([day], BASE_PAY, POLICY)
    assert summary.full_attendance_bonus_cny == 0
    assert summary.leave_days == pytest.approx(2 / 9.5)


def test_missed_punch_and_unarranged_swap_are_deducted() -> None:
    days = [DayResult(OCT_1, MISSED), DayResult(date(2026, 10, 2), ABSENT, unarranged_swap=True)]
    summary = summarize_month(days, BASE_PAY, POLICY)
    assert [(line.code, line.amount_cny) for line in summary.ledger] == [
        ("MISSED_PUNCH", 10),
        ("SWAP_NOT_ARRANGED", 20),
        ("ABSENT", 50),
    ]
    assert (summary.missed, summary.deduction_cny) == (1, 80)


def test_ledger_lines_carry_the_day_and_code_of_each_deduction() -> None:
    summary = month("L LE ON L L L")
    assert [(line.day.day, line.code, line.amount_cny) for line in summary.ledger] == [
        (1, "LATE", 20),
        (2, "LATE", 20),
        (2, "EARLY", 20),
        (6, "LATES_AS_ABSENCE", 50),
    ]


def test_lates_and_absences_generate_evaluation_events_at_their_default_points() -> None:
    summary = month("L LE ON A L L L")
    assert [(e.day.day, e.code, e.points, e.source) for e in summary.events] == [
        (1, "M01", -2, "attendance"),
        (2, "M01", -2, "attendance"),
        (2, "M01", -2, "attendance"),
        (4, "S01", -20, "attendance"),
        (7, "S01", -20, "attendance"),
    ]


def test_no_events_are_generated_when_the_policy_switch_is_off() -> None:
    assert month("L A", attendance_policy(feed_evaluation_events=False)).events == ()


def test_event_points_follow_the_policy_event_range() -> None:
    m01 = dataclasses.replace(POLICY.event("M01"), points_min=-6, points_max=-3)
    policy = dataclasses.replace(POLICY, events=tuple(m01 if e.code == "M01" else e for e in POLICY.events))
    assert [e.points for e in month("L", policy).events] == [-3]


@pytest.mark.parametrize(
    ("changes", "pattern", "expected"),
    [
        ({"consecutive_lates_as_absence": 2}, "L L", (0, 0, 1, 50)),
        ({"late_deduction": 25}, "L E", (1, 1, 0, 50)),
        ({"absence_deduction": 60}, "A", (0, 0, 1, 60)),
        ({"consecutive_absences_pay_cut": 2, "pay_cut_percent": 10}, "A A", (0, 0, 2, 320)),
    ],
)
def test_changed_policy_numbers_change_the_month(
    changes: dict[str, int], pattern: str, expected: tuple[int, int, int, int]
) -> None:
    assert counts(month(pattern, attendance_policy(**changes))) == expected


def test_summary_accepts_day_inputs_and_classifies_them() -> None:
    days = [
        worked("08:31", day=OCT_1),
        worked(day=date(2026, 10, 2)),
        worked(None, None, day=date(2026, 10, 3)),
    ]
    summary = summarize_month(days, BASE_PAY, POLICY)
    assert [r.status for r in summary.days] == [LATE, ON, ABSENT]
    assert (summary.year, summary.month, summary.deduction_cny) == (2026, 10, 70)


def test_days_are_summarized_in_date_order() -> None:
    assert month("L L L").absent == summarize_month(results("L L L")[::-1], BASE_PAY, POLICY).absent == 1


@pytest.mark.parametrize(
    ("days", "base_pay"),
    [
        ([], BASE_PAY),
        ([DayResult(OCT_1, ON), DayResult(OCT_1, LATE)], BASE_PAY),
        ([DayResult(OCT_1, ON)], -1),
    ],
    ids=["empty", "duplicate-day", "negative-base-pay"],
)
def test_malformed_month_is_refused(days: list[DayResult], base_pay: int) -> None:
    with pytest.raises(RuleViolation):
        summarize_month(days, base_pay, POLICY)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(TOKENS)), min_size=1, max_size=31))
def test_month_totals_agree_with_the_ledger_and_events(tokens: list[str]) -> None:
    summary = month(" ".join(tokens))
    ledger = summary.ledger
    assert summary.deduction_cny == sum(line.amount_cny for line in ledger)
    late_days = sum(r.status in attendance.LATE_STATUSES for r in summary.days)
    standing_days = len({line.day for line in ledger if line.code in ("LATE", "EARLY")})
    assert (
        late_days
        == standing_days + POLICY.attendance.consecutive_lates_as_absence * summary.lates_as_absences
    )
    assert [e.code for e in summary.events].count("M01") == summary.late + summary.early
    assert [e.code for e in summary.events].count("S01") == summary.absent
    pay_cuts = [line.code for line in ledger].count("PAY_CUT")
    assert pay_cuts == (1 if "ABSENCE_PAY_CUT" in summary.flags else 0)
    if "DISCIPLINARY_REVIEW" in summary.flags:
        assert "ABSENCE_PAY_CUT" in summary.flags
    worked_day = any(t in ("ON", "L", "E", "LE", "A", "M") for t in tokens)
    clean = not ({"L", "E", "LE", "A", "V"} & set(tokens))
    bonus = POLICY.attendance.full_attendance_bonus if worked_day and clean else 0
    assert summary.full_attendance_bonus_cny == bonus


# --- check_shift_plan ------------------------------------------------------------------------------


def plan(start: str, end: str, *breaks: tuple[str, str], policy: Policy = POLICY) -> list[tuple[str, object]]:
    spans = [(at(DAY, a), at(DAY, b)) for a, b in breaks]
    warnings = check_shift_plan(at(DAY, start), at(DAY, end), spans, policy)
    return [(w.code, w.params["minutes"]) for w in warnings]


@pytest.mark.parametrize(
    ("shift", "breaks", "warnings"),
    [
        (("08:30", "18:00"), [], [("CONTINUOUS_WORK_TOO_LONG", 570)]),
        (("08:30", "18:00"), [("12:00", "12:35")], []),
        (("08:30", "18:00"), [("12:00", "12:36")], [("MEAL_BREAK_TOO_LONG", 36)]),
        (("08:30", "16:30"), [], []),
        (("08:30", "16:31"), [], [("CONTINUOUS_WORK_TOO_LONG", 481)]),
        (("15:30", "24:00"), [("19:00", "19:30")], []),
        (("08:30", "18:00"), [("09:00", "09:15")], [("CONTINUOUS_WORK_TOO_LONG", 525)]),
    ],
    ids=[
        "day-shift-without-break",
        "35-min-break",
        "36-min-break",
        "480-min",
        "481-min",
        "evening-shift-to-midnight",
        "break-too-early",
    ],
)
def test_nobody_works_more_than_8_hours_in_a_row_and_meal_breaks_last_at_most_35_minutes(
    shift: tuple[str, str], breaks: list[tuple[str, str]], warnings: list[tuple[str, int]]
) -> None:
    assert plan(*shift, *breaks) == warnings


def test_changed_continuous_work_limit_changes_the_plan_warnings() -> None:
    assert plan("08:30", "18:00", policy=attendance_policy(max_continuous_work_minutes=600)) == []


def test_plan_warning_carries_its_parameters() -> None:
    (warning,) = check_shift_plan(at(DAY, "08:30"), at(DAY, "18:00"), [], POLICY)
    assert warning.params == {
        "minutes": 570,
        "max_minutes": 480,
        "start": at(DAY, "08:30"),
        "end": at(DAY, "18:00"),
    }


@pytest.mark.parametrize(
    ("start", "end", "breaks", "field"),
    [
        ("18:00", "08:30", [], "end"),
        ("08:30", "18:00", [("12:30", "12:00")], "breaks"),
        ("08:30", "18:00", [("07:30", "08:00")], "breaks"),
        ("08:30", "18:00", [("12:00", "12:30"), ("12:15", "12:45")], "breaks"),
    ],
    ids=["end-before-start", "break-ends-before-it-starts", "break-outside", "overlapping-breaks"],
)
def test_malformed_shift_plan_is_refused(
    start: str, end: str, breaks: list[tuple[str, str]], field: str
) -> None:
    with pytest.raises(RuleViolation) as exc:
        check_shift_plan(at(DAY, start), at(DAY, end), [(at(DAY, a), at(DAY, b)) for a, b in breaks], POLICY)
    assert_refused(exc, field)


def test_shift_bounds_of_the_evening_shift_end_next_day() -> None:
    assert attendance.shift_bounds(DAY, "E", POLICY) == (at(DAY, "15:30"), at(DAY, "24:00"))


# --- missed-punch corrections and swaps ------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_after", "already"), [(0, 0), (3, 0), (1, 4)], ids=["same-day", "3-days", "5th"]
)
def test_missed_punch_correction_within_3_days_and_5_a_month_is_accepted(
    days_after: int, already: int
) -> None:
    validate_missed_punch_request(DAY, DAY + timedelta(days=days_after), already, POLICY)


@pytest.mark.parametrize(
    ("days_after", "already", "field"),
    [(4, 0, "requested_on"), (-1, 0, "requested_on"), (0, 5, "missed_on")],
    ids=["4-days-late", "before-the-day", "6th-in-a-month"],
)
def test_missed_punch_correction_out_of_time_or_over_the_monthly_limit_is_refused(
    days_after: int, already: int, field: str
) -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_missed_punch_request(DAY, DAY + timedelta(days=days_after), already, POLICY)
    assert_refused(exc, field)


def test_changed_request_window_accepts_a_later_correction() -> None:
    validate_missed_punch_request(
        DAY, DAY + timedelta(days=4), 0, attendance_policy(missed_punch_request_days=5)
    )


def test_approved_swap_with_a_named_colleague_is_accepted() -> None:
    validate_swap("A001", "A002", approved=True)


@pytest.mark.parametrize(
    ("colleague", "approved", "field"),
    [
        (None, True, "colleague"),
        ("  ", True, "colleague"),
        ("A001", True, "colleague"),
        ("A002", False, "approved"),
    ],
    ids=["no-colleague", "blank-colleague", "same-person", "not-approved"],
)
def test_swap_without_colleague_or_approval_is_refused(
    colleague: str | None, approved: bool, field: str
) -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_swap("A001", colleague, approved=approved)
    assert_refused(exc, field)


# --- who is in a month ---


@pytest.mark.parametrize(
    ("role", "rostered", "shown", "scored"),
    [
        ("agent", True, True, True),
        ("agent", False, True, True),  # an agent without a shift still shows (and is scored)
        ("team_lead", True, True, False),  # rostered leads keep a calendar but no scorecard
        ("team_lead", False, False, False),
        ("supervisor", False, False, False),
        ("trainer", True, True, False),
        ("qa", False, False, False),
        ("director", True, True, False),
    ],
)
def test_agents_are_scored_and_shown_others_only_when_rostered(
    role: str, rostered: bool, shown: bool, scored: bool
) -> None:
    assert (shown_in_month(role, rostered), is_scored(role)) == (shown, scored)


def test_the_scored_role_is_a_role_of_the_policy() -> None:
    assert attendance.SCORED_ROLE in POLICY.codes.roles
    assert [role for role in POLICY.codes.roles if is_scored(role)] == ["agent"]


# --- purity ---


def test_attendance_rules_import_only_the_standard_library_policy_records_and_errors() -> None:
    tree = ast.parse(Path(attendance.__file__).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    allowed = {"csdesk.errors", "csdesk.records", "csdesk.policy", "csdesk.policy.model", "__future__"}
    assert {n for n in names if n.split(".")[0] not in sys.stdlib_module_names} <= allowed
