"""The monthly evaluation sheet (rules.md §5, §11): one agent per page, batch in one PDF.

A pure renderer: the service computes every number and translates every label into the
sheet's language (each sheet carries its own labels, so one batch may mix languages and
rendering never touches the UI's language). User text (names, notes, reasons) is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from csdesk.reports.evaluation_inputs import EvaluationSheet, RenderCancelled, SheetEvent, SheetLabels, SheetRating
from csdesk.reports.styles import (
    GRID,
    MARGIN,
    PAGE,
    SHADE,
    comments_box,
    field_table,
    grid_table,
    para,
    register_fonts,
)

# The sheet's inputs live in evaluation_inputs (cheap to import); they are part of this API too.
__all__ = ["EvaluationSheet", "RenderCancelled", "SheetEvent", "SheetLabels", "SheetRating", "render", "sheet_story"]

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


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
    def on_page_end(canvas: Canvas, doc: BaseDocTemplate) -> None:
        sheet = state.sheet
        if sheet is None:
            return
        canvas.saveState()
        canvas.setFont(register_fonts(), 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, PAGE[1] - 10 * mm, sheet.header)
        canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - 10 * mm, f"{sheet.agent_name} · {sheet.employee_no} · {sheet.month}")
        canvas.drawRightString(PAGE[0] - MARGIN, 9 * mm, sheet.labels.page.format(page=doc.page))
        canvas.drawString(MARGIN, 9 * mm, sheet.labels.printed.format(when=sheet.printed))
        canvas.restoreState()

    return on_page_end


def _embedded(table: Table) -> Table:
    """Plain-string cells (even empty ones) set the table's font: make it the embedded one, so
    the PDF uses no font it does not carry."""
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts())]))
    return table


def _signatures(labels: SheetLabels) -> Table:
    roles = (labels.agent_signs, labels.evaluator_signs, labels.supervisor_signs)
    cells = [
        [para(role, "CellBold") for role in roles],
        [para(f"{labels.signature}: ________________", "Body") for _r in roles],
        [para(f"{labels.sign_date}: ____________", "Body") for _r in roles],
    ]
    width = (PAGE[0] - 2 * MARGIN) / len(roles)
    table = Table(cells, colWidths=[width] * len(roles), rowHeights=[16, 30, 22])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return _embedded(table)


def _summary(sheet: EvaluationSheet) -> list[Flowable]:
    lab = sheet.labels
    adjustment = sheet.adjustment + (f" ({lab.reason}: {sheet.adjustment_reason})" if sheet.adjustment_reason else "")
    pairs = [
        (lab.rated_part, f"{sheet.rated_total} / {sheet.rated_maximum}"),
        (lab.bonus, sheet.bonus),
        (lab.deduction, sheet.deduction),
        (lab.adjustment, adjustment),
        (lab.raw_total, sheet.raw_total),
        (lab.total, sheet.total),
        (lab.grade, sheet.grade),
        (lab.pay_float, sheet.pay_float),
        (lab.exam, sheet.exam),
        (lab.flags, "; ".join(sheet.flags) or "—"),
    ]
    width = PAGE[0] - 2 * MARGIN
    attendance = Table(
        [[para(lab.attendance, "Small"), para(sheet.attendance or "—", "Cell")]], colWidths=[width * 0.16, width * 0.84]
    )
    attendance.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (0, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return [_embedded(field_table(pairs, columns=2)), _embedded(attendance)]


def sheet_story(sheet: EvaluationSheet) -> list[Flowable]:
    """The flowables of one sheet (without the page break)."""
    lab = sheet.labels
    width = PAGE[0] - 2 * MARGIN
    head = [
        (lab.agent, sheet.agent_name),
        (lab.employee_no, sheet.employee_no),
        (lab.team, sheet.team),
        (lab.level, sheet.level),
        (lab.month, sheet.month),
    ]
    story: list[Flowable] = [
        para(lab.title, "Title"),
        para(sheet.month, "Subtitle"),
        _embedded(field_table(head, columns=2)),
        para(lab.rated_part, "H2"),
        grid_table(
            [[para(lab.criterion, "CellBold"), para(lab.score, "CellBold"), para(lab.maximum, "CellBold")]]
            + [[para(r.name), para(r.value, "CellRight"), para(r.maximum, "CellRight")] for r in sheet.ratings]
            + [[para(lab.rated_part, "CellBold"), para(sheet.rated_total, "CellRight"), para(sheet.rated_maximum, "CellRight")]],
            widths=[width * 0.64, width * 0.18, width * 0.18],
        ),
        para(lab.events, "H2"),
    ]
    if sheet.events:
        header = [para(t, "CellBold") for t in (lab.date, lab.code, lab.item, lab.points, lab.recorded_by, lab.note)]
        rows: list[list[Any]] = [header] + [
            [para(e.day), para(e.code), para(e.name), para(e.points, "CellRight"), para(e.recorded_by), para(e.note)]
            for e in sheet.events
        ]
        story.append(grid_table(rows, widths=[width * f for f in (0.13, 0.09, 0.32, 0.09, 0.14, 0.23)]))
    else:
        story.append(para(lab.no_events, "Body"))
    story += [
        para(lab.summary, "H2"),
        *_summary(sheet),
        Spacer(1, 4 * mm),
        _embedded(comments_box(lab.comments, height=22 * mm)),
        Spacer(1, 4 * mm),
        _signatures(lab),
    ]
    return story


def render(
    sheets: Sequence[EvaluationSheet],
    out: Path | BinaryIO,
    *,
    title: str,
    progress: Progress | None = None,
) -> None:
    """Lay out every sheet, one agent per page (a long event list continues on the next page).

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
        topMargin=MARGIN + 2 * mm,
        bottomMargin=MARGIN,
        title=title,
        author="csdesk",
        creator="csdesk",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPageEnd=_decorate(state))])
    story: list[Flowable] = []
    for index, sheet in enumerate(sheets):
        if index:
            story.append(PageBreak())
        story.append(_SheetStart(state, sheet, index, len(sheets), progress))
        story += sheet_story(sheet)
    if progress is not None and not progress(0, len(sheets)):
        raise RenderCancelled
    doc.build(story)
    if progress is not None:
        progress(len(sheets), len(sheets))
