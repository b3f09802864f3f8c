"""What seed 002 asks of the leave and handover forms (issue 14), in Chinese and Spanish.

Leave form: the 销假 (cancellation on return) with its date, the notice given against the notice
required, the year's leave against the yearly cap, the particulars of marriage and maternity
leave, the phone notice of bereavement leave, a relative filing for work-injury leave.
Handover form: the outgoing shift's work record (counts), "the incoming person has read the
handover and the work record" with the takeover time, and lines to write the incoming name and
time by hand on a form printed before the takeover. Each form stays on one page and names only
its embedded font.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.models.domain_handover import HandoverInput, WorkCounts, WorkRecordInput
from csdesk.reports import handover_form, leave_form
from csdesk.reports.handover_form import FormWorkRecord
from csdesk.services.attendance_types import FormHeader, LeaveRequest, Signer, YearLeaveTally
from csdesk.services.base import SYSTEM
from tests.helpers.pdf import pdf_pages, pdf_text
from tests.reports.test_fonts import STANDARD_FONTS, pdf_fonts
from tests.reports.test_handover_forms import form

LANGUAGES = ("zh_CN", "es_ES")
HEADER = FormHeader("示例客服中心", datetime(2026, 10, 15, 9, 30), "zh_CN")
SIGNERS = {"boss": Signer("supervisor", "周慧敏", "S001")}
BOX = "\u25a1"  # □
_LINE = re.compile(r"_{8,}")  # a line to write on

# An approved sick leave, its 销假 recorded, with 18.5 days taken before it this year.
SICK = LeaveRequest(
    7, "E0001", "María Núñez", "客服一组", "SICK", date(2026, 10, 20), date(2026, 10, 22), None, "approved", "发烧 fiebre",
    True, True, datetime(2026, 10, 12, 10, 0), "maria", decided_by="boss", decided_at=datetime(2026, 10, 13, 9, 0),
    days=3, approvers=("supervisor", "superior"), certificate_required=True, cancel_required=True,
    notice_days_required=3, notice_days_given=1, warnings=("LATE_NOTICE",), short_notice=True,
    year_leave=YearLeaveTally(18.5, 21.5, 20, 1.5), returned_at=datetime(2026, 10, 23, 8, 40), returned_by="boss",
)  # fmt: skip
NOT_BACK = replace(SICK, status="pending", cancelled_on_return=False, returned_at=None, returned_by=None,
                   decided_by=None, decided_at=None, year_leave=None)


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    i18n.install(request.param)
    return str(request.param)


def printed(path: Path, render: Callable[[Path], object]) -> Path:
    """Render into ``path``: one page, and no font but the embedded one."""
    render(path)
    assert pdf_pages(path) == 1
    fonts = [name for name, _embedded in pdf_fonts(path)]
    assert fonts and not [f for f in fonts if f.split("+")[-1].startswith(STANDARD_FONTS)], fonts
    return path


def squashed(path: Path) -> str:
    """The text in drawing order with every space and line break gone: a wrapped cell reads whole."""
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", raw.decode("utf-8"))


def has(path: Path, *parts: str) -> bool:
    text = squashed(path)
    return all(re.sub(r"\s+", "", part) in text for part in parts)


def blank_after(path: Path, label: str) -> bool:
    """Whether ``label`` is followed by a line to write on."""
    return re.search(re.escape(re.sub(r"\s+", "", label)) + "_{8,}", squashed(path)) is not None


def line_with(path: Path, label: str) -> str:
    """The first line of the laid-out text that holds ``label`` (a form row holds its values)."""
    return next(line for line in pdf_text(path).splitlines() if label in line)


def days(n: int) -> str:
    return i18n.ngettext("{n} day", "{n} days", n).format(n=i18n.format_number(n))


def before_placeholder(msgid: str) -> str:
    """The translated text of ``msgid`` up to its first placeholder."""
    return i18n._(msgid).split("{")[0]


# --- the leave form ---------------------------------------------------------------------------


def test_a_leave_back_at_work_prints_the_cancellation_s_date_the_notice_and_the_year_against_the_cap(
    tmp_path: Path, lang: str
) -> None:
    _ = i18n._
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(SICK, HEADER, p, signers=SIGNERS))
    returned = line_with(out, _("Returned on"))
    assert i18n.format_date(date(2026, 10, 23)) in returned and "周慧敏 (S001)" in returned
    assert _("Done") in returned
    assert has(out, _("Notice given") + days(1), _("Notice required") + days(3))
    assert i18n.format_number(18.5) in line_with(out, _("Leave taken this year"))
    over = before_placeholder("Over the cap by {days}")
    assert has(out, _("With this leave"), i18n.format_number(21.5), days(20), over, i18n.format_number(1.5))
    assert not _LINE.search(returned)
    assert _("Particulars") not in pdf_text(out)  # those of marriage, maternity, … only


def test_a_leave_not_yet_back_leaves_lines_for_the_cancellation_and_the_year(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(NOT_BACK, HEADER, p))
    returned = line_with(out, _("Returned on"))
    assert _("Required") in returned and len(_LINE.findall(returned)) == 2  # the date and who signs it off
    assert len(_LINE.findall(line_with(out, _("Leave taken this year")))) == 2


def test_a_leave_filed_after_it_began_says_so_against_the_notice_required(tmp_path: Path, lang: str) -> None:
    late = replace(SICK, notice_days_given=-2)
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(late, HEADER, p))
    late_text = i18n.ngettext("filed {n} day after the leave began", "filed {n} days after the leave began", 2)
    assert has(out, i18n._("Notice given") + late_text.format(n=i18n.format_number(2)), i18n._("Notice required") + days(3))


def test_marriage_leave_prints_its_particulars_as_recorded(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    marriage = replace(SICK, leave_type="MARRIAGE", cancel_required=False, event_date=date(2026, 10, 1),
                       entitlement_days=10)
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(marriage, HEADER, p))
    assert i18n.format_date(date(2026, 10, 1)) in line_with(out, _("Date of marriage"))
    assert has(out, _("Remarriage"), _("No"), _("Entitlement"), days(10))
    assert BOX not in squashed(out) and _("Cancellation on return") not in pdf_text(out)  # no 销假 for marriage


def test_maternity_leave_without_its_particulars_leaves_lines_and_boxes(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    maternity = replace(SICK, leave_type="MATERNITY", cancel_required=False, entitlement_days=90)
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(maternity, HEADER, p))
    assert blank_after(out, _("Date of birth or due date")) and blank_after(out, _("Number of babies"))
    assert has(out, _("Difficult birth"), f"{BOX}{_('Yes')}{BOX}{_('No')}", days(90))


def test_bereavement_leave_asks_for_the_phone_notice(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    bereavement = replace(SICK, leave_type="BEREAVEMENT", cancel_required=False)
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(bereavement, HEADER, p))
    phoned = before_placeholder("phoned the supervisor first, on {date} at {time}")
    assert has(out, _("Notified by phone"), BOX + phoned)
    assert blank_after(out, _("Relationship to the deceased"))


def test_work_injury_leave_asks_whether_a_relative_filed_it(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    injury = replace(SICK, leave_type="INJURY", cancel_required=False)
    out = printed(tmp_path / "leave.pdf", lambda p: leave_form.render(injury, HEADER, p))
    assert has(out, _("Filed by a relative") + f"{BOX}{_('Yes')}{BOX}{_('No')}")
    assert blank_after(out, _("Relative (name, relationship)"))


# --- the handover form ------------------------------------------------------------------------

WORK = (FormWorkRecord("陈杰 (L001)", 32, 2, 14), FormWorkRecord("María Núñez (A003)"))
TOOK_OVER = "{name} has read the handover and the work record and took over on {date} at {time}."


def took_over(name: str, at: datetime) -> str:
    """The takeover sentence as the form words it: the date and the time apart."""
    return i18n._(TOOK_OVER).format(name=name, date=i18n.format_date(at, "short"), time=i18n.format_time(at))
COUNTS = re.compile(r"\b32\b.*\b2\b.*\b14\b")
OTHER_SHIFT = re.compile(r"\b7\b.*\b7\b.*\b7\b")


def test_the_handover_form_carries_the_work_record_and_who_read_it_when(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    out = printed(tmp_path / "handover.pdf", lambda p: handover_form.render(form(work_records=WORK), p))
    text = pdf_text(out)
    assert any("陈杰 (L001)" in line and COUNTS.search(line) for line in text.splitlines())
    assert has(out, _("Work record of the shift"), _("Calls made"), _("Complaints taken"), _("Callbacks done"),
               "María Núñez (A003)" + _("No work record"))
    assert has(out, took_over("周慧敏 (S001)", datetime(2026, 10, 15, 18, 5)))
    assert not _LINE.search(line_with(out, _("Incoming")))


def test_a_handover_printed_before_the_takeover_has_lines_for_the_incoming_name_and_time(tmp_path: Path, lang: str) -> None:
    _ = i18n._
    waiting = form(work_records=WORK, acknowledged_by=None, acknowledged_at=None, takeover_note="")
    out = printed(tmp_path / "handover.pdf", lambda p: handover_form.render(waiting, p))
    assert len(_LINE.findall(line_with(out, _("Incoming")))) == 2  # the name, and the time beside it
    assert _("Acknowledged at") in line_with(out, _("Incoming"))
    assert has(out, BOX + _("The incoming person has read the handover and the work record."))


# --- what the services put on the forms ---------------------------------------------------------


def test_print_leave_counts_the_year_and_finds_when_the_leave_was_cancelled_on_return(demo_ctx, clock, tmp_path: Path) -> None:
    attendance, supervisor = demo_ctx.attendance, demo_ctx.auth.resolve_actor("supervisor")
    earlier = attendance.file_leave(SYSTEM, "A001", "PERSONAL", date(2026, 10, 5), date(2026, 10, 6), reason="家事")
    attendance.decide_leave(supervisor, earlier.id, True, short_notice_accepted=True, note="补办")
    sick = attendance.file_leave(SYSTEM, "A001", "SICK", date(2026, 10, 20), date(2026, 10, 21), reason="发烧")
    attendance.decide_leave(supervisor, sick.id, True, certificate=True)
    i18n.install("es_ES")
    _ = i18n._
    before = printed(tmp_path / "before.pdf", lambda p: attendance.print_leave(supervisor, sick.id, p))
    assert len(_LINE.findall(line_with(before, _("Returned on")))) == 2  # not back yet
    assert days(2) in line_with(before, _("Leave taken this year"))  # 5 and 6 October
    with_this = _("{days} (yearly cap: {cap})").format(days=days(4), cap=days(20))
    assert has(before, _("With this leave") + with_this, _("Notice given") + days(5), _("Notice required") + days(3))
    clock.now = datetime(2026, 10, 22, 8, 40)
    attendance.cancel_on_return(supervisor, sick.id)
    back = printed(tmp_path / "back.pdf", lambda p: attendance.print_leave(supervisor, sick.id, p))
    returned = line_with(back, _("Returned on"))
    assert i18n.format_date(date(2026, 10, 22)) in returned and "周慧敏 (S001)" in returned


def test_print_handover_carries_each_outgoing_person_s_work_record_of_that_shift(demo_ctx, clock, tmp_path: Path) -> None:
    clock.now = datetime(2026, 10, 15, 17, 50)
    handover, lead = demo_ctx.handover, demo_ctx.auth.resolve_actor("lead1")
    today = clock.now.date()
    handover.save_work_record(lead, WorkRecordInput("L001", today, "D", "外呼新会员", counts=WorkCounts(32, 2, 14)))
    handover.save_work_record(lead, WorkRecordInput("A001", today, "E", "晚班", counts=WorkCounts(7, 7, 7)))  # another shift
    entry = handover.write(lead, HandoverInput("D", "客服一组", ("L001", "A001"), "交接正常"))
    i18n.install("zh_CN")
    _ = i18n._
    waiting = printed(tmp_path / "waiting.pdf", lambda p: handover.print_handover(lead, entry.id, p))
    lines = pdf_text(waiting).splitlines()
    assert any("陈杰 (L001)" in line and COUNTS.search(line) for line in lines)
    assert has(waiting, "孙艳 (A001)" + _("No work record")) and not any(OTHER_SHIFT.search(line) for line in lines)
    assert len(_LINE.findall(line_with(waiting, _("Incoming")))) == 2
    clock.now = datetime(2026, 10, 15, 18, 5)
    handover.acknowledge(demo_ctx.auth.resolve_actor("supervisor"), entry.id, "已阅")
    taken = printed(tmp_path / "taken.pdf", lambda p: handover.print_handover(lead, entry.id, p))
    assert has(taken, took_over("周慧敏 (S001)", clock.now))


# The dice of the demo gave: no leave at all (2 agents, seed 1), only a personal leave (2 agents,
# seed 7), a sick leave (12 agents, seed 7).
@pytest.mark.parametrize(("agents", "seed"), [(2, 1), (2, 7), (12, 7)])
def test_the_demo_holds_a_sick_leave_whose_form_shows_its_certificate(ctx, tmp_path: Path, agents: int, seed: int) -> None:
    ctx.demo.build(SYSTEM, agents=agents, months=1, seed=seed)
    leaves = ctx.attendance.leave_requests(SYSTEM, year=2026, month=10)
    with_certificate = [r for r in leaves if r.status == "approved" and r.certificate_required and r.certificate]
    assert with_certificate
    assert not [r for r in leaves if r.certificate and not r.certificate_required]  # none where the type asks none
    i18n.install("zh_CN")
    _ = i18n._
    out = printed(tmp_path / "sick.pdf", lambda p: ctx.attendance.print_leave(SYSTEM, with_certificate[0].id, p))
    assert has(out, _("Attachments") + _("Certificate provided"))
