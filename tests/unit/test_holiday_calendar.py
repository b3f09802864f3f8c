"""The holiday calendar (rules.md §2): China's 2026 schedule as the ``holidays`` package encodes the
State Council's notice, the site's own changes, the policy keys, and one kind for every day."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import PolicyError
from csdesk.policy import load_policy
from csdesk.policy.model import Policy
from csdesk.rules.holidays import MAKEUP, STATUTORY, SUBSTITUTED, CountryDays, holiday_calendar
from csdesk.services.attendance_month import holiday_calendar as calendar_of
from csdesk.services.attendance_month import unstaffed_days

POLICY = load_policy()


def _span(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


def _site(**hours: object) -> Policy:
    return dataclasses.replace(POLICY, department_hours=dataclasses.replace(POLICY.department_hours, **hours))


# 国务院办公厅关于2026年部分节假日安排的通知: each block "放假调休" and the days worked in exchange.
BLOCKS_2026 = [
    ("2026-01-01", "2026-01-03"),  # 元旦, 1月4日（周日）上班
    ("2026-02-15", "2026-02-23"),  # 春节, 2月14日（周六）、2月28日（周六）上班
    ("2026-04-04", "2026-04-06"),  # 清明节
    ("2026-05-01", "2026-05-05"),  # 劳动节, 5月9日（周六）上班
    ("2026-06-19", "2026-06-21"),  # 端午节
    ("2026-09-25", "2026-09-27"),  # 中秋节
    ("2026-10-01", "2026-10-07"),  # 国庆节, 9月20日（周日）、10月10日（周六）上班
]
MAKEUP_2026 = {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)}
STATUTORY_2026 = {
    date(2026, 1, 1), *_span("2026-02-16", "2026-02-19"), date(2026, 4, 5), date(2026, 5, 1), date(2026, 5, 2),
    date(2026, 6, 19), date(2026, 9, 25), *_span("2026-10-01", "2026-10-03"),
}  # fmt: skip


def test_2026_blocks_take_in_their_weekend_days_and_the_make_up_days_are_working_days() -> None:
    calendar = calendar_of(2026, POLICY)
    assert calendar.off == {d for first, last in BLOCKS_2026 for d in _span(first, last)}
    assert calendar.makeup == MAKEUP_2026
    assert calendar.statutory == STATUTORY_2026  # the 13 statutory days of the 2024 revision


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 10, 1), STATUTORY),  # 国庆节
        (date(2026, 10, 4), SUBSTITUTED),  # a Sunday inside the National Day block
        (date(2026, 10, 5), SUBSTITUTED),  # 10-03 fell on a Saturday: observed on Monday (补假)
        (date(2026, 10, 6), SUBSTITUTED),  # given off for Sunday 09-20
        (date(2026, 9, 20), MAKEUP),
        (date(2026, 10, 10), MAKEUP),
        (date(2026, 10, 8), None),
        (date(2026, 10, 11), None),  # a plain Sunday
        (date(2026, 2, 15), SUBSTITUTED),  # the Sunday before 除夕 opens the Spring Festival block
        (date(2026, 2, 14), MAKEUP),  # ... and the Saturday before it is worked, so the block stops
        (date(2026, 2, 16), STATUTORY),  # 除夕, statutory since the 2024 revision
        (date(2026, 2, 28), MAKEUP),
    ],
)
def test_the_kind_of_a_day_of_2026(day: date, kind: str | None) -> None:
    assert calendar_of(2026, POLICY).kind(day) == kind


def test_a_block_crossing_the_new_year_counts_in_each_year() -> None:
    # 2024: "元旦：1月1日放假，与周末连休" — Saturday and Sunday 2023-12-30/31 are days off of it.
    assert {calendar_of(2023, POLICY).kind(d) for d in (date(2023, 12, 30), date(2023, 12, 31))} == {SUBSTITUTED}
    assert calendar_of(2024, POLICY).kind(date(2024, 1, 1)) == STATUTORY


def test_a_country_that_does_not_move_working_days_keeps_its_weekends_plain() -> None:
    spain = calendar_of(2026, _site(holiday_country="ES"))
    assert spain.kind(date(2026, 5, 1)) == STATUTORY  # a Friday
    assert spain.kind(date(2026, 5, 2)) is None and spain.makeup == frozenset()


def test_the_site_adds_and_removes_holidays_and_adds_make_up_days() -> None:
    site = _site(extra_holidays=("2026-10-08",), removed_holidays=("2026-06-19", "2026-09-20"), makeup_days=("2026-10-11",))
    calendar = calendar_of(2026, site)
    assert calendar.kind(date(2026, 10, 8)) == STATUTORY
    assert calendar.kind(date(2026, 10, 11)) == MAKEUP
    assert calendar.kind(date(2026, 10, 9)) is None  # a Friday: a weekday never joins a block
    # Dragon Boat removed: its weekend is a plain weekend again; 09-20 is no longer worked.
    assert {calendar.kind(d) for d in _span("2026-06-19", "2026-06-21")} == {None}
    assert calendar.kind(date(2026, 9, 20)) is None


def test_a_site_make_up_day_ends_a_block() -> None:
    calendar = calendar_of(2026, _site(makeup_days=("2026-06-20",)))
    assert [calendar.kind(d) for d in sorted(_span("2026-06-19", "2026-06-21"))] == [STATUTORY, MAKEUP, None]


def test_nobody_is_rostered_on_a_block_only_when_the_site_does_not_staff_holidays() -> None:
    assert unstaffed_days(date(2026, 9, 28), date(2026, 10, 11), POLICY) == frozenset()
    closed = unstaffed_days(date(2026, 9, 28), date(2026, 10, 11), _site(holidays_worked=False))
    assert closed == _span("2026-10-01", "2026-10-07")


def test_site_holiday_lists_are_read_from_the_policy_file(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[department_hours]\nremoved_holidays = ["2026-06-19"]\nmakeup_days = ["2026-10-11"]\n', encoding="utf-8")
    hours = load_policy(site).department_hours
    assert (hours.removed_holidays, hours.makeup_days) == (("2026-06-19",), ("2026-10-11",))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('makeup_days = ["2026-10-32"]', "department_hours.makeup_days[0]"),
        ('removed_holidays = ["20261001"]', "department_hours.removed_holidays[0]"),
        ('extra_holidays = ["2026-10-08"]\nmakeup_days = ["2026-10-08"]', "department_hours.makeup_days[0]"),
    ],
)
def test_a_bad_or_twice_listed_date_is_refused_by_key(tmp_path: Path, text: str, key: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f"[department_hours]\n{text}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(site)
    assert [k for k, _msg in caught.value.problems] == [key]


_DAYS = st.dates(date(2024, 12, 1), date(2026, 1, 31)).map(date.isoformat)


@settings(max_examples=60, deadline=None)
@given(
    statutory=st.frozensets(st.dates(date(2024, 12, 1), date(2026, 1, 31)), max_size=25),
    days_off=st.frozensets(st.dates(date(2024, 12, 1), date(2026, 1, 31)), max_size=25),
    makeup=st.frozensets(st.dates(date(2024, 12, 1), date(2026, 1, 31)), max_size=10),
    site=st.lists(_DAYS, max_size=12, unique=True),
    cut=st.tuples(st.integers(0, 12), st.integers(0, 12)),
)
def test_every_day_of_a_year_has_exactly_one_kind(statutory, days_off, makeup, site, cut) -> None:
    first, second = sorted(cut)
    hours = dataclasses.replace(
        POLICY.department_hours, extra_holidays=tuple(site[:first]), removed_holidays=tuple(site[first:second]), makeup_days=tuple(site[second:])
    )
    calendar = holiday_calendar(2025, CountryDays(statutory, days_off, makeup), hours)
    for day in _span("2025-01-01", "2025-12-31"):
        member = [day in calendar.statutory, day in calendar.substituted, day in calendar.makeup]
        assert sum(member) <= 1
        assert calendar.kind(day) == (STATUTORY, SUBSTITUTED, MAKEUP, None)[member.index(True) if any(member) else 3]
    assert all(d.year == 2025 for d in calendar.statutory | calendar.substituted | calendar.makeup)
    # The site's lists win: its make-up days are worked, its removed days are ordinary days.
    assert {date.fromisoformat(d) for d in site[second:] if d.startswith("2025")} <= calendar.makeup
    assert not {date.fromisoformat(d) for d in site[first:second]} & (calendar.off | calendar.makeup)

