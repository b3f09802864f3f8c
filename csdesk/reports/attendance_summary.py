"""The monthly attendance summary of a team (rules.md §2, §11): counts, money, reward fund.

One row per agent (lates, early leaves, absences, missed punches, leave days, deductions, the
full-attendance bonus, flags) with totals, a legend of the day status codes, then the
reward-fund ledger kept on one page with the signature lines of the team lead and the
supervisor (issue #14: never a page of signature lines alone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from csdesk.i18n import N_, _, format_date, format_money, format_month, format_number, pgettext
from csdesk.labels import DAY_STATUS_NAMES, flag_label, name_of
from csdesk.reports.styles import (
    CELL_PADDING,
    GRID,
    MARGIN,
    PAGE,
    SHADE,
    Col,
    KeepWithTail,
    SizedTable,
    build_pdf,
    escape,
    fit_widths,
    grid_table,
    para,
    signature_lines,
    stylesheet,
    wraps_by_character,
)
from csdesk.services.attendance_types import AgentMonth, AttendanceReportInput, LedgerEntry, TeamMonth

# Reward-fund ledger codes (rules/attendance.py LEDGER_*); the day-status names where they fit.
LEDGER_NAMES = {
    "LATE": DAY_STATUS_NAMES["LATE"],
    "EARLY": DAY_STATUS_NAMES["EARLY"],
    "ABSENT": DAY_STATUS_NAMES["ABSENT"],
    "MISSED_PUNCH": DAY_STATUS_NAMES["MISSED"],
    "LATES_AS_ABSENCE": N_("Three lates as one absence"),
    "PAY_CUT": N_("Pay cut for consecutive absences"),
    "SWAP_NOT_ARRANGED": N_("Left without an arranged swap"),
}

# Month flags of attendance that csdesk.labels.FLAG_NAMES does not name (rules/attendance.py).
EXTRA_FLAG_NAMES = {"ABSENCE_PAY_CUT": N_("Pay cut for consecutive absences")}

WIDTH = PAGE[0] - 2 * MARGIN
HEAD_SIZE = 7
HEAD_PADDING = 4  # left + right padding of the heading row (the narrow count columns need room)
COUNT = Col(nowrap=True, minimum=12 * mm)  # a count or money column: its heading wraps at spaces


def _p(text: str, base: str = "Cell", size: float | None = None) -> Paragraph:
    """A cell in the document's wrapping (by character in Chinese, at spaces otherwise)."""
    parent = stylesheet()[base]
    if size is None:
        return Paragraph(escape(text), parent)
    return Paragraph(escape(text), _sized(parent, size))


@cache
def _sized(parent: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"{parent.name}-{size}", parent=parent, fontSize=size, leading=size + 1.5)


def _head(text: str) -> Paragraph:
    """Column heads: smaller than cells so narrow count columns hold a Spanish word."""
    return _p(text, "CellCenter", HEAD_SIZE)


def _unit_on_its_own_line(text: str) -> str:
    """A Chinese heading with a bracketed unit, "全勤奖（CNY）", as "全勤奖" over "（CNY）".

    WORKAROUND: ReportLab's CJK wrapping (5.1) breaks such a heading anywhere, after the opening
    bracket ("全勤奖（" / "CNY）", which CJK line-breaking rules forbid) or inside the unit; a
    line break of our own before the bracket leaves it no break to choose (fit_widths keeps each
    line whole). Latin headings wrap at spaces and keep "(CNY)" whole already."""
    if not wraps_by_character():
        return text
    return re.sub(r"(?<=\S)\s*([（(])", r"\n\1", text, count=1)


def _widths(cols: Sequence[Col], rows: Sequence[Sequence[str]]) -> list[float]:
    return fit_widths(cols, rows, WIDTH, head_size=HEAD_SIZE, padding=CELL_PADDING, head_padding=HEAD_PADDING)


