"""An import file as its importer will read it, before anything is written (the import wizard, issue #13).

:func:`preview` shows the sheets, the sheet and header row taken (as the reader finds them or as
the person chose them), the first rows as read and the field each column is read as; nothing
is read from or written to the database. What the import would write is its dry run
(:meth:`csdesk.services.base.Service.dry_run`), whose bad rows :func:`write_problems_xlsx` saves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from itertools import islice
from pathlib import Path

from csdesk.errors import PermissionDenied, StorageError
from csdesk.i18n import N_, _
from csdesk.services.base import Actor
from csdesk.services.export_cells import neutralise
from csdesk.services.imports.reader import (
    FileFormat,
    FileRejected,
    Headerless,
    RowProblem,
    Table,
    TableChoice,
    Vocabulary,
    find_table,
    table_at,
)
from csdesk.services.imports.sources import Sheet, open_sheets

PREVIEW_ROWS = 20  # (chosen) rows shown below the header row (the rows above it are shown too)


@dataclass(frozen=True)
class _Kind:
    """An import: where its format is defined (imported on first use), who may run it (as the
    import method itself checks) and whether its files hold dates whose day/month order the
    file decides (csdesk.services.imports.dates), so that the import takes ``date_order``."""

    module: str
    format: str
    permissions: tuple[str, ...]
    dates: bool = False


_RATE = ("scorecards.rate", "scorecards.lock")
KINDS: Mapping[str, _Kind] = {
    "people": _Kind("csdesk.services.people", "PEOPLE_FORMAT", ("import",), dates=True),
    "roster": _Kind("csdesk.services.roster", "ROSTER_FORMAT", ("import",), dates=True),
    "punches": _Kind("csdesk.services.imports.punch_files", "PUNCH_FORMAT", ("import",), dates=True),
    "leave": _Kind("csdesk.services.attendance_imports", "LEAVE_FORMAT", ("import",), dates=True),
    "ratings": _Kind("csdesk.services.scorecard_imports", "RATINGS_FORMAT", _RATE),
    "exams": _Kind("csdesk.services.scorecard_imports", "EXAMS_FORMAT", _RATE),
    "events": _Kind("csdesk.services.scorecard_imports", "EVENTS_FORMAT", ("scorecards.edit", "import"), dates=True),
    "sales": _Kind("csdesk.services.callback_sales", "SALES_FORMAT", ("import",), dates=True),
    "inspections": _Kind("csdesk.services.qa", "INSPECTIONS_FORMAT", ("qa.edit",), dates=True),
}
# The imports that take ``date_order`` (``--date-order``, the import wizard's date order).
DATED_KINDS = tuple(kind for kind, spec in KINDS.items() if spec.dates)


@dataclass(frozen=True)
class FieldMatch:
    """One field of the import: its label in the user's language, the header names it is found
    by, and the cell it is read from (None: no column of the header names it)."""

    name: str
    label: str
    accepted: tuple[str, ...]
    column: int | None


@dataclass(frozen=True)
class ImportPreview:
    """The table of a file as the import would read it (``header_row`` 0: no header row)."""

    file: str
    kind: str
    sheets: tuple[str, ...]  # every sheet's name (a text file has one, named "")
    sheet: str
    header_row: int
    first_row: int  # the first row read as data
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells) from the top to PREVIEW_ROWS below the header
    columns: tuple[str, ...]  # for each cell of a row, the label of the field read from it ("" none)
    fields: tuple[FieldMatch, ...]
    missing: tuple[str, ...]  # the required columns the header lacks, each with the names it may have
    chosen: bool  # the sheet and header row are the caller's (False: the reader's own)
    mapping: tuple[tuple[str, int], ...] = ()  # the fields the caller reads from other cells (TableChoice.columns)

    @property
    def choice(self) -> TableChoice:
        return TableChoice(self.sheet, self.header_row, self.mapping)


def preview(
    actor: Actor,
    kind: str,
    path: Path,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: Sequence[tuple[str, int]] = (),
) -> ImportPreview:
    """The file's table as an import of ``kind`` reads it: on ``sheet`` (default: the sheet the
    reader chooses) with its header in ``header_row`` (default: the row the reader finds, else the
    one that came closest), and with a ``header_row`` given, ``mapping``'s fields read from the
    cells it gives (:attr:`TableChoice.columns`). Refused (:class:`FileRejected`) only when the
    file cannot be read at all or has no such sheet or row; a header that lacks columns is shown
    with what it lacks. Only the start of the file is read (a million-row file is shown at once;
    the import's dry run reads it all, and decides the order of its dates on all of it)."""
    spec = KINDS[kind]
    if not any(actor.can(p) for p in spec.permissions):
        permission = " / ".join(spec.permissions)
        raise PermissionDenied(N_("Your role may not do this ({permission})."), permission=permission)
    fmt: FileFormat = getattr(import_module(spec.module), spec.format)
    vocabulary, rank, headerless = _reading(kind, fmt)
    choice = TableChoice(sheet, header_row, tuple(mapping) if header_row is not None else ())
    with open_sheets(path, start_only=True) as sheets:  # never the whole of a million-row file
        table = _table(path, sheets, vocabulary, choice, rank, headerless)
        shown = islice(table.sheet.rows(), max(table.first_row - 1, 0) + PREVIEW_ROWS)
        rows = tuple((number, tuple(cells)) for number, cells in enumerate(shown, start=1))
        names = tuple(s.name for s in sheets)
    labels = {c.name: _(c.label) if c.label else c.name for c in fmt.columns}
    width = max([len(table.header), *(len(cells) for _n, cells in rows)])
    read_as = {i: _field_label(name, labels) for name, i in sorted(table.index.items(), key=lambda item: item[1])}
    return ImportPreview(
        file=path.name, kind=kind, sheets=names, sheet=table.sheet.name, header_row=table.header_row,
        first_row=table.first_row, header=table.header, rows=rows,
        columns=tuple(read_as.get(i, "") for i in range(width)),
        fields=tuple(
            FieldMatch(c.name, labels[c.name], tuple(dict.fromkeys((c.name, *c.aliases))), table.index.get(c.name))
            for c in fmt.columns
        ),
        missing=tuple(vocabulary.missing(table.index)), chosen=sheet is not None or header_row is not None,
        mapping=choice.columns,
    )  # fmt: skip


Rank = Callable[[Mapping[str, int]], int]


def _reading(kind: str, fmt: FileFormat) -> tuple[Vocabulary, Rank | None, Headerless | None]:
    """How the import of ``kind`` finds its table: its vocabulary, sheet rank and headerless reader."""
    if kind == "punches":
        from csdesk.services.imports.punch_files import PunchColumns

        columns = PunchColumns()
        return columns, columns.rank, columns.headerless
    return fmt, None, None


def _table(
    path: Path, sheets: Sequence[Sheet], vocabulary: Vocabulary, choice: TableChoice,
    rank: Rank | None, headerless: Headerless | None,
) -> Table:  # fmt: skip
    """The table at the chosen header row; else the one the import finds; else the closest row."""
    if choice.header_row is not None:
        return table_at(path, sheets, vocabulary, choice, headerless)
    try:
        return find_table(path, sheets, vocabulary, rank, headerless, choice)
    except FileRejected as refusal:
        if "columns" not in refusal.params:  # not a header lacking columns (an empty file): nothing to show
            raise
        closest = TableChoice(refusal.params["sheet"], refusal.params["row"])
        return table_at(path, sheets, vocabulary, closest, headerless)


def _field_label(name: str, labels: Mapping[str, str]) -> str:
    if name in labels:
        return labels[name]
    if name.startswith("punch:"):  # a punch column of a row per person-day (punch_files)
        return _("Punch")
    if name.startswith("result:"):
        return _("Punch result")
    return name


# --- the bad rows of a dry run, as a workbook -----------------------------------------------

PROBLEM_HEADERS = (N_("Row"), N_("Field"), N_("Problem"))
_WIDTHS = (8, 24, 100)


def write_problems_xlsx(problems: Sequence[RowProblem], out: Path) -> None:
    """One sheet, one row per bad row of an import: its row number in the file, the field and the
    problem, every text passed through the cell neutraliser (export_cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _("Bad rows")[:31]
    ws.append([_(h) for h in PROBLEM_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        ws.append([problem.row, _text(problem.field), _text(problem.message)])
    for n, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    try:
        wb.save(out)
    except OSError as exc:  # open in Excel, a read-only folder
        raise StorageError(N_("Cannot write {file}: {error}"), file=str(out), error=str(exc)) from exc


def _text(value: str) -> object:
    """A text cell: no formula, and no control character openpyxl refuses."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
