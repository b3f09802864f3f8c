"""The printed shift-handover form (rules.md §4): both parties' names and times, the outgoing
shift's work record, every open item, the takeover record and signature lines. A form printed
before the takeover leaves lines for the incoming person's name and time (seed 002 ch. 5). A
pure renderer: the service builds the input.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from csdesk.handover_labels import PRIORITY_NAMES, STATUS_NAMES, link_label
from csdesk.i18n import _, format_date, format_datetime, format_number, format_time
from csdesk.labels import SHIFT_NAMES, name_of
from csdesk.records import record
from csdesk.reports.styles import (
    MARGIN,
    PAGE,
    Col,
    build_pdf,
    comments_box,
    field_table,
    fit_widths,
    grid_table,
    para,
    signature_lines,
)

_OVERDUE = colors.HexColor("#b00020")
# A line to write on by hand, a box to tick.
BLANK = "________________"
BOX = "\u25a1"  # □


@record
class FormItem:
    number: int
    subject: str
    pending: str
    owner: str
    due: datetime | None
    priority: str
    status: str
    times_carried: int
    link_kind: str | None = None
    link_ref: str | None = None
    outcome: str = ""


@record
class FormWorkRecord:
    """An outgoing person's work record (工作日志) of the shift: its counts, None when none was written."""

    person: str
    calls_made: int | None = None
    complaints_taken: int | None = None
    callbacks_done: int | None = None

    @property
    def written(self) -> bool:
        return self.calls_made is not None


@record
class HandoverFormInput:
    entry_id: int
    site: str
    team: str | None
    shift: str
    shift_hours: str
    written_at: datetime
    written_by: str
    authors: tuple[str, ...]
    summary: str
    desk_state: str
    desk_messy: bool
    items: tuple[FormItem, ...]
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    takeover_note: str
    printed_at: datetime
    logo: str = ""  # the site's logo file
    work_records: tuple[FormWorkRecord, ...] = ()  # one per outgoing person


def _status(item: FormItem) -> str:
    text = name_of(STATUS_NAMES, item.status)
    if item.times_carried:
        text += "\n" + _("carried {n}×").format(n=format_number(item.times_carried))
    if item.outcome:
        text += "\n" + item.outcome
    return text


def _items_table(items: tuple[FormItem, ...]) -> Flowable:
    heads = (_("No."), _("Customer / subject"), _("Pending"), _("Owner"), _("Due"), _("Priority"), _("Status"))
    texts: list[list[str]] = [list(heads)]  # every cell's plain text, to size the columns
    for item in items:
        subject = item.subject + (f"\n{link_label(item.link_kind, item.link_ref)}" if item.link_kind else "")
        texts.append([format_number(item.number), subject, item.pending, item.owner, format_datetime(item.due, "short"),
                      name_of(PRIORITY_NAMES, item.priority), _status(item)])
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    for number, subject, pending, owner, due, priority, status in texts[1:]:
        rows.append([para(number, "CellCenter"), para(subject), para(pending), para(owner), para(due), para(priority),
                     para(status)])
    # The number and the due time never wrap (sized to their content); the text columns share
    # the rest by how much they hold, so they wrap into about as many lines.
    cols = [Col(nowrap=True), Col(weight=0), Col(weight=0), Col(weight=0), Col(nowrap=True, minimum=16 * mm), Col(weight=1),
            Col(weight=0)]
    table = grid_table(rows, fit_widths(cols, texts, PAGE[0] - 2 * MARGIN), zebra=True)
    for r, item in enumerate(items, start=1):
        if item.status == "overdue":
            table.setStyle([("BOX", (0, r), (-1, r), 1.2, _OVERDUE)])
    return table


