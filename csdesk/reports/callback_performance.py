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
from csdesk.reports.styles import MARGIN, PAGE, Col, build_pdf, field_table, fit_widths, grid_table, para


# A count or a rate: as wide as its widest figure, its heading wrapping at spaces only; a
# heading up to SHORT wide keeps to one line (a Chinese one would break between any two characters).
COUNT = Col(nowrap=True, minimum=16 * mm)
SHORT = 20 * mm


def _rate(row: PerformanceRow) -> str:
    rate = row.on_time_rate
    return "—" if rate is None else format_percent(rate)


def _figures(row: PerformanceRow) -> list[str]:
    counts = (row.planned, row.on_time, row.late, row.missed, row.pending)
    return [*(format_number(v) for v in counts), _rate(row), format_number(row.reached)]


def _table(first: Sequence[str], lead: Sequence[Col], rows: Sequence[tuple[Sequence[str], PerformanceRow]]) -> Any:
    """``first`` headings over ``lead`` columns of names, then the figures of each row."""
    heads = [*first, _("Planned"), _("On time"), _("Late"), _("Missed"), _("Open"), _("On-time rate"), _("Reached")]
    texts = [heads, *([*names, *_figures(row)] for names, row in rows)]
    cells: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    n = len(first)
    cells += [[*(para(name) for name in t[:n]), *(para(f, "CellRight") for f in t[n:])] for t in texts[1:]]
    widths = fit_widths([*lead, *[COUNT] * 7], texts, PAGE[0] - 2 * MARGIN, short=SHORT)
    return grid_table(cells, widths=widths, zebra=True)


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
        agents = [([f"{r.agent} {r.agent_name}".strip() or _("Unassigned")], r) for r in data.by_agent]
        story.append(_table([_("Agent")], [Col()], agents))
    else:
        story.append(para(_("No promised calls were due in this month."), "Small"))
    story += [Spacer(1, 3 * mm), para(_("By kind of call"), "H2")]
    if data.by_kind:
        kinds = [([name_of(CALLBACK_KIND_NAMES, r.kind)], r) for r in data.by_kind]
        story.append(_table([_("Kind")], [Col()], kinds))
    if data.rows:
        story += [Spacer(1, 3 * mm), para(_("By agent and kind"), "H2")]
        pairs = [([r.agent or _("Unassigned"), name_of(CALLBACK_KIND_NAMES, r.kind)], r) for r in data.rows]
        story.append(_table([_("Agent"), _("Kind")], [Col(nowrap=True), Col()], pairs))
    build_pdf(out, story, title=heading, header=heading, site=data.site, logo=data.logo, printed_at=data.printed_at)
