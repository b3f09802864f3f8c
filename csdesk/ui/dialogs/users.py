"""Settings ▸ Users: add an account, reset another's password, change a role (errors in the dialog)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.labels import ROLE_NAMES
from csdesk.models.domain import Person, UserAccount
from csdesk.services.auth import AuthService
from csdesk.services.base import Actor


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _role_box(roles: Sequence[str], current: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setObjectName("role")
    for code in roles:
        box.addItem(_(ROLE_NAMES.get(code, code)), code)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class _AccountDialog(QDialog):
    """A form, an error label and OK/Cancel; accepted once ``_submit`` returns without a CsdeskError."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("userError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(380)

    def _row(self, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        self.form.addRow(label, field)

    def _submit(self) -> None:
        raise NotImplementedError

    def _save(self) -> None:
        try:
            self._submit()
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()

    def _passwords_match(self, new: QLineEdit, repeat: QLineEdit) -> bool:
        if new.text() == repeat.text():
            return True
        self.error.setText(_("The new password and its repetition differ."))
        repeat.selectAll()
        repeat.setFocus()
        return False


class AddUserDialog(_AccountDialog):
    """A new account: user name, password twice, role and optionally the person it belongs to."""

    def __init__(
        self, auth: AuthService, actor: Actor, *, roles: Sequence[str], people: Sequence[Person], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self.created: str | None = None  # the new account's user name
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.password = _password_field("newUserPassword")
        self.repeat = _password_field("newUserRepeat")
        self.role = _role_box(roles, "agent")
        self.person = QComboBox()
        self.person.setObjectName("person")
        self.person.addItem(_("(nobody)"), None)
        for p in people:
            self.person.addItem(f"{p.employee_no} {p.name}", p.employee_no)
        self._row(_("&User name"), self.username)
        self._row(_("&Password"), self.password)
        self._row(_("&Repeat password"), self.repeat)
        self._row(_("&Role"), self.role)
        self._row(_("P&erson"), self.person)
        self.setWindowTitle(_("Add a user"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add user"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _save(self) -> None:
        if self._passwords_match(self.password, self.repeat):
            super()._save()

    def _submit(self) -> None:
        user = self._auth.create_user(
            self._actor, self.username.text(), self.password.text(), self.role.currentData(), self.person.currentData()
        )
        self.created = user.username


class ResetPasswordDialog(_AccountDialog):
    """A new password for another account, typed twice."""

    def __init__(self, auth: AuthService, actor: Actor, account: UserAccount, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._account = account
        self.password = _password_field("resetPassword")
        self.repeat = _password_field("resetRepeat")
        self._row(_("&New password"), self.password)
        self._row(_("&Repeat new password"), self.repeat)
        self.setWindowTitle(_("Reset the password of {user}").format(user=account.username))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Reset password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _save(self) -> None:
        if self._passwords_match(self.password, self.repeat):
            super()._save()

    def _submit(self) -> None:
        self._auth.reset_password(self._actor, self._account.id, self.password.text())


class RoleDialog(_AccountDialog):
    """Another role for an account."""

    def __init__(
        self, auth: AuthService, actor: Actor, account: UserAccount, *, roles: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._account = account
        self.role = _role_box(roles, account.role)
        self._row(_("&Role"), self.role)
        self.setWindowTitle(_("Change the role of {user}").format(user=account.username))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change role"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _submit(self) -> None:
        self._auth.set_role(self._actor, self._account.id, self.role.currentData())

