"""Import files as sheets of text rows, whatever they are inside (issue #13).

Recognised by their content, not their name: XLSX workbooks and legacy binary Excel 97–2003
``.xls`` workbooks (every sheet; an .xls reads as the same workbook saved as .xlsx), CSV and
tab-separated text in UTF-8 (with or without BOM), UTF-16 (with BOM, as ZKTeco's ``AGL_*.TXT``)
or GBK/GB18030, and the "Excel" files some attendance programs write as an HTML table. A
password-protected or damaged workbook is refused with what to do about it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from csdesk.i18n import N_
from csdesk.services.imports.refusal import FileRejected

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of a legacy .xls (and .doc)
_DELIMITERS = ("\t", ";", ",", "|")
_SNIFF_LINES = 50  # (chosen) lines read to choose the delimiter: past any title rows


@dataclass(frozen=True)
class Sheet:
    """One sheet of a file (a text file has one, named ""): a fresh iterator of its rows on each call."""

    name: str
    rows: Callable[[], Iterator[list[str]]]


def decode_bytes(raw: bytes) -> str:
    """UTF-16 with a BOM, UTF-8 (with or without BOM), then GB18030 (a superset of GBK), then a guess."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        # A damaged byte becomes U+FFFD, which makes its row a bad row (read_table), not the file.
        return raw[3:].decode("utf-8", errors="replace")
    if _looks_utf16le(raw):
        return raw.decode("utf-16-le", errors="replace")
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


def _looks_utf16le(raw: bytes) -> bool:
    """UTF-16 without its BOM: mostly Latin text, so nearly every second byte is NUL."""
    sample = raw[:2000]
    if len(sample) < 16 or len(sample) % 2:
        return False
    odd = sample[1::2]
    return odd.count(0) >= 0.9 * len(odd) and sample[0::2].count(0) <= 0.1 * len(odd)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text an import reads (dates ISO; times to the nearest second)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.microsecond >= 500_000:  # a serial number's rounding error: 08:54:59.999999
            value = value + timedelta(microseconds=1_000_000 - value.microsecond)
        value = value.replace(microsecond=0)
        return value.strftime("%Y-%m-%d %H:%M:%S" if (value.hour or value.minute or value.second) else "%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@contextmanager
def open_sheets(path: Path) -> Iterator[list[Sheet]]:
    """The sheets of ``path``; a workbook stays open until the ``with`` block ends."""
    if not path.is_file():
        raise FileRejected(N_("File not found: {path}"), path=str(path))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE2):
        yield _legacy_workbook(path)
        return
    if head.startswith(_ZIP) or path.suffix.lower() in (".xlsx", ".xlsm"):
        with _workbook(path) as sheets:
            yield sheets
        return
    text = decode_bytes(path.read_bytes())
    start = text.lstrip()[:2000].lower()
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        raise FileRejected(
            N_(
                "{file} is an Excel 2003 XML spreadsheet, which csdesk cannot read. Open it in Excel or WPS, "
                "save it as an Excel workbook (.xlsx) and import that file."
            ),
            file=path.name, path=str(path),
        )
    if start.startswith("<") and "<table" in text[:200_000].lower():
        yield [Sheet(str(i + 1), _listed(rows)) for i, rows in enumerate(_html_tables(text))]
        return
    yield [Sheet("", _text_rows(path, text))]


@contextmanager
def _workbook(path: Path) -> Iterator[list[Sheet]]:
    from openpyxl import load_workbook

    fh = path.open("rb")  # a file object: openpyxl would refuse a workbook named .xls or .csv
    try:
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise FileRejected(
                N_("Cannot read the spreadsheet {path}: {error}"), path=str(path), file=path.name, error=str(exc)
            ) from exc
        try:
            yield [Sheet(ws.title, _worksheet_rows(ws)) for ws in wb.worksheets]
        finally:
            wb.close()
    finally:
        fh.close()


