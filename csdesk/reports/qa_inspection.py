"""The printed quality-inspection report (rules.md §10): who, which contact, when and how; every
question of the form as answered with its comment; the section scores and the total; the
findings with their deadlines; the inspector's and the agent's signatures.

A pure renderer: the service scores nothing here, it hands over the lines as saved.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from csdesk.i18n import _, format_date, format_number, format_percent, ngettext
from csdesk.labels import name_of
from csdesk.models.domain_qa import FindingRecord, InspectionRecord
from csdesk.qa_labels import IMPACT_NAMES, MODE_NAMES, SECTION_NAMES, answer_label, finding_status, question_label
from csdesk.records import record
from csdesk.reports.leave_form import person
from csdesk.reports.styles import (
    MARGIN,
    PAGE,
    SHADE,
    Col,
    build_pdf,
    escape,
    field_table,
    fit_widths,
    grid_table,
    para,
    signature_lines,
)

_FAILED_HEX = "#b00020"  # a failed section or inspection
_FAILED = colors.HexColor(_FAILED_HEX)
WIDTH = PAGE[0] - 2 * MARGIN


@record
class QuestionLine:
    """One question as answered: ``answer`` as stored (yes, no, na or points; empty: not
    answered), ``earned`` its points (None: not applicable or not answered) of ``points``;
    ``critical``: a no fails its section or the whole inspection."""

    code: str
    answer: str
    earned: Decimal | None
    points: int
    comment: str
    critical: bool


@record
class SectionLine:
    """A section of the form with its weight and score (``percent`` None: every answer was
    not applicable, so the section dropped out); ``failed``: a critical question made it 0 %."""

    code: str
    weight: int
    percent: Decimal | None
    failed: bool
    questions: tuple[QuestionLine, ...]


@record
class QaInspectionInput:
    """One saved inspection as the report prints it; ``bonus_points`` were added to the score."""

    site: str
    logo: str
    printed_at: datetime
    inspection: InspectionRecord
    sections: tuple[SectionLine, ...]
    bonus: tuple[QuestionLine, ...]
    bonus_points: Decimal
    critical_failures: tuple[str, ...]
    findings: tuple[FindingRecord, ...]


def _title() -> str:
    return _("Quality inspection report")


def _header(data: QaInspectionInput) -> list[Flowable]:
    i = data.inspection
    flow: list[Flowable] = [
        para(_title(), "Title"),
        para(" · ".join((person(i.name, i.employee_no), i.contact, _("No. {id}").format(id=i.id))), "Subtitle"),
        field_table([
            (_("Agent"), person(i.name, i.employee_no)),
            (_("Team"), i.team or "—"),
            (_("Contact"), i.contact),
            (_("Date"), format_date(i.inspected_on)),
            (_("Inspector"), person(i.inspector_name, i.inspector_no)),
            (_("Mode"), name_of(MODE_NAMES, i.mode)),
            (_("Form"), _("{form}, version {version}").format(form=i.form_code, version=i.form_version)),
            (_("Score"), format_number(i.score, 1)),
        ]),
    ]  # fmt: skip
    if i.calibration:
        flow.append(para(_("Calibration inspection: it does not count in the agent's results."), "Small"))
    return flow


def _points(line: QuestionLine) -> str:
    return "—" if line.earned is None else f"{format_number(line.earned)} / {format_number(line.points)}"


def _question(line: QuestionLine) -> str:
    return question_label(line.code) + (" ★" if line.critical else "")


def _section_title(section: SectionLine) -> str:
    return _("{section} · weight {weight}").format(
        section=name_of(SECTION_NAMES, section.code), weight=format_percent(section.weight / 100))


def _answers_table(data: QaInspectionInput) -> Table:
    heads = [_("Question"), _("Answer"), _("Points"), _("Comment")]
    texts: list[list[str]] = [heads]
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    spans: list[int] = []
    blocks = [(_section_title(s), s.questions) for s in data.sections]
    if data.bonus:
        blocks.append((_("Bonus questions"), data.bonus))
    for title, questions in blocks:
        spans.append(len(rows))
        texts.append([title, "", "", ""])
        rows.append([para(title, "CellBold"), "", "", ""])
        for q in questions:
            cells = [_question(q), answer_label(q.answer) if q.answer else "—", _points(q), q.comment]
            texts.append(cells)
            rows.append([para(cells[0]), para(cells[1]), para(cells[2], "CellRight"), para(cells[3])])
    cols = [Col(weight=1), Col(nowrap=True), Col(nowrap=True), Col(weight=2)]
    table = grid_table(rows, fit_widths(cols, [t for n, t in enumerate(texts) if n not in spans], WIDTH))
    table.setStyle([("SPAN", (0, r), (-1, r)) for r in spans] + [("BACKGROUND", (0, r), (-1, r), SHADE) for r in spans])
    return table


def _legend(data: QaInspectionInput) -> list[Flowable]:
    if not any(q.critical for s in data.sections for q in s.questions):
        return []
    return [para("★ " + _("Critical question: a no fails its section or the whole inspection."), "Small")]


def _section_score(section: SectionLine) -> str:
    if section.percent is None:
        return _("not applicable")
    return format_percent(float(section.percent) / 100)


def _scores_table(data: QaInspectionInput) -> Table:
    heads = [_("Section"), _("Weight"), _("Score")]
    texts: list[list[str]] = [heads]
    for s in data.sections:
        texts.append([name_of(SECTION_NAMES, s.code), format_percent(s.weight / 100), _section_score(s)])
    if data.bonus:
        texts.append([_("Bonus questions"), "", "+" + format_number(data.bonus_points)])
    texts.append([_("Total score"), "", format_number(data.inspection.score, 1)])
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    rows += [[para(t[0]), para(t[1], "CellRight"), para(t[2], "CellRight")] for t in texts[1:-1]]
    rows.append([para(texts[-1][0], "CellBold"), "", para(texts[-1][2], "CellRight")])
    table = grid_table(rows, fit_widths([Col(weight=1), Col(nowrap=True), Col(nowrap=True)], texts, WIDTH / 2))
    style: list[tuple[Any, ...]] = [("SPAN", (0, -1), (1, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    style += [("TEXTCOLOR", (2, r), (2, r), _FAILED) for r, s in enumerate(data.sections, start=1) if s.failed]
    table.setStyle(style)
    table.hAlign = "LEFT"
    return table


def _critical(data: QaInspectionInput) -> list[Flowable]:
    if not data.critical_failures:
        return []
    names = ", ".join(question_label(q) for q in data.critical_failures)
    text = _("Critical failure ({questions}): the inspection scores 0.").format(questions=names)
    return [Spacer(1, 2 * mm), para(f'<font color="{_FAILED_HEX}">{escape(text)}</font>', "Body", markup=True)]


def _all_yes(data: QaInspectionInput) -> bool:
    """Every scored question was answered, yes (full points) or not applicable, every bonus
    question answered was too, and no critical question failed."""
    scored = [q for s in data.sections for q in s.questions]
    full = all(q.earned is None or q.earned >= q.points for q in (*scored, *data.bonus))
    return full and all(q.answer for q in scored) and not data.critical_failures


def _no_findings(data: QaInspectionInput) -> str:
    """Why the inspection has no finding, as it truly is: a calibration inspection makes none
    whatever its answers, and only an inspection answered yes throughout is said to be."""
    if data.inspection.calibration:
        return _("No findings: a calibration inspection makes none, whatever its answers.")
    if _all_yes(data):
        return _("No findings: every applicable question was answered yes.")
    return _("No findings recorded for this inspection.")


def _findings(data: QaInspectionInput) -> list[Flowable]:
    findings = data.findings
    title = para(ngettext("{n} finding", "{n} findings", len(findings)).format(n=format_number(len(findings))), "H2")
    if not findings:
        return [title, para(_no_findings(data), "Body")]
    heads = [_("Question"), _("Section"), _("Impact"), _("Deadline"), _("Status")]
    texts: list[list[str]] = [heads]
    for f in findings:
        texts.append([question_label(f.question), name_of(SECTION_NAMES, f.kind), name_of(IMPACT_NAMES, f.impact),
                      format_date(f.deadline, "short"), finding_status(f.status, f.outcome)])  # fmt: skip
    rows: list[list[Any]] = [[para(h, "CellBold") for h in heads]]
    rows += [[para(c) for c in t] for t in texts[1:]]
    cols = [Col(weight=2), Col(weight=1), Col(weight=1), Col(nowrap=True), Col(weight=1)]
    return [title, grid_table(rows, fit_widths(cols, texts, WIDTH), zebra=True)]


def _closing(data: QaInspectionInput) -> Flowable:
    """The comment and the signatures stay on one page: never a page of signature lines alone."""
    i = data.inspection
    block: list[Flowable] = []
    if i.comment:
        block += [para(_("Comment"), "H2"), para(i.comment, "Body")]
    block += [Spacer(1, 10 * mm), signature_lines([
        _("Inspector: {name}").format(name=person(i.inspector_name, i.inspector_no)),
        _("Agent: {name}").format(name=person(i.name, i.employee_no)),
    ])]  # fmt: skip
    return KeepTogether(block)


def story(data: QaInspectionInput) -> list[Flowable]:
    return [
        *_header(data),
        para(_("Answers"), "H2"),
        _answers_table(data),
        *_legend(data),
        para(_("Result"), "H2"),
        _scores_table(data),
        *_critical(data),
        *_findings(data),
        _closing(data),
    ]


def render(data: QaInspectionInput, out: Path | BinaryIO) -> None:
    """Every page is headed by the site, the report, the agent and the inspection's number."""
    i = data.inspection
    head = " · ".join((_title(), person(i.name, i.employee_no), _("No. {id}").format(id=i.id)))
    build_pdf(out, story(data), title=f"{_title()} {i.id}", header=head, site=data.site, logo=data.logo,
              printed_at=data.printed_at)  # fmt: skip
