"""The leave form 请假条 to sign (rules.md §3): request, rules' findings, approval chain.

Also holds the small pieces the other attendance forms share (status names, the decision
block, the form's opening lines), so the three forms read the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, TypeAlias

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from csdesk.i18n import N_, _, format_date, format_datetime, format_number, pgettext
from csdesk.labels import LEAVE_NAMES, ROLE_NAMES, name_of
from csdesk.reports.styles import build_pdf, comments_box, field_table, para, signature_lines
from csdesk.services.attendance_types import FormHeader, LeaveRequest, Signer

# csdesk's own account (services.base.SYSTEM; reports import no service module): what an
# import or a command run without signing in records as the person who filed or decided.
SYSTEM_LOGIN = "system"

# Sign-in name -> its account, as the service found it (AttendanceService._signers).
Signers: TypeAlias = Mapping[str, Signer]
NO_SIGNERS: Signers = MappingProxyType({})

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


def _attachments(request: LeaveRequest) -> str:
    """The certificate as recorded: approved without it, it is due on return (rules.md §3)."""
    if request.certificate:
        return _("Certificate provided")
    if not request.certificate_required:
        return _("None required")
    if request.status == "approved":
        return _("Certificate not provided, due on return")
    return _("Certificate required, not provided")


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


def render(
    request: LeaveRequest, header: FormHeader, out: Path | BinaryIO, *, signers: Signers = NO_SIGNERS
) -> None:
    """Print the leave form of ``request`` in the current language; ``signers`` are the accounts
    of who filed and who decided (see :func:`who`)."""
    title = _("Leave request form")
    dates = date_range(request.start, request.end)
    pairs: list[tuple[str, object]] = [
        (_("Employee"), request.name),
        (_("Employee no."), request.employee_no),
        (_("Team"), request.team or ""),
        (_("Leave type"), name_of(LEAVE_NAMES, request.leave_type)),
        (_("Dates"), dates),
        (_("Hours"), _hours(request)),
        (_("Days counted"), _days(request)),
        (_("Attachments"), _attachments(request)),
    ]
    if request.converted_to_personal_days > 0:
        pairs.append(
            (
                _("Converted to personal leave"),
                _("{days} days").format(days=format_number(request.converted_to_personal_days)),
            )
        )
    if request.cancel_required:
        pairs.append(
            (_("Cancellation on return"), _("Done") if request.cancelled_on_return else _("Required"))
        )
    pairs += [
        (_("Requested by"), who(request.created_by, signers)),
        (_("Requested on"), format_datetime(request.created_at, "short")),
    ]
    chain = " → ".join(name_of(APPROVER_NAMES, a) for a in request.approvers) or "—"
    story: list[Flowable] = [
        *form_opening(title, header, request.id),
        field_table(pairs),
        Spacer(1, 3 * mm),
        field_table([(_("Reason"), request.reason)], columns=1),
        Spacer(1, 3 * mm),
        para(_("Approval"), "H2"),
        field_table([(_("Approval chain"), chain)], columns=1),
    ]
    if request.warnings:
        story.append(field_table([(_("Notice"), _notice(request))], columns=1))
    story.append(
        field_table(decision_pairs(request.status, request.decided_by, request.decided_at, signers), columns=3)
    )
    signatures = [_("Applicant"), _("Supervisor")]
    if "superior" in request.approvers:
        signatures.append(_("Superior"))
    story += closing(signatures)
    build_form(out, story, title, header)
