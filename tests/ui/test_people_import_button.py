"""The People page's import button (issue 13): named for what it does, its tooltip saying what file it
takes; clicked, it asks for a file among every kind the import reads and opens the wizard on people."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.dialogs.import_wizard import ImportWizard
from csdesk.ui.pages.people import PeoplePage
from csdesk.ui.qt_setup import settings
from tests.helpers.factories import write_csv

SUPERVISOR = Actor("supervisor", "supervisor")


@pytest.fixture(autouse=True)
def nothing_remembered() -> None:
    settings().remove("import_wizard")


@pytest.fixture
def page(qtbot, ctx) -> PeoplePage:
    page = PeoplePage(ctx.people, actor=SUPERVISOR)
    qtbot.addWidget(page)
    page.show()
    return page


def test_the_button_is_shown_named_import_and_its_tooltip_says_what_file_it_takes(page) -> None:
    assert page.import_button.isVisible()
    assert page.import_button.text() == "Import…"
    tooltip = page.import_button.toolTip()
    assert "employee number, name and team" in tooltip
    assert all(kind in tooltip for kind in (".csv", ".txt", ".xlsx", ".xlsm", ".xls)")), tooltip


def test_clicking_it_offers_every_table_file_and_opens_the_wizard_on_people(
    qtbot, page, ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "ids.csv", "工号,姓名,班组,考勤号码\nN001,新人,客服一组,7001\n")
    asked: list[tuple[str, str]] = []

    def choose(_parent, title: str, _folder: str, filters: str) -> tuple[str, str]:
        asked.append((title, filters))
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)

    assert [title for title, _filters in asked] == ["Import people"]
    patterns = set(re.findall(r"\*\.\w+", asked[0][1]))
    assert {"*.csv", "*.txt", "*.dat", "*.xlsx", "*.xlsm", "*.xls"} <= patterns
    shown = [w for w in page.findChildren(ImportWizard) if w.isVisible()]
    assert len(shown) == 1
    wizard = shown[0]
    assert (wizard.windowTitle(), wizard.shown.kind) == ("Import people", "people")
    qtbot.waitUntil(lambda: wizard._dry_job is None, timeout=20_000)
    read_from = {name: box.currentText() for name, box in wizard.column_boxes.items()}
    read = (read_from["employee_no"], read_from["device_id"], read_from["phone"])
    assert read == ("A: 工号", "D: 考勤号码", "(not read)")
    assert "1 row: 1 new, 0 updated, 0 duplicates, 0 rejected" in wizard.summary.text()
    qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert "N001" not in {p.employee_no for p in ctx.people.people(SYSTEM, include_inactive=True)}
