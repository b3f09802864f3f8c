"""The birthday-call list of a month (rules.md §9): VIP and normal customers on separate lists.

Printed in the last week of the month before; the duty agent makes each call on
the day and ticks it here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from csdesk.i18n import _, format_date, format_month, format_number
from csdesk.reports.callback_inputs import BirthdayLine, BirthdayListInput
from csdesk.reports.styles import MARGIN, PAGE, build_pdf, grid_table, para

_WIDTHS = (30 * mm, 40 * mm, 13 * mm, 30 * mm, 30 * mm, 14 * mm)


def _table(lines: tuple[BirthdayLine, ...]) -> Any:
    header = [para(h, "CellBold") for h in (_("Call on"), _("Member"), _("Turns"), _("Phone"), _("Agent"), _("Called"))]
    rows: list[list[Any]] = [header]
    for line in lines:
        rows.append([
            para(format_date(line.call_date, "medium")),
            para(line.member),
            para(format_number(line.age), "CellRight"),
            para(line.phone),
            para(f"{line.agent} {line.agent_name}".strip()),
            para("□", "CellCenter"),
        ])
    rest = PAGE[0] - 2 * MARGIN - sum(_WIDTHS)
    return grid_table(rows, widths=[*_WIDTHS[:4], _WIDTHS[4] + rest, _WIDTHS[5]], zebra=True)


def render(data: BirthdayListInput, out: Path | BinaryIO) -> None:
    """Draw the list; each part says so when it is empty."""
    heading = _("Birthday calls — {month}").format(month=format_month(data.month.year, data.month.month))
    story: list[Any] = [
        para(heading, "Title"),
        para(_("Call each member on the day, in the company's name. VIP and other members are kept apart."), "Subtitle"),
    ]
    for title, lines in ((_("VIP members"), data.vip), (_("Other members"), data.normal)):
        story.append(para(f"{title} ({format_number(len(lines))})", "H2"))
        story.append(_table(lines) if lines else para(_("No birthdays in this month."), "Small"))
        story.append(Spacer(1, 4 * mm))
    build_pdf(out, story, title=heading, header=heading, site=data.site, logo=data.logo, printed_at=data.printed_at)
