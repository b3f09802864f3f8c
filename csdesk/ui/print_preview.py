"""Preview a generated PDF, print it with the native dialog, or save it elsewhere.

A document is built on a worker thread (issue 15: a whole floor's QA summary took 5 s), in the
language chosen for it there only (csdesk.i18n.in_language); its pages are then rendered on
the GUI thread, where pixmaps live.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csdesk import i18n
from csdesk.errors import CsdeskError
from csdesk.i18n import _, ngettext
from csdesk.reports.glyph_notices import MissingGlyphs, missing_glyphs_told
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.messages import show_error

PREVIEW_WIDTH = 760
# How long one turn of the event loop may spend rendering preview pages: a long document's pages
# (a whole floor's QA summary is 54) come in over several turns, the window repainting between.
RENDER_TURN_SECONDS = 0.03
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


# This run's folders not removed yet: a preview still open when the application quits (its
# window closed with the main window, so its own "finished" never came) is removed at the quit.
_LIVE: set[Path] = set()
_hooked: QCoreApplication | None = None  # the application whose quit removes them


def new_print_folder(prefix: str = PRINT_FOLDER_PREFIX) -> Path:
    """A new private temporary folder for one document; left-overs of crashed runs go first.
    It is removed with :func:`remove_print_folder`, or when the application quits."""
    remove_stale_print_folders()
    global _hooked
    if (app := QCoreApplication.instance()) is not None and _hooked is not app:
        app.aboutToQuit.connect(remove_live_print_folders)
        _hooked = app
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _LIVE.add(folder)
    return folder


def remove_print_folder(folder: Path) -> None:
    """Remove one document's temporary folder and its files (a file another program holds stays)."""
    _LIVE.discard(folder)
    shutil.rmtree(folder, ignore_errors=True)


def remove_live_print_folders() -> None:
    """Remove every folder this run made and has not removed yet (the application quits)."""
    for folder in list(_LIVE):
        remove_print_folder(folder)


atexit.register(remove_live_print_folders)  # a run that ends without Qt's quit (the command line)


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


def build_in_background(
    build: Callable[[Path], object],
    path: Path,
    on_built: Callable[[], None],
    on_failed: Callable[[BaseException], None],
) -> Job:
    """Run ``build(path)`` on a worker thread, in the window's language of now unless ``build``
    sets its document's own (csdesk.ui.callbacks.printing.document_language); ``on_built`` or
    ``on_failed`` then runs on the GUI thread. ``build`` must not touch widgets: it captures
    plain values, read before."""
    lang = i18n.current_language()

    def op(_job: Job) -> None:
        with i18n.in_language(lang):
            build(path)

    return run_in_background(op, lambda _result: on_built(), on_failed)


def busy_panel(text: str) -> QWidget:
    """``text`` over an indeterminate progress bar: a dialog's body while its document is built."""
    panel = QWidget()
    panel.setObjectName("busyPanel")
    column = QVBoxLayout(panel)
    column.addStretch(1)
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    bar = QProgressBar()
    bar.setRange(0, 0)  # busy: no steps to count
    bar.setTextVisible(False)
    column.addWidget(label)
    column.addWidget(bar)
    column.addStretch(1)
    return panel


