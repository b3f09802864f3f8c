"""The shift-swap form 调班申请单 to sign (rules.md §2 "Shift swaps"): who gives, who takes."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from csdesk.i18n import _, format_date, format_datetime
from csdesk.labels import SHIFT_NAMES, name_of
from csdesk.reports.leave_form import (
    NO_SIGNERS,
    Signers,
    build_form,
    closing,
    decision_pairs,
    form_opening,
    person,
)
from csdesk.reports.styles import field_table, para
from csdesk.services.attendance_types import FormHeader, ShiftSwap


def render(swap: ShiftSwap, header: FormHeader, out: Path | BinaryIO, *, signers: Signers = NO_SIGNERS) -> None:
    """Print the swap request ``swap`` in the current language; ``signers`` holds the account of
    who decided (see :func:`leave_form.who`)."""
    title = _("Shift swap request form")
    shift = name_of(SHIFT_NAMES, swap.shift) if swap.shift else "—"
    pairs: list[tuple[str, object]] = [
        (_("Requester"), person(swap.name, swap.employee_no)),
        (_("Takes the shift"), person(swap.colleague_name, swap.colleague_no)),
        (_("Day"), format_date(swap.day)),
        (_("Shift"), shift),
        (_("Requested on"), format_datetime(swap.requested_at, "short")),
    ]
    story: list[Flowable] = [
        *form_opening(title, header, swap.id),
        field_table(pairs),
        Spacer(1, 3 * mm),
        field_table([(_("Reason"), swap.reason)], columns=1),
        Spacer(1, 3 * mm),
        para(_("Decision"), "H2"),
        field_table(decision_pairs(swap.status, swap.decided_by, swap.decided_at, signers), columns=3),
    ]
    story += closing([_("Requester"), _("Colleague"), _("Supervisor")])
    build_form(out, story, title, header)
