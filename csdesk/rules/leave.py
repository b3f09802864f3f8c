"""Leave rules: entitlements, excess, approval chain, standing, caps and counting (rules.md §3).

Every number comes from :class:`~csdesk.policy.model.LeavePolicy`; results carry stable codes
(leave types of rules.md Appendix A, approver roles, warning and flag codes), never text.
Refusals raise :class:`~csdesk.errors.RuleViolation`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import NamedTuple

from csdesk.errors import N_, RuleViolation
from csdesk.policy.model import LeaveType, Policy
from csdesk.records import record

# Leave types (rules.md Appendix A).
PERSONAL = "PERSONAL"
SICK = "SICK"
MARRIAGE = "MARRIAGE"
MATERNITY = "MATERNITY"
NURSING = "NURSING"
BEREAVEMENT = "BEREAVEMENT"
INJURY = "INJURY"
ANNUAL = "ANNUAL"

#: Types whose days csdesk never caps: unpaid personal leave, and sick and work-injury leave that
#: follow national law ("per law"). (chosen) The policy has no key telling a cap of 0 from "none".
UNCAPPED_TYPES = frozenset({PERSONAL, SICK, INJURY})

#: Relatives whose death gives bereavement leave: parents, children, spouse, parents-in-law.
BEREAVEMENT_RELATIONS = frozenset({"PARENT", "CHILD", "SPOUSE", "PARENT_IN_LAW"})

SEXES = ("M", "F")

# Approver roles of the chain, in signing order.
APPROVER_SUPERVISOR = "supervisor"
APPROVER_SUPERIOR = "superior"

# Approval-plan warnings.
WARN_LATE_NOTICE = "LATE_NOTICE"
WARN_EMERGENCY_FORM_ON_RETURN = "EMERGENCY_FORM_ON_RETURN"
WARN_EMERGENCY_NOTICE_LATE = "EMERGENCY_NOTICE_LATE"
#: The warnings that mean the request came with less notice than it needed.
SHORT_NOTICE_WARNINGS = frozenset({WARN_LATE_NOTICE, WARN_EMERGENCY_NOTICE_LATE})

# Why leave does not stand (the days are absences); the first equals attendance's reason code.
REASON_NOT_APPROVED = "LEAVE_NOT_APPROVED"
REASON_NO_CERTIFICATE = "LEAVE_NO_CERTIFICATE"
REASON_NOT_CANCELLED = "LEAVE_NOT_CANCELLED"

FLAG_CAP_EXCEEDED = "LEAVE_CAP_EXCEEDED"

MINUTES_PER_HOUR = 60
MONTHS_PER_YEAR = 12
_DAY = timedelta(days=1)


@record
class MaternityEntitlement:
    """Maternity leave days before and after the birth."""

    before_days: int
    after_days: int

    @property
    def total_days(self) -> int:
        """Days before plus days after the birth."""
        return self.before_days + self.after_days


@record
class LeaveRequirements:
    """What a leave type asks of the employee (rules.md §3 "conditions")."""

    code: str
    paid: bool
    certificate: bool
    cancel_on_return: bool
    one_block: bool
    apply_days_before: int


@record
class ApprovalPlan:
    """Who approves a request and whether it was filed in time."""

    approvers: tuple[str, ...]
    slip: bool
    long_leave: bool
    notice_days_required: int
    notice_days_given: int
    warnings: tuple[str, ...]


@record
class YearlyCap:
    """The year's leave days measured against ``yearly_cap_days``."""

    total_days: float
    cap_days: int
    over_by_days: float
    flags: tuple[str, ...]


@record
class LeaveCount:
    """A leave range counted against the roster: scheduled days, days (float) and hours."""

    calendar_days: int
    working_days: tuple[date, ...]
    days: float
    hours: float


