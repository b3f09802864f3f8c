"""Every leave record prints, in every language (issue #14): a part-day leave (hours=2) and a
nursing leave (its hour a day) print their hours as hours, through the service and the form; and
against the yearly cap a part-day leave counts as its own form counts it (nothing on a rest day,
its hours ÷ the length of its day's shift)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.labels import LEAVE_NAMES, name_of
from csdesk.policy import load_policy
from csdesk.reports import leave_form
from csdesk.rules.leave import leave_days_in_year, shift_hours_by_day
from csdesk.services.attendance_types import FormHeader, LeaveRequest
from csdesk.services.base import SYSTEM
from tests.helpers.factories import write_csv
from tests.helpers.pdf import pdf_pages, pdf_text

LANGUAGES = ("zh_CN", "zh_TW", "es_ES", "en")
DAY = date(2026, 10, 20)


def _hours(value: float) -> str:
    """"2 h" / "2 小时" as the form writes it, without its spaces (pdftotext drops the narrow
    space between a number and a short unit: "2h")."""
    return i18n._("{hours} h").format(hours=i18n.format_number(value)).replace(" ", "")


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def part_day_leave(demo_ctx, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A demo floor with two imported leave records: 2 hours of personal leave and a nursing
    leave's hour, both on a day the agents work. Returns (context, {code: (id, agent)})."""
    month = demo_ctx.attendance.team_month(SYSTEM, DAY.year, DAY.month)
    working = [a for a in month.agents if (d := a.day(DAY)) is not None and d.shift not in (None, "R")]
    first, second = working[0], working[1]
    assert demo_ctx.attendance.leave_requests(SYSTEM, year=DAY.year, month=DAY.month) == []  # ids start at 1
    text = (
        "工号,类型,开始,结束,状态,小时,事由\n"
        f"{first.employee_no},PERSONAL,{DAY},{DAY},pending,2,Cita médica\n"
        f"{second.employee_no},NURSING,{DAY},{DAY},approved,1,哺乳\n"
    )
    report = demo_ctx.attendance.import_leave(SYSTEM, write_csv(tmp_path / "leave.csv", text))
    assert report.written == 2 and not report.problems
    return demo_ctx, {"PERSONAL": (1, first), "NURSING": (2, second)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_part_day_and_a_nursing_leave_print_through_the_service(part_day_leave, tmp_path: Path, lang: str) -> None:
    ctx, leaves = part_day_leave
    i18n.install(lang)
    for code, hours in (("PERSONAL", 2), ("NURSING", 1)):
        leave_id, agent = leaves[code]
        out = tmp_path / f"{code}.pdf"
        ctx.attendance.print_leave(SYSTEM, leave_id, out)
        text = pdf_text(out)
        assert pdf_pages(out) == 1
        assert agent.name in text and agent.employee_no in text
        assert name_of(LEAVE_NAMES, code) in text and code not in text  # the type in words, no code
        assert _hours(hours) in text.replace(" ", "")  # hours as hours
        assert i18n.format_date(DAY) in text


def test_the_leave_list_of_a_month_with_a_part_day_leave_reads(part_day_leave) -> None:
    ctx, leaves = part_day_leave
    listed = {r.id: r for r in ctx.attendance.leave_requests(SYSTEM, year=DAY.year, month=DAY.month)}
    assert listed[leaves["PERSONAL"][0]].hours == 2 and listed[leaves["NURSING"][0]].hours == 1


def _request(code: str, hours: float | None, days: float, status: str) -> LeaveRequest:
    return LeaveRequest(
        id=31, employee_no="A0214", name="María Fernández Núñez", team="Equipo Sur", leave_type=code, start=DAY, end=DAY,
        hours=hours, status=status, reason="Cita médica 看病", certificate=False, cancelled_on_return=False,
        created_at=datetime(2026, 10, 15, 9, 0), created_by="system", days=days, approvers=("supervisor",),
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("code", "hours", "days", "status"),
    [("PERSONAL", 2, 2 / 9.5, "pending"), ("NURSING", 1, 1 / 9.5, "approved"), ("NURSING", None, 1, "pending")],
)
def test_the_leave_form_prints_part_day_and_nursing_leave_in_every_language(
    tmp_path: Path, lang: str, code: str, hours: float | None, days: float, status: str
) -> None:
    i18n.install(lang)
    out = tmp_path / "leave.pdf"
    leave_form.render(_request(code, hours, days, status), FormHeader("", datetime(2026, 10, 15, 9, 30), lang), out)
    text = _norm(pdf_text(out))
    assert pdf_pages(out) == 1
    assert name_of(LEAVE_NAMES, code) in text and code not in text
    if hours is None:
        assert i18n._("Full days") in text and i18n.format_number(1) in text
    else:
        assert _hours(hours) in text.replace(" ", "")  # 2 h / 2 小时 / 2 小時
        assert i18n.format_number(days, 2) in text  # the day's fraction: 0.21 / 0,21
    assert "system" not in text.split() and i18n._("System") in text  # filed by csdesk, in words
    assert not text.startswith("·") and " · N" not in text[:40]  # no stray separator without a site


# --- a part-day leave against the yearly cap (issue 14) ----------------------------------------------


def _day_of(agent, shift: str, after: date) -> date:  # type: ignore[no-untyped-def]
    """The agent's first day after ``after`` rostered with ``shift``."""
    return next(d.day for d in agent.days if d.day > after and d.shift == shift)


@pytest.fixture
def capped_agent(demo_ctx, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An agent with 20 days of approved leave in January (the yearly cap, inclusive) and a
    rest day and an evening shift in October. Returns (context, agent)."""
    month = demo_ctx.attendance.team_month(SYSTEM, DAY.year, DAY.month)
    agent = next(a for a in month.agents if {"R", "E"} <= {d.shift for d in a.days if d.day.day > 1})
    text = f"工号,类型,开始,结束,状态,小时,事由\n{agent.employee_no},PERSONAL,2026-01-05,2026-01-24,approved,,家事\n"
    assert demo_ctx.attendance.import_leave(SYSTEM, write_csv(tmp_path / "january.csv", text)).written == 1
    return demo_ctx, agent


def _import_part_day(ctx, tmp_path: Path, agent, day: date, hours: float) -> int:  # type: ignore[no-untyped-def]
    text = f"工号,类型,开始,结束,状态,小时,事由\n{agent.employee_no},PERSONAL,{day},{day},approved,{hours},trámite\n"
    assert ctx.attendance.import_leave(SYSTEM, write_csv(tmp_path / f"{day}.csv", text)).written == 1
    return max(r.id for r in ctx.attendance.leave_requests(SYSTEM, year=day.year, month=day.month))


def _year_row(out: Path, label: str) -> str:
    return _norm(next(line for line in pdf_text(out).splitlines() if i18n._(label) in line))


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_a_part_day_leave_on_a_rest_day_adds_nothing_to_the_year(capped_agent, tmp_path: Path, lang: str) -> None:
    ctx, agent = capped_agent
    rest = _day_of(agent, "R", date(2026, 10, 1))
    leave_id = _import_part_day(ctx, tmp_path, agent, rest, 2)
    i18n.install(lang)
    out = tmp_path / "rest.pdf"
    ctx.attendance.print_leave(SYSTEM, leave_id, out)
    days = i18n.ngettext("{n} day", "{n} days", 20).format(n=i18n.format_number(20))
    with_this = i18n._("{days} (yearly cap: {cap})").format(days=days, cap=days)
    assert with_this in _norm(pdf_text(out))  # 20 days, not 20.21: the leave counted 0 days
    assert i18n._("Over the cap by {days}").split("{")[0].strip() not in pdf_text(out)
    assert days in _year_row(out, "Leave taken this year")
    # The month's cap flag counts it the same way: 20 days are within the cap.
    october = ctx.attendance.team_month(SYSTEM, rest.year, rest.month).agent(agent.employee_no)
    assert "LEAVE_CAP_EXCEEDED" not in october.flags


def test_a_part_day_leave_counts_as_a_fraction_of_its_own_shift_against_the_year(capped_agent, tmp_path: Path) -> None:
    ctx, agent = capped_agent
    evening = _day_of(agent, "E", date(2026, 10, 1))
    _import_part_day(ctx, tmp_path, agent, evening, 2)  # 2 h of an 8.5 h evening shift: 0.24 day
    later = _day_of(agent, "D", evening)
    text = f"工号,类型,开始,结束,状态,小时,事由\n{agent.employee_no},SICK,{later},{later},pending,,gripe\n"
    ctx.attendance.import_leave(SYSTEM, write_csv(tmp_path / "later.csv", text))
    later_id = max(r.id for r in ctx.attendance.leave_requests(SYSTEM, year=later.year, month=later.month))
    i18n.install("es_ES")
    out = tmp_path / "later.pdf"
    ctx.attendance.print_leave(SYSTEM, later_id, out)
    assert "20,24 días" in _year_row(out, "Leave taken this year")  # not 20,21 (2 h of a 9.5 h day shift)
    assert "LEAVE_CAP_EXCEEDED" in ctx.attendance.team_month(SYSTEM, 2026, 10).agent(agent.employee_no).flags


def test_the_year_counts_a_part_day_on_its_own_shift_and_nothing_on_a_rest_day() -> None:
    policy = load_policy()
    roster = {date(2026, 10, 3): "R", date(2026, 10, 5): "E", date(2026, 10, 6): "D"}
    lengths = shift_hours_by_day(roster, policy)
    assert lengths == {date(2026, 10, 3): 0.0, date(2026, 10, 5): 8.5, date(2026, 10, 6): 9.5}
    leaves = [(d, d, 2.0) for d in roster] + [(date(2026, 10, 7), date(2026, 10, 7), 3.0)]  # the 7th: no shift
    assert leave_days_in_year(leaves, 2026, date(2026, 12, 31), 9.5, shift_hours=lengths) == pytest.approx(2 / 8.5 + 2 / 9.5)
    assert leave_days_in_year(leaves, 2026, date(2026, 12, 31), 9.5) == pytest.approx(9 / 9.5)  # without a roster: as before
