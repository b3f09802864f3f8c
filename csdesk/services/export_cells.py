"""Cells for CSV/XLSX exports, safe to open in a spreadsheet (OWASP "CSV injection").

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, WPS and LibreOffice as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``).
Every exporter writes its cells through :func:`neutralise`, which prefixes such text with
an apostrophe so it is shown as the text it is. Numbers, dates and other values are
returned unchanged: a number stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """``cell`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def neutralise_row(cells: Iterable[object]) -> list[object]:
    return [neutralise(c) for c in cells]


def xlsx_text(value: str) -> object:
    """A text cell of an XLSX export: neutralised (:func:`neutralise`), without the control
    characters openpyxl refuses to write (a NUL an import file held)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
