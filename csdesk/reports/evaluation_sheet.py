"""The monthly evaluation sheet (rules.md §5, §11): one agent per page, batch in one PDF.

A pure renderer: the service computes every number and translates every label into the
sheet's language (each sheet carries its own labels, so one batch may mix languages and
rendering never touches the UI's language). User text (names, notes, reasons) is escaped.

One sheet is one A4 page (issue #14): when the sheet would run over, the events table and the
spacing condense; events that still do not fit go to a continuation list after the sheet,
which the sheet refers to. The result and the three signatures are always on the sheet's page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

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
    field_table,
    fit_widths,
    grid_table,
    missing_glyphs_reported,
    page_count_canvas,
    para,
    register_fonts,
    shared_paragraphs,
    signature_lines,
    site_logo,
    text_width,
    word_width,
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


@dataclass(frozen=True)
class _Density:
    """How tightly a sheet is set: the normal layout, or condensed to stay on one page."""

    cell: str  # event and rating cells
    right: str  # their numbers
    bold: str  # their headings
    h2: str
    padding: float  # top and bottom padding of table cells
    comments: float  # height of the comments box
    gap: float  # space before the comments box and before the signatures
    signature: tuple[float, float]  # heights of the signing and the date lines
    size: float  # font size of ``cell`` (for sizing the columns)
    head_size: float  # font size of ``bold``
    columns: int  # label/value pairs per row of the head and the result
    value: str  # style of their values


NORMAL = _Density("Cell", "CellRight", "CellBold", "H2", 3, 22 * mm, 4 * mm, (30, 22), 9, 9.5, 2, "CellBold")
CONDENSED = _Density("Tight", "TightRight", "TightBold", "H2Tight", 1, 12 * mm, 2 * mm, (24, 16), 7.5, 8, 3, "TightBold")


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
    """Each page's head (logo, site, department and the sheet's name; the agent and month on the
    right) and foot (the print date; the number "x / y" in the sheet's language, drawn by
    page_count_canvas)."""
    logos: dict[str, ImageReader | None] = {}  # one read of the logo file per batch

    def on_page_end(canvas: Canvas, doc: BaseDocTemplate) -> None:
        sheet = state.sheet
        if sheet is None:
            return
        if sheet.logo not in logos:
            logos[sheet.logo] = site_logo(sheet.logo)
        document = " · ".join(part for part in (sheet.header, sheet.labels.title) if part)
        who = f"{sheet.agent_name} · {sheet.employee_no} · {sheet.month}"
        draw_letterhead(canvas, sheet.site, document, logos[sheet.logo], right=who)
        draw_footer(canvas, sheet.labels.printed.format(when=sheet.printed))
        if isinstance(canvas, PageCountCanvas):
            canvas.page_label = sheet.labels.page

    return on_page_end


def _language(sheet: EvaluationSheet) -> str:
    """The sheet's language; a sheet built without one is Chinese when its title is."""
    if sheet.lang:
        return sheet.lang
    return "zh_CN" if any(ord(ch) >= 0x2E80 for ch in sheet.labels.title) else "en"


def _padded(table: Table, density: _Density) -> Table:
    """``table`` (already in the embedded font) with the density's cell padding."""
    if density is not NORMAL:  # the normal padding is the tables' own
        table.setStyle([("TOPPADDING", (0, 0), (-1, -1), density.padding), ("BOTTOMPADDING", (0, 0), (-1, -1), density.padding)])
    return table


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

    def events(self, events: Sequence[SheetEvent], more: int) -> list[Flowable]:
        lab, d = self.sheet.labels, self.density
        heading = para(lab.events, d.h2, lang=self.lang)
        if not events and not more:
            return [heading, para(lab.no_events, "Body", lang=self.lang)]
        table = self.events_table(events)
        if more:
            table = _with_note(table, self.p(lab.more_events.format(n=more), d.bold))
        return [heading, table]

    def events_table(self, events: Sequence[SheetEvent]) -> Table:
        lab, d = self.sheet.labels, self.density
        heads = [lab.date, lab.code, lab.item, lab.points, lab.recorded_by, lab.note]
        texts = [heads] + [[e.day, e.code, e.name, e.points, e.recorded_by, e.note] for e in events]
        rows: list[list[Any]] = [[self.p(t, d.bold) for t in heads]]
        rows += [[e.day, e.code, self.p(e.name), e.points, self.p(e.recorded_by), self.p(e.note)] for e in events]
        # Dates, codes and points never wrap (plain strings in columns that fit them); the item,
        # the recorder and the note share the rest.
        cols = [Col(nowrap=True), Col(nowrap=True), Col(weight=0), Col(nowrap=True), Col(weight=0), Col(weight=0)]
        widths = fit_widths(cols, texts, WIDTH, size=d.size, head_size=d.head_size)
        return _padded(_plain_cells(grid_table(rows, widths), d, right=(3,)), d)

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
        value_style = "Cell" if d is NORMAL else "Tight"
        full = SizedTable(
            [[para(label, "Small", lang=self.lang), para(value, value_style, lang=self.lang)] for label, value in lines],
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

    def story(self, events: Sequence[SheetEvent], more: int = 0) -> list[Flowable]:
        return [*self.head(), *self.ratings(), *self.events(events, more), *self.result(), *self.closing()]


def _plain_cells(table: Table, density: _Density, right: Sequence[int]) -> Table:
    """The size and alignment of a table's plain-string cells (below its heading row)."""
    commands: list[tuple[Any, ...]] = [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in right]
    if density.size != 9:  # grid_table's own size
        commands.append(("FONTSIZE", (0, 1), (-1, -1), density.size))
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
    """The flowables of one sheet (without the page break before it): one page, then, when
    the events do not all fit even condensed, a continuation list of the rest."""
    events = sheet.events
    normal = _Sheet(sheet, NORMAL).story(events)
    if _fits(normal):
        return normal
    condensed = _Sheet(sheet, CONDENSED)
    story = condensed.story(events)
    if _fits(story):
        return story
    # Keep as many events as fit on the sheet's page; the rest follow on a continuation list.
    low, high = 0, len(events) - 1
    while low < high:
        n = (low + high + 1) // 2
        if _fits(condensed.story(events[:n], len(events) - n)):
            low = n
        else:
            high = n - 1
    shown, rest = events[:low], events[low:]
    lab = sheet.labels
    return [
        *condensed.story(shown, len(rest)),
        PageBreak(),
        para(lab.continuation, "H2", lang=condensed.lang),
        para(f"{sheet.agent_name} · {sheet.employee_no} · {sheet.month}", "Body", lang=condensed.lang),
        *condensed.events(rest, 0)[1:],
    ]


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
