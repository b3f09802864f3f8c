"""The weekly work-record digest for the Monday meeting (rules.md §4 work records, §11):
the week's handovers, each person's counts and records, and the items still to track.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.platypus import Flowable, KeepTogether

from csdesk.handover_labels import STATUS_NAMES, shift_label
from csdesk.i18n import _, format_date, format_datetime, format_number
from csdesk.labels import name_of
from csdesk.reports.styles import MARGIN, PAGE, build_pdf, field_table, grid_table, para


@dataclass(frozen=True)
class DigestDay:
    day: date
    shift: str
    today_work: str
    tomorrow_plan: str
    calls_made: int
    complaints_taken: int
    callbacks_done: int


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class DigestItem:
    number: int
    subject: str
    pending: str
    owner: str
    due: datetime | None
    status: str
    times_carried: int


@dataclass(frozen=True)
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


def _width(*fractions: float) -> list[float]:
    width = PAGE[0] - 2 * MARGIN
    return [f * width for f in fractions]


def _totals(people: tuple[DigestPerson, ...]) -> Flowable:
    rows: list[list[Any]] = [[para(h, "CellBold") for h in (_("Person"), _("Team"), _("Records"), _("Calls made"),
                                                             _("Complaints taken"), _("Callbacks done"))]]
    for p in sorted(people, key=lambda p: (-p.calls_made, p.person)):
        rows.append([para(p.person), para(p.team or ""), para(format_number(len(p.days)), "CellRight"),
                     para(format_number(p.calls_made), "CellRight"), para(format_number(p.complaints_taken), "CellRight"),
                     para(format_number(p.callbacks_done), "CellRight")])
    return grid_table(rows, _width(0.3, 0.18, 0.1, 0.14, 0.14, 0.14), zebra=True)


def _items(items: tuple[DigestItem, ...]) -> Flowable:
    rows: list[list[Any]] = [[para(h, "CellBold") for h in (_("No."), _("Customer / subject"), _("Pending"), _("Owner"),
                                                             _("Due"), _("Status"))]]
    for i in items:
        status = name_of(STATUS_NAMES, i.status)
        if i.times_carried:
            status += "\n" + _("carried {n}×").format(n=format_number(i.times_carried))
        rows.append([para(i.number, "CellCenter"), para(i.subject), para(i.pending), para(i.owner),
                     para(format_datetime(i.due, "short")), para(status)])
    return grid_table(rows, _width(0.07, 0.22, 0.3, 0.15, 0.13, 0.13), zebra=True)


def _records(person: DigestPerson) -> Flowable:
    rows: list[list[Any]] = [[para(h, "CellBold") for h in (_("Day"), _("Shift"), _("Today's work"),
                                                             _("Tomorrow's plan"), _("Calls / complaints / callbacks"))]]
    for d in sorted(person.days, key=lambda d: (d.day, d.shift)):
        counts = " / ".join(format_number(n) for n in (d.calls_made, d.complaints_taken, d.callbacks_done))
        rows.append([para(format_date(d.day, "medium")), para(shift_label(d.shift)), para(d.today_work),
                     para(d.tomorrow_plan), para(counts, "CellCenter")])
    return grid_table(rows, _width(0.14, 0.13, 0.3, 0.28, 0.15))


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
    for person in sorted(data.people, key=lambda p: p.person):
        flow.append(KeepTogether([para(person.person + (f" · {person.team}" if person.team else ""), "H2"),
                                  _records(person)]))
    return flow


def render(data: WorkDigestInput, out: Path | BinaryIO) -> None:
    """Every page is headed by the site, the digest, the team and the week."""
    title = _("Weekly work-record digest")
    head = " · ".join((title, data.team or _("All teams"), _week(data)))
    build_pdf(out, story(data), title=title, header=head, site=data.site, logo=data.logo, printed_at=data.printed_at)