def leave_type(code: str, policy: Policy) -> LeaveType:
    """The policy's leave type ``code``; an unknown code is refused (rules.md Appendix A)."""
    try:
        return policy.leave.type(code)
    except KeyError:
        raise RuleViolation(N_("Unknown leave type {code}"), field="type", code=code) from None


def entitlement_days(code: str, policy: Policy) -> float | None:
    """The plain entitlement of a type in days, or None when csdesk sets no cap (rules.md §3).

    None for PERSONAL (unpaid), SICK and INJURY (per law) and NURSING (hours per day, see
    :func:`nursing_hours`). ANNUAL is the site-defined ``entitlement_days`` (default 0). Use
    :func:`marriage_entitlement`, :func:`maternity_entitlement` and
    :func:`bereavement_entitlement` where conditions change the number.
    """
    kind = leave_type(code, policy)
    if code in UNCAPPED_TYPES or code == NURSING:
        return None
    return kind.entitlement_days


def _age(born_on: date, on: date) -> int:
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def marriage_entitlement(
    *, sex: str, born_on: date, married_on: date, joined_on: date, remarriage: bool, policy: Policy
) -> int:
    """Marriage leave days (rules.md §3): 3 paid; +7 for a late marriage; remarriage 3.

    Late marriage: full years of age on the marriage date at least ``late_marriage_age_man`` (25)
    for ``sex`` "M" or ``late_marriage_age_woman`` (23) for "F". A remarriage always gets
    ``remarriage_days``. Only a marriage after joining qualifies.
    """
    if sex not in SEXES:
        raise RuleViolation(N_("Sex must be M or F, not {sex}"), field="sex", sex=sex)
    if married_on < joined_on:
        raise RuleViolation(
            N_("Marriage leave is granted only for a marriage after joining"), field="married_on"
        )
    rules = policy.leave.marriage
    if remarriage:
        return rules.remarriage_days
    days = int(leave_type(MARRIAGE, policy).entitlement_days)
    late_age = rules.late_marriage_age_man if sex == "M" else rules.late_marriage_age_woman
    if _age(born_on, married_on) >= late_age:
        days += rules.late_marriage_extra_days
    return days


def maternity_entitlement(*, difficult: bool, babies: int, policy: Policy) -> MaternityEntitlement:
    """Maternity leave (rules.md §3): 15 days before; 75 after (90 after a difficult birth);
    +15 after the birth for each baby beyond the first."""
    if babies < 1:
        raise RuleViolation(N_("A birth has at least one baby"), field="babies", babies=babies)
    rules = policy.leave.maternity
    after = rules.after_difficult_birth_days if difficult else rules.after_normal_birth_days
    after += rules.extra_per_additional_baby_days * (babies - 1)
    return MaternityEntitlement(rules.before_birth_days, after)


def bereavement_entitlement(relation: str, policy: Policy) -> int:
    """Bereavement days (rules.md §3): 3 paid for a parent, child, spouse or parent-in-law.

    ``relation`` is one of :data:`BEREAVEMENT_RELATIONS`; any other relation gives 0 (the days
    are personal leave).
    """
    if relation not in BEREAVEMENT_RELATIONS:
        return 0
    return int(leave_type(BEREAVEMENT, policy).entitlement_days)


def _add_months(day: date, months: int) -> date:
    year, month0 = divmod(day.month - 1 + months, MONTHS_PER_YEAR)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def nursing_hours(day: date, child_born_on: date, policy: Policy, *, working_day: bool = True) -> int:
    """Nursing hours on ``day`` (rules.md §3): ``nursing_hours_per_day`` (1) on each working day
    from the birth until the child is ``nursing_until_child_months`` (12) months old.

    The first birthday itself gives 0; a child born on 29 February turns one on 28 February.
    """
    rules = policy.leave
    until = _add_months(child_born_on, rules.nursing_until_child_months)
    if not working_day or not child_born_on <= day < until:
        return 0
    return rules.nursing_hours_per_day


