"""The monthly evaluation sheet (rules.md §5, §11): one agent per page, batch in one PDF.

A pure renderer: the service computes every number and translates every label into the
sheet's language (each sheet carries its own labels, so one batch may mix languages and
rendering never touches the UI's language). User text (names, notes, reasons) is escaped.

One sheet is one A4 page (issue #14): when the sheet would run over, the events table and the
spacing condense step by step: smaller type (the notes whole); then 7 pt with each event's note
cut to two lines, with an ellipsis; then one line per event. Events that still do not fit, and
the notes cut short, go to a continuation list after the sheet, which the sheet refers to (the
list's heading, then the agent, number, team and month; every page's head names them too, and
its foot numbers it "x / y"). The result and the three signatures are always on the sheet's
page. No Latin word breaks across lines, in a Chinese sheet either (its item and recorder
columns are measured as laid out).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from csdesk.records import record
from csdesk.reports.evaluation_inputs import EvaluationSheet, RenderCancelled, SheetEvent, SheetLabels, SheetRating
from csdesk.reports.styles import (
    CELL_PADDING,
    GRID,
    MARGIN,
    PAGE,
    SHADE,
    Col,
    PageCountCanvas,
    SizedTable,
    comments_box,
    draw_footer,
    draw_letterhead,
    escape,
    field_table,
    fit_widths,
    grid_table,
    missing_glyphs_reported,
    page_count_canvas,
    para,
    printable,
    register_fonts,
    shared_paragraphs,
    signature_lines,
    site_logo,
    stylesheet,
    text_width,
    word_width,
    wraps_by_character,
)

# The sheet's inputs live in evaluation_inputs (cheap to import); they are part of this API too.
__all__ = ["EvaluationSheet", "RenderCancelled", "SheetEvent", "SheetLabels", "SheetRating", "render", "sheet_story"]

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?

WIDTH = PAGE[0] - 2 * MARGIN
TOP_MARGIN = MARGIN + 2 * mm
FRAME_PADDING = 6  # ReportLab's Frame default on every side
# What one page of render()'s body frame holds.
BODY_WIDTH = WIDTH - 2 * FRAME_PADDING
BODY_HEIGHT = PAGE[1] - TOP_MARGIN - MARGIN - 2 * FRAME_PADDING
SHORT_HEADING = 16 * mm  # a column heading this wide or less is kept on one line (as fit_widths does)


@record
class _Density:
    """How tightly a sheet is set: the normal layout, or condensed, compact, then one line an
    event, to stay on one page."""

    cell: str  # event and rating cells (and the full-width lines of the result)
    bold: str  # their headings
    h2: str
    padding: float  # top and bottom padding of table cells
    comments: float  # height of the comments box
    gap: float  # space before the comments box and before the signatures
    signature: tuple[float, float]  # heights of the signing and the date lines
    size: float  # font size of ``cell`` and of plain-string cells (for sizing the columns)
    head_size: float  # font size of ``bold``
    columns: int  # label/value pairs per row of the head and the result
    value: str  # style of their values
    side: float = CELL_PADDING / 2  # left and right padding of the events table's cells
    wide_notes: bool = False  # the events' item and recorder take two lines at most, the note the rest
    note_lines: int = 0  # an event's note is cut to this many lines (0: never cut)
    one_line: bool = False  # the events' item and recorder on one line (where that leaves the note room)


NORMAL = _Density("Cell", "CellBold", "H2", 3, 22 * mm, 4 * mm, (30, 22), 9, 9.5, 2, "CellBold")
CONDENSED = _Density("Tight", "TightBold", "H2Tight", 1, 12 * mm, 2 * mm, (24, 16), 7.5, 8, 3, "TightBold")
# Compact: 7 pt (still legible on paper), narrow cell padding, every row of the events table at
# most two lines high (a note longer than that cut, with an ellipsis).
COMPACT = _Density(
    "Compact", "CompactBold", "H2Tight", 0.8, 12 * mm, 1.5 * mm, (24, 16), 7, 7.5, 3, "TightBold",
    side=2.5, wide_notes=True, note_lines=2,
)  # fmt: skip
# The last step: one line per event (its note cut to one line), before events leave the sheet.
ONE_LINE = replace(COMPACT, note_lines=1, one_line=True)
# The continuation list: condensed, the notes whole in a wide column.
CONTINUED = replace(CONDENSED, wide_notes=True)


class _State:
    def __init__(self) -> None:
        self.sheet: EvaluationSheet | None = None


class _SheetStart(Flowable):
    """Invisible marker: tells the page decoration whose sheet this is, reports progress."""

    def __init__(self, state: _State, sheet: EvaluationSheet, index: int, total: int, progress: Progress | None) -> None:
        super().__init__()
        self._state, self._sheet, self._index, self._total, self._progress = state, sheet, index, total, progress

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self._progress is not None and not self._progress(self._index, self._total):
            raise RenderCancelled
        self._state.sheet = self._sheet


def _decorate(state: _State) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Each page's head (logo, site, department and the sheet's name; the agent, number, team and
    month on the right, so a continuation page says whose it is too) and foot (the print date;
    the number "x / y" in the sheet's language, drawn by page_count_canvas)."""
    logos: dict[str, ImageReader | None] = {}  # one read of the logo file per batch

    def on_page_end(canvas: Canvas, doc: BaseDocTemplate) -> None:
        sheet = state.sheet
        if sheet is None:
            return
        if sheet.logo not in logos:
            logos[sheet.logo] = site_logo(sheet.logo)
        document = " · ".join(part for part in (sheet.header, sheet.labels.title) if part)
        draw_letterhead(canvas, sheet.site, document, logos[sheet.logo], right=_whose(sheet))
        draw_footer(canvas, sheet.labels.printed.format(when=sheet.printed))
        if isinstance(canvas, PageCountCanvas):
            canvas.page_label = sheet.labels.page

    return on_page_end


