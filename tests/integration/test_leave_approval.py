"""Approving leave records exactly what the approver answered (rules.md §3): the certificate the
type requires, and short notice accepted with a note; both are stored and audited."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk.errors import RuleViolation
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import two_agents_on_day_shifts
from tests.helpers.pdf import pdf_text

SUP = Actor("supervisor", "supervisor")
FRI, MON = date(2026, 10, 16), date(2026, 10, 19)  # the clock says Thursday 15 October, 09:30


@pytest.fixture
def desk(ctx, tmp_path: Path):
    """Two agents on day shifts from 12 to 25 October 2026, weekends off."""
    return two_agents_on_day_shifts(ctx, tmp_path)


def last_audit(ctx):
    return ctx.audit.recent(SUP, limit=1)[0]


def test_sick_leave_approved_without_the_certificate_records_it_as_due_on_return(desk, clock, tmp_path) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI, reason="复诊")
    assert leave.certificate_required and not leave.short_notice  # one day, filed the day before
    approved = desk.attendance.decide_leave(SUP, leave.id, True, certificate=False)
    assert (approved.status, approved.certificate) == ("approved", False)
    assert desk.attendance.get_leave(SYSTEM, leave.id) == approved
    entry = last_audit(desk)
    assert entry.action == "leave.approve"
    assert entry.details == {"status": ["pending", "approved"], "certificate": False, "certificate_due": True}
    desk.attendance.print_leave(SUP, leave.id, tmp_path / "form.pdf")
    assert "Certificate not provided, due on return" in pdf_text(tmp_path / "form.pdf")
    # Back at work, leave closed (销假), no certificate: the day is an absence, as rules.md §3 says.
    desk.attendance.cancel_on_return(SUP, leave.id)
    clock.now = datetime(2026, 10, 19, 9, 0)
    day = desk.attendance.team_month(SYSTEM, 2026, 10).agent("A1").day(FRI)
    assert (day.status, day.reason) == ("ABSENT", "LEAVE_NO_CERTIFICATE")


def test_a_certificate_provided_is_recorded_with_nothing_due(desk) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI)
    approved = desk.attendance.decide_leave(SUP, leave.id, True, certificate=True)
    assert approved.certificate
    assert last_audit(desk).details == {"status": ["pending", "approved"], "certificate": True, "certificate_due": False}


def test_a_type_that_requires_a_certificate_is_not_approved_without_the_answer(desk) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI, certificate=True)
    with pytest.raises(RuleViolation) as refused:
        desk.attendance.decide_leave(SUP, leave.id, True)
    assert refused.value.field == "certificate"
    assert desk.attendance.get_leave(SYSTEM, leave.id) == leave  # nothing stored, nothing audited
    assert last_audit(desk).action == "leave.file"


def test_short_notice_is_approved_only_when_accepted_with_a_note(desk) -> None:
    # Two working days (Friday and Monday) need 3 days' notice; it was filed 1 day ahead.
    leave = desk.attendance.file_leave(SYSTEM, "A2", "PERSONAL", FRI, MON, reason="搬家")
    assert (leave.days, leave.notice_days_required, leave.notice_days_given, leave.short_notice) == (2, 3, 1, True)
    with pytest.raises(RuleViolation) as not_accepted:
        desk.attendance.decide_leave(SUP, leave.id, True)
    with pytest.raises(RuleViolation) as no_note:
        desk.attendance.decide_leave(SUP, leave.id, True, short_notice_accepted=True, note="  ")
    assert (not_accepted.value.field, no_note.value.field) == ("notice", "note")
    assert desk.attendance.get_leave(SYSTEM, leave.id).status == "pending"

    approved = desk.attendance.decide_leave(SUP, leave.id, True, short_notice_accepted=True, note=" 房东突然通知 ")
    assert approved.status == "approved" and not approved.certificate
    assert last_audit(desk).details == {
        "status": ["pending", "approved"], "certificate": False, "notice_given": 1, "notice_required": 3,
        "short_notice_accepted": True, "note": "房东突然通知",
    }


def test_short_notice_and_a_missing_certificate_are_answered_together(desk) -> None:
    # Marriage leave needs 15 days' notice and a certificate (policy: leave.types MARRIAGE).
    leave = desk.attendance.file_leave(SYSTEM, "A1", "MARRIAGE", date(2026, 10, 20), date(2026, 10, 22), event_date=date(2026, 10, 18))
    assert leave.certificate_required and leave.short_notice and leave.notice_days_required == 15
    desk.attendance.decide_leave(SUP, leave.id, True, certificate=False, short_notice_accepted=True, note="婚期提前")
    details = last_audit(desk).details
    assert (details["certificate"], details["certificate_due"], details["short_notice_accepted"]) == (False, True, True)
    assert (details["notice_given"], details["notice_required"], details["note"]) == (5, 15, "婚期提前")


def test_there_is_no_short_notice_to_accept_when_the_notice_was_enough(desk) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A2", "PERSONAL", FRI, FRI)
    with pytest.raises(RuleViolation):
        desk.attendance.decide_leave(SUP, leave.id, True, short_notice_accepted=True, note="x")
    desk.attendance.decide_leave(SUP, leave.id, True)  # a type that asks nothing: approved as filed
    assert last_audit(desk).details == {"status": ["pending", "approved"], "certificate": False}


def test_a_rejection_records_no_answers(desk) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A2", "PERSONAL", FRI, MON)
    rejected = desk.attendance.decide_leave(SUP, leave.id, False)
    assert rejected.status == "rejected"
    assert last_audit(desk).details == {"status": ["pending", "rejected"], "certificate": False}