def _flags(flags: Sequence[str]) -> str:
    return "; ".join(name_of(EXTRA_FLAG_NAMES, f) if f in EXTRA_FLAG_NAMES else flag_label(f) for f in flags)


def _counts(agents: Sequence[AgentMonth]) -> list[str]:
    """The summed columns (late … bonus) of ``agents``, formatted."""
    return [
        format_number(sum(a.late for a in agents)),
        format_number(sum(a.early for a in agents)),
        format_number(sum(a.absent for a in agents)),
        format_number(sum(a.missed for a in agents)),
        format_number(sum(a.leave_days for a in agents)),
        format_number(sum(a.deduction_cny for a in agents)),
        format_number(sum(a.full_attendance_bonus_cny for a in agents)),
    ]


def _groups(month: TeamMonth) -> list[tuple[str | None, list[AgentMonth]]]:
    """One group for a team's summary; the teams in order of appearance for all teams."""
    if month.team is not None:
        return [(month.team, list(month.agents))]
    groups: dict[str | None, list[AgentMonth]] = {}
    for agent in month.agents:
        groups.setdefault(agent.team, []).append(agent)
    return list(groups.items())


def _total_label() -> str:
    """A sum of counts and money: 合计 / 合計 / Total (the bare "Total" is a score total, 总分)."""
    return pgettext("money", "Total")


def _agent_table(month: TeamMonth, currency: str) -> Table:
    heads = [
        _("Employee no."),
        _("Name"),
        _("Late"),
        _("Early leave"),
        _("Absence"),
        _("Missed punch"),
        _("Leave days"),
        _unit_on_its_own_line(_("Deduction ({currency})").format(currency=currency)),
        _unit_on_its_own_line(_("Full-attendance bonus ({currency})").format(currency=currency)),
        _("Flags"),
    ]
    texts: list[list[str]] = [heads]  # plain text of every cell, to size the columns
    rows: list[list[Any]] = [[_head(h) for h in heads]]
    team_rows: list[int] = []  # a team's name across the whole row (all-teams summary)
    total_rows: list[int] = []  # "Subtotal"/"Total" across the number and name columns
    groups = _groups(month)
    for team, agents in groups:
        if len(groups) > 1:
            team_rows.append(len(rows))
            rows.append([_p(team or _("No team"), "CellBold")] + [""] * 9)
        for a in agents:
            flags = _flags(a.flags)
            texts.append([a.employee_no, a.name, *_counts([a]), flags])
            rows.append([a.employee_no, _p(a.name), *_counts([a]), _p(flags, "Small")])
        if len(groups) > 1:
            total_rows.append(len(rows))
            texts.append(["", "", *_counts(agents), ""])
            rows.append([para(_("Subtotal"), "CellBold"), "", *_counts(agents), ""])
    total_rows.append(len(rows))
    texts.append(["", "", *_counts(list(month.agents)), ""])
    rows.append([para(_total_label(), "CellBold"), "", *_counts(list(month.agents)), ""])
    cols = [Col(nowrap=True), Col(weight=0), *[COUNT] * 7, Col(weight=0)]  # names and flags by content
    table = grid_table(rows, _widths(cols, texts), zebra=False)
    style: list[tuple[Any, ...]] = [
        ("ALIGN", (2, 1), (8, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, 0), HEAD_PADDING / 2),
        ("RIGHTPADDING", (0, 0), (-1, 0), HEAD_PADDING / 2),
        ("BACKGROUND", (0, -1), (-1, -1), SHADE),
    ]
    style += [("SPAN", (0, r), (-1, r)) for r in team_rows]
    style += [("BACKGROUND", (0, r), (-1, r), SHADE) for r in team_rows]
    style += [("SPAN", (0, r), (1, r)) for r in total_rows]
    table.setStyle(style)
    return table


