"""Table models of the callbacks page: the agenda (drag source), agents (drop target), contacts, members."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor

from csdesk.callback_labels import label
from csdesk.i18n import N_, _, format_datetime, format_iso_date, format_time, ngettext
from csdesk.labels import CALLBACK_KIND_NAMES, OUTCOME_NAMES, name_of
from csdesk.callback_labels import CONTACT_KIND_NAMES, CONTACT_STATUS_NAMES, NOTE_NAMES, SEVERITY_NAMES, STATUS_NAMES, TIER_NAMES
from csdesk.services.callback_dto import (
    AgendaCall,
    ContactView,
    MemberView,
    QuotaLine,
)
from csdesk.ui.table_model import ColumnSpec, RowTableModel

Index = QModelIndex | QPersistentModelIndex
CALL_MIME = "application/x-csdesk-callback-ids"
RED = QColor("#b00020")
GREY = QColor("#808080")
GREEN = QColor("#2e7d32")


def kind_text(c: AgendaCall) -> str:
    text = name_of(CALLBACK_KIND_NAMES, c.retry_of or c.kind)
    if c.retry_of:
        text = _("{kind} (retry {n})").format(kind=text, n=c.attempt)
    if c.note:
        text += f" · {label(NOTE_NAMES, c.note)}"
    return text


def quota_text(effective: int, target: int) -> str:
    """The day's quota progress in words, e.g. "3 of 15 effective outgoing calls" (plural by the target)."""
    return ngettext("{effective} of {target} effective outgoing call",
                    "{effective} of {target} effective outgoing calls", target).format(effective=effective, target=target)


def _window(c: AgendaCall) -> str:
    text = format_iso_date(c.window_start.date())
    if c.window_start.hour or c.window_start.minute:
        text += " " + format_time(c.window_start)
    return text


def _status_colour(c: AgendaCall) -> QColor | None:
    return RED if c.status == "overdue" else GREY if c.status == "done" else None


def _outcome(c: AgendaCall) -> str:
    if not c.outcome:
        return ""
    text = name_of(OUTCOME_NAMES, c.outcome)
    if c.closed_at is not None:
        text += " " + format_time(c.closed_at)
    return text


AGENDA_COLUMNS: tuple[ColumnSpec[AgendaCall], ...] = (
    ColumnSpec(N_("Status"), lambda c: label(STATUS_NAMES, c.status), foreground=_status_colour,
               sort_key=lambda c: ("overdue", "due", "done").index(c.status)),
    ColumnSpec(N_("Kind"), kind_text, foreground=_status_colour),
    ColumnSpec(N_("Member"), lambda c: ("★ " if c.vip else "") + c.member, foreground=_status_colour,
               tooltip=lambda c: label(TIER_NAMES, c.tier) + (" · VIP" if c.vip else "")),
    ColumnSpec(N_("Tier"), lambda c: label(TIER_NAMES, c.tier), foreground=_status_colour),
    ColumnSpec(N_("Phone"), lambda c: c.phone, foreground=_status_colour),
    ColumnSpec(N_("Agent"), lambda c: f"{c.agent or ''} {c.agent_name or ''}".strip(), foreground=_status_colour),
    ColumnSpec(N_("Window opens"), _window, sort_key=lambda c: c.window_start, foreground=_status_colour),
    ColumnSpec(N_("Due"), lambda c: format_iso_date(c.due.date()), sort_key=lambda c: c.due, foreground=_status_colour),
    ColumnSpec(N_("Outcome"), _outcome, foreground=_status_colour, tooltip=lambda c: c.notes),
)


