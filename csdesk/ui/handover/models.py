"""Columns of the handover area's grids, and the small parsers of its keyboard fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from csdesk.handover_labels import PRIORITY_NAMES, STATUS_NAMES, link_label, shift_label
from csdesk.i18n import N_, _, format_datetime, format_iso_date, format_number, ngettext
from csdesk.labels import name_of
from csdesk.models.domain_handover import HandoverItem, HandoverSummary, ItemPassage, PersonRef, WorkRecord
from csdesk.records import record
from csdesk.ui.table_model import ColumnSpec

RED = QColor("#b00020")
GREY = QColor("#888888")
AMBER = QColor("#9a6700")


def stamp(value: datetime | None) -> str:
    """Times in grids: ``YYYY-MM-DD HH:MM`` sorts and reads the same in every language."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def names(people: tuple[PersonRef, ...]) -> str:
    return ", ".join(p.name for p in people)


def _ack_colour(s: HandoverSummary) -> QColor | None:
    return None if s.acknowledged else AMBER


def _open_text(s: HandoverSummary) -> str:
    if not s.open_items:
        return "0"
    text = format_number(s.open_items)
    if s.overdue_items:
        late = ngettext("{n} overdue", "{n} overdue", s.overdue_items).format(n=format_number(s.overdue_items))
        text += f" ({late})"
    return text


TIMELINE_COLUMNS: tuple[ColumnSpec[HandoverSummary], ...] = (
    ColumnSpec(N_("No."), lambda s: str(s.id), sort_key=lambda s: s.id, align_right=True),
    ColumnSpec(N_("Handed over at"), lambda s: stamp(s.written_at), sort_key=lambda s: (s.written_at, s.id)),
    ColumnSpec(N_("Shift"), lambda s: s.shift),
    ColumnSpec(N_("Team"), lambda s: s.team or ""),
    ColumnSpec(N_("Outgoing"), lambda s: names(s.authors)),
    ColumnSpec(N_("Acknowledged by"), lambda s: s.acknowledged_by.name if s.acknowledged_by else _("not yet"),
               foreground=_ack_colour),
    ColumnSpec(N_("Open items"), _open_text, sort_key=lambda s: (s.overdue_items, s.open_items), align_right=True,
               foreground=lambda s: RED if s.overdue_items else None),
    ColumnSpec(N_("Summary"), lambda s: s.summary.replace("\n", " "), tooltip=lambda s: s.summary),
)


def _item_colour(i: HandoverItem) -> QColor | None:
    return RED if i.overdue else GREY if not i.is_open else None


def _item_status(i: HandoverItem) -> str:
    text = name_of(STATUS_NAMES, i.status)
    if i.times_carried:
        text += " · " + _("carried {n}×").format(n=format_number(i.times_carried))
    return text


def _item_status_tip(i: HandoverItem) -> str:
    return _item_status(i) + ("\n" + i.outcome if i.outcome else "")


# The item grids (the detail's and the form's) share their first columns: No., subject, pending.
SUBJECT_COLUMN, PENDING_COLUMN = 1, 2
ITEM_STATUS_COLUMN, ITEM_LINK_COLUMN = 6, 7
FORM_STATUS_COLUMN = 6

ITEM_COLUMNS: tuple[ColumnSpec[HandoverItem], ...] = (
    ColumnSpec(N_("No."), lambda i: str(i.id), sort_key=lambda i: i.id, align_right=True, foreground=_item_colour),
    ColumnSpec(N_("Customer / subject"), lambda i: i.subject, foreground=_item_colour, tooltip=lambda i: i.subject),
    ColumnSpec(N_("Pending"), lambda i: i.pending, foreground=_item_colour, tooltip=lambda i: i.pending),
    ColumnSpec(N_("Owner"), lambda i: i.owner.name if i.owner else "", foreground=_item_colour),
    ColumnSpec(N_("Due"), lambda i: stamp(i.due), sort_key=lambda i: i.due or datetime.max, foreground=_item_colour),
    ColumnSpec(N_("Priority"), lambda i: name_of(PRIORITY_NAMES, i.priority), foreground=_item_colour),
    ColumnSpec(N_("Status"), _item_status, foreground=_item_colour, tooltip=_item_status_tip),
    ColumnSpec(N_("Link"), lambda i: link_label(i.link_kind, i.link_ref), foreground=_item_colour,
               tooltip=lambda i: link_label(i.link_kind, i.link_ref)),
)

PASSAGE_COLUMNS: tuple[ColumnSpec[ItemPassage], ...] = (
    ColumnSpec(N_("Handover"), lambda p: str(p.entry_id), align_right=True),
    ColumnSpec(N_("Handed over at"), lambda p: stamp(p.written_at)),
    ColumnSpec(N_("Shift"), lambda p: shift_label(p.shift)),
    ColumnSpec(N_("Outgoing"), lambda p: names(p.authors)),
    ColumnSpec(N_("Acknowledged by"), lambda p: p.acknowledged_by.name if p.acknowledged_by else _("not yet")),
    ColumnSpec(N_("Pending"), lambda p: p.pending + (" ✔ " + _("closed here") if p.closed_here else "")),
    ColumnSpec(N_("Owner"), lambda p: p.owner.name if p.owner else ""),
    ColumnSpec(N_("Due"), lambda p: stamp(p.due)),
)

