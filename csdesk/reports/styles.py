"""Shared ReportLab pieces: the embedded font, named styles, page template, signature lines.

Every csdesk PDF embeds WenQuanYi Micro Hei (one TrueType font covering Chinese and
Latin, shared/notes/stack.md §4), so it prints the same on any PC. Fonts are
registered lazily, once. Reports are pure renderers: they receive a frozen
input the service computed and never query.

Text wraps by the document's language: Chinese by character (ReportLab's CJK rule), Latin
languages at spaces only, so a word or a number never breaks inside. Columns that hold codes,
numbers and dates are sized to their content (:func:`fit_widths`) and never wrap.

The PDF names no font but the embedded one (strict PDF checks reject even an unused, not
embedded Helvetica): every table and the canvas start in it. User text goes through
:func:`printable`: a character the font lacks (an emoji) prints as :func:`placeholder`, not as
a gap, and each document logs once which characters it replaced.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from csdesk.records import record
from csdesk.reports import glyph_notices
from csdesk.i18n import _, current_language, format_datetime, normalize_language
from csdesk.resources import font_path

FONT = "CSDesk-WQY"
PAGE = A4
MARGIN = 16 * mm
GRID = colors.HexColor("#9aa3ad")
SHADE = colors.HexColor("#eef1f4")
CELL_PADDING = 12  # a Table cell's left + right padding (ReportLab's default 6 + 6)
_SLACK = 2  # points: a Paragraph needs a hair more than the measured width to keep a word whole

# Characters a CJK line may break after (one "word" each); the rest breaks at spaces only.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")

log = logging.getLogger("csdesk.reports")


@cache
def register_fonts() -> str:
    """Register the bundled font with ReportLab (once) and return its name."""
    pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


# --- characters the font lacks -------------------------------------------------------------

# What prints in place of a character the font lacks, the first one the font has: the
# replacement character (not the box, which the call sheet and birthday list tick).
_PLACEHOLDERS = ("\ufffd", "\u25a1", "?")
# One printed character: a flag (two regional indicators), or a character with the marks,
# variation selectors, skin tones and tags that modify it and the characters joined to it by a
# zero-width joiner (an emoji family is one placeholder, not five).
_CLUSTER = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"
    "|.(?:[\u0300-\u036f\u20d0-\u20ff\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]|\u200d.)*",
    re.DOTALL,
)
# Characters that draw nothing need no glyph: spaces, controls, format marks (the categories)
# and variation selectors.
_INVISIBLE = ("Zs", "Zl", "Zp", "Cc", "Cf")
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)
# The characters replaced since the last document was reported (:func:`missing_glyphs_reported`).
_MISSING: ContextVar[dict[str, None] | None] = ContextVar("csdesk_missing_glyphs", default=None)


@cache
def _glyphs() -> frozenset[int]:
    """The code points the embedded font draws (its character map)."""
    face = pdfmetrics.getFont(register_fonts()).face
    return frozenset(face.charToGlyph)


@cache
def placeholder() -> str:
    """What a character the font lacks prints as."""
    return next(c for c in _PLACEHOLDERS if ord(c) in _glyphs())


def _lacks(cluster: str, glyphs: frozenset[int]) -> bool:
    return any(
        ord(c) not in glyphs and ord(c) not in _VARIATION_SELECTORS and unicodedata.category(c) not in _INVISIBLE
        for c in cluster
    )


# Spaces a formatter may write (Babel's narrow no-break space in "2:33 AM", thin and wide
# spaces): one the font lacks prints as the no-break space, never as a blank em square.
_SPACES = (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)


@cache
def _space_map() -> dict[int, str]:
    glyphs = _glyphs()
    return {c: "\u00a0" for c in _SPACES if c not in glyphs}


@lru_cache(maxsize=8192)  # names and labels come back on every sheet of a batch
def _printable(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with every character the font lacks as the placeholder (a space it lacks as the
    no-break space), and those characters."""
    glyphs = _glyphs()
    text = text.translate(_space_map())
    if all(ord(c) in glyphs for c in text):
        return text, ()
    missing: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if not _lacks(match.group(), glyphs):
            return match.group()
        missing.append(match.group())
        return placeholder()

    return _CLUSTER.sub(swap, text), tuple(missing)


