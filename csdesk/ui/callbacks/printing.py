"""Print the callback documents from the window: pick the period and language, preview, save as PDF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csdesk import i18n
from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.ui.messages import show_error
from csdesk.ui.print_preview import ask_pdf_target, fit_to_screen, new_print_folder, remove_print_folder, render_page

Produce = Callable[[date, Path], object]  # writes the PDF; what it returns is not used


@contextmanager
def document_language(lang: str) -> Iterator[None]:
    """Build and draw a document in ``lang``, then return to the window's language.

    Runs on the GUI thread without processing events, so no widget repaints in
    the other language meanwhile.
    """
    before = i18n.current_language()
    i18n.install(lang)
    try:
        yield
    finally:
        i18n.install(before)


def pdf_pages(path: Path, width: int = 820) -> list[QPixmap]:
    """The pages of a PDF as pictures, painted over white (QtPdf renders a transparent page)."""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(path))
    pages = [QPixmap.fromImage(render_page(doc, page, width)) for page in range(doc.pageCount())]
    doc.close()
    return pages


class PdfPreviewDialog(QDialog):
    """A callback document's pages, read into pictures (its temporary file may go meanwhile)."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        body = QWidget()
        column = QVBoxLayout(body)
        self.pages = pdf_pages(path)
        for pixmap in self.pages:
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 760)


class PrintDialog(QDialog):
    """One callback document: its month or day, its language; preview or save."""

    def __init__(self, title: str, produce: Produce, *, initial: date, by_month: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._produce = produce
        self.written: Path | None = None
        self.period = QDateEdit(QDate(initial))
        self.period.setObjectName("printPeriod")
        self.period.setCalendarPopup(not by_month)
        self.period.setDisplayFormat("yyyy-MM" if by_month else "yyyy-MM-dd")
        self.language = QComboBox()
        self.language.setObjectName("printLanguage")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.preview_button = QPushButton(_("Preview"))
        self.save_button = QPushButton(_("Save as PDF…"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Month") if by_month else _("Date"), self.period)
        form.addRow(_("Language"), self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{title}</b>"))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setWindowTitle(title)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)

    def write(self, path: Path) -> bool:
        day: date = self.period.date().toPython()  # type: ignore[assignment]
        try:
            with document_language(self.language.currentData()):
                self._produce(day, path)
        except CsdeskError as exc:
            show_error(self, exc, self._title)
            return False
        self.written = path
        return True

    def preview(self) -> None:
        """Build into a temporary folder, show the pages (read into pictures), then remove the folder."""
        folder = new_print_folder()
        path = folder / "preview.pdf"
        try:
            if self.write(path):
                PdfPreviewDialog(path, self._title, self).exec()
        finally:
            remove_print_folder(folder)

    def save(self) -> None:
        path = ask_pdf_target(self, self._title)
        if path and self.write(path):
            self.accept()