def split_excess(days_requested: float, entitlement: float | None) -> tuple[float, float]:
    """Split a request into (within the entitlement, converted to personal leave).

    rules.md §3: "Days beyond an entitlement are converted to personal leave". An entitlement of
    None (not capped) keeps every day within.
    """
    if days_requested < 0:
        raise RuleViolation(N_("Leave days must not be negative"), field="days", days=days_requested)
    if entitlement is None:
        return days_requested, 0.0
    within = min(days_requested, max(entitlement, 0.0))
    return within, days_requested - within


def leave_requirements(code: str, policy: Policy) -> LeaveRequirements:
    """What the type asks (rules.md §3): certificate, 销假 on return, one block, notice."""
    kind = leave_type(code, policy)
    return LeaveRequirements(
        code=code,
        paid=kind.paid,
        certificate=kind.certificate_required,
        cancel_on_return=code in policy.leave.cancel_required_for,
        one_block=kind.one_block,
        apply_days_before=kind.apply_days_before,
    )


def leave_absence_reason(
    code: str, *, approved: bool, certificate_provided: bool, cancelled_on_return: bool, policy: Policy
) -> str | None:
    """Why the leave's days are absences, or None when the leave stands (rules.md §2, §3).

    Leave without the required approval, without a required certificate ("hospital certificate
    required, else absence"), or of a ``cancel_required_for`` type not cancelled with the
    supervisor on return (销假) counts as absence. Judge it after the employee is back.
    """
    needs = leave_requirements(code, policy)
    if not approved:
        return REASON_NOT_APPROVED
    if needs.certificate and not certificate_provided:
        return REASON_NO_CERTIFICATE
    if needs.cancel_on_return and not cancelled_on_return:
        return REASON_NOT_CANCELLED
    return None


def validate_one_block(code: str, blocks_before: int, policy: Policy) -> None:
    """Refuse a second block of a type "taken in one block" (rules.md §3: marriage)."""
    if leave_type(code, policy).one_block and blocks_before > 0:
        raise RuleViolation(N_("{code} leave is taken in one block"), field="type", code=code)


def approval_plan(
    code: str,
    days: float,
    *,
    applied_on: date,
    first_day: date,
    policy: Policy,
    phoned_at: datetime | None = None,
    leave_starts_at: datetime | None = None,
) -> ApprovalPlan:
    """The approval chain and notice check of a request (rules.md §3 "Approval", "Emergencies").

    * up to ``slip_max_days`` (1): a written slip, the supervisor approves, no notice needed
      beyond applying by the first day;
    * more than that: ``notice_days`` (3) ahead, the supervisor forwards to the superior;
    * more than ``long_leave_days`` (7): ``long_leave_notice_days`` (7) ahead, same chain;
    * a type's ``apply_days_before`` (marriage 15) raises the notice needed.

    Short notice gives ``LATE_NOTICE``, unless the employee phoned (``phoned_at``) no later than
    ``emergency_notice_hours`` after ``leave_starts_at`` (the start of the first shift on leave):
    then ``EMERGENCY_FORM_ON_RETURN`` (the written form follows on the day back); a later call
    gives ``EMERGENCY_NOTICE_LATE``. Warnings do not refuse; missing approval makes absences.
    """
    if days <= 0:
        raise RuleViolation(N_("Leave must cover more than 0 days"), field="days", days=days)
    rules = policy.leave
    kind = leave_type(code, policy)
    slip = days <= rules.slip_max_days
    long_leave = days > rules.long_leave_days
    if slip:
        approvers: tuple[str, ...] = (APPROVER_SUPERVISOR,)
        required = 0
    else:
        approvers = (APPROVER_SUPERVISOR, APPROVER_SUPERIOR)
        required = rules.long_leave_notice_days if long_leave else rules.notice_days
    required = max(required, kind.apply_days_before)
    given = (first_day - applied_on).days
    warnings: tuple[str, ...] = ()
    if given < required:
        if phoned_at is None:
            warnings = (WARN_LATE_NOTICE,)
        else:
            if leave_starts_at is None:
                raise RuleViolation(
                    N_("An emergency phone notice needs the start of the first shift on leave"),
                    field="leave_starts_at",
                )
            in_time = phoned_at <= leave_starts_at + timedelta(hours=rules.emergency_notice_hours)
            warnings = (WARN_EMERGENCY_FORM_ON_RETURN if in_time else WARN_EMERGENCY_NOTICE_LATE,)
    return ApprovalPlan(approvers, slip, long_leave, required, given, warnings)


