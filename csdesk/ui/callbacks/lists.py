"""The contacts tab (complaints, enquiries, bad reviews) and the members tab."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.i18n import _, format_month, ngettext
from csdesk.services.base import Actor
from csdesk.callback_labels import CONTACT_KIND_NAMES, CONTACT_KINDS
from csdesk.services.callback_dto import ContactView, MemberView
from csdesk.services.callbacks import CallbackService
from csdesk.ui.callbacks.agenda_view import make_table
from csdesk.ui.callbacks.models import CONTACT_COLUMNS, MEMBER_COLUMNS
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.shortcuts import BY_NAME
from csdesk.ui.table_model import RowTableModel
from csdesk.ui.tips import set_state, with_keys

MEMBER_LIMIT = 200


class ContactsTab(QWidget):
    """Open contacts first for the weekly check (rules.md §9); bad reviews the most severe first."""

    log_requested = Signal()
    update_requested = Signal(object)  # ContactView

    def __init__(self, service: CallbackService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.model: RowTableModel[ContactView] = RowTableModel(CONTACT_COLUMNS, self)
        self.open_only = QCheckBox()
        self.open_only.setObjectName("openOnly")
        self.open_only.setChecked(True)
        self.kind = QComboBox()
        self.kind.setObjectName("contactFilter")
        self.tally = QLabel()
        self.tally.setObjectName("contactTally")
        self.table = make_table("contactsTable")
        self.table.setModel(self.model)
        self.log_button = QPushButton()
        self.log_button.setObjectName("logContact2")
        self.update_button = QPushButton()
        self.update_button.setObjectName("updateContact")
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.open_only)
        top.addStretch(1)
        top.addWidget(self.tally)
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.update_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.open_only.toggled.connect(self.reload)
        self.kind.currentIndexChanged.connect(self.reload)
        self.log_button.clicked.connect(self.log_requested.emit)
        self.update_button.clicked.connect(self._request_update)
        self.table.doubleClicked.connect(lambda _i: self._request_update())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._loaded = False
        self.hint = show_when_empty(self.table, self._hint_text)
        self.retranslate_ui()

    def _hint_text(self) -> str:
        if not self._loaded:
            return ""
        if self.open_only.isChecked() or self.kind.currentData():
            return _("No contacts match. Untick Open only or choose All types to see the others; Log contact… "
                     "records a new one.")
        return _("No complaints, enquiries or reviews yet. Log contact… records one.")

    def _update_buttons(self, *_args: object) -> None:
        set_state(self.update_button, _("Record progress on the selected contact, or close it"),
                  "" if self.selected() is not None else _("Select a contact in the list first"))

    def retranslate_ui(self) -> None:
        self.log_button.setToolTip(_("Log a complaint, enquiry or bad review"))
        self._update_buttons()
        self.hint.refresh()
        self.open_only.setText(_("Open only"))
        self.kind.blockSignals(True)
        current = self.kind.currentData()
        self.kind.clear()
        self.kind.addItem(_("All types"), None)
        for code in CONTACT_KINDS:
            self.kind.addItem(_(CONTACT_KIND_NAMES[code]), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self.log_button.setText(_("Log contact…"))
        self.update_button.setText(_("Progress…"))

    def reload(self) -> None:
        kind = self.kind.currentData()
        self._loaded = True
        self.model.set_rows(self._service.contacts(self._actor, self.open_only.isChecked(), [kind] if kind else []))
        today = self._service.today()
        tally = self._service.contact_tally(self._actor, today)
        parts = ", ".join(f"{_(CONTACT_KIND_NAMES[k])} {n}" for k, n in tally.items())
        self.tally.setText(f"{format_month(today.year, today.month)}: {parts}")

    def selected(self) -> ContactView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _request_update(self) -> None:
        contact = self.selected()
        if contact is not None:
            self.update_requested.emit(contact)


class MembersTab(QWidget):
    """Search members by name or phone; add, edit, import sales, print the birthday list."""

    add_requested = Signal()
    edit_requested = Signal(object)  # MemberView
    import_requested = Signal()
    birthdays_requested = Signal()

    def __init__(self, service: CallbackService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        editor = actor.can("callbacks.edit")
        self.model: RowTableModel[MemberView] = RowTableModel(MEMBER_COLUMNS, self)
        self.search = QLineEdit()
        self.search.setObjectName("memberSearchBox")
        self.search.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self.count = QLabel()
        self.table = make_table("membersTable")
        self.table.setModel(self.model)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addMember")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editMember")
        self.import_button = QPushButton()
        self.import_button.setObjectName("importSales")
        self.birthday_button = QPushButton()
        self.birthday_button.setObjectName("birthdayList")
        self.add_button.setVisible(editor)
        self.edit_button.setVisible(editor)
        self.import_button.setVisible(actor.can("import"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.import_button, self.birthday_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._timer.timeout.connect(self.reload)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.edit_button.clicked.connect(self._request_edit)
        self.table.doubleClicked.connect(lambda _i: self._request_edit())
        self.import_button.clicked.connect(self.import_requested.emit)
        self.birthday_button.clicked.connect(self.birthdays_requested.emit)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._loaded = False
        self.hint = show_when_empty(self.table, self._hint_text)
        self.retranslate_ui()

    def _hint_text(self) -> str:
        if not self._loaded:
            return ""
        if self.search.text().strip():
            return _("No member matches. Check the name or phone number, or clear the search box.")
        if self._actor.can("import"):
            return _("No members yet. Import sales… ({keys}) brings them in with their purchases.").format(
                keys=BY_NAME["callbacks.import"].text())
        return _("No members yet. They are listed here once the sales are imported.")

    def _update_buttons(self, *_args: object) -> None:
        set_state(self.edit_button, _("Change the selected member's details"),
                  "" if self.selected() is not None else _("Select a member in the list first"))

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search members by name or phone…"))
        self.add_button.setText(_("Add member…"))
        self.edit_button.setText(_("Edit…"))
        self.import_button.setText(_("Import sales…"))
        self.birthday_button.setText(_("Birthday list…"))
        self.add_button.setToolTip(_("Add a member by hand"))
        self.import_button.setToolTip(with_keys(_("Import a sales file: its members and their purchases"),
                                                "callbacks.import"))
        self.birthday_button.setToolTip(_("Preview and print a month's birthday list"))
        self._update_buttons()
        self.hint.refresh()

    def reload(self) -> None:
        rows = self._service.members(self._actor, self.search.text(), MEMBER_LIMIT)
        self._loaded = True
        self.model.set_rows(rows)
        if len(rows) >= MEMBER_LIMIT:
            self.count.setText(ngettext("The first {n} match; type more to narrow the search.",
                                        "The first {n} matches; type more to narrow the search.",
                                        MEMBER_LIMIT).format(n=MEMBER_LIMIT))
        else:
            self.count.setText(ngettext("{n} member", "{n} members", len(rows)).format(n=len(rows)))

    def selected(self) -> MemberView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _request_edit(self) -> None:
        member = self.selected()
        if member is not None and self._actor.can("callbacks.edit"):
            self.edit_requested.emit(member)
