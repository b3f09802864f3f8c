"""The holiday calendar of a year: statutory days, substituted days off, make-up working days (rules.md §2).

China's State Council announces each holiday as a block of days off, with weekend days worked in
exchange (放假调休): "10月1日至7日放假调休，共7天。9月20日（周日）、10月10日（周六）上班".
Every day of a year has exactly one kind:

* ``STATUTORY`` — a public holiday itself (国庆节 10-01..10-03), from the country's calendar or
  the site's own list (``department_hours.extra_holidays``);
* ``SUBSTITUTED`` — any other day off of a block: a working day given off in exchange for a
  make-up day (10-06, 10-07), a statutory day that fell on a weekend moved to a weekday (补假,
  10-05), and the weekend days the block takes in (Sunday 10-04);
* ``MAKEUP`` — a weekend day worked in exchange (调休上班: Sunday 09-20), or one the site adds
  (``department_hours.makeup_days``);
* ``None`` — an ordinary day.

The country's calendar comes in as :class:`CountryDays` (the service reads it from the
``holidays`` package); no I/O here. Decisions (chosen):

* Weekend days join a block only where the country's calendar moves working days (it has make-up
  days around the year): there a block runs over the adjacent weekend, as the State Council
  counts it ("6月19日至21日放假，共3天" for a Friday holiday); elsewhere (Spain) a weekend next to a
  holiday is just a weekend. A make-up day ends a block.
* The site's lists win over the country's, and ``makeup_days`` over ``removed_holidays`` over
  ``extra_holidays`` (the policy loader refuses a date in two of them): a removed date is an
  ordinary day, and a block no longer runs over the weekend from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property

from csdesk.policy.model import DepartmentHours
from csdesk.records import record

STATUTORY = "statutory"
SUBSTITUTED = "substituted"
MAKEUP = "makeup"
#: The kinds of a day off: a working shift on one of them is a holiday worked.
OFF_KINDS = frozenset({STATUTORY, SUBSTITUTED})

_ONE_DAY = timedelta(days=1)


@record
class CountryDays:
    """What a country's calendar says about the days around a year (the year before to the year after).

    ``statutory`` are the public holidays; ``days_off`` the other days off it names (days given
    off for a make-up day, observed days); ``makeup`` the weekend days worked in exchange;
    ``weekend`` the weekday numbers of the weekend (Monday is 0)."""

    statutory: frozenset[date] = frozenset()
    days_off: frozenset[date] = frozenset()
    makeup: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})


@record
class HolidayCalendar:
    """The kinds of the days of ``year``; the three sets are disjoint (see the module docstring)."""

    year: int
    statutory: frozenset[date]
    substituted: frozenset[date]
    makeup: frozenset[date]

    @cached_property
    def off(self) -> frozenset[date]:
        """The days off of the year's holiday blocks: statutory and substituted."""
        return self.statutory | self.substituted

    def kind(self, day: date) -> str | None:
        """``STATUTORY``, ``SUBSTITUTED``, ``MAKEUP`` or None for an ordinary day."""
        if day in self.statutory:
            return STATUTORY
        if day in self.substituted:
            return SUBSTITUTED
        return MAKEUP if day in self.makeup else None


def _dates(texts: Iterable[str]) -> frozenset[date]:
    return frozenset(date.fromisoformat(text) for text in texts)


def holiday_calendar(year: int, country: CountryDays, hours: DepartmentHours) -> HolidayCalendar:
    """The calendar of ``year`` from the country's days and the site's lists (``extra_holidays``,
    ``removed_holidays``, ``makeup_days`` of ``department_hours``: "YYYY-MM-DD" texts)."""
    listed_removed = _dates(hours.removed_holidays)
    makeup = (country.makeup - listed_removed) | _dates(hours.makeup_days)
    removed = listed_removed - makeup
    statutory = (country.statutory | _dates(hours.extra_holidays)) - removed - makeup
    off = (statutory | country.days_off) - removed - makeup
    if country.makeup:  # the country moves working days: its blocks run over the weekend
        off = off | _block_weekends(off, country.weekend, makeup | removed)
    return HolidayCalendar(
        year,
        frozenset(d for d in statutory if d.year == year),
        frozenset(d for d in off - statutory if d.year == year),
        frozenset(d for d in makeup if d.year == year),
    )


def _block_weekends(off: frozenset[date], weekend: frozenset[int], stops: frozenset[date]) -> set[date]:
    """The weekend days next to a day off, or next to such a weekend day, that are not in ``stops``."""
    found: set[date] = set()
    for day in off:
        for step in (_ONE_DAY, -_ONE_DAY):
            nearby = day + step
            while nearby.weekday() in weekend and nearby not in stops and nearby not in off:
                found.add(nearby)
                nearby += step
    return found
