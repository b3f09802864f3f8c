"""Read import files into header-mapped rows (interfaces.md, "Import files").

A file is CSV or tab-separated text (UTF-8, BOM, UTF-16, GBK/GB18030) or a workbook
(:mod:`csdesk.services.imports.sources`). Its header is the first row, within the first
``HEADER_SCAN_ROWS`` of any sheet, that holds the required columns: title rows above it and the
sheets before it are passed over. Headers are matched case-insensitively in English, Chinese or
Spanish. A file with no such row is refused whole, naming the file, the headers found and the
missing columns with the names they may have; a bad value rejects only its row, named by its row
number in the file and its field. The sheet, the header row and the cell of each field may also
be chosen by the person importing (:class:`TableChoice`, in the import wizard).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import NoReturn, Protocol

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import N_, _, format_iso_date
from csdesk.records import record
from csdesk.services.imports.dates import FileDates
from csdesk.services.imports.refusal import FileRejected as FileRejected
from csdesk.services.imports.sources import Sheet, open_sheets
from csdesk.services.imports.sources import decode_bytes as decode_bytes

MAX_CELL_CHARS = 4_000  # (chosen) longest cell an import reads; the longest real value is a note
MAX_DECIMALS = 4  # (chosen) decimal places a number may have: scores are halves, money is fen
MAX_MAGNITUDE = Decimal(10) ** 9  # (chosen) largest absolute number an import accepts
HEADER_SCAN_ROWS = 30  # (chosen) rows searched for the header: real exports put 1–4 title rows above it
# Control characters a cell may not hold (tab, newline and carriage return are allowed):
# NUL and friends cannot be stored in PostgreSQL text or written to XLSX.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SUSPECT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")  # a control character or U+FFFD


@record
class Column:
    """A column of an import format: its canonical name, the header aliases accepted, and the
    label (marked N_) a refusal names it by in the user's language."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    label: str = ""

    def describe(self) -> str:
        """``Employee no. (employee_no / 工号 / EnNo …)``, translated: for a refusal."""
        names = " / ".join(dict.fromkeys((self.name, *self.aliases)))
        return _("{column} ({names})").format(column=_(self.label) if self.label else self.name, names=names)


