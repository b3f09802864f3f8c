"""Batch printing of evaluation sheets: built off the GUI thread with progress and cancel,
then a page-by-page preview with the native print dialog and "save as PDF".

A whole department is hundreds of pages, so the preview renders only the page shown (the
shared preview renders every page up front, which suits short forms).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csdesk.context import AppContext
from csdesk.errors import CsdeskError
from csdesk.i18n import _, current_language
from csdesk.reports.glyph_notices import MissingGlyphs
from csdesk.services.base import Actor
from csdesk.services.jobs import ServiceCall
from csdesk.services.scorecard_print import PrintResult
from csdesk.ui.background import Job, run_in_background, run_in_process
from csdesk.ui.messages import show_error
from csdesk.ui.print_preview import (
    PREVIEW_WIDTH,
    SHEETS_FOLDER_PREFIX,
    ask_pdf_target,
    fit_to_screen,
    new_print_folder,
    remove_print_folder,
    render_page,
)


class SheetPreviewDialog(QDialog):
    """One page at a time; Print… sends every page to the printer chosen in the native dialog."""

    def __init__(self, pdf: Path, *, title: str, suggested_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pdf, self._suggested = pdf, suggested_name
        self.setWindowTitle(title)
        self.document = QPdfDocument(self)
        self.document.load(str(pdf))
        self._build_ui()
        self._connect_signals()
        self.show_page(0)

    def _build_ui(self) -> None:
        self.page = QSpinBox()
        self.page.setObjectName("previewPage")
        self.page.setRange(1, max(1, self.document.pageCount()))
        self.page_count = QLabel(_("of {n}").format(n=self.document.pageCount()))
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.previous_button = QPushButton(_("Previous"))
        self.next_button = QPushButton(_("Next"))
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save as PDF…"))
        self.close_button = QPushButton(_("Close"))
        bar = QHBoxLayout()
        for w in (self.previous_button, self.page, self.page_count, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(w)
        # What the sheets could not print as written (characters the font lacks), else hidden.
        self.notice = QLabel()
        self.notice.setObjectName("previewNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.notice)
        layout.addLayout(bar)
        fit_to_screen(self, PREVIEW_WIDTH + 60, 900)

    def _connect_signals(self) -> None:
        self.page.valueChanged.connect(lambda value: self.show_page(value - 1))
        self.previous_button.clicked.connect(lambda: self.page.setValue(self.page.value() - 1))
        self.next_button.clicked.connect(lambda: self.page.setValue(self.page.value() + 1))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.accept)

    def show_notices(self, reports: Sequence[MissingGlyphs]) -> None:
        """Say under the page which characters the sheets printed as a placeholder."""
        self.notice.setText("\n".join(r.message() for r in reports))
        self.notice.setVisible(bool(reports))

    def show_page(self, index: int) -> None:
        if 0 <= index < self.document.pageCount():
            self.image.setPixmap(QPixmap.fromImage(render_page(self.document, index, PREVIEW_WIDTH)))

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._suggested)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            for index in range(self.document.pageCount()):
                if index:
                    printer.newPage()
                rect = painter.viewport()
                painter.drawImage(rect.topLeft(), render_page(self.document, index, rect.width()))
        finally:
            painter.end()

    def save_as(self) -> None:
        target = ask_pdf_target(self, _("Save as PDF"), self._suggested)
        if target:
            shutil.copyfile(self._pdf, target)

    def remove_pdf(self) -> None:
        """The batch's temporary folder goes when the preview closes."""
        self.document.close()  # Windows does not delete a file that is still open
        remove_print_folder(self._pdf.parent)


class SheetPrinter:
    """Starts a batch, shows its progress (Cancel stops it, nothing is kept) and then the preview."""

    in_process = True  # a big batch is CPU-bound: a child process keeps the window responsive

    def __init__(self, parent: QWidget, ctx: AppContext, actor: Actor) -> None:
        self._parent, self._ctx, self._actor = parent, ctx, actor
        self.job: Job | None = None
        self.preview: SheetPreviewDialog | None = None
        self.progress: QProgressDialog | None = None
        self.result: PrintResult | None = None

    def start(self, month: str, *, employee_no: str | None, team: str | None, lang: str, name: str) -> Job:
        out = new_print_folder(SHEETS_FOLDER_PREFIX) / f"{name}.pdf"
        progress = QProgressDialog(_("Preparing the evaluation sheets…"), _("Cancel"), 0, 0, self._parent)
        progress.setWindowTitle(_("Evaluation sheets"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self.progress = progress
        args = (month, str(out), employee_no, team, lang)

        def on_progress(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(_("Sheet {done} of {total}…").format(done=done, total=total))

        def finished(result: PrintResult) -> None:
            progress.close()
            self.result = result
            if result.cancelled:
                remove_print_folder(out.parent)
                return
            self.preview = SheetPreviewDialog(result.path, title=_("Evaluation sheets"), suggested_name=out.name, parent=self._parent)
            self.preview.show_notices(result.missing)
            self.preview.finished.connect(self.preview.remove_pdf)
            self.preview.open()

        def failed(exc: BaseException) -> None:
            progress.close()
            remove_print_folder(out.parent)
            if isinstance(exc, CsdeskError):
                show_error(self._parent, exc)
                return
            raise exc

        if self.in_process:
            call = ServiceCall(self._ctx.db_url, self._ctx.policy_file, current_language(), "scorecards.print_evaluation_job", self._actor, args)
            self.job = run_in_process(call, finished, failed, on_progress)
        else:
            service: Any = self._ctx.scorecards
            self.job = run_in_background(
                lambda job: service.print_evaluation_job(self._actor, *args, job.report), finished, failed, on_progress
            )
        progress.canceled.connect(self.job.cancel)
        return self.job
