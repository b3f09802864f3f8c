"""Settings ▸ Users (#12): the supervisor adds, resets, changes the role of and deactivates accounts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from csdesk.services.auth import LoginFailed
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.dialogs.users import AddUserDialog, ResetPasswordDialog, RoleDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages.settings import SettingsPage
from csdesk.ui.pages.settings_users import UsersSection


def _section(qtbot, ctx, actor: Actor) -> tuple[SettingsPage, UsersSection | None]:
    window = MainWindow(ctx, actor=actor, idle_lock_ms=0)
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    return page, page.users


def _names(section: UsersSection) -> list[str]:
    model = section.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def _cell(section: UsersSection, username: str, column: int) -> str:
    model = section.model
    row = _names(section).index(username)
    return model.data(model.index(row, column))


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _answer(monkeypatch, cls, fill) -> list:
    """``cls.exec`` lets ``fill`` type into the real dialog and press its buttons; returns the dialogs."""
    shown: list = []

    def exec_(dialog) -> int:
        shown.append(dialog)
        fill(dialog)
        return int(dialog.result())

    monkeypatch.setattr(cls, "exec", exec_)
    return shown


@pytest.fixture
def supervisor(demo_ctx) -> Actor:
    return demo_ctx.auth.login("supervisor", "demo")


def test_only_a_user_manager_sees_the_section(qtbot, demo_ctx, supervisor) -> None:
    page, section = _section(qtbot, demo_ctx, supervisor)
    assert section is not None and section.isVisible() and section.title() == "Users"
    _page, none = _section(qtbot, demo_ctx, demo_ctx.auth.login("director", "demo"))  # may edit settings, not users
    assert none is None and _page.findChild(UsersSection) is None


def test_the_table_lists_the_accounts(qtbot, qtmodeltester, demo_ctx, supervisor) -> None:
    _page, section = _section(qtbot, demo_ctx, supervisor)
    assert section is not None
    qtmodeltester.check(section.model)
    assert {"supervisor", "lead1", "agent1", "director"} <= set(_names(section))
    headers = [section.model.headerData(c, Qt.Orientation.Horizontal) for c in range(section.model.columnCount())]
    assert headers == ["User name", "Role", "Person", "Status", "Last sign-in"]
    assert _cell(section, "lead1", 1) == "Team lead" and _cell(section, "lead1", 2).startswith("L001 ")
    assert _cell(section, "supervisor", 4).startswith("20")  # signed in by the fixture
    assert _cell(section, "agent1", 4) == ""
    section.select("supervisor")  # one's own account: nothing to press
    assert not section.reset_button.isEnabled() and not section.toggle_button.isEnabled()
    section.select("agent1")
    assert section.reset_button.isEnabled() and section.role_button.isEnabled() and section.toggle_button.text() == "Deactivate"


def test_adding_a_user_shows_mistakes_in_the_dialog_then_lists_it(qtbot, demo_ctx, supervisor, monkeypatch) -> None:
    _page, section = _section(qtbot, demo_ctx, supervisor)
    assert section is not None
    errors: list[str] = []

    def fill(dialog: AddUserDialog) -> None:
        qtbot.keyClicks(dialog.username, "newbie")
        qtbot.keyClicks(dialog.password, "short")
        qtbot.keyClicks(dialog.repeat, "short")
        dialog.role.setCurrentIndex(dialog.role.findData("qa"))
        dialog.person.setCurrentIndex(dialog.person.findData("A001"))
        _ok(qtbot, dialog)
        errors.append(dialog.error.text())
        for field in (dialog.password, dialog.repeat):
            field.clear()
            qtbot.keyClicks(field, "long-enough")
        _ok(qtbot, dialog)

    shown = _answer(monkeypatch, AddUserDialog, fill)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and errors == ["The new password must have at least 8 characters."]
    assert "newbie" in _names(section) and section.selected().username == "newbie"
    assert _cell(section, "newbie", 1) == "QA inspector" and _cell(section, "newbie", 2).startswith("A001 ")
    assert demo_ctx.auth.login("newbie", "long-enough").role == "qa"


def test_reset_password_and_change_role(qtbot, demo_ctx, supervisor, monkeypatch) -> None:
    _page, section = _section(qtbot, demo_ctx, supervisor)
    assert section is not None
    section.select("lead1")

    def reset(dialog: ResetPasswordDialog) -> None:
        qtbot.keyClicks(dialog.password, "new-secret")
        qtbot.keyClicks(dialog.repeat, "new-secreT")
        _ok(qtbot, dialog)
        assert dialog.error.text() == "The new password and its repetition differ."
        dialog.repeat.clear()
        qtbot.keyClicks(dialog.repeat, "new-secret")
        _ok(qtbot, dialog)

    _answer(monkeypatch, ResetPasswordDialog, reset)
    qtbot.mouseClick(section.reset_button, Qt.MouseButton.LeftButton)
    with pytest.raises(LoginFailed):
        demo_ctx.auth.login("lead1", "demo")
    assert demo_ctx.auth.login("lead1", "new-secret").username == "lead1"

    def role(dialog: RoleDialog) -> None:
        assert dialog.role.currentData() == "team_lead"
        dialog.role.setCurrentIndex(dialog.role.findData("trainer"))
        _ok(qtbot, dialog)

    _answer(monkeypatch, RoleDialog, role)
    qtbot.mouseClick(section.role_button, Qt.MouseButton.LeftButton)
    assert _cell(section, "lead1", 1) == "Trainer" and section.selected().username == "lead1"
    actions = [e.action for e in demo_ctx.audit.recent(SYSTEM, limit=20) if e.action.startswith("user.")]
    assert actions == ["user.role", "user.password_reset"]


def test_deactivate_asks_first_and_reactivate_undoes_it(qtbot, demo_ctx, supervisor, monkeypatch) -> None:
    questions: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: questions.append(text) or answer[0])
    _page, section = _section(qtbot, demo_ctx, supervisor)
    assert section is not None
    section.select("agent1")
    qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert "agent1" in questions[0] and _cell(section, "agent1", 3) == "active"  # said no
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert _cell(section, "agent1", 3) == "inactive" and section.toggle_button.text() == "Reactivate"
    with pytest.raises(LoginFailed):
        demo_ctx.auth.login("agent1", "demo")
    qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert _cell(section, "agent1", 3) == "active"
    assert demo_ctx.auth.login("agent1", "demo").username == "agent1"


def test_a_refusal_is_shown_as_a_message(qtbot, demo_ctx, monkeypatch) -> None:
    """The last other supervisor cannot be deactivated: the service's reason is shown."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text) or QMessageBox.StandardButton.Ok)
    demo_ctx.auth.create_user(SYSTEM, "boss", "long-enough", "supervisor")
    supervisor = next(a for a in demo_ctx.auth.accounts(SYSTEM) if a.username == "supervisor")
    demo_ctx.auth.set_active(SYSTEM, supervisor.id, False)  # boss is the only active supervisor
    _page, section = _section(qtbot, demo_ctx, Actor("helper", "supervisor"))
    assert section is not None
    section.select("boss")
    qtbot.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert warnings and "last active account" in warnings[0]
    assert _cell(section, "boss", 3) == "active"