class PdfPreviewDialog(QDialog):
    """Pages stacked in a scroll area, with Print… and Save as… buttons.

    ``temporary``: the PDF's folder is a print folder of its own, removed when the dialog closes.
    ``pending``: the PDF is still being built; "Preparing the document…" shows until
    :meth:`show_pdf` (Print… and Save as… wait for it too).
    """

    def __init__(self, pdf: Path, *, title: str, suggested_name: str, temporary: bool = False,
                 pending: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pdf = pdf
        self._suggested = suggested_name
        self.ready = False  # every page shown
        self.dismissed = False  # closed: a build still running is discarded when it ends
        self.job: Job | None = None
        self.setWindowTitle(title)
        self.document = QPdfDocument(self)
        pages = QWidget()
        self._pages = QVBoxLayout(pages)
        self._scroll = QScrollArea()
        self._scroll.setWidget(pages)
        self._scroll.setWidgetResizable(True)
        self.busy = busy_panel(_("Preparing the document…"))
        self._body = QStackedWidget()
        self._body.addWidget(self.busy)
        self._body.addWidget(self._scroll)
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save as PDF…"))
        self.close_button = QPushButton(_("Close"))
        self.page_count = QLabel()
        # What the document could not print as written (characters its font lacks), else hidden.
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self._rendered = 0
        self._render_timer = QTimer(self)  # goes with the dialog: never renders for a deleted one
        self._render_timer.setInterval(0)
        self._render_timer.timeout.connect(self._render_some)
        bar = QHBoxLayout()
        bar.addWidget(self.page_count)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._body, 1)
        layout.addWidget(self.notice)
        layout.addLayout(bar)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.accept)
        self.finished.connect(self._dismiss)
        if temporary:
            self.finished.connect(self._remove_pdf)
        fit_to_screen(self, PREVIEW_WIDTH + 60, 860)
        if pending:
            self.print_button.setEnabled(False)
            self.save_button.setEnabled(False)
        else:
            self.show_pdf()

    def show_pdf(self) -> None:
        """Load the finished PDF and show its pages. They are rendered here (pixmaps are the GUI
        thread's), the first at once and the rest a few per turn of the event loop."""
        self.document.load(str(self._pdf))
        pages_total = self.document.pageCount()
        self.page_count.setText(ngettext("{n} page", "{n} pages", pages_total).format(n=pages_total))
        self._body.setCurrentWidget(self._scroll)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self._render_some()

    def show_notices(self, reports: Sequence[MissingGlyphs]) -> None:
        """Say under the pages which characters the document printed as a placeholder."""
        self.notice.setText("\n".join(r.message() for r in reports))
        self.notice.setVisible(bool(reports))

    def _render_some(self) -> None:
        """Render pages for up to RENDER_TURN_SECONDS (one at least), then come back next turn."""
        started = time.perf_counter()
        total = self.document.pageCount()
        while self._rendered < total and not self.dismissed:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(render_page(self.document, self._rendered, PREVIEW_WIDTH)))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._pages.addWidget(label)
            self._rendered += 1
            if time.perf_counter() - started >= RENDER_TURN_SECONDS:
                break
        if self._rendered < total and not self.dismissed:
            self._render_timer.start()
            return
        self._render_timer.stop()
        self.ready = not self.dismissed

    def _dismiss(self) -> None:
        self.dismissed = True
        self._render_timer.stop()

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


def preview_pdf(
    parent: QWidget | None, build: Callable[[Path], object], *, title: str, suggested_name: str
) -> PdfPreviewDialog:
    """Open the preview at once, "Preparing the document…", and build the PDF into a temporary
    folder (``build(path)``) on a worker thread (:func:`build_in_background`); its pages show
    when it is written. A refusal (CsdeskError) closes the preview and is shown over ``parent``.
    The folder goes when the preview closes; a build still running then is discarded when it
    ends, and its folder goes then."""
    folder = new_print_folder()
    path = folder / suggested_name
    missing: list[MissingGlyphs] = []  # filled on the worker thread, read after it is done

    def build_noting(target: Path) -> object:
        with missing_glyphs_told(missing.append):
            return build(target)

    dialog = PdfPreviewDialog(path, title=title, suggested_name=suggested_name, temporary=True, pending=True,
                              parent=parent)

    def wanted() -> bool:
        """The preview is still open to show the result; else the result and its folder go."""
        if shiboken6.isValid(dialog) and not dialog.dismissed:
            return True
        remove_print_folder(folder)
        return False

    def built() -> None:
        if wanted():
            dialog.show_pdf()
            dialog.show_notices(missing)

    def failed(exc: BaseException) -> None:
        if not wanted():
            return  # closed meanwhile: whatever went wrong (its folder went from under it) is moot
        dialog.reject()  # removes the folder
        if not isinstance(exc, CsdeskError):
            raise exc  # a bug: surfaces on the GUI thread
        show_error(parent if parent is None or shiboken6.isValid(parent) else None, exc)

    dialog.job = build_in_background(build_noting, path, built, failed)
    dialog.open()
    return dialog