def _work_record_table(records: tuple[FormWorkRecord, ...]) -> Flowable:
    """The counts of each outgoing person's work record; a person without one says so, with the
    counts left blank."""
    heads = (_("Person"), _("Calls made"), _("Complaints taken"), _("Callbacks done"))
    texts: list[list[str]] = [list(heads)]
    for r in records:
        person = r.person if r.written else r.person + "\n" + _("No work record")
        texts.append([person, *(format_number(n) for n in (r.calls_made, r.complaints_taken, r.callbacks_done))])
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    rows += [[para(person), *(para(n, "CellRight") for n in counts)] for person, *counts in texts[1:]]
    # The counts never wrap, and their headings keep to one line up to 40 mm (a CJK heading
    # would otherwise break between any two characters, as wide as its numbers).
    cols = [Col(weight=1), Col(nowrap=True), Col(nowrap=True), Col(nowrap=True)]
    return grid_table(rows, fit_widths(cols, texts, PAGE[0] - 2 * MARGIN, short=40 * mm))


def _shift(data: HandoverFormInput) -> str:
    """The shift's name and hours, "Turno de día 08:30–18:00" (no raw code)."""
    return " ".join(p for p in (name_of(SHIFT_NAMES, data.shift), data.shift_hours) if p)


def _takeover(data: HandoverFormInput) -> str:
    """Rules.md §4 step 3: the incoming person has read the handover and the work record; a box
    to tick on a form printed before the takeover."""
    if data.acknowledged_by is None:
        return f"{BOX}\u00a0" + _("The incoming person has read the handover and the work record.")
    at = data.acknowledged_at
    # The date and the time apart: "at 5/12/26, 17:52" reads oddly ("a las 5/12/26, 17:52").
    # TRANSLATORS: {date} is a short date, {time} a time of day: "… el {date} a las {time}."
    return _("{name} has read the handover and the work record and took over on {date} at {time}.").format(
        name=data.acknowledged_by, date=format_date(at, "short") if at else "", time=format_time(at) if at else ""
    )


def story(data: HandoverFormInput) -> list[Flowable]:
    outgoing = ", ".join(data.authors)
    incoming = data.acknowledged_by or ""
    flow: list[Flowable] = [
        para(_("Shift handover form"), "Title"),
        para(" · ".join(p for p in (data.site, data.team or _("All teams"), _("No. {id}").format(id=data.entry_id)) if p),
             "Subtitle"),
        field_table([
            (_("Team"), data.team or _("All teams")),
            (_("Shift"), _shift(data)),
            (_("Outgoing"), outgoing),
            (_("Handed over at"), format_datetime(data.written_at, "short")),
            (_("Incoming"), incoming or BLANK),
            (_("Acknowledged at"), format_datetime(data.acknowledged_at, "short") or BLANK),
        ]),
        para(_("Work summary"), "H2"),
        para(data.summary or "—", "Body"),
        para(_("Work record of the shift"), "H2"),
        _work_record_table(data.work_records) if data.work_records else para(_("No work record"), "Body"),
        para(_("Desk and equipment"), "H2"),
        para((data.desk_state or "—") + ("\n" + _("Desk left messy at shift change") if data.desk_messy else ""), "Body"),
        para(_("Open items ({n})").format(n=format_number(sum(1 for i in data.items if i.status != "closed"))), "H2"),
    ]
    flow.append(_items_table(data.items) if data.items else para(_("No open items."), "Body"))
    # The takeover record and the signatures stay on one page: never a page of signatures alone.
    closing: list[Flowable] = [para(_("Takeover record"), "H2"), para(_takeover(data), "Body")]
    if data.acknowledged_by:
        closing.append(para(data.takeover_note, "Body"))
    else:
        closing.append(comments_box(_("Takeover note (to be written by the incoming shift)")))
    closing.append(Spacer(1, 8 * mm))
    closing.append(signature_lines([
        _("Outgoing shift: {names}").format(names=outgoing),
        _("Incoming shift: {names}").format(names=incoming) if incoming else _("Incoming shift"),
    ]))
    flow.append(KeepTogether(closing))
    return flow


def render(data: HandoverFormInput, out: Path | BinaryIO) -> None:
    """Every page is headed by the site, the form, the team and the form's number."""
    title = _("Shift handover form")
    head = " · ".join((title, data.team or _("All teams"), _("No. {id}").format(id=data.entry_id)))
    build_pdf(out, story(data), title=f"{title} {data.entry_id}", header=head, site=data.site, logo=data.logo,
              printed_at=data.printed_at)
