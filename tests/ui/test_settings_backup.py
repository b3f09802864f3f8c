"""The Settings page's backup buttons: dialogs answered by the test, work in the background."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from csdesk.services.base import Actor
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages.settings import SettingsPage

SUPERVISOR = Actor("supervisor", "supervisor")


class Boxes:
    """Records the message boxes the page shows; questions get ``answer``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> None:
        self.info: list[str] = []
        self.warnings: list[str] = []
        self.questions: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: self.info.append(text) or QMessageBox.StandardButton.Ok)
        monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: self.warnings.append(text) or QMessageBox.StandardButton.Ok)
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: self.questions.append(text) or answer)


def _window(qtbot, ctx, actor: Actor = SUPERVISOR) -> tuple[MainWindow, SettingsPage]:
    window = MainWindow(ctx, actor=actor)
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    return window, page


def test_back_up_now_offers_the_default_name_and_reports_the_file(qtbot, demo_ctx, tmp_path: Path, monkeypatch) -> None:
    boxes = Boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    offered: list[str] = []
    target = tmp_path / "friday"  # no suffix typed: .db is added

    def save_dialog(_parent, _title, suggested, _filter, *a):
        offered.append(suggested)
        return str(target), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    _w, page = _window(qtbot, demo_ctx)
    assert page.backup_button.isVisible() and page.restore_button.isVisible()
    with qtbot.waitSignal(page.backup_written, timeout=10_000) as blocker:
        qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert Path(offered[0]) == demo_ctx.data_dir / "backups" / "csdesk-20261015-093000.db"
    assert result.path == tmp_path / "friday.db" and result.path.is_file()
    assert "friday.db" in page.backup_status.text() and "MB" in page.backup_status.text()
    assert boxes.info and "Backup written" in boxes.info[0]
    assert page.backup_button.isEnabled()


def test_cancelling_the_file_dialog_does_nothing(qtbot, demo_ctx, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    _w, page = _window(qtbot, demo_ctx)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    folder = demo_ctx.data_dir / "backups"
    assert page.job is None
    assert not folder.exists() or list(folder.iterdir()) == []


def test_restore_asks_names_the_file_then_closes_the_window(qtbot, demo_ctx, monkeypatch) -> None:
    backup = demo_ctx.backup.backup(Actor("supervisor", "supervisor")).path
    with closing(sqlite3.connect(demo_ctx.db_url.removeprefix("sqlite:///"), isolation_level=None)) as conn:
        conn.execute("INSERT INTO teams (name) VALUES ('after the backup')")
    boxes = Boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(backup), ""))
    window, page = _window(qtbot, demo_ctx)
    with qtbot.waitSignal(page.database_restored, timeout=10_000) as blocker:
        qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
        assert not window.isEnabled()  # nothing can be changed while the data is replaced
    assert str(backup) in boxes.questions[0] and "safety copy" in boxes.questions[0]
    result = blocker.args[0]
    assert result.safety_copy.is_file()
    assert "Safety copy" in boxes.info[0] and str(result.safety_copy) in boxes.info[0] and "Start it again" in boxes.info[0]
    assert not window.isVisible()  # the application ends with its main window
    assert "after the backup" not in {t.name for t in demo_ctx.people.teams()}


def test_restore_answered_no_changes_nothing(qtbot, demo_ctx, monkeypatch) -> None:
    backup = demo_ctx.backup.backup(SUPERVISOR).path
    boxes = Boxes(monkeypatch, QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(backup), ""))
    window, page = _window(qtbot, demo_ctx)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert boxes.questions and page.job is None and window.isVisible()
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no safety copy either


def test_a_refused_file_is_shown_and_the_window_stays(qtbot, demo_ctx, tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    boxes = Boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(bad), ""))
    window, page = _window(qtbot, demo_ctx)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.job is None, timeout=10_000)
    assert window.isEnabled()  # a refused restore gives the window back
    assert boxes.warnings and str(bad) in boxes.warnings[0]
    assert str(bad) in page.backup_status.text()
    assert window.isVisible() and page.restore_button.isEnabled()


@pytest.mark.parametrize(("role", "sees"), [("supervisor", True), ("director", True), ("team_lead", False), ("agent", False)])
def test_only_roles_the_service_allows_see_the_buttons(qtbot, demo_ctx, role: str, sees: bool) -> None:
    page = SettingsPage(demo_ctx, actor=Actor(role, role))
    qtbot.addWidget(page)
    page.show()
    assert page.backup_button.isVisible() is sees and page.restore_button.isVisible() is sees


def test_the_policy_in_force_is_named_in_words_and_its_file_in_the_tooltip(qtbot, demo_ctx) -> None:
    from csdesk.resources import default_policy_path

    _window_, page = _window(qtbot, demo_ctx)
    assert demo_ctx.policy.source == str(default_policy_path())  # the demo runs on the shipped policy
    assert page._policy_source.text() == "In force: the shipped default"
    assert page._policy_source.toolTip() == demo_ctx.policy.source
