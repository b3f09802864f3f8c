"""Shared ReportLab pieces: the embedded font, named styles, page template, signature lines.

Every csdesk PDF embeds WenQuanYi Micro Hei (one TrueType font covering Chinese and
Latin, shared/notes/stack.md §4), so it prints the same on any PC. Fonts are
registered lazily, once. Reports are pure renderers: they receive a frozen
input the service computed and never query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from csdesk.i18n import _, format_datetime
from csdesk.resources import font_path

FONT = "CSDesk-WQY"
PAGE = A4
MARGIN = 16 * mm
GRID = colors.HexColor("#9aa3ad")
SHADE = colors.HexColor("#eef1f4")


@cache
def register_fonts() -> str:
    """Register the bundled font with ReportLab (once) and return its name."""
    pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


@cache
def stylesheet() -> StyleSheet1:
    """The named styles every csdesk document uses."""
    font = register_fonts()
    sheet = StyleSheet1()
    sheet.add(ParagraphStyle("Body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK"))
    sheet.add(ParagraphStyle("Title", parent=sheet["Body"], fontSize=16, leading=21, alignment=TA_CENTER, spaceAfter=4))
    sheet.add(ParagraphStyle("Subtitle", parent=sheet["Body"], fontSize=10, leading=14, alignment=TA_CENTER, textColor=colors.HexColor("#444444"), spaceAfter=8))
    sheet.add(ParagraphStyle("H2", parent=sheet["Body"], fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4))
    sheet.add(ParagraphStyle("Small", parent=sheet["Body"], fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")))
    sheet.add(ParagraphStyle("Cell", parent=sheet["Body"], fontSize=9, leading=11.5))
    sheet.add(ParagraphStyle("CellRight", parent=sheet["Cell"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("CellCenter", parent=sheet["Cell"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontSize=9.5, leading=12, textColor=colors.black))
    return sheet


def escape(text: object) -> str:
    """User text made safe for Paragraph markup (``<``, ``>``, ``&``), newlines kept."""
    return _xml_escape("" if text is None else str(text)).replace("\n", "<br/>")


def para(text: object, style: str = "Cell", markup: bool = False) -> Paragraph:
    """A paragraph of user text (escaped) or, with ``markup=True``, of trusted markup."""
    return Paragraph(str(text) if markup else escape(text), stylesheet()[style])


def grid_table(rows: Sequence[Sequence[Any]], widths: Sequence[float] | None = None, header_rows: int = 1, zebra: bool = False) -> Table:
    """A ruled table; header rows shaded and repeated on every page."""
    table = Table([list(r) for r in rows], colWidths=widths, repeatRows=header_rows)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    if zebra:
        for r in range(header_rows + 1, len(rows), 2):
            style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f8f9fa")))
    table.setStyle(TableStyle(style))
    return table


def field_table(pairs: Sequence[tuple[str, object]], columns: int = 2) -> Table:
    """Label/value pairs laid out in ``columns`` pairs per row (form headers)."""
    cells: list[list[Any]] = []
    row: list[Any] = []
    for label, value in pairs:
        row += [para(label, "Small"), para(value, "CellBold")]
        if len(row) == columns * 2:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (columns * 2 - len(row)))
    width = (PAGE[0] - 2 * MARGIN) / columns
    table = Table(cells, colWidths=[width * 0.32, width * 0.68] * columns)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                *[("BACKGROUND", (2 * c, 0), (2 * c, -1), SHADE) for c in range(columns)],
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def signature_lines(labels: Sequence[str]) -> Table:
    """One block per signer: name of the role, a line to sign on and a line for the date."""
    sign = _("Signature")
    date = _("Date")
    cells = [[para(label, "CellBold") for label in labels], [para(f"{sign}: ________________", "Body") for _l in labels], [para(f"{date}: ____________", "Body") for _l in labels]]
    width = (PAGE[0] - 2 * MARGIN) / max(1, len(labels))
    table = Table(cells, colWidths=[width] * len(labels), rowHeights=[16, 30, 22])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts()), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return table


def comments_box(label: str, height: float = 28 * mm) -> Table:
    table = Table([[para(label, "Small")], [""]], colWidths=[PAGE[0] - 2 * MARGIN], rowHeights=[14, height])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts()), ("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


class _Decorator:
    """Header line, page number and print date on every page."""

    def __init__(self, header: str, printed_at: datetime) -> None:
        self.header = header
        self.printed = format_datetime(printed_at, "short")

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        font = register_fonts()
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, PAGE[1] - 10 * mm, self.header)
        canvas.drawRightString(PAGE[0] - MARGIN, 9 * mm, _("Page {page}").format(page=doc.page))
        canvas.drawString(MARGIN, 9 * mm, _("Printed {when}").format(when=self.printed))
        canvas.restoreState()


def build_pdf(
    out: Path | BinaryIO,
    story: Sequence[Flowable],
    *,
    title: str,
    header: str,
    printed_at: datetime,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Lay out ``story`` on A4 with the csdesk page decoration and embedded font."""
    register_fonts()
    target = str(out) if isinstance(out, Path) else out
    doc = BaseDocTemplate(
        target,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 2 * mm,
        bottomMargin=MARGIN,
        title=title,
        author="csdesk",
        creator="csdesk",
        initialFontName=FONT,  # else every page's preamble selects (and lists) Helvetica
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_Decorator(header, printed_at))])
    doc.build(list(story))
