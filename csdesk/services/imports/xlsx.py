"""The rows of an XLSX workbook's sheets, read quickly (issue #13: 100,000 punches in seconds).

openpyxl reads the workbook's parts (the sheets, shared strings, styles and date system); the
rows of a sheet are read here with ElementTree's C parser, each cell's value as openpyxl's
read-only mode with ``data_only=True`` gives it (a number with a date format as a datetime, a
formula as its cached value, a boolean, an error as its text). openpyxl itself builds objects
for every cell and, for a sheet without a ``<dimension>`` (streaming writers leave it out),
reads the whole sheet an extra time when the workbook opens only to size it: 100,000 punches
took it 20 s, which a supervisor should not wait for.

Unlike openpyxl, a ``<dimension>`` smaller than the sheet's data (some writers always say
``A1``) cuts no rows or cells off: rows are padded to its width, as openpyxl pads them, but
every row and cell of the sheet is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, iterparse

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN, _DIMENSION = (
    f"{_NS}{tag}" for tag in ("row", "c", "v", "is", "t", "r", "dimension")
)
_DIGITS = "0123456789"

Text = Callable[[object], str]


class Workbook:
    """An open workbook: its sheets' names and, for each, a fresh iterator of its rows as text."""

    def __init__(self, fh: IO[bytes]) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        reader = ExcelReader(fh, read_only=True, data_only=True)
        self._archive = reader.archive
        try:
            # what openpyxl's load_workbook reads before the worksheets, less what no cell's value needs
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            wb = reader.wb
            self._strings: list[str] = reader.shared_strings
            self._epoch = wb.epoch
            self._dates = frozenset(wb._date_formats)  # the style ids of cells formatted as dates
            self._durations = frozenset(wb._timedelta_formats)
            # every sheet openpyxl's read-only workbook lists under ``worksheets`` (no chart sheet)
            self.sheets = [
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except BaseException:
            self._archive.close()
            raise

    def close(self) -> None:
        self._archive.close()

    def rows(self, target: str, text: Text) -> Iterator[list[str]]:
        """The rows of the sheet stored at ``target``, from row 1, each cell's value through ``text``
        (a missing row as an empty row)."""
        width = 0  # the columns of the sheet's <dimension>: every row is padded to them
        expected = 1  # the number of the next row
        columns: dict[str, int] = {}  # column letters -> number
        with self._archive.open(target) as source:
            for _event, element in iterparse(source):
                tag = element.tag
                if tag == _ROW:
                    ref = element.get("r")
                    number = _row_number(ref) if ref else expected
                    if number < expected:  # a row numbered out of order: openpyxl skips it too
                        element.clear()
                        continue
                    while expected < number:
                        expected += 1
                        yield [""] * width
                    expected += 1
                    cells = self._cells(element, width, columns, text)
                    element.clear()
                    yield cells
                elif tag == _DIMENSION:
                    width = _width(element.get("ref") or "")

    def _cells(self, row: Element, width: int, columns: dict[str, int], text: Text) -> list[str]:
        strings = self._strings
        out: list[str] = []
        column = 0
        for cell in row:
            if cell.tag != _CELL:
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                column = columns.get(letters) or columns.setdefault(letters, _column(letters))
            else:
                column += 1
            kind = cell.get("t")
            value: Any
            if kind == "s":  # the usual cells first: a shared string, an inline string
                value = cell.findtext(_VALUE)
                value = strings[int(value)] if value else None
            elif kind == "inlineStr":
                node = cell.find(_INLINE)
                if node is None:
                    value = None
                elif len(node) == 1 and node[0].tag == _TEXT:
                    value = node[0].text or ""
                else:
                    value = _inline(node)
            else:
                value = cell.findtext(_VALUE) or None
                if value is not None:
                    value = self._value(kind, value, cell)
            if column > len(out):
                if column > len(out) + 1:
                    out.extend([""] * (column - 1 - len(out)))
                out.append(value.strip() if type(value) is str else text(value))
            else:  # a column named twice or out of order: the last one written wins, as in openpyxl
                out[column - 1] = value.strip() if type(value) is str else text(value)
        if width > len(out):
            out.extend([""] * (width - len(out)))
        return out

    def _value(self, kind: str | None, value: str, cell: Element) -> Any:
        """A cell's ``<v>`` as openpyxl's reader gives it (worksheet._reader.WorkSheetParser.parse_cell)."""
        if kind is None or kind == "n":
            number = float(value) if "." in value or "E" in value or "e" in value else int(value)
            style = cell.get("s")
            if style and int(style) in self._dates:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(number, self._epoch, timedelta=int(style) in self._durations)
                except (OverflowError, ValueError):  # a date format on a serial beyond any date
                    return "#VALUE!"
            return number
        if kind == "s":
            return self._strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error: #N/A)


def _inline(node: Element) -> str:
    """An inline string's text as openpyxl's ``Text.content``: its own ``<t>``, then its runs'."""
    plain = None
    runs = []
    for child in node:
        if child.tag == _TEXT:
            plain = child.text
        elif child.tag == _RUN:
            run = None
            for part in child:
                if part.tag == _TEXT:
                    run = part.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


def _row_number(ref: str) -> int:
    try:
        return int(ref)
    except ValueError:
        number = float(ref)
        if not number.is_integer():
            raise ValueError(f"{ref} is not a valid row number") from None
        return int(number)


def _column(letters: str) -> int:
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(letters)


def _width(ref: str) -> int:
    """The last column of a ``<dimension ref="A1:N100">``; 0 when it cannot be read."""
    from openpyxl.utils.cell import range_boundaries

    try:
        return range_boundaries(ref)[2] or 0
    except (TypeError, ValueError):
        return 0
