"""Every leave record prints, in every language (issue #14): a part-day leave (hours=2) and a
nursing leave (its hour a day) print their hours as hours, through the service and the form."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.labels import LEAVE_NAMES, name_of
from csdesk.reports import leave_form
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
