"""AttendanceService use cases against an in-memory unit of work.

Each test gets its own in-memory SQLite database, copied from one migrated per module (the real
schema without paying for the migrations each time), and the services it needs built over it:
attendance, the month locks (with attendance's lock hook, as the composition root wires it),
audit. They reach the database through the ordinary unit of work, whose ``attendance``
repository hands back frozen records.

Not the whole AppContext: the in-memory database is one connection (StaticPool), and the
scorecards' lock hooks read other areas in units of work of their own, nested in the lock's;
on one shared connection the inner one's rollback would undo the lock. The lock is taken here
through the same MonthService the scorecards own, without their hooks.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from csdesk.errors import LockedMonth, NotFound, PermissionDenied
from csdesk.models.db import UowFactory
from csdesk.models.domain import PersonData
from csdesk.models.domain_attendance import (
    CorrectionRecord,
    LeaveRecord,
    SwapRecord,
    pack_punches,
    pack_shifts,
    unpack_punches,
    unpack_shifts,
)
from csdesk.models.repo_attendance import AttendanceRepository
from csdesk.policy import Policy
from csdesk.services.attendance import AttendanceService
from csdesk.services.audit import AuditService
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.months import MonthService
from tests.helpers.factories import FixedClock

SUP = Actor("supervisor", "supervisor")
LEAD = Actor("lead1", "team_lead", 4)  # L1, team lead of 一组 (the fixture checks the id)
OCT_2, OCT_20 = date(2026, 10, 2), date(2026, 10, 20)


@dataclasses.dataclass(frozen=True)
class Desk:
    """The services a test drives, over one in-memory database."""

    attendance: AttendanceService
    months: MonthService
    audit: AuditService
    uow: UowFactory

    def shift(self, employee_no: str, day: date) -> str | None:
        with self.uow() as unit:
            return unit.attendance.shift_of(unit.people.ids_by_employee_no()[employee_no], day)


@pytest.fixture
def ctx(uow: UowFactory, clock: FixedClock, policy: Policy) -> Desk:
    """A1, A2 (一组) and A3 (二组) on day shifts 1-7 October 2026 (rest on the 4th and 5th);
    on the 20th A1 works D and A3 rests. Today is 2026-10-15 09:30."""
    with uow() as unit:
        teams = {name: unit.teams.add(name) for name in ("一组", "二组")}
        ids = {
            no: unit.people.add(PersonData(no, name, team, "agent", "junior"), teams[team])
            for no, name, team in (("A1", "张伟", "一组"), ("A2", "María Núñez", "一组"), ("A3", "Óscar Peña", "二组"))
        }
        assert unit.people.add(PersonData("L1", "王班长", "一组", "team_lead"), teams["一组"]) == LEAD.person_id
        for pid in ids.values():
            for d in range(1, 8):
                unit.attendance.set_shift(pid, date(2026, 10, d), "R" if d in (4, 5) else "D")
        unit.attendance.set_shift(ids["A1"], OCT_20, "D")
        unit.attendance.set_shift(ids["A3"], OCT_20, "R")
        unit.commit()
    attendance = AttendanceService(uow, policy, clock)
    months = MonthService(uow, policy, clock)
    months.on_lock.append(attendance.store_month)  # a lock stores the attendance month it signs
    return Desk(attendance, months, AuditService(uow, policy, clock), uow)


def _last_audit(ctx: Desk):
    return ctx.audit.recent(SUP, limit=1)[0]


# --- the repository contract ------------------------------------------------------------


def test_the_unit_of_work_carries_the_attendance_repository_and_it_returns_frozen_records(ctx, uow) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "SICK", OCT_2, OCT_2)
    fix = ctx.attendance.request_correction(SUP, "A1", date(2026, 10, 3), datetime(2026, 10, 3, 18, 0), "打卡机故障")
    sid = ctx.attendance.request_swap(LEAD, "A1", "A3", OCT_20)
    with uow() as unit:
        assert isinstance(unit.attendance, AttendanceRepository)
        stored = unit.attendance.leave(leave.id)
        correction = unit.attendance.correction(fix.id)
        swap = unit.attendance.swap(sid)
        assert isinstance(stored, LeaveRecord) and isinstance(correction, CorrectionRecord) and isinstance(swap, SwapRecord)
        assert (stored.employee_no, stored.team, stored.leave_type, stored.start, stored.status) == ("A1", "一组", "SICK", OCT_2, "pending")
        assert (swap.employee_no, swap.colleague_no, swap.colleague_name) == ("A1", "A3", "Óscar Peña")
        for record in (stored, correction, swap):
            with pytest.raises(dataclasses.FrozenInstanceError):
                record.status = "approved"  # type: ignore[misc]
        people = unit.attendance.people("一组")
        assert [(p.employee_no, p.team, p.role) for p in people] == [("A1", "一组", "agent"), ("A2", "一组", "agent"), ("L1", "一组", "team_lead")]
        a1 = people[0].id
        assert unit.attendance.shifts_of(a1, date(2026, 10, 3), date(2026, 10, 5)) == {
            date(2026, 10, 3): "D", date(2026, 10, 4): "R", date(2026, 10, 5): "R",
        }  # fmt: skip
        pid, day, code = unit.attendance.roster([a1], OCT_2, OCT_2)[0]  # positional by contract
        assert (pid, day, code) == (a1, OCT_2, "D")


def test_a_months_roster_and_punches_read_packed_the_same_whether_sqlite_groups_them_or_not(ctx, uow) -> None:
    """A whole department on SQLite is grouped by SQLite (900 ids or more), a team is packed here;
    each person's text opens to the same cells and times, whatever order the punches were stored in."""
    oct_3 = date(2026, 10, 3)
    times = [datetime(2026, 10, 3, 18, 2, 30), datetime(2026, 10, 2, 8, 55), datetime(2026, 10, 3, 8, 59, 59)]
    with uow() as unit:
        ids = unit.people.ids_by_employee_no()
        a1, a3 = ids["A1"], ids["A3"]
        unit.attendance.insert_punches_ignoring_duplicates([(a1, at, "clock-1") for at in times] + [(a3, times[1], None)])
        unit.commit()
    start, end = datetime(2026, 10, 1), datetime(2026, 10, 8)
    with uow() as unit:
        repo = unit.attendance
        department = [a1, a3, *range(10_000, 10_000 + 900)]  # no such people: the grouped read all the same
        for wanted in (department, [a1, a3]):
            shifts = {pid: unpack_shifts(text) for pid, text in repo.packed_roster(wanted, oct_3, date(2026, 10, 5)).items()}
            punches = {pid: sorted(unpack_punches(text)) for pid, text in repo.packed_punches(wanted, start, end).items()}
            assert shifts[a1] == {oct_3: "D", date(2026, 10, 4): "R", date(2026, 10, 5): "R"} == shifts[a3]
            assert punches == {a1: sorted(times), a3: [times[1]]}
        assert repo.packed_punches([a1], datetime(2026, 11, 1), datetime(2026, 12, 1)) == {}
    assert unpack_shifts("") == {} and unpack_punches("") == []
    assert unpack_shifts(pack_shifts([(oct_3, "E2"), (OCT_20, "R")])) == {oct_3: "E2", OCT_20: "R"}
    assert unpack_punches(pack_punches([*times, datetime(2026, 10, 3, 9, 0, 0, 500000)])) == [*times, datetime(2026, 10, 3, 9, 0, 0, 500000)]


