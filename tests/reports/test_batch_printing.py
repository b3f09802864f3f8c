"""Batch printing does each repeated piece of work once (issue 14's benchmark: 500 evaluation
sheets against bare ReportLab): a paragraph repeated in the same style is parsed and broken
into lines once (styles.shared_paragraphs), and the PDF is the same, byte for byte, as when
every paragraph is made on its own; the sheets' values are formatted by Babel once a batch."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import babel.dates
import babel.numbers
import pytest
from reportlab import rl_config
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paraparser import ParaParser

from csdesk.reports.evaluation_sheet import render
from csdesk.reports.styles import build_pdf, grid_table, para, shared_paragraphs
from csdesk.services.scorecard_print import LABELS, SheetText
from tests.reports.test_evaluation_sheet import ES, ZH, sheet

LONG = {
    "zh_CN": "本月主动帮助夜班同事处理账单投诉，并带教两名新员工熟悉回访流程。" * 50,
    "es_ES": "Ayudó a los compañeros del turno de noche con las quejas y formó a dos agentes. " * 40,
}


def _counted(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (still doing what it did)."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def _story(lang: str) -> list[Flowable]:
    """Headings, table cells and long paragraphs that split over pages, each many times."""
    story: list[Flowable] = []
    for n in range(12):
        story.append(para("Hoja de evaluación · 月度考核表", "H2", lang=lang))
        rows = [[para("Fecha", "CellBold", lang=lang), para("Nota <&>", "CellBold", lang=lang)]]
        rows += [[f"2026-10-{d:02d}", para(LONG[lang][: 40 + 7 * d], "Cell", lang=lang)] for d in range(1, 6)]
        story.append(grid_table(rows, [60 + n % 2 * 20, 300]))  # two widths for the same texts
        story.append(para(LONG[lang], "Body", lang=lang))
        lines = LONG[lang][:300].replace("。", "。\n").replace(". ", ".\n")  # line breaks: several fragments
        story.append(para(lines, "Body", lang=lang))
    return story


def _pdf(lang: str, shared: bool) -> bytes:
    out = io.BytesIO()
    with shared_paragraphs() if shared else nullcontext():
        story = _story(lang)
    build_pdf(out, story, title="t", header="h", printed_at=datetime(2026, 10, 28, 18, 0))
    return out.getvalue()


@pytest.fixture()
def invariant(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation date nor random id in the PDF
    yield


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_shared_paragraphs_print_the_same_pdf_byte_for_byte(
    lang: str, invariant: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _pdf(lang, shared=False)
    splits = _counted(monkeypatch, Paragraph, "split")
    assert _pdf(lang, shared=True) == plain
    assert splits  # the long paragraphs were split over pages (each on a paragraph of its own)


def test_a_repeated_text_is_parsed_and_laid_out_once_a_width(monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _counted(monkeypatch, ParaParser, "parse")
    breaks = _counted(monkeypatch, Paragraph, "breakLinesCJK")
    with shared_paragraphs():
        cells = [[para("客服代表 María 张伟", "Cell", lang="zh_CN")] for _r in range(50)]
    for width in (80, 80, 120):  # sizing the rows, drawing them; then another width
        table = grid_table(cells, [width])
        table.wrap(width, 100000)
    assert len(parses) == 1
    assert len(breaks) == 2  # one layout for each width
    assert type(para("x", lang="zh_CN")) is Paragraph  # outside the block: ReportLab's own


def test_a_batch_of_sheets_parses_its_labels_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _counted(monkeypatch, ParaParser, "parse")
    render([sheet(ZH)], io.BytesIO(), title="x")
    one = len(parses)
    parses.clear()
    batch = [replace(sheet(ZH if n % 2 else ES), employee_no=f"A{n:03d}") for n in range(20)]
    render(batch, io.BytesIO(), title="x")
    assert len(parses) < 3 * one  # not 20 times: what repeats (labels, names, values) is parsed once


def test_sheet_text_formats_each_value_once_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    numbers = _counted(monkeypatch, babel.numbers, "format_decimal")
    money = _counted(monkeypatch, babel.numbers, "format_currency")
    days = _counted(monkeypatch, babel.dates, "format_date")
    months = _counted(monkeypatch, babel.dates, "format_skeleton")
    text, other = SheetText("es_ES"), SheetText("es_ES")
    for _sheet in range(3):
        assert text.number(Decimal("27.5")) == "27,5"
        assert text.signed(Decimal("-3")) == "\u22123" and text.signed(Decimal("3")) == "+3"
        assert text.money(Decimal("-300"), "CNY") == other.money(Decimal("-300"), "CNY") == "\u2212300,00\u00a0CNY"
        assert text.day(date(2026, 10, 3)) == "3/10/26"
        assert text.month(date(2026, 10, 1)) == "octubre de 2026"
    assert (len(numbers), len(days), len(months)) == (2, 1, 1)  # 27.5 and 3
    assert len(money) == 2  # this batch's and the other SheetText's
    assert text.number(27.5) == "27,5" and text.number(None) == "—"
    # Remembered by what is printed, not by equality: Decimal("-0") == Decimal("0").
    printed = babel.numbers.format_decimal(Decimal("-0"), locale="es_ES")
    assert [text.number(Decimal("0")), text.number(Decimal("-0"))] == ["0", printed]


def test_sheet_text_translates_the_labels_once_a_batch() -> None:
    text = SheetText("es_ES")
    labels = text.labels()
    assert labels is text.labels()
    assert labels.title == text(LABELS.title) and labels.continuation == text(LABELS.continuation)
    assert labels != SheetText("zh_CN").labels()
