"""Layout facts of every printed document in every language (issue #14), each document rendered
once per language with long Spanish names, long numbers and dates, and read back:

- Spanish and English: no word of the document's own labels (every text it asked the catalogue
  for) and no long word of its data breaks across lines;
- Spanish, English and Chinese (simplified and traditional): every page is headed by the site
  and the document's name, and no text leaves the printable area (the side margins, 5 mm at the
  top and bottom).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import product
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from csdesk import i18n
from csdesk.i18n import format_date, format_datetime, format_number
from csdesk.reports import (
    attendance_summary,
    birthday_list,
    call_sheet,
    callback_performance,
    evaluation_sheet,
    handover_form,
    leave_form,
    missed_punch_form,
    qa_inspection,
    qa_summary,
    swap_form,
    work_digest,
)
from csdesk.reports.callback_inputs import (
    BirthdayLine,
    BirthdayListInput,
    CallSheetInput,
    CallSheetLine,
    PerformanceInput,
    PerformanceRow,
)
from csdesk.reports.qa_summary import QaSummaryInput, SummaryRow, TeamSummary
from csdesk.reports.styles import MARGIN, PAGE, register_fonts
from csdesk.reports.work_digest import DigestDay, DigestItem, DigestPerson, WorkDigestInput
from csdesk.services.attendance_types import (
    AttendanceReportInput,
    FormHeader,
    LedgerEntry,
    PunchCorrection,
    ShiftSwap,
    Signer,
    TeamMonth,
)
from csdesk.services.scorecard_print import LABELS
from tests.helpers.pdf import pdf_pages
from tests.reports.layout import (
    broken_words,
    label_words,
    labels_asked,
    pages,
    split_words,
    whole_words_missing,
    words_outside,
)
from tests.reports.test_attendance_forms import OCTOBER, _agent
from tests.reports.test_handover_forms import form
from tests.reports.test_qa_reports import inspection, report
from tests.reports.test_seed_fields import SICK
from tests.reports.test_wrapping import LATIN, _handover_items, _long_sheet

SITE = "Centro de Atención al Cliente Castañeda"
AGENT = "María Fernández Rodríguez-Villanueva"
OTHER = "Bartolomé Castañeda Fernández"
TEAM = "Equipo Castañeda"
MEMBER = "Bartolomé Castañeda Rodríguez-Villanueva (socio 12345678)"
PRINTED = datetime(2026, 10, 15, 9, 30)
HEADER = FormHeader(SITE, PRINTED, "es_ES")
SIGNERS = {"maria": Signer("agent", AGENT, "A0214"), "boss": Signer("supervisor", OTHER, "S0129")}
REASON = "Intervención de rodilla en el Hospital Universitario Fernández Rodríguez-Villanueva (cita 12345678)"
SIDE = MARGIN - 1  # points: text stays within the side margins (a glyph's box may reach a hair past)
TOP_BOTTOM = 5 * mm  # and clear of the paper's unprintable edge


def _attendance(_lang: str, out: Path) -> None:
    ledger = (LedgerEntry(date(2026, 10, 3), "A0214", AGENT, "LATES_AS_ABSENCE", 1234),
              LedgerEntry(date(2026, 10, 21), "A0129", OTHER, "SWAP_NOT_ARRANGED", 150))
    agents = (
        _agent("A0214", AGENT, TEAM, late=12, absent=3, missed=2, leave_days=12.5, deduction_cny=1234,
               flags=("DISCIPLINARY_REVIEW", "LEAVE_CAP_EXCEEDED"), ledger=ledger[:1]),
        _agent("A0129", OTHER, TEAM, early=1, deduction_cny=150, ledger=ledger[1:]),
        _agent("A0088", "Íñigo Bartolomé Rodríguez-Villanueva", TEAM, full_attendance_bonus_cny=100),
    )  # fmt: skip
    month = TeamMonth(2026, 10, TEAM, OCTOBER, agents, date(2026, 10, 31))
    attendance_summary.render(AttendanceReportInput(HEADER, month), out)


def _birthdays(_lang: str, out: Path) -> None:
    def line(day: int, member: str) -> BirthdayLine:
        return BirthdayLine(member, date(2014, 11, day), date(2026, 11, day), 12, "600 123 456", "A0214", AGENT)

    vip, others = (line(3, MEMBER),), (line(20, f"Sra. {OTHER}"), line(28, MEMBER))
    birthday_list.render(BirthdayListInput(date(2026, 11, 1), vip, others, PRINTED, site=SITE), out)


def _call_sheet(_lang: str, out: Path) -> None:
    script = ("Confirmar la devolución del pedido 12345678 con Fernández",
              "Ofrecer la renovación de la tarjeta de socio")
    lines = (
        CallSheetLine("RETRY", "SALE1", 12, "SHORT_NOTICE", MEMBER, "600 123 456", "important", True,
                      datetime(2026, 10, 15, 13, 30), datetime(2026, 10, 16, 23, 59), "overdue", "BUSY_RESCHEDULED",
                      script),
        CallSheetLine("COMPLAINT", "", 0, "MESSAGE", f"Sra. {OTHER}", "138****5678", "potential", False,
                      datetime(2026, 10, 14), datetime(2026, 10, 17, 23, 59), "due", None, ()),
    )  # fmt: skip
    sheet = CallSheetInput(date(2026, 10, 15), "A0214", AGENT, 112, 120, True, lines, PRINTED, site=SITE)
    call_sheet.render(sheet, out)


def _performance(_lang: str, out: Path) -> None:
    def row(agent: str, name: str, kind: str, planned: int) -> PerformanceRow:
        return PerformanceRow(agent, name, kind, planned, planned - 134, 84, 30, 20, planned - 84)

    rows = (row("A0214", AGENT, "RETRY", 1234), row("A0129", OTHER, "REVIEW", 1234))
    by_agent = tuple(replace(r, kind="") for r in rows)
    by_kind = tuple(replace(r, agent="", agent_name="") for r in rows)
    data = PerformanceInput(date(2026, 10, 1), rows, by_agent, by_kind, row("", "", "", 2468), PRINTED, site=SITE)
    callback_performance.render(data, out)


def _leave(_lang: str, out: Path) -> None:
    request = replace(SICK, employee_no="A0214", name=AGENT, team=TEAM, reason=REASON, created_by="maria")
    leave_form.render(request, HEADER, out, signers=SIGNERS)


def _missed_punch(_lang: str, out: Path) -> None:
    correction = PunchCorrection(1234, "A0214", AGENT, TEAM, date(2026, 10, 14), datetime(2026, 10, 15, 0, 5),
                                 REASON, "approved", date(2026, 10, 15), "maria", "boss",
                                 datetime(2026, 10, 15, 11, 0))  # fmt: skip
    missed_punch_form.render(correction, HEADER, out, signers=SIGNERS)


def _swap(_lang: str, out: Path) -> None:
    swap = ShiftSwap(1234, "A0214", AGENT, "A0129", OTHER, date(2026, 10, 22), "E", "rejected", REASON,
                     datetime(2026, 10, 15, 9, 0), "boss", datetime(2026, 10, 16, 10, 0), shift_before="E",
                     colleague_shift_before="D", shift_after="D", colleague_shift_after="E")  # fmt: skip
    swap_form.render(swap, HEADER, out, signers=SIGNERS)


def _inspection(_lang: str, out: Path) -> None:
    checked = inspection(id=1234, employee_no="A0214", name=AGENT, team=TEAM, contact="PEDIDO-12345678",
                         inspector_no="S0129", inspector_name=OTHER, comment=REASON)  # fmt: skip
    qa_inspection.render(report(site=SITE, inspection=checked), out)


def _qa_summary(_lang: str, out: Path) -> None:
    average = Decimal("87.5")
    agents = (SummaryRow("A0214", AGENT, 612, average, 12, 134), SummaryRow("A0129", OTHER, 5, None, 0, 0))
    teams = tuple(TeamSummary(team, agents, SummaryRow("", "", 617, average, 12, 134))
                  for team in (TEAM, "Equipo Rodríguez-Villanueva"))  # fmt: skip
    total = SummaryRow("", "", 1234, average, 24, 268)
    qa_summary.render(QaSummaryInput(SITE, "", PRINTED, date(2026, 10, 1), None, teams, total), out)


def _digest(_lang: str, out: Path) -> None:
    days = (DigestDay(date(2026, 10, 12), "D", f"Atención de quejas de {OTHER}", "Devolver 1234 llamadas",
                      312, 12, 134),
            DigestDay(date(2026, 10, 13), "E", "Revisión del pedido 12345678", "", 128, 3, 45))  # fmt: skip
    people = (DigestPerson(f"{AGENT} (A0214)", TEAM, days), DigestPerson(f"{OTHER} (A0129)", None, days[:1]))
    item = DigestItem(214, MEMBER, "Confirmar devolución con Fernández", f"{AGENT} (A0214)",
                      datetime(2026, 10, 16, 12, 0), "overdue", 12)  # fmt: skip
    data = WorkDigestInput(site=SITE, team=TEAM, week_start=date(2026, 10, 12), week_end=date(2026, 10, 18),
                           people=people, handovers=14, unacknowledged=1, items_opened=1234, items_closed=612,
                           open_items=(item,), penalties=2, printed_at=PRINTED)  # fmt: skip
    work_digest.render(data, out)


def _handover(_lang: str, out: Path) -> None:
    authors = (f"{AGENT} (A0214)", f"{OTHER} (A0129)")
    handover_form.render(form(site=SITE, items=_handover_items(), authors=authors), out)


def _evaluation(lang: str, out: Path) -> None:
    evaluation_sheet.render([replace(_long_sheet(lang), site=SITE)], out, title="x")


@dataclass(frozen=True)
class Document:
    render: Callable[[str, Path], None]  # (language, file), in the installed language
    title: str  # msgid of the document's name in every page's head (up to a placeholder)
    data: Callable[[], tuple[str, ...]] = lambda: ()  # its long data words, as printed in the installed language


def _short(day: date) -> str:
    return format_date(day, "short")


# Every printed document; the handover form and the evaluation sheet are checked word by word in
# test_wrapping.py, here for their heads and margins.
DOCUMENTS = {
    "attendance_summary": Document(
        _attendance, "Monthly attendance summary",
        lambda: ("A0214", format_number(1234), format_number(1384), _short(date(2026, 10, 3))),
    ),
    "birthday_list": Document(
        _birthdays, "Birthday calls — {month}", lambda: ("12345678", "A0214", format_date(date(2026, 11, 20))),
    ),
    "call_sheet": Document(
        _call_sheet, "Call sheet", lambda: ("12345678", "A0214", format_number(112), _short(date(2026, 10, 16))),
    ),
    "callback_performance": Document(
        _performance, "Callback performance — {month}",
        lambda: ("A0214", format_number(1234), format_number(2468), format_number(1100)),
    ),
    "leave_form": Document(
        _leave, "Leave request form", lambda: ("12345678", "A0214", "S0129", format_date(date(2026, 10, 20))),
    ),
    "missed_punch_form": Document(
        _missed_punch, "Missed-punch correction form",
        lambda: ("12345678", "A0214", "1234", format_datetime(datetime(2026, 10, 15, 0, 5), "short")),
    ),
    "swap_form": Document(_swap, "Shift swap request form", lambda: ("12345678", "A0214", "A0129", "1234")),
    "qa_inspection": Document(
        _inspection, "Quality inspection report", lambda: ("PEDIDO-12345678", "A0214", "S0129", "1234"),
    ),
    "qa_summary": Document(
        _qa_summary, "Monthly quality inspection summary",
        lambda: ("A0214", format_number(612), format_number(1234), format_number(Decimal("87.5"), 1)),
    ),
    "work_digest": Document(
        _digest, "Weekly work-record digest",
        lambda: ("12345678", "A0214", format_number(1234), format_number(312), format_number(214)),
    ),
    "handover_form": Document(_handover, "Shift handover form"),
    "evaluation_sheet": Document(_evaluation, LABELS.title),
}  # fmt: skip
WORD_BY_WORD = [d for d in DOCUMENTS if d not in ("handover_form", "evaluation_sheet")]
LANGUAGES = (*LATIN, "zh_CN", "zh_TW")


@dataclass(frozen=True)
class Printed:
    path: Path
    pages: list[str]  # pdftotext -layout, one text a page
    labels: list[str]  # every text the document asked the catalogue for


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Printed]:
    """Each document rendered once per language (both tests read the same file), with the
    language installed for the test."""
    done: dict[tuple[str, str], Printed] = {}

    def get(document: str, lang: str) -> Printed:
        i18n.install(lang)
        if (document, lang) not in done:
            out = tmp_path_factory.mktemp(document) / f"{lang}.pdf"
            with labels_asked() as labels:
                DOCUMENTS[document].render(lang, out)
            done[document, lang] = Printed(out, pages(out), labels)
        return done[document, lang]

    return get


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("document", "lang"), list(product(WORD_BY_WORD, LATIN)))
def test_no_word_of_the_documents_labels_or_long_data_breaks_across_lines(  # type: ignore[no-untyped-def]
    printed, document: str, lang: str
) -> None:
    result = printed(document, lang)
    text = "\n".join(result.pages)
    data = label_words((AGENT, OTHER, *DOCUMENTS[document].data()))
    labels = label_words(result.labels)
    assert len(labels) >= 10  # the document's labels were read off it
    assert broken_words(text, labels | data) == []
    assert whole_words_missing(text, data) == []


@pytest.mark.parametrize(("document", "lang"), list(product(DOCUMENTS, LANGUAGES)))
def test_every_page_is_headed_by_the_site_and_the_document_and_no_text_leaves_the_page(  # type: ignore[no-untyped-def]
    printed, document: str, lang: str
) -> None:
    result = printed(document, lang)
    assert len(result.pages) == pdf_pages(result.path)
    site, title = _squeezed(SITE), _squeezed(i18n._(DOCUMENTS[document].title).split("{")[0])
    for number, page in enumerate(result.pages, start=1):
        head = _squeezed(next(line for line in page.splitlines() if line.strip()))
        assert head.startswith(site) and title in head, (number, head)
    assert words_outside(result.path, SIDE, TOP_BOTTOM) == []


def test_the_broken_word_check_finds_words_in_two_pieces_and_in_three() -> None:
    """What the Spanish callback report and digest printed (issue #14); two pieces as
    split_words finds them."""
    text = (" Tasa de p      Contacta     Fernández Rod     Cum\n"
            " untualida      do           ríguez-Villanue   ple\n"
            " d                           va (A0214)\n")  # fmt: skip
    words = {"puntualidad", "Contactado", "Rodríguez-Villanueva", "Cumple", "Fernández", "Tasa"}
    assert broken_words(text, words) == ["Contacta|do", "Cum|ple", "Rod|ríguez-Villanue|va", "p|untualida|d"]
    assert split_words(text, words) == ["Contacta|do", "Cum|ple"]
    numbered = "".join(f" Pedido 12345678, llamada {n}\n" for n in range(1, 9))  # a column of single digits
    assert broken_words(numbered, {"12345678"}) == []


def test_the_margin_check_finds_text_past_the_margins(tmp_path: Path) -> None:
    """A table wider than its frame prints into the right margin and off the paper."""
    out = tmp_path / "wide.pdf"
    canvas = Canvas(str(out), pagesize=PAGE)
    canvas.setFont(register_fonts(), 9)
    canvas.drawString(MARGIN, PAGE[1] / 2, "Inside")
    canvas.drawString(PAGE[0] - MARGIN - 5, PAGE[1] / 2, "Contactado")
    canvas.drawString(MARGIN, 2 * mm, "Impreso")
    canvas.save()
    found = words_outside(out, SIDE, TOP_BOTTOM)
    assert sorted(f.split()[2] for f in found) == ["Contactado", "Impreso"]