# --- leave ----------------------------------------------------------------------------------


def test_filing_leave_stores_a_pending_request_with_what_the_rules_say(ctx, clock) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "SICK", OCT_2, OCT_2, reason="发烧")
    assert (leave.employee_no, leave.name, leave.team, leave.leave_type) == ("A1", "张伟", "一组", "SICK")
    assert (leave.status, leave.reason, leave.days, leave.created_by, leave.created_at) == ("pending", "发烧", 1.0, "lead1", clock.now)
    assert leave.certificate_required and leave.cancel_required and not leave.certificate and leave.decided_by is None
    assert ctx.attendance.get_leave(SYSTEM, leave.id) == leave
    assert ctx.attendance.leave_requests(SYSTEM) == [leave]  # pending by default
    assert ctx.attendance.leave_requests(SYSTEM, "pending", year=2026, month=10) == [leave]
    assert ctx.attendance.leave_requests(SYSTEM, "approved", year=2026, month=10) == []
    entry = _last_audit(ctx)
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == ("leave.file", "leave", str(leave.id), "lead1")
    assert entry.details["employee_no"] == "A1" and entry.details["type"] == "SICK"


def test_leave_days_count_the_rostered_working_days_only(ctx) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A2", "PERSONAL", date(2026, 10, 3), date(2026, 10, 6))  # 4th and 5th are rest
    assert leave.days == 2.0


def test_approving_leave_records_the_decision_and_the_certificate(ctx, clock) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "SICK", OCT_2, OCT_2)
    clock.now = datetime(2026, 10, 15, 11, 0)
    decided = ctx.attendance.decide_leave(SUP, leave.id, approve=True, certificate=True, short_notice_accepted=True, note="电话请假")
    assert (decided.status, decided.certificate, decided.decided_by, decided.decided_at) == ("approved", True, "supervisor", clock.now)
    assert ctx.attendance.get_leave(SYSTEM, leave.id) == decided
    entry = _last_audit(ctx)
    assert (entry.action, entry.entity_id, entry.username) == ("leave.approve", str(leave.id), "supervisor")
    assert entry.details == {"status": ["pending", "approved"], "certificate": True, "certificate_due": False, "notice_given": -13,
                             "notice_required": 0, "short_notice_accepted": True, "note": "电话请假"}  # filed after the day


