"""One evaluation sheet, one A4 page (issue #14): up to 15 events and a 500-character comment
in every language, the result and the three signatures on the sheet's page; what does not fit
(notes cut short with "…", events beyond the page) goes to a continuation list after the sheet,
which the sheet refers to; a batch has as many sheets as agents."""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.reports.evaluation_sheet import EvaluationSheet, SheetEvent, SheetLabels, render
from csdesk.services.base import SYSTEM
from csdesk.services.scorecard_print import LABELS, SheetText
from tests.helpers.pdf import pdf_pages
from tests.reports.layout import broken_words, pages
from tests.reports.test_evaluation_sheet import sheet

LANGUAGES = ("zh_CN", "zh_TW", "es_ES", "en")
COMMENT = {
    "zh": "本月主动帮助夜班同事处理账单投诉，并带教两名新员工熟悉回访流程，客户满意度明显提升。",
    "latin": "Ayudó a los compañeros del turno de noche con las quejas de facturación y formó a dos agentes nuevos. ",
}
# The audit's notes: 45 to 70 characters, whole words (Spanish) or Chinese text.
SPANISH_NOTES = (
    "Cliente llamó tres veces por la misma factura",
    "Respuesta lenta a una reclamación urgente de un cliente empresarial",
    "Llegó diez minutos tarde al turno de mañana sin avisar al jefe",
    "No registró la llamada en el sistema antes de cerrar el caso abierto",
    "Cubrió el turno de noche por una baja imprevista de una compañera",
    "Atendió con paciencia una queja difícil sobre cargos duplicados",
)
_CHINESE = (
    "客户三次来电反映同一账单问题坐席未能及时给出答复也没有按规定转交二线处理客户非常不满意并要求投诉处理结果同时要求主管回电说明情况"
    "处理企业客户紧急投诉时回复缓慢客户等待超过二十分钟之后又因为系统故障再次中断通话需要主管介入协调解决问题并向客户致歉"
)
CHINESE_NOTES = tuple(_CHINESE[start : start + length] for start, length in ((0, 45), (9, 52), (20, 58), (31, 64), (40, 70), (55, 49)))
ITEMS = ("Supervisor spot check, per error", "Late arrival or early leave", "Service task not done in time",
         "Came in to cover a shift in an emergency", "Slow, impatient or hostile reply to a complaint")  # fmt: skip
RECORDERS = ("Fernández Rodríguez (A012)", "Wang Fang (L002)")
TEAMS = {"zh_CN": "客服一组", "zh_TW": "客服一組", "es_ES": "Equipo Sur", "en": "South team"}


def _full_sheet(lang: str, employee_no: str = "A001", notes: tuple[str, ...] | None = None) -> EvaluationSheet:
    """15 events with 45–70-character notes and a 500-character comment (the adjustment's
    reason, the trainer's comment), in ``lang``."""
    text = SheetText(lang)
    labels = SheetLabels(**{k: text(v) for k, v in asdict(LABELS).items()})
    notes = notes or (CHINESE_NOTES if lang.startswith("zh") else SPANISH_NOTES)
    events = tuple(
        SheetEvent(text.day(date(2026, 10, d)), f"M{d % 13 + 1:02d}", text(ITEMS[d % len(ITEMS)]), "\u22121",
                   RECORDERS[d % len(RECORDERS)], notes[d % len(notes)])
        for d in range(1, 16)
    )  # fmt: skip
    comment = (COMMENT["zh" if lang.startswith("zh") else "latin"] * 20)[:500]
    return sheet(
        labels, lang=lang, employee_no=employee_no, month=text.month(date(2026, 10, 1)), events=events,
        adjustment_reason=comment, agent_name="María Fernández Núñez", team=TEAMS[lang],
    )  # fmt: skip


def _latin_words(data: EvaluationSheet) -> set[str]:
    """The Latin words of a sheet's events and names (4 letters or more, punctuation dropped)."""
    texts = [data.agent_name, data.team, *(e.note for e in data.events), *(e.recorded_by for e in data.events)]
    if not data.lang.startswith("zh"):
        texts += [e.name for e in data.events]
    return {w for t in texts for w in re.findall(r"[^\W\d_]{4,}", t) if all(ord(c) < 0x2E80 for c in w)}