@record
class FileFormat:
    kind: str
    columns: tuple[Column, ...]

    def lookup(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for col in self.columns:
            for alias in (col.name, *col.aliases):
                out.setdefault(norm_header(alias), col.name)
        return out

    def match(self, header: Sequence[str]) -> dict[str, int]:
        """Canonical column -> index; a column named twice is taken where it is named first."""
        return match_header(header, self.lookup())

    def missing(self, index: Mapping[str, int]) -> list[str]:
        return [c.describe() for c in self.columns if c.required and c.name not in index]


class Vocabulary(Protocol):
    """What the header search asks of a format: which columns a row names, what it lacks."""

    def match(self, header: Sequence[str]) -> dict[str, int]: ...

    def missing(self, index: Mapping[str, int]) -> list[str]: ...


@record
class RowProblem:
    """One rejected row: where, which field, and the message (already translated, without the
    field's name in front: the field is told beside it). ``unknown`` is the identifier the row
    names that matches no one (an employee number, a device id or a name), else ""."""

    row: int
    field: str
    message: str
    unknown: str = ""


# The messages of a row naming no one the database knows, with the parameter holding the
# identifier named: the dry run counts the distinct ones ("3 unknown ids").
UNKNOWN_PERSON: Mapping[str, str] = {
    N_("Unknown employee number {no}"): "no",
    N_("No person has the employee number or device id {no}"): "no",
    N_("No person has the employee number or device id {no}, and no active person is named {name}"): "no",
    N_("No active person is named {name}"): "name",
    N_("No agent with employee number {no}"): "no",
    N_("No person with employee number {no}"): "no",
}


def _without_field(message: str, name: str) -> str:
    """``message`` without the ``"{field}: "`` it starts with (``time: '8:5x' is not…``), in any
    language's punctuation (``time：…``): a bad row names its field beside the message."""
    if name:
        for colon in (":", "："):
            if message.startswith(name + colon):
                return message[len(name) + 1 :].lstrip()
    return message


@dataclass
class ImportReport:
    """What an import did; ``exit_code`` follows interfaces.md (0, 1 rejected, 3 partial)."""

    file: str
    kind: str
    rows: int = 0
    written: int = 0
    updated: int = 0
    duplicates: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cancelled: bool = False
    touched: set[str] = field(default_factory=set)  # months ("YYYY-MM") the written rows fall in
    skipped: int = 0  # records of "no punch" (缺卡, 未打卡): neither written nor bad
    first_date: date | None = None  # the date range of the rows taken (written or already stored)
    last_date: date | None = None
    # The people the rows written or changed are for (their ids), for the imports that count them
    # (None: not counted); import_preview.what_it_writes says "for 5 agents".
    people: set[int] | None = None
    # What needs a look although nothing was refused ({"code": "NO_ROSTER", "month": …, "message": …}):
    # each is also one of the notes, so every reader of the notes sees it.
    warnings: list[dict[str, object]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 3 if self.problems else 0

    def reject(self, row: int, error: ValidationError | CsdeskError, fallback_field: str = "") -> None:
        """Row ``row`` is bad: ``error`` under its field (else ``fallback_field``). The message loses
        the ``"field: "`` the value parsers put in front, since every reader of a problem shows the
        field beside it (the CLI's ``file:row: field: message``, the wizard's Field column)."""
        name = getattr(error, "field", "") or fallback_field
        param = UNKNOWN_PERSON.get(error.msgid)
        unknown = str(error.params.get(param) or "") if param else ""
        self.problems.append(RowProblem(row, name, _without_field(error.message(), name), unknown))

    def took(self, on: date | None = None, person: int | None = None, until: date | None = None) -> None:
        """A row taken (written, changed or already stored as it is): the date range widened to
        ``on`` (… ``until``); ``person``, given for a row written or changed, counted among the
        people the import writes for."""
        if on is not None:
            last = until or on
            self.first_date = on if self.first_date is None else min(self.first_date, on)
            self.last_date = last if self.last_date is None else max(self.last_date, last)
        if person is not None:
            if self.people is None:
                self.people = set()
            self.people.add(person)

    def note_dates(self, message: str) -> None:
        """Note the date range of the rows taken: ``message`` (translated), with ``{first}`` and
        ``{last}`` (ISO dates, as ``date_from``/``date_to``); nothing when no row was taken."""
        if self.first_date is not None and self.last_date is not None:
            first, last = format_iso_date(self.first_date), format_iso_date(self.last_date)
            self.notes.append(message.format(first=first, last=last))

    @property
    def unknown_ids(self) -> list[str]:
        """The identifiers the bad rows name that match no one, each once, in the file's order."""
        return list(dict.fromkeys(p.unknown for p in self.problems if p.unknown))

    def warn(self, code: str, message: str, **details: object) -> None:
        """A warning: ``message`` (translated) among the notes, and under ``warnings`` in --json with
        its stable ``code`` and ``details``."""
        self.notes.append(message)
        self.warnings.append({"code": code, **details, "message": message})

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": True,
            "file": self.file,
            "kind": self.kind,
            "rows": self.rows,
            "written": self.written,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": len(self.problems),
            "skipped": self.skipped,
            "date_from": self.first_date.isoformat() if self.first_date else None,
            "date_to": self.last_date.isoformat() if self.last_date else None,
            "errors": [{"row": p.row, "field": p.field, "message": p.message} for p in self.problems],
            "unknown_ids": self.unknown_ids,
            "notes": self.notes,
            "warnings": self.warnings,
            "cancelled": self.cancelled,
        }


def norm_header(text: str) -> str:
    """A header as compared: lower case, no spaces, underscores, dashes or BOM."""
    return re.sub(r"[\s_\-]+", "", text.strip().lower().lstrip("\ufeff"))



def match_header(header: Sequence[str], lookup: Mapping[str, str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = lookup.get(norm_header(cell))
        if name and name not in index:
            index[name] = i
    return index


@record
class Table:
    """One sheet of a file with its header found: the header's columns and the rows below it."""

    file: Path
    sheet: Sheet
    header_row: int  # the header's row number in the file (0: a file with no header row)
    header: tuple[str, ...]
    index: Mapping[str, int]  # canonical column -> cell index
    first_row: int  # the row number of the first row below the header

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(row number in the file, cells)`` of every row below the header, empty ones too."""
        return enumerate(islice(self.sheet.rows(), self.first_row - 1, None), start=self.first_row)

    def raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        """As :meth:`rows`, the cells as the file writes them where that is quicker (:attr:`Sheet.raw`,
        a text file), not stripped: for a reader that strips only the cells it reads."""
        rows = self.sheet.raw or self.sheet.rows
        return enumerate(islice(rows(), self.first_row - 1, None), start=self.first_row)


def merge_header(top: Sequence[str], sub: Sequence[str]) -> list[str]:
    """A header written on two rows (a group over its parts, as DingTalk's 上班1 over 打卡时间 and
    打卡结果) as one: ``上班1打卡时间``, ``上班1打卡结果``; a cell merged down keeps its name."""
    out: list[str] = []
    group = ""
    for i in range(max(len(top), len(sub))):
        upper = top[i] if i < len(top) else ""
        lower = sub[i] if i < len(sub) else ""
        if upper:
            group = upper
        elif not lower:
            group = ""
        name = (upper or group) + lower if lower else upper
        out.append(name)
    return out


Headerless = Callable[[Sequence[list[str]]], dict[str, int] | None]


@record
class TableChoice:
    """Where the person importing says the table is: a sheet by name (None: the reader looks on
    every sheet) and a header row by number (None: the reader looks for it; 0: the file has no
    header row, for a format that can read one without, as ZKTeco's attlog). With a header row,
    ``columns`` are the fields the person reads from another cell than the header says: (field,
    cell index, or -1 for a field not to be read)."""

    sheet: str | None = None
    header_row: int | None = None
    columns: tuple[tuple[str, int], ...] = ()

    def read_as(self, index: Mapping[str, int]) -> dict[str, int]:
        """``index`` (field -> cell, as the header names them) with the person's ``columns``: a
        cell the person gave a field is read as that field only."""
        out = dict(index)
        for name, cell in self.columns:
            out = {field: i for field, i in out.items() if field != name and i != cell}
            if cell >= 0:
                out[name] = cell
        return out


# The choice every find_table inside ``reading_as`` takes (in this thread): an import service
# reads its file as the wizard showed it without a parameter of its own for it.
_CHOICE: ContextVar[TableChoice | None] = ContextVar("csdesk_table_choice", default=None)


@contextmanager
def reading_as(choice: TableChoice | None) -> Iterator[None]:
    """Every import begun inside (in this thread) reads its table where ``choice`` says (None: as
    the reader finds it)."""
    token = _CHOICE.set(choice)
    try:
        yield
    finally:
        _CHOICE.reset(token)


def _header_candidates(head: Sequence[list[str]], i: int, vocabulary: Vocabulary) -> list[tuple[list[str], int]]:
    """The headers row ``i`` of ``head`` may start, best first, with their height in rows: the
    row merged with the next (a header on two rows) when that names more columns, then the row."""
    cells = head[i]
    candidates = [(cells, 1)]
    if i + 1 < len(head) and any(head[i + 1]):
        merged = merge_header(cells, head[i + 1])
        if len(vocabulary.match(merged)) > max(len(vocabulary.match(cells)), len(vocabulary.match(head[i + 1]))):
            candidates.insert(0, (merged, 2))
    return candidates


def table_at(
    path: Path,
    sheets: Sequence[Sheet],
    vocabulary: Vocabulary,
    choice: TableChoice,
    headerless: Headerless | None = None,
) -> Table:
    """The table where ``choice`` puts it (its sheet, else the first; its header row, which must be
    given), with the columns that row names, whether or not every required one is there."""
    assert choice.header_row is not None
    sheet = _chosen_sheet(path, sheets, choice)
    if choice.header_row == 0:
        head = list(islice(sheet.rows(), HEADER_SCAN_ROWS + 1))
        return Table(path, sheet, 0, (), choice.read_as((headerless(head) if headerless else None) or {}), 1)
    head = list(islice(sheet.rows(), choice.header_row + 1))
    if len(head) < choice.header_row:
        raise FileRejected(
            N_("{file} has no row {row} (it has {n})."),
            file=path.name, path=str(path), row=choice.header_row, n=len(head),
        )  # fmt: skip
    candidates = _header_candidates(head, choice.header_row - 1, vocabulary)
    complete = (c for c in candidates if not vocabulary.missing(choice.read_as(vocabulary.match(c[0]))))
    header, height = next(complete, candidates[0])  # else the one naming the most columns
    index = choice.read_as(vocabulary.match(header))
    return Table(path, sheet, choice.header_row, tuple(header), index, choice.header_row + height)


def _chosen_sheet(path: Path, sheets: Sequence[Sheet], choice: TableChoice) -> Sheet:
    if choice.sheet is None:
        return sheets[0]
    for sheet in sheets:
        if sheet.name == choice.sheet:
            return sheet
    raise FileRejected(N_("{file} has no sheet {sheet}."), file=path.name, path=str(path), sheet=choice.sheet)


def find_table(
    path: Path,
    sheets: Sequence[Sheet],
    vocabulary: Vocabulary,
    rank: Callable[[Mapping[str, int]], int] | None = None,
    headerless: Headerless | None = None,
    choice: TableChoice | None = None,
) -> Table:
    """The header row that holds the required columns, on whichever sheet and below any title rows.

    Each sheet offers its first such row; ``rank`` (lower is better) chooses among sheets, else the
    first sheet wins. ``headerless`` may recognise a file without any header (ZKTeco's attlog).
    Refused whole (:class:`FileRejected`) when no row qualifies, naming the row that came closest.
    ``choice`` (default: the one ``reading_as`` set) names the sheet to look on, or the header row
    to take, which is refused the same way when it lacks a required column.
    """
    choice = choice or _CHOICE.get()
    if choice is not None and choice.header_row is not None:
        table = table_at(path, sheets, vocabulary, choice, headerless)
        if table.header_row and (missing := vocabulary.missing(table.index)):
            _refuse(path, sheets, table.sheet, table.header_row, list(table.header), missing)
        if not table.index:
            raise FileRejected(N_("{file}: a file of this kind needs a header row."), file=path.name, path=str(path))
        return table
    searched = [_chosen_sheet(path, sheets, choice)] if choice is not None and choice.sheet is not None else sheets
    chosen: tuple[int, Table] | None = None
    # the row a refusal names: most columns recognised, then most cells of words (a header, not data)
    closest: tuple[tuple[int, int], Sheet, int, list[str]] | None = None
    heads: list[list[list[str]]] = []
    for sheet in searched:
        head = list(islice(sheet.rows(), HEADER_SCAN_ROWS + 1))
        heads.append(head)
        for i, cells in enumerate(head):
            if not any(cells):
                continue
            candidates = _header_candidates(head, i, vocabulary)
            found = None
            for header, height in candidates:
                index = vocabulary.match(header)
                if not vocabulary.missing(index):
                    found = Table(path, sheet, i + 1, tuple(header), index, i + 1 + height)
                    break
                score = (len(index), sum(1 for c in header if c and not any(ch.isdigit() for ch in c)))
                if closest is None or score > closest[0]:
                    closest = (score, sheet, i + 1, list(header))
            if found is not None:
                order = rank(found.index) if rank else 0
                if chosen is None or order < chosen[0]:
                    chosen = (order, found)
                break
        if chosen is not None and rank is None:
            break
    if chosen is not None:
        return chosen[1]
    if headerless is not None and heads and (columns := headerless(heads[0])) is not None:
        return Table(path, searched[0], 0, (), columns, 1)
    if not any(any(cells) for head in heads for cells in head):
        raise FileRejected(N_("The file {path} is empty."), path=str(path), file=path.name, headers=[])
    assert closest is not None
    _count, sheet, row, cells = closest
    _refuse(path, sheets, sheet, row, cells, vocabulary.missing(vocabulary.match(cells)))


def _refuse(path: Path, sheets: Sequence[Sheet], sheet: Sheet, row: int, cells: list[str], missing: list[str]) -> NoReturn:
    """Refuse the file, naming the header row that came closest (or was chosen) and what it lacks."""
    found_cells = [c for c in cells if c]
    params = {
        "file": path.name,
        "path": str(path),
        "headers": found_cells,
        "columns": "; ".join(missing),
        "found": ", ".join(found_cells),
        "row": row,
        "sheet": sheet.name,
    }
    if len(sheets) > 1:
        raise FileRejected(
            N_("{file}: required column missing: {columns}. Headers found on sheet {sheet}, row {row}: {found}"), **params
        )
    raise FileRejected(N_("{file}: required column missing: {columns}. Headers found in row {row}: {found}"), **params)


def read_rows(path: Path) -> Iterator[list[str]]:
    """Raw rows of the first sheet of a file, every cell as text."""
    with open_sheets(path) as sheets:
        yield from sheets[0].rows()


def read_table(path: Path, fmt: FileFormat) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row_number, {canonical column: text})`` for each non-empty row below the header."""
    with open_sheets(path) as sheets:
        table = find_table(path, sheets, fmt)
        for number, cells in table.rows():
            if not any(cells):
                continue
            values = {name: (cells[i] if i < len(cells) else "") for name, i in table.index.items()}
            error = _cell_problem(values)
            yield number, (values if error is None else RefusedRow(values, error))


def open_import(
    path: Path, fmt: FileFormat, kind: str, date_columns: Sequence[str], date_order: str | None
) -> tuple[ImportReport, list[tuple[int, dict[str, str]]], FileDates]:
    """The opening of an import whose rows are all in hand before any is taken: its report, the
    file's rows (counted) and their dates, whose day/month order is decided once for the file
    (``date_order`` gives it when the file cannot tell). What was decided is the report's first note."""
    report = ImportReport(str(path), kind)
    rows = list(read_table(path, fmt))
    report.rows = len(rows)
    dates = FileDates(path.name, rows, date_columns, date_order)
    if note := dates.note():
        report.notes.append(note)
    return report, rows, dates


class RefusedRow(dict[str, str]):
    """A row the reader refused (a cell too long, a NUL byte): reading any field raises its error.

    Every importer reads a row's fields inside its per-row ``except ValidationError``, so the
    row is reported as a bad row naming the field and skipped, like any other bad value.
    """

    def __init__(self, values: Mapping[str, str], error: ValidationError) -> None:
        super().__init__(values)
        self.error = error

    def __getitem__(self, key: str) -> str:
        raise self.error

    def get(self, key: str, default: object = None) -> str:  # type: ignore[override]
        raise self.error


def cell_problem(name: str, text: str) -> ValidationError | None:
    """Why the reader refuses a cell (too long, a control character, undecodable bytes), if it does."""
    if len(text) <= MAX_CELL_CHARS and not SUSPECT.search(text):  # nearly every cell: one test
        return None
    if len(text) > MAX_CELL_CHARS:
        return ValidationError(
            N_("{field}: the cell is {n} characters long; at most {max}"), field=name, n=len(text), max=MAX_CELL_CHARS
        )
    if _CONTROL.search(text):
        return ValidationError(N_("{field}: the cell holds a control character (such as NUL)"), field=name)
    if "\ufffd" in text:
        return ValidationError(N_("{field}: the cell holds bytes that are not text in the file's encoding"), field=name)
    return None


def _cell_problem(values: Mapping[str, str]) -> ValidationError | None:
    for name, text in values.items():
        if (error := cell_problem(name, text)) is not None:
            return error
    return None


# --- value parsing: each raises ValidationError naming the field ------------------

def required(row: Mapping[str, str], name: str) -> str:
    value = row.get(name, "").strip()
    if not value:
        raise ValidationError(N_("{field} is empty"), field=name)
    return value


def parse_month(text: str, name: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})[-/.年](\d{1,2})月?\s*", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    raise ValidationError(N_("{field}: '{value}' is not a month (YYYY-MM)"), field=name, value=text)


def parse_decimal(text: str, name: str) -> Decimal:
    """A number exactly as written (``27.5``, ``27,5``, ``−2``), never rounded.

    NaN and infinity, numbers beyond ±``MAX_MAGNITUDE`` and more than ``MAX_DECIMALS``
    decimal places (``27.50000`` is 27.5 and fine) are bad values naming the field.
    """
    cleaned = text.strip().replace("\u2212", "-").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(N_("{field}: '{value}' is not a number"), field=name, value=text) from None
    if not value.is_finite():
        raise ValidationError(N_("{field}: '{value}' is not a number"), field=name, value=text)
    if value.copy_abs() > MAX_MAGNITUDE:  # exact: abs() could overflow the decimal context
        raise ValidationError(N_("{field}: {value} is too large"), field=name, value=text)
    _sign, digits, exponent = value.as_tuple()
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if isinstance(exponent, int) and any(digits) and -(exponent + trailing_zeros) > MAX_DECIMALS:
        raise ValidationError(
            N_("{field}: {value} has more than {n} decimal places"), field=name, value=text, n=MAX_DECIMALS
        )
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:  # only zeros beyond: drop them (exact)
        return value.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    return value


def parse_number(text: str, name: str, low: float | None = None, high: float | None = None) -> float:
    value = float(parse_decimal(text, name))
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(
            N_("{field}: {value} is outside {low}…{high}"), field=name, value=text, low=low, high=high
        )
    return value


def parse_choice(text: str, name: str, choices: Mapping[str, str] | Sequence[str]) -> str:
    """Match ``text`` case-insensitively against codes (or a {spelling: code} mapping)."""
    mapping = choices if isinstance(choices, Mapping) else {c: c for c in choices}
    folded = {k.lower(): v for k, v in mapping.items()}
    value = folded.get(text.strip().lower())
    if value is None:
        raise ValidationError(
            N_("{field}: '{value}' is not one of {choices}"),
            field=name,
            value=text,
            choices=", ".join(dict.fromkeys(mapping.values())),
        )
    return value