def test_rejecting_leave_leaves_the_certificate_as_filed(ctx) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A2", "SICK", OCT_2, OCT_2, certificate=True)
    decided = ctx.attendance.decide_leave(SUP, leave.id, approve=False)
    assert (decided.status, decided.certificate, decided.decided_by) == ("rejected", True, "supervisor")
    assert _last_audit(ctx).action == "leave.reject"
    assert _last_audit(ctx).details == {"status": ["pending", "rejected"], "certificate": True}


def test_only_the_supervisor_decides_and_a_refusal_changes_nothing(ctx) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "PERSONAL", OCT_20, OCT_20)
    with pytest.raises(PermissionDenied):
        ctx.attendance.decide_leave(LEAD, leave.id, approve=True)
    with pytest.raises(PermissionDenied):
        ctx.attendance.cancel_on_return(LEAD, leave.id)
    assert ctx.attendance.get_leave(SYSTEM, leave.id) == leave
    assert _last_audit(ctx).action == "leave.file"


def test_cancel_on_return_turns_the_absence_into_leave(ctx) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "SICK", OCT_2, OCT_2)
    ctx.attendance.decide_leave(SUP, leave.id, approve=True, certificate=True, short_notice_accepted=True, note="电话请假")
    day = ctx.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(OCT_2)
    assert (day.status, day.reason) == ("ABSENT", "LEAVE_NOT_CANCELLED")
    back = ctx.attendance.cancel_on_return(SUP, leave.id)
    assert back.cancelled_on_return and back.status == "approved"
    assert ctx.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(OCT_2).status == "LEAVE:SICK"
    entry = _last_audit(ctx)
    assert (entry.action, entry.entity, entry.entity_id) == ("leave.cancel_on_return", "leave", str(leave.id))


def test_an_unknown_leave_request_is_not_found(ctx) -> None:
    with pytest.raises(NotFound):
        ctx.attendance.get_leave(SYSTEM, 999)
    with pytest.raises(NotFound):
        ctx.attendance.decide_leave(SUP, 999, approve=True)
    with pytest.raises(NotFound):
        ctx.attendance.cancel_on_return(SUP, 999)


# --- punch corrections ----------------------------------------------------------------------


def test_a_requested_correction_waits_for_the_supervisor(ctx, clock) -> None:
    day = date(2026, 10, 13)  # within the three days the rule allows a request
    fix = ctx.attendance.request_correction(LEAD, "A2", day, datetime(2026, 10, 13, 18, 2), "  忘记打卡 ")
    assert (fix.employee_no, fix.team, fix.status, fix.reason, fix.requested_by, fix.decided_by) == ("A2", "一组", "pending", "忘记打卡", "lead1", None)
    assert _last_audit(ctx).action == "punch.request"
    assert ctx.attendance.corrections(SYSTEM, 2026, 10, "approved") == []
    ctx.attendance.decide_correction(SUP, fix.id, approve=True)
    [approved] = ctx.attendance.corrections(SYSTEM, 2026, 10, "approved")
    assert (approved.id, approved.status, approved.decided_by, approved.decided_at) == (fix.id, "approved", "supervisor", clock.now)
    entry = _last_audit(ctx)
    assert (entry.action, entry.entity, entry.entity_id) == ("punch.approve", "punch_correction", str(fix.id))


def test_a_rejected_correction_is_kept_as_rejected(ctx) -> None:
    fix = ctx.attendance.request_correction(LEAD, "A2", date(2026, 10, 13), datetime(2026, 10, 13, 8, 29), "忘记打卡")
    ctx.attendance.decide_correction(SUP, fix.id, approve=False)
    assert [c.status for c in ctx.attendance.corrections(SYSTEM, 2026, 10)] == ["rejected"]
    assert _last_audit(ctx).action == "punch.reject"
    with pytest.raises(NotFound):
        ctx.attendance.decide_correction(SUP, 999, approve=True)


def test_the_supervisors_own_correction_is_approved_at_once_and_completes_the_day(ctx) -> None:
    fix = ctx.attendance.request_correction(SUP, "A1", date(2026, 10, 3), datetime(2026, 10, 3, 18, 1), "打卡机故障")
    assert (fix.status, fix.decided_by) == ("approved", "supervisor")
    assert _last_audit(ctx).action == "punch.correct"
    day = ctx.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(date(2026, 10, 3))
    assert day.corrected


# --- shift swaps ------------------------------------------------------------------------------


