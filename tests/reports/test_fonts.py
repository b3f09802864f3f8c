"""Paper an HR office accepts (issue #14): every csdesk PDF carries the fonts it names (strict
PDF checks reject a referenced but not embedded font, even an unused Helvetica), and a character
the embedded font lacks prints as a visible placeholder and is reported, never a silent gap."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from csdesk import i18n
from csdesk.reports import evaluation_sheet, handover_form
from csdesk.reports.styles import placeholder
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock, make_context
from tests.helpers.pdf import pdf_text
from tests.reports.test_evaluation_sheet import ES, sheet
from tests.reports.test_handover_forms import form

LANGUAGES = ("zh_CN", "es_ES")
STANDARD_FONTS = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
DAY = date(2026, 10, 14)  # FixedClock's day is 2026-10-15: the day before, still open for corrections


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """Each font ``pdffonts`` lists: its name and whether the PDF embeds it."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    # name, type (one or two words), encoding, emb, sub, uni, object ID (two numbers)
    return [(line.split()[0], line.split()[-5] == "yes") for line in out.splitlines()[2:]]


def _team(ctx: Any) -> str:
    return sorted({a.team for a in ctx.attendance.team_month(SYSTEM, 2026, 10).agents if a.team})[0]


def _correction(ctx: Any, out: Path) -> None:
    correction = ctx.attendance.request_correction(SYSTEM, "A001", DAY, datetime(2026, 10, 14, 18, 2), "Reloj")
    ctx.attendance.print_correction(SYSTEM, correction, out)


def _swap(ctx: Any, out: Path) -> None:
    ctx.attendance.request_swap(SYSTEM, "A001", "A013", date(2026, 10, 22), "Cita médica")
    ctx.attendance.print_swap(SYSTEM, ctx.attendance.swaps(SYSTEM, 2026, 10)[-1], out)


def _call_sheet(ctx: Any, out: Path) -> None:
    day = ctx.callbacks.today()
    agent = next(c.agent for c in ctx.callbacks.agenda(SYSTEM, day).calls if c.agent)
    assert ctx.callbacks.print_call_sheet(SYSTEM, day, agent, out).lines  # a sheet with calls on it


def _leave_form(ctx: Any, out: Path) -> None:
    ctx.attendance.print_leave(SYSTEM, ctx.attendance.leave_requests(SYSTEM, year=2026, month=10)[0].id, out)


def _handover(ctx: Any, out: Path) -> None:
    ctx.handover.print_handover(SYSTEM, ctx.handover.list_entries(SYSTEM).rows[0].id, out)


def _evaluation(ctx: Any, out: Path) -> None:
    ctx.scorecards.print_evaluation(SYSTEM, "2026-10", out, lang=i18n.current_language())


# Every document csdesk prints, as the application prints it from the demo database.
DOCUMENTS: dict[str, Callable[[Any, Path], object]] = {
    "attendance summary of a team": lambda ctx, out: ctx.attendance.print_month(SYSTEM, 2026, 10, _team(ctx), out),
    "attendance summary of all teams": lambda ctx, out: ctx.attendance.print_month(SYSTEM, 2026, 10, None, out),
    "leave form": _leave_form,
    "missed-punch form": _correction,
    "swap form": _swap,
    "call sheet": _call_sheet,
    "birthday list": lambda ctx, out: ctx.callbacks.print_birthday_list(SYSTEM, date(2026, 11, 1), out),
    "callback performance": lambda ctx, out: ctx.callbacks.print_performance(SYSTEM, date(2026, 10, 1), out),
    "handover form": _handover,
    "work digest": lambda ctx, out: ctx.handover.print_work_digest(SYSTEM, date(2026, 10, 5), out),
    "evaluation sheets": _evaluation,
}  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One demo department (every area) for all the documents: they only read it."""
    ctx = make_context(tmp_path_factory.mktemp("fonts"), FixedClock())
    ctx.demo.build(SYSTEM, agents=14, months=1, seed=7)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_document_embeds_every_font_it_names(demo: Any, tmp_path: Path, document: str, lang: str) -> None:
    i18n.install(lang)
    out = tmp_path / "doc.pdf"
    DOCUMENTS[document](demo, out)
    fonts = pdf_fonts(out)
    assert fonts, "the document draws its text in some font"
    assert all(embedded for _name, embedded in fonts), fonts
    assert not [name for name, _e in fonts if name.split("+")[-1].startswith(STANDARD_FONTS)], fonts


THUMBS = "👍 ok 你好"


def _print_handover(ctx: Any, out: Path) -> str:
    handover_form.render(form(summary=THUMBS, takeover_note=f"{THUMBS} 👍"), out)
    return "Shift handover form 42"


def _print_leave(ctx: Any, out: Path) -> str:
    leave = ctx.attendance.file_leave(SYSTEM, "A001", "PERSONAL", date(2026, 10, 20), date(2026, 10, 20), reason=THUMBS)
    ctx.attendance.print_leave(SYSTEM, leave.id, out)
    return "Leave request form"


@pytest.mark.parametrize("document", [_print_handover, _print_leave], ids=["handover", "leave"])
def test_a_character_the_font_lacks_prints_as_the_placeholder_and_is_reported_once(
    demo: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture, document: Callable[[Any, Path], str]
) -> None:
    out = tmp_path / "doc.pdf"
    with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
        title = document(demo, out)
    text = pdf_text(out)
    assert f"{placeholder()} ok 你好" in text  # where the thumb was, a mark, not a gap
    assert "👍" not in text
    warnings = [r.getMessage() for r in caplog.records if r.name == "csdesk.reports"]
    assert len(warnings) == 1, warnings  # once for the document, however often the character comes
    assert title in warnings[0] and "👍" in warnings[0] and "U+1F44D" in warnings[0]


def test_a_document_without_such_characters_reports_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
        handover_form.render(form(), tmp_path / "doc.pdf")
    assert not [r for r in caplog.records if r.name == "csdesk.reports"]


def test_a_batch_of_evaluation_sheets_is_one_document_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sheets = [sheet(ES, employee_no=f"A00{n}", agent_name=f"Ana {THUMBS}") for n in range(1, 4)]
    out = tmp_path / "batch.pdf"
    with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
        evaluation_sheet.render(sheets, out, title="Evaluación 2026-10")
    assert pdf_text(out).count(f"Ana {placeholder()} ok 你好") >= 6  # each sheet's head and page header
    warnings = [r.getMessage() for r in caplog.records if r.name == "csdesk.reports"]
    assert len(warnings) == 1 and warnings[0].startswith("Evaluación 2026-10: ") and "👍" in warnings[0]
