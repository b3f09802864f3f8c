"""What people ask of the attendance area and the supervisor decides (rules.md §2): missed-punch
corrections, a shift left without an arranged swap, and shift swaps (调班).

:class:`csdesk.services.attendance.AttendanceService` holds an :class:`AttendanceRequests` and
delegates to it; the checks both use (a month still open, a person the caller sees) are here.
"""

from __future__ import annotations

from datetime import date, datetime

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_attendance import CorrectionRecord, SwapRecord
from csdesk.rules import attendance as rules
from csdesk.services.attendance_month import month_days
from csdesk.services.attendance_types import PunchCorrection, ShiftSwap
from csdesk.services.base import Actor, Service, Visible, require, visible_to
from csdesk.services.months import check_open, months_between

VIEW = "attendance.view"  # an agent sees their own month, a team lead their team's (RoleDef.scope)
UNARRANGED_SWAP = "UNARRANGED_SWAP"  # left the shift without an arranged swap (rules.md §2, −20)


def check_days_open(uow: UnitOfWork, *days: date) -> None:
    """Refuse a change to any month from the first to the last of ``days`` that is locked."""
    for key in months_between(min(days), max(days)):
        check_open(uow, key)


def person_id_of(uow: UnitOfWork, employee_no: str) -> int:
    ids = uow.people.ids_by_employee_no()
    if employee_no not in ids:
        raise ValidationError(N_("Unknown employee number {no}"), field="employee_no", no=employee_no)
    return ids[employee_no]


def visible_person(uow: UnitOfWork, actor: Actor, employee_no: str) -> int:
    """The id of ``employee_no``, refused when ``actor`` does not see that person (an agent
    files only their own leave, a team lead only their team's)."""
    pid = person_id_of(uow, employee_no)
    visible_to(uow, actor, VIEW).check(pid)
    return pid


def check_sees(visible: Visible, *person_ids: int) -> None:
    """Refuse unless ``visible`` takes in one of ``person_ids`` (a swap is both people's)."""
    if not any(visible.sees(pid) for pid in person_ids):
        visible.check(None)


