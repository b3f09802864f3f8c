"""An agent's call sheet for one day: each call with its script points and boxes for the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from csdesk.callback_labels import NOTE_NAMES, STATUS_NAMES, TIER_NAMES, label
from csdesk.i18n import _, format_date, format_number, format_time
from csdesk.labels import CALLBACK_KIND_NAMES, OUTCOME_NAMES, name_of
from csdesk.reports.callback_inputs import CallSheetInput, CallSheetLine
from csdesk.reports.styles import GRID, MARGIN, PAGE, SHADE, SizedTable, build_pdf, escape, field_table, para

_BOX_OUTCOMES = ("REACHED", "BUSY_RESCHEDULED", "NO_ANSWER", "WRONG_NUMBER", "REFUSED")


def _kind(line: CallSheetLine) -> str:
    text = name_of(CALLBACK_KIND_NAMES, line.retry_of or line.kind)
    if line.retry_of:
        text = _("{kind} (retry {n})").format(kind=text, n=line.attempt)
    if line.note:
        text += f" · {label(NOTE_NAMES, line.note)}"
    return text


def _window(line: CallSheetLine) -> str:
    start = format_date(line.window_start.date(), "short")
    if line.window_start.time().hour or line.window_start.time().minute:
        start += " " + format_time(line.window_start)
    return _("{start} to {due}").format(start=start, due=format_date(line.due.date(), "short"))


def _block(number: int, line: CallSheetLine) -> Any:
    width = PAGE[0] - 2 * MARGIN
    member = escape(line.member) + (" ★ VIP" if line.vip else "")
    head = [
        para(f"<b>{number}.</b> {escape(_kind(line))}", "Cell", markup=True),
        para(f"{member}<br/>{escape(label(TIER_NAMES, line.tier))}", "Cell", markup=True),
        para(line.phone),
        para(_window(line)),
        para(label(STATUS_NAMES, line.status) + (f" · {name_of(OUTCOME_NAMES, line.outcome)}" if line.outcome else "")),
    ]
    points = "<br/>".join(f"• {escape(p)}" for p in line.script) or escape(_("No script points for this call."))
    boxes = "   ".join(f"□ {escape(name_of(OUTCOME_NAMES, code))}" for code in _BOX_OUTCOMES)
    rows = [
        head,
        [para(points, "Cell", markup=True), "", "", "", ""],
        [para(boxes + "   " + escape(_("New time:")) + " ________", "Small", markup=True), "", "", "", ""],
        [para(_("Notes:"), "Small"), "", "", "", ""],
    ]
    table = SizedTable(rows, colWidths=[width * f for f in (0.24, 0.24, 0.16, 0.22, 0.14)],
                       rowHeights=[None, None, None, 12 * mm])
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.7, GRID),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("SPAN", (0, 1), (-1, 1)),
        ("SPAN", (0, 2), (-1, 2)),
        ("SPAN", (0, 3), (-1, 3)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return KeepTogether([table, Spacer(1, 3 * mm)])


def render(data: CallSheetInput, out: Path | BinaryIO) -> None:
    quota = _("{effective} of {target} effective outgoing calls").format(
        effective=format_number(data.effective), target=format_number(data.target))
    if data.home_visit:
        quota += " · " + _("home visits today: quota lowered")
    story: list[Any] = [
        para(_("Call sheet"), "Title"),
        field_table([
            (_("Agent"), f"{data.agent} {data.agent_name}"),
            (_("Date"), format_date(data.day, "full")),
            (_("Daily quota"), quota),
            (_("Calls on the sheet"), format_number(len(data.lines))),
        ]),
        Spacer(1, 5 * mm),
    ]
    if not data.lines:
        story.append(para(_("No calls on this day."), "Body"))
    story += [_block(i, line) for i, line in enumerate(data.lines, start=1)]
    title = _("Call sheet {agent} {day}").format(agent=data.agent, day=format_date(data.day, "short"))
    head = " · ".join((_("Call sheet"), f"{data.agent} {data.agent_name}".strip(), format_date(data.day)))
    build_pdf(out, story, title=title, header=head, site=data.site, logo=data.logo, printed_at=data.printed_at)