def _ledger_table(entries: Sequence[LedgerEntry], currency: str) -> Table:
    heads = [
        _("Day"),
        _("Employee no."),
        _("Name"),
        _("Item"),
        _unit_on_its_own_line(_("Amount ({currency})").format(currency=currency)),
    ]
    texts: list[list[str]] = [heads]
    rows: list[list[Any]] = [[_head(h) for h in heads]]
    for e in entries:
        item = name_of(LEDGER_NAMES, e.code)  # the item in words, not its code
        cells = [format_date(e.day, "short"), e.employee_no, e.name, item, format_number(e.amount_cny)]
        texts.append(cells)
        rows.append([cells[0], cells[1], _p(e.name), _p(item), cells[4]])
    total = format_money(sum(e.amount_cny for e in entries), currency)
    texts.append(["", "", "", "", total])
    rows.append([para(_total_label(), "CellBold"), "", "", "", para(total, "CellRight")])
    cols = [Col(nowrap=True), Col(nowrap=True), Col(weight=0), Col(weight=0), COUNT]
    table = grid_table(rows, _widths(cols, texts))
    table.setStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, 0), HEAD_PADDING / 2),
            ("RIGHTPADDING", (0, 0), (-1, 0), HEAD_PADDING / 2),
            ("ALIGN", (4, 1), (4, -1), "RIGHT"),
            ("SPAN", (0, -1), (3, -1)),
            ("BACKGROUND", (0, -1), (-1, -1), SHADE),
        ]
    )
    return table


def _legend() -> list[Flowable]:
    cells: list[Any] = []
    for code in DAY_STATUS_NAMES:
        shown = "LEAVE:…" if code == "LEAVE" else code
        cells += [para(shown, "CellBold"), _p(name_of(DAY_STATUS_NAMES, code))]
    per_row = 6
    cells += [""] * (-len(cells) % per_row)
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    table = SizedTable(rows, colWidths=[25 * mm, WIDTH / 3 - 25 * mm] * 3)
    table.setStyle(
        [("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        + [("BACKGROUND", (c, 0), (c, -1), SHADE) for c in (0, 2, 4)]
    )
    return [KeepTogether([para(_("Day status codes"), "H2"), table])]


def _notes(data: AttendanceReportInput) -> list[Flowable]:
    month = data.month
    notes = list(data.notes)
    last = month.days[-1] if month.days else None
    if month.judged_until is None:
        notes.insert(0, _("No day of this month has been judged yet."))
    elif last is not None and month.judged_until < last:
        notes.insert(0, _("Days judged up to {date}.").format(date=format_date(month.judged_until)))
    return [para(n, "Small") for n in notes] + ([Spacer(1, 2 * mm)] if notes else [])


def _closing(month: TeamMonth, currency: str) -> list[Flowable]:
    """The reward-fund ledger, the last block of figures, kept on one page with the signature
    lines: when they do not fit, the ledger's last rows go over with them."""
    signatures = [Spacer(1, 10 * mm), signature_lines([_("Team lead"), _("Supervisor")])]
    heading = para(_("Reward fund ledger"), "H2")
    if not month.ledger:
        return [KeepTogether([heading, para(_("No deductions this month."), "Body"), *signatures])]
    return [heading, KeepWithTail(_ledger_table(month.ledger, currency), signatures, tail=3)]


def render(data: AttendanceReportInput, out: Path | BinaryIO) -> None:
    """Print the monthly attendance summary of ``data`` in the current language.

    Every page's header names the site, the report, the month and the team; pages are
    numbered "x / y"."""
    month = data.month
    title = _("Monthly attendance summary")
    team = month.team or _("All teams")
    when = format_month(month.year, month.month)
    story: list[Flowable] = [
        para(title, "Title"),
        para(f"{when} · {team}", "Subtitle"),
        *_notes(data),
        _agent_table(month, data.currency),
        Spacer(1, 2 * mm),
        *_legend(),
        *_closing(month, data.currency),
    ]
    build_pdf(
        out,
        story,
        title=f"{title} {month.month_key}",
        header=" · ".join((title, when, team)),
        site=data.header.company,
        logo=data.header.logo,
        printed_at=data.header.printed_at,
    )