class AttendanceRequests(Service):
    """Corrections, unarranged swaps and swaps: each write checks the permission and the month
    lock and writes its audit entry in the same unit of work."""

    # --- punch corrections -----------------------------------------------------------------

    def correction_dto(self, c: CorrectionRecord) -> PunchCorrection:
        return PunchCorrection(
            id=c.id, employee_no=c.employee_no, name=c.name, team=c.team, day=c.day, at=c.at, reason=c.reason, status=c.status,
            requested_on=c.requested_on, requested_by=c.requested_by, decided_by=c.decided_by, decided_at=c.decided_at,
            version=c.version,
        )

    def stored_correction(self, uow: UnitOfWork, correction_id: int) -> CorrectionRecord:
        correction = uow.attendance.correction(correction_id)
        if correction is None:
            raise NotFound(N_("No correction {id}"), id=correction_id)
        return correction

    def corrections(self, actor: Actor, year: int, month: int, status: str | None = None) -> list[PunchCorrection]:
        """Missed-punch corrections of the month, of the people ``actor`` sees."""
        first, last = date(year, month, 1), month_days(year, month)[-1]
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            return [self.correction_dto(c) for c in uow.attendance.corrections(first, last, status) if visible.sees(c.person_id)]

    def request_correction(self, actor: Actor, employee_no: str, day: date, at: datetime, reason: str) -> PunchCorrection:
        """A missed-punch correction (rules.md §2): within 3 days, at most 5 a month.

        The supervisor's own correction is approved at once; anyone else's waits for approval.
        """
        require(actor, VIEW)
        if not reason.strip():
            raise ValidationError(N_("A reason is required."), field="reason")
        if abs((at.date() - day).days) > 1:
            raise ValidationError(N_("The corrected time must be on the day of the shift."), field="at")
        with self._uow() as uow:
            check_days_open(uow, day)
            pid = visible_person(uow, actor, employee_no)
            repo = uow.attendance
            first, last = day.replace(day=1), month_days(day.year, day.month)[-1]
            approved = actor.can("attendance.approve")
            if not approved:  # the 3-day and 5-a-month limits bind requests, not the approver's own fix
                already = len([c for c in repo.corrections(first, last, person_ids=[pid]) if c.status != "rejected"])
                rules.validate_missed_punch_request(day, self.now().date(), already, self.policy)
            cid = repo.add_correction(
                person_id=pid, day=day, at=at, reason=reason.strip(), status="approved" if approved else "pending",
                requested_on=self.now().date(), requested_by=actor.username,
                decided_by=actor.username if approved else None, decided_at=self.now() if approved else None,
            )
            self.audit(uow, actor, "punch.correct" if approved else "punch.request", "punch_correction", cid,
                       employee_no=employee_no, day=day, at=at, reason=reason.strip())
            uow.commit()
            return self.correction_dto(next(c for c in repo.corrections(day, day, person_ids=[pid]) if c.id == cid))

    def decide_correction(self, actor: Actor, correction_id: int, approve: bool, *, version: int | None = None) -> None:
        require(actor, "attendance.approve")
        with self._uow() as uow:
            self.claim(uow, "punch_correction", correction_id, version, N_("No correction {id}"))
            check_days_open(uow, self.stored_correction(uow, correction_id).day)
            uow.attendance.decide_correction(correction_id, "approved" if approve else "rejected", actor.username, self.now())
            self.audit(uow, actor, "punch.approve" if approve else "punch.reject", "punch_correction", correction_id)
            uow.commit()

    def mark_unarranged_swap(self, actor: Actor, employee_no: str, day: date, reason: str) -> int:
        """Record that someone left their shift without an arranged swap (rules.md §2: −20)."""
        require(actor, "attendance.approve")
        if not reason.strip():
            raise ValidationError(N_("A reason is required."), field="reason")
        with self._uow() as uow:
            check_days_open(uow, day)
            pid = person_id_of(uow, employee_no)
            repo = uow.attendance
            if any(m.person_id == pid for m in repo.marks(day, day, UNARRANGED_SWAP)):
                raise ValidationError(N_("This is already recorded for {day}."), field="day", day=day.isoformat())
            mid = repo.add_mark(person_id=pid, day=day, code=UNARRANGED_SWAP, reason=reason.strip(),
                                recorded_by=actor.username, recorded_at=self.now())
            self.audit(uow, actor, "attendance.unarranged_swap", "attendance_mark", mid, employee_no=employee_no, day=day, reason=reason.strip())
            uow.commit()
            return mid

    # --- shift swaps ---------------------------------------------------------------------

    def swap_dto(self, uow: UnitOfWork, s: SwapRecord) -> ShiftSwap:
        """The swap with each person's shift of the day before it and after it (issue 14).

        Neither is stored (no column holds them, and no migration is taken for it): the roster
        holds the shifts before a swap until it is approved, and after it since, approving having
        exchanged the two cells (:meth:`_exchanged`). A roster edited after the approval is read
        as the outcome of the swap."""
        repo = uow.attendance
        mine, theirs = repo.shift_of(s.person_id, s.day), repo.shift_of(s.colleague_id, s.day)
        if s.status == "approved":
            before, after = (theirs, mine), (mine, theirs)
        else:
            before, after = (mine, theirs), self._exchanged(mine, theirs)
        return ShiftSwap(
            id=s.id, employee_no=s.employee_no, name=s.name, colleague_no=s.colleague_no, colleague_name=s.colleague_name,
            day=s.day, shift=mine, status=s.status, reason=s.reason, requested_at=s.requested_at,
            decided_by=s.decided_by, decided_at=s.decided_at, version=s.version, shift_before=before[0],
            colleague_shift_before=before[1], shift_after=after[0], colleague_shift_after=after[1],
        )

    def _exchanged(self, mine: str | None, theirs: str | None) -> tuple[str | None, str | None]:
        """The requester's and the colleague's shifts of the day once a swap is approved (rules.md
        §2): the colleague takes the requester's shift, and the requester the colleague's, or a
        rest day when the colleague had none."""
        rest = next((t.code for t in self.policy.shifts if t.rest), None)
        return theirs or rest or mine, mine or theirs

    def stored_swap(self, uow: UnitOfWork, swap_id: int) -> SwapRecord:
        swap = uow.attendance.swap(swap_id)
        if swap is None:
            raise NotFound(N_("No swap request {id}"), id=swap_id)
        return swap

    def swaps(self, actor: Actor, year: int, month: int, status: str | None = None) -> list[ShiftSwap]:
        """Shift swaps of the month that concern someone ``actor`` sees (either side)."""
        first, last = date(year, month, 1), month_days(year, month)[-1]
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            return [
                self.swap_dto(uow, s) for s in uow.attendance.swaps(first, last, status)
                if visible.sees(s.person_id) or visible.sees(s.colleague_id)
            ]

    def request_swap(self, actor: Actor, employee_no: str, colleague_no: str, day: date, reason: str = "") -> int:
        """调班: a named colleague takes the shift; the supervisor approves (rules.md §2)."""
        require(actor, VIEW)
        with self._uow() as uow:
            check_days_open(uow, day)
            pid, cid = visible_person(uow, actor, employee_no), person_id_of(uow, colleague_no)
            rules.validate_swap(employee_no, colleague_no, approved=True)
            sid = uow.attendance.add_swap(person_id=pid, colleague_id=cid, day=day, status="pending", reason=reason, requested_at=self.now())
            self.audit(uow, actor, "swap.request", "swap", sid, employee_no=employee_no, colleague=colleague_no, day=day)
            uow.commit()
            return sid

    def decide_swap(self, actor: Actor, swap_id: int, approve: bool, *, version: int | None = None) -> None:
        """An approved swap exchanges the two people's shifts of that day in the roster."""
        require(actor, "attendance.approve")
        with self._uow() as uow:
            self.claim(uow, "swap", swap_id, version, N_("No swap request {id}"))
            repo = uow.attendance
            swap = self.stored_swap(uow, swap_id)
            check_days_open(uow, swap.day)
            repo.decide_swap(swap_id, "approved" if approve else "rejected", actor.username, self.now())
            if approve:
                mine = repo.shift_of(swap.person_id, swap.day)
                theirs = repo.shift_of(swap.colleague_id, swap.day)
                my_new, their_new = self._exchanged(mine, theirs)
                if their_new != theirs and their_new:
                    repo.set_shift(swap.colleague_id, swap.day, their_new)
                if my_new != mine and my_new:
                    repo.set_shift(swap.person_id, swap.day, my_new)
            self.audit(uow, actor, "swap.approve" if approve else "swap.reject", "swap", swap_id)
            uow.commit()
