"""The weekly work-record digest for the Monday meeting (rules.md §4 work records, §11):
the week's handovers, each person's counts and records, and the items still to track.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from csdesk.handover_labels import STATUS_NAMES, shift_label
from csdesk.i18n import _, format_date, format_datetime, format_number
from csdesk.labels import name_of
from csdesk.records import record
from csdesk.reports.styles import MARGIN, PAGE, Col, build_pdf, field_table, fit_widths, grid_table, para


@record
class DigestDay:
    day: date
    shift: str
    today_work: str
    tomorrow_plan: str
    calls_made: int
    complaints_taken: int
    callbacks_done: int


@record
class DigestPerson:
    person: str
    team: str | None
    days: tuple[DigestDay, ...]

    @property
    def calls_made(self) -> int:
        return sum(d.calls_made for d in self.days)

    @property
    def complaints_taken(self) -> int:
        return sum(d.complaints_taken for d in self.days)

    @property
    def callbacks_done(self) -> int:
        return sum(d.callbacks_done for d in self.days)


@record
class DigestItem:
    number: int
    subject: str
    pending: str
    owner: str
    due: datetime | None
    status: str
    times_carried: int


@record
class WorkDigestInput:
    site: str
    team: str | None
    week_start: date
    week_end: date
    people: tuple[DigestPerson, ...]
    handovers: int
    unacknowledged: int
    items_opened: int
    items_closed: int
    open_items: tuple[DigestItem, ...]
    penalties: int
    printed_at: datetime
    logo: str = ""  # the site's logo file


WIDTH = PAGE[0] - 2 * MARGIN
# A count: as wide as its widest figure, its heading wrapping at spaces only; a heading up to
# SHORT wide keeps to one line (a Chinese one would break between any two characters).
COUNT = Col(nowrap=True, minimum=16 * mm)
SHORT = 20 * mm


def _grid(heads: Sequence[str], texts: Sequence[Sequence[str]], styles: Sequence[str], widths: Sequence[float],
          zebra: bool = True) -> Flowable:
    """A table of ``texts`` under ``heads``, each column in its cell style."""
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    rows += [[para(text, style) for text, style in zip(row, styles)] for row in texts]
    return grid_table(rows, widths, zebra=zebra)


def _fit(cols: Sequence[Col], heads: Sequence[str], texts: Sequence[Sequence[str]]) -> list[float]:
    """Widths sized to the content (styles.fit_widths): no word of a heading or a name is cut."""
    return fit_widths(cols, [heads, *texts], WIDTH, short=SHORT)


def _totals(people: tuple[DigestPerson, ...]) -> Flowable:
    heads = (_("Person"), _("Team"), _("Records"), _("Calls made"), _("Complaints taken"), _("Callbacks done"))
    texts = [[p.person, p.team or "", *(format_number(n) for n in (len(p.days), p.calls_made, p.complaints_taken,
                                                                    p.callbacks_done))]
             for p in sorted(people, key=lambda p: (-p.calls_made, p.person))]  # fmt: skip
    styles = ("Cell", "Cell", *["CellRight"] * 4)
    return _grid(heads, texts, styles, _fit([Col(weight=2), Col(weight=1), *[COUNT] * 4], heads, texts))


def _items(items: tuple[DigestItem, ...]) -> Flowable:
    heads = (_("No."), _("Customer / subject"), _("Pending"), _("Owner"), _("Due"), _("Status"))
    texts: list[list[str]] = []
    for i in items:
        status = name_of(STATUS_NAMES, i.status)
        if i.times_carried:
            status += "\n" + _("carried {n}×").format(n=format_number(i.times_carried))
        texts.append([format_number(i.number), i.subject, i.pending, i.owner, format_datetime(i.due, "short"), status])
    styles = ("CellCenter", "Cell", "Cell", "Cell", "Cell", "Cell")
    # As the handover form's items: the number and the due time never wrap; the text columns
    # share the rest by how much they hold.
    text = Col(weight=0)
    cols = [Col(nowrap=True), text, text, text, Col(nowrap=True, minimum=16 * mm), text]
    return _grid(heads, texts, styles, _fit(cols, heads, texts))


def _record_heads() -> tuple[str, ...]:
    return (_("Day"), _("Shift"), _("Today's work"), _("Tomorrow's plan"), _("Calls / complaints / callbacks"))


def _record_texts(person: DigestPerson) -> list[list[str]]:
    return [[format_date(d.day, "medium"), shift_label(d.shift), d.today_work, d.tomorrow_plan,
             " / ".join(format_number(n) for n in (d.calls_made, d.complaints_taken, d.callbacks_done))]
            for d in sorted(person.days, key=lambda d: (d.day, d.shift))]  # fmt: skip


def _record_widths(people: tuple[DigestPerson, ...]) -> list[float]:
    """One set of widths for every person's records, so their tables line up."""
    rows = [row for p in people for row in _record_texts(p)]
    cols = [Col(nowrap=True), Col(weight=0), Col(weight=1), Col(weight=1), Col(nowrap=True)]
    return _fit(cols, _record_heads(), rows)


def _records(person: DigestPerson, widths: Sequence[float]) -> Flowable:
    styles = ("Cell", "Cell", "Cell", "Cell", "CellCenter")
    return _grid(_record_heads(), _record_texts(person), styles, widths, zebra=False)


def _week(data: WorkDigestInput) -> str:
    return f"{format_date(data.week_start, 'medium')} – {format_date(data.week_end, 'medium')}"


def story(data: WorkDigestInput) -> list[Flowable]:
    week = _week(data)
    flow: list[Flowable] = [
        para(_("Weekly work-record digest"), "Title"),
        para(" · ".join(p for p in (data.site, data.team or _("All teams"), week) if p), "Subtitle"),
        para(_("Handovers of the week"), "H2"),
        field_table([
            (_("Handovers written"), format_number(data.handovers)),
            (_("Not acknowledged"), format_number(data.unacknowledged)),
            (_("Items opened"), format_number(data.items_opened)),
            (_("Items closed"), format_number(data.items_closed)),
            (_("Items still open"), format_number(len(data.open_items))),
            (_("Overdue items"), format_number(sum(1 for i in data.open_items if i.status == "overdue"))),
            (_("Penalties recorded"), format_number(data.penalties)),
        ]),
        para(_("Work records by person"), "H2"),
    ]
    flow.append(_totals(data.people) if data.people else para(_("No work records this week."), "Body"))
    flow.append(para(_("Open items to track"), "H2"))
    flow.append(_items(data.open_items) if data.open_items else para(_("No open items."), "Body"))
    widths = _record_widths(data.people)
    for person in sorted(data.people, key=lambda p: p.person):
        flow.append(KeepTogether([para(person.person + (f" · {person.team}" if person.team else ""), "H2"),
                                  _records(person, widths)]))
    return flow


def render(data: WorkDigestInput, out: Path | BinaryIO) -> None:
    """Every page is headed by the site, the digest, the team and the week."""
    title = _("Weekly work-record digest")
    head = " · ".join((title, data.team or _("All teams"), _week(data)))
    build_pdf(out, story(data), title=title, header=head, site=data.site, logo=data.logo, printed_at=data.printed_at)