def is_short_notice(plan: ApprovalPlan) -> bool:
    """True when the request came with less notice than ``plan`` needs (and no timely emergency call)."""
    return any(warning in SHORT_NOTICE_WARNINGS for warning in plan.warnings)


@record
class ApprovalAnswers:
    """What the approver answered when approving a request (rules.md §3)."""

    certificate_provided: bool | None  # the certificate the type requires was handed in; None: not asked
    short_notice_accepted: bool
    note: str  # why the short notice is accepted


@record
class ApprovalRecord:
    """What an approval records: the certificate as answered (as filed, when not asked), whether it
    is still due on return, and whether short notice was accepted, with the approver's note."""

    certificate_provided: bool
    certificate_due_on_return: bool
    short_notice_accepted: bool
    note: str


def check_approval(
    needs: LeaveRequirements, plan: ApprovalPlan, answers: ApprovalAnswers, *, filed_certificate: bool
) -> ApprovalRecord:
    """Refuse an approval that leaves a question of the leave type or of the notice unanswered
    (rules.md §3 "conditions", "Approval").

    * A type that requires a certificate (sick: "hospital certificate required, else absence")
      needs the answer whether it was handed in. Without it the leave may still be approved: the
      certificate is due on return, and if it is missing then the days count as absences
      (:func:`leave_absence_reason`, judged once the leave is over).
    * A request filed with less notice than required (:func:`is_short_notice`) is approved only when
      the approver accepts the short notice and notes why; without approval the days are absences.
      Where the notice was enough there is no short notice to accept.
    """
    if needs.certificate and answers.certificate_provided is None:
        raise RuleViolation(N_("Say whether the certificate was provided."), field="certificate")
    short = is_short_notice(plan)
    if short and not answers.short_notice_accepted:
        raise RuleViolation(N_("The request came at short notice: accept it with a note, or reject it."),
                            field="notice")
    if short and not answers.note.strip():
        raise RuleViolation(N_("Say why the short notice is accepted."), field="note")
    if answers.short_notice_accepted and not short:
        raise RuleViolation(N_("The request came with enough notice: there is no short notice to accept."),
                            field="notice")
    provided = filed_certificate if answers.certificate_provided is None else answers.certificate_provided
    return ApprovalRecord(
        certificate_provided=provided,
        certificate_due_on_return=needs.certificate and not provided,
        short_notice_accepted=short,
        note=answers.note.strip() if short else "",
    )


def check_yearly_cap(days_taken: float, policy: Policy) -> YearlyCap:
    """The year's leave days against ``yearly_cap_days`` (rules.md §3: 20 days inclusive).

    ``days_taken`` is the year's total of the leave that affects the year-end bonus; more than
    the cap gives ``LEAVE_CAP_EXCEEDED``.
    """
    if days_taken < 0:
        raise RuleViolation(N_("Leave days must not be negative"), field="days", days=days_taken)
    cap = policy.leave.yearly_cap_days
    over = max(0.0, days_taken - cap)
    return YearlyCap(days_taken, cap, over, (FLAG_CAP_EXCEEDED,) if over > 0 else ())


