"""Export an agenda to iCalendar (RFC 5545, written by hand) and to XLSX (openpyxl).

iCalendar: one VEVENT per call. A call whose window opens at an agreed time
(a busy customer's new time, a retry) is a timed event of
``EVENT_MINUTES`` at that time; any other call is an all-day event spanning
its window, from the day it opens to its due day inclusive. Times are local
"floating" times, as the department works in one place. Lines end in CRLF and
are folded at 75 octets without splitting a UTF-8 character; TEXT values are
escaped (backslash, semicolon, comma, newline).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

from csdesk.callback_labels import STATUS_NAMES, TIER_NAMES
from csdesk.i18n import N_, _, format_iso_date
from csdesk.labels import CALLBACK_KIND_NAMES, OUTCOME_NAMES, name_of
from csdesk.services.callback_dto import Agenda, AgendaCall
from csdesk.services.callback_scripts import script_points
from csdesk.services.export_cells import neutralise_row

EVENT_MINUTES = 15  # (chosen) length of a timed call event
PRODID = "-//csdesk//Callback agenda//EN"


def ics_escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> bytes:
    """RFC 5545 §3.1: at most 75 octets per line, continuation lines start with one space."""
    out = bytearray()
    width = 0
    for ch in line:
        encoded = ch.encode("utf-8")
        if width + len(encoded) > 75:
            out += b"\r\n "
            width = 1
        out += encoded
        width += len(encoded)
    return bytes(out) + b"\r\n"


def _dt(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _d(value: date) -> str:
    return value.strftime("%Y%m%d")


def _summary(call: AgendaCall) -> str:
    kind = name_of(CALLBACK_KIND_NAMES, call.retry_of or call.kind)
    if call.retry_of:
        kind = _("{kind} (retry {n})").format(kind=kind, n=call.attempt)
    prefix = "✓ " if call.status == "done" else ""
    return f"{prefix}{kind} — {call.member}"


def _description(call: AgendaCall) -> str:
    lines = [
        _("Phone: {phone}").format(phone=call.phone),
        _("Agent: {agent}").format(agent=f"{call.agent or ''} {call.agent_name or ''}".strip()),
        _("Customer tier: {tier}").format(tier=_(TIER_NAMES.get(call.tier, call.tier)) + (" · VIP" if call.vip else "")),
        _("Due: {due}").format(due=format_iso_date(call.due.date())),
        _("Status: {status}").format(status=_(STATUS_NAMES.get(call.status, call.status))),
    ]
    if call.outcome:
        lines.append(_("Outcome: {outcome}").format(outcome=name_of(OUTCOME_NAMES, call.outcome)))
    points = script_points(call.kind, call.retry_of, call.note)
    if points:
        lines.append(_("Script points:"))
        lines += [f"- {p}" for p in points]
    if call.notes:
        lines += ["", call.notes]
    return "\n".join(lines)


def ics_lines(agenda: Agenda, stamp: datetime, host: str = "csdesk.local") -> Iterator[str]:
    """The content lines of the calendar, unfolded."""
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:{PRODID}"
    yield "CALSCALE:GREGORIAN"
    yield "METHOD:PUBLISH"
    utc = stamp.astimezone(UTC)  # a naive stamp is local time
    for call in agenda.calls:
        yield "BEGIN:VEVENT"
        yield f"UID:callback-{call.id}-{call.attempt}@{host}"
        yield f"DTSTAMP:{_dt(utc)}Z"
        if call.window_start.time() != time.min:
            yield f"DTSTART:{_dt(call.window_start)}"
            yield f"DTEND:{_dt(call.window_start + timedelta(minutes=EVENT_MINUTES))}"
        else:
            yield f"DTSTART;VALUE=DATE:{_d(call.window_start.date())}"
            end = max(call.due.date(), call.window_start.date()) + timedelta(days=1)
            yield f"DTEND;VALUE=DATE:{_d(end)}"
            yield "TRANSP:TRANSPARENT"
        yield f"SUMMARY:{ics_escape(_summary(call))}"
        yield f"DESCRIPTION:{ics_escape(_description(call))}"
        yield f"CATEGORIES:{ics_escape(call.kind)}"
        yield "STATUS:CONFIRMED"
        if call.vip or call.status == "overdue":
            yield "PRIORITY:1"
        yield "END:VEVENT"
    yield "END:VCALENDAR"


def write_ics(agenda: Agenda, out: Path | BinaryIO, stamp: datetime) -> None:
    data = b"".join(fold(line) for line in ics_lines(agenda, stamp))
    if isinstance(out, Path):
        out.write_bytes(data)
    else:
        out.write(data)


def unfold(data: bytes) -> list[str]:
    """Content lines of an iCalendar stream (for reading an export back)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


_XLSX_HEADERS = (
    N_("ID"), N_("Kind"), N_("Member"), N_("Phone"), N_("Tier"), N_("VIP"), N_("Agent"), N_("Agent name"),
    N_("Window opens"), N_("Due"), N_("Status"), N_("Outcome"), N_("Attempt"), N_("Notes"),
)


def _xlsx_rows(calls: Iterable[AgendaCall]) -> Iterator[list[object]]:
    for c in calls:
        yield [
            c.id, name_of(CALLBACK_KIND_NAMES, c.retry_of or c.kind), c.member, c.phone, _(TIER_NAMES.get(c.tier, c.tier)),
            "VIP" if c.vip else "", c.agent or "", c.agent_name or "", c.window_start, c.due.date(),
            _(STATUS_NAMES.get(c.status, c.status)), name_of(OUTCOME_NAMES, c.outcome) if c.outcome else "", c.attempt,
            c.notes,
        ]


def write_xlsx(agenda: Agenda, out: Path | BinaryIO) -> None:
    """One sheet: a header row in the current language, one row per call, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = format_iso_date(agenda.day)
    ws.append([_(h) for h in _XLSX_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _xlsx_rows(agenda.calls):
        ws.append(neutralise_row(row))
    for window_cell, due_cell in ws.iter_rows(min_row=2, min_col=9, max_col=10):
        window_cell.number_format = "yyyy-mm-dd hh:mm"
        due_cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHIJKLMN", (8, 18, 20, 16, 10, 6, 10, 16, 17, 12, 10, 16, 8, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.save(out)