def printable(text: object) -> str:
    """User text as the embedded font prints it: each character it lacks (an emoji, a rare
    symbol) as :func:`placeholder` instead of a silent gap, noted for the document's warning."""
    shown, missing = _printable("" if text is None else str(text))
    if missing:
        noted = _MISSING.get()
        if noted is None:
            noted = {}
            _MISSING.set(noted)
        noted.update(dict.fromkeys(missing))
    return shown


@contextmanager
def missing_glyphs_reported(document: str) -> Iterator[None]:
    """Around the build of ``document``: the characters :func:`printable` replaced for it (as
    its story was made, before, and as it is laid out) are told to whoever printed
    (csdesk.reports.glyph_notices) and logged once when it is done; a failed build forgets them."""
    try:
        yield
    finally:
        missing = tuple(_MISSING.get() or ())
        _MISSING.set(None)
    if missing:
        names = ", ".join(f"{c} ({' '.join(f'U+{ord(ch):04X}' for ch in c)})" for c in missing)
        told = glyph_notices.tell(glyph_notices.MissingGlyphs(document, names, placeholder()))
        level = logging.INFO if told else logging.WARNING  # told: the person has read it already
        log.log(level, "%s: the font has no glyph for %s; printed as %s", document, names, placeholder())


def wraps_by_character(lang: str | None = None) -> bool:
    """Chinese wraps by character (CJK rule); Spanish and English at spaces only."""
    return normalize_language(lang or current_language()).startswith("zh")


def stylesheet(lang: str | None = None) -> StyleSheet1:
    """The named styles every csdesk document uses, wrapping as ``lang`` (default: the current
    language) writes."""
    return _stylesheet(wraps_by_character(lang))