def _whose(sheet: EvaluationSheet) -> str:
    """Whose sheet and which month: the agent, the number, the team and the month (the empty
    ones left out)."""
    return " · ".join(part for part in (sheet.agent_name, sheet.employee_no, sheet.team, sheet.month) if part)


def _language(sheet: EvaluationSheet) -> str:
    """The sheet's language; a sheet built without one is Chinese when its title is."""
    if sheet.lang:
        return sheet.lang
    return "zh_CN" if any(ord(ch) >= 0x2E80 for ch in sheet.labels.title) else "en"


def _padded(table: Table, density: _Density, sides: bool = False) -> Table:
    """``table`` (already in the embedded font) with the density's cell padding (``sides``:
    on the left and right too)."""
    commands: list[tuple[Any, ...]] = []
    if density is not NORMAL:  # the normal padding is the tables' own
        commands += [("TOPPADDING", (0, 0), (-1, -1), density.padding), ("BOTTOMPADDING", (0, 0), (-1, -1), density.padding)]
    if sides and density.side != CELL_PADDING / 2:
        commands += [("LEFTPADDING", (0, 0), (-1, -1), density.side), ("RIGHTPADDING", (0, 0), (-1, -1), density.side)]
    if commands:
        table.setStyle(commands)
    return table


@record
class _Page:
    """The flowables of a sheet's page, and the events on it whose note is cut short there."""

    story: list[Flowable]
    cut: frozenset[int] = frozenset()  # indices into the events shown


