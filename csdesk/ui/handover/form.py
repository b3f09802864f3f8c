"""Write a handover (rules.md §4 steps 1–2), keyboard first, kept as a draft while typed.

The team's open items are pre-filled (carried over); Enter in the item fields adds or
updates an item; Ctrl+S saves. Every change is saved as a draft a moment later, so
closing the app mid-entry loses nothing; the draft is restored when the form opens.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite, ValidationError
from csdesk.handover_labels import problem_label, shift_label
from csdesk.i18n import N_, _, format_time
from csdesk.models.domain_handover import HandoverInput, HandoverItem, ItemInput
from csdesk.services.base import UNSEEN, Actor
from csdesk.services.handover import HandoverService
from csdesk.services.people import PeopleService
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.handover.drafts import DraftKeeper
from csdesk.ui.handover.item_editor import ItemEditor
from csdesk.ui.handover.log_view import HANDOVER_ROLES
from csdesk.ui.handover.models import (
    FORM_ITEM_COLUMNS,
    FORM_STATUS_COLUMN,
    SUBJECT_COLUMN,
    FormItem,
    blocked,
    employee_numbers,
    hbox,
    lay_out_item_columns,
    parse_due,
    stamp,
)
from csdesk.ui.messages import confirm, offer_reload
from csdesk.ui.shortcuts import make_shortcut
from csdesk.ui.table_model import RowTableModel
from csdesk.ui.tips import set_state

DRAFT_KIND = "handover"
_FORM_FIELDS = {f.name for f in fields(FormItem)}


def _form_item(item: HandoverItem) -> FormItem:
    owner = f"{item.owner.employee_no} {item.owner.name}" if item.owner else ""
    return FormItem(item.subject, item.pending, owner, stamp(item.due), item.priority, item.link_kind or "",
                    item.link_ref or "", item.id, "", item.times_carried, item.overdue)


class HandoverForm(QWidget):
    """``saved(entry_id)`` after a handover is written."""

    saved = Signal(int)

    def __init__(self, service: HandoverService, people: PeopleService, *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._people = people
        self._actor = actor
        self._editing: int | None = None  # row of the item in the editor, None: a new item
        # The team's latest handover when the form was filled (a form restored from a draft: unknown).
        self._previous_id: Any = UNSEEN
        self.items: RowTableModel[FormItem] = RowTableModel(FORM_ITEM_COLUMNS, self)
        self.drafts = DraftKeeper(self.snapshot, lambda p: service.save_draft(actor, DRAFT_KIND, p), self._draft_failed, self)
        self._names = dict(people.directory(actor, roles=list(HANDOVER_ROLES)))
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.load()

    def _build_ui(self) -> None:
        self.team = QComboBox()
        self.team.setObjectName("formTeam")
        self.shift = QComboBox()
        self.shift.setObjectName("formShift")
        self.authors = QLineEdit()
        self.authors.setObjectName("formAuthors")
        self.authors_hint = QLabel()
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("formSummary")
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(90)
        self.desk_state = QLineEdit()
        self.desk_state.setObjectName("formDesk")
        self.desk_messy = QCheckBox()
        self.desk_messy.setObjectName("formDeskMessy")
        top = QFormLayout()
        self._top_labels = [QLabel() for _n in range(4)]
        rows = ((hbox(self.team, self.shift, stretch=(1, 1)), self.team),
                (hbox(self.authors, self.authors_hint, stretch=(1, 1)), self.authors),
                (self.summary, self.summary),
                (hbox(self.desk_state, self.desk_messy, stretch=(1,)), self.desk_state))
        for label, (row, buddy) in zip(self._top_labels, rows, strict=True):
            top.addRow(label, row)
            label.setBuddy(buddy)
        self.table = QTableView()
        self.table.setObjectName("formItems")
        self.table.setModel(self.items)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        lay_out_item_columns(self.table, capped=(SUBJECT_COLUMN, FORM_STATUS_COLUMN))
        self.editor = ItemEditor(sorted(f"{no} {name}" for no, name in self._names.items()), self._service.now)
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("applyItem")
        self.new_item_button = QPushButton()
        self.new_item_button.setObjectName("newItem")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeItem")
        item_buttons = QHBoxLayout()
        for b in (self.apply_button, self.new_item_button, self.remove_button):
            item_buttons.addWidget(b)
        item_buttons.addStretch(1)
        self.items_box = QGroupBox()
        box = QVBoxLayout(self.items_box)
        box.addWidget(self.table, 1)
        box.addWidget(self.editor)
        box.addLayout(item_buttons)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.draft_label = QLabel()
        self.draft_label.setObjectName("draftStatus")
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("discardDraft")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveHandover")
        self.save_button.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.draft_label, 1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.items_box, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)
        self.save_shortcut = make_shortcut("handover.save", self, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setTabOrder(self.desk_messy, self.editor.subject)
        self.items_hint = show_when_empty(self.table, lambda: _(
            "No open items to hand over. Type one in the fields below and press Enter to add it."))

    def _connect_signals(self) -> None:
        self.team.currentIndexChanged.connect(self._team_changed)
        self.shift.currentIndexChanged.connect(self.drafts.schedule)
        self.authors.textChanged.connect(self._authors_changed)
        self.summary.textChanged.connect(self.drafts.schedule)
        self.desk_state.textChanged.connect(self.drafts.schedule)
        self.desk_messy.toggled.connect(self.drafts.schedule)
        self.editor.changed.connect(self.drafts.schedule)
        self.editor.submitted.connect(self.apply_item)
        self.apply_button.clicked.connect(self.apply_item)
        self.new_item_button.clicked.connect(self.new_item)
        self.remove_button.clicked.connect(self.remove_item)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self.edit_row(current.row()))
        self.save_button.clicked.connect(self.save)
        self.save_shortcut.activated.connect(self.save)
        self.discard_button.clicked.connect(self.discard)

    def retranslate_ui(self) -> None:
        for label, text in zip(self._top_labels, (_("Team / &shift"), _("&Outgoing"), _("Work s&ummary"),
                                                  _("&Desk and equipment")), strict=True):
            label.setText(text)
        self.authors.setPlaceholderText(_("Employee numbers, separated by commas"))
        self.summary.setPlaceholderText(_("Today's work: calls, complaints, callbacks, anything unusual"))
        self.desk_state.setPlaceholderText(_("State of the desk and equipment at the change"))
        self.desk_messy.setText(_("Desk left messy"))
        self.items_box.setTitle(_("Open items (carried ones are pre-filled; Enter adds or updates)"))
        self.apply_button.setText(_("&Add item"))
        self.new_item_button.setText(_("&New item"))
        self.remove_button.setText(_("&Remove item"))
        self.discard_button.setText(_("Discard draft"))
        self.save_button.setText(_("Save handover (Ctrl+S)"))
        self.discard_button.setToolTip(_("Empty the form and forget the saved draft"))
        self.save_button.setToolTip(_("Save the handover to the log; the incoming shift acknowledges it there"))
        self.items_hint.refresh()
        with blocked(self.team, self.shift):
            team, shift = self.team.currentData(), self.shift.currentData()
            self.team.clear()
            self.team.addItem(_("All teams"), None)
            for t in self._people.teams():
                self.team.addItem(t.name, t.name)
            self.team.setCurrentIndex(max(0, self.team.findData(team)))
            self.shift.clear()
            for code in self._service.shift_codes():
                self.shift.addItem(shift_label(code), code)
            self.shift.setCurrentIndex(max(0, self.shift.findData(shift)))
        self._update_item_buttons()

    # --- loading, drafts --------------------------------------------------------------

    def load(self) -> None:
        """Open the form: the saved draft if there is one, else a fresh prefill."""
        try:
            draft = self._service.load_draft(self._actor, DRAFT_KIND)
        except CsdeskError as exc:
            self.error.setText(exc.message())
            draft = None
        with self.drafts.paused():
            if draft is None:
                self._prefill(None, fresh=True)
                self.draft_label.clear()
            else:
                self.restore(draft.payload)
                self.draft_label.setText(_("Draft restored (saved {when})").format(when=format_time(draft.saved_at)))

    def _prefill(self, team: str | None, fresh: bool, new_items: list[FormItem] | None = None) -> dict[int, FormItem]:
        """Fill with the team's carried items (and ``new_items``); returns the carried items by id."""
        try:
            pre = self._service.prefill(self._actor, team)
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return {}
        if fresh:
            with blocked(self.team, self.shift):
                self.team.setCurrentIndex(max(0, self.team.findData(pre.team)))
                self.shift.setCurrentIndex(max(0, self.shift.findData(pre.shift)))
            self.authors.setText(", ".join(a.employee_no for a in pre.authors))
            self.summary.clear()
            self.desk_state.clear()
            self.desk_messy.setChecked(False)
        self._previous_id = pre.previous_id  # what this form carries on from (another PC may save after it)
        carried = {i.id: _form_item(i) for i in pre.carried}
        self.items.set_rows(list(carried.values()) + (new_items or []))
        self.new_item()
        return carried

    def snapshot(self) -> dict[str, Any]:
        return {"team": self.team.currentData(), "shift": self.shift.currentData(), "authors": self.authors.text(),
                "summary": self.summary.toPlainText(), "desk_state": self.desk_state.text(),
                "desk_messy": self.desk_messy.isChecked(), "items": [asdict(i) for i in self.items.rows()],
                "editing": self._editing, "editor": self.editor.state()}

    def restore(self, payload: dict[str, Any]) -> None:
        """Fill from a draft; carried items are taken fresh (one may have closed meanwhile)."""
        with blocked(self.team):
            self.team.setCurrentIndex(max(0, self.team.findData(payload.get("team"))))
        saved = [FormItem(**{k: v for k, v in row.items() if k in _FORM_FIELDS}) for row in payload.get("items", [])]
        carried = self._prefill(self.team.currentData(), fresh=False, new_items=[i for i in saved if i.item_id is None])
        edits = {i.item_id: i for i in saved if i.item_id is not None}
        self.items.set_rows([replace(edits[r.item_id], carried=r.carried, overdue=r.overdue, subject=r.subject)
                             if r.item_id in edits else r for r in self.items.rows()])
        self.shift.setCurrentIndex(max(0, self.shift.findData(payload.get("shift"))))
        self.authors.setText(str(payload.get("authors", "")))
        self.summary.setPlainText(str(payload.get("summary", "")))
        self.desk_state.setText(str(payload.get("desk_state", "")))
        self.desk_messy.setChecked(bool(payload.get("desk_messy")))
        editing = payload.get("editing")
        row = editing if isinstance(editing, int) and 0 <= editing < self.items.rowCount() else None
        self._editing = row
        current = self.items.row(row) if row is not None else None
        self.editor.restore(payload.get("editor") or {}, current if current and current.item_id else None)
        del carried  # the carried items are in the table already
        self._update_item_buttons()

    def _draft_failed(self, exc: CsdeskError) -> None:
        self.draft_label.setText(_("The draft could not be saved: {error}").format(error=exc.message()))

    def hideEvent(self, event: Any) -> None:
        self.drafts.flush()
        super().hideEvent(event)

    def _team_changed(self) -> None:
        new = [i for i in self.items.rows() if i.item_id is None]
        self._prefill(self.team.currentData(), fresh=False, new_items=new)
        self.drafts.schedule()

    def _authors_changed(self) -> None:
        nos = employee_numbers(self.authors.text())
        self.authors_hint.setText(", ".join(self._names.get(no, "?" + no) for no in nos))
        self.drafts.schedule()

    # --- items ------------------------------------------------------------------------

    def edit_row(self, row: int) -> None:
        if not 0 <= row < self.items.rowCount():
            return
        self._editing = row
        with self.drafts.paused():
            self.editor.load(self.items.row(row))
        self._update_item_buttons()

    def new_item(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.editor.load(None)
        self._update_item_buttons()
        self.editor.subject.setFocus()

    def apply_item(self) -> bool:
        """Add the editor's item, or update the one being edited; False when it is not valid."""
        value = self.editor.value()
        if not value.subject:
            self.error.setText(_("Say which customer or subject the item is about"))
            self.editor.subject.setFocus()
            return False
        try:
            self.editor.due_value()
        except ValueError:
            self.error.setText(_("The due time '{text}' is not understood (examples: 17:00, +2h, 10-16 12:00)")
                               .format(text=value.due))
            self.editor.due.setFocus()
            return False
        self.error.clear()
        rows = self.items.rows()
        if self._editing is None:
            rows.append(value)
        else:
            rows[self._editing] = value
        self.items.set_rows(rows)
        self.new_item()
        self.drafts.schedule()
        return True

    def remove_item(self) -> None:
        if self._editing is None or self.items.row(self._editing).item_id is not None:
            return
        rows = self.items.rows()
        del rows[self._editing]
        self.items.set_rows(rows)
        self.new_item()
        self.drafts.schedule()

    def _update_item_buttons(self) -> None:
        editing = self.items.row(self._editing) if self._editing is not None else None
        self.apply_button.setText(_("&Update item") if editing else _("&Add item"))
        self.apply_button.setToolTip(_("Put the item typed below into the list (Enter)"))
        self.new_item_button.setToolTip(_("Clear the fields below for another item"))
        set_state(self.remove_button, _("Take the selected item off this handover"),
                  _("Select an item you added in the list first") if editing is None
                  else _("A carried item stays until it is closed: close it on the log") if editing.item_id is not None
                  else "")

    # --- saving -----------------------------------------------------------------------

    def to_input(self) -> HandoverInput:
        now = self._service.now()
        items = []
        for n, i in enumerate(self.items.rows(), start=1):
            try:
                due = parse_due(i.due, now)
            except ValueError:
                raise ValidationError(N_("Open item {n}: the due time '{text}' is not understood"), field="due", n=n,
                                      text=i.due) from None
            owner = employee_numbers(i.owner)
            items.append(ItemInput(i.subject, i.pending, owner[0] if owner else "", due, i.priority, i.link_kind or None,
                                   i.link_ref, i.item_id, i.outcome))
        return HandoverInput(self.shift.currentData() or "", self.team.currentData(), employee_numbers(self.authors.text()),
                             self.summary.toPlainText(), self.desk_state.text(), self.desk_messy.isChecked(), tuple(items))

    def save(self) -> None:
        if self.editor.has_input() and not self.apply_item():
            return
        try:
            data = self.to_input()
            problems = self._service.check(self._actor, data)
            if problems:
                listed = "\n".join("• " + problem_label(p.code) for p in dict.fromkeys(problems))
                if not confirm(self, _("This handover record is incomplete:\n{problems}\n\nSave it anyway?")
                               .format(problems=listed)):
                    return
            detail = self._service.write(self._actor, data, previous_id=self._previous_id)
            self._service.discard_draft(self._actor, DRAFT_KIND)
        except StaleWrite as exc:  # another PC saved this team's handover (or closed an item) first
            self.error.setText(exc.message())
            if offer_reload(self, exc):  # carry on from their handover, keeping the items typed here
                with self.drafts.paused():
                    self._prefill(data.team, fresh=False, new_items=[i for i in self.items.rows() if i.item_id is None])
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.drafts.forget()
        self.error.clear()
        with self.drafts.paused():
            self._prefill(self.team.currentData(), fresh=True)
            self.summary.clear()
        self.draft_label.setText(_("Handover {id} saved.").format(id=detail.id))
        self.saved.emit(detail.id)

    def discard(self) -> None:
        if not confirm(self, _("Throw away what you typed in this handover?")):
            return
        try:
            self._service.discard_draft(self._actor, DRAFT_KIND)
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.drafts.forget()
        with self.drafts.paused():
            self._prefill(None, fresh=True)
        self.draft_label.clear()

