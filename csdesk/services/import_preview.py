"""An import file as its importer will read it, before anything is written (the import wizard, issue #13).

:func:`preview` shows the sheets, the sheet and header row taken (as the reader finds them or as
the person chose them), the first rows as read and the field each column is read as; nothing
is read from or written to the database. What the import would write is its dry run
(:meth:`csdesk.services.base.Service.dry_run`), which :func:`what_it_writes` puts in words and
whose bad rows :func:`write_problems_xlsx` saves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import import_module
from itertools import islice
from pathlib import Path

from csdesk.errors import PermissionDenied, StorageError
from csdesk.i18n import N_, _, format_iso_date, format_month, format_number, ngettext
from csdesk.records import record
from csdesk.services.base import Actor
from csdesk.services.export_cells import xlsx_text
from csdesk.services.imports.reader import (
    FileFormat,
    FileRejected,
    Headerless,
    ImportReport,
    RowProblem,
    Table,
    TableChoice,
    Vocabulary,
    find_table,
    table_at,
)
from csdesk.services.imports.sources import Sheet, open_sheets

PREVIEW_ROWS = 20  # (chosen) rows shown below the header row (the rows above it are shown too)


@record
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
    "inspections": _Kind("csdesk.services.qa_recording", "INSPECTIONS_FORMAT", ("qa.edit",), dates=True),
}
# The imports that take ``date_order`` (``--date-order``, the import wizard's date order).
DATED_KINDS = tuple(kind for kind, spec in KINDS.items() if spec.dates)


@record
class FieldMatch:
    """One field of the import: its label in the user's language, the header names it is found
    by, and the cell it is read from (None: no column of the header names it)."""

    name: str
    label: str
    accepted: tuple[str, ...]
    column: int | None


@record
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


# --- what a dry run would write, in words ---------------------------------------------------

# What each import writes, counted ("52 punches"); the people a row is for are counted apart.
_RECORDS: Mapping[str, Callable[[int], str]] = {
    "people": lambda n: ngettext("{n} person", "{n} people", n),
    "roster": lambda n: ngettext("{n} shift", "{n} shifts", n),
    "punches": lambda n: ngettext("{n} punch", "{n} punches", n),
    "leave": lambda n: ngettext("{n} leave request", "{n} leave requests", n),
    "ratings": lambda n: ngettext("{n} rating", "{n} ratings", n),  # an agent's month, rated
    "exams": lambda n: ngettext("{n} exam score", "{n} exam scores", n),
    "events": lambda n: ngettext("{n} event", "{n} events", n),
    "sales": lambda n: ngettext("{n} sale", "{n} sales", n),
    "inspections": lambda n: ngettext("{n} inspection answer", "{n} inspection answers", n),
}
MONTHLY_KINDS = ("ratings", "exams")  # their rows are for a month: the range is told in months


def what_it_writes(report: ImportReport) -> str:
    """What an import writes (or, of a dry run, would write), as issue #13 words it: ``52 punches
    for 5 agents, 2026-11-02 … 2026-11-09; 3 unknown ids``. The records new or changed; the agents
    they are for, when the import counts them (``ImportReport.people``); the date range of the
    rows taken (months for a ratings or exams file); the distinct identifiers the bad rows name
    that match no one (not the bad rows: one unknown id may fill a hundred rows). A file with
    nothing new says only ``0 shifts``. Counts and dates go through csdesk.i18n's formatter."""
    count = report.written + report.updated
    records = _RECORDS.get(report.kind, lambda n: ngettext("{n} record", "{n} records", n))
    text = records(count).format(n=format_number(count))
    if count and report.people and report.kind != "people":
        agents = len(report.people)
        for_agents = ngettext("{what} for {n} agent", "{what} for {n} agents", agents)
        text = for_agents.format(what=text, n=format_number(agents))
    if count and report.first_date is not None and report.last_date is not None:
        if report.kind in MONTHLY_KINDS:
            first, last = (format_month(d.year, d.month) for d in (report.first_date, report.last_date))
        else:
            first, last = format_iso_date(report.first_date), format_iso_date(report.last_date)
        dates = first if first == last else _("{first} … {last}").format(first=first, last=last)
        text = _("{what}, {dates}").format(what=text, dates=dates)
    if unknown := len(report.unknown_ids):
        ids = ngettext("{n} unknown id", "{n} unknown ids", unknown).format(n=format_number(unknown))
        text = _("{what}; {unknown}").format(what=text, unknown=ids)
    return text