class _Sheet:
    """The flowables of one sheet in one language and density."""

    def __init__(self, sheet: EvaluationSheet, density: _Density) -> None:
        self.sheet, self.density, self.lang = sheet, density, _language(sheet)

    def p(self, text: object, style: str | None = None) -> Paragraph:
        return para(text, style or self.density.cell, lang=self.lang)

    def head(self) -> list[Flowable]:
        sheet, lab = self.sheet, self.sheet.labels
        pairs = [
            (lab.agent, sheet.agent_name),
            (lab.employee_no, sheet.employee_no),
            (lab.team, sheet.team),
            (lab.level, sheet.level),
            (lab.month, sheet.month),
        ]
        return [
            para(lab.title, "Title", lang=self.lang),
            _padded(field_table(pairs, columns=self.density.columns, lang=self.lang, value_style=self.density.value), self.density),
        ]

    def ratings(self) -> list[Flowable]:
        sheet, lab, d = self.sheet, self.sheet.labels, self.density
        texts = [[lab.criterion, lab.score, lab.maximum]]
        texts += [[r.name, r.value, r.maximum] for r in sheet.ratings]
        texts.append([lab.rated_part, sheet.rated_total, sheet.rated_maximum])
        # Scores are plain strings (no Paragraph to lay out): their columns fit them, never wrap.
        rows: list[list[Any]] = [[self.p(t, d.bold) for t in texts[0]]]
        rows += [[self.p(name), value, maximum] for name, value, maximum in texts[1:-1]]
        rows.append([self.p(lab.rated_part, d.bold), sheet.rated_total, sheet.rated_maximum])
        cols = [Col(weight=1), Col(nowrap=True, minimum=22 * mm), Col(nowrap=True, minimum=22 * mm)]
        widths = fit_widths(cols, texts, WIDTH, size=d.size, head_size=d.head_size)
        table = _plain_cells(grid_table(rows, widths), d, right=(1, 2))
        return [para(lab.rated_part, d.h2, lang=self.lang), _padded(table, d)]

    def events(self, events: Sequence[SheetEvent], more: int) -> tuple[list[Flowable], frozenset[int]]:
        """The events block (``more``: how many others are on the continuation list) and which
        of ``events`` have their note cut short in it."""
        lab, d = self.sheet.labels, self.density
        heading = para(lab.events, d.h2, lang=self.lang)
        if not events and not more:
            return [heading, para(lab.no_events, "Body", lang=self.lang)], frozenset()
        table, cut = self.events_table(events)
        refer = [lab.more_events.format(n=more)] if more else []
        if cut:
            refer.append(lab.notes_cut)
        if refer:
            table = _with_note(table, self.p("\n".join(refer), d.bold))
        return [heading, table], cut

    def events_table(self, events: Sequence[SheetEvent]) -> tuple[Table, frozenset[int]]:
        """The table of ``events`` and which of them have their note cut short in it."""
        lab, d = self.sheet.labels, self.density
        heads = [lab.date, lab.code, lab.item, lab.points, lab.recorded_by, lab.note]
        texts = [heads] + [[e.day, e.code, e.name, e.points, e.recorded_by, e.note] for e in events]
        # Dates, codes and points never wrap (plain strings in columns that fit them); the item,
        # the recorder and the note share the rest.
        cols = [Col(nowrap=True), Col(nowrap=True), Col(weight=0), Col(nowrap=True), Col(weight=0), Col(weight=0)]
        widths = fit_widths(cols, texts, WIDTH, size=d.size, head_size=d.head_size, padding=2 * d.side)
        notes: list[Paragraph] = [self.p(e.note) for e in events]
        cut: set[int] = set()
        if d.one_line:
            widths = self._one_line_widths(texts, widths)
        elif d.wide_notes:
            widths = self._two_line_widths(texts, widths)
        if wraps_by_character(self.lang):  # (a Chinese line breaks a Latin word at some widths only)
            widths = self._whole_word_widths(texts, widths)
        if d.note_lines:
            for i, event in enumerate(events):
                shortened = self._cut(event.note, widths[5] - 2 * d.side)
                if shortened is not None:
                    notes[i] = shortened
                    cut.add(i)
        rows: list[list[Any]] = [[self.p(t, d.bold) for t in heads]]
        rows += [[e.day, e.code, self.p(e.name), e.points, self.p(e.recorded_by), note] for e, note in zip(events, notes)]
        table = _padded(_plain_cells(grid_table(rows, widths), d, right=(3,)), d, sides=True)
        return table, frozenset(cut)

    def _one_line_widths(self, texts: Sequence[Sequence[str]], widths: Sequence[float]) -> list[float]:
        """Column widths in which the item and the recorder are on one line and the note has the
        rest (``_two_line_widths`` where that would leave the note less than a quarter of the
        page). ``widths``: fit_widths', whose date, code and points columns are kept."""
        d = self.density
        pad = 2 * d.side
        fitted = list(widths)
        for column in (2, 4):
            head = texts[0][column]  # a short heading stays on one line, a longer one wraps at spaces
            head_width = text_width(head, d.head_size)
            need = [(head_width if head_width <= SHORT_HEADING else word_width(head, d.head_size)) + pad]
            fitted[column] = max(need + [text_width(row[column], d.size) + pad for row in texts[1:]])
        fitted[5] = WIDTH - sum(fitted[:5])
        if fitted[5] < WIDTH / 4:
            return self._two_line_widths(texts, widths)
        return fitted

    def _two_line_widths(self, texts: Sequence[Sequence[str]], widths: Sequence[float]) -> list[float]:
        """Column widths in which the item and the recorder take two lines at most and the note
        has the rest; room the notes do not need (each on one line) widens the item and the
        recorder back towards one line. ``widths``: fit_widths', whose date, code and points
        columns are kept."""
        d = self.density
        pad = 2 * d.side
        body = texts[1:]

        def one_line(column: int) -> float:
            return max([text_width(row[column], d.size) + pad for row in body] + [pad])

        style = stylesheet(self.lang)[d.cell]

        def two_lines(column: int) -> float:
            head = texts[0][column]  # a short heading stays on one line, a longer one wraps at spaces
            head_width = text_width(head, d.head_size)
            need = [(head_width if head_width <= SHORT_HEADING else word_width(head, d.head_size)) + pad]
            # Measured as laid out: two lines at most, no word broken (a Chinese line breaks between
            # any two characters, and inside a Latin name that does not fit: "Rodrígu|ez").
            return max(need + [_column_width([row[column] for row in body], style, d.size, 0.0, 2) + pad])

        fitted = list(widths)
        fitted[2], fitted[4] = two_lines(2), two_lines(4)
        spare = WIDTH - sum(fitted[:5]) - one_line(5)
        if spare > 0:  # the notes fit on one line with room to spare: the item and recorder take it
            short = {c: max(0.0, one_line(c) - fitted[c]) for c in (2, 4)}
            if sum(short.values()):
                share = min(1.0, spare / sum(short.values()))
                for c in (2, 4):
                    fitted[c] += short[c] * share
        fitted[5] = WIDTH - sum(fitted[:5])
        if fitted[5] < WIDTH / 4:  # (item names are short; should they not be, share as fit_widths did)
            return list(widths)
        return fitted

    def _whole_word_widths(self, texts: Sequence[Sequence[str]], widths: Sequence[float]) -> list[float]:
        """``widths`` with the item and the recorder widened, from the note's share, until no
        Latin word in them breaks (a Chinese sheet wraps by character, and ReportLab then breaks
        a Latin name that ends a line: "Fernández Rodrígu|ez")."""
        d = self.density
        pad = 2 * d.side
        style = stylesheet(self.lang)[d.cell]
        fitted = list(widths)
        for column in (2, 4):
            need = _column_width([row[column] for row in texts[1:]], style, d.size, fitted[column] - pad, 99) + pad
            more = min(max(0.0, need - fitted[column]), fitted[5] - WIDTH / 4)
            if more > 0:
                fitted[column] += more
                fitted[5] -= more
        return fitted

    def _cut(self, note: str, width: float) -> Paragraph | None:
        """``note`` cut to the density's lines at ``width``, ending in an ellipsis, or None
        when it fits whole."""
        d = self.density
        if "\n" not in note and text_width(note, d.size) <= width:
            return None  # one line
        cut = _cut_note(note, stylesheet(self.lang)[d.cell], width, d.note_lines)
        return None if cut is None else self.p(cut)

    def result(self) -> list[Flowable]:
        sheet, lab, d = self.sheet, self.sheet.labels, self.density
        pairs = [
            (lab.rated_part, f"{sheet.rated_total} / {sheet.rated_maximum}"),
            (lab.bonus, sheet.bonus),
            (lab.deduction, sheet.deduction),
            (lab.adjustment, sheet.adjustment),
            (lab.raw_total, sheet.raw_total),
            (lab.total, sheet.total),
            (lab.grade, sheet.grade),
            (lab.pay_float, sheet.pay_float),
            (lab.exam, sheet.exam),
            (lab.flags, "; ".join(sheet.flags) or "—"),
        ]
        # Full-width lines: the attendance summary and the adjustment's reason (the trainer's
        # comment, up to some hundred characters).
        lines = [(lab.attendance, sheet.attendance or "—")]
        if sheet.adjustment_reason:
            lines.append((lab.reason, sheet.adjustment_reason))
        label_size = 8
        label_width = max(
            max(word_width(label, label_size) for label, _v in lines) + CELL_PADDING,
            min(max(text_width(label, label_size) for label, _v in lines) + CELL_PADDING, WIDTH * 0.25),
            WIDTH * 0.16,
        )
        full = SizedTable(
            [[para(label, "Small", lang=self.lang), para(value, d.cell, lang=self.lang)] for label, value in lines],
            colWidths=[label_width, WIDTH - label_width],
        )
        full.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (0, -1), SHADE),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        )
        return [
            para(lab.summary, d.h2, lang=self.lang),
            _padded(field_table(pairs, columns=d.columns, lang=self.lang, value_style=d.value), d),
            _padded(full, d),
        ]

    def closing(self) -> list[Flowable]:
        lab, d = self.sheet.labels, self.density
        signatures = signature_lines(
            (lab.agent_signs, lab.evaluator_signs, lab.supervisor_signs),
            lang=self.lang,
            sign=lab.signature,
            date=lab.sign_date,
            heights=d.signature,
        )
        return [
            Spacer(1, d.gap),
            comments_box(lab.comments, height=d.comments, lang=self.lang),
            Spacer(1, d.gap),
            signatures,
        ]

    def page(self, events: Sequence[SheetEvent], more: int = 0) -> _Page:
        """The sheet's page with ``events`` (``more``: how many others are continued)."""
        shown, cut = self.events(events, more)
        return _Page([*self.head(), *self.ratings(), *shown, *self.result(), *self.closing()], cut)

    def continuation(self, events: Sequence[SheetEvent]) -> list[Flowable]:
        """The continuation list: ``events`` in full, under a heading saying whose they are."""
        return [
            para(self.sheet.labels.continuation, "H2", lang=self.lang),
            para(_whose(self.sheet), "Body", lang=self.lang),
            self.events_table(events)[0],
        ]


