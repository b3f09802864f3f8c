"""Leave rules (rules.md §3): entitlements, excess, approval chain, standing, caps, counting."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import Policy, load_policy
from csdesk.rules import leave
from csdesk.rules.leave import (
    ApprovalPlan,
    YearLeave,
    approval_plan,
    bereavement_entitlement,
    check_yearly_cap,
    count_leave_days,
    entitlement_days,
    leave_absence_reason,
    leave_days_in_year,
    leave_requirements,
    marriage_entitlement,
    maternity_entitlement,
    nursing_hours,
    split_excess,
    validate_one_block,
)

POLICY = load_policy()
JOINED = date(2020, 3, 1)


def leave_policy(**changes: object) -> Policy:
    return dataclasses.replace(POLICY, leave=dataclasses.replace(POLICY.leave, **changes))


def assert_refused(exc: pytest.ExceptionInfo[RuleViolation], field: str) -> None:
    """A refusal names its field and fills every placeholder of its English msgid."""
    assert exc.value.field == field
    assert set(re.findall(r"{(\w+)}", exc.value.msgid)) <= set(exc.value.params)


# --- entitlements -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "days"),
    [
        ("PERSONAL", None),
        ("SICK", None),
        ("INJURY", None),
        ("NURSING", None),
        ("MARRIAGE", 3),
        ("MATERNITY", 90),
        ("BEREAVEMENT", 3),
        ("ANNUAL", 0),
    ],
)
def test_plain_entitlement_of_each_leave_type(code: str, days: float | None) -> None:
    assert entitlement_days(code, POLICY) == days


def test_annual_leave_entitlement_is_site_defined() -> None:
    types = tuple(
        dataclasses.replace(t, entitlement_days=5) if t.code == "ANNUAL" else t for t in POLICY.leave.types
    )
    assert entitlement_days("ANNUAL", leave_policy(types=types)) == 5


def test_unknown_leave_type_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        entitlement_days("SABBATICAL", POLICY)
    assert_refused(exc, "type")


def marriage(sex: str, born: date, married: date, remarriage: bool = False, policy: Policy = POLICY) -> int:
    return marriage_entitlement(
        sex=sex, born_on=born, married_on=married, joined_on=JOINED, remarriage=remarriage, policy=policy
    )


@pytest.mark.parametrize(
    ("sex", "born", "married", "days"),
    [
        ("M", date(1998, 6, 10), date(2023, 6, 10), 10),
        ("M", date(1998, 6, 10), date(2023, 6, 9), 3),
        ("F", date(2000, 6, 10), date(2023, 6, 10), 10),
        ("F", date(2000, 6, 11), date(2023, 6, 10), 3),
        ("M", date(2000, 6, 10), date(2023, 6, 10), 3),
        ("M", date(2000, 2, 29), date(2025, 2, 28), 3),
        ("M", date(2000, 2, 29), date(2025, 3, 1), 10),
    ],
    ids=[
        "man-25-on-the-day",
        "man-one-day-short-of-25",
        "woman-23",
        "woman-one-day-short-of-23",
        "man-23",
        "leap-day-birthday-not-yet-25",
        "leap-day-birthday-25",
    ],
)
def test_late_marriage_adds_7_days_for_men_from_25_and_women_from_23(
    sex: str, born: date, married: date, days: int
) -> None:
    assert marriage(sex, born, married) == days


def test_remarriage_gives_3_days_even_when_late() -> None:
    assert marriage("M", date(1980, 1, 1), date(2023, 6, 10), remarriage=True) == 3


def test_changed_late_marriage_age_changes_the_entitlement() -> None:
    rules = dataclasses.replace(POLICY.leave.marriage, late_marriage_age_man=28)
    assert marriage("M", date(1998, 6, 10), date(2023, 6, 10), policy=leave_policy(marriage=rules)) == 3


@pytest.mark.parametrize(
    ("sex", "married", "field"),
    [("M", date(2019, 1, 1), "married_on"), ("X", date(2023, 1, 1), "sex")],
    ids=["married-before-joining", "unknown-sex"],
)
def test_marriage_leave_is_refused_before_joining_or_without_a_known_sex(
    sex: str, married: date, field: str
) -> None:
    with pytest.raises(RuleViolation) as exc:
        marriage(sex, date(1990, 1, 1), married)
    assert_refused(exc, field)


@settings(max_examples=100, deadline=None)
@given(
    sex=st.sampled_from(["M", "F"]),
    born=st.dates(date(1960, 1, 1), date(2005, 12, 31)),
    married=st.dates(JOINED, date(2030, 12, 31)),
)
def test_late_marriage_extra_is_given_exactly_from_the_age_threshold(
    sex: str, born: date, married: date
) -> None:
    rules = POLICY.leave.marriage
    threshold = rules.late_marriage_age_man if sex == "M" else rules.late_marriage_age_woman
    age = married.year - born.year - ((married.month, married.day) < (born.month, born.day))
    extra = rules.late_marriage_extra_days if age >= threshold else 0
    assert marriage(sex, born, married) == POLICY.leave.type("MARRIAGE").entitlement_days + extra


@pytest.mark.parametrize(
    ("difficult", "babies", "before", "after"),
    [(False, 1, 15, 75), (True, 1, 15, 90), (False, 2, 15, 90), (True, 3, 15, 120)],
    ids=["normal", "difficult", "twins", "difficult-triplets"],
)
def test_maternity_leave_is_15_before_and_75_or_90_after_plus_15_per_extra_baby(
    difficult: bool, babies: int, before: int, after: int
) -> None:
    result = maternity_entitlement(difficult=difficult, babies=babies, policy=POLICY)
    assert (result.before_days, result.after_days, result.total_days) == (before, after, before + after)


def test_normal_birth_maternity_total_matches_the_type_entitlement() -> None:
    total = maternity_entitlement(difficult=False, babies=1, policy=POLICY).total_days
    assert total == POLICY.leave.type("MATERNITY").entitlement_days


def test_maternity_leave_needs_at_least_one_baby() -> None:
    with pytest.raises(RuleViolation) as exc:
        maternity_entitlement(difficult=False, babies=0, policy=POLICY)
    assert_refused(exc, "babies")


@pytest.mark.parametrize(
    ("relation", "days"),
    [("PARENT", 3), ("CHILD", 3), ("SPOUSE", 3), ("PARENT_IN_LAW", 3), ("GRANDPARENT", 0), ("SIBLING", 0)],
)
def test_bereavement_gives_3_days_for_parents_children_spouse_and_parents_in_law(
    relation: str, days: int
) -> None:
    assert bereavement_entitlement(relation, POLICY) == days


BORN = date(2025, 5, 20)


@pytest.mark.parametrize(
    ("day", "working_day", "hours"),
    [
        (BORN, True, 1),
        (date(2026, 5, 19), True, 1),
        (date(2026, 5, 20), True, 0),
        (date(2025, 5, 19), True, 0),
        (date(2025, 8, 3), False, 0),
    ],
    ids=["birth-day", "day-before-first-birthday", "first-birthday", "before-birth", "rest-day"],
)
def test_nursing_gives_1_hour_per_working_day_until_the_child_is_12_months(
    day: date, working_day: bool, hours: int
) -> None:
    assert nursing_hours(day, BORN, POLICY, working_day=working_day) == hours


@pytest.mark.parametrize(("day", "hours"), [(date(2025, 2, 27), 1), (date(2025, 2, 28), 0)])
def test_a_leap_day_child_turns_one_on_28_february(day: date, hours: int) -> None:
    assert nursing_hours(day, date(2024, 2, 29), POLICY) == hours


@pytest.mark.parametrize(("day", "hours"), [(date(2024, 2, 28), 2), (date(2024, 2, 29), 0)])
def test_changed_nursing_policy_changes_hours_and_period(day: date, hours: int) -> None:
    policy = leave_policy(nursing_hours_per_day=2, nursing_until_child_months=1)
    assert nursing_hours(day, date(2024, 1, 31), policy) == hours


# --- excess days -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "entitlement", "split"),
    [(5, 3, (3, 2)), (3, 3, (3, 0)), (2, 3, (2, 0)), (0, 3, (0, 0)), (2.5, 0, (0, 2.5)), (40, None, (40, 0))],
    ids=["beyond", "exactly", "within", "none", "no-entitlement", "not-capped"],
)
def test_days_beyond_the_entitlement_become_personal_leave(
    requested: float, entitlement: float | None, split: tuple[float, float]
) -> None:
    assert split_excess(requested, entitlement) == split


def test_negative_request_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        split_excess(-1, 3)
    assert_refused(exc, "days")


@settings(max_examples=100, deadline=None)
@given(requested=st.floats(0, 400), entitlement=st.one_of(st.none(), st.floats(0, 200)))
def test_split_keeps_every_day_and_never_exceeds_the_entitlement(
    requested: float, entitlement: float | None
) -> None:
    within, converted = split_excess(requested, entitlement)
    assert within + converted == pytest.approx(requested)
    assert within >= 0 and converted >= 0
    if entitlement is not None:
        assert within <= entitlement


# --- requirements and standing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "certificate", "cancel", "one_block", "notice"),
    [
        ("SICK", True, True, False, 0),
        ("PERSONAL", False, True, False, 0),
        ("MARRIAGE", True, False, True, 15),
        ("BEREAVEMENT", False, False, False, 0),
        ("INJURY", True, False, False, 0),
    ],
)
def test_leave_requirements_follow_the_type(
    code: str, certificate: bool, cancel: bool, one_block: bool, notice: int
) -> None:
    needs = leave_requirements(code, POLICY)
    assert (needs.certificate, needs.cancel_on_return, needs.one_block, needs.apply_days_before) == (
        certificate,
        cancel,
        one_block,
        notice,
    )


@pytest.mark.parametrize(
    ("code", "approved", "certificate", "cancelled", "reason"),
    [
        ("SICK", True, True, True, None),
        ("SICK", False, True, True, "LEAVE_NOT_APPROVED"),
        ("SICK", True, False, True, "LEAVE_NO_CERTIFICATE"),
        ("SICK", True, True, False, "LEAVE_NOT_CANCELLED"),
        ("PERSONAL", True, False, False, "LEAVE_NOT_CANCELLED"),
        ("BEREAVEMENT", True, False, False, None),
        ("MARRIAGE", True, False, True, "LEAVE_NO_CERTIFICATE"),
    ],
    ids=[
        "sick-in-order",
        "unapproved",
        "sick-without-certificate",
        "sick-not-cancelled",
        "personal-not-cancelled",
        "bereavement-needs-neither",
        "marriage-without-certificate",
    ],
)
def test_leave_without_approval_certificate_or_cancellation_is_absence(
    code: str, approved: bool, certificate: bool, cancelled: bool, reason: str | None
) -> None:
    assert (
        leave_absence_reason(
            code,
            approved=approved,
            certificate_provided=certificate,
            cancelled_on_return=cancelled,
            policy=POLICY,
        )
        == reason
    )


def test_changed_cancel_list_changes_the_standing() -> None:
    policy = leave_policy(cancel_required_for=("SICK",))
    assert (
        leave_absence_reason(
            "PERSONAL", approved=True, certificate_provided=False, cancelled_on_return=False, policy=policy
        )
        is None
    )


def test_marriage_leave_is_taken_in_one_block() -> None:
    validate_one_block("MARRIAGE", 0, POLICY)
    validate_one_block("SICK", 3, POLICY)
    with pytest.raises(RuleViolation) as exc:
        validate_one_block("MARRIAGE", 1, POLICY)
    assert_refused(exc, "type")


# --- approval chain and notice -------------------------------------------------------------------------

FIRST_DAY = date(2026, 10, 20)
SHIFT_START = datetime(2026, 10, 20, 8, 30)


def plan_for(
    days: float, notice: int, code: str = "PERSONAL", policy: Policy = POLICY, **kw: object
) -> ApprovalPlan:
    return approval_plan(
        code, days, applied_on=FIRST_DAY - timedelta(days=notice), first_day=FIRST_DAY, policy=policy, **kw
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "approvers", "slip", "long_leave", "notice"),
    [
        (0.5, ("supervisor",), True, False, 0),
        (1, ("supervisor",), True, False, 0),
        (1.5, ("supervisor", "superior"), False, False, 3),
        (2, ("supervisor", "superior"), False, False, 3),
        (7, ("supervisor", "superior"), False, False, 3),
        (7.5, ("supervisor", "superior"), False, True, 7),
        (8, ("supervisor", "superior"), False, True, 7),
    ],
)
def test_approval_chain_grows_with_the_length_of_the_leave(
    days: float, approvers: tuple[str, ...], slip: bool, long_leave: bool, notice: int
) -> None:
    result = plan_for(days, notice=30)
    assert (result.approvers, result.slip, result.long_leave, result.notice_days_required) == (
        approvers,
        slip,
        long_leave,
        notice,
    )
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("days", "notice", "code", "warnings"),
    [
        (1, 0, "PERSONAL", ()),
        (1, -1, "PERSONAL", ("LATE_NOTICE",)),
        (2, 3, "PERSONAL", ()),
        (2, 2, "PERSONAL", ("LATE_NOTICE",)),
        (8, 7, "PERSONAL", ()),
        (8, 6, "PERSONAL", ("LATE_NOTICE",)),
        (3, 15, "MARRIAGE", ()),
        (3, 14, "MARRIAGE", ("LATE_NOTICE",)),
    ],
    ids=[
        "slip-on-the-day",
        "slip-after-the-day",
        "3-days-ahead",
        "2-days-ahead",
        "long-7-days-ahead",
        "long-6-days-ahead",
        "marriage-15-days-ahead",
        "marriage-14-days-ahead",
    ],
)
def test_notice_must_be_given_the_required_days_ahead(
    days: float, notice: int, code: str, warnings: tuple[str, ...]
) -> None:
    result = plan_for(days, notice, code)
    assert (result.warnings, result.notice_days_given) == (warnings, notice)


@pytest.mark.parametrize(
    ("phoned_at", "warning"),
    [
        (SHIFT_START - timedelta(hours=2), "EMERGENCY_FORM_ON_RETURN"),
        (SHIFT_START + timedelta(hours=1), "EMERGENCY_FORM_ON_RETURN"),
        (SHIFT_START + timedelta(hours=1, minutes=1), "EMERGENCY_NOTICE_LATE"),
    ],
    ids=["before-the-shift", "exactly-1-hour", "1-hour-1-minute"],
)
def test_emergency_leave_needs_a_phone_call_within_1_hour(phoned_at: datetime, warning: str) -> None:
    result = plan_for(2, 0, phoned_at=phoned_at, leave_starts_at=SHIFT_START)
    assert result.warnings == (warning,)


def test_changed_emergency_window_accepts_a_later_call() -> None:
    policy = leave_policy(emergency_notice_hours=24)
    result = plan_for(
        2, 0, policy=policy, phoned_at=SHIFT_START + timedelta(hours=20), leave_starts_at=SHIFT_START
    )
    assert result.warnings == ("EMERGENCY_FORM_ON_RETURN",)


def test_changed_long_leave_threshold_changes_the_notice() -> None:
    assert plan_for(8, 30, policy=leave_policy(long_leave_days=10)).notice_days_required == 3


@pytest.mark.parametrize(
    ("days", "kw", "field"),
    [(0, {}, "days"), (2, {"phoned_at": SHIFT_START}, "leave_starts_at")],
    ids=["zero-days", "phone-without-shift-start"],
)
def test_malformed_leave_request_is_refused(days: float, kw: dict[str, object], field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        plan_for(days, 0, **kw)
    assert_refused(exc, field)


@settings(max_examples=100, deadline=None)
@given(shorter=st.floats(0.5, 30), longer=st.floats(0.5, 30))
def test_longer_leave_never_needs_fewer_approvers_or_less_notice(shorter: float, longer: float) -> None:
    short, long_ = sorted((shorter, longer))
    a, b = plan_for(short, 30), plan_for(long_, 30)
    assert len(a.approvers) <= len(b.approvers)
    assert a.notice_days_required <= b.notice_days_required


# --- yearly cap ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "over", "flags"),
    [(0, 0, ()), (20, 0, ()), (20.5, 0.5, ("LEAVE_CAP_EXCEEDED",)), (21, 1, ("LEAVE_CAP_EXCEEDED",))],
    ids=["none", "20-inclusive", "20.5", "21"],
)
def test_more_than_20_leave_days_in_a_year_is_flagged(
    days: float, over: float, flags: tuple[str, ...]
) -> None:
    result = check_yearly_cap(days, POLICY)
    assert (result.cap_days, result.over_by_days, result.flags) == (20, over, flags)


def test_changed_yearly_cap_changes_the_flag() -> None:
    assert check_yearly_cap(21, leave_policy(yearly_cap_days=25)).flags == ()


def test_negative_yearly_total_is_refused() -> None:
    with pytest.raises(RuleViolation):
        check_yearly_cap(-1, POLICY)


# --- the year's leave days for the cap ---------------------------------------------------------------------

UNTIL = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("leaves", "days"),
    [
        ((), 0),
        ((YearLeave(date(2026, 3, 2), date(2026, 3, 6)),), 5),
        ((YearLeave(date(2026, 3, 6), date(2026, 3, 9)),), 4),  # calendar days, the weekend too
        ((YearLeave(date(2025, 12, 29), date(2026, 1, 2)),), 2),  # over New Year: the new year's part
        ((YearLeave(date(2026, 6, 29), date(2026, 7, 3)),), 2),  # past ``until``: up to it
        ((YearLeave(date(2026, 7, 1), date(2026, 7, 3)),), 0),  # after ``until``
        ((YearLeave(date(2025, 12, 1), date(2025, 12, 3)),), 0),  # last year
        ((YearLeave(date(2026, 4, 1), date(2026, 4, 1), 4.75),), 0.5),  # part day: hours ÷ a 9.5 h shift
        ((YearLeave(date(2026, 4, 1), date(2026, 4, 1), 0),), 1),  # no hours: a whole day
        ((YearLeave(date(2025, 4, 1), date(2025, 4, 1), 4.75),), 0),  # a part day of last year
        (
            (
                YearLeave(date(2026, 1, 5), date(2026, 1, 16)),
                YearLeave(date(2026, 2, 2), date(2026, 2, 10)),
                YearLeave(date(2026, 5, 6), date(2026, 5, 6), 9.5),
            ),
            22,
        ),
    ],
    ids=[
        "none", "five-days", "weekend", "new-year", "past-until", "after-until", "last-year",
        "part-day", "zero-hours", "part-day-last-year", "sum",
    ],
)  # fmt: skip
def test_leave_days_of_the_year_count_days_in_range_and_part_days_as_hours(
    leaves: tuple[YearLeave, ...], days: float
) -> None:
    assert leave_days_in_year(leaves, 2026, UNTIL, 9.5) == pytest.approx(days)


def test_leave_days_of_the_year_feed_the_yearly_cap() -> None:
    taken = leave_days_in_year([YearLeave(date(2026, 1, 5), date(2026, 1, 25))], 2026, UNTIL, 9.5)
    assert (taken, check_yearly_cap(taken, POLICY).flags) == (21, ("LEAVE_CAP_EXCEEDED",))
    plain = [(date(2026, 1, 5), date(2026, 1, 24), None)]  # (start, end, hours) tuples do as well
    assert leave_days_in_year(plain, 2026, UNTIL, 9.5) == 20


# --- counting a leave range --------------------------------------------------------------------------------

MON = date(2026, 10, 12)
ROSTER = {MON + timedelta(days=i): code for i, code in enumerate(["D", "D", "R", "E", "D", "R", "R"])}


@pytest.mark.parametrize(
    ("first", "last", "working", "days", "hours"),
    [
        (0, 6, 4, 4.0, 9.5 * 3 + 8.5),
        (2, 2, 0, 0.0, 0.0),
        (1, 3, 2, 2.0, 9.5 + 8.5),
        (5, 9, 0, 0.0, 0.0),
    ],
    ids=["whole-week", "rest-day-only", "across-a-rest-day", "unscheduled-days"],
)
def test_leave_counts_only_the_scheduled_working_days(
    first: int, last: int, working: int, days: float, hours: float
) -> None:
    result = count_leave_days(MON + timedelta(first), MON + timedelta(last), ROSTER, POLICY)
    assert (len(result.working_days), result.days, result.hours) == (working, days, pytest.approx(hours))
    assert result.calendar_days == last - first + 1


def test_a_part_day_counts_its_share_of_that_shift() -> None:
    result = count_leave_days(MON, MON + timedelta(1), ROSTER, POLICY, part_day_hours={MON: 2})
    assert result.days == pytest.approx(1 + 2 / 9.5)
    assert result.hours == pytest.approx(11.5)


def test_part_day_hours_as_long_as_the_shift_count_a_whole_day() -> None:
    result = count_leave_days(MON, MON, ROSTER, POLICY, part_day_hours={MON: 12})
    assert (result.days, result.hours) == (1.0, 9.5)


@pytest.mark.parametrize(
    ("first", "last", "roster", "parts", "field"),
    [
        (MON + timedelta(1), MON, ROSTER, None, "end"),
        (MON, MON, {MON: "Z"}, None, "shift"),
        (MON, MON, ROSTER, {MON: 0}, "hours"),
    ],
    ids=["end-before-start", "unknown-shift", "zero-hours"],
)
def test_malformed_leave_range_is_refused(
    first: date, last: date, roster: dict[date, str], parts: dict[date, float] | None, field: str
) -> None:
    with pytest.raises(RuleViolation) as exc:
        count_leave_days(first, last, roster, POLICY, part_day_hours=parts)
    assert_refused(exc, field)


# --- purity ---


def test_leave_rules_import_only_the_standard_library_policy_records_and_errors() -> None:
    tree = ast.parse(Path(leave.__file__).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    allowed = {"csdesk.errors", "csdesk.records", "csdesk.policy", "csdesk.policy.model", "__future__"}
    assert {n for n in names if n.split(".")[0] not in sys.stdlib_module_names} <= allowed
