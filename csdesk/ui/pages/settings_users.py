"""Settings ▸ Users: the sign-in accounts, for roles with ``users.manage`` (issue #12)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_datetime
from csdesk.labels import ROLE_NAMES
from csdesk.models.domain import UserAccount
from csdesk.services.auth import AuthService
from csdesk.services.base import Actor
from csdesk.services.people import PeopleService
from csdesk.ui.dialogs.users import AddUserDialog, ResetPasswordDialog, RoleDialog
from csdesk.ui.messages import confirm, show_error
from csdesk.ui.table_model import ColumnSpec, RowTableModel, grey_if_inactive
from csdesk.ui.tips import set_state

USER_COLUMNS: tuple[ColumnSpec[UserAccount], ...] = (
    ColumnSpec(N_("User name"), lambda a: a.username, foreground=grey_if_inactive),
    ColumnSpec(N_("Role"), lambda a: _(ROLE_NAMES.get(a.role, a.role)), foreground=grey_if_inactive),
    ColumnSpec(
        N_("Person"),
        lambda a: f"{a.employee_no} {a.person_name or ''}".strip() if a.employee_no else "",
        foreground=grey_if_inactive,
    ),
    ColumnSpec(N_("Status"), lambda a: _("active") if a.active else _("inactive"), foreground=grey_if_inactive),
    ColumnSpec(
        N_("Last sign-in"),
        lambda a: format_datetime(a.last_sign_in, "yyyy-MM-dd HH:mm"),
        sort_key=lambda a: a.last_sign_in.isoformat() if a.last_sign_in else "",
        foreground=grey_if_inactive,
    ),
)


class UsersSection(QGroupBox):
    """The accounts table and Add / Reset password / Change role / Deactivate; each change goes to
    the AuthService, which checks ``users.manage`` again and audits it."""

    users_changed = Signal()

    def __init__(self, auth: AuthService, people: PeopleService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersSection")
        self._auth = auth
        self._people = people
        self._actor = actor
        self.model: RowTableModel[UserAccount] = RowTableModel(USER_COLUMNS, self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.reload()

    def _build_ui(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(160)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addUser")
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("resetPassword")
        self.role_button = QPushButton()
        self.role_button.setObjectName("changeRole")
        self.toggle_button = QPushButton()
        self.toggle_button.setObjectName("toggleUser")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.role_button, self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Users"))
        self.add_button.setText(_("Add user…"))
        self.reset_button.setText(_("Reset password…"))
        self.role_button.setText(_("Change role…"))
        self._update_buttons()

    def reload(self) -> None:
        chosen = self.selected()
        self.model.set_rows(self._auth.accounts(self._actor))
        if chosen is not None:
            self.select(chosen.username)
        self._update_buttons()

    def selected(self) -> UserAccount | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        for row, account in enumerate(self.model.rows()):
            if account.username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        account = self.selected()
        # One's own account is changed elsewhere (File ▸ Change password…) or by someone else.
        other = account is not None and account.username.lower() != self._actor.username.lower()
        why = ("" if other else _("Select an account in the list first") if account is None
               else _("Your own account: change your password with File ▸ Change password…"))
        reactivate = account is not None and not account.active
        self.toggle_button.setText(_("Reactivate") if reactivate else _("Deactivate"))
        self.add_button.setToolTip(_("Create a sign-in account, linked to a person if they have one"))
        set_state(self.reset_button, _("Give the selected account a new password"), why)
        set_state(self.role_button, _("Change what the selected account may see and do"), why)
        set_state(self.toggle_button, _("Let the selected account sign in again") if reactivate
                  else _("Stop the selected account signing in; its history stays"), why)

    def _roles(self) -> tuple[str, ...]:
        return self._auth.policy.codes.roles

    def add_user(self) -> None:
        people = self._people.people(self._actor)
        dialog = AddUserDialog(self._auth, self._actor, roles=self._roles(), people=people, parent=self)
        if dialog.exec() and dialog.created is not None:
            self._changed(dialog.created)

    def reset_password(self) -> None:
        account = self.selected()
        if account is not None and ResetPasswordDialog(self._auth, self._actor, account, parent=self).exec():
            self._changed(account.username)

    def change_role(self) -> None:
        account = self.selected()
        if account is not None and RoleDialog(self._auth, self._actor, account, roles=self._roles(), parent=self).exec():
            self._changed(account.username)

    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        if account.active:
            question = _("Deactivate the account {user}? It can no longer sign in; its history stays.").format(user=account.username)
            title = _("Deactivate")
        else:
            question = _("Reactivate the account {user}? It can sign in again.").format(user=account.username)
            title = _("Reactivate")
        if not confirm(self, question, title):
            return
        try:
            self._auth.set_active(self._actor, account.id, not account.active)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self._changed(account.username)

    def _changed(self, username: str) -> None:
        self.model.set_rows(self._auth.accounts(self._actor))
        self.select(username)
        self._update_buttons()
        self.users_changed.emit()