ELLIPSIS = "\u2026"


@lru_cache(maxsize=1024)  # the sheet is measured with ever fewer events: the same notes come back
def _cut_note(note: str, style: ParagraphStyle, width: float, lines: int) -> str | None:
    """The longest beginning of ``note`` that, with an ellipsis, takes at most ``lines`` lines
    in ``style`` at ``width``; None when the whole note does."""
    if _lines(note, style, width) <= lines:
        return None
    low, high = 0, len(note) - 1
    while low < high:
        n = (low + high + 1) // 2
        if _lines(note[:n].rstrip() + ELLIPSIS, style, width) <= lines:
            low = n
        else:
            high = n - 1
    if 0 < low < len(note) and _word_character(note[low - 1]) and _word_character(note[low]):
        space = max(note.rfind(" ", 0, low), note.rfind("\n", 0, low))
        if space > 0:  # a Latin word is not cut in two: the ellipsis follows the last whole word
            low = space
    return note[:low].rstrip() + ELLIPSIS


def _lines(text: str, style: ParagraphStyle, width: float) -> int:
    """How many lines ``text`` (user text) takes in ``style`` at ``width``."""
    return _layout(text, style, width)[0]


@lru_cache(maxsize=4096)
def _layout(text: str, style: ParagraphStyle, width: float) -> tuple[int, bool]:
    """How many lines ``text`` (user text) takes in ``style`` at ``width``, and whether a line
    ends inside a Latin word or number."""
    paragraph = Paragraph(escape(text), style)
    paragraph.wrap(width, 1e6)
    lines = paragraph.blPara.lines
    return len(lines), len(lines) > 1 and _breaks_a_word(printable(text), [_line_text(line) for line in lines])