def _broken(path: Path, words: set[str]) -> list[str]:
    """The ``words`` a page of ``path`` breaks across lines, as "piece|rest": read in drawing
    order (pdftotext -raw), where a cell's lines follow each other whatever their columns."""
    text = "\f".join(_raw_text(path, n) for n in range(1, pdf_pages(path) + 1))
    found = []
    for word in words:
        for cut in range(1, len(word)):
            if re.search(rf"(?<![^\W\d_]){re.escape(word[:cut])}\n{re.escape(word[cut:])}(?![^\W\d_])", text):
                found.append(f"{word[:cut]}|{word[cut:]}")
    return sorted(found)


def _assert_sheet_page(page: str, data: EvaluationSheet) -> None:
    """The sheet's page: its head names the agent, the team and the month; the result and the
    three signature lines are on it."""
    lab = data.labels
    head = page.lstrip("\n").splitlines()[0]
    assert data.team in head and data.month in head and data.employee_no in head, head
    assert lab.summary in page and lab.grade in page and lab.total in page  # the result table ...
    assert lab.pay_float.split()[0] in page and data.grade in page
    assert page.count(f"{lab.signature}:") == 3  # ... and the three signature lines
    assert all(role.split()[0] in page for role in (lab.agent_signs, lab.evaluator_signs, lab.supervisor_signs))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fifteen_events_with_notes_and_a_500_character_comment_fit_one_page(tmp_path: Path, lang: str) -> None:
    data = _full_sheet(lang)
    assert len(data.events) == 15 and len(data.adjustment_reason) == 500
    assert all(45 <= len(e.note) <= 70 for e in data.events)
    out = tmp_path / "sheet.pdf"
    render([data], out, title="x")
    assert pdf_pages(out) == 1  # notes of up to 70 characters fit whole: no continuation list
    page = pages(out)[0]
    _assert_sheet_page(page, data)
    assert page.count("\u22121") == 15  # every event (its points)
    assert data.labels.continuation not in page and "\u2026" not in page  # nothing cut, nothing continued
    # No Latin word split across lines, in a Chinese sheet either ("Fernández Rodrígu|ez (A012)").
    assert broken_words(page, _latin_words(data)) == [] and _broken(out, _latin_words(data)) == []