WORK_RECORD_COLUMNS: tuple[ColumnSpec[WorkRecord], ...] = (
    ColumnSpec(N_("Day"), lambda r: format_iso_date(r.day), sort_key=lambda r: (r.day, r.shift)),
    ColumnSpec(N_("Shift"), lambda r: r.shift),
    ColumnSpec(N_("Person"), lambda r: r.person.label),
    ColumnSpec(N_("Team"), lambda r: r.team or ""),
    ColumnSpec(N_("Calls made"), lambda r: format_number(r.counts.calls_made), sort_key=lambda r: r.counts.calls_made,
               align_right=True),
    ColumnSpec(N_("Complaints taken"), lambda r: format_number(r.counts.complaints_taken),
               sort_key=lambda r: r.counts.complaints_taken, align_right=True),
    ColumnSpec(N_("Callbacks done"), lambda r: format_number(r.counts.callbacks_done),
               sort_key=lambda r: r.counts.callbacks_done, align_right=True),
    ColumnSpec(N_("Today's work"), lambda r: r.today_work.replace("\n", " "), tooltip=lambda r: r.today_work),
    ColumnSpec(N_("Tomorrow's plan"), lambda r: r.tomorrow_plan.replace("\n", " "), tooltip=lambda r: r.tomorrow_plan),
)


# --- keyboard fields ------------------------------------------------------------------

_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([hdHD])$")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%m-%d %H:%M", "%H:%M")


def parse_due(text: str, now: datetime) -> datetime | None:
    """A due time typed quickly: ``2026-10-16 12:00``, ``10-16 12:00``, ``17:00`` (the next
    such time), ``+2h``, ``+1d``; blank means none. Raises ValueError otherwise."""
    text = text.strip().replace("/", "-")
    if not text:
        return None
    rel = _RELATIVE.match(text)
    if rel:
        amount = int(rel.group(1))
        return now + (timedelta(hours=amount) if rel.group(2).lower() == "h" else timedelta(days=amount))
    for fmt in _FORMATS:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%H:%M":
            value = now.replace(hour=value.hour, minute=value.minute, second=0, microsecond=0)
            return value if value > now else value + timedelta(days=1)
        if fmt == "%m-%d %H:%M":
            return value.replace(year=now.year)
        if fmt == "%Y-%m-%d":
            return value.replace(hour=18)  # end of the day shift (chosen)
        return value
    raise ValueError(text)


def employee_numbers(text: str) -> tuple[str, ...]:
    """``L001 陈杰, A003`` → (``L001``, ``A003``): the first word of each comma-separated part."""
    out = []
    for part in re.split(r"[,，、;；]", text):
        words = part.split()
        if words and words[0] not in out:
            out.append(words[0])
    return tuple(out)


@record
class FormItem:
    """An item as the handover form holds it (carried: ``item_id`` set)."""

    subject: str
    pending: str = ""
    owner: str = ""
    due: str = ""
    priority: str = "normal"
    link_kind: str = ""
    link_ref: str = ""
    item_id: int | None = None
    outcome: str = ""
    carried: int = 0  # times carried so far
    overdue: bool = False


def _form_colour(i: FormItem) -> QColor | None:
    return GREY if i.outcome else RED if i.overdue else None


def _form_status(i: FormItem) -> str:
    if i.outcome:
        return _("closes: {outcome}").format(outcome=i.outcome)
    if i.item_id is None:
        return _("new")
    return _("carried {n}×").format(n=format_number(i.carried + 1)) + (" · " + _("Overdue") if i.overdue else "")


FORM_ITEM_COLUMNS: tuple[ColumnSpec[FormItem], ...] = (
    ColumnSpec(N_("No."), lambda i: str(i.item_id) if i.item_id else "+", foreground=_form_colour),
    ColumnSpec(N_("Customer / subject"), lambda i: i.subject, foreground=_form_colour, tooltip=lambda i: i.subject),
    ColumnSpec(N_("Pending"), lambda i: i.pending, foreground=_form_colour, tooltip=lambda i: i.pending),
    ColumnSpec(N_("Owner"), lambda i: i.owner, foreground=_form_colour),
    ColumnSpec(N_("Due"), lambda i: i.due, foreground=_form_colour),
    ColumnSpec(N_("Priority"), lambda i: name_of(PRIORITY_NAMES, i.priority), foreground=_form_colour),
    ColumnSpec(N_("Status"), _form_status, foreground=_form_colour, tooltip=_form_status),
)

# Each free-text column beside "Pending" (subject, status, link) takes at most this share of the
# grid's width; longer text is elided (its tooltip shows it whole), so "Pending" keeps the room.
TEXT_COLUMN_SHARE = 1 / 8


class _CappedWidthDelegate(QStyledItemDelegate):
    """Asks for the width of the text, but at most ``TEXT_COLUMN_SHARE`` of the view's width."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(min(hint.width(), int(self._view.viewport().width() * TEXT_COLUMN_SHARE)), hint.height())


def lay_out_item_columns(table: QTableView, capped: tuple[int, ...]) -> None:
    """An item grid's columns: "Pending" stretches, the short columns fit their contents, and the
    ``capped`` free-text columns fit theirs up to a share of the width."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(PENDING_COLUMN, QHeaderView.ResizeMode.Stretch)
    delegate = _CappedWidthDelegate(table)
    for column in capped:
        table.setItemDelegateForColumn(column, delegate)


def format_when(value: datetime | None) -> str:
    return format_datetime(value, "short")


def hbox(*widgets: QWidget, stretch: tuple[int, ...] = ()) -> QWidget:
    """``widgets`` side by side in one widget (a form row); ``stretch`` per widget."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for n, widget in enumerate(widgets):
        layout.addWidget(widget, stretch[n] if n < len(stretch) else 0)
    return row


@contextmanager
def blocked(*widgets: QObject) -> Iterator[None]:
    """Block the signals of ``widgets`` while code sets them."""
    for w in widgets:
        w.blockSignals(True)
    try:
        yield
    finally:
        for w in widgets:
            w.blockSignals(False)