def _line_text(line: Any) -> str:
    """The text of one of a laid-out Paragraph's lines (a ``(space, words)`` pair or a FragLine)."""
    if isinstance(line, tuple):
        return " ".join(line[1])
    return "".join(str(getattr(frag, "text", "")) for frag in line.words)


def _word_character(ch: str) -> bool:
    return ch.isalnum() and ord(ch) < 0x2E80  # a Latin letter or a digit (CJK text breaks anywhere)


def _breaks_a_word(source: str, lines: Sequence[str]) -> bool:
    """Whether ``lines``, the lines ``source`` was laid out in, break it inside a Latin word or a
    number: a line starts where ``source`` has neither a space nor a CJK character before."""
    at = 0
    for number, line in enumerate(lines):
        spaced = False
        for position, ch in enumerate(ch for ch in line if not ch.isspace()):
            while at < len(source) and source[at].isspace():
                at, spaced = at + 1, True
            if at >= len(source) or source[at] != ch:
                return False  # (the text was changed in the layout: nothing to say)
            if position == 0 and number and at and not spaced and _word_character(source[at - 1]) and _word_character(ch):
                return True
            at += 1
    return False


def _column_width(texts: Sequence[str], style: ParagraphStyle, size: float, low: float, lines: int) -> float:
    """The narrowest width, ``low`` at least, at which each of ``texts`` takes ``lines`` lines
    at most and breaks no Latin word (as wide as the widest on one line at most)."""
    if not texts:
        return low
    high = max(low, *(text_width(t, size) for t in texts))
    width = max(low, *(_narrowest(t, style, max(low, word_width(t, size)), text_width(t, size), lines) for t in texts))
    # The narrowest for each text may still break another (Chinese lines break unevenly): wider.
    while width < high and not all(_whole(t, style, width, lines) for t in texts):
        width += 2.0
    return min(width, high)


