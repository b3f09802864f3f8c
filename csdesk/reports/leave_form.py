"""The leave form 请假条 to sign (rules.md §3): request, rules' findings, approval chain, and
what seed 002 asks of it besides: notice, the year's leave against the cap, the particulars of
marriage, maternity, bereavement and work-injury leave, and the 销假 on return.

Also holds the small pieces the other attendance forms share (status names, the decision
block, the form's opening lines), so the three forms read the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, TypeAlias

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from csdesk.i18n import N_, _, format_date, format_datetime, format_number, ngettext, pgettext
from csdesk.labels import LEAVE_NAMES, ROLE_NAMES, name_of
from csdesk.reports.styles import build_pdf, comments_box, field_table, para, signature_lines
from csdesk.services.attendance_types import FormHeader, LeaveRequest, Signer, YearLeaveTally

# csdesk's own account (services.base.SYSTEM; reports import no service module): what an
# import or a command run without signing in records as the person who filed or decided.
SYSTEM_LOGIN = "system"

# Sign-in name -> its account, as the service found it (AttendanceService._signers).
Signers: TypeAlias = Mapping[str, Signer]
NO_SIGNERS: Signers = MappingProxyType({})
Pairs: TypeAlias = list[tuple[str, object]]

# What the form asks and nobody has recorded: a line to write on, a box to tick by hand.
BLANK = "________________"
SHORT_BLANK = "__________"
BOX = "\u25a1"  # □

# Request states of leave, missed-punch corrections and swaps (models/tables_attendance.py).
STATUS_NAMES = {
    "pending": N_("Pending"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
}

# Approver roles of the chain (rules/leave.py APPROVER_*), in signing order.
APPROVER_NAMES = {"supervisor": ROLE_NAMES["supervisor"], "superior": N_("Superior")}

# Approval-plan warnings (rules/leave.py WARN_*).
WARNING_NAMES = {
    "LATE_NOTICE": N_("Filed with less notice than the rules require"),
    "EMERGENCY_FORM_ON_RETURN": N_("Emergency: phoned in time, the form is completed on the day back"),
    "EMERGENCY_NOTICE_LATE": N_("Emergency: the phone notice came too late"),
}


def status_label(status: str) -> str:
    """The translated request state; an unknown state shows as its code.

    "Pending" has its own context: the bare msgid is the handover's "what is pending" column
    (待办内容), not a request awaiting approval (待审批)."""
    if status == "pending":
        return pgettext("request status", "Pending")
    return name_of(STATUS_NAMES, status)


def person(name: str, employee_no: str) -> str:
    """A person as the forms name them: "张伟 (A001)"."""
    return f"{name} ({employee_no})"


def who(login: str | None, signers: Signers = NO_SIGNERS) -> str:
    """Who filed or decided, in words (issue 14): the person the sign-in account belongs to,
    "周慧敏 (S001)"; an account linked to no person as its login and role, "admin (Supervisor)";
    csdesk's own account (an import, a command without sign-in) as "System". A name with no
    account in ``signers`` prints as recorded."""
    if not login:
        return ""
    if login == SYSTEM_LOGIN:
        return _("System")
    signer = signers.get(login)
    if signer is None:
        return login
    if signer.name is not None and signer.employee_no is not None:
        return person(signer.name, signer.employee_no)
    return f"{login} ({name_of(ROLE_NAMES, signer.role)})"


def applicant_pairs(name: str, employee_no: str, entered_by: str | None, signers: Signers = NO_SIGNERS) -> Pairs:
    """Who applies and who entered the request (issue 14): the applicant (申请人) is the employee
    the request is for, never the account that typed it in; that account's person is printed
    apart as "Entered by" (录入人: a supervisor entering a request, an import as "System"),
    unless it is the applicant's own."""
    pairs: Pairs = [(_("Requested by"), person(name, employee_no))]
    signer = signers.get(entered_by) if entered_by else None
    if entered_by and not (signer is not None and signer.employee_no == employee_no):
        # TRANSLATORS: on a printed request form, who typed the request into csdesk when it is not
        # the applicant (录入人 / Registrado por).
        pairs.append((_("Entered by"), who(entered_by, signers)))
    return pairs


def date_range(start: date, end: date) -> str:
    """``start – end`` as the language writes dates; one date when both are the same."""
    return format_date(start) if start == end else f"{format_date(start)} – {format_date(end)}"


def decision_pairs(
    status: str, decided_by: str | None, decided_at: datetime | None, signers: Signers = NO_SIGNERS
) -> list[tuple[str, object]]:
    """Status, who decided and when (blank lines to fill in while pending)."""
    return [
        (_("Status"), status_label(status)),
        (_("Decided by"), who(decided_by, signers)),
        (_("Decided on"), format_datetime(decided_at, "short") if decided_at else ""),
    ]


