"""The shift-swap form 调班申请单 to sign (rules.md §2 "Shift swaps"): who gives, who takes, and
each one's shift of the day before the swap beside the shift after it (issue 14)."""

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
from csdesk.reports.styles import MARGIN, PAGE, field_table, grid_table, para
from csdesk.services.attendance_types import FormHeader, ShiftSwap


def _shift(code: str | None) -> str:
    """The shift's name in the document's language (no raw code); "—" when none is known."""
    return name_of(SHIFT_NAMES, code) if code else "—"


def _shifts_table(swap: ShiftSwap) -> Flowable:
    """Each person's shift of the day before the swap and after it, one row each."""
    rows = [
        [para(_("Employee"), "CellBold"), para(_("Shift before the swap"), "CellBold"),
         para(_("Shift after the swap"), "CellBold")],
        [para(person(swap.name, swap.employee_no)), para(_shift(swap.shift_before)), para(_shift(swap.shift_after))],
        [para(person(swap.colleague_name, swap.colleague_no)), para(_shift(swap.colleague_shift_before)),
         para(_shift(swap.colleague_shift_after))],
    ]  # fmt: skip
    width = PAGE[0] - 2 * MARGIN
    return grid_table(rows, [width * 0.4, width * 0.3, width * 0.3])


def render(swap: ShiftSwap, header: FormHeader, out: Path | BinaryIO, *, signers: Signers = NO_SIGNERS) -> None:
    """Print the swap request ``swap`` in the current language; ``signers`` holds the account of
    who decided (see :func:`leave_form.who`)."""
    title = _("Shift swap request form")
    pairs: list[tuple[str, object]] = [
        (_("Requester"), person(swap.name, swap.employee_no)),
        (_("Takes the shift"), person(swap.colleague_name, swap.colleague_no)),
        (_("Day"), format_date(swap.day)),
        (_("Requested on"), format_datetime(swap.requested_at, "short")),
    ]
    story: list[Flowable] = [
        *form_opening(title, header, swap.id),
        field_table(pairs),
        Spacer(1, 3 * mm),
        para(_("Shifts"), "H2"),
        _shifts_table(swap),
        Spacer(1, 3 * mm),
        field_table([(_("Reason"), swap.reason)], columns=1),
        Spacer(1, 3 * mm),
        para(_("Decision"), "H2"),
        field_table(decision_pairs(swap.status, swap.decided_by, swap.decided_at, signers), columns=3),
    ]
    story += closing([_("Requester"), _("Colleague"), _("Supervisor")])
    build_form(out, story, title, header)