def _whole(text: str, style: ParagraphStyle, width: float, lines: int) -> bool:
    """Whether ``text`` takes ``lines`` lines at most at ``width`` and breaks no Latin word."""
    if "\n" not in text and text_width(text, style.fontSize) <= width:
        return True  # one line (the common case: no layout to make)
    count, broken = _layout(text, style, width)
    return count <= lines and not broken


@lru_cache(maxsize=4096)  # item names and recorders come back on every sheet of a batch
def _narrowest(text: str, style: ParagraphStyle, low: float, high: float, lines: int) -> float:
    """The narrowest width from ``low`` to ``high`` (the text's one line) at which ``text``
    takes ``lines`` lines at most and breaks no Latin word; ``high`` if none does."""
    if high <= low:
        return max(low, high)
    if _whole(text, style, low, lines):
        return low
    if _layout(text, style, low)[0] > lines:
        bottom, top = low, high  # too many lines at ``bottom``, few enough at ``top``
        while top - bottom > 0.5:
            middle = (bottom + top) / 2
            if _layout(text, style, middle)[0] > lines:
                bottom = middle
            else:
                top = middle
        low = top
    width = low
    while width < high and not _whole(text, style, width, lines):  # a word broken: a little wider
        width += 2.0
    return min(width, high)


def _plain_cells(table: Table, density: _Density, right: Sequence[int]) -> Table:
    """The size and alignment of a table's plain-string cells (below its heading row)."""
    commands: list[tuple[Any, ...]] = [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in right]
    if density is not NORMAL:  # grid_table's own size (and ReportLab's 12-point leading)
        leading = stylesheet()[density.cell].leading
        commands += [("FONTSIZE", (0, 1), (-1, -1), density.size), ("LEADING", (0, 1), (-1, -1), leading)]
    table.setStyle(commands)
    return table


