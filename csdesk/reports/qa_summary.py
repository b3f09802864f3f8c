"""The month's quality-inspection summary per team (rules.md §10, §11), as ``csdesk qa`` counts
it: per agent the inspections, the average score, the critical failures and the findings open at
the month's end; each team's subtotal and the month's total; the QA inspector's and the
supervisor's signatures. A pure renderer of what the service computed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from csdesk.i18n import _, format_month, format_number, pgettext
from csdesk.records import record
from csdesk.reports.styles import (
    MARGIN,
    PAGE,
    SHADE,
    Col,
    KeepWithTail,
    build_pdf,
    fit_widths,
    grid_table,
    para,
    signature_lines,
)

WIDTH = PAGE[0] - 2 * MARGIN
COUNT = Col(nowrap=True, minimum=16 * mm)


@record
class SummaryRow:
    """One agent's month, or (no number, no name) a team's or the whole month's figures; the
    average is the mean of every counted inspection's exact score (None: no inspection)."""

    employee_no: str
    name: str
    inspections: int
    average: Decimal | None
    critical_failures: int
    open_findings: int


@record
class TeamSummary:
    team: str | None
    agents: tuple[SummaryRow, ...]
    total: SummaryRow


@record
class QaSummaryInput:
    """The month (its first day) of the team asked for (None: every team the reader sees)."""

    site: str
    logo: str
    printed_at: datetime
    month: date
    team: str | None
    teams: tuple[TeamSummary, ...]
    total: SummaryRow


def _figures(row: SummaryRow) -> list[str]:
    return [format_number(row.inspections), format_number(row.average, 1) if row.average is not None else "—",
            format_number(row.critical_failures), format_number(row.open_findings)]  # fmt: skip


def _table(data: QaSummaryInput) -> Table:
    heads = [_("Employee no."), _("Name"), _("Inspections"), _("Average"), _("Critical failures"), _("Open findings")]
    texts: list[list[str]] = [heads]
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    team_rows: list[int] = []  # a team's name across the row (several teams)
    total_rows: list[int] = []  # "Subtotal" / "Total" across the number and the name
    grouped = len(data.teams) > 1
    for team in data.teams:
        if grouped:
            team_rows.append(len(rows))
            rows.append([para(team.team or _("No team"), "CellBold")] + [""] * 5)
        for a in team.agents:
            texts.append([a.employee_no, a.name, *_figures(a)])
            rows.append([a.employee_no, para(a.name), *_figures(a)])
        if grouped:
            total_rows.append(len(rows))
            texts.append(["", "", *_figures(team.total)])
            rows.append([para(_("Subtotal"), "CellBold"), "", *_figures(team.total)])
    total_rows.append(len(rows))
    texts.append(["", "", *_figures(data.total)])
    # A sum of counts (合计), not a score's total (总分).
    rows.append([para(pgettext("money", "Total"), "CellBold"), "", *_figures(data.total)])
    cols = [Col(nowrap=True), Col(weight=1), COUNT, COUNT, COUNT, COUNT]
    table = grid_table(rows, fit_widths(cols, texts, WIDTH))
    style: list[tuple[Any, ...]] = [("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    style += [("SPAN", (0, r), (-1, r)) for r in team_rows] + [("BACKGROUND", (0, r), (-1, r), SHADE) for r in team_rows]
    style += [("SPAN", (0, r), (1, r)) for r in total_rows]
    table.setStyle(style)
    return table


def _notes() -> list[Flowable]:
    return [
        para(_("Calibration inspections are not counted. The average is the mean of the month's inspection scores."), "Small"),
        para(_("Open findings: raised by the month's end and not found put right by then."), "Small"),
    ]


def _signatures() -> list[Flowable]:
    return [Spacer(1, 10 * mm), signature_lines([_("QA inspector"), _("Supervisor")])]


def render(data: QaSummaryInput, out: Path | BinaryIO) -> None:
    """Print the month's QA summary in the current language; every page's header names the site,
    the report, the month and the team, and pages are numbered "x / y"."""
    title = _("Monthly quality inspection summary")
    team = data.team or _("All teams")
    when = format_month(data.month.year, data.month.month)
    story: list[Flowable] = [para(title, "Title"), para(f"{when} · {team}", "Subtitle"), *_notes(), Spacer(1, 3 * mm)]
    if data.teams:
        story.append(KeepWithTail(_table(data), _signatures(), tail=3))
    else:
        story.append(KeepTogether([para(_("No inspections this month."), "Body"), *_signatures()]))
    build_pdf(out, story, title=f"{title} {data.month:%Y-%m}", header=" · ".join((title, when, team)), site=data.site,
              logo=data.logo, printed_at=data.printed_at)  # fmt: skip
