"""Preview a generated PDF, print it with the native dialog, or save it elsewhere."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.ui.messages import show_error

PREVIEW_WIDTH = 760


def render_page(document: QPdfDocument, page: int, width: int) -> QImage:
    """One page as an image on white (QtPdf renders onto a transparent background)."""
    size = document.pagePointSize(page)
    height = int(width * size.height() / max(1.0, size.width()))
    image = document.render(page, QSize(width, height))
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


class PdfPreviewDialog(QDialog):
    """Pages stacked in a scroll area, with Print… and Save as… buttons."""

    def __init__(self, pdf: Path, *, title: str, suggested_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pdf = pdf
        self._suggested = suggested_name
        self.setWindowTitle(title)
        self.document = QPdfDocument(self)
        self.document.load(str(pdf))
        pages = QWidget()
        column = QVBoxLayout(pages)
        for page in range(self.document.pageCount()):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(render_page(self.document, page, PREVIEW_WIDTH)))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save as PDF…"))
        close = QPushButton(_("Close"))
        self.page_count = QLabel(_("{n} pages").format(n=self.document.pageCount()))
        bar = QHBoxLayout()
        bar.addWidget(self.page_count)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.accept)
        self.resize(PREVIEW_WIDTH + 60, 860)

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                rect = painter.viewport()
                image = render_page(self.document, page, rect.width())
                painter.drawImage(rect.topLeft(), image.scaledToWidth(rect.width()))
        finally:
            painter.end()

    def save_as(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), self._suggested, "PDF (*.pdf)")
        if target:
            shutil.copyfile(self._pdf, target)


def preview_pdf(parent: QWidget, build: Callable[[Path], None], *, title: str, suggested_name: str) -> PdfPreviewDialog | None:
    """Build the PDF into a temporary file (``build(path)``) and open the preview."""
    folder = Path(tempfile.mkdtemp(prefix="csdesk-print-"))
    path = folder / suggested_name
    try:
        build(path)
    except CsdeskError as exc:
        show_error(parent, exc)
        return None
    dialog = PdfPreviewDialog(path, title=title, suggested_name=suggested_name, parent=parent)
    dialog.open()
    return dialog
