"""File ▸ Change password…: type into the dialog; the sign-in dialog shows a lockout (#12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from csdesk.services.auth import LoginFailed
from csdesk.services.base import Actor
from csdesk.ui.dialogs.password import PasswordDialog
from csdesk.ui.login import LoginDialog
from csdesk.ui.main_window import MainWindow

SUPERVISOR = Actor("supervisor", "supervisor")


def _fill(qtbot, dialog: PasswordDialog, old: str, new: str, repeat: str | None = None) -> None:
    for field, text in ((dialog.old, old), (dialog.new, new), (dialog.repeat, new if repeat is None else repeat)):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(dialog._buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


@pytest.fixture
def dialog(qtbot, demo_ctx) -> PasswordDialog:
    dialog = PasswordDialog(demo_ctx.auth, SUPERVISOR)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_fields_hide_what_is_typed(dialog) -> None:
    assert [label.text() for label in dialog._labels] == ["&Current password", "&New password", "&Repeat new password"]
    assert all(f.echoMode() == f.EchoMode.Password for f in (dialog.old, dialog.new, dialog.repeat))


def test_mistakes_are_shown_and_the_dialog_stays_open(qtbot, dialog, demo_ctx) -> None:
    _fill(qtbot, dialog, "demo", "long-enough", "long-enougH")
    assert dialog.error.text() == "The new password and its repetition differ."
    _fill(qtbot, dialog, "wrong", "long-enough")
    assert dialog.error.text() == "The current password is wrong."
    _fill(qtbot, dialog, "demo", "short")
    assert dialog.error.text() == "The new password must have at least 8 characters."
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert demo_ctx.auth.login("supervisor", "demo").username == "supervisor"


def test_a_changed_password_signs_in(qtbot, dialog, demo_ctx) -> None:
    _fill(qtbot, dialog, "demo", "long-enough")
    assert dialog.result() == QDialog.DialogCode.Accepted
    with pytest.raises(LoginFailed):
        demo_ctx.auth.login("supervisor", "demo")
    assert demo_ctx.auth.login("supervisor", "long-enough").username == "supervisor"


def test_the_file_menu_opens_it(qtbot, demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[PasswordDialog] = []
    monkeypatch.setattr(PasswordDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(demo_ctx, actor=SUPERVISOR)
    qtbot.addWidget(window)
    action = next(a for a in window._file_menu.actions() if a.text() == "Change &password…")
    action.trigger()
    assert len(opened) == 1 and opened[0]._actor == SUPERVISOR


def test_the_sign_in_dialog_says_the_name_is_locked(qtbot, demo_ctx) -> None:
    dialog = LoginDialog(demo_ctx.auth, language="en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog._user, "agent1")
    qtbot.keyClicks(dialog._password, "nope")
    for _ in range(5):
        qtbot.mouseClick(dialog._buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.actor is None
    assert dialog._error.text().startswith("Too many failed sign-ins: agent1 is locked until ")
