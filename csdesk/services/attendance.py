"""The attendance area's use cases (issue #4): the month calendar, leave, corrections, swaps."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from csdesk import gc_tuning
from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_, current_language
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain_attendance import LeaveRecord
from csdesk.models.domain_scorecards import MonthLock
from csdesk.policy import Policy
from csdesk.rules import attendance as rules
from csdesk.rules import leave as leave_rules
from csdesk.services import attendance_imports
from csdesk.services.attendance_month import (
    DayMemo,
    Finished,
    LeaveInfo,
    MonthFacts,
    assemble_team_month,
    month_days,
    people_months,
    people_months_under,
    punch_window,
    unchanged,
    year_leave_days,
)
from csdesk.services.attendance_requests import (
    UNARRANGED_SWAP,
    VIEW,
    AttendanceRequests,
    check_days_open,
    check_sees,
    visible_person,
)
from csdesk.services.attendance_results import MonthOutcome, store_team_month, stored_row, stored_team_month
from csdesk.services.attendance_types import (
    AgentMonth,
    AttendanceReportInput,
    FormHeader,
    LeaveRequest,
    PunchCorrection,
    ShiftSwap,
    Signer,
    TeamMonth,
    YearLeaveTally,
)
from csdesk.services.base import Actor, Clock, Service, require, visible_to
from csdesk.services.imports.reader import ImportReport
from csdesk.services.months import month_first, months_between
from csdesk.services.policy_service import site_in_force

DECISIONS = ("pending", "approved", "rejected")


def _dropped(_agent: AgentMonth) -> None:
    """The ``finish`` of a month whose events alone are asked for."""


def _events_key(year: int, month: int, employee_no: str | None, policy: Policy) -> tuple[object, ...]:
    """Where a unit of work keeps the M01/S01 events of a month (of one person) under ``policy``:
    every way of computing the month leaves them there for the scorecards to pull."""
    return ("attendance-events", year, month, employee_no, id(policy))


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class AttendanceService(Service):
    """Reads classify through csdesk.rules.attendance; writes check locks, permissions, audit.

    What people ask for and the supervisor decides (missed-punch corrections, shift swaps) is a
    part of its own (:class:`AttendanceRequests`), which this service holds and delegates to."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now) -> None:
        super().__init__(uow, policy, clock)
        self._requests = AttendanceRequests(uow, policy, clock)

    # --- reading the month -------------------------------------------------------------

    def team_month(self, actor: Actor, year: int, month: int, team: str | None = None, employee_no: str | None = None) -> TeamMonth:
        """Agents × days with statuses, counts and money (rules.md §2), of the people ``actor`` sees.

        An open month is classified from the facts; a locked one is read from what its lock stored."""
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, VIEW).narrow(team, employee_no)
            lock = uow.months.lock(_month_key(date(year, month, 1)))
            if lock is not None and uow.months.has_results(lock.month, lock.revision):
                return stored_team_month(uow, lock, team, employee_no)
            return self._team_month(uow, year, month, team, employee_no)[0]

    def month_in(self, uow: UnitOfWork, year: int, month: int, employee_no: str | None = None) -> MonthOutcome:
        """The whole department's month (or one person's) and the evaluation events it generates,
        computed once per unit of work (a lock and the scorecards it computes share it)."""
        key = ("attendance", year, month, employee_no, id(self.policy))  # a what-if's two policies share ``uow``
        if key not in uow.memo:
            uow.memo[key] = outcome = MonthOutcome(*self._team_month(uow, year, month, None, employee_no))
            uow.memo[_events_key(year, month, employee_no, self.policy)] = outcome.events
        return uow.memo[key]  # type: ignore[no-any-return]

    def month_summaries(
        self, uow: UnitOfWork, year: int, month: int, also: Sequence[Policy] = (), employee_no: str | None = None
    ) -> MonthOutcome:
        """:meth:`month_in` with the people's days left empty (their counts, money, flags and
        events: what a policy what-if compares and the scorecards pull), in half the time.
        ``also``: other policies whose months are computed in the same pass, for the attendance
        services under them that read through ``uow`` next (a what-if's second policy)."""

        def key(policy: Policy) -> tuple[object, ...]:
            return ("attendance-summaries", year, month, employee_no, id(policy))

        if key(self.policy) not in uow.memo:
            policies = [self.policy, *(p for p in also if key(p) not in uow.memo)]
            days = month_days(year, month)
            computed = self._summaries(uow, year, month, employee_no, policies, unchanged)
            for policy, (agents, events) in zip(policies, computed, strict=True):
                uow.memo[key(policy)] = MonthOutcome(TeamMonth(year, month, None, days, tuple(agents), None), events)
                uow.memo[_events_key(year, month, employee_no, policy)] = events
        return uow.memo[key(self.policy)]  # type: ignore[no-any-return]

    def _summaries(
        self, uow: UnitOfWork, year: int, month: int, employee_no: str | None, policies: Sequence[Policy],
        finish: Callable[[AgentMonth], Finished],
    ) -> list[tuple[list[Finished], dict[str, tuple[rules.GeneratedEvent, ...]]]]:  # fmt: skip
        """``finish`` of each person's month without its days, and the month's events, under each of ``policies``."""
        f = self._month_facts(uow, year, month, None, employee_no)
        last = month_days(year, month)[-1]
        taken = [self._year_leave_days(uow, f.year_leave, year, last, policy) for policy in policies]
        memo = uow.memo.setdefault(("attendance-days", year, month, None, employee_no), DayMemo())
        return people_months_under(year, month, f, self.now(), policies, taken, memo, finish, with_days=False)

    def generated_events(
        self, uow: UnitOfWork, start: date, end: date, employee_nos: Collection[str] | None = None
    ) -> list[tuple[str, rules.GeneratedEvent]]:
        """(employee_no, event) of the M01/S01 events the months ``start``…``end`` generate (pulled
        by the scorecards; nothing is stored). Scorecards ask only for open months: a locked one is
        read from what its lock stored."""
        if not self.policy.attendance.feed_evaluation_events:
            return []
        wanted = set(employee_nos) if employee_nos is not None else None
        one = next(iter(wanted)) if wanted is not None and len(wanted) == 1 else None
        out: list[tuple[str, rules.GeneratedEvent]] = []
        for key in months_between(start, end):
            first = month_first(key)
            for no, events in self._month_events(uow, first.year, first.month, one).items():
                if wanted is None or no in wanted:
                    out.extend((no, e) for e in events if start <= e.day <= end)
        return out

    def _month_events(self, uow: UnitOfWork, year: int, month: int, employee_no: str | None) -> Mapping[str, tuple[rules.GeneratedEvent, ...]]:
        """The events of the month, as whichever computed it in this unit of work kept them (the
        whole month, a lock's, a what-if's), else from :meth:`month_summaries`."""
        key = _events_key(year, month, employee_no, self.policy)
        if key not in uow.memo:
            # The events alone: the people's months are not kept (nor sent back by a forked child).
            uow.memo[key] = self._summaries(uow, year, month, employee_no, [self.policy], _dropped)[0][1]
        return uow.memo[key]  # type: ignore[no-any-return]

    def store_month(self, uow: UnitOfWork, lock: MonthLock, _actor: Actor) -> dict[str, Any]:
        """In the lock's transaction: store every person's attendance month as signed. The events
        it generates are kept for the scorecards, which the lock computes next (context.py)."""
        first = month_first(lock.month)
        year, month = first.year, first.month
        f = self._month_facts(uow, year, month, None, None)
        taken = self._year_leave_days(uow, f.year_leave, year, month_days(year, month)[-1])
        memo = uow.memo.setdefault(("attendance-days", year, month, None, None), DayMemo())
        # Each person's month is made into its stored text where it is computed (fanout.halves).
        rows, events = people_months(year, month, f, self.now(), self.policy, taken, memo, stored_row)
        uow.memo[_events_key(year, month, None, self.policy)] = events
        return {"attendance_lines": store_team_month(uow, lock, rows)}

    def _month_facts(self, uow: UnitOfWork, year: int, month: int, team: str | None, employee_no: str | None) -> MonthFacts:
        key = ("attendance-facts", year, month, team, employee_no)
        if key not in uow.memo:  # the rows read do not depend on the policy: a what-if reads them once
            with gc_tuning.bulk_load():  # some 100,000 rows that live as long as the unit of work
                uow.memo[key] = self._facts(uow, year, month, team, employee_no)
        return uow.memo[key]  # type: ignore[no-any-return]

    def _team_month(self, uow: UnitOfWork, year: int, month: int, team: str | None, employee_no: str | None = None) -> tuple[TeamMonth, dict[str, Any]]:
        f = self._month_facts(uow, year, month, team, employee_no)
        last = month_days(year, month)[-1]
        taken = self._year_leave_days(uow, f.year_leave, year, last)
        memo = uow.memo.setdefault(("attendance-days", year, month, team, employee_no), DayMemo())
        return assemble_team_month(year, month, team, f, self.now(), self.policy, year_leave_days=taken, memo=memo)

    @staticmethod
    def _facts(uow: UnitOfWork, year: int, month: int, team: str | None, employee_no: str | None) -> MonthFacts:
        repo = uow.attendance
        people = repo.people(team, employee_no)
        ids = [p.id for p in people]
        first, last = date(year, month, 1), month_days(year, month)[-1]
        start, end = punch_window(year, month)
        wanted = set(ids)
        return MonthFacts(
            people,
            repo.packed_roster(ids, first - timedelta(days=1), last + timedelta(days=1)) if ids else {},
            repo.packed_punches(ids, start, end) if ids else {},
            [
                LeaveInfo(lv.person_id, lv.leave_type, lv.start, lv.end, lv.hours, lv.status, lv.certificate, lv.cancelled_on_return)
                for lv in repo.leave_between(first, last)
                if lv.person_id in wanted
            ],
            [(c.person_id, c.day, c.at) for c in repo.corrections(first, last, status="approved") if c.person_id in wanted],
            [m for m in repo.marks(first, last, UNARRANGED_SWAP) if m.person_id in wanted],
            repo.approved_leave_in_year(year, last),
        )  # fmt: skip

    def attendance_json(
        self, actor: Actor, year: int, month: int, team: str | None = None, employee_no: str | None = None
    ) -> dict[str, Any]:
        """``csdesk attendance --json`` (interfaces.md keys)."""
        tm = self.team_month(actor, year, month, team, employee_no)
        return {
            "month": tm.month_key,
            "agents": [
                {
                    "employee_no": a.employee_no,
                    "name": a.name,
                    "days": {d.day.isoformat(): d.status for d in a.days if d.status},
                    "late": a.late,
                    "early": a.early,
                    "absent": a.absent,
                    "missed": a.missed,
                    "leave_days": a.leave_days,
                    "deduction_cny": a.deduction_cny,
                    "full_attendance_bonus_cny": a.full_attendance_bonus_cny,
                    "flags": list(a.flags),
                    "holidays_worked": [d.isoformat() for d in a.holidays_worked],
                }
                for a in tm.agents
            ],
        }

    def form_header(self, company: str | None = None) -> FormHeader:
        """The site's name (``company`` instead, when given) and logo, and the print time."""
        with self._uow() as uow:
            site = site_in_force(uow, self.policy)
        return FormHeader(company=company or site.name, printed_at=self.now(), language=current_language(), logo=site.logo)

    # --- imports -----------------------------------------------------------------------------

    def import_punches(
        self, actor: Actor, path: Path, progress: Callable[[int, int], bool] | None = None, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import punches``: punch files as clocks and apps export them (issue #13).

        ``date_order`` (``"dmy"``/``"mdy"``) for a file whose dates cannot tell their day/month order."""
        require(actor, "import")
        with self._uow() as uow:
            report = attendance_imports.import_punches(uow, path, progress, self.policy, date_order)
            if report.cancelled:
                return report  # rolled back: nothing written
            self.audit(uow, actor, "import.punches", "file", path.name, written=report.written,
                       duplicates=report.duplicates, rejected=len(report.problems))
            uow.commit()
        return report

    def import_leave(
        self, actor: Actor, path: Path, progress: Callable[[int, int], bool] | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import leave``: approved rows count as having met their conditions; ``date_order``
        (``"dmy"``/``"mdy"``) for a file whose dates cannot tell their day/month order."""
        require(actor, "import")
        with self._uow() as uow:
            report = attendance_imports.import_leave(
                uow, path, self.policy, actor.username, self.now(), date_order=date_order
            )
            self.audit(uow, actor, "import.leave", "file", path.name, written=report.written, updated=report.updated,
                       duplicates=report.duplicates, rejected=len(report.problems))
            uow.commit()
        return report

    # --- printing (the reports are pure renderers of what is computed here) --------------------

    def print_leave(self, actor: Actor, leave_id: int, out: Path) -> None:
        """``csdesk print leave ID``: the form, with what seed 002 asks of it besides the request:
        the year's leave against the yearly cap, and when the 销假 was recorded and by whom."""
        from csdesk.reports import leave_form

        request = self.get_leave(actor, leave_id)  # with when the 销假 was recorded and by whom
        with self._uow() as uow:
            request = replace(request, year_leave=self._year_leave(uow, self._stored_leave(uow, leave_id)))
        signers = self._signers(request.created_by, request.decided_by, request.returned_by)
        leave_form.render(request, self.form_header(), out, signers=signers)

    def print_correction_by_id(self, actor: Actor, correction_id: int, out: Path) -> None:
        """``csdesk print missed-punch ID``: the stored correction's form, if ``actor`` sees its person."""
        from csdesk.reports import missed_punch_form

        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            record = self._requests.stored_correction(uow, correction_id)
            check_sees(visible, record.person_id)
        correction = self._requests.correction_dto(record)
        signers = self._signers(correction.requested_by, correction.decided_by)
        missed_punch_form.render(correction, self.form_header(), out, signers=signers)

    def print_correction(self, actor: Actor, correction: PunchCorrection, out: Path) -> None:
        """The form of a correction a window lists, as stored now (see :meth:`print_correction_by_id`)."""
        require(actor, VIEW)  # before reading the window's record
        self.print_correction_by_id(actor, correction.id, out)

    def print_swap_by_id(self, actor: Actor, swap_id: int, out: Path) -> None:
        """``csdesk print swap ID``: the stored swap's form, if ``actor`` sees either person."""
        from csdesk.reports import swap_form

        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            record = self._requests.stored_swap(uow, swap_id)
            check_sees(visible, record.person_id, record.colleague_id)
            swap = self._requests.swap_dto(uow, record)
        swap_form.render(swap, self.form_header(), out, signers=self._signers(swap.decided_by))

    def print_swap(self, actor: Actor, swap: ShiftSwap, out: Path) -> None:
        """The form of a swap a window lists, as stored now (see :meth:`print_swap_by_id`)."""
        require(actor, VIEW)  # before reading the window's record
        self.print_swap_by_id(actor, swap.id, out)

    def _signers(self, *logins: str | None) -> dict[str, Signer]:
        """The accounts behind the sign-in names a form records (issue 14): the form names their
        people, not their logins. A name with no account (csdesk's own "system") is left out."""
        wanted = {login.casefold(): login for login in logins if login}
        signers: dict[str, Signer] = {}
        with self._uow() as uow:
            for account in uow.users.list():
                login = wanted.get(account.username.casefold())
                if login is None:
                    continue
                person = uow.people.by_id(account.person_id) if account.person_id is not None else None
                signers[login] = Signer(account.role, person.name, person.employee_no) if person else Signer(account.role)
        return signers

    def print_month(self, actor: Actor, year: int, month: int, team: str | None, out: Path) -> None:
        from csdesk.reports import attendance_summary

        data = AttendanceReportInput(self.form_header(), self.team_month(actor, year, month, team), self.policy.meta.currency)
        attendance_summary.render(data, out)

    # --- the lines the scorecards show -------------------------------------------------------

    def month_line(self, actor: Actor, employee_no: str, year: int, month: int) -> AgentMonth | None:
        """The agent's attendance summary for the scorecard window."""
        return self.team_month(actor, year, month, employee_no=employee_no).agent(employee_no)

    def month_lines(self, actor: Actor, employee_nos: Sequence[str], year: int, month: int) -> dict[str, AgentMonth]:
        """The summaries of many agents (a batch of evaluation sheets): one month computed once."""
        if len(employee_nos) == 1:
            line = self.month_line(actor, employee_nos[0], year, month)
            return {line.employee_no: line} if line else {}
        wanted = set(employee_nos)
        return {a.employee_no: a for a in self.team_month(actor, year, month).agents if a.employee_no in wanted}

    # --- leave -------------------------------------------------------------------------

    def _leave_plan(
        self, uow: UnitOfWork, leave: LeaveRecord, shifts: Mapping[date, str] | None = None
    ) -> tuple[float, leave_rules.ApprovalPlan]:
        """The leave's days on the person's roster, and its approval chain and notice (rules.md §3).
        ``shifts``: the person's roster over the leave, when the caller has it (a list of requests
        reads the roster of all of them in one query)."""
        start, end = leave.start, leave.end
        roster = uow.attendance.shifts_of(leave.person_id, start, end) if shifts is None else {
            day: shift for day, shift in shifts.items() if start <= day <= end
        }
        try:
            count = leave_rules.count_leave_days(
                start, end, roster, self.policy, part_day_hours={start: leave.hours} if leave.hours else None
            )
            days = count.days
        except ValidationError:
            days = 0.0
        plan = leave_rules.approval_plan(
            leave.leave_type, max(days, 0.5), applied_on=leave.created_at.date(), first_day=start, policy=self.policy
        )
        return days, plan

    def _leave_dto(self, uow: UnitOfWork, leave: LeaveRecord, shifts: Mapping[date, str] | None = None) -> LeaveRequest:
        code, start, end = leave.leave_type, leave.start, leave.end
        days, plan = self._leave_plan(uow, leave, shifts)
        needs = leave_rules.leave_requirements(code, self.policy)
        entitlement = self._entitlement(
            code, leave.event_date or start, leave.remarriage, leave.difficult_birth, leave.babies, leave.gender, leave.birthday, leave.join_date
        )
        _within, converted = leave_rules.split_excess(days, entitlement)
        return LeaveRequest(
            id=leave.id, employee_no=leave.employee_no, name=leave.name, team=leave.team, leave_type=code, start=start, end=end,
            hours=leave.hours, status=leave.status, reason=leave.reason, certificate=leave.certificate,
            cancelled_on_return=leave.cancelled_on_return, created_at=leave.created_at, created_by=leave.created_by,
            decided_by=leave.decided_by, decided_at=leave.decided_at, days=days, approvers=plan.approvers, warnings=plan.warnings,
            certificate_required=needs.certificate, cancel_required=needs.cancel_on_return, converted_to_personal_days=converted,
            notice_days_required=plan.notice_days_required, notice_days_given=plan.notice_days_given,
            short_notice=leave_rules.is_short_notice(plan), version=leave.version, event_date=leave.event_date,
            remarriage=leave.remarriage, difficult_birth=leave.difficult_birth, babies=leave.babies,
            entitlement_days=entitlement, returned_at=leave.returned_at, returned_by=leave.returned_by,
        )

    @staticmethod
    def _hours_per_shift(policy: Policy) -> float:
        """A shift's length as the yearly cap counts part-day leave: the longest working shift."""
        working = [s.minutes for s in policy.shifts if not s.rest]
        return (max(working) if working else policy.attendance.max_continuous_work_minutes) / 60

    def _year_leave_days(
        self, uow: UnitOfWork, rows: Sequence[tuple[int, date, date, float | None]], year: int, until: date, policy: Policy | None = None
    ) -> dict[int, float]:
        """Approved leave days per person of ``year`` up to ``until`` against the yearly cap
        (rules.md §3, csdesk.rules.leave.leave_days_in_year; ``rows``: person id, start, end,
        hours): whole-day leave by the calendar, a part-day leave as its own form counts it, on
        the shift of its day (none on a rest day, issue 14). Under ``policy`` (default: this
        service's)."""
        policy = policy or self.policy
        wanted = {(pid, start) for pid, start, _end, hours in rows if hours and start <= until}
        lengths = {pid: leave_rules.shift_hours_by_day(codes, policy)
                   for pid, codes in self._part_day_shifts(uow, wanted).items()}  # fmt: skip
        return year_leave_days(rows, year, until, self._hours_per_shift(policy), lengths)

    @staticmethod
    def _part_day_shifts(uow: UnitOfWork, days: Collection[tuple[int, date]]) -> dict[int, dict[date, str]]:
        """The roster codes of the (person, day) pairs of part-day leave, in one query (memoised
        for the unit of work: a what-if reads the month again under other policies)."""
        key = ("part-day-shifts", frozenset(days))
        if key not in uow.memo:
            found: dict[int, dict[date, str]] = {}
            if days:
                people = {pid for pid, _day in days}
                first, last = min(d for _p, d in days), max(d for _p, d in days)
                roster = uow.attendance.shifts_of_many(people, first, last)
                for pid, day in days:
                    code = roster.get(pid, {}).get(day)
                    if code is not None:
                        found.setdefault(pid, {})[day] = code
            uow.memo[key] = found
        return cast(dict[int, dict[date, str]], uow.memo[key])

    def _year_leave(self, uow: UnitOfWork, leave: LeaveRecord) -> YearLeaveTally:
        """The leave's year against the yearly cap (rules.md §3), counted as the month's cap flag
        counts it (:meth:`_year_leave_days`): the approved leave before this leave's first day,
        then with this leave's days."""
        year, pid = leave.start.year, leave.person_id
        earlier = [(pid, s.start, s.end, s.hours) for s in uow.attendance.leave_days_in_year(pid, year)]
        before = self._year_leave_days(uow, earlier, year, leave.start - timedelta(days=1)).get(pid, 0.0)
        this = self._year_leave_days(uow, [(pid, leave.start, leave.end, leave.hours)], year, date(year, 12, 31))[pid]
        cap = leave_rules.check_yearly_cap(before + this, self.policy)
        return YearLeaveTally(before, cap.total_days, cap.cap_days, cap.over_by_days)

    def _stored_leave(self, uow: UnitOfWork, leave_id: int) -> LeaveRecord:
        leave = uow.attendance.leave(leave_id)
        if leave is None:
            raise NotFound(N_("No leave request {id}"), id=leave_id)
        return leave

    def _entitlement(
        self, code: str, event_date: date, remarriage: bool, difficult: bool, babies: int,
        gender: str | None, birthday: date | None, joined: date | None,
    ) -> float | None:
        """Days the leave may take (rules.md §3): marriage and maternity from their own arithmetic."""
        if code == "MARRIAGE" and gender in ("M", "F") and birthday and joined:
            try:
                return leave_rules.marriage_entitlement(
                    sex=gender, born_on=birthday, married_on=event_date, joined_on=joined, remarriage=remarriage, policy=self.policy
                )
            except ValidationError:
                return 0.0  # a marriage before joining earns no marriage leave: all days become personal
        if code == "MATERNITY":
            return leave_rules.maternity_entitlement(difficult=difficult, babies=max(1, babies), policy=self.policy).total_days
        return leave_rules.entitlement_days(code, self.policy)

    def leave_requests(
        self, actor: Actor, status: str | None = None, team: str | None = None, year: int | None = None, month: int | None = None
    ) -> list[LeaveRequest]:
        """Leave requests of the people ``actor`` sees: of one month, or (without one) with ``status``."""
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            team, _ = visible.narrow(team, None)
            repo = uow.attendance
            if year and month:
                first, last = date(year, month, 1), month_days(year, month)[-1]
                rows = repo.leave_between(first, last, team, status)
            else:
                rows = repo.leave_with_status(status or "pending", team)
            rows = [leave for leave in rows if visible.sees(leave.person_id)]
            if not rows:
                return []
            shifts = repo.shifts_of_many({leave.person_id for leave in rows}, min(r.start for r in rows), max(r.end for r in rows))
            return [self._leave_dto(uow, leave, shifts[leave.person_id]) for leave in rows]

    def get_leave(self, actor: Actor, leave_id: int) -> LeaveRequest:
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            leave = self._stored_leave(uow, leave_id)
            visible.check(leave.person_id)
            return self._leave_dto(uow, leave)

    def _validate_leave(self, code: str, start: date, end: date, hours: float | None) -> None:
        if code not in self.policy.leave_codes:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="type", value=code, choices=", ".join(self.policy.leave_codes))
        if end < start:
            raise ValidationError(N_("The leave ends before it starts."), field="end")
        if hours is not None:
            if start != end:
                raise ValidationError(N_("Hours are for a leave within one day."), field="hours")
            if not 0 < hours <= 24:
                raise ValidationError(N_("{field}: {value} is outside {low}…{high}"), field="hours", value=hours, low=0, high=24)

    def file_leave(
        self, actor: Actor, employee_no: str, leave_type: str, start: date, end: date, *, hours: float | None = None,
        reason: str = "", certificate: bool = False, event_date: date | None = None, remarriage: bool = False,
        difficult_birth: bool = False, babies: int = 1,
    ) -> LeaveRequest:
        """A new leave request, pending the supervisor's decision (rules.md §3)."""
        require(actor, VIEW)
        self._validate_leave(leave_type, start, end, hours)
        with self._uow() as uow:
            check_days_open(uow, start, end)
            pid = visible_person(uow, actor, employee_no)
            lid = uow.attendance.add_leave(
                person_id=pid, leave_type=leave_type, start=start, end=end, hours=hours, status="pending", reason=reason,
                certificate=certificate, cancelled_on_return=False, created_at=self.now(), created_by=actor.username,
                event_date=event_date, remarriage=remarriage, difficult_birth=difficult_birth, babies=max(1, babies),
            )
            self.audit(uow, actor, "leave.file", "leave", lid, employee_no=employee_no, type=leave_type, start=start, end=end, hours=hours)
            uow.commit()
            return self._leave_dto(uow, self._stored_leave(uow, lid))

    def decide_leave(
        self, actor: Actor, leave_id: int, approve: bool, *, certificate: bool | None = None,
        short_notice_accepted: bool = False, note: str = "", version: int | None = None,
    ) -> LeaveRequest:
        """Approve or reject (rules.md §3). An approval takes the approver's answers to what the
        request asks, stores and audits them exactly: ``certificate``, whether the certificate its
        type requires was provided (None: not asked, refused for such a type; not provided, it is
        due on return); ``short_notice_accepted`` and ``note``, for a request filed with less
        notice than required (refused without both). See :func:`csdesk.rules.leave.check_approval`.
        A rejection records no answers. ``version`` is the request's version the person saw
        (StaleWrite if another PC changed it since)."""
        require(actor, "attendance.approve")
        with self._uow() as uow:
            self.claim(uow, "leave", leave_id, version, N_("No leave request {id}"))
            before = self._stored_leave(uow, leave_id)
            check_days_open(uow, before.start, before.end)
            if approve:
                answers = leave_rules.ApprovalAnswers(certificate, short_notice_accepted, note)
                details = self._approve_leave(uow, before, answers, actor)
                self.audit(uow, actor, "leave.approve", "leave", leave_id, status=[before.status, "approved"], **details)
            else:
                uow.attendance.decide_leave(leave_id, "rejected", None, actor.username, self.now())
                self.audit(uow, actor, "leave.reject", "leave", leave_id, status=[before.status, "rejected"],
                           certificate=before.certificate)
            uow.commit()
            return self._leave_dto(uow, self._stored_leave(uow, leave_id))

    def _approve_leave(
        self, uow: UnitOfWork, leave: LeaveRecord, answers: leave_rules.ApprovalAnswers, actor: Actor
    ) -> dict[str, Any]:
        """Check the answers against the leave's type and notice, store the approval; returns what
        the audit records of it."""
        needs = leave_rules.leave_requirements(leave.leave_type, self.policy)
        _days, plan = self._leave_plan(uow, leave)
        record = leave_rules.check_approval(needs, plan, answers, filed_certificate=leave.certificate)
        uow.attendance.decide_leave(leave.id, "approved", record.certificate_provided, actor.username, self.now())
        details: dict[str, Any] = {"certificate": record.certificate_provided}
        if needs.certificate:
            details["certificate_due"] = record.certificate_due_on_return
        if record.short_notice_accepted:
            details.update(notice_given=plan.notice_days_given, notice_required=plan.notice_days_required,
                           short_notice_accepted=True, note=record.note)
        return details

    def cancel_on_return(self, actor: Actor, leave_id: int, *, version: int | None = None) -> LeaveRequest:
        """销假: the employee reported back to the supervisor (rules.md §3)."""
        require(actor, "attendance.approve")
        with self._uow() as uow:
            self.claim(uow, "leave", leave_id, version, N_("No leave request {id}"))
            leave = self._stored_leave(uow, leave_id)
            check_days_open(uow, leave.start, leave.end)  # every day it covers changes
            at = self.now()  # the leave and its audit entry carry the same time
            uow.attendance.cancel_leave_on_return(leave_id, at, actor.username)
            self.audit(uow, actor, "leave.cancel_on_return", "leave", leave_id, when=at)
            uow.commit()
            return self._leave_dto(uow, self._stored_leave(uow, leave_id))

    # --- requests: corrections, unarranged swaps, shift swaps (AttendanceRequests) ---------------

    def corrections(self, actor: Actor, year: int, month: int, status: str | None = None) -> list[PunchCorrection]:
        return self._requests.corrections(actor, year, month, status)

    def request_correction(self, actor: Actor, employee_no: str, day: date, at: datetime, reason: str) -> PunchCorrection:
        return self._requests.request_correction(actor, employee_no, day, at, reason)

    def decide_correction(self, actor: Actor, correction_id: int, approve: bool, *, version: int | None = None) -> None:
        self._requests.decide_correction(actor, correction_id, approve, version=version)

    def mark_unarranged_swap(self, actor: Actor, employee_no: str, day: date, reason: str) -> int:
        return self._requests.mark_unarranged_swap(actor, employee_no, day, reason)

    def swaps(self, actor: Actor, year: int, month: int, status: str | None = None) -> list[ShiftSwap]:
        return self._requests.swaps(actor, year, month, status)

    def request_swap(self, actor: Actor, employee_no: str, colleague_no: str, day: date, reason: str = "") -> int:
        return self._requests.request_swap(actor, employee_no, colleague_no, day, reason)

    def decide_swap(self, actor: Actor, swap_id: int, approve: bool, *, version: int | None = None) -> None:
        self._requests.decide_swap(actor, swap_id, approve, version=version)
