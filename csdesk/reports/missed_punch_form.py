"""The missed-punch correction form 漏打卡补卡单 to sign (rules.md §2 "Missed punch")."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from csdesk.i18n import _, format_date, format_datetime, format_time
from csdesk.reports.leave_form import (
    NO_SIGNERS,
    Signers,
    applicant_pairs,
    build_form,
    closing,
    decision_pairs,
    form_opening,
)
from csdesk.reports.styles import field_table, para
from csdesk.services.attendance_types import FormHeader, PunchCorrection


def render(
    correction: PunchCorrection, header: FormHeader, out: Path | BinaryIO, *, signers: Signers = NO_SIGNERS
) -> None:
    """Print the correction request ``correction`` in the current language; ``signers`` are the
    accounts of who requested and who decided (see :func:`leave_form.who`)."""
    title = _("Missed-punch correction form")
    # A punch after midnight of an evening shift belongs to the day before: show its date too.
    same_day = correction.at.date() == correction.day
    corrected = format_time(correction.at) if same_day else format_datetime(correction.at, "short")
    pairs: list[tuple[str, object]] = [
        (_("Employee"), correction.name),
        (_("Employee no."), correction.employee_no),
        (_("Team"), correction.team or ""),
        (_("Day"), format_date(correction.day)),
        (_("Corrected punch time"), corrected),
        *applicant_pairs(correction.name, correction.employee_no, correction.requested_by, signers),
        (_("Requested on"), format_date(correction.requested_on)),
    ]
    story: list[Flowable] = [
        *form_opening(title, header, correction.id),
        field_table(pairs),
        Spacer(1, 3 * mm),
        field_table([(_("Reason"), correction.reason)], columns=1),
        Spacer(1, 3 * mm),
        para(_("Decision"), "H2"),
        field_table(
            decision_pairs(correction.status, correction.decided_by, correction.decided_at, signers), columns=3
        ),
    ]
    story += closing([_("Applicant"), _("Supervisor")])
    build_form(out, story, title, header)
