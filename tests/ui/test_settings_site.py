"""Settings ▸ Site (issue #14): the supervisor types the site's name and picks the logo; Save
stores them for the whole site, and what the service reads back is what was typed."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from csdesk.services.base import Actor
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages.settings import SettingsPage


def _settings(qtbot, ctx, actor: Actor) -> SettingsPage:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx, actor=actor, idle_lock_ms=0)
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    return page


def test_the_supervisor_sets_the_site_name_and_logo_in_settings(qtbot, demo_ctx, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "navy").save(logo)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(logo), ""))
    page = _settings(qtbot, demo_ctx, demo_ctx.auth.login("supervisor", "demo"))
    section = page.site
    assert section is not None and section.name.text() == ""
    section.name.clear()
    qtbot.keyClicks(section.name, "Centro Sur Madrid")
    qtbot.mouseClick(section._browse, Qt.MouseButton.LeftButton)  # noqa: SLF001 (the Browse… button)
    assert section.logo.text() == str(logo)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert demo_ctx.site.site().name == "Centro Sur Madrid"
    assert demo_ctx.site.site().logo == str(logo)
    assert section.status.text() == ""


def test_a_logo_that_is_no_png_is_refused_on_the_page(qtbot, demo_ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = _settings(qtbot, demo_ctx, demo_ctx.auth.login("supervisor", "demo"))
    section = page.site
    assert section is not None
    not_png = tmp_path / "logo.png"
    not_png.write_text("text", encoding="utf-8")
    qtbot.keyClicks(section.name, "Centro Sur")
    section.logo.setText(str(not_png))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert str(not_png) in section.status.text()
    assert demo_ctx.site.site().name == ""  # nothing saved
    assert page.saved_label.text().startswith("Not saved")


def test_who_may_not_change_settings_sees_no_site_section(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    page = _settings(qtbot, demo_ctx, demo_ctx.auth.login("lead1", "demo"))
    assert page.site is None
