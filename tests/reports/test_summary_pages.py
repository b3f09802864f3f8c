"""The monthly attendance summary's pages (issue #14): the signature lines never stand alone on
a page, they stay with the last block of figures; every page names the report, the month and
the team, and pages are numbered "x / y"."""

from __future__ import annotations

import re

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.reports import attendance_summary
from csdesk.services.attendance_types import AgentMonth, AttendanceReportInput, FormHeader, LedgerEntry, TeamMonth
from csdesk.services.base import SYSTEM
from tests.helpers.pdf import pdf_pages
from tests.reports.layout import pages

LANGUAGES = ("zh_CN", "zh_TW", "es_ES", "en")


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def _check_pages(path: Path, team: str, ledger_total: str, ledger_rows: int = 2) -> list[str]:
    """Every page carries the report, month and team and its number "x / y"; the page with the
    signature lines also carries the ledger's last rows and its total."""
    texts = pages(path)
    count = pdf_pages(path)
    assert len(texts) == count
    title, month = i18n._("Monthly attendance summary"), i18n.format_month(2026, 10)
    for number, text in enumerate(texts, start=1):
        head = _norm(text.strip().splitlines()[0])
        assert title in head and month in head and team in head, (number, head)
        assert i18n._("Page {page}").format(page=f"{number} / {count}").replace(" ", "") in text.replace(" ", "")
    signed = [t for t in texts if i18n._("Signature") in t]
    assert len(signed) == 1
    page = _norm(signed[0])
    assert ledger_total in page and i18n._("Team lead") in page
    # Figures above the signatures: ledger rows (two, or the one there is), not only the total.
    dated = re.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}\b")  # a ledger row starts with its date, as the language writes it
    assert sum(1 for line in signed[0].splitlines() if dated.match(line.strip())) >= min(ledger_rows, 2)
    return texts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_teams_summary_keeps_its_signatures_with_the_ledger(demo_month, tmp_path: Path, lang: str) -> None:
    ctx, team = demo_month
    i18n.install(lang)
    out = tmp_path / "team.pdf"
    ctx.attendance.print_month(SYSTEM, 2026, 10, team, out)
    month = ctx.attendance.team_month(SYSTEM, 2026, 10, team)
    total = _norm(i18n.format_money(sum(e.amount_cny for e in month.ledger), "CNY"))
    _check_pages(out, team, total)


def test_the_all_teams_summary_names_report_month_and_teams_on_every_page(demo_month, tmp_path: Path) -> None:
    ctx, _team = demo_month
    i18n.install("es_ES")
    out = tmp_path / "all.pdf"
    ctx.attendance.print_month(SYSTEM, 2026, 10, None, out)
    month = ctx.attendance.team_month(SYSTEM, 2026, 10)
    total = _norm(i18n.format_money(sum(e.amount_cny for e in month.ledger), "CNY"))
    assert len(_check_pages(out, i18n._("All teams"), total)) >= 2


@pytest.mark.parametrize("rows", [1, 2, 3, 30, 42, 43, 44, 45, 46, 47, 48, 60, 90])
def test_signatures_never_stand_alone_whatever_the_ledgers_length(tmp_path: Path, rows: int) -> None:
    """A ledger that ends anywhere on a page (or just fills it) still takes rows over with the
    signatures."""
    i18n.install("en")
    ledger = tuple(LedgerEntry(date(2026, 10, 1 + i % 28), "E0001", "María Núñez", "LATE", 20) for i in range(rows))
    agent = AgentMonth("E0001", "María Núñez", "Team A", "junior", (), late=rows, deduction_cny=20 * rows, ledger=ledger)
    days = tuple(date(2026, 10, d) for d in range(1, 32))
    data = AttendanceReportInput(
        FormHeader("Site", datetime(2026, 10, 15, 9, 30), "en"), TeamMonth(2026, 10, "Team A", days, (agent,), days[-1])
    )
    out = tmp_path / "s.pdf"
    attendance_summary.render(data, out)
    texts = _check_pages(out, "Team A", _norm(i18n.format_money(20 * rows, "CNY")), rows)
    assert sum(t.count("María Núñez") for t in texts) == rows + 1  # every ledger row once, and the agent


@pytest.fixture
def demo_month(ctx):  # type: ignore[no-untyped-def]
    """The 30-agent demo's October and its first team (issue #14 saw its summary spill)."""
    ctx.demo.build(SYSTEM, agents=30, months=1, seed=7)
    teams = sorted({a.team for a in ctx.attendance.team_month(SYSTEM, 2026, 10).agents if a.team})
    return ctx, teams[0]
