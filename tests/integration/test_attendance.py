"""The attendance service on real SQLite: imports, classification, leave, corrections, swaps, locks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk.errors import LockedMonth, PermissionDenied
from csdesk.models.repo_attendance import AttendanceRepository
from csdesk.models.tables_attendance import MonthLockRow
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


SUP = Actor("supervisor", "supervisor")
LEAD = Actor("lead1", "team_lead", 4)  # L1, team lead of 一组 (the fixture checks the id)


@pytest.fixture
def floor(ctx, tmp_path: Path):
    """Three agents on day shifts in the first week of October 2026 (today is 2026-10-15)."""
    people = "employee_no,name,team,level,role\nA1,张伟,一组,junior,\nA2,María Núñez,一组,junior,\nA3,Óscar Peña,二组,senior,\nL1,王班长,一组,,team_lead\n"
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", people))
    assert ctx.people.get(SYSTEM, "L1").id == LEAD.person_id
    lines = ["employee_no,date,shift"]
    for no in ("A1", "A2", "A3"):
        for d in range(1, 8):
            shift = "R" if d in (4, 5) else "E" if (no, d) == ("A3", 6) else "D"
            lines.append(f"{no},2026-10-{d:02d},{shift}")
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", "\n".join(lines) + "\n"))
    return ctx


def _punch_file(tmp_path: Path, rows: list[str], encoding: str = "utf-8", header: str = "工号,打卡时间,设备") -> Path:
    return write_csv(tmp_path / "punches.csv", "\n".join([header, *rows]) + "\n", encoding)


def test_gbk_punch_file_with_chinese_headers_and_mixed_spellings(floor, tmp_path: Path) -> None:
    rows = [
        "A1,2026/10/1 8:29:00,T1",
        "A1,2026-10-01 18:05,T1",
        "A2,2026-10-01T08:45:00,T2",  # 15 minutes late
        "A2,2026年10月1日 18:01,T2",
        "ZZ,2026-10-01 08:00,T1",  # unknown person
        "A1,2026-13-01 08:00,T1",  # bad date
        "A1,,T1",  # empty time
        "A1,2026/10/1 8:29:00,T1",  # duplicate inside the file
    ]
    report = floor.attendance.import_punches(SUP, _punch_file(tmp_path, rows, "gbk"))
    assert (report.rows, report.written, report.duplicates) == (8, 4, 1)
    assert {(p.row, p.field) for p in report.problems} == {(6, "employee_no"), (7, "time"), (8, "time")}
    again = floor.attendance.import_punches(SUP, _punch_file(tmp_path, rows, "gbk"))
    assert (again.written, again.duplicates) == (0, 5)
    month = floor.attendance.team_month(SYSTEM, 2026, 10)
    assert month.agent("A1").day(date(2026, 10, 1)).status == "ON"
    a2 = month.agent("A2").day(date(2026, 10, 1))
    assert (a2.status, a2.late_minutes) == ("LATE", 15)


def test_night_shift_punch_after_midnight_belongs_to_the_shift_day(floor, tmp_path: Path) -> None:
    floor.attendance.import_punches(SUP, _punch_file(tmp_path, ["A3,2026-10-06 15:20", "A3,2026-10-07 00:02"]))
    day = floor.attendance.team_month(SYSTEM, 2026, 10, employee_no="A3").agent("A3").day(date(2026, 10, 6))
    assert day.status == "ON" and len(day.punches) == 2


def test_no_punches_is_an_absence_until_approved_leave_covers_it(floor) -> None:
    day = date(2026, 10, 2)
    assert floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(day).status == "ABSENT"
    leave = floor.attendance.file_leave(LEAD, "A1", "SICK", day, day, reason="发烧 <&>")
    assert leave.status == "pending" and leave.certificate_required
    assert floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(day).status == "ABSENT"
    floor.attendance.decide_leave(SUP, leave.id, approve=True, certificate=True, short_notice_accepted=True, note="电话请假")
    # Sick leave that is over must also be closed on return (销假), else it stays an absence.
    before = floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(day)
    assert (before.status, before.reason) == ("ABSENT", "LEAVE_NOT_CANCELLED")
    floor.attendance.cancel_on_return(SUP, leave.id)
    assert floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(day).status == "LEAVE:SICK"
    assert [e.action for e in floor.audit.recent(SUP)][:3] == ["leave.cancel_on_return", "leave.approve", "leave.file"]


def test_a_team_lead_files_leave_but_only_the_supervisor_decides(floor) -> None:
    leave = floor.attendance.file_leave(LEAD, "A2", "PERSONAL", date(2026, 10, 20), date(2026, 10, 22))
    with pytest.raises(PermissionDenied):
        floor.attendance.decide_leave(LEAD, leave.id, approve=True)


def test_month_money_and_full_attendance_bonus(floor, tmp_path: Path) -> None:
    rows = []
    for d in (1, 2, 3, 6, 7):
        rows += [f"A2,2026-10-{d:02d} 08:25", f"A2,2026-10-{d:02d} 18:00"]
        rows += [f"A1,2026-10-{d:02d} {'08:40' if d == 1 else '08:20'}", f"A1,2026-10-{d:02d} 18:00"]
    floor.attendance.import_punches(SUP, _punch_file(tmp_path, rows))
    data = floor.attendance.attendance_json(SYSTEM, 2026, 10, team="一组")
    agents = {a["employee_no"]: a for a in data["agents"]}
    assert agents["A1"]["late"] == 1 and agents["A1"]["deduction_cny"] == floor.policy.attendance.late_deduction
    # A2 is on time every worked day so far, but the month is not over: days 8-14 have no roster.
    assert agents["A2"]["deduction_cny"] == 0
    assert agents["A2"]["full_attendance_bonus_cny"] == floor.policy.attendance.full_attendance_bonus
    assert set(agents["A2"]) >= {"days", "late", "early", "absent", "missed", "leave_days", "flags"}


def test_missed_punch_correction_by_the_supervisor_completes_the_day(floor, tmp_path: Path) -> None:
    floor.attendance.import_punches(SUP, _punch_file(tmp_path, ["A1,2026-10-03 08:20"]))
    assert floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(date(2026, 10, 3)).status == "MISSED"
    fix = floor.attendance.request_correction(SUP, "A1", date(2026, 10, 3), datetime(2026, 10, 3, 18, 1), "打卡机故障")
    assert fix.status == "approved"
    day = floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(date(2026, 10, 3))
    assert day.status == "ON" and day.corrected


def test_a_late_request_by_a_lead_is_refused_by_the_three_day_rule(floor) -> None:
    with pytest.raises(Exception, match="3"):
        floor.attendance.request_correction(LEAD, "A1", date(2026, 10, 3), datetime(2026, 10, 3, 18, 0), "forgot")


def test_approved_swap_exchanges_the_shifts(floor) -> None:
    sid = floor.attendance.request_swap(LEAD, "A1", "A3", date(2026, 10, 20), "家里有事")
    floor.roster.set_shift(SUP, "A1", date(2026, 10, 20), "D")
    floor.roster.set_shift(SUP, "A3", date(2026, 10, 20), "R")
    floor.attendance.decide_swap(SUP, sid, approve=True)
    shifts = {(e.employee_no, e.day): e.shift_code for e in floor.roster.month(SYSTEM, 2026, 10)}
    assert shifts[("A3", date(2026, 10, 20))] == "D" and shifts[("A1", date(2026, 10, 20))] == "R"


def test_a_locked_month_rejects_changes(floor) -> None:
    from csdesk.models.db import UnitOfWork

    with UnitOfWork(floor.attendance._uow().__dict__["_factory"]) as uow:
        uow.session.add(MonthLockRow(month="2026-10", locked_at=datetime(2026, 11, 1), locked_by="supervisor"))
        uow.commit()
        assert AttendanceRepository(uow.session).is_locked("2026-10")
    with pytest.raises(LockedMonth):
        floor.attendance.file_leave(LEAD, "A1", "SICK", date(2026, 10, 2), date(2026, 10, 2))


def test_leave_import_keeps_good_rows(floor, tmp_path: Path) -> None:
    text = "工号,类型,开始,结束,状态,小时\nA1,SICK,2026-10-02,2026-10-02,approved,\nA2,HOLIDAY,2026-10-02,2026-10-02,,\nA3,PERSONAL,2026-10-03,2026-10-01,,\nA1,NURSING,2026-10-06,2026-10-06,approved,1\n"
    report = floor.attendance.import_leave(SUP, write_csv(tmp_path / "leave.csv", text))
    assert report.written == 2 and {(p.row, p.field) for p in report.problems} == {(3, "type"), (4, "end")}
    assert floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(date(2026, 10, 2)).status == "LEAVE:SICK"
    again = floor.attendance.import_leave(SUP, write_csv(tmp_path / "leave.csv", text))
    assert (again.written, again.duplicates) == (0, 2)


def test_future_days_are_not_judged(floor) -> None:
    a1 = floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1")
    assert a1.day(date(2026, 10, 20)).status is None


def test_leaving_without_an_arranged_swap_costs_the_policy_amount(floor, tmp_path: Path) -> None:
    floor.attendance.import_punches(SUP, _punch_file(tmp_path, ["A1,2026-10-01 08:20", "A1,2026-10-01 18:00"]))
    floor.attendance.mark_unarranged_swap(SUP, "A1", date(2026, 10, 1), "和同事私下换班")
    a1 = floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1")
    assert any(e.code == "SWAP_NOT_ARRANGED" and e.amount_cny == floor.policy.attendance.swap_without_arrangement_deduction for e in a1.ledger)
    with pytest.raises(PermissionDenied):
        floor.attendance.mark_unarranged_swap(LEAD, "A2", date(2026, 10, 1), "x")


def test_leave_beyond_the_yearly_cap_is_flagged(floor) -> None:
    leave = floor.attendance.file_leave(LEAD, "A2", "PERSONAL", date(2026, 9, 1), date(2026, 9, 25))  # 25 days > 20
    floor.attendance.decide_leave(SUP, leave.id, approve=True, short_notice_accepted=True, note="filed afterwards")
    assert "LEAVE_CAP_EXCEEDED" in floor.attendance.team_month(SYSTEM, 2026, 10).agent("A2").flags
    assert "LEAVE_CAP_EXCEEDED" not in floor.attendance.team_month(SYSTEM, 2026, 10).agent("A1").flags


def test_attendance_feeds_late_and_absence_events_to_the_scorecard(floor, tmp_path: Path) -> None:
    floor.attendance.import_punches(SUP, _punch_file(tmp_path, ["A2,2026-10-01 08:45", "A2,2026-10-01 18:00"]))
    card = floor.scorecards.scorecard(SUP, "2026-10", "A2")
    lines = floor.scorecards.event_lines(SUP, floor.scorecards.scorecard(SUP, "2026-10", "A2"))
    codes = [e.code for e in lines]
    assert "M01" in codes and "S01" in codes  # late on the 1st; no punches on the 2nd, 3rd, 6th, 7th
    assert card.employee_no == "A2"
    late = next(e for e in lines if e.code == "M01")
    assert late.source == "attendance" and late.day == date(2026, 10, 1) and late.record is None  # pulled, never stored
    assert sum(e.points for e in lines if e.counted) == card.card.bonus - card.card.deduction


def test_marriage_leave_beyond_the_late_marriage_entitlement_becomes_personal_leave(floor) -> None:
    """A man of 30 marries after joining: 3 + 7 days; 12 working days asked, 2 become personal leave."""
    from csdesk.models.domain import PersonData

    floor.people.update(SUP, PersonData("A3", "Óscar Peña", "二组", "agent", "senior", date(2020, 1, 6), date(1996, 3, 1), "M"))
    for d in range(8, 31):
        floor.roster.set_shift(SUP, "A3", date(2026, 10, d), "D")
    leave = floor.attendance.file_leave(SUP, "A3", "MARRIAGE", date(2026, 10, 8), date(2026, 10, 19), event_date=date(2026, 10, 6))
    assert leave.days == 12 and leave.converted_to_personal_days == 2
    second = floor.attendance.file_leave(SUP, "A3", "MARRIAGE", date(2026, 10, 20), date(2026, 10, 29), event_date=date(2026, 10, 6),
                                         remarriage=True)
    assert second.converted_to_personal_days == second.days - floor.policy.leave.marriage.remarriage_days


def test_maternity_entitlement_counts_a_difficult_birth_and_twins(floor) -> None:
    policy = floor.policy.leave.maternity
    leave = floor.attendance.file_leave(LEAD, "A2", "MATERNITY", date(2026, 10, 20), date(2026, 10, 21), event_date=date(2026, 11, 1),
                                        difficult_birth=True, babies=2)
    assert leave.converted_to_personal_days == 0  # far inside 15 + 90 + 15 days
    assert policy.before_birth_days + policy.after_difficult_birth_days + policy.extra_per_additional_baby_days == 120


def test_three_windows_reading_a_month_at_once_count_its_events_once(floor, tmp_path: Path) -> None:
    """Pages load months on worker threads; the events are pulled, so no read can book them twice."""
    import threading

    floor.attendance.import_punches(SUP, _punch_file(tmp_path, ["A2,2026-10-01 08:45", "A2,2026-10-01 18:00"]))
    start = threading.Barrier(3)
    failures: list[BaseException] = []
    totals: list[object] = []

    def load() -> None:
        start.wait()
        try:
            totals.append(floor.scorecards.scorecard(SUP, "2026-10", "A2").card.deduction)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(set(totals)) == 1
    events = [(e.day, e.code) for e in floor.scorecards.event_lines(SUP, floor.scorecards.scorecard(SUP, "2026-10", "A2")) if e.source == "attendance"]
    assert events and len(events) == len(set(events))
