"""Monthly callback performance: promised calls on time, late, missed, per agent and kind (rules.md §9)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from csdesk.i18n import _, format_month, format_number, format_percent
from csdesk.labels import CALLBACK_KIND_NAMES, name_of
from csdesk.reports.callback_inputs import PerformanceInput, PerformanceRow
from csdesk.reports.styles import MARGIN, PAGE, build_pdf, field_table, grid_table, para


def _rate(row: PerformanceRow) -> str:
    rate = row.on_time_rate
    return "—" if rate is None else format_percent(rate)


def _numbers(row: PerformanceRow) -> list[Any]:
    values = (row.planned, row.on_time, row.late, row.missed, row.pending)
    return [para(format_number(v), "CellRight") for v in values] + [para(_rate(row), "CellRight"),
                                                                      para(format_number(row.reached), "CellRight")]


def _headers(first: Sequence[str]) -> list[Any]:
    names = (*first, _("Planned"), _("On time"), _("Late"), _("Missed"), _("Open"), _("On-time rate"), _("Reached"))
    return [para(n, "CellBold") for n in names]


def _table(first: Sequence[str], rows: list[list[Any]], lead: Sequence[float]) -> Any:
    rest = (PAGE[0] - 2 * MARGIN - sum(lead)) / 7
    return grid_table(rows, widths=[*lead, *([rest] * 7)], zebra=True)


def render(data: PerformanceInput, out: Path | BinaryIO) -> None:
    heading = _("Callback performance — {month}").format(month=format_month(data.month.year, data.month.month))
    t = data.total
    story: list[Any] = [
        para(heading, "Title"),
        para(_("Promised calls due in the month. On time: finished by the deadline; late: finished after it; "
               "missed: still open after it; open: not yet due. Retries count with the call they retry."), "Subtitle"),
        field_table([
            (_("Planned"), format_number(t.planned)),
            (_("On time"), format_number(t.on_time)),
            (_("Late"), format_number(t.late)),
            (_("Missed"), format_number(t.missed)),
            (_("Open"), format_number(t.pending)),
            (_("On-time rate"), _rate(t)),
        ], columns=3),
        para(_("By agent"), "H2"),
    ]
    if data.by_agent:
        rows = [_headers([_("Agent")])] + [
            [para(f"{r.agent} {r.agent_name}".strip() or _("Unassigned")), *_numbers(r)] for r in data.by_agent
        ]
        story.append(_table([_("Agent")], rows, [46 * mm]))
    else:
        story.append(para(_("No promised calls were due in this month."), "Small"))
    story += [Spacer(1, 3 * mm), para(_("By kind of call"), "H2")]
    if data.by_kind:
        rows = [_headers([_("Kind")])] + [[para(name_of(CALLBACK_KIND_NAMES, r.kind)), *_numbers(r)] for r in data.by_kind]
        story.append(_table([_("Kind")], rows, [46 * mm]))
    if data.rows:
        story += [Spacer(1, 3 * mm), para(_("By agent and kind"), "H2")]
        rows = [_headers([_("Agent"), _("Kind")])] + [
            [para(r.agent or _("Unassigned")), para(name_of(CALLBACK_KIND_NAMES, r.kind)), *_numbers(r)] for r in data.rows
        ]
        story.append(_table([_("Agent"), _("Kind")], rows, [18 * mm, 30 * mm]))
    build_pdf(out, story, title=heading, header=heading, site=data.site, logo=data.logo, printed_at=data.printed_at)
