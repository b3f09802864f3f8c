"""The import wizard (issue #13): a file's table as the import reads it, and what it would write.

One page: the first rows of the file with the header row picked out; the sheet, the header row
and the cell each field is read from (the reader's choice, changeable, remembered for files with
the same header); and a dry run of the import as shown: what it would write in words ("52 punches
for 5 agents, 2026-11-02 … 2026-11-09; 3 unknown ids"), counts, notes and bad rows, which can be
saved as a workbook of the bad rows' cells and problems. Import then runs the import itself
through ``run_import`` (progress and cancel). Every page opens it the same way, with
:func:`open_import_wizard`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, pgettext
from csdesk.services.base import Actor, Service
from csdesk.services.import_preview import DATED_KINDS, ImportPreview, preview, what_it_writes, write_problems_xlsx
from csdesk.services.imports.reader import HEADER_SCAN_ROWS, ImportReport, RowProblem, TableChoice, reading_as
from csdesk.services.jobs import ServiceCall
from csdesk.ui.background import Job, run_in_background, run_in_process
from csdesk.ui.dialogs.import_dialog import counts_text, run_import
from csdesk.ui.messages import show_error
from csdesk.ui.qt_setup import settings
from csdesk.ui.table_model import ColumnSpec, RowTableModel

S = TypeVar("S", bound=Service)
Progress = Callable[[int, int], bool]
# The import a page runs: its service (or the service's dry run), the file and the progress callback
# (and, for a kind whose files hold dates, import_preview.DATED_KINDS, the ``date_order`` the person chose).
Importer = Callable[..., ImportReport]
# Or, for a big import (punches), the call that runs it in a child process: the file, where the
# table is, whether it is the dry run, and the options (``date_order``).
ProcessCall = Callable[[Path, TableChoice | None, bool, Mapping[str, Any]], ServiceCall]
# The date orders a file may be read in (csdesk.services.imports.dates.DATE_ORDERS).
DATE_ORDER_CHOICES = ((N_("Dates as the file shows them"), None), (N_("day/month/year"), "dmy"), (N_("month/day/year"), "mdy"))

FILE_TYPES = N_("Tables (*.csv *.txt *.dat *.xlsx *.xlsm *.xls *.htm *.html)")
REMEMBERED = 10  # (chosen) choices of sheet, header row and columns kept per kind of import
_MAPPING_PAIRS = 4  # (chosen) fields shown side by side with the cell each is read from
HEADER_BACKGROUND = QColor("#fff2b3")
ABOVE_HEADER = QColor("#888888")
Index = QModelIndex | QPersistentModelIndex


def open_import_wizard(
    parent: QWidget,
    title: str,
    kind: str,
    service: S,
    importer: Importer[S],
    *,
    actor: Actor,
    on_done: Callable[[], None],
    process: ProcessCall | None = None,
) -> ImportWizard | None:
    """Ask for the file, then open the wizard on it (window-modal); None when no file was chosen or
    it cannot be read at all. ``kind`` names the import (csdesk.services.import_preview.KINDS);
    ``importer(service, path, progress)`` runs it, once on ``service.dry_run()`` and, when the
    person clicks Import, on ``service``; ``on_done`` runs after the import. With ``process``, both
    run in a child process instead (a million punches must not make the window wait). For a kind
    whose files hold dates (``DATED_KINDS``), the person may say how the file's dates are written,
    and is asked to when the dry run cannot tell; ``importer`` then takes ``date_order`` too."""
    name, _filter = QFileDialog.getOpenFileName(parent, title, "", _(FILE_TYPES))
    if not name:
        return None
    path = Path(name)
    try:
        found = preview(actor, kind, path)
        shown = _remembered(actor, kind, path, found)
    except CsdeskError as exc:
        show_error(parent, exc, title)
        return None
    wizard: ImportWizard = ImportWizard(
        parent, title, shown, path, service, importer, actor=actor, on_done=on_done, remembered=shown is not found,
        process=process,
    )  # fmt: skip
    wizard.open()
    return wizard


class ImportWizard(QDialog, Generic[S]):
    """The file's table, its sheet and header row, the fields read, the dry run; Import or Cancel."""

    def __init__(
        self, parent: QWidget, title: str, shown: ImportPreview, path: Path, service: S, importer: Importer[S], *,
        actor: Actor, on_done: Callable[[], None], remembered: bool = False, process: ProcessCall | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self._page = parent
        self._title = title
        self._path = path
        self._service = service
        self._importer = importer
        self._actor = actor
        self._on_done = on_done
        self._process = process
        self._asks_date_order = shown.kind in DATED_KINDS
        self._as_last_time = remembered  # the table is read as the person chose last time
        self._fields = shown.fields  # the import's fields (the same whatever the table)
        self._dry_job: Job | None = None
        self._export_job: Job | None = None
        self.report: ImportReport | None = None  # the latest dry run's
        self.preview_model = PreviewTableModel(self)
        self.problems_model: RowTableModel[RowProblem] = RowTableModel(self._problem_columns(), self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._show(shown)

    def _build_ui(self) -> None:
        self._file = QLabel()
        self.sheet_box = QComboBox()
        self.sheet_box.setObjectName("sheetBox")
        self.header_row_box = QSpinBox()
        self.header_row_box.setObjectName("headerRowBox")
        self.header_row_box.setKeyboardTracking(False)  # a typed "12" is one change, not 1 then 12
        self._choice_note = QLabel()
        self._choice_note.setObjectName("choiceNote")
        self.table = QTableView()
        self.table.setObjectName("previewTable")
        self.table.setModel(self.preview_model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Which cell each field is read from, as the header says or as the person chose.
        self.column_boxes: dict[str, QComboBox] = {}
        self._mapping = QGridLayout()
        for n, field in enumerate(self._fields):
            box = QComboBox()
            box.setObjectName(f"column_{field.name}")
            box.setToolTip(" / ".join(field.accepted))
            label = QLabel(field.label)
            label.setBuddy(box)
            self.column_boxes[field.name] = box
            row, pair = divmod(n, _MAPPING_PAIRS)
            self._mapping.addWidget(label, row, 2 * pair)
            self._mapping.addWidget(box, row, 2 * pair + 1)
        self.missing = QLabel()
        self.missing.setObjectName("missingColumns")
        self.missing.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("dryRunSummary")
        self.summary.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("dryRunNotes")
        self.notes.setWordWrap(True)
        self.problems = QTableView()
        self.problems.setObjectName("dryRunProblems")
        self.problems.setModel(self.problems_model)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.verticalHeader().hide()
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportBadRows")
        self._buttons = QDialogButtonBox()
        self.import_button = self._buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.cancel_button = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._sheet_label = QLabel()
        self._sheet_label.setBuddy(self.sheet_box)
        self._row_label = QLabel()
        self._row_label.setBuddy(self.header_row_box)
        self.date_order_box = QComboBox()
        self.date_order_box.setObjectName("dateOrderBox")
        self.date_order_box.setVisible(self._asks_date_order)
        where = QHBoxLayout()
        where.addWidget(self._file, 1)
        for label, box in ((self._sheet_label, self.sheet_box), (self._row_label, self.header_row_box)):
            where.addSpacing(12)
            where.addWidget(label)
            where.addWidget(box)
        where.addWidget(self.date_order_box)
        self.sheet_box.setMinimumContentsLength(16)
        self._read = QGroupBox()
        read = QVBoxLayout(self._read)
        read.addWidget(self._choice_note)
        read.addWidget(self.table, 1)
        read.addLayout(self._mapping)
        read.addWidget(self.missing)
        self._dry_run = QGroupBox()
        dry = QVBoxLayout(self._dry_run)
        dry.addWidget(self.summary)
        dry.addWidget(self.notes)
        dry.addWidget(self.problems, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(self._buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(where)
        layout.addWidget(self._read, 3)
        layout.addWidget(self._dry_run, 2)
        layout.addLayout(bottom)
        self.resize(900, 680)

    def _connect_signals(self) -> None:
        self.sheet_box.currentIndexChanged.connect(self._sheet_chosen)
        self.header_row_box.valueChanged.connect(self._row_chosen)
        self.date_order_box.activated.connect(lambda _index: self._start_dry_run())
        self.export_button.clicked.connect(self.export_problems)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)
        self.finished.connect(self._closed)
        for name, box in self.column_boxes.items():
            box.activated.connect(lambda _index, name=name: self._column_chosen(name))

    def retranslate_ui(self) -> None:
        self._file.setText(_("File: {name}").format(name=self._path.name))
        self._sheet_label.setText(_("&Sheet:"))
        self._row_label.setText(_("&Header row:"))
        self._read.setTitle(_("The file as the import reads it"))
        self._dry_run.setTitle(_("What the import would write"))
        self.header_row_box.setSpecialValueText(pgettext("header row", "none"))
        self.export_button.setText(_("Export bad rows…"))
        self.import_button.setText(_("Import"))
        chosen = self.date_order_box.currentData()
        self.date_order_box.clear()
        for text, order in DATE_ORDER_CHOICES:
            self.date_order_box.addItem(_(text), order)
        self.date_order_box.setCurrentIndex(max(0, self.date_order_box.findData(chosen)))
        self._choice_note.setText(
            _("Read as you chose last time for a file with this header.") if self._as_last_time else ""
        )
        self._choice_note.setVisible(self._as_last_time)

    @staticmethod
    def _problem_columns() -> tuple[ColumnSpec[RowProblem], ...]:
        return (
            ColumnSpec(N_("Row"), lambda p: str(p.row), sort_key=lambda p: p.row, align_right=True),
            ColumnSpec(N_("Field"), lambda p: p.field),
            ColumnSpec(N_("Problem"), lambda p: p.message),
        )

    # --- the table as read --------------------------------------------------------------------

    def _show(self, shown: ImportPreview) -> None:
        """Show the table ``shown`` and start the dry run of the import that reads it so."""
        self.shown = shown
        self.preview_model.set_preview(shown)
        self.table.resizeColumnsToContents()
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for name in shown.sheets:
            self.sheet_box.addItem(name or _("(the whole file)"), name)
        self.sheet_box.setCurrentIndex(shown.sheets.index(shown.sheet))
        self.sheet_box.setEnabled(len(shown.sheets) > 1)
        self.sheet_box.blockSignals(False)
        self.header_row_box.blockSignals(True)
        last = shown.rows[-1][0] if shown.rows else 0
        self.header_row_box.setRange(0, max(min(last, HEADER_SCAN_ROWS), shown.header_row, 1))
        self.header_row_box.setValue(shown.header_row)
        self.header_row_box.blockSignals(False)
        self._show_columns(shown)
        self._start_dry_run()

    def _show_columns(self, shown: ImportPreview) -> None:
        """Each field's box offers every cell of the header; the one it is read from is current."""
        cells = [
            f"{_column_letter(i)}: {shown.header[i]}" if i < len(shown.header) and shown.header[i] else _column_letter(i)
            for i in range(len(shown.columns))
        ]
        for field in shown.fields:
            box = self.column_boxes[field.name]
            box.blockSignals(True)
            box.clear()
            box.addItem(_("(not read)"), -1)
            for i, text in enumerate(cells):
                box.addItem(text, i)
            box.setCurrentIndex(box.findData(-1 if field.column is None else field.column))
            box.blockSignals(False)
        self.missing.setText(_("Missing: {columns}").format(columns="; ".join(shown.missing)))
        self.missing.setVisible(bool(shown.missing))

    def _sheet_chosen(self, index: int) -> None:
        self._choose(self.sheet_box.itemData(index), None)

    def _row_chosen(self, row: int) -> None:
        self._choose(self.shown.sheet, row)

    def _column_chosen(self, name: str) -> None:
        """Read field ``name`` from the cell its box now names (and that cell as nothing else)."""
        cell = self.column_boxes[name].currentData()
        mapping = {field: i for field, i in self.shown.mapping if field != name and i != cell}
        mapping[name] = cell
        self._choose(self.shown.sheet, self.shown.header_row, tuple(mapping.items()))

    def _choose(self, sheet: str, header_row: int | None, mapping: tuple[tuple[str, int], ...] = ()) -> None:
        try:
            shown = preview(self._actor, self.shown.kind, self._path, sheet, header_row, mapping)
        except CsdeskError as exc:
            self._refused(exc)
            return
        self._as_last_time = False
        self._choice_note.hide()
        self._show(shown)

    # --- the dry run ------------------------------------------------------------------------------

    def _start_dry_run(self) -> None:
        self._stop_dry_run()
        self.report = None
        self.problems_model.set_rows([])
        self.problems.hide()
        self.notes.hide()
        self.summary.setText(_("Checking what the import would write…"))
        self.import_button.setEnabled(False)
        self.export_button.setEnabled(False)
        service, importer, path, choice, options = self._service, self._importer, self._path, self._choice(), self._options()
        if self._process is not None:
            self._dry_job = run_in_process(self._process(path, choice, True, options), self._dry_run_done, self._dry_run_failed)
            return

        def dry_run(job: Job) -> ImportReport:
            with reading_as(choice):
                return importer(service.dry_run(), path, job.report, **options)

        self._dry_job = run_in_background(dry_run, self._dry_run_done, self._dry_run_failed)

    def _options(self) -> dict[str, Any]:
        """What else the import is told: how the file's dates are written, when asked."""
        return {"date_order": self.date_order_box.currentData()} if self._asks_date_order else {}

    def _choice(self) -> TableChoice | None:
        """Where the import is to read: the person's choice, or None for the reader's own."""
        return self.shown.choice if self.shown.chosen else None

    def _stop_dry_run(self) -> None:
        if self._dry_job is not None:
            self._dry_job.cancel()
            self._dry_job = None

    def _dry_run_done(self, report: ImportReport) -> None:
        if self.sender() is not self._dry_job or report.cancelled:
            return  # a dry run of a table no longer shown
        self._dry_job = None
        self.report = report
        self.summary.setText(_dry_run_text(report, self.shown))
        self.notes.setText("\n".join(report.notes))
        self.notes.setVisible(bool(report.notes))
        self.problems_model.set_rows(report.problems)
        self.problems.setVisible(bool(report.problems))
        self.problems.resizeColumnsToContents()
        self.export_button.setEnabled(bool(report.problems) and self._export_job is None)
        self.import_button.setEnabled(True)

    def _dry_run_failed(self, exc: BaseException) -> None:
        if self.sender() is not self._dry_job:
            return
        self._dry_job = None
        if not isinstance(exc, CsdeskError):
            raise exc  # a bug: to the exception hook
        self._refused(exc)

    def _refused(self, exc: CsdeskError) -> None:
        """The file cannot be imported as shown: say why; nothing to import or export."""
        text = exc.message()
        if self._asks_date_order and exc.params.get("date_order_needed"):  # the CLI's advice, said for the window
            text = _("Choose above how the file's dates are written: day first or month first.") + "\n\n" + text
            self.date_order_box.setFocus()
        self.summary.setText(text)
        self.import_button.setEnabled(False)
        self.export_button.setEnabled(False)

    # --- the buttons ------------------------------------------------------------------------------

    def export_problems(self) -> None:
        if self.report is None:
            return
        suggested = str(self._path.with_name(_("{name} - bad rows.xlsx").format(name=self._path.stem)))
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export bad rows"), suggested, _("Excel workbook (*.xlsx)")
        )
        if not name:
            return
        out = Path(name if name.lower().endswith(".xlsx") else f"{name}.xlsx")
        path, shown, problems = self._path, self.shown, list(self.report.problems)
        self.export_button.setEnabled(False)  # the file is read again up to its last bad row
        self._export_job = run_in_background(
            lambda _job: write_problems_xlsx(path, shown, problems, out), self._exported, self._export_failed
        )

    def _exported(self, _result: object) -> None:
        self._export_job = None
        self.export_button.setEnabled(self.report is not None and bool(self.report.problems))

    def _export_failed(self, exc: BaseException) -> None:
        self._exported(None)
        if not isinstance(exc, CsdeskError):
            raise exc  # a bug: to the exception hook
        show_error(self, exc, self._title)

    def start_import(self) -> Job | None:
        """Close the wizard and run the import as the dry run read the file; None before a dry run."""
        if self.report is None:
            return None
        if self.shown.chosen:
            _remember(self.shown)
        service, importer, path, choice, options = self._service, self._importer, self._path, self._choice(), self._options()
        self.accept()
        if self._process is not None:
            return run_import(self._page, self._title, self._process(path, choice, False, options), self._on_done)

        def run(job: Job) -> ImportReport:
            with reading_as(choice):
                return importer(service, path, job.report, **options)

        return run_import(self._page, self._title, run, self._on_done)

    def _closed(self) -> None:
        self._stop_dry_run()
        self.deleteLater()


class PreviewTableModel(QAbstractTableModel):
    """The rows of the file as read: the header row picked out, the rows above it greyed, each
    column headed by the field it is read as."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._shown: ImportPreview | None = None
        self._width = 0

    def set_preview(self, shown: ImportPreview) -> None:
        self.beginResetModel()
        self._shown = shown
        self._width = len(shown.columns)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._shown is None else len(self._shown.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._width

    def is_header(self, row: int) -> bool:
        """Whether row ``row`` of the model is (part of) the header row."""
        shown = self._shown
        return shown is not None and shown.header_row > 0 and shown.header_row <= shown.rows[row][0] < shown.first_row

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._shown is None or not index.isValid():
            return None
        number, cells = self._shown.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()] if index.column() < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole and self.is_header(index.row()):
            return HEADER_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and self.is_header(index.row()):
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ForegroundRole and number < self._shown.header_row:
            return ABOVE_HEADER
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._shown is None or role != Qt.ItemDataRole.DisplayRole:
            return super().headerData(section, orientation, role)
        if orientation == Qt.Orientation.Vertical:
            return str(self._shown.rows[section][0])
        field = self._shown.columns[section]
        return f"{_column_letter(section)}\n{field}" if field else _column_letter(section)


def _column_letter(index: int) -> str:
    """A spreadsheet's name of column ``index`` (0: A, 26: AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _dry_run_text(report: ImportReport, shown: ImportPreview) -> str:
    """What the import would write (import_preview.what_it_writes), the rows it read, and the
    bad rows by field."""
    counts = counts_text(report)
    text = what_it_writes(report) + "\n" + _("Nothing is written yet. The import would read {counts}.").format(counts=counts)
    if report.problems:
        labels = {f.name: f.label for f in shown.fields}
        by_field = Counter(labels.get(p.field, p.field) for p in report.problems)
        text += "\n" + _("Bad rows by field: {fields}").format(
            fields=", ".join(f"{field} {n}" for field, n in by_field.most_common())
        )
    return text


# --- the sheet, header row and columns chosen, remembered for files with the same header ------


def _key(kind: str) -> str:
    return f"import_wizard/{kind}"


def _choices(kind: str) -> list[dict[str, Any]]:
    stored = settings().value(_key(kind), "")
    try:
        found = json.loads(stored) if isinstance(stored, str) and stored else []
    except ValueError:
        return []
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def _remember(shown: ImportPreview) -> None:
    entry = {"sheet": shown.sheet, "row": shown.header_row, "header": list(shown.header), "columns": shown.mapping}
    kept = [c for c in _choices(shown.kind) if (c.get("sheet"), c.get("header")) != (entry["sheet"], entry["header"])]
    settings().setValue(_key(shown.kind), json.dumps([entry, *kept][:REMEMBERED], ensure_ascii=False))


def _remembered(actor: Actor, kind: str, path: Path, found: ImportPreview) -> ImportPreview:
    """The table as the person read it last time (sheet, header row, columns) for a file with the
    same header at the same place, else ``found`` (the reader's own choice)."""
    for choice in _choices(kind):
        sheet, row, header = choice.get("sheet"), choice.get("row"), choice.get("header")
        if sheet not in found.sheets or not isinstance(row, int):
            continue
        try:
            mapping = [(str(name), int(cell)) for name, cell in choice.get("columns") or ()]
            shown = preview(actor, kind, path, sheet, row, mapping)
        except (CsdeskError, TypeError, ValueError):  # a setting written by hand or by another version
            continue
        if list(shown.header) == header:
            return shown
    return found