def _too_long(notes: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """Notes of about 140 to 280 characters: more than two lines of the sheet's notes column."""
    times = 3 if lang.startswith("zh") else 4
    return tuple("; ".join(([note, note.lower()] * times)[:times]) for note in notes)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notes_too_long_for_two_lines_are_cut_and_continued_in_full(tmp_path: Path, lang: str) -> None:
    long_notes = _too_long(CHINESE_NOTES if lang.startswith("zh") else SPANISH_NOTES, lang)
    data = _full_sheet(lang, notes=long_notes)
    out = tmp_path / "sheet.pdf"
    render([data], out, title="x")
    sheet_page, *continued = pages(out)
    assert pdf_pages(out) == 1 + len(continued) and continued
    lab = data.labels
    _assert_sheet_page(sheet_page, data)
    # The sheet cuts each note with an ellipsis and says, under the events, where the whole notes are.
    assert sheet_page.count("\u2026") - lab.notes_cut.count("\u2026") == 15
    assert _squeezed(lab.notes_cut) in _squeezed(sheet_page)
    words = {w.strip(";,.") for note in long_notes for w in note.split()}
    ends = [t[:-1].strip(";,.") for t in sheet_page.split() if t.endswith("\u2026") and len(t) > 1]
    assert len(ends) == 15 and (lang.startswith("zh") or set(ends) <= words), ends  # cut after a whole word
    # The continuation list: its heading, whose sheet it continues (agent, team, month: in the
    # page's head and under the heading), the pages "x / y"; every note in full; no result, no signatures.
    assert _squeezed(lab.continuation) in _squeezed(continued[0])
    whose = [line for line in continued[0].splitlines() if data.team in line and data.month in line and data.agent_name in line]
    assert len(whose) == 2, continued[0][:400]
    for number, page in enumerate(continued, start=2):
        assert all(part in page.lstrip("\n").splitlines()[0] for part in (data.agent_name, data.team, data.month))
        assert re.search(rf"(?<!\d){number}\s*/\s*{1 + len(continued)}(?!\d)", _footer(page))
        assert "\u2026" not in page and f"{lab.signature}:" not in page and lab.summary not in page.split()
    flat = "".join(_squeezed(_raw_text(out, n)) for n in range(2, 2 + len(continued)))  # (in drawing order)
    assert all(_squeezed(note) in flat for note in long_notes)
    assert all(broken_words(page, _latin_words(data)) == [] for page in (sheet_page, *continued))
    assert _broken(out, _latin_words(data)) == []


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _footer(page: str) -> str:
    return [line for line in page.splitlines() if line.strip()][-1]


def _raw_text(path: Path, page: int) -> str:
    """One page's text in the order it is drawn (pdftotext -raw)."""
    command = ["pdftotext", "-enc", "UTF-8", "-raw", "-f", str(page), "-l", str(page), str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_when_two_lines_an_event_do_not_fit_each_event_takes_one_line(tmp_path: Path, lang: str) -> None:
    notes = _too_long(CHINESE_NOTES if lang.startswith("zh") else SPANISH_NOTES, lang)
    base = _full_sheet(lang, notes=notes)
    events = tuple(replace(e, day=f"2026-10-{n + 1:02d}", recorded_by="lead1") for n, e in enumerate(base.events * 2))
    data = replace(base, events=events)  # 30 events, each note more than two lines long
    out = tmp_path / "sheet.pdf"
    render([data], out, title="x")
    sheet_page, *continued = pages(out)
    rows = [n for n, line in enumerate(sheet_page.splitlines()) if "2026-10-" in line]
    assert len(rows) == 30 and rows == list(range(rows[0], rows[0] + 30))  # every event, one line each
    assert sheet_page.count("\u2026") - data.labels.notes_cut.count("\u2026") == 30
    assert data.labels.more_events.split("{n}")[-1].strip() not in sheet_page  # no event left the sheet
    _assert_sheet_page(sheet_page, data)
    flat = "".join(_squeezed(_raw_text(out, n)) for n in range(2, 2 + len(continued)))
    assert continued and all(_squeezed(note) in flat for note in notes)


def _sheets_and_continuations(texts: list[str], labels: SheetLabels) -> list[tuple[str, int]]:
    """The PDF's agents in order, each with how many continuation pages follow its sheet's page
    (read off each page's head, which names whose sheet it is)."""
    runs: list[tuple[str, int]] = []
    for number, page in enumerate(texts):
        owner = re.search(r"· ([A-Z]\d{3}) ·", page.lstrip("\n").splitlines()[0])
        assert owner, page[:200]
        signed = page.count(f"{labels.signature}:") == 3
        if signed:  # a sheet's page: the result, the signatures; never a continuation
            assert labels.continuation not in page and labels.summary in page
            runs.append((owner.group(1), 0))
        else:  # a continuation page, of the sheet just before
            assert runs and runs[-1][0] == owner.group(1), number
            first = runs[-1][1] == 0
            assert (labels.continuation in page) == first, number  # the list's heading on its first page
            runs[-1] = (owner.group(1), runs[-1][1] + 1)
        assert re.search(rf"(?<!\d){number + 1}\s*/\s*{len(texts)}(?!\d)", _footer(page)), number  # "x / y"
    return runs


@pytest.mark.parametrize("lang", ("zh_CN", "es_ES"))
def test_a_batch_of_full_sheets_has_one_sheet_per_agent(tmp_path: Path, lang: str) -> None:
    notes = CHINESE_NOTES if lang.startswith("zh") else SPANISH_NOTES
    sheets = [_full_sheet(lang, f"A{n:03d}", notes=_too_long(notes, lang) if n in (3, 7) else None) for n in range(1, 11)]
    out = tmp_path / "batch.pdf"
    render(sheets, out, title="x")
    texts = pages(out)
    assert pdf_pages(out) == len(texts)
    runs = _sheets_and_continuations(texts, sheets[0].labels)
    assert [no for no, _more in runs] == [s.employee_no for s in sheets]  # one sheet per agent, in order
    assert {no for no, more in runs if more} == {"A003", "A007"}  # continued: only the two that need it


def _fill(ctx, employee_no: str, note: str) -> None:  # type: ignore[no-untyped-def]
    """15 manual events for ``employee_no`` in October 2026, each with ``note``."""
    codes = ("M08", "M11", "M02", "M03", "B03")
    for n in range(15):
        ctx.scorecards.record_event(SYSTEM, employee_no, date(2026, 10, 1 + n % 14), codes[n % len(codes)], note=note)


@pytest.mark.parametrize("lang", ("es_ES", "zh_CN"))
def test_printing_a_team_and_all_gives_one_sheet_per_agent_and_continues_only_who_needs_it(ctx, tmp_path: Path, lang: str) -> None:
    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7)
    sheets = ctx.scorecards.evaluation_sheets(SYSTEM, "2026-10", lang=lang)
    labels, team = sheets[0].labels, sheets[0].team
    members = [s.employee_no for s in sheets if s.team == team]
    fits = SPANISH_NOTES[3] if lang == "es_ES" else CHINESE_NOTES[4]  # 68 and 70 characters
    _fill(ctx, members[0], fits)
    _fill(ctx, members[1], _too_long((fits,), lang)[0])  # cut on the sheet: its notes continue after it
    assert len(ctx.scorecards.evaluation_sheets(SYSTEM, "2026-10", employee_no=members[0], lang=lang)[0].events) >= 15
    one_team = tmp_path / "team.pdf"
    result = ctx.scorecards.print_evaluation(SYSTEM, "2026-10", one_team, team=team, lang=lang)
    runs = _sheets_and_continuations(pages(one_team), labels)
    assert result.sheets == len(members) and [no for no, _more in runs] == members
    assert [no for no, more in runs if more] == [members[1]]
    # The command line, --all (signed in, at today's date: the month's later days count too).
    everyone = tmp_path / "all.pdf"
    assert main(["--db", ctx.db_url, "print", "evaluation", "--month", "2026-10", "--all", "--lang", lang,
                 "--out", str(everyone)]) == 0  # fmt: skip
    runs = _sheets_and_continuations(pages(everyone), labels)
    assert sorted(no for no, _more in runs) == sorted(s.employee_no for s in sheets)  # one sheet per agent
    assert dict(runs)[members[1]] >= 1


@pytest.mark.parametrize("lang", ("es_ES", "en", "zh_CN"))
def test_the_demo_department_prints_one_page_per_agent(ctx, tmp_path: Path, lang: str) -> None:
    ctx.demo.build(SYSTEM, agents=30, months=1, seed=7)
    out = tmp_path / "all.pdf"
    result = ctx.scorecards.print_evaluation(SYSTEM, "2026-10", out, lang=lang)
    assert result.sheets == 30 and pdf_pages(out) == 30
    sheets = ctx.scorecards.evaluation_sheets(SYSTEM, "2026-10", lang=lang)
    for sheet_, page in zip(sheets, pages(out)):
        assert sheet_.employee_no in page and page.count(f"{sheet_.labels.signature}:") == 3
        assert sheet_.team in page.lstrip("\n").splitlines()[0]  # the running head names the team
    team = sheets[0].team  # a team's batch too (issue #14: "Equipo Sur" of 10 agents printed 11 pages)
    one_team = tmp_path / "team.pdf"
    result = ctx.scorecards.print_evaluation(SYSTEM, "2026-10", one_team, team=team, lang=lang)
    assert pdf_pages(one_team) == result.sheets == sum(1 for s in sheets if s.team == team)
