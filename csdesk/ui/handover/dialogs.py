"""Small dialogs of the handover log: acknowledge, close an item, item history, penalties."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.handover_labels import REASON_NAMES, problem_label
from csdesk.i18n import _, format_signed, ngettext
from csdesk.labels import event_label, name_of
from csdesk.models.domain_handover import (
    HandoverDetail,
    HandoverItem,
    HandoverPenalty,
    ItemPassage,
    PenaltyChoice,
)
from csdesk.services.base import Actor
from csdesk.services.handover import HandoverService
from csdesk.ui.handover.models import PASSAGE_COLUMNS, format_when, names
from csdesk.ui.messages import error_label, stale_in_dialog
from csdesk.ui.shortcuts import bind
from csdesk.ui.table_model import RowTableModel


def _accept_on_ctrl_return(dialog: QDialog, accept: Callable[[], None]) -> None:
    bind("handover.confirm", dialog, accept)


def open_items_text(detail: HandoverDetail) -> str:
    """The takeover's warning, e.g. "2 open items, 1 overdue: read them before you take over.", each
    count with its own plural."""
    count = len(detail.open_items)
    if not count:
        return _("No open items to take over.")
    late = sum(1 for i in detail.open_items if i.overdue)
    items = ngettext("{n} open item", "{n} open items", count).format(n=count)
    if late:
        items = ngettext("{items}, {n} overdue", "{items}, {n} overdue", late).format(items=items, n=late)
    return ngettext("{items}: read it before you take over.", "{items}: read them before you take over.",
                    count).format(items=items)


class AcknowledgeDialog(QDialog):
    """The incoming shift's takeover record: who (the signed-in user), the note; Ctrl+Enter."""

    def __init__(self, service: HandoverService, detail: HandoverDetail, *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._detail = detail
        self._actor = actor
        self.result_detail: HandoverDetail | None = None
        self.setWindowTitle(_("Acknowledge handover {id}").format(id=detail.id))
        info = QLabel(
            _("Handed over by {names} at {when}.").format(names=names(detail.authors), when=format_when(detail.written_at))
            + "<br>" + open_items_text(detail)
        )
        info.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("takeoverNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(_("Takeover note (接班记录): what you checked and what you start with"))
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Take over"))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        _accept_on_ctrl_return(self, self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(QLabel(_("Takeover note")))
        layout.addWidget(self.note, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, 300)
        self.note.setFocus()

    def _save(self) -> None:
        try:
            self.result_detail = self._service.acknowledge(self._actor, self._detail.id, self.note.toPlainText())
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()


class CloseItemDialog(QDialog):
    """Close an open item with its outcome; it carries over no more."""

    def __init__(self, service: HandoverService, item: HandoverItem, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._item = item
        self._actor = actor
        self.closed: HandoverItem | None = None
        self.stale = False  # another PC changed the item meanwhile: the log should reload
        self.setWindowTitle(_("Close open item {id}").format(id=item.id))
        self.outcome = QPlainTextEdit()
        self.outcome.setObjectName("outcome")
        self.outcome.setTabChangesFocus(True)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Close item"))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        _accept_on_ctrl_return(self, self._save)
        text = QLabel(f"{item.subject}\n{item.pending}")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel(_("Outcome")))
        layout.addWidget(self.outcome, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(440, 240)
        self.outcome.setFocus()

    def _save(self) -> None:
        try:
            self.closed = self._service.close_item(
                self._actor, self._item.id, self.outcome.toPlainText(), version=self._item.version
            )
        except StaleWrite as exc:
            stale_in_dialog(self, self.error, exc)
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()


class ItemHistoryDialog(QDialog):
    """Every shift an item passed through, with the item as that shift left it."""

    def __init__(self, item: HandoverItem, passages: tuple[ItemPassage, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("History of open item {id}").format(id=item.id))
        head = QLabel()
        head.setTextFormat(Qt.TextFormat.PlainText)
        head.setWordWrap(True)
        closed = (_("Closed {when} by {user}: {outcome}").format(when=format_when(item.closed_at), user=item.closed_by or "",
                                                                 outcome=item.outcome) if item.closed_at else _("Still open"))
        head.setText(f"{item.subject}\n{closed}")
        self.model: RowTableModel[ItemPassage] = RowTableModel(PASSAGE_COLUMNS, self)
        self.model.set_rows(passages)
        table = QTableView()
        table.setObjectName("itemHistory")
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(820, 320)


class PenaltyDialog(QDialog):
    """M04/M02 for each outgoing person, the rules' suggestions ticked: recorded in one step."""

    def __init__(self, service: HandoverService, entry_id: int, choices: tuple[PenaltyChoice, ...], *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._entry_id = entry_id
        self._actor = actor
        self._choices = choices
        self.recorded: tuple[HandoverPenalty, ...] = ()
        self.setWindowTitle(_("Record penalties for handover {id}").format(id=entry_id))
        self.list = QListWidget()
        self.list.setObjectName("penaltyChoices")
        for c in choices:
            text = f"{c.person.label}: {event_label(c.code)} ({format_signed(c.points)})"
            if c.problems:
                text += " — " + "; ".join(problem_label(p) for p in dict.fromkeys(c.problems))
            if c.recorded:
                text += " — " + _("already recorded")
            row = QListWidgetItem(text)
            row.setToolTip(name_of(REASON_NAMES, c.reason))
            flags = row.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if c.recorded:
                flags &= ~Qt.ItemFlag.ItemIsEnabled
            row.setFlags(flags)
            row.setCheckState(Qt.CheckState.Checked if c.suggested and not c.recorded else Qt.CheckState.Unchecked)
            self.list.addItem(row)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record"))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Ticked penalties become evaluation events of the outgoing person (rules §4).")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 260)

    def picks(self) -> list[tuple[str, str]]:
        return [(c.person.employee_no, c.code) for r, c in enumerate(self._choices)
                if self.list.item(r).checkState() == Qt.CheckState.Checked and not c.recorded]

    def _save(self) -> None:
        try:
            self.recorded = self._service.record_penalties(self._actor, self._entry_id, self.picks())
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