class AgendaTableModel(RowTableModel[AgendaCall]):
    """The day's calls; selected rows drag out as a list of call ids (re-assign by drag)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(AGENDA_COLUMNS, parent)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.row(index.row()).open:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [CALL_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = sorted({self.row(i.row()).id for i in indexes if i.isValid() and self.row(i.row()).open})
        data = QMimeData()
        data.setData(CALL_MIME, json.dumps(ids).encode("utf-8"))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class AgendaFilterProxy(QSortFilterProxyModel):
    """Filter by status (empty: all) and by free text over every column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status = ""
        self.setSortRole(RowTableModel.SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_status(self, status: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: invalidateFilter is deprecated
            self.beginFilterChange()
            self._status = status
            self.endFilterChange()
        else:
            self._status = status
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if self._status and isinstance(model, AgendaTableModel) and model.row(source_row).status != self._status:
            return False
        return super().filterAcceptsRow(source_row, source_parent)


def _quota_text(q: QuotaLine) -> str:
    return f"{q.effective}/{q.target}" + (" ⌂" if q.home_visit else "")


AGENT_COLUMNS: tuple[ColumnSpec[QuotaLine], ...] = (
    ColumnSpec(N_("Agent"), lambda q: f"{q.agent} {q.agent_name}"),
    ColumnSpec(N_("Open calls"), lambda q: str(q.load), sort_key=lambda q: q.load, align_right=True),
    ColumnSpec(N_("Quota"), _quota_text, sort_key=lambda q: q.effective, align_right=True,
               foreground=lambda q: GREEN if q.met else None,
               tooltip=lambda q: quota_text(q.effective, q.target)
               + (" · " + _("home visits today: quota lowered") if q.home_visit else "")),
)


class AgentLoadModel(RowTableModel[QuotaLine]):
    """Agents with their open calls and quota; dropping calls on a row re-assigns them."""

    calls_dropped = Signal(list, str)  # call ids, employee_no

    def __init__(self, parent: Any = None, accept_drops: bool = True) -> None:
        super().__init__(AGENT_COLUMNS, parent)
        self._accept = accept_drops

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self._accept and index.isValid():
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [CALL_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return self._accept and data.hasFormat(CALL_MIME) and (parent.isValid() or 0 <= row < self.rowCount())

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = parent.row() if parent.isValid() else row
        ids = [int(i) for i in json.loads(bytes(data.data(CALL_MIME).data()).decode("utf-8"))]
        if ids:
            self.calls_dropped.emit(ids, self.row(target).agent)
        return False  # the page reloads both models; nothing to insert here


CONTACT_COLUMNS: tuple[ColumnSpec[ContactView], ...] = (
    ColumnSpec(N_("Received"), lambda c: format_datetime(c.received_at, "short"), sort_key=lambda c: c.received_at),
    ColumnSpec(N_("Type"), lambda c: label(CONTACT_KIND_NAMES, c.kind)),
    ColumnSpec(N_("Severity"), lambda c: label(SEVERITY_NAMES, c.severity), sort_key=lambda c: c.severity,
               foreground=lambda c: RED if c.severity >= 3 else None),
    ColumnSpec(N_("Member"), lambda c: c.member),
    ColumnSpec(N_("Phone"), lambda c: c.phone),
    ColumnSpec(N_("Owner"), lambda c: f"{c.agent or ''} {c.agent_name or ''}".strip()),
    ColumnSpec(N_("Item"), lambda c: c.item, tooltip=lambda c: c.text),
    ColumnSpec(N_("Status"), lambda c: label(CONTACT_STATUS_NAMES, c.status),
               foreground=lambda c: GREY if c.status == "SOLVED" else None),
    ColumnSpec(N_("Progress"), lambda c: c.progress.splitlines()[-1] if c.progress else "", tooltip=lambda c: c.progress),
)

MEMBER_COLUMNS: tuple[ColumnSpec[MemberView], ...] = (
    ColumnSpec(N_("Member"), lambda m: ("★ " if m.vip else "") + m.name),
    ColumnSpec(N_("Phone"), lambda m: m.phone),
    ColumnSpec(N_("Birthday"), lambda m: format_iso_date(m.birthday), sort_key=lambda m: m.birthday.isoformat() if m.birthday else ""),
    ColumnSpec(N_("Tier"), lambda m: label(TIER_NAMES, m.tier)),
    ColumnSpec(N_("Agent"), lambda m: f"{m.agent or ''} {m.agent_name or ''}".strip()),
    ColumnSpec(N_("Note"), lambda m: m.note),
)
