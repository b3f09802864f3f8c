"""The real holiday calendar end to end: make-up days judged as working days, worked holidays kept
and listed (the month, the JSON, a signed month), the roster copy, the demo and the calendar page."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from csdesk.cli import main
from csdesk.services import snapshot_codec
from csdesk.services.attendance_types import AgentMonth
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import FixedClock, make_context, write_csv

NOT_STAFFED = "[department_hours]\nholidays_worked = false\n"


def _fill(ctx, tmp_path: Path) -> None:
    """A1 works Sunday 09-20 (a make-up day), 10-01 (statutory, 10 minutes late), Sunday 10-04 (a
    block day), is rostered but absent on 10-05 and works Saturday 10-10 (a make-up day); A2 rests."""
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "p.csv", "employee_no,name,team\nA1,张伟,一组\nA2,María Núñez,一组\n"))
    shifts = [f"A1,{d},D" for d in ("2026-09-20", "2026-10-01", "2026-10-04", "2026-10-05", "2026-10-10")]
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "r.csv", "\n".join(["employee_no,date,shift", *shifts, "A2,2026-10-01,R"]) + "\n"))
    punches = ["employee_no,time"] + [f"A1,{d} {t}" for d, t in [
        ("2026-09-20", "08:25"), ("2026-09-20", "18:05"), ("2026-10-01", "08:40"), ("2026-10-01", "18:02"),
        ("2026-10-04", "08:21"), ("2026-10-04", "18:01"), ("2026-10-10", "08:29"), ("2026-10-10", "18:00"),
    ]]  # fmt: skip
    ctx.attendance.import_punches(SYSTEM, write_csv(tmp_path / "pu.csv", "\n".join(punches) + "\n"))


@pytest.fixture
def site(ctx, tmp_path: Path):
    _fill(ctx, tmp_path)
    return ctx


@pytest.fixture
def closed_site(tmp_path: Path, clock: FixedClock):
    """The same floor at a site that does not staff its holidays."""
    policy = write_csv(tmp_path / "site.toml", NOT_STAFFED)
    context = make_context(tmp_path, clock, policy_file=policy)
    _fill(context, tmp_path)
    yield context
    context.close()


def test_a_worked_holiday_keeps_its_status_and_is_listed(site) -> None:
    a1 = site.attendance.team_month(SYSTEM, 2026, 10).agent("A1")
    statutory, block_day, absent = a1.day(date(2026, 10, 1)), a1.day(date(2026, 10, 4)), a1.day(date(2026, 10, 5))
    assert (statutory.status, statutory.late_minutes, statutory.holiday_kind, statutory.holiday_worked) == ("LATE", 10, "statutory", True)
    assert (block_day.status, block_day.holiday_kind, block_day.holiday_worked) == ("ON", "substituted", True)
    assert (absent.status, absent.holiday_worked) == ("ABSENT", False)  # rostered but not worked
    assert a1.holidays_worked == (date(2026, 10, 1), date(2026, 10, 4))
    assert (a1.late, a1.absent) == (1, 1)  # a worked holiday is judged as any working day


def test_a_make_up_day_is_a_working_day_not_a_holiday_worked(site) -> None:
    a1 = site.attendance.team_month(SYSTEM, 2026, 9).agent("A1")
    sunday = a1.day(date(2026, 9, 20))
    assert (sunday.status, sunday.holiday_kind, sunday.holiday, sunday.holiday_worked) == ("ON", "makeup", False, False)
    assert a1.holidays_worked == ()


def test_when_holidays_are_not_worked_the_whole_block_is_off_but_make_up_days_are_judged(closed_site) -> None:
    a1 = closed_site.attendance.team_month(SYSTEM, 2026, 10).agent("A1")
    assert [a1.day(date(2026, 10, d)).status for d in (1, 4, 5, 10)] == ["HOLIDAY", "HOLIDAY", "HOLIDAY", "ON"]
    assert a1.day(date(2026, 10, 4)).holiday_kind == "substituted"
    assert (a1.holidays_worked, a1.absent, a1.late) == ((), 0, 0)


def test_the_attendance_json_lists_the_holidays_worked(site, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import csdesk.context as context_module

    real = context_module.build_context
    clock = FixedClock(datetime(2026, 10, 15, 9, 30))  # the CLI's services read this clock, not the real one
    monkeypatch.setattr(context_module, "build_context", lambda db=None, policy_file=None, **_k: real(db, policy_file, clock=clock, data_dir=tmp_path))
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "csdesk.db"), "--json", "attendance", "--month", "2026-10"]) == 0
    agents = {a["employee_no"]: a for a in json.loads(capsys.readouterr().out)["agents"]}
    assert agents["A1"]["holidays_worked"] == ["2026-10-01", "2026-10-04"]
    assert agents["A1"]["days"]["2026-10-01"] == "LATE"
    assert agents["A2"]["holidays_worked"] == []


def test_a_signed_month_keeps_its_holidays_worked(site, clock: FixedClock) -> None:
    clock.now = datetime(2026, 11, 3, 9, 0)
    signed = site.attendance.team_month(SYSTEM, 2026, 10).agent("A1")
    site.scorecards.months.lock(SYSTEM, "2026-10")
    stored = site.attendance.team_month(SYSTEM, 2026, 10)
    assert stored.locked and stored.agent("A1") == signed
    assert stored.agent("A1").holidays_worked == (date(2026, 10, 1), date(2026, 10, 4))
    assert stored.agent("A1").day(date(2026, 10, 4)).holiday_kind == "substituted"


def test_a_month_signed_before_holidays_were_told_apart_still_reads_back(site) -> None:
    agent = site.attendance.team_month(SYSTEM, 2026, 10).agent("A1")
    doc = json.loads(snapshot_codec.dumps(agent))
    for day in doc["v"][4]:  # the days, as they were stored without a holiday kind and "worked"
        del day[-2:]
    old = snapshot_codec.loads(json.dumps(doc), AgentMonth, "2026-10")
    assert old.day(date(2026, 10, 1)).status == "LATE" and old.day(date(2026, 10, 1)).holiday
    assert old.holidays_worked == ()


def _roster_days(ctx, employee_no: str) -> set[date]:
    return {e.day for e in ctx.roster.month(SYSTEM, 2026, 10) if e.employee_no == employee_no}


@pytest.mark.parametrize(("fixture", "copied_onto_the_block"), [("site", True), ("closed_site", False)])
def test_copying_last_month_leaves_the_block_empty_unless_holidays_are_staffed(
    fixture: str, copied_onto_the_block: bool, request: pytest.FixtureRequest
) -> None:
    ctx = request.getfixturevalue(fixture)
    ctx.roster.set_shifts(SYSTEM, [("A2", date(2026, 9, d), "D") for d in range(3, 14)])  # under 10-01 .. 10-11
    ctx.roster.copy_previous_month(SYSTEM, 2026, 10)
    block = {date(2026, 10, d) for d in range(2, 8)}  # 10-01 already has A2's rest day
    assert (block <= _roster_days(ctx, "A2")) is copied_onto_the_block
    assert {date(2026, 10, 8), date(2026, 10, 9)} <= _roster_days(ctx, "A2")


def test_the_demo_rosters_nobody_on_the_block_unless_holidays_are_staffed(tmp_path: Path, clock: FixedClock) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    staffed = make_context(tmp_path / "a", clock)
    closed = make_context(tmp_path / "b", clock, policy_file=write_csv(tmp_path / "site.toml", NOT_STAFFED))
    try:
        for ctx in (staffed, closed):
            ctx.demo.build(SYSTEM, agents=6, months=1, seed=7, areas=False)
        block = {date(2026, 10, d) for d in range(1, 8)}
        rostered = {e.day for e in staffed.roster.month(SYSTEM, 2026, 10)}
        assert block <= rostered
        assert not block & {e.day for e in closed.roster.month(SYSTEM, 2026, 10)}
        assert date(2026, 10, 10) in {e.day for e in closed.roster.month(SYSTEM, 2026, 10)}
    finally:
        staffed.close()
        closed.close()


def test_the_calendar_tells_statutory_and_substituted_days_apart(qtbot, site) -> None:
    from csdesk.ui.attendance.status_style import abbreviation
    from csdesk.ui.pages.attendance import AttendancePage

    page = AttendancePage(site, actor=Actor("supervisor", "supervisor"))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.month is not None)
    row = next(r for r in range(page.model.rowCount()) if page.model.agent(r).employee_no == "A1")
    tooltip = page.model.data(page.model.index(row, 4), Qt.ItemDataRole.ToolTipRole)
    assert "On time" in tooltip and "Day off in a holiday block: worked" in tooltip
    assert "Public holiday: worked" in page.model.data(page.model.index(row, 1), Qt.ItemDataRole.ToolTipRole)
    legend = {label.text() for label in page.findChildren(QLabel)}
    assert {f"{abbreviation('HOLIDAY')} Public holiday", f"{abbreviation('DAY_OFF')} Day off in a holiday block"} <= legend
    header = page.model.headerData
    red = {d for d in range(1, 32) if header(d, Qt.Orientation.Horizontal, Qt.ItemDataRole.ForegroundRole) is not None}
    assert {1, 4, 6, 7} <= red and 10 not in red and 11 in red  # Saturday 10-10 is worked (调休)
    assert "Make-up working day" in header(10, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
