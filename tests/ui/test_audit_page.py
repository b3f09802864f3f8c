"""The audit window: entries in words, filtered by person, area, month and text, more on demand,
and exported to XLSX through the save dialog."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from csdesk import i18n
from csdesk.services.base import SYSTEM
from csdesk.ui.pages.audit import AREA, DETAILS, WHAT, WHO, AuditPage

FORMULA = '=HYPERLINK("x")'
SEED = [
    (datetime(2026, 9, 1, 8, 0), "lead_li", "leave.approve", "leave", "11", {"certificate": True, "status": ["pending", "approved"]}),
    (datetime(2026, 9, 2, 8, 0), "supervisor", "person.update", "person", "A001", {"level": ["junior", "senior"]}),
    (datetime(2026, 10, 1, 8, 0), FORMULA, "login", "user", "7", {}),
    (datetime(2026, 10, 2, 8, 0), "lead_li", "leave.reject", "leave", "12", {"certificate": False, "status": ["pending", "rejected"]}),
    (datetime(2026, 10, 3, 8, 0), "supervisor", "backup.create", "database", "csdesk.db", {"bytes": 2_097_152, "path": "/b/1.db"}),
]


@pytest.fixture
def page(qtbot, ctx) -> AuditPage:
    with ctx.audit._uow() as uow:
        for row in SEED:
            uow.audit.add(*row)
        uow.commit()
    widget = AuditPage(ctx.audit, actor=SYSTEM)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _cell(page: AuditPage, row: int, column: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
    return page.model.data(page.model.index(row, column), role)


def _choose(combo, data: str | None) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_every_entry_in_words_newest_first(page: AuditPage, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == len(SEED)
    assert page.model.headerData(DETAILS, Qt.Orientation.Horizontal) == "Details"
    assert _cell(page, 0, WHAT) == "Made a backup: database csdesk.db"
    assert _cell(page, 0, DETAILS) == "Size: 2.0 MB; File: /b/1.db"
    assert _cell(page, 0, DETAILS, Qt.ItemDataRole.ToolTipRole) == "Size: 2.0 MB\nFile: /b/1.db"
    assert "{" not in "".join(_cell(page, r, DETAILS) for r in range(page.model.rowCount()))
    assert page.status.text() == "5 entries"
    assert not page.more_button.isVisible()


def test_the_filter_bar_offers_who_appears_and_the_log_months(page: AuditPage) -> None:
    assert [page.who.itemData(i) for i in range(page.who.count())] == [None, FORMULA, "lead_li", "supervisor"]
    assert [page.month.itemText(i) for i in range(page.month.count())] == ["All months", "October 2026", "September 2026"]
    assert page.area.itemText(page.area.findData("attendance")) == "Attendance"


def test_choosing_an_area_and_a_person_filters_the_rows(page: AuditPage) -> None:
    _choose(page.area, "attendance")
    assert page.model.rowCount() == 2
    assert _cell(page, 0, DETAILS) == "Certificate: No; Status: pending \u2192 rejected"
    assert {_cell(page, r, AREA) for r in range(2)} == {"Attendance"}
    _choose(page.month, "2026-09")
    assert page.model.rowCount() == 1
    assert _cell(page, 0, WHAT) == "Approved a leave request: leave request 11"
    _choose(page.area, None)
    _choose(page.who, "supervisor")
    assert page.model.rowCount() == 1
    assert _cell(page, 0, DETAILS) == "Level: Junior agent \u2192 Senior agent"
    assert page.status.text() == "1 entry"


def test_typing_a_search_filters_after_a_pause(qtbot, page: AuditPage) -> None:
    qtbot.keyClicks(page.search, "hyperlink")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert _cell(page, 0, WHO) == FORMULA
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(SEED))


def test_show_more_loads_the_next_page(qtbot, page: AuditPage) -> None:
    page.page_size = 2
    page.reload()
    assert page.model.rowCount() == 2
    assert page.status.text() == "The newest 2 of 5 entries"
    assert page.more_button.isVisible()
    qtbot.mouseClick(page.more_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.more_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 5
    assert [page.model.row(r).id for r in range(5)] == [5, 4, 3, 2, 1]
    assert not page.more_button.isVisible()


def test_export_writes_the_filtered_view(qtbot, page: AuditPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def save(_parent, _title, name, _pattern):
        asked.append(name)
        return str(tmp_path / "log"), _pattern  # no suffix typed: .xlsx is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    _choose(page.month, "2026-10")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.job is None, timeout=10_000)
    assert asked == ["audit-log-2026-10.xlsx"]
    assert page.status.text() == f"3 entries exported to {tmp_path / 'log.xlsx'}."
    ws = load_workbook(tmp_path / "log.xlsx").worksheets[0]
    assert ws.max_row == 4
    who = ws.cell(4, 2)
    assert (who.value, who.data_type) == ("'" + FORMULA, "s")
    assert ws.cell(2, 4).value == "Made a backup: database csdesk.db"


def test_cancelling_the_save_dialog_exports_nothing(qtbot, page: AuditPage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.job is None and page.status.text() == "5 entries"


def test_retranslating_rewords_the_rows(page: AuditPage) -> None:
    i18n.install("es_ES")
    page.retranslate_ui()
    assert page.model.headerData(DETAILS, Qt.Orientation.Horizontal) == "Detalles"
    assert page.area.itemText(page.area.findData("attendance")) == "Asistencia"
    assert "octubre de 2026" in page.month.itemText(1)
    assert page.model.rowCount() == len(SEED)
    assert "2,0 MB" in _cell(page, 0, DETAILS)  # the size in the language's number format
