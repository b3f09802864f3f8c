"""Read import files (CSV in UTF-8/BOM/GBK/GB18030, or XLSX) into header-mapped rows.

Headers are matched case-insensitively in English or Chinese (interfaces.md).
A missing required column rejects the whole file; a bad value rejects only its
row, named by row number (the spreadsheet's, header = row 1) and field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import N_

MAX_CELL_CHARS = 4_000  # (chosen) longest cell an import reads; the longest real value is a note
MAX_DECIMALS = 4  # (chosen) decimal places a number may have: scores are halves, money is fen
MAX_MAGNITUDE = Decimal(10) ** 9  # (chosen) largest absolute number an import accepts
# Control characters a cell may not hold (tab, newline and carriage return are allowed):
# NUL and friends cannot be stored in PostgreSQL text or written to XLSX.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    """A column of an import format: its canonical name and the header aliases accepted."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class FileFormat:
    kind: str
    columns: tuple[Column, ...]

    def lookup(self) -> dict[str, str]:
        out = {}
        for col in self.columns:
            for alias in (col.name, *col.aliases):
                out[_norm_header(alias)] = col.name
        return out


@dataclass(frozen=True)
class RowProblem:
    """One rejected row: where, which field, and the message (already translated)."""

    row: int
    field: str
    message: str


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

    @property
    def exit_code(self) -> int:
        return 3 if self.problems else 0

    def reject(self, row: int, error: ValidationError | CsdeskError, fallback_field: str = "") -> None:
        name = getattr(error, "field", "") or fallback_field
        self.problems.append(RowProblem(row, name, error.message()))

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "kind": self.kind,
            "rows": self.rows,
            "written": self.written,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": len(self.problems),
            "errors": [{"row": p.row, "field": p.field, "message": p.message} for p in self.problems],
            "notes": self.notes,
            "cancelled": self.cancelled,
        }


class FileRejected(CsdeskError):
    """The file as a whole cannot be imported (exit 1, nothing written)."""


def _norm_header(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.strip().lower().lstrip("\ufeff"))


def decode_bytes(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK), then a guess."""
    if raw.startswith(b"\xef\xbb\xbf"):
        # A damaged byte becomes U+FFFD, which makes its row a bad row (read_table), not the file.
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 text with a few damaged bytes stays UTF-8 (decoding it as GB18030 would garble every
    # good row silently); GBK text hardly ever holds a valid UTF-8 sequence.
    text = raw.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    if sum(1 for ch in text if ord(ch) > 127) - damaged > damaged:
        return text
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise FileRejected(N_("The file's text encoding is not recognised (expected UTF-8 or GBK)."))
    return str(best)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if (value.hour or value.minute or value.second) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> Iterator[list[str]]:
    """Raw rows of a CSV or XLSX file, every cell as text."""
    if not path.is_file():
        raise FileRejected(N_("File not found: {path}"), path=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise FileRejected(N_("Cannot read the spreadsheet {path}: {error}"), path=str(path), error=str(exc)) from exc
        try:
            sheet = wb.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield [_cell_text(v) for v in values]
        finally:
            wb.close()
        return
    text = decode_bytes(path.read_bytes())
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # The csv module refuses a field over its limit (131,072 characters) with an error that would
    # end the whole import; read any length and let read_table refuse the one row (MAX_CELL_CHARS).
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(min(len(text) + 1, 2**31 - 1))  # a C long on every platform
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRejected(
                N_("Cannot read the CSV file {path} at line {line}: {error}"),
                path=str(path), line=reader.line_num, error=str(exc),
            ) from exc
        yield [cell.strip() for cell in row]


def read_table(path: Path, fmt: FileFormat) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row_number, {canonical column: text})`` for each non-empty data row."""
    rows = read_rows(path)
    header = next(rows, None)
    if header is None:
        raise FileRejected(N_("The file {path} is empty."), path=str(path))
    lookup = fmt.lookup()
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = lookup.get(_norm_header(cell))
        if name and name not in index:
            index[name] = i
    missing = [c.name for c in fmt.columns if c.required and c.name not in index]
    if missing:
        raise FileRejected(
            N_("Required column missing: {columns}"),
            columns=", ".join(missing),
        )
    for number, row in enumerate(rows, start=2):
        if not any(cell for cell in row):
            continue
        values = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
        error = _cell_problem(values)
        yield number, (values if error is None else RefusedRow(values, error))


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


def _cell_problem(values: Mapping[str, str]) -> ValidationError | None:
    for name, text in values.items():
        if len(text) > MAX_CELL_CHARS:
            return ValidationError(
                N_("{field}: the cell is {n} characters long; at most {max}"), field=name, n=len(text), max=MAX_CELL_CHARS
            )
        if _CONTROL.search(text):
            return ValidationError(N_("{field}: the cell holds a control character (such as NUL)"), field=name)
        if "\ufffd" in text:
            return ValidationError(N_("{field}: the cell holds bytes that are not text in the file's encoding"), field=name)
    return None


# --- value parsing: each raises ValidationError naming the field ------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*")


def required(row: Mapping[str, str], name: str) -> str:
    value = row.get(name, "").strip()
    if not value:
        raise ValidationError(N_("{field} is empty"), field=name)
    return value


def parse_date(text: str, name: str) -> date:
    value = text.strip()
    m = _CN_DATE.match(value)
    if m:
        value = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(N_("{field}: '{value}' is not a date (YYYY-MM-DD)"), field=name, value=text)


def parse_datetime(text: str, name: str) -> datetime:
    value = re.sub(r"\s+", " ", text.strip())
    m = _CN_DATE.match(value)
    if m:
        value = f"{m.group(1)}-{m.group(2)}-{m.group(3)} {value[m.end():]}".strip()
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValidationError(N_("{field}: '{value}' is not a date and time (YYYY-MM-DD HH:MM)"), field=name, value=text)


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
