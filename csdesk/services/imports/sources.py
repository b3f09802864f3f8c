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
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from csdesk.i18n import N_
from csdesk.records import record
from csdesk.services.imports.refusal import FileRejected
from csdesk.services.imports.xlsx import Workbook

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of a legacy .xls (and .doc)
_DELIMITERS = ("\t", ";", ",", "|")
_SNIFF_LINES = 50  # (chosen) lines read to choose the delimiter: past any title rows
# (chosen) bytes of a text file the import wizard's preview reads: its header search reads 31
# rows and it shows 20 below the header; rows of 4 MiB / 51 = 80 KB each still fit
START_BYTES = 4 << 20
_LINES_CHUNK = 1 << 16  # (chosen) characters of a text file handed to the CSV reader at a time


@record
class Sheet:
    """One sheet of a file (a text file has one, named ""): a fresh iterator of its rows on each call.

    ``raw``, where it is quicker (a text file), gives the same rows with their cells as written, not
    stripped: for a reader that strips only the cells it reads (the punch import's million rows)."""

    name: str
    rows: Callable[[], Iterator[list[str]]]
    raw: Callable[[], Iterator[list[str]]] | None = None


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
def open_sheets(path: Path, *, start_only: bool = False) -> Iterator[list[Sheet]]:
    """The sheets of ``path``; a workbook stays open until the ``with`` block ends.

    With ``start_only`` (the import wizard's preview) a text file is read only as far as
    ``START_BYTES``, its last partial line dropped: a workbook's rows are read as they are asked
    for anyway, so only text files are read whole before their first row is given."""
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
    text = _file_start(path) if start_only else decode_bytes(path.read_bytes())
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
    yield [_text_sheet(path, text)]


@contextmanager
def _workbook(path: Path) -> Iterator[list[Sheet]]:
    fh = path.open("rb")  # a file object: openpyxl would refuse a workbook named .xls or .csv
    try:
        try:
            book = Workbook(fh)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise FileRejected(
                N_("Cannot read the spreadsheet {path}: {error}"), path=str(path), file=path.name, error=str(exc)
            ) from exc
        try:
            yield [Sheet(name, _worksheet_rows(path, book, target)) for name, target in book.sheets]
        finally:
            book.close()
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


def _worksheet_rows(path: Path, book: Workbook, target: str) -> Callable[[], Iterator[list[str]]]:
    def rows() -> Iterator[list[str]]:
        try:
            yield from book.rows(target, cell_text)
        except (ParseError, BadZipFile, zlib.error, EOFError) as exc:  # damaged past its first rows
            raise FileRejected(
                N_("Cannot read the spreadsheet {path}: {error}"), path=str(path), file=path.name, error=str(exc)
            ) from exc

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


def _file_start(path: Path) -> str:
    """The first ``START_BYTES`` of a text file as text, without its last partial line."""
    with path.open("rb") as fh:
        raw = fh.read(START_BYTES + 1)
    if len(raw) <= START_BYTES:
        return decode_bytes(raw)
    raw = raw[:START_BYTES]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16le(raw):
        raw = raw[: len(raw) - len(raw) % 2]
    else:  # a newline byte is never part of a UTF-8 or GB18030 character: no character is cut
        raw = raw[: raw.rfind(b"\n") + 1] or raw
    text = decode_bytes(raw)
    end = max(text.rfind("\n"), text.rfind("\r"))
    return text[: end + 1] if end >= 0 else text


def _chunks(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``_LINES_CHUNK`` characters, each cut after a newline, which
    keeps every line, and each ``\r\n``, whole: a million-row file is 100 MB and more, which
    ``io.StringIO`` would copy whole before giving its first line."""
    start, size = 0, len(text)
    while start < size:
        end = text.rfind("\n", start, start + _LINES_CHUNK) + 1
        if end <= start:  # no newline in the piece: one long line (or lines ended by \r alone)
            end = text.find("\n", start + _LINES_CHUNK) + 1 or size
        yield text[start:end]
        start = end


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ``io.StringIO(text, newline="")`` gives them (each ended by
    ``\n``, ``\r\n`` or ``\r``), for the CSV reader."""
    for chunk in _chunks(text):
        yield from io.StringIO(chunk, newline="")


def _unquoted_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    """The rows of CSV text with no quote character in it, as the CSV reader gives them, quicker:
    every line is its cells between delimiters, an empty line no cells."""
    for chunk in _chunks(text):
        if "\r" in chunk and chunk.count("\r") != chunk.count("\r\n"):  # a line ended by \r alone
            lines = [line.rstrip("\r\n") for line in io.StringIO(chunk, newline="")]
        else:
            lines = chunk.replace("\r\n", "\n").split("\n") if "\r" in chunk else chunk.split("\n")
            if not lines[-1]:  # what follows the piece's last newline
                lines.pop()
        yield from [line.split(delimiter) if line else [] for line in lines]


def _text_sheet(path: Path, text: str) -> Sheet:
    delimiter = _delimiter(text)
    # The csv module refuses a field over its limit (131,072 characters) with an error that would
    # end the whole import; read any length and let the reader refuse the one row (MAX_CELL_CHARS).
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(min(len(text) + 1, 2**31 - 1))  # a C long on every platform

    def raw() -> Iterator[list[str]]:
        if '"' not in text:  # nothing quoted
            yield from _unquoted_rows(text, delimiter)
            return
        reader = csv.reader(_lines(text), delimiter=delimiter)
        try:
            yield from reader
        except csv.Error as exc:
            raise FileRejected(
                N_("Cannot read the CSV file {path} at line {line}: {error}"),
                path=str(path), file=path.name, line=reader.line_num, error=str(exc),
            ) from exc

    def rows() -> Iterator[list[str]]:
        strip = str.strip
        for cells in raw():
            yield list(map(strip, cells))

    return Sheet("", rows, raw)


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
