"""Preview a generated PDF, print it with the native dialog, or save it elsewhere."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
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
from csdesk.i18n import _, ngettext
from csdesk.ui.messages import show_error

PREVIEW_WIDTH = 760
# Room a preview leaves on its screen for the window's title bar and frame (issue 14: on a
# 1366×768 laptop an 860 px preview had its buttons below the screen's edge).
SCREEN_MARGIN = 48
# Where the platform's own save dialog draws; elsewhere Qt's own is used (issue 14: under Xvfb
# the platform's stayed a black window).
NATIVE_SAVE_DIALOG_PLATFORMS = ("win32", "darwin")
# Each document is built in a private folder of the system temp folder, named by these prefixes.
PRINT_FOLDER_PREFIX = "csdesk-print-"
SHEETS_FOLDER_PREFIX = "csdesk-sheets-"
_OUR_PREFIXES = (PRINT_FOLDER_PREFIX, SHEETS_FOLDER_PREFIX)
# A folder of ours untouched this long was left by a run that crashed or was killed.
STALE_AFTER_SECONDS = 24 * 60 * 60


def new_print_folder(prefix: str = PRINT_FOLDER_PREFIX) -> Path:
    """A new private temporary folder for one document; left-overs of crashed runs go first."""
    remove_stale_print_folders()
    return Path(tempfile.mkdtemp(prefix=prefix))


def remove_print_folder(folder: Path) -> None:
    """Remove one document's temporary folder and its files (a file another program holds stays)."""
    shutil.rmtree(folder, ignore_errors=True)


def remove_stale_print_folders(now: float | None = None) -> None:
    """Remove our temporary folders not modified for a day.

    Only real folders (not links) directly in the temp folder and named with one of our
    prefixes; nobody keeps a preview open for a day, so such a folder is no longer in use.
    """
    cutoff = (time.time() if now is None else now) - STALE_AFTER_SECONDS
    with os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            if entry.name.startswith(_OUR_PREFIXES) and _older_folder(entry, cutoff):
                remove_print_folder(Path(entry.path))


def _older_folder(entry: os.DirEntry[str], cutoff: float) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff
    except FileNotFoundError:  # another copy of csdesk removed it meanwhile
        return False


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


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize ``dialog`` to ``width`` × ``height``, but at most the available area of its parent's
    screen (its own without a parent) less SCREEN_MARGIN: the page area scrolls, the buttons
    stay on the screen."""
    area = (dialog.parentWidget() or dialog).screen().availableGeometry()
    dialog.resize(min(width, area.width() - SCREEN_MARGIN), min(height, area.height() - SCREEN_MARGIN))


def save_dialog_options() -> QFileDialog.Option:
    """The save dialog to use: the platform's own on Windows and macOS, Qt's own elsewhere."""
    if sys.platform in NATIVE_SAVE_DIALOG_PLATFORMS:
        return QFileDialog.Option(0)
    return QFileDialog.Option.DontUseNativeDialog


def ask_pdf_target(parent: QWidget, title: str, suggested: str = "") -> Path | None:
    """Where to save a PDF (None: cancelled), asked in a dialog that draws (:func:`save_dialog_options`);
    a name typed without ".pdf" gets it."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, _("PDF files (*.pdf)"),
                                                options=save_dialog_options())
    if not name:
        return None
    return Path(name if name.lower().endswith(".pdf") else name + ".pdf")


class PdfPreviewDialog(QDialog):
    """Pages stacked in a scroll area, with Print… and Save as… buttons.

    ``temporary``: the PDF's folder is a print folder of its own, removed when the dialog closes.
    """

    def __init__(self, pdf: Path, *, title: str, suggested_name: str, temporary: bool = False,
                 parent: QWidget | None = None) -> None:
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
        self.close_button = QPushButton(_("Close"))
        pages_total = self.document.pageCount()
        self.page_count = QLabel(ngettext("{n} page", "{n} pages", pages_total).format(n=pages_total))
        bar = QHBoxLayout()
        bar.addWidget(self.page_count)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.accept)
        if temporary:
            self.finished.connect(self._remove_pdf)
        fit_to_screen(self, PREVIEW_WIDTH + 60, 860)

    def _remove_pdf(self) -> None:
        self.document.close()  # Windows does not delete a file that is still open
        remove_print_folder(self._pdf.parent)

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
        target = ask_pdf_target(self, _("Save as PDF"), self._suggested)
        if target:
            shutil.copyfile(self._pdf, target)


def preview_pdf(parent: QWidget, build: Callable[[Path], None], *, title: str, suggested_name: str) -> PdfPreviewDialog | None:
    """Build the PDF into a temporary folder (``build(path)``) and open the preview; the folder
    goes when the preview closes."""
    folder = new_print_folder()
    path = folder / suggested_name
    try:
        build(path)
    except CsdeskError as exc:
        remove_print_folder(folder)
        show_error(parent, exc)
        return None
    dialog = PdfPreviewDialog(path, title=title, suggested_name=suggested_name, temporary=True, parent=parent)
    dialog.open()
    return dialog