def form_opening(title: str, header: FormHeader, number: int) -> list[Flowable]:
    """Title and the company / form-number line every attendance form starts with."""
    subtitle = " · ".join(p for p in (header.company, _("No. {number}").format(number=number)) if p)
    return [para(title, "Title"), para(subtitle, "Subtitle")]


def build_form(out: Path | BinaryIO, story: Sequence[Flowable], title: str, header: FormHeader) -> None:
    """Lay out an attendance form: every page headed by the site's name and logo and the form's
    name."""
    build_pdf(out, story, title=title, header=title, site=header.company, logo=header.logo, printed_at=header.printed_at)


def closing(labels: Sequence[str], remarks: bool = True) -> list[Flowable]:
    """An optional remarks box, then the signature blocks kept on one page."""
    block: list[Flowable] = [Spacer(1, 4 * mm)]
    if remarks:
        block += [comments_box(_("Remarks"), 22 * mm), Spacer(1, 6 * mm)]
    block.append(signature_lines(list(labels)))
    return [KeepTogether(block)]


def _attachments(request: LeaveRequest) -> Pairs:
    """The certificate as recorded, for a type whose policy requires one (rules.md §3; approved
    without it, it is due on return). A type that requires none (personal leave) prints no
    certificate line, whatever an import or an old record stored (issue 14)."""
    if not request.certificate_required:
        return []
    if request.certificate:
        shown = _("Certificate provided")
    elif request.status == "approved":
        shown = _("Certificate not provided, due on return")
    else:
        shown = _("Certificate required, not provided")
    return [(_("Attachments"), shown)]


def _notice(request: LeaveRequest) -> str:
    """The rules' notice warnings, and the approver's acceptance of short notice."""
    notes = [name_of(WARNING_NAMES, w) for w in request.warnings]
    if request.short_notice and request.status == "approved":
        notes.append(_("Short notice accepted by the approver"))
    return "\n".join(notes)


def _hours(request: LeaveRequest) -> str:
    """A part-day leave (hours set, e.g. nursing leave's hour) in hours; else whole days."""
    if request.hours is None:
        return _("Full days")
    return _("{hours} h").format(hours=format_number(request.hours))


def _days(request: LeaveRequest) -> str:
    """Days counted; a part-day leave's fraction of a shift to two decimals (2 h of 9.5 h: 0.21)."""
    return format_number(request.days, 2) if request.hours is not None else format_number(request.days)


def _day_count(days: float) -> str:
    """"1 day", "2.5 days": a fraction to at most two decimals, and counted as a plural."""
    whole = float(days).is_integer()
    return ngettext("{n} day", "{n} days", int(days) if whole else 2).format(n=format_number(round(days, 2)))


def _notice_given(days: int) -> str:
    """Days filed ahead of the leave; a request filed after the leave began says so."""
    if days >= 0:
        return _day_count(days)
    return ngettext("filed {n} day after the leave began", "filed {n} days after the leave began", -days).format(
        n=format_number(-days)
    )


def _year_pairs(year: YearLeaveTally | None) -> Pairs:
    """The year's leave against the yearly cap (rules.md §3); lines to fill when not counted."""
    if year is None:
        return [(_("Leave taken this year"), BLANK), (_("With this leave"), BLANK)]
    with_this = _("{days} (yearly cap: {cap})").format(days=_day_count(year.with_this), cap=_day_count(year.cap_days))
    if year.over_by_days > 0:
        with_this += "\n" + _("Over the cap by {days}").format(days=_day_count(year.over_by_days))
    return [(_("Leave taken this year"), _day_count(year.taken_before)), (_("With this leave"), with_this)]


def _boxes(*choices: str) -> str:
    """"□ Yes   □ No": each box kept with its word, the choices apart (no-break spaces)."""
    return "\u00a0\u00a0\u00a0 ".join(f"{BOX}\u00a0{choice}" for choice in choices)


def _yes_no(request: LeaveRequest, value: bool) -> str:
    """Yes or No as recorded; boxes to tick when the particulars were not given (no event date)."""
    if request.event_date is None:
        return _boxes(_("Yes"), _("No"))
    return _("Yes") if value else _("No")


def _entitlement(request: LeaveRequest) -> str:
    return BLANK if request.entitlement_days is None else _day_count(request.entitlement_days)


def _marriage(request: LeaveRequest) -> Pairs:
    return [
        (_("Date of marriage"), format_date(request.event_date) or BLANK),
        (_("Remarriage"), _yes_no(request, request.remarriage)),
        (_("Entitlement"), _entitlement(request)),
    ]