def _legacy_workbook(path: Path) -> list[Sheet]:
    """Every sheet of an Excel 97–2003 workbook, read whole: a damaged one is refused here, not midway."""
    import xlrd

    raw = path.read_bytes()
    try:
        # PHPExcel (behind many web HR systems) writes a compound file that Excel opens but xlrd's
        # strict check calls corrupt ("Workbook corruption: seen[2] == 4"); other damage is still
        # refused. xlrd logs to stdout unless given a log file.
        book = xlrd.open_workbook(file_contents=raw, logfile=io.StringIO(), ignore_workbook_corruption=True)
    except Exception as exc:  # xlrd raises many types for a damaged file
        if _encrypted(raw, exc):
            raise FileRejected(
                N_(
                    "{file} is protected with a password, which csdesk cannot open. Open it in Excel or WPS, "
                    "save a copy without the password and import that copy."
                ),
                file=path.name, path=str(path),
            ) from exc
        raise FileRejected(
            N_(
                "Cannot read the old Excel workbook (.xls) {file}: {error}. The file may be damaged: "
                "if Excel or WPS opens it, save it as an Excel workbook (.xlsx) and import that file."
            ),
            file=path.name, path=str(path), error=str(exc),
        ) from exc
    return [Sheet(sheet.name, _legacy_sheet_rows(sheet, book.datemode)) for sheet in book.sheets()]


def _encrypted(raw: bytes, error: Exception) -> bool:
    """An .xls with a password (xlrd stops at its FILEPASS record), or a compound file holding the
    ``EncryptedPackage`` of a password-protected .xlsx."""
    from xlrd.compdoc import CompDoc

    if "encrypted" in str(error):
        return True
    try:
        return any(entry.name == "EncryptedPackage" for entry in CompDoc(raw, logfile=io.StringIO()).dirlist)
    except Exception:  # noqa: BLE001 - a compound file too damaged to list its streams is refused as damaged
        return False


def _legacy_sheet_rows(sheet: Any, datemode: int) -> Callable[[], Iterator[list[str]]]:
    """The rows of an xlrd sheet, each cell as openpyxl gives the same cell of an .xlsx: a date as a
    datetime (a time of day alone as a time), a boolean as a bool, an error as its text (``#N/A``,
    not xlrd's error code, which would read as a number)."""
    from xlrd import XL_CELL_BOOLEAN, XL_CELL_DATE, XL_CELL_ERROR, error_text_from_code
    from xlrd.xldate import xldate_as_datetime

    def value(cell: Any) -> object:
        if cell.ctype == XL_CELL_DATE:
            try:
                moment = xldate_as_datetime(cell.value, datemode)
            except (OverflowError, ValueError):  # a date format on a number past year 9999
                return cell.value
            return moment.time() if 0 <= cell.value < 1 else moment
        if cell.ctype == XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == XL_CELL_ERROR:
            return error_text_from_code.get(cell.value, "#VALUE!")
        return cell.value

    def rows() -> Iterator[list[str]]:
        for r in range(sheet.nrows):
            yield [cell_text(value(cell)) for cell in sheet.row(r)]

    return rows


def _worksheet_rows(ws: Any) -> Callable[[], Iterator[list[str]]]:
    def rows() -> Iterator[list[str]]:
        for values in ws.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]

    return rows


def _listed(rows: list[list[str]]) -> Callable[[], Iterator[list[str]]]:
    return lambda: iter(rows)


def _delimiter(text: str) -> str:
    """The delimiter found the same number of times on the most lines (title rows have none)."""
    lines = [line for line in text[:200_000].splitlines()[: _SNIFF_LINES * 2] if line.strip()][:_SNIFF_LINES]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        present = [c for c in counts if c]
        if not present:
            continue
        usual = max(set(present), key=present.count)
        score = sum(1 for c in counts if c == usual)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_rows(path: Path, text: str) -> Callable[[], Iterator[list[str]]]:
    delimiter = _delimiter(text)
    # The csv module refuses a field over its limit (131,072 characters) with an error that would
    # end the whole import; read any length and let the reader refuse the one row (MAX_CELL_CHARS).
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(min(len(text) + 1, 2**31 - 1))  # a C long on every platform

    def rows() -> Iterator[list[str]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRejected(
                    N_("Cannot read the CSV file {path} at line {line}: {error}"),
                    path=str(path), file=path.name, line=reader.line_num, error=str(exc),
                ) from exc
            yield [cell.strip() for cell in cells]

    return rows


class _TableParser(HTMLParser):
    """The cells of every ``<table>`` of an HTML page, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._span = 1
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth == 1:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_tables(text: str) -> list[list[list[str]]]:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return [rows for rows in parser.tables if rows] or [[]]