# --- the bad rows of a dry run, as a workbook -----------------------------------------------

_ROW_WIDTH, _CELL_WIDTH, _PROBLEM_WIDTH = 8, 16, 60
_PROBLEM_FILL = "FCE4D6"  # (chosen) the problem columns' header, set apart from the file's own


def write_problems_xlsx(path: Path, shown: ImportPreview, problems: Sequence[RowProblem], out: Path) -> None:
    """The bad rows of an import of ``path`` (read as ``shown``: its sheet and header) as a
    workbook the person can correct and import again: one line per bad row, with its row number
    in the file, then its cells as read under the file's header (column letters where the header
    names none), then one column per field with a problem (``Problem: <field>``) holding that
    field's message (two problems of one field on one row: both, joined by "; "). Every text
    passes the cell guard (export_cells): a cell of the file may well be ``=HYPERLINK(…)``. The
    file is read again up to its last bad row: the report keeps no cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    by_row: dict[int, dict[str, str]] = {}
    for p in problems:
        fields = by_row.setdefault(p.row, {})
        fields[p.field] = f"{fields[p.field]}; {p.message}" if p.field in fields else p.message
    order = {f.name: n for n, f in enumerate(shown.fields)}
    named = sorted({name for fields in by_row.values() for name in fields}, key=lambda n: (order.get(n, len(order)), n))
    labels = {f.name: f.label for f in shown.fields}
    cells = _bad_cells(path, shown.sheet, by_row)
    width = max([len(shown.header), *(len(c) for c in cells.values())])
    header = [
        shown.header[i] if i < len(shown.header) and shown.header[i] else get_column_letter(i + 1) for i in range(width)
    ]
    problem = _("Problem: {field}")  # set apart from the file's own column of the same field
    titles = [_("Row"), *header, *(problem.format(field=_field_label(n, labels)) if n else _("Problem") for n in named)]

    wb = Workbook(write_only=True)  # streamed: 100,000 bad rows without a cell object each
    ws = wb.create_sheet(_("Bad rows")[:31])
    ws.freeze_panes = "B2"
    widths = [_ROW_WIDTH, *([_CELL_WIDTH] * width), *([_PROBLEM_WIDTH] * len(named))]
    for n, size in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = size
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=_PROBLEM_FILL)
    head: list[WriteOnlyCell] = []
    for n, title in enumerate(titles):
        cell = WriteOnlyCell(ws, value=xlsx_text(title))
        cell.font = bold
        if n > width:  # a problem column
            cell.fill = fill
        head.append(cell)
    ws.append(head)
    for number in sorted(by_row):
        row, found = cells.get(number, []), by_row[number]
        values = [xlsx_text(row[i]) if i < len(row) else None for i in range(width)]
        ws.append([number, *values, *(xlsx_text(found[n]) if n in found else None for n in named)])
    try:
        wb.save(out)
    except OSError as exc:  # open in Excel, a read-only folder
        raise StorageError(N_("Cannot write {file}: {error}"), file=str(out), error=str(exc)) from exc


def _bad_cells(path: Path, sheet: str, rows: Mapping[int, object]) -> dict[int, list[str]]:
    """The cells of ``rows`` (row numbers in the file) of ``sheet``, as the import read them."""
    last = max(rows, default=0)
    found: dict[int, list[str]] = {}
    if not last:
        return found
    with open_sheets(path) as sheets:
        chosen = next((s for s in sheets if s.name == sheet), sheets[0])
        for number, cells in enumerate(chosen.rows(), start=1):
            if number in rows:
                found[number] = list(cells)
            if number >= last:
                break
    return found