def test_an_approved_swap_exchanges_the_shifts(ctx) -> None:
    sid = ctx.attendance.request_swap(LEAD, "A1", "A3", OCT_20, "家里有事")
    [pending] = ctx.attendance.swaps(SYSTEM, 2026, 10)
    assert (pending.id, pending.employee_no, pending.colleague_no, pending.shift, pending.status) == (sid, "A1", "A3", "D", "pending")
    assert _last_audit(ctx).action == "swap.request"
    ctx.attendance.decide_swap(SUP, sid, approve=True)
    assert (ctx.shift("A1", OCT_20), ctx.shift("A3", OCT_20)) == ("R", "D")
    [approved] = ctx.attendance.swaps(SYSTEM, 2026, 10, "approved")
    assert (approved.decided_by, approved.shift) == ("supervisor", "R")
    entry = _last_audit(ctx)
    assert (entry.action, entry.entity, entry.entity_id) == ("swap.approve", "swap", str(sid))


def test_a_rejected_swap_leaves_the_roster_alone(ctx) -> None:
    sid = ctx.attendance.request_swap(LEAD, "A1", "A3", OCT_20)
    ctx.attendance.decide_swap(SUP, sid, approve=False)
    assert (ctx.shift("A1", OCT_20), ctx.shift("A3", OCT_20)) == ("D", "R")
    assert [s.status for s in ctx.attendance.swaps(SYSTEM, 2026, 10)] == ["rejected"]
    assert _last_audit(ctx).action == "swap.reject"
    with pytest.raises(NotFound):
        ctx.attendance.decide_swap(SUP, 999, approve=True)


# --- a locked month -----------------------------------------------------------------------------


def test_a_locked_month_refuses_every_change_and_audits_none(ctx) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "SICK", OCT_2, OCT_2)
    fix = ctx.attendance.request_correction(LEAD, "A2", date(2026, 10, 13), datetime(2026, 10, 13, 18, 0), "忘记打卡")
    sid = ctx.attendance.request_swap(LEAD, "A1", "A3", OCT_20)
    assert ctx.months.lock_month(SUP, "2026-10").details["attendance_lines"] == 3  # what attendance's hook stored
    entries = len(ctx.audit.recent(SUP))
    refused = [
        lambda: ctx.attendance.file_leave(LEAD, "A2", "SICK", OCT_2, OCT_2),
        lambda: ctx.attendance.decide_leave(SUP, leave.id, approve=True, certificate=True),
        lambda: ctx.attendance.cancel_on_return(SUP, leave.id),
        lambda: ctx.attendance.request_correction(SUP, "A1", date(2026, 10, 3), datetime(2026, 10, 3, 18, 0), "x"),
        lambda: ctx.attendance.decide_correction(SUP, fix.id, approve=True),
        lambda: ctx.attendance.request_swap(LEAD, "A2", "A3", OCT_20),
        lambda: ctx.attendance.decide_swap(SUP, sid, approve=True),
        lambda: ctx.attendance.mark_unarranged_swap(SUP, "A1", OCT_2, "left early"),
    ]
    for change in refused:
        with pytest.raises(LockedMonth):
            change()
    assert ctx.attendance.get_leave(SYSTEM, leave.id) == leave
    assert [c.status for c in ctx.attendance.corrections(SYSTEM, 2026, 10)] == ["pending"]
    assert [s.status for s in ctx.attendance.swaps(SYSTEM, 2026, 10)] == ["pending"]
    assert len(ctx.audit.recent(SUP)) == entries
    # Leave reaching into the locked month from an open one is refused too.
    with pytest.raises(LockedMonth):
        ctx.attendance.file_leave(LEAD, "A1", "PERSONAL", date(2026, 10, 30), date(2026, 11, 2))


def test_a_reopened_month_takes_decisions_again(ctx) -> None:
    leave = ctx.attendance.file_leave(LEAD, "A1", "SICK", OCT_2, OCT_2)
    ctx.months.lock(SUP, "2026-10")
    ctx.months.reopen(SUP, "2026-10", "late certificate")
    approved = ctx.attendance.decide_leave(SUP, leave.id, approve=True, certificate=True, short_notice_accepted=True, note="电话请假")
    assert approved.status == "approved"


# --- marks -------------------------------------------------------------------------------------


def test_leaving_without_an_arranged_swap_is_marked_once(ctx) -> None:
    mid = ctx.attendance.mark_unarranged_swap(SUP, "A1", OCT_2, " 私下换班 ")
    entry = _last_audit(ctx)
    assert (entry.action, entry.entity_id, entry.details["reason"]) == ("attendance.unarranged_swap", str(mid), "私下换班")
    with pytest.raises(Exception, match="already recorded"):
        ctx.attendance.mark_unarranged_swap(SUP, "A1", OCT_2, "again")
    ctx.attendance.mark_unarranged_swap(SUP, "A2", OCT_2, "also")  # someone else's day is their own