@cache
def _stylesheet(cjk: bool) -> StyleSheet1:
    font = register_fonts()
    sheet = StyleSheet1()
    # wordWrap None: break at spaces only (a Latin word never splits unless it is wider than
    # the whole column, which fit_widths prevents for the documents' own labels).
    sheet.add(ParagraphStyle("Body", fontName=font, bulletFontName=font, fontSize=9.5, leading=13, wordWrap="CJK" if cjk else None))
    sheet.add(ParagraphStyle("Title", parent=sheet["Body"], fontSize=16, leading=21, alignment=TA_CENTER, spaceAfter=4))
    sheet.add(ParagraphStyle("Subtitle", parent=sheet["Body"], fontSize=10, leading=14, alignment=TA_CENTER, textColor=colors.HexColor("#444444"), spaceAfter=8))
    sheet.add(ParagraphStyle("H2", parent=sheet["Body"], fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4))
    sheet.add(ParagraphStyle("Small", parent=sheet["Body"], fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")))
    sheet.add(ParagraphStyle("Cell", parent=sheet["Body"], fontSize=9, leading=11.5))
    sheet.add(ParagraphStyle("CellRight", parent=sheet["Cell"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("CellCenter", parent=sheet["Cell"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontSize=9.5, leading=12, textColor=colors.black))
    # Condensed cells (a long event list that must stay on the sheet's page).
    sheet.add(ParagraphStyle("Tight", parent=sheet["Cell"], fontSize=7.5, leading=9))
    sheet.add(ParagraphStyle("TightRight", parent=sheet["Tight"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("TightBold", parent=sheet["Tight"], fontSize=8, leading=9.5, textColor=colors.black))
    sheet.add(ParagraphStyle("H2Tight", parent=sheet["H2"], fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=2))
    # Compact cells: the smallest type a sheet is set in (15 events with notes on its one page).
    sheet.add(ParagraphStyle("Compact", parent=sheet["Cell"], fontSize=7, leading=8.2))
    sheet.add(ParagraphStyle("CompactBold", parent=sheet["Compact"], fontSize=7.5, leading=8.8, textColor=colors.black))
    return sheet


def escape(text: object) -> str:
    """User text made safe for Paragraph markup (``<``, ``>``, ``&``) and :func:`printable`,
    newlines kept."""
    return _xml_escape(printable(text)).replace("\n", "<br/>")


def para(text: object, style: str = "Cell", markup: bool = False, *, lang: str | None = None) -> Paragraph:
    """A paragraph of user text (escaped) or, with ``markup=True``, of trusted markup, wrapping
    as the document's language ``lang`` (default: the current language) does. Inside
    :func:`shared_paragraphs`, one that came before with the same text and style is not parsed
    nor broken into lines again."""
    shared = _SHARED.get()
    source, chosen = str(text) if markup else escape(text), stylesheet(lang)[style]
    return Paragraph(source, chosen) if shared is None else shared.paragraph(source, chosen)


# --- paragraphs that repeat: parsed and broken into lines once -------------------------------

# Attributes Paragraph.wrap sets (besides any other it adds or replaces, such as ``frags``).
_WRAP_STATE = frozenset(
    {"width", "height", "_wrapWidths", "blPara", "frags", "_width_max", "_splitLongWordCount", "_hyphenations"}
)
_ABSENT = object()


class _SharedParagraph(Paragraph):
    """A Paragraph that shares its parse and its line breaks with the others of the same text
    and style in a :func:`shared_paragraphs` block: a batch's labels, headings and recurring
    values repeat on every page, and ReportLab would parse each copy's markup and break its
    lines again (twice for a table cell: to size the row, then to draw it).

    ``wrap`` depends only on the fragments, the style and the width, so a layout made for a
    width is taken as it is; drawing only reads the fragments and lines. Splitting may change
    the lines it splits, so a copy that must split does it on a paragraph of its own."""

    # (id of the fragments laid out, width) -> (size, what wrap set, those fragments: kept alive
    # with their entry, so that no other fragments get their id while the entry is used).
    _layouts: dict[tuple[int, float], tuple[tuple[float, float], dict[str, Any], object]] | None = None
    _source = ""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's)
        layouts = self._layouts
        if layouts is None:
            return super().wrap(availWidth, availHeight)
        frags = self.frags
        key = (id(frags), availWidth)
        found = layouts.get(key)
        if found is not None:
            self.__dict__.update(found[1])
            return found[0]
        before = dict(self.__dict__)
        size = super().wrap(availWidth, availHeight)
        made = {k: v for k, v in self.__dict__.items() if k in _WRAP_STATE or before.get(k, _ABSENT) is not v}
        made.pop("canv", None)  # wrapOn's, not the layout's
        layouts[key] = size, made, frags
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self._layouts is None:
            return super().split(availWidth, availHeight)
        return Paragraph(self._source, self.style).split(availWidth, availHeight)


class _SharedParagraphs:
    """The paragraphs of one :func:`shared_paragraphs` block, as first parsed, by text and style."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, ParagraphStyle], dict[str, Any]] = {}

    def paragraph(self, text: str, style: ParagraphStyle) -> Paragraph:
        parsed = self._parsed.get((text, style))
        if parsed is None:
            made = _SharedParagraph(text, style)
            made._layouts, made._source = {}, text
            self._parsed[(text, style)] = dict(made.__dict__)  # before any layout
            return made
        copy = _SharedParagraph.__new__(_SharedParagraph)
        copy.__dict__.update(parsed)
        return copy


_SHARED: ContextVar[_SharedParagraphs | None] = ContextVar("csdesk_shared_paragraphs", default=None)


@contextmanager
def shared_paragraphs() -> Iterator[None]:
    """Around the making and the build of a document whose pages repeat the same texts (a batch
    of sheets): :func:`para` parses a text in a style and breaks it into lines for a width once."""
    token = _SHARED.set(_SharedParagraphs())
    try:
        yield
    finally:
        _SHARED.reset(token)


# --- measuring: columns as wide as their content needs ---------------------------------------


@lru_cache(maxsize=8192)  # the same labels and values come back on every sheet of a batch
def text_width(text: str, size: float) -> float:
    """The width of the longest line of ``text`` in the csdesk font at ``size`` (as printed)."""
    font = register_fonts()
    widths = [pdfmetrics.stringWidth(line, font, size) for line in _printable(str(text))[0].split("\n")]
    return max(widths, default=0.0) + _SLACK if any(widths) else 0.0


@lru_cache(maxsize=8192)
def word_width(text: str, size: float) -> float:
    """The width of the longest piece of ``text`` no line may break inside: a Latin word or
    number, or one CJK character (CJK text breaks between any two characters)."""
    font = register_fonts()
    words = _CJK.sub(lambda m: f" {m.group(0)} ", _printable(str(text))[0]).split()
    return max((pdfmetrics.stringWidth(w, font, size) + _SLACK for w in words), default=0.0)


@record
class Col:
    """How a table column is sized by :func:`fit_widths`."""

    weight: float = 1.0  # share of the room left once every cell is on one line; 0: by content
    nowrap: bool = False  # codes, numbers, dates: as wide as the widest cell, never wrapped
    minimum: float = 0.0  # points, padding included (a count column's heading needs some room)


def fit_widths(
    cols: Sequence[Col],
    rows: Sequence[Sequence[object]],
    total: float,
    *,
    size: float = 9,
    head_rows: int = 1,
    head_size: float = 9.5,
    padding: float = CELL_PADDING,
    short: float = 16 * mm,
    head_padding: float | None = None,
) -> list[float]:
    """Column widths filling ``total``: a ``nowrap`` column is as wide as its widest cell (its
    heading may wrap at spaces), every other column at least as wide as its longest word and its
    ``short`` cells. When every cell fits on one line the room left is shared by ``weight``;
    when not, the widest columns wrap first. ``rows`` hold the cells' plain text, headings
    first."""
    head_pad = padding if head_padding is None else head_padding
    minimum: list[float] = []
    for c, col in enumerate(cols):
        body = [str(r[c]) for r in rows[head_rows:] if c < len(r)]
        head = [str(r[c]) for r in rows[:head_rows] if c < len(r)]
        # Short cells ("High", "已关闭", a heading of a few characters) stay on one line.
        heads = [text_width(t, head_size) for t in head]
        cells = [text_width(t, size) for t in body]
        need = [word_width(t, size) + padding for t in body]
        need += [word_width(t, head_size) + head_pad for t in head] + [w + head_pad for w in heads if w <= short]
        need += [w + padding for w in cells if col.nowrap or w <= short]
        minimum.append(max(need + [padding, col.minimum]))
    fixed = sum(m for m, col in zip(minimum, cols) if col.nowrap)
    free = total - fixed
    flexible = [i for i, col in enumerate(cols) if not col.nowrap]
    if not flexible or sum(minimum[i] for i in flexible) >= free:
        scale = total / max(1e-6, sum(minimum))  # too little room: shrink all alike (rare)
        return [m * min(1.0, scale) for m in minimum] if not flexible else [m * scale for m in minimum]
    # One line per cell where that fits: a column's natural width is its widest line.
    natural = {i: max(minimum[i], max([text_width(str(r[i]), size) for r in rows[head_rows:] if i < len(r)] + [0.0]) + padding)
               for i in flexible}  # fmt: skip
    widths = list(minimum)
    if sum(natural.values()) <= free:
        # Everything fits on one line: the room left goes by weight (0: by content).
        weights = {i: cols[i].weight or _content_weight(rows[head_rows:], i, size) for i in flexible}
        spare = free - sum(natural.values())
        for i in flexible:
            widths[i] = natural[i] + spare * weights[i] / sum(weights.values())
        return widths
    # Too little room: the widest columns give way alike (capped at one width), so short ones
    # ("High", a name) stay on one line and the long texts wrap.
    low, high = 0.0, max(natural.values())
    for _step in range(60):
        cap = (low + high) / 2
        if sum(max(minimum[i], min(natural[i], cap)) for i in flexible) > free:
            high = cap
        else:
            low = cap
    for i in flexible:
        widths[i] = max(minimum[i], min(natural[i], low))
    widths[max(flexible, key=lambda i: natural[i])] += total - sum(widths)  # fill the width exactly
    return widths


def _content_weight(rows: Sequence[Sequence[object]], column: int, size: float) -> float:
    return max([text_width(str(r[column]), size) for r in rows if column < len(r)] + [1.0])


# --- tables --------------------------------------------------------------------------------


class SizedTable(Table):
    """The csdesk table. In the embedded font: a table's cells start in ReportLab's Helvetica,
    which every table otherwise names in the PDF, even when its cells are all Paragraphs. Its
    plain-string cells are :func:`printable`.

    It remembers its layout for a width: a sheet measured to decide its density
    (evaluation_sheet) is not laid out a second time when it is placed."""

    _wrapped_for: float | None = None

    def __init__(self, data: Sequence[Sequence[Any]], *args: Any, **kwargs: Any) -> None:
        rows = [[printable(cell) if isinstance(cell, str) else cell for cell in row] for row in data]
        super().__init__(rows, *args, **kwargs)
        self.setStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts())])

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # (a frame's width and a width computed from the margins differ in the last digits)
        if self._wrapped_for is None or abs(self._wrapped_for - available_width) > 0.01:
            super().wrap(available_width, available_height)
            self._wrapped_for = available_width
        return self._width, self._height

    def setStyle(self, tblstyle: Any) -> None:  # noqa: N802 (ReportLab's name)
        self._wrapped_for = None
        super().setStyle(tblstyle)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._wrapped_for = None  # a split lays out again, for the height left
        return super().split(available_width, available_height)



def grid_table(rows: Sequence[Sequence[Any]], widths: Sequence[float] | None = None, header_rows: int = 1, zebra: bool = False) -> Table:
    """A ruled table; header rows shaded and repeated on every page."""
    table = SizedTable([list(r) for r in rows], colWidths=widths, repeatRows=header_rows)
    style = [
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


LABEL_SIZE = 8  # the "Small" style of field labels
VALUE_SIZE = 9.5  # the "CellBold" style of field values


def field_table(
    pairs: Sequence[tuple[str, object]], columns: int = 2, *, lang: str | None = None, value_style: str = "CellBold"
) -> Table:
    """Label/value pairs laid out in ``columns`` pairs per row (form headers).

    Each label column is as wide as its labels need (a quarter to 42 % of the pair, never
    narrower than the longest word of a label, so a label word never breaks)."""
    cells: list[list[Any]] = []
    row: list[Any] = []
    labels: list[list[str]] = [[] for _c in range(columns)]
    for n, (label, value) in enumerate(pairs):
        labels[n % columns].append(label)
        row += [para(label, "Small", lang=lang), para(value, value_style, lang=lang)]
        if len(row) == columns * 2:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (columns * 2 - len(row)))
    width = (PAGE[0] - 2 * MARGIN) / columns
    widths: list[float] = []
    for texts in labels:
        natural = max((text_width(t, LABEL_SIZE) for t in texts), default=0.0) + CELL_PADDING
        longest_word = max((word_width(t, LABEL_SIZE) for t in texts), default=0.0) + CELL_PADDING
        label_width = max(longest_word, min(max(natural, width * 0.25), width * 0.42))
        widths += [label_width, width - label_width]
    table = SizedTable(cells, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                *[("BACKGROUND", (2 * c, 0), (2 * c, -1), SHADE) for c in range(columns)],
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def signature_lines(
    labels: Sequence[str],
    *,
    lang: str | None = None,
    sign: str | None = None,
    date: str | None = None,
    heights: tuple[float, float] = (30, 22),
) -> Table:
    """One block per signer: name of the role, a line to sign on and a line for the date
    (``heights``: of the signing line's row and of the date's row)."""
    sign = _("Signature") if sign is None else sign
    date = _("Date") if date is None else date
    cells = [
        [para(label, "CellBold", lang=lang) for label in labels],
        [para(f"{sign}: ________________", "Body", lang=lang) for _l in labels],
        [para(f"{date}: ____________", "Body", lang=lang) for _l in labels],
    ]
    width = (PAGE[0] - 2 * MARGIN) / max(1, len(labels))
    # The role row grows when a long role (with names) wraps; the lines keep their room.
    table = SizedTable(cells, colWidths=[width] * len(labels), rowHeights=[None, *heights])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return table


def comments_box(label: str, height: float = 28 * mm, *, lang: str | None = None) -> Table:
    table = SizedTable([[para(label, "Small", lang=lang)], [""]], colWidths=[PAGE[0] - 2 * MARGIN], rowHeights=[14, height])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


class KeepWithTail(Flowable):
    """``table`` then ``after`` (the signature lines), never parted: when they do not fit
    together, the table's last ``tail`` rows move to the next page with ``after`` (under the
    repeated heading), so no page carries only signature lines."""

    def __init__(self, table: Table, after: Sequence[Flowable], tail: int = 2) -> None:
        super().__init__()
        self._table, self._after, self._tail = table, list(after), tail

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # always asks to be split: split() decides

    def draw(self) -> None:  # never drawn itself: split() hands out its parts
        pass

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        table, after = self._table, self._after
        _w, table_height = table.wrap(available_width, available_height)
        after_height = _listWrapOn(after, available_width, self.canv)[1]
        if table_height + after_height <= available_height:
            return [table, *after]
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        heights = list(table._rowHeights)  # noqa: SLF001 (set by wrap)
        head = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
        fit, used = 0, 0.0
        while fit < len(heights) and used + heights[fit] <= available_height:
            used += heights[fit]
            fit += 1
        keep = min(fit, len(heights) - self._tail)  # rows on this page; the tail goes over
        if keep <= head:
            return [table, *after] if at_top else [FrameBreak(), self]
        parts = table.split(available_width, sum(heights[:keep]) + 0.5)
        if len(parts) != 2:
            return [table, *after] if at_top else [FrameBreak(), self]
        first, rest = parts
        return [first, KeepWithTail(rest, after, self._tail)]


# --- the page ------------------------------------------------------------------------------

HEAD_Y = PAGE[1] - 10 * mm  # baseline of the running head
FOOT_Y = 9 * mm  # baseline of the print date and the page number
LOGO_HEIGHT = 8 * mm
LOGO_MAX_WIDTH = 30 * mm
SITE_SIZE = 10  # the site's name in the running head; the rest of it in 8 pt
HEAD_SIZE = 8
HEAD_COLOUR = colors.HexColor("#555555")
_HEAD_GAP = 2 * mm


def site_logo(path: str) -> ImageReader | None:
    """The site's logo file, read once for a document; a missing or unreadable file is logged
    and the document prints without it."""
    if not path:
        return None
    try:
        logo = ImageReader(path)
        logo.getRGBData()  # decoded now: a broken file fails here, not halfway through a page
    # Pillow raises many kinds for a damaged file (OSError, SyntaxError, zlib.error, a decompression
    # bomb): none may stop the document.
    except Exception as exc:  # noqa: BLE001
        log.warning("the site logo %s cannot be printed (%s); printing without it", path, exc)
        return None
    return logo


def draw_letterhead(canvas: Canvas, site: str, header: str, logo: ImageReader | None, right: str = "") -> None:
    """The running head of every page: the logo, the site's name, then ``header`` (the document,
    and a report's month and team), and ``right`` at the right margin. Nothing empty leaves a
    separator; a head too long for the line is set smaller."""
    font = register_fonts()
    x = MARGIN
    canvas.saveState()
    if logo is not None:
        width, height = logo.getSize()
        shown = min(LOGO_MAX_WIDTH, LOGO_HEIGHT * width / height)
        canvas.drawImage(logo, x, HEAD_Y - _HEAD_GAP, shown, shown * height / width, mask="auto")
        x += shown + _HEAD_GAP
    right = printable(right)
    if right:
        canvas.setFont(font, HEAD_SIZE)
        canvas.setFillColor(HEAD_COLOUR)
        canvas.drawRightString(PAGE[0] - MARGIN, HEAD_Y, right)
    segments = [(printable(site), SITE_SIZE, colors.black)] if site else []
    if header:
        segments.append((("  ·  " if segments else "") + printable(header), HEAD_SIZE, HEAD_COLOUR))
    room = PAGE[0] - MARGIN - x - (pdfmetrics.stringWidth(right, font, HEAD_SIZE) + 4 * mm if right else 0)
    natural = sum(pdfmetrics.stringWidth(text, font, size) for text, size, _colour in segments)
    scale = min(1.0, room / natural) if natural else 1.0
    for text, size, colour in segments:
        canvas.setFont(font, size * scale)
        canvas.setFillColor(colour)
        canvas.drawString(x, HEAD_Y, text)
        x += pdfmetrics.stringWidth(text, font, size * scale)
    canvas.restoreState()


def draw_footer(canvas: Canvas, printed: str) -> None:
    """The print date at the foot of the page (the number is page_count_canvas's)."""
    canvas.saveState()
    canvas.setFont(register_fonts(), HEAD_SIZE)
    canvas.setFillColor(HEAD_COLOUR)
    canvas.drawString(MARGIN, FOOT_Y, printable(printed))
    canvas.restoreState()


class _Decorator:
    """The running head (logo, site, document) and the print date on every page."""

    def __init__(self, site: str, header: str, logo: ImageReader | None, printed_at: datetime) -> None:
        self.site, self.header, self.logo = site, header, logo
        self.printed = _("Printed {when}").format(when=format_datetime(printed_at, "short"))

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        draw_letterhead(canvas, self.site, self.header, self.logo)
        draw_footer(canvas, self.printed)


class PageCountCanvas(Canvas):
    """A canvas numbering every page "x / y" through its ``page_label`` ("Page {page}"), which a
    page may set for itself (a batch of sheets in several languages): pages are kept until the
    count is known (the usual ReportLab recipe)."""

    default_label = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self.page_label = self.default_label

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.saveState()
            self.setFont(register_fonts(), HEAD_SIZE)
            self.setFillColor(HEAD_COLOUR)
            self.drawRightString(PAGE[0] - MARGIN, FOOT_Y, self.page_label.format(page=f"{number} / {total}"))
            self.restoreState()
            Canvas.showPage(self)
        Canvas.save(self)


def page_count_canvas(label: str) -> type[PageCountCanvas]:
    """The canvas maker of a document whose pages are numbered through ``label``."""
    return type("PageCountCanvas", (PageCountCanvas,), {"default_label": label})


def build_pdf(
    out: Path | BinaryIO,
    story: Sequence[Flowable],
    *,
    title: str,
    header: str,
    printed_at: datetime,
    site: str = "",
    logo: str = "",
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Lay out ``story`` on A4 with the csdesk page decoration and embedded font: every page is
    headed by the ``site``'s name with its ``logo`` (a PNG file; a missing or broken one is
    logged and left out) and ``header``, and is numbered "x / y"."""
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
    decorate = _Decorator(site, header, site_logo(logo), printed_at)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    with missing_glyphs_reported(title):
        doc.build(list(story), canvasmaker=page_count_canvas(_("Page {page}")))
