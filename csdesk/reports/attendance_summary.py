"""The monthly attendance summary of a team (rules.md §2, §11): counts, money, reward fund.

One row per agent (lates, early leaves, absences, missed punches, leave days, deductions, the
full-attendance bonus, flags) with totals, then the reward-fund ledger, a legend of the day
status codes and the signature lines of the team lead and the supervisor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from csdesk.i18n import N_, _, format_date, format_iso_date, format_money, format_month, format_number
from csdesk.labels import DAY_STATUS_NAMES, flag_label, name_of
from csdesk.reports.styles import (
    GRID,
    MARGIN,
    PAGE,
    SHADE,
    build_pdf,
    escape,
    grid_table,
    para,
    signature_lines,
    stylesheet,
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
# Employee no., name, late, early, absent, missed, leave days, deduction, bonus, flags.
AGENT_WIDTHS = [x * mm for x in (16, 32, 14, 14, 16, 14, 13, 16, 19)]
AGENT_WIDTHS.append(WIDTH - sum(AGENT_WIDTHS))
LEDGER_WIDTHS = [x * mm for x in (24, 20, 36)]
LEDGER_WIDTHS += [WIDTH - sum(LEDGER_WIDTHS) - 24 * mm, 24 * mm]
HEAD_SIZE = 7


def _has_cjk(text: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in text)


@cache
def _style(base: str, cjk: bool, size: float | None = None) -> ParagraphStyle:
    """``base`` wrapping by character for Chinese, by word otherwise.

    The shared styles wrap CJK-style everywhere, which also splits Latin words in narrow grid
    columns ("Rodrígu-ez"); text without Chinese wraps at spaces (long words still split).
    """
    parent = stylesheet()[base]
    extra: dict[str, Any] = {} if size is None else {"fontSize": size, "leading": size + 1.5}
    return ParagraphStyle(
        f"Summary-{base}-{cjk}-{size}", parent=parent, wordWrap="CJK" if cjk else None, **extra
    )


def _p(text: str, base: str = "Cell", size: float | None = None) -> Paragraph:
    return Paragraph(escape(text), _style(base, _has_cjk(text), size))


def _head(text: str) -> Paragraph:
    """Column heads: smaller than cells so narrow count columns hold a Spanish word."""
    return _p(text, "CellCenter", HEAD_SIZE)


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


def _agent_table(month: TeamMonth, currency: str) -> Table:
    rows: list[list[Any]] = [
        [
            _head(_("Employee no.")),
            _head(_("Name")),
            _head(_("Late")),
            _head(_("Early leave")),
            _head(_("Absence")),
            _head(_("Missed punch")),
            _head(_("Leave days")),
            _head(_("Deduction ({currency})").format(currency=currency)),
            _head(_("Full-attendance bonus ({currency})").format(currency=currency)),
            _head(_("Flags")),
        ]
    ]
    team_rows: list[int] = []  # a team's name across the whole row (all-teams summary)
    total_rows: list[int] = []  # "Subtotal"/"Total" across the number and name columns
    groups = _groups(month)
    for team, agents in groups:
        if len(groups) > 1:
            team_rows.append(len(rows))
            rows.append([_p(team or _("No team"), "CellBold")] + [""] * 9)
        for a in agents:
            rows.append([a.employee_no, _p(a.name), *_counts([a]), _p(_flags(a.flags), "Small")])
        if len(groups) > 1:
            total_rows.append(len(rows))
            rows.append([para(_("Subtotal"), "CellBold"), "", *_counts(agents), ""])
    total_rows.append(len(rows))
    rows.append([para(_("Total"), "CellBold"), "", *_counts(list(month.agents)), ""])
    table = grid_table(rows, AGENT_WIDTHS, zebra=False)
    style: list[tuple[Any, ...]] = [
        ("ALIGN", (2, 1), (8, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, 0), 2),
        ("RIGHTPADDING", (0, 0), (-1, 0), 2),
        ("BACKGROUND", (0, -1), (-1, -1), SHADE),
    ]
    style += [("SPAN", (0, r), (-1, r)) for r in team_rows]
    style += [("BACKGROUND", (0, r), (-1, r), SHADE) for r in team_rows]
    style += [("SPAN", (0, r), (1, r)) for r in total_rows]
    table.setStyle(style)
    return table


def _ledger(entries: Sequence[LedgerEntry], currency: str) -> list[Flowable]:
    heading = para(_("Reward fund ledger"), "H2")
    if not entries:
        return [heading, para(_("No deductions this month."), "Body")]
    rows: list[list[Any]] = [
        [
            _head(_("Day")),
            _head(_("Employee no.")),
            _head(_("Name")),
            _head(_("Item")),
            _head(_("Amount ({currency})").format(currency=currency)),
        ]
    ]
    for e in entries:
        rows.append(
            [
                format_iso_date(e.day),
                e.employee_no,
                _p(e.name),
                _p(f"{e.code} {name_of(LEDGER_NAMES, e.code)}"),
                format_number(e.amount_cny),
            ]
        )
    total = sum(e.amount_cny for e in entries)
    rows.append([para(_("Total"), "CellBold"), "", "", "", para(format_money(total, currency), "CellRight")])
    table = grid_table(rows, LEDGER_WIDTHS)
    table.setStyle(
        [
            ("ALIGN", (4, 1), (4, -1), "RIGHT"),
            ("SPAN", (0, -1), (3, -1)),
            ("BACKGROUND", (0, -1), (-1, -1), SHADE),
        ]
    )
    return [heading, table]


def _legend() -> list[Flowable]:
    cells: list[Any] = []
    for code in DAY_STATUS_NAMES:
        shown = "LEAVE:…" if code == "LEAVE" else code
        cells += [para(shown, "CellBold"), _p(name_of(DAY_STATUS_NAMES, code))]
    per_row = 6
    cells += [""] * (-len(cells) % per_row)
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    table = Table(rows, colWidths=[25 * mm, WIDTH / 3 - 25 * mm] * 3)
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


def render(data: AttendanceReportInput, out: Path | BinaryIO) -> None:
    """Print the monthly attendance summary of ``data`` in the current language."""
    month = data.month
    title = _("Monthly attendance summary")
    team = month.team or _("All teams")
    subtitle = f"{format_month(month.year, month.month)} · {team}"
    story: list[Flowable] = [
        para(title, "Title"),
        para(subtitle, "Subtitle"),
        *_notes(data),
        _agent_table(month, data.currency),
        Spacer(1, 2 * mm),
        *_ledger(month.ledger, data.currency),
        *_legend(),
        KeepTogether([Spacer(1, 10 * mm), signature_lines([_("Team lead"), _("Supervisor")])]),
    ]
    build_pdf(
        out,
        story,
        title=f"{title} {month.month_key}",
        header=data.header.company,
        printed_at=data.header.printed_at,
    )
