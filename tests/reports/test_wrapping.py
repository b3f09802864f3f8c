"""Text wraps by the document's language (issue #14): in Spanish and English a word or a number
never breaks inside ("Priorida|d", "Fernánde|z", "21|4"); codes, numbers and dates never wrap.
Chinese keeps wrapping by character."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.handover_labels import LINK_KIND_NAMES, PRIORITY_NAMES, STATUS_NAMES
from csdesk.reports import evaluation_sheet, handover_form
from csdesk.reports.evaluation_sheet import SheetEvent, SheetLabels, SheetRating
from csdesk.reports.handover_form import FormItem
from csdesk.reports.styles import Col, fit_widths, stylesheet, text_width, word_width
from csdesk.services.scorecard_print import LABELS, SheetText
from tests.helpers.pdf import pdf_pages
from tests.reports.layout import label_words, pages, split_words, whole_words_missing
from tests.reports.test_evaluation_sheet import sheet
from tests.reports.test_handover_forms import form

LATIN = ("es_ES", "en")
LONG_NAMES = ("Fernández", "Castañeda", "Rodríguez-Villanueva", "Bartolomé")
NUMBERS = ("12345678", "A0214", "2026-10-08", "M08")

# Every fixed text of the handover form (its own labels, as the code asks for them).
HANDOVER_MSGIDS = (
    "Shift handover form", "All teams", "Team", "Shift", "Outgoing", "Handed over at", "Incoming", "Acknowledged at",
    "Work summary", "Desk and equipment", "Desk left messy at shift change", "Open items ({n})", "No.",
    "Customer / subject", "Pending", "Owner", "Due", "Priority", "Status", "Takeover record",
    "Takeover note (to be written by the incoming shift)", "Outgoing shift: {names}", "Incoming shift",
    "Signature", "Date", "carried {n}×", "Printed {when}", "Page {page}",
    *PRIORITY_NAMES.values(), *STATUS_NAMES.values(), *LINK_KIND_NAMES.values(),
)  # fmt: skip


def _handover_items() -> tuple[FormItem, ...]:
    """Long names, long numbers and item numbers of three digits: what broke before."""
    return tuple(
        FormItem(
            number, f"Sra. Castañeda Bartolomé (pedido {12345678 + number})", "Confirmar devolución con Fernández",
            f"Fernández Rodríguez-Villanueva (A0{number})", datetime(2026, 10, 16, 12, 0), priority, status,
            carried, "complaint" if number % 2 else None, str(number),
        )
        for number, priority, status, carried in (
            (214, "high", "overdue", 12), (129, "normal", "open", 3), (1234, "low", "closed", 0), (88, "normal", "open", 1),
        )
    )  # fmt: skip


@pytest.mark.parametrize("lang", LATIN)
def test_no_word_or_number_of_the_handover_form_breaks_inside(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    out = tmp_path / "h.pdf"
    handover_form.render(
        form(items=_handover_items(), authors=("Fernández Rodríguez-Villanueva (A0214)", "Bartolomé Castañeda (A0129)")), out
    )
    text = "\n".join(pages(out))
    numbers = {i18n.format_number(i.number) for i in _handover_items()} | {f"{12345678 + n}" for n in (214, 129)}
    numbers |= {"A0214", "A0129"}
    words = label_words(i18n._(m) for m in HANDOVER_MSGIDS) | set(LONG_NAMES) | numbers
    assert split_words(text, words) == []
    assert whole_words_missing(text, set(LONG_NAMES) | numbers | label_words([i18n._("Priority")])) == []


def _labels(lang: str) -> SheetLabels:
    text = SheetText(lang)
    return SheetLabels(**{k: text(v) for k, v in asdict(LABELS).items()})


def _long_sheet(lang: str):  # type: ignore[no-untyped-def]
    """A sheet in ``lang`` with long names, recorders and numbers in narrow columns."""
    text = SheetText(lang)
    events = tuple(
        SheetEvent(f"2026-10-{d:02d}", f"M{d:02d}", text("Supervisor spot check, per error"), "\u22121",
                   "Fernández Rodríguez-Villanueva", f"Pedido 12345678 de Bartolomé Castañeda, llamada {d}")
        for d in range(1, 9)
    )  # fmt: skip
    return sheet(
        _labels(lang), lang=lang, agent_name="María Bartolomé Fernández Rodríguez-Villanueva", employee_no="A0214",
        team="Equipo Castañeda", level=text("Intermediate agent"), month=text.month(datetime(2026, 10, 1)),
        ratings=(SheetRating(text("Execution of tasks and on-site reception"), "17,5", "20"),
                 SheetRating(text("Collaboration and communication"), "12", "15")),
        events=events, adjustment_reason="Ayudó a Fernández con 1234 llamadas " * 3, pay_float="−1.234,50 CNY",
    )  # fmt: skip


@pytest.mark.parametrize("lang", LATIN)
def test_no_word_or_number_of_the_evaluation_sheet_breaks_inside(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "e.pdf"
    data = _long_sheet(lang)
    evaluation_sheet.render([data], out, title="x")
    assert pdf_pages(out) == 1
    text = "\n".join(pages(out))
    own = [*asdict(data.labels).values(), *(r.name for r in data.ratings), data.events[0].name, data.level]
    words = label_words(own) | set(LONG_NAMES) | set(NUMBERS) | {"1234", "\u22121.234,50"}
    assert split_words(text, words) == []
    assert whole_words_missing(text, set(LONG_NAMES) | set(NUMBERS) | {"1234", "\u22121.234,50"}) == []


def test_the_split_word_check_finds_a_word_broken_across_lines() -> None:
    """The check the tests above rely on, on the breaks issue #14 saw."""
    text = " Fecha     Priorida    N.º de em\n           d           pleado\n 21        Cum\n 4         ple\n"
    assert split_words(text, {"Prioridad", "empleado", "214", "Cumple", "Fecha"}) == [
        "21|4", "Cum|ple", "Priorida|d", "em|pleado",
    ]  # fmt: skip


