"""Print the callback documents from the window: pick the period and language, preview, save as PDF.

The document is built on a worker thread in the language picked for it (issue 15); the
window keeps its own meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import shiboken6
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
from csdesk.reports.glyph_notices import MissingGlyphs, missing_glyphs_told
from csdesk.ui.background import Job
from csdesk.ui.messages import show_error
from csdesk.ui.print_preview import (
    ask_pdf_target,
    build_in_background,
    busy_panel,
    fit_to_screen,
    new_print_folder,
    remove_print_folder,
    render_page,
)

Produce = Callable[[date, Path], object]  # writes the PDF; what it returns is not used


@contextmanager
def document_language(lang: str) -> Iterator[None]:
    """Build and draw a document in ``lang`` on the calling thread only (a worker's): the window
    keeps translating and repainting in its own language meanwhile (csdesk.i18n.in_language)."""
    with i18n.in_language(lang):
        yield


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

    def __init__(
        self, path: Path, title: str, parent: QWidget | None = None, *, notices: Sequence[MissingGlyphs] = ()
    ) -> None:
        """``notices``: what the document printed as a placeholder (characters the font lacks),
        said under the pages."""
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
        self.notice = QLabel("\n".join(r.message() for r in notices))
        self.notice.setObjectName("previewNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notices))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 760)


class PrintDialog(QDialog):
    """One callback document: its month or day, its language; preview or save.

    The document is built on a worker thread, "Preparing the document…" meanwhile; closing the
    dialog then discards a preview's build (a save's file is still written where asked).
    """

    def __init__(self, title: str, produce: Produce, *, initial: date, by_month: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._produce = produce
        self.written: Path | None = None
        self.missing: list[MissingGlyphs] = []  # the last build's characters printed as a placeholder
        self.job: Job | None = None
        self.dismissed = False  # closed: a build still running is discarded when it ends
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
        self.busy = busy_panel(_("Preparing the document…"))
        self.busy.hide()
        form = QFormLayout()
        form.addRow(_("Month") if by_month else _("Date"), self.period)
        form.addRow(_("Language"), self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{title}</b>"))
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(buttons)
        self.setWindowTitle(title)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.finished.connect(self._dismiss)

    def _dismiss(self) -> None:
        self.dismissed = True

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.period, self.language, self.preview_button, self.save_button):
            widget.setEnabled(not busy)

    def write(self, path: Path, then: Callable[[], None], discard: Callable[[], None] | None = None) -> Job:
        """Build the document into ``path`` on a worker thread, in the language chosen; ``then``
        runs once it is written, if the dialog is still open (else ``discard``). A refusal
        (CsdeskError) is shown."""
        day: date = self.period.date().toPython()  # type: ignore[assignment]
        lang, produce = self.language.currentData(), self._produce  # read here: the worker touches no widget

        self.missing = missing = []  # filled on the worker thread, read once it is done (a new list each build)

        def build(out: Path) -> None:
            with document_language(lang), missing_glyphs_told(missing.append):
                produce(day, out)

        def wanted() -> bool:
            # ``self.job`` keeps the job until the next build: its signal is still being
            # delivered while the preview or a message box runs its own event loop.
            if shiboken6.isValid(self) and not self.dismissed:
                self._set_busy(False)
                return True
            if discard is not None:
                discard()
            return False

        def built() -> None:
            if wanted():
                self.written = path
                then()

        def failed(exc: BaseException) -> None:
            if not wanted():
                return
            if not isinstance(exc, CsdeskError):
                raise exc  # a bug: surfaces on the GUI thread
            show_error(self, exc, self._title)

        self._set_busy(True)
        self.job = build_in_background(build, path, built, failed)
        return self.job

    def preview(self) -> None:
        """Build into a temporary folder, show the pages (read into pictures), then remove the folder."""
        folder = new_print_folder()
        path = folder / "preview.pdf"

        def show() -> None:
            try:
                PdfPreviewDialog(path, self._title, self, notices=self.missing).exec()
            finally:
                remove_print_folder(folder)

        self.write(path, show, lambda: remove_print_folder(folder))

    def save(self) -> None:
        path = ask_pdf_target(self, self._title)
        if path:
            self.write(path, self.accept)
