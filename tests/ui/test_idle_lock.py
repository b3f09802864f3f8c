"""The desk locks after idle minutes (#12): wait, see the lock, type the password as a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.main_window import MainWindow

SHORT = 300  # ms without input before the lock, instead of the policy's minutes


def _window(qtbot, ctx, actor: Actor, idle_lock_ms: int | None = SHORT) -> MainWindow:
    window = MainWindow(ctx, actor=actor, idle_lock_ms=idle_lock_ms)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _type_password(qtbot, window: MainWindow, text: str) -> None:
    dialog = window.lock_dialog
    assert dialog is not None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, text)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def supervisor(demo_ctx) -> Actor:
    return demo_ctx.auth.login("supervisor", "demo")  # as the sign-in dialog gives it to the window


def test_the_window_locks_when_left_alone_and_the_password_unlocks_it_as_it_was(qtbot, demo_ctx, supervisor) -> None:
    window = _window(qtbot, demo_ctx, supervisor)
    window.show_page("settings")
    page = window.pages["settings"]
    page.policy_path.clear()
    qtbot.keyClicks(page.policy_path, "half-typed.toml")
    assert not window.locked

    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    dialog = window.lock_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    assert window.cover.isVisible() and window.cover.geometry() == window.rect()  # nothing of the page shows
    assert "supervisor" in dialog._message.text()

    _type_password(qtbot, window, "not-it")
    assert dialog.error.text() == "Wrong user name or password."
    assert window.locked and dialog.password.text() == ""

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape does not unlock
    assert window.locked and dialog.isVisible()

    _type_password(qtbot, window, "demo")
    assert not window.locked and window.lock_dialog is None and not window.cover.isVisible()
    assert window.current_page_key() == "settings" and window.pages["settings"] is page
    assert page.policy_path.text() == "half-typed.toml"  # all state kept

    failed = [e for e in demo_ctx.audit.recent(SYSTEM, limit=50) if e.action == "auth.failed"]
    assert [(e.entity_id, e.details) for e in failed] == [("supervisor", {})]  # counted, without the password


def test_it_locks_again_after_the_next_idle_spell(qtbot, demo_ctx, supervisor) -> None:
    window = _window(qtbot, demo_ctx, supervisor)
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    _type_password(qtbot, window, "demo")
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)


def test_input_keeps_the_desk_open(qtbot, demo_ctx, supervisor) -> None:
    window = _window(qtbot, demo_ctx, supervisor, idle_lock_ms=1_500)
    window.show_page("settings")
    field = window.pages["settings"].policy_path
    for _ in range(8):  # 2.4 s of someone typing now and then: longer than the idle time
        qtbot.wait(300)
        qtbot.keyClick(field, Qt.Key.Key_A)
        assert not window.locked


def test_failed_unlocks_count_towards_the_lockout(qtbot, demo_ctx, supervisor) -> None:
    window = _window(qtbot, demo_ctx, supervisor)
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    for _ in range(5):
        _type_password(qtbot, window, "guess")
    assert window.lock_dialog is not None
    assert window.lock_dialog.error.text().startswith("Too many failed sign-ins: supervisor is locked until ")
    _type_password(qtbot, window, "demo")  # the right one waits for the lock to end
    assert window.locked


def test_sign_out_leaves_the_window_covered_for_the_sign_in(qtbot, demo_ctx, supervisor) -> None:
    window = _window(qtbot, demo_ctx, supervisor)
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    dialog = window.lock_dialog
    assert dialog is not None
    with qtbot.waitSignal(window.sign_out_requested, timeout=2_000):
        qtbot.mouseClick(dialog.sign_out_button, Qt.MouseButton.LeftButton)
    assert window.lock_dialog is None and window.locked  # never shown unlocked again


def test_a_role_changed_while_away_needs_a_fresh_sign_in(qtbot, demo_ctx, monkeypatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text) or QMessageBox.StandardButton.Ok)
    lead = demo_ctx.auth.login("lead1", "demo")
    window = _window(qtbot, demo_ctx, lead)
    account = next(a for a in demo_ctx.auth.accounts(SYSTEM) if a.username == "lead1")
    demo_ctx.auth.set_role(SYSTEM, account.id, "agent")
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    with qtbot.waitSignal(window.sign_out_requested, timeout=2_000):
        _type_password(qtbot, window, "demo")
    assert window.locked and told and "Sign in again" in told[0]


def test_the_policy_sets_the_minutes_and_zero_never_locks(qtbot, demo_ctx, supervisor) -> None:
    assert _window(qtbot, demo_ctx, supervisor, idle_lock_ms=None).idle.interval_ms == 15 * 60_000
    window = _window(qtbot, demo_ctx, supervisor, idle_lock_ms=0)
    qtbot.wait(SHORT * 3)
    assert not window.locked and window.lock_dialog is None
