"""One evaluation sheet, one A4 page (issue #14): up to 15 events and a 500-character comment
in every language, the result and the three signatures on the sheet's page; a batch has as
many pages as agents."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from csdesk.reports.evaluation_sheet import SheetEvent, SheetLabels, render
from csdesk.services.base import SYSTEM
from csdesk.services.scorecard_print import LABELS, SheetText
from tests.helpers.pdf import pdf_pages
from tests.reports.layout import pages
from tests.reports.test_evaluation_sheet import sheet

LANGUAGES = ("zh_CN", "zh_TW", "es_ES", "en")
COMMENT = {
    "zh": "本月主动帮助夜班同事处理账单投诉，并带教两名新员工熟悉回访流程，客户满意度明显提升。",
    "latin": "Ayudó a los compañeros del turno de noche con las quejas de facturación y formó a dos agentes nuevos. ",
}
NOTES = ("Cliente llamó tres veces por la misma factura", "客户三次来电反映同一账单问题", "Llegó 10 min tarde", "")
ITEMS = ("Supervisor spot check, per error", "Late arrival or early leave", "Service task not done in time",
         "Came in to cover a shift in an emergency", "Slow, impatient or hostile reply to a complaint")  # fmt: skip


def _full_sheet(lang: str, employee_no: str = "A001"):  # type: ignore[no-untyped-def]
    """15 events with notes and a 500-character comment (the adjustment's reason), in ``lang``."""
    text = SheetText(lang)
    labels = SheetLabels(**{k: text(v) for k, v in asdict(LABELS).items()})
    events = tuple(
        SheetEvent(f"2026-10-{d:02d}", f"M{d % 13 + 1:02d}", text(ITEMS[d % len(ITEMS)]), "\u22121",
                   "Fernández Rodríguez" if d % 2 else "lead1", NOTES[d % len(NOTES)])
        for d in range(1, 16)
    )  # fmt: skip
    comment = (COMMENT["zh" if lang.startswith("zh") else "latin"] * 20)[:500]
    return sheet(
        labels, lang=lang, employee_no=employee_no, month=text.month(date(2026, 10, 1)), events=events,
        adjustment_reason=comment, agent_name="María Fernández Núñez",
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fifteen_events_and_a_500_character_comment_fit_one_page(tmp_path: Path, lang: str) -> None:
    data = _full_sheet(lang)
    assert len(data.events) == 15 and len(data.adjustment_reason) == 500
    out = tmp_path / "sheet.pdf"
    render([data], out, title="x")
    assert pdf_pages(out) == 1
    page = pages(out)[0]
    lab = data.labels
    assert lab.summary in page and lab.total in page  # the result ...
    assert page.count(f"{lab.signature}:") == 3  # ... and the three signatures on the sheet's page
    assert all(role in page for role in (lab.agent_signs, lab.supervisor_signs))
    assert page.count("2026-10-") == 15  # every event
    assert lab.more_events.split("{n}")[-1].strip() not in page  # nothing sent to a continuation


@pytest.mark.parametrize("lang", ("es_ES", "en"))
def test_a_batch_of_full_sheets_has_one_page_per_agent(tmp_path: Path, lang: str) -> None:
    sheets = [_full_sheet(lang, f"A{n:03d}") for n in range(1, 11)]
    out = tmp_path / "batch.pdf"
    render(sheets, out, title="x")
    texts = pages(out)
    assert pdf_pages(out) == len(texts) == 10
    assert all(f"A{n:03d}" in texts[n - 1] and sheets[0].labels.signature in texts[n - 1] for n in range(1, 11))


@pytest.mark.parametrize("lang", ("es_ES", "en", "zh_CN"))
def test_the_demo_department_prints_one_page_per_agent(ctx, tmp_path: Path, lang: str) -> None:
    ctx.demo.build(SYSTEM, agents=30, months=1, seed=7)
    out = tmp_path / "all.pdf"
    result = ctx.scorecards.print_evaluation(SYSTEM, "2026-10", out, lang=lang)
    assert result.sheets == 30 and pdf_pages(out) == 30
    sheets = ctx.scorecards.evaluation_sheets(SYSTEM, "2026-10", lang=lang)
    for sheet_, page in zip(sheets, pages(out)):
        assert sheet_.employee_no in page and page.count(f"{sheet_.labels.signature}:") == 3
    team = sheets[0].team  # a team's batch too (issue #14: "Equipo Sur" of 10 agents printed 11 pages)
    one_team = tmp_path / "team.pdf"
    result = ctx.scorecards.print_evaluation(SYSTEM, "2026-10", one_team, team=team, lang=lang)
    assert pdf_pages(one_team) == result.sheets == sum(1 for s in sheets if s.team == team)