def _maternity(request: LeaveRequest) -> Pairs:
    babies = format_number(request.babies) if request.event_date else BLANK
    return [
        (_("Date of birth or due date"), format_date(request.event_date) or BLANK),
        (_("Difficult birth"), _yes_no(request, request.difficult_birth)),
        (_("Number of babies"), babies),
        (_("Entitlement"), _entitlement(request)),
    ]


def _bereavement(_request: LeaveRequest) -> Pairs:
    """Seed 002: phone the supervisor first, file the form on the day back."""
    phoned = _("phoned the supervisor first, on {date} at {time}").format(date=SHORT_BLANK, time=SHORT_BLANK)
    return [(_("Notified by phone"), f"{BOX}\u00a0{phoned}"), (_("Relationship to the deceased"), BLANK)]


def _work_injury(_request: LeaveRequest) -> Pairs:
    """Seed 002: a relative may file for an employee who cannot."""
    return [
        (_("Filed by a relative"), _boxes(_("Yes"), _("No"))),
        (_("Relative (name, relationship)"), BLANK),
    ]


# The particulars each leave type's form asks for, by the policy's leave codes (rules.md Appendix A).
PARTICULARS: dict[str, Callable[[LeaveRequest], Pairs]] = {
    "MARRIAGE": _marriage,
    "MATERNITY": _maternity,
    "BEREAVEMENT": _bereavement,
    "INJURY": _work_injury,
}


def _particulars(request: LeaveRequest) -> list[Flowable]:
    pairs = PARTICULARS.get(request.leave_type)
    if pairs is None:
        return []
    return [Spacer(1, 3 * mm), para(_("Particulars"), "H2"), field_table(pairs(request))]


def _cancellation_on_return(request: LeaveRequest, signers: Signers) -> list[Flowable]:
    """The 销假 sign-off (rules.md §3, after sick or personal leave): its date and who recorded
    it, or lines to fill in on the day back. Only a recorded return is "done": an approved leave
    imported from a file counts as cancelled for the attendance rules but has no return record,
    and its form leaves the lines to fill (never "done" without a date and a signer)."""
    if not request.cancel_required:
        return []
    if request.cancelled_on_return and request.returned_at is not None:
        pairs: Pairs = [
            (_("Status"), _("Done")),
            (_("Returned on"), format_date(request.returned_at)),
            (_("Signed off by"), who(request.returned_by, signers) or BLANK),
        ]
    else:
        pairs = [(_("Status"), _("Required")), (_("Returned on"), BLANK), (_("Signed off by"), BLANK)]
    return [para(_("Cancellation on return"), "H2"), field_table(pairs, columns=3)]


def render(
    request: LeaveRequest, header: FormHeader, out: Path | BinaryIO, *, signers: Signers = NO_SIGNERS
) -> None:
    """Print the leave form of ``request`` in the current language; ``signers`` are the accounts
    of who filed, who decided and who recorded the 销假 (see :func:`who`)."""
    title = _("Leave request form")
    dates = date_range(request.start, request.end)
    pairs: Pairs = [
        (_("Employee"), request.name),
        (_("Employee no."), request.employee_no),
        (_("Team"), request.team or ""),
        (_("Leave type"), name_of(LEAVE_NAMES, request.leave_type)),
        (_("Dates"), dates),
        (_("Hours"), _hours(request)),
        (_("Days counted"), _days(request)),
        *_attachments(request),
        (_("Notice given"), _notice_given(request.notice_days_given)),
        (_("Notice required"), _day_count(request.notice_days_required)),
        *_year_pairs(request.year_leave),
    ]
    if request.converted_to_personal_days > 0:
        pairs.append(
            (
                _("Converted to personal leave"),
                _("{days} days").format(days=format_number(request.converted_to_personal_days)),
            )
        )
    pairs += [
        *applicant_pairs(request.name, request.employee_no, request.created_by, signers),
        (_("Requested on"), format_datetime(request.created_at, "short")),
    ]
    chain = " → ".join(name_of(APPROVER_NAMES, a) for a in request.approvers) or "—"
    story: list[Flowable] = [
        *form_opening(title, header, request.id),
        field_table(pairs),
        Spacer(1, 3 * mm),
        field_table([(_("Reason"), request.reason)], columns=1),
        *_particulars(request),
        Spacer(1, 3 * mm),
        para(_("Approval"), "H2"),
        field_table([(_("Approval chain"), chain)], columns=1),
    ]
    if request.warnings:
        story.append(field_table([(_("Notice"), _notice(request))], columns=1))
    story.append(
        field_table(decision_pairs(request.status, request.decided_by, request.decided_at, signers), columns=3)
    )
    story += _cancellation_on_return(request, signers)
    signatures = [_("Applicant"), _("Supervisor")]
    if "superior" in request.approvers:
        signatures.append(_("Superior"))
    story += closing(signatures)
    build_form(out, story, title, header)
