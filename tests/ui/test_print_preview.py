"""The print previews on a 1366×768 laptop (issue 14): the dialog fits the screen, its buttons
are in view, the pages scroll; "Save as PDF" asks in Qt's own file dialog where the platform's
does not draw."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton, QScrollArea
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from csdesk.ui import print_preview
from csdesk.ui.callbacks import printing as callback_printing
from csdesk.ui.print_preview import PdfPreviewDialog
from csdesk.ui.scorecards.printing import SheetPreviewDialog

# A 1366×768 screen less a 40 px task bar.
LAPTOP = QRect(0, 0, 1366, 728)


@pytest.fixture
def laptop(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(LAPTOP))
    return LAPTOP


def write_pdf(path: Path, pages: int = 2) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(pages):
        canvas.drawString(72, 720, f"page {n + 1}")
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "form.pdf")


PREVIEWS: dict[str, Callable[[Path], QDialog]] = {
    "shared preview": lambda pdf: PdfPreviewDialog(pdf, title="Preview", suggested_name="form.pdf"),
    "evaluation sheets": lambda pdf: SheetPreviewDialog(pdf, title="Sheets", suggested_name="sheets.pdf"),
    "callback documents": lambda pdf: callback_printing.PdfPreviewDialog(pdf, "Call sheet"),
}
# The buttons each preview has (the callback documents are saved from their print dialog).
BUTTONS = {
    "shared preview": {"Print…", "Save as PDF…", "Close"},
    "evaluation sheets": {"Previous", "Next", "Print…", "Save as PDF…", "Close"},
    "callback documents": {"Close"},
}


def shown(qtbot: Any, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def inside(dialog: QDialog, button: QPushButton) -> bool:
    return dialog.rect().contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size()))


@pytest.mark.parametrize("kind", sorted(PREVIEWS))
def test_a_preview_fits_a_laptop_screen_with_every_button_in_view(qtbot, laptop: QRect, pdf: Path, kind: str) -> None:
    dialog = shown(qtbot, PREVIEWS[kind](pdf))
    frame = dialog.frameGeometry()
    assert frame.width() <= laptop.width() and frame.height() <= laptop.height()
    buttons = dialog.findChildren(QPushButton)
    assert {b.text() for b in buttons} == BUTTONS[kind]
    for button in buttons:
        assert button.isVisible() and inside(dialog, button), button.text()
    assert dialog.findChild(QScrollArea).verticalScrollBar().maximum() > 0  # the pages scroll instead


def test_a_big_screen_keeps_the_preview_s_own_size(qtbot, monkeypatch: pytest.MonkeyPatch, pdf: Path) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 2560, 1400))
    dialog = shown(qtbot, PREVIEWS["shared preview"](pdf))
    assert (dialog.width(), dialog.height()) == (print_preview.PREVIEW_WIDTH + 60, 860)


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records how it was asked, answers ``answer``
    (None: the person cancelled)."""

    def __init__(self, answer: Path) -> None:
        self.answer = answer
        self.cancelled = False
        self.asked: list[dict[str, Any]] = []

    def __call__(self, parent: Any, title: str, suggested: str, file_filter: str, **kwargs: Any) -> tuple[str, str]:
        self.asked.append({"suggested": suggested, **kwargs})
        return ("", "") if self.cancelled else (str(self.answer), file_filter)


@pytest.fixture
def save_dialog(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SaveDialog:
    fake = SaveDialog(tmp_path / "saved" / "copy")  # typed without ".pdf"
    fake.answer.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return fake


def asked_qt_s_own_dialog(fake: SaveDialog) -> bool:
    (asked,) = fake.asked
    return bool(asked["options"] & QFileDialog.Option.DontUseNativeDialog)


@pytest.mark.parametrize("kind", ["shared preview", "evaluation sheets"])
def test_save_as_pdf_asks_in_qt_s_own_dialog_and_copies_the_document(
    qtbot, save_dialog: SaveDialog, pdf: Path, kind: str
) -> None:
    dialog = shown(qtbot, PREVIEWS[kind](pdf))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert asked_qt_s_own_dialog(save_dialog) and save_dialog.asked[0]["suggested"].endswith(".pdf")
    assert (save_dialog.answer.parent / "copy.pdf").read_bytes() == pdf.read_bytes()


def test_the_callback_documents_save_as_pdf_in_qt_s_own_dialog(qtbot, save_dialog: SaveDialog) -> None:
    written: list[Path] = []

    def produce(_day: date, out: Path) -> None:
        written.append(write_pdf(out, 1))

    dialog = callback_printing.PrintDialog("Call sheet", produce, initial=date(2026, 10, 15), by_month=False)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked_qt_s_own_dialog(save_dialog)
    qtbot.waitUntil(lambda: dialog.written is not None)  # built on a worker thread
    assert written == [save_dialog.answer.parent / "copy.pdf"] and dialog.written == written[0]


def test_cancelling_the_save_dialog_writes_nothing(qtbot, save_dialog: SaveDialog, pdf: Path) -> None:
    save_dialog.cancelled = True
    dialog = shown(qtbot, PREVIEWS["shared preview"](pdf))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert len(save_dialog.asked) == 1 and list(save_dialog.answer.parent.iterdir()) == []


def test_windows_and_macos_keep_their_own_save_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    for platform in print_preview.NATIVE_SAVE_DIALOG_PLATFORMS:
        monkeypatch.setattr(print_preview.sys, "platform", platform)
        assert not print_preview.save_dialog_options() & QFileDialog.Option.DontUseNativeDialog
    monkeypatch.setattr(print_preview.sys, "platform", "linux")
    assert print_preview.save_dialog_options() & QFileDialog.Option.DontUseNativeDialog