def count_leave_days(
    first: date,
    last: date,
    roster: Mapping[date, str],
    policy: Policy,
    *,
    part_day_hours: Mapping[date, float] | None = None,
) -> LeaveCount:
    """Count a leave range ``first..last`` (inclusive) on the agent's scheduled days (rules.md §3).

    Only days whose roster shift is a working shift count; rest days and unscheduled days are
    free. ``part_day_hours`` gives the hours of part-day leave on some days: such a day counts
    as hours ÷ that shift's length (D: 9.5 h, so 1 h is 0.105 day); hours at or above the shift
    length are a whole day. ``hours`` sums the whole days' shift lengths and the part hours.
    """
    if last < first:
        raise RuleViolation(N_("Leave must end on or after its first day"), field="end")
    parts = part_day_hours or {}
    if any(hours <= 0 for hours in parts.values()):
        raise RuleViolation(N_("Part-day leave needs a positive number of hours"), field="hours")
    working: list[date] = []
    days = hours = 0.0
    day = first
    while day <= last:
        code = roster.get(day)
        if code is not None:
            try:
                shift = policy.shift(code)
            except KeyError:
                raise RuleViolation(N_("Unknown shift code {code}"), field="shift", code=code) from None
            if not shift.rest:
                shift_hours = shift.minutes / MINUTES_PER_HOUR
                taken = min(parts.get(day, shift_hours), shift_hours)
                working.append(day)
                days += taken / shift_hours
                hours += taken
        day += _DAY
    return LeaveCount((last - first).days + 1, tuple(working), days, hours)


class YearLeave(NamedTuple):
    """One approved leave, as the yearly cap counts it: its first and last day, or part-day hours."""

    start: date
    end: date
    hours: float | None = None  # part-day leave: the hours taken (None or 0: whole days)


def leave_days_in_year(
    leaves: Iterable[tuple[date, date, float | None]],
    year: int,
    until: date,
    hours_per_shift: float,
    *,
    shift_hours: Mapping[date, float] | None = None,
) -> float:
    """Approved leave days of ``year`` from 1 January to ``until``: what :func:`check_yearly_cap`
    measures (rules.md §3). ``leaves`` are :class:`YearLeave` (or plain (start, end, hours) tuples).

    A whole-day leave counts its calendar days inside that range (a leave reaching over New Year or
    past ``until`` counts only its part inside); a part-day leave counts its hours ÷
    ``hours_per_shift`` (a shift's length), when it overlaps the range. A leave outside the range
    counts nothing.

    ``shift_hours`` (the person's :func:`shift_hours_by_day`) counts a part-day leave as the leave
    itself counts (:func:`count_leave_days`, its form's "days counted"): its hours ÷ the length
    of the shift of its day, at most one day, and nothing on a rest day or a day without a shift
    (issue 14: a 2-hour leave on a rest day counted 0 days on its form but 0.21 against the cap).
    """
    first = date(year, 1, 1)
    total = 0.0
    for start, end, hours in leaves:
        if start > until or end < first:
            continue
        if hours:
            total += _part_day(hours, start, hours_per_shift, shift_hours)
            continue
        total += (min(end, until) - max(start, first)).days + 1
    return total


def _part_day(hours: float, day: date, hours_per_shift: float, shift_hours: Mapping[date, float] | None) -> float:
    if shift_hours is None:
        return hours / hours_per_shift
    length = shift_hours.get(day, 0.0)
    return min(hours, length) / length if length > 0 else 0.0


def shift_hours_by_day(roster: Mapping[date, str], policy: Policy) -> dict[date, float]:
    """The length in hours of the shift of each rostered day, 0 on a rest day (Appendix A shift
    templates): what a part-day leave of that day is a fraction of (:func:`count_leave_days`).
    A day whose code the policy no longer has is left out (its leave counts nothing, as
    :func:`count_leave_days` refuses it)."""
    lengths: dict[date, float] = {}
    for day, code in roster.items():
        try:
            shift = policy.shift(code)
        except KeyError:
            continue
        lengths[day] = 0.0 if shift.rest else shift.minutes / MINUTES_PER_HOUR
    return lengths
