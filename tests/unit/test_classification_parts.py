"""``rules.attendance.classification_parts`` names every part of the policy a day's classification
reads: the what-if reuses a month's classified days for a second policy whose parts are equal
(services.attendance_month.DayMemo), so a part read and not named would show a wrong what-if.

Every other part of the policy is replaced by a tripwire that fails on any read, and the days of a
month with every kind of day (late, early, absent, missed, leave of each kind, part-day leave, a
night shift past midnight, holidays, corrections, an unarranged swap) are classified through it.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, time, timedelta

import pytest

from csdesk.policy import load_policy
from csdesk.rules import attendance as rules
from csdesk.services.attendance_month import LeaveInfo, classify_person, month_days, month_holidays


class Tripwire:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> object:
        raise AssertionError(f"the classification read policy.{self._name}.{attr}, which classification_parts does not name")

    def __iter__(self):  # noqa: ANN204 - a tuple part iterated
        raise AssertionError(f"the classification read policy.{self._name}")


class AttendanceTripwire:
    """policy.attendance with only the named keys readable."""

    def __init__(self, real: object, allowed: set[str]) -> None:
        self._real, self._allowed = real, allowed

    def __getattr__(self, attr: str) -> object:
        if attr not in self._allowed:
            raise AssertionError(f"the classification read policy.attendance.{attr}, which classification_parts does not name")
        return getattr(self._real, attr)


NAMED_ATTENDANCE = {"grace_minutes", "late_max_minutes", "early_max_minutes"}
NAMED = {"shifts", "department_hours", "leave", "attendance"}


def _guarded(policy):
    parts = rules.classification_parts(policy)
    att = policy.attendance
    assert parts == (policy.shifts, policy.department_hours, policy.leave,
                     *(getattr(att, name) for name in ("grace_minutes", "late_max_minutes", "early_max_minutes")))  # fmt: skip
    fields = {f.name: (getattr(policy, f.name) if f.name in NAMED else Tripwire(f.name)) for f in dataclasses.fields(policy)}
    fields["attendance"] = AttendanceTripwire(att, NAMED_ATTENDANCE)
    guarded = object.__new__(type(policy))
    for name, value in fields.items():
        object.__setattr__(guarded, name, value)
    return guarded


def _month(policy, seed: int):
    rng = random.Random(seed)
    year, month = 2026, 10  # National Day: holidays, a block's weekend days, make-up days
    days = month_days(year, month)
    codes = [s.code for s in policy.shifts]
    roster = {d: rng.choice(codes) for d in days}
    punches = []
    for d in days:
        tmpl = policy.shift(roster[d])
        if tmpl.rest or rng.random() < 0.1:
            continue
        start = datetime.combine(d, tmpl.start) + timedelta(minutes=rng.choice([-10, 0, 3, 12, 45]))
        punches.append(start)
        if rng.random() > 0.1:
            punches.append(datetime.combine(d, tmpl.start) + tmpl.duration + timedelta(minutes=rng.choice([-70, -5, 0, 20, 30])))
    leave_codes = [t.code for t in policy.leave.types]
    leaves = [
        LeaveInfo(1, rng.choice(leave_codes), d, d + timedelta(days=rng.choice([0, 1])), rng.choice([None, 2.0]) , status,
                  rng.random() < 0.5, rng.random() < 0.5)
        for d, status in zip(rng.sample(days, 6), ["approved", "approved", "pending", "rejected", "approved", "approved"], strict=True)
    ]  # fmt: skip
    fixes = {d: (datetime.combine(d, time(18, 0)),) for d in rng.sample(days, 3)}
    return year, month, roster, sorted(punches), leaves, fixes, frozenset(rng.sample(days, 2))


@pytest.mark.parametrize("seed", range(8))
def test_the_classification_reads_only_the_named_parts(seed: int) -> None:
    policy = load_policy()
    year, month, roster, punches, leaves, fixes, unarranged = _month(policy, seed)
    holidays = month_holidays(year, month, policy)
    now = datetime(2026, 10, 20, 12, 0)  # the month's later days are not judged yet
    expected = classify_person(year, month, roster, punches, leaves, fixes, holidays, now, policy, unarranged)
    got = classify_person(year, month, roster, punches, leaves, fixes, holidays, now, _guarded(policy), unarranged)
    assert got == expected
    statuses = {r.status for r in expected.results}
    assert statuses >= {"ON", "REST", "ABSENT"} and statuses & {"LATE", "EARLY", "LATE_EARLY"}
