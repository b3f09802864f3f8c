"""The row of fields under the handover form's item list: type an item, Enter adds it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from csdesk.handover_labels import LINK_KIND_NAMES, PRIORITY_NAMES
from csdesk.i18n import _
from csdesk.models.domain_handover import LINK_KINDS, PRIORITIES
from csdesk.ui.handover.models import FormItem, blocked, format_when, hbox, parse_due
from csdesk.ui.fit import fit_placeholder


class ItemEditor(QWidget):
    """Subject, pending, owner, due, priority, link, and (for carried items) the outcome.

    ``submitted`` when Enter is pressed in a text field; ``changed`` on every edit.
    """

    submitted = Signal()
    changed = Signal()

    def __init__(self, people: list[str], now: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now  # () -> datetime, the service clock
        self._carried: FormItem | None = None
        self._build_ui(people)
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self, people: list[str]) -> None:
        self.subject = QLineEdit()
        self.subject.setObjectName("itemSubject")
        self.pending = QLineEdit()
        self.pending.setObjectName("itemPending")
        self.owner = QLineEdit()
        self.owner.setObjectName("itemOwner")
        completer = QCompleter(QStringListModel(people, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.owner.setCompleter(completer)
        self.due = QLineEdit()
        self.due.setObjectName("itemDue")
        self.due_hint = QLabel()
        self.due_hint.setObjectName("dueHint")
        self.priority = QComboBox()
        self.priority.setObjectName("itemPriority")
        self.link_kind = QComboBox()
        self.link_kind.setObjectName("itemLinkKind")
        self.link_ref = QLineEdit()
        self.link_ref.setObjectName("itemLinkRef")
        self.link_ref.setMaximumWidth(90)
        self.outcome = QLineEdit()
        self.outcome.setObjectName("itemOutcome")
        self._labels = [QLabel() for _n in range(7)]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        # The hint sits beside the due field, never in its cell: a label on top of a field hides
        # its text and takes the clicks meant for it.
        due = hbox(self.due, self.due_hint, stretch=(2, 1))
        link = hbox(self.link_kind, self.link_ref, stretch=(1,))
        fields = ((self.subject, self.subject, 0, 0, 1), (self.pending, self.pending, 0, 2, 3),
                  (self.owner, self.owner, 1, 0, 1), (due, self.due, 1, 2, 1), (self.priority, self.priority, 1, 4, 1),
                  (link, self.link_kind, 2, 0, 1), (self.outcome, self.outcome, 2, 2, 3))
        for label, (widget, buddy, row, col, span) in zip(self._labels, fields, strict=True):
            label.setBuddy(buddy)
            grid.addWidget(label, row, col)
            grid.addWidget(widget, row, col + 1, 1, span)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(5, 2)

    def _connect_signals(self) -> None:
        for edit in (self.subject, self.pending, self.owner, self.due, self.link_ref, self.outcome):
            edit.returnPressed.connect(self.submitted.emit)
            edit.textChanged.connect(self._changed)
        self.due.textChanged.connect(self._show_due)
        self.priority.currentIndexChanged.connect(self._changed)
        self.link_kind.currentIndexChanged.connect(self._changed)

    def _changed(self) -> None:
        self.changed.emit()

    def retranslate_ui(self) -> None:
        texts = (_("&Customer / subject"), _("P&ending"), _("O&wner"), _("D&ue"), _("Priorit&y"), _("&Link"),
                 _("Outco&me"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.pending.setPlaceholderText(_("What is still to be done"))
        self.owner.setPlaceholderText(_("Employee no."))
        self.due.setPlaceholderText(_("17:00, +2h, 10-16 12:00"))
        fit_placeholder(self.due)  # the ways to write a due time, read whole
        self.outcome.setPlaceholderText(_("Closes a carried item: how it was settled"))
        self.link_ref.setPlaceholderText(_("No."))
        with blocked(self.priority, self.link_kind):
            prio = self.priority.currentData() or "normal"
            self.priority.clear()
            for code in PRIORITIES:
                self.priority.addItem(_(PRIORITY_NAMES[code]), code)
            self.priority.setCurrentIndex(max(0, self.priority.findData(prio)))
            kind = self.link_kind.currentData()
            self.link_kind.clear()
            self.link_kind.addItem(_("No link"), "")
            for code in LINK_KINDS:
                self.link_kind.addItem(_(LINK_KIND_NAMES[code]), code)
            self.link_kind.setCurrentIndex(max(0, self.link_kind.findData(kind or "")))
        self._show_due()

    def _show_due(self) -> None:
        try:
            value = parse_due(self.due.text(), self._now())
        except ValueError:
            self.due_hint.setText("<span style='color:#b00020'>" + _("not understood") + "</span>")
            return
        self.due_hint.setText(format_when(value) if value else "")

    def due_value(self) -> datetime | None:
        """The typed due time; raises ValueError when it is not understood."""
        return parse_due(self.due.text(), self._now())

    # --- state ------------------------------------------------------------------------

    def load(self, item: FormItem | None) -> None:
        """Show ``item`` for editing (a carried item's subject is fixed); None clears."""
        self._carried = item if item is not None and item.item_id is not None else None
        item = item or FormItem("")
        self.subject.setText(item.subject)
        self.subject.setReadOnly(self._carried is not None)
        self.pending.setText(item.pending)
        self.owner.setText(item.owner)
        self.due.setText(item.due)
        self.priority.setCurrentIndex(max(0, self.priority.findData(item.priority)))
        self.link_kind.setCurrentIndex(max(0, self.link_kind.findData(item.link_kind)))
        self.link_ref.setText(item.link_ref)
        self.outcome.setText(item.outcome)
        self.outcome.setEnabled(self._carried is not None)
        self.link_kind.setEnabled(self._carried is None)
        self.link_ref.setEnabled(self._carried is None)

    def value(self) -> FormItem:
        base = self._carried or FormItem("")
        return FormItem(
            subject=self.subject.text().strip(), pending=self.pending.text().strip(), owner=self.owner.text().strip(),
            due=self.due.text().strip(), priority=self.priority.currentData() or "normal",
            link_kind=self.link_kind.currentData() or "", link_ref=self.link_ref.text().strip(), item_id=base.item_id,
            outcome=self.outcome.text().strip() if self._carried else "", carried=base.carried, overdue=base.overdue)

    def has_input(self) -> bool:
        return any(w.text().strip() for w in (self.subject, self.pending, self.owner, self.due, self.link_ref, self.outcome))

    def state(self) -> dict[str, Any]:
        return {"subject": self.subject.text(), "pending": self.pending.text(), "owner": self.owner.text(),
                "due": self.due.text(), "priority": self.priority.currentData(), "link_kind": self.link_kind.currentData(),
                "link_ref": self.link_ref.text(), "outcome": self.outcome.text()}

    def restore(self, state: dict[str, Any], carried: FormItem | None) -> None:
        self.load(carried)
        self.subject.setText(str(state.get("subject", "")))
        self.pending.setText(str(state.get("pending", "")))
        self.owner.setText(str(state.get("owner", "")))
        self.due.setText(str(state.get("due", "")))
        self.priority.setCurrentIndex(max(0, self.priority.findData(state.get("priority") or "normal")))
        self.link_kind.setCurrentIndex(max(0, self.link_kind.findData(state.get("link_kind") or "")))
        self.link_ref.setText(str(state.get("link_ref", "")))
        self.outcome.setText(str(state.get("outcome", "")))