def _with_note(table: Table, note: Paragraph) -> Flowable:
    """``table`` and, under it, a line saying where the rest of the events are."""
    holder = SizedTable([[table], [note]], colWidths=[WIDTH])
    holder.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return holder


def _fits(story: Sequence[Flowable]) -> bool:
    return _listWrapOn(list(story), BODY_WIDTH, None)[1] <= BODY_HEIGHT


def sheet_story(sheet: EvaluationSheet) -> list[Flowable]:
    """The flowables of one sheet (without the page break before it): one page, condensed as
    far as needed, then, when a note is cut short or the events do not all fit even one line
    each, a continuation list of those events in full."""
    events = sheet.events
    for density in (NORMAL, CONDENSED):  # the notes whole
        story = _Sheet(sheet, density).page(events).story
        if _fits(story):
            return story
    for density in (COMPACT, ONE_LINE):  # the notes cut to two lines, then to one
        tightest = _Sheet(sheet, density)
        page = tightest.page(events)
        shown = len(events)
        if _fits(page.story):
            break
    else:
        # Keep as many events as fit on the sheet's page; the rest follow on a continuation list.
        low, high = 0, len(events) - 1
        while low < high:
            n = (low + high + 1) // 2
            if _fits(tightest.page(events[:n], len(events) - n).story):
                low = n
            else:
                high = n - 1
        shown, page = low, tightest.page(events[:low], len(events) - low)
    continued = [e for i, e in enumerate(events) if i >= shown or i in page.cut]
    if not continued:
        return page.story
    return [*page.story, PageBreak(), *_Sheet(sheet, CONTINUED).continuation(continued)]


def render(
    sheets: Sequence[EvaluationSheet],
    out: Path | BinaryIO,
    *,
    title: str,
    progress: Progress | None = None,
) -> None:
    """Lay out every sheet, one agent per page (events that do not fit even condensed go to a
    continuation list on the next page).

    ``progress(done, total)`` is called as each sheet is placed; returning False raises
    :class:`RenderCancelled`.
    """
    font = register_fonts()
    state = _State()
    doc = BaseDocTemplate(
        str(out) if isinstance(out, Path) else out,
        initialFontName=font,  # else the canvas declares a non-embedded Helvetica on every page
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="csdesk",
        creator="csdesk",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPageEnd=_decorate(state))])
    # A batch is one document: one warning; its sheets repeat their labels, parsed and laid out once.
    with missing_glyphs_reported(title), shared_paragraphs():
        story: list[Flowable] = []
        for index, sheet in enumerate(sheets):
            if index:
                story.append(PageBreak())
            story.append(_SheetStart(state, sheet, index, len(sheets), progress))
            story += sheet_story(sheet)
        if progress is not None and not progress(0, len(sheets)):
            raise RenderCancelled
        doc.build(story, canvasmaker=page_count_canvas(sheets[0].labels.page if sheets else ""))
    if progress is not None:
        progress(len(sheets), len(sheets))
