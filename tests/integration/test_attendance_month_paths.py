"""The ways a month of attendance is computed give the same numbers.

The scorecards pull the attendance events without the people's days
(``AttendanceService.generated_events``), a lock makes each person's stored text where the month
is computed (``store_month``), and a policy what-if compares the months without their days under
two policies in one pass (``month_summaries``). Each must agree with the whole month
(``month_in``) as the attendance page shows it, on a demo month with lates, absences, leave and
corrections.
"""

from __future__ import annotations

import dataclasses
import pytest

from csdesk.policy import build_policy, merge, read_toml
from csdesk.resources import default_policy_path
from csdesk.services import snapshot_codec
from csdesk.services.attendance import AttendanceService
from csdesk.services.attendance_results import stored_row
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock

AGENTS = 24


@pytest.fixture
def demo(ctx):
    ctx.demo.build(SYSTEM, agents=AGENTS, months=2, seed=5)
    first = ctx.demo.now().date().replace(day=1)
    ctx.uow = ctx.attendance._uow  # the units of work the services read through
    return ctx, first


def _policy_with(text: str, tmp_path) -> object:
    path = tmp_path / "change.toml"
    path.write_text(text, encoding="utf-8")
    return build_policy(merge(read_toml(default_policy_path()), read_toml(path)), str(path))


def _without_days(agent):
    return dataclasses.replace(agent, days=())


def test_the_events_without_the_days_are_the_whole_month_s(demo) -> None:
    ctx, first = demo
    attendance = ctx.attendance
    with ctx.uow() as uow:
        pulled = attendance.generated_events(uow, first, first.replace(day=28))
    with ctx.uow() as uow:
        whole = attendance.month_in(uow, first.year, first.month).events
    expected = [(no, e) for no, events in whole.items() for e in events if e.day <= first.replace(day=28)]
    assert sorted(pulled, key=repr) == sorted(expected, key=repr) and expected  # the demo month has lates and absences


def test_the_months_without_days_are_the_whole_months_less_their_days(demo) -> None:
    ctx, first = demo
    with ctx.uow() as uow:
        summaries = ctx.attendance.month_summaries(uow, first.year, first.month)
    with ctx.uow() as uow:
        whole = ctx.attendance.month_in(uow, first.year, first.month)
    assert [a.days for a in summaries.team_month.agents] == [()] * len(whole.team_month.agents)
    assert list(summaries.team_month.agents) == [_without_days(a) for a in whole.team_month.agents]
    assert summaries.events == whole.events
    assert any(a.deduction_cny for a in whole.team_month.agents)


@pytest.mark.parametrize(
    "change",
    [
        "[attendance]\nlate_deduction = 35\n",  # the month's money: the days' classification is shared
        "[attendance]\ngrace_minutes = 0\nlate_max_minutes = 10\n",  # how a day is judged: classified under each
    ],
)
def test_a_pass_under_two_policies_gives_each_policy_s_own_months(demo, tmp_path, change: str) -> None:
    ctx, first = demo
    other = _policy_with(change, tmp_path)
    clock = FixedClock(ctx.demo.now())
    mine = AttendanceService(ctx.uow, ctx.policy, clock)
    theirs = AttendanceService(ctx.uow, other, clock)
    with ctx.uow() as uow:
        both = mine.month_summaries(uow, first.year, first.month, also=(other,))
        then = theirs.month_summaries(uow, first.year, first.month)  # computed in the same pass: kept in uow
    with ctx.uow() as uow:
        alone = AttendanceService(ctx.uow, other, clock).month_in(uow, first.year, first.month)
    with ctx.uow() as uow:
        own = AttendanceService(ctx.uow, ctx.policy, clock).month_in(uow, first.year, first.month)
    assert list(then.team_month.agents) == [_without_days(a) for a in alone.team_month.agents] and then.events == alone.events
    assert list(both.team_month.agents) == [_without_days(a) for a in own.team_month.agents] and both.events == own.events
    assert then.team_month.agents != both.team_month.agents  # the change moves someone's money


def test_a_lock_stores_the_whole_month_s_text(demo) -> None:
    ctx, first = demo
    with ctx.uow() as uow:
        expected = [stored_row(a) for a in ctx.attendance.month_in(uow, first.year, first.month).team_month.agents]
    key = f"{first:%Y-%m}"
    ctx.scorecards.months.lock_month(SYSTEM, key)
    with ctx.uow() as uow:
        lock = uow.months.lock(key)
        stored = uow.months.results(key, lock.revision, "attendance")
    assert sorted(stored) == sorted(text for _no, _team, text in expected)
    assert {snapshot_codec.loads(text).employee_no for text in stored} == {no for no, _team, _text in expected}