@pytest.mark.parametrize(("lang", "rule"), [("zh_CN", "CJK"), ("zh_TW", "CJK"), ("es_ES", None), ("en", None)])
def test_every_style_wraps_as_the_documents_language_does(lang: str, rule: str | None) -> None:
    i18n.install(lang)
    sheet_styles = stylesheet()
    assert {sheet_styles[name].wordWrap for name in ("Body", "Title", "Cell", "CellBold", "Small", "Tight")} == {rule}
    assert stylesheet("zh_TW")["Cell"].wordWrap == "CJK" and stylesheet("es_ES")["Cell"].wordWrap is None


def test_columns_of_codes_numbers_and_dates_are_as_wide_as_their_widest_cell() -> None:
    rows = [["No.", "Customer", "Due"], ["1234", "a long customer name " * 4, "16/10/26, 12:00"], ["7", "x", ""]]
    widths = fit_widths([Col(nowrap=True), Col(), Col(nowrap=True)], rows, 400)
    assert widths[0] >= text_width("1234", 9) + 12 and widths[2] >= text_width("16/10/26, 12:00", 9) + 12
    assert abs(sum(widths) - 400) < 0.01 and widths[1] >= word_width("customer", 9) + 12
    # A heading may wrap at spaces, but no word of it is cut.
    heading = [["Bonificación por asistencia completa"], ["100"]]
    assert fit_widths([Col(nowrap=True)], heading, 400)[0] >= word_width("Bonificación", 9.5) + 12


def test_a_chinese_sheet_still_wraps_by_character_and_stays_on_one_page(tmp_path: Path) -> None:
    out = tmp_path / "zh.pdf"
    data = replace(_long_sheet("zh_CN"), lang="zh_CN", adjustment_reason="帮助同事处理账单问题" * 20)
    evaluation_sheet.render([data], out, title="x")
    assert pdf_pages(out) == 1 and "帮助同事" in pages(out)[0]
