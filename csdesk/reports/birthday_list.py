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
from csdesk.reports.styles import MARGIN, PAGE, Col, build_pdf, fit_widths, grid_table, para

# Date, member, age, phone, agent, box: the date, age, phone and box never wrap (a heading at
# spaces only, so "Cumple" and "Llamado" stay whole); the member and the agent share the rest.
_COLS = (Col(nowrap=True), Col(weight=1), Col(nowrap=True), Col(nowrap=True), Col(weight=1), Col(nowrap=True))
_BOX = "□"


def _headings() -> list[str]:
    return [_("Call on"), _("Member"), _("Turns"), _("Phone"), _("Agent"), _("Called")]


def _cells(line: BirthdayLine) -> list[str]:
    return [format_date(line.call_date, "medium"), line.member, format_number(line.age), line.phone,
            f"{line.agent} {line.agent_name}".strip(), _BOX]  # fmt: skip


def _widths(data: BirthdayListInput) -> list[float]:
    """One set of widths for both lists, so their columns line up."""
    rows = [_headings(), *(_cells(line) for line in (*data.vip, *data.normal))]
    return fit_widths(_COLS, rows, PAGE[0] - 2 * MARGIN)


def _table(lines: tuple[BirthdayLine, ...], widths: list[float]) -> Any:
    rows: list[list[Any]] = [[para(h, "CellBold") for h in _headings()]]
    for line in lines:
        day, member, age, phone, agent, box = _cells(line)
        rows.append([para(day), para(member), para(age, "CellRight"), para(phone), para(agent),
                     para(box, "CellCenter")])  # fmt: skip
    return grid_table(rows, widths=widths, zebra=True)


def render(data: BirthdayListInput, out: Path | BinaryIO) -> None:
    """Draw the list; each part says so when it is empty."""
    heading = _("Birthday calls — {month}").format(month=format_month(data.month.year, data.month.month))
    story: list[Any] = [
        para(heading, "Title"),
        para(_("Call each member on the day, in the company's name. VIP and other members are kept apart."), "Subtitle"),
    ]
    widths = _widths(data)
    for title, lines in ((_("VIP members"), data.vip), (_("Other members"), data.normal)):
        story.append(para(f"{title} ({format_number(len(lines))})", "H2"))
        story.append(_table(lines, widths) if lines else para(_("No birthdays in this month."), "Small"))
        story.append(Spacer(1, 4 * mm))
    build_pdf(out, story, title=heading, header=heading, site=data.site, logo=data.logo, printed_at=data.printed_at)
