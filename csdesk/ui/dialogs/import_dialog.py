"""Run an import off the GUI thread with progress and cancel, then show its report."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _, ngettext
from csdesk.services.imports.reader import ImportReport
from csdesk.services.jobs import ServiceCall
from csdesk.ui.background import Job, run_in_background, run_in_process
from csdesk.ui.messages import show_error


def counts_text(report: ImportReport) -> str:
    """The rows an import read and what became of them: "12 rows: 10 new, 1 updated, …"."""
    return ngettext(
        "{rows} row: {written} new, {updated} updated, {duplicates} duplicates, {rejected} rejected",
        "{rows} rows: {written} new, {updated} updated, {duplicates} duplicates, {rejected} rejected",
        report.rows,
    ).format(
        rows=report.rows, written=report.written, updated=report.updated, duplicates=report.duplicates,
        rejected=len(report.problems),
    )


class ImportReportDialog(QDialog):
    """Counts, notes, and every rejected row with its row number and field."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import finished"))
        summary = QLabel(counts_text(report))
        summary.setObjectName("importSummary")
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        for note in report.notes:
            layout.addWidget(QLabel(note))
        if report.problems:
            layout.addWidget(QLabel(_("These rows were not imported; the others were:")))
            # A small, fixed, read-only listing: a table widget is the right tool here.
            table = QTableWidget(len(report.problems), 3)
            table.setObjectName("importProblems")
            table.setHorizontalHeaderLabels([_("Row"), _("Field"), _("Problem")])
            for r, p in enumerate(report.problems):
                for c, text in enumerate((str(p.row), p.field, p.message)):
                    item = QTableWidgetItem(text)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    table.setItem(r, c, item)
            table.resizeColumnsToContents()
            table.horizontalHeader().setStretchLastSection(True)
            layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 360 if report.problems else 140)


def run_import(
    parent: QWidget,
    title: str,
    op: Callable[[Job], ImportReport] | ServiceCall,
    on_done: Callable[[], None],
) -> Job:
    """Start the import in the background; a progress dialog offers Cancel (nothing is written then).

    ``op`` is a function run on a worker thread (small files), or a ServiceCall run in a child
    process, so that a long CPU-bound import never makes the window wait.
    """
    progress = QProgressDialog(_("Importing…"), _("Cancel"), 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def on_progress(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    def finished(report: ImportReport) -> None:
        progress.close()
        _let_go()
        on_done()
        if report.cancelled:
            show_error(parent, _("The import was cancelled; nothing was written."), title)
            return
        ImportReportDialog(report, parent).exec()

    def failed(exc: BaseException) -> None:
        progress.close()
        _let_go()
        if isinstance(exc, CsdeskError):
            show_error(parent, exc, title)
            return
        raise exc

    def _let_go() -> None:
        QTimer.singleShot(0, lambda: _RUNNING.discard(job))  # after the last signal is delivered

    if isinstance(op, ServiceCall):
        job: Job = run_in_process(op, finished, failed, on_progress)
    else:
        job = run_in_background(op, finished, failed, on_progress)
    _RUNNING.add(job)
    progress.canceled.connect(job.cancel)
    return job


# An import writes data: it runs to its end and reports whoever started it (a wizard that closed
# itself, a button that dropped the handle), so it is held here until then, not by its caller.
_RUNNING: set[Job] = set()
