"""The quality-inspection report and the month's QA summary (issue 15, rules.md §10), rendered
from plain inputs and read back as text, in Chinese and Spanish; and the two ``csdesk print``
commands that write them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.cli import main
from csdesk.models.domain_qa import FindingRecord, InspectionRecord
from csdesk.reports import qa_inspection, qa_summary
from csdesk.reports.qa_inspection import QaInspectionInput, QuestionLine, SectionLine
from csdesk.reports.qa_summary import QaSummaryInput, SummaryRow, TeamSummary
from csdesk.services.base import SYSTEM
from tests.helpers.pdf import pdf_pages, pdf_text
from tests.reports.layout import pages
from tests.reports.test_fonts import STANDARD_FONTS, pdf_fonts

PRINTED = datetime(2026, 10, 20, 9, 0)
LANGUAGES = ("zh_CN", "es_ES")


def inspection(**changes: object) -> InspectionRecord:
    base = InspectionRecord(
        id=7, person_id=8, employee_no="A001", name="孙艳", team="客服一组", contact="CALL-1 <42>",
        inspected_on=date(2026, 10, 5), inspector_id=3, inspector_no="S003", inspector_name="María Núñez",
        mode="live", form_id=1, form_code="STANDARD", form_version=2, exact=Fraction(90), critical=False,
        calibration=False, comment="Llamada difícil & cliente molesto", recorded_by="qa", recorded_at=PRINTED,
    )  # fmt: skip
    return InspectionRecord(**{**base.__dict__, **changes})


def question(code: str, answer: str, earned: str | None, comment: str = "", critical: bool = False) -> QuestionLine:
    return QuestionLine(code, answer, None if earned is None else Decimal(earned), 1, comment, critical)


def report(**changes: object) -> QaInspectionInput:
    sections = (
        SectionLine("etiquette", 30, Decimal("66.7"), False, (
            question("Q01", "yes", "1"), question("Q02", "no", "0", "没有开场白"), question("Q03", "yes", "1"))),
        SectionLine("process", 30, Decimal("100"), False, (question("Q04", "yes", "1"), question("Q07", "na", None))),
        SectionLine("service", 40, Decimal("100"), False, (
            question("Q05", "yes", "1", "tono amable"), question("Q06", "yes", "1", critical=True))),
    )  # fmt: skip
    finding = FindingRecord(
        id=1, inspection_id=7, person_id=8, employee_no="A001", name="孙艳", team="客服一组", contact="CALL-1 <42>",
        inspected_on=date(2026, 10, 5), question="Q02", kind="etiquette", impact="major", deadline=date(2026, 10, 12),
        status="fed_back", fed_back_at=PRINTED, fed_back_by="qa", outcome=None, rechecked_on=None, rechecked_by=None,
        note="", event_id=None, version=2,
    )  # fmt: skip
    base = QaInspectionInput("华南客服中心", "", PRINTED, inspection(), sections, (), Decimal(0), (), (finding,))
    return QaInspectionInput(**{**base.__dict__, **changes})


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def assert_embedded_font_only(path: Path) -> None:
    fonts = pdf_fonts(path)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert not [name for name, _e in fonts if name.split("+")[-1].startswith(STANDARD_FONTS)], fonts


@pytest.mark.parametrize(("lang", "score", "deadline"), [("zh_CN", "90.0", "2026/10/12"), ("es_ES", "90,0", "12/10/26")])
def test_the_inspection_report_carries_the_people_answers_scores_findings_and_signatures(
    tmp_path: Path, lang: str, score: str, deadline: str
) -> None:
    i18n.install(lang)
    out = tmp_path / "inspection.pdf"
    qa_inspection.render(report(), out)
    text = pdf_text(out)
    for part in ("华南客服中心", "孙艳 (A001)", "María Núñez (S003)", "客服一组", "CALL-1 <42>", "STANDARD",
                 "没有开场白", "tono amable", "Llamada difícil & cliente molesto", "Q02", "Q06", score, deadline):
        assert part in text, part  # fmt: skip
    assert i18n._("No") in text and i18n._("Yes") in text  # the answers in words
    assert "0/1" in squeezed(text) and "—" in text  # points earned of the question's; N/A earns none
    assert squeezed(i18n._("Page {page}").format(page="1 / 1")) in squeezed(text)
    assert text.count("________________") == 2 and text.count("____________") >= 4  # inspector and agent
    assert_embedded_font_only(out)


ALL_YES_CLAIM = "every applicable question was answered yes"


def test_a_critical_failure_and_a_calibration_inspection_are_said_on_the_report(tmp_path: Path) -> None:
    out = tmp_path / "inspection.pdf"
    qa_inspection.render(report(inspection=inspection(exact=Fraction(0), critical=True, calibration=True),
                                critical_failures=("Q06",), findings=()), out)  # fmt: skip
    text = squeezed(pdf_text(out))
    assert squeezed("Critical failure (Q06 Accuracy of the answers): the inspection scores 0.") in text
    assert squeezed("Calibration inspection: it does not count in the agent's results.") in text
    # Q02 was answered no: a calibration inspection makes no findings, it was not all yes.
    assert squeezed("No findings: a calibration inspection makes none, whatever its answers.") in text
    assert squeezed(ALL_YES_CLAIM) not in text


@pytest.mark.parametrize("calibration", [False, True])
def test_a_zeroed_inspection_without_findings_never_claims_every_answer_was_yes(
    tmp_path: Path, calibration: bool
) -> None:
    service = (question("Q05", "yes", "1"), question("Q06", "no", "0", critical=True))
    sections = (SectionLine("service", 40, Decimal(0), True, service),)
    out = tmp_path / "inspection.pdf"
    qa_inspection.render(report(inspection=inspection(exact=Fraction(0), critical=True, calibration=calibration),
                                sections=sections, critical_failures=("Q06",), findings=()), out)  # fmt: skip
    text = squeezed(pdf_text(out))
    assert squeezed("0 findings") in text and squeezed(ALL_YES_CLAIM) not in text


@pytest.mark.parametrize(("service", "bonus"), [
    ((question("Q05", "yes", "1"), question("Q06", "no", "0")), ()),  # a no that made no finding
    ((question("Q05", "yes", "1"), QuestionLine("Q06", "1", Decimal(1), 2, "", False)), ()),  # half the points
    ((question("Q05", "yes", "1"), question("Q06", "", None)), ()),  # a question left unanswered
    ((question("Q05", "yes", "1"), question("Q06", "yes", "1")), (QuestionLine("Q08", "no", Decimal(0), 5, "", False),)),
])  # fmt: skip
def test_an_inspection_not_answered_yes_throughout_never_claims_it(tmp_path: Path, service, bonus) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "inspection.pdf"
    qa_inspection.render(report(sections=(SectionLine("service", 40, Decimal(50), False, service),), bonus=bonus,
                                findings=()), out)  # fmt: skip
    text = squeezed(pdf_text(out))
    assert squeezed("0 findings") in text and squeezed("No findings recorded for this inspection.") in text
    assert squeezed(ALL_YES_CLAIM) not in text


def test_an_inspection_answered_yes_throughout_says_so_when_it_has_no_findings(tmp_path: Path) -> None:
    sections = (SectionLine("service", 40, Decimal(100), False, (question("Q05", "yes", "1"), question("Q07", "na", None))),)
    out = tmp_path / "inspection.pdf"
    qa_inspection.render(report(sections=sections, findings=()), out)
    assert squeezed("No findings: every applicable question was answered yes.") in squeezed(pdf_text(out))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_month_summary_lists_each_team_with_subtotals_a_total_and_numbered_pages(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)

    def row(n: int, average: str | None) -> SummaryRow:
        return SummaryRow(f"A{n:03d}", "Begoña Peña" if n % 2 else "王欣怡", 2, None if average is None else Decimal(average),
                          int(n % 3 == 0), 1)  # fmt: skip

    teams = tuple(
        TeamSummary(team, tuple(row(n, "87.5") for n in range(start, start + 30)), SummaryRow("", "", 60, Decimal("87.5"), 10, 30))
        for team, start in (("客服一组", 1), ("Equipo Sur", 31))
    )  # fmt: skip
    data = QaSummaryInput("华南客服中心", "", PRINTED, date(2026, 10, 1), None, teams,
                          SummaryRow("", "", 120, Decimal("87.5"), 20, 60))  # fmt: skip
    out = tmp_path / "summary.pdf"
    qa_summary.render(data, out)
    text = pdf_text(out)
    for part in ("客服一组", "Equipo Sur", "A001", "A060", "Begoña Peña", "王欣怡", "120", i18n._("Subtotal"),
                 i18n.pgettext("money", "Total"), i18n.format_number(Decimal("87.5"), 1), i18n._("All teams"),
                 i18n.format_month(2026, 10)):
        assert part in text, part  # fmt: skip
    total = pdf_pages(out)
    assert total >= 2
    for number, page in enumerate(pages(out), start=1):
        assert page.lstrip().startswith("华南客服中心")
        assert squeezed(i18n._("Page {page}").format(page=f"{number} / {total}")) in squeezed(page)
    assert "________________" in pages(out)[-1]  # the signatures close the last page, with rows of the table
    assert_embedded_font_only(out)


def test_a_month_without_inspections_says_so(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    qa_summary.render(QaSummaryInput("", "", PRINTED, date(2026, 9, 1), "客服二组", (), SummaryRow("", "", 0, None, 0, 0)), out)
    text = pdf_text(out)
    assert "No inspections this month." in text and "客服二组" in text and "September 2026" in text


# --- the commands -----------------------------------------------------------------------------


@pytest.fixture
def inspected(demo_ctx):
    """A001 (客服一组) inspected with Q02 failed; A002 (客服二组) with the critical Q06 failed."""
    qa = demo_ctx.auth.resolve_actor("qa")
    answers = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
    first = demo_ctx.qa.record_inspection(qa, "A001", "CALL-1", date(2026, 10, 5), {**answers, "Q02": "no"},
                                          comments={"Q02": "没有开场白"})  # fmt: skip
    second = demo_ctx.qa.record_inspection(qa, "A002", "T-77", date(2026, 10, 6), {**answers, "Q06": "no"})
    return demo_ctx, first.inspection.id, second.inspection.id


def test_csdesk_prints_an_inspection_and_the_month_s_summary(inspected, tmp_path: Path, capsys) -> None:
    ctx, first, _second = inspected
    out = tmp_path / "inspection.pdf"
    assert main(["--db", ctx.db_url, "print", "qa-inspection", str(first), "--lang", "es_ES", "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "孙艳 (A001)" in text and "林晓东 (S003)" in text and "没有开场白" in text and "90,0" in text
    summary = tmp_path / "summary.pdf"
    code = main(["--db", ctx.db_url, "--json", "print", "qa-summary", "--month", "2026-10", "--team", "客服一组",
                 "--lang", "zh_CN", "--out", str(summary)])  # fmt: skip
    assert code == 0 and f'"file": "{summary}"' in capsys.readouterr().out
    text = pdf_text(summary)
    assert "A001" in text and "90.0" in text and "A002" not in text  # only the team asked for
    assert "客服一组" in text


def test_an_agent_may_print_their_own_inspection_only(inspected, tmp_path: Path, monkeypatch, capsys) -> None:
    ctx, first, second = inspected
    monkeypatch.setenv("CSDESK_USER", "agent1")
    out = tmp_path / "own.pdf"
    assert main(["--db", ctx.db_url, "print", "qa-inspection", str(first), "--lang", "en", "--out", str(out)]) == 0
    assert main(["--db", ctx.db_url, "print", "qa-inspection", str(second), "--lang", "en", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "own" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()
    summary = ctx.qa.month_report(ctx.auth.resolve_actor("agent1"), "2026-10")
    assert [a.employee_no for t in summary.teams for a in t.agents] == ["A001"]
    assert ctx.qa.month_report(SYSTEM, "2026-10").total.critical_failures == 1


def test_a_printed_calibration_inspection_answered_no_says_it_makes_no_findings(inspected, tmp_path: Path) -> None:
    ctx, _first, _second = inspected
    answers = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
    calibration = ctx.qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 6), {**answers, "Q03": "no"},
                                           inspector="S001", calibration=True)  # fmt: skip
    out = tmp_path / "calibration.pdf"
    assert main(["--db", ctx.db_url, "print", "qa-inspection", str(calibration.inspection.id), "--lang", "en",
                 "--out", str(out)]) == 0  # fmt: skip
    text = squeezed(pdf_text(out))
    assert squeezed("No findings: a calibration inspection makes none, whatever its answers.") in text
    assert squeezed(ALL_YES_CLAIM) not in text
