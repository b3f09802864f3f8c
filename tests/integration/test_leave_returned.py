"""The leave record keeps when its 销假 (cancellation on return, rules.md §3) was recorded and by
whom (issue 14): the 销假 writes both, the printed form reads them from the record (not from the
audit log), and revision 0017 fills them in for the leave cancelled before it, from the audit log."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from csdesk import i18n
from csdesk.models.base import schema_heads
from csdesk.models.db import MIGRATIONS_DIR, current_revisions, make_engine, open_database, resolve_url, uow_factory
from csdesk.models.domain import PersonData
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import two_agents_on_day_shifts, write_csv
from tests.helpers.pdf import pdf_text

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

SUP = Actor("supervisor", "supervisor")
FRI, MON = date(2026, 10, 16), date(2026, 10, 19)  # the clock says Thursday 15 October, 09:30


@pytest.fixture
def desk(ctx, tmp_path: Path):
    """Two agents on day shifts from 12 to 25 October 2026, weekends off."""
    return two_agents_on_day_shifts(ctx, tmp_path)


def returned_line(path: Path) -> str:
    """The form's row of the 销假: its status, date and who signed it off."""
    return next(line for line in pdf_text(path).splitlines() if "Returned on" in line)


# --- the 销假 writes it, the form reads it --------------------------------------------------------


def test_the_return_is_stored_on_the_leave_with_the_time_its_audit_entry_has(desk, clock) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI)
    approved = desk.attendance.decide_leave(SUP, leave.id, True, certificate=True)
    assert (approved.returned_at, approved.returned_by) == (None, None)
    clock.now = datetime(2026, 10, 19, 8, 40)
    back = desk.attendance.cancel_on_return(SUP, leave.id, version=approved.version)
    assert (back.cancelled_on_return, back.returned_at, back.returned_by) == (True, clock.now, "supervisor")
    assert back.version == approved.version + 1  # one write, one version
    assert desk.attendance.get_leave(SYSTEM, leave.id) == back
    entry = desk.audit.recent(SUP, limit=1)[0]
    assert (entry.action, entry.entity_id) == ("leave.cancel_on_return", str(leave.id))
    assert (entry.at, entry.username) == (back.returned_at, back.returned_by)


def test_the_form_prints_the_return_from_the_record_when_the_audit_log_is_empty(ctx, tmp_path: Path) -> None:
    """Written straight through the repository: no audit entry names the leave (none at all)."""
    at = datetime(2026, 10, 19, 8, 40)
    with ctx._uow() as uow:
        team = uow.teams.add("一组")
        person = uow.people.add(PersonData("A1", "张伟", "一组", "agent", "junior"), team)
        leave_id = uow.attendance.add_leave(
            person_id=person, leave_type="SICK", start=FRI, end=FRI, hours=None, status="approved", reason="发烧",
            certificate=True, cancelled_on_return=False, created_at=datetime(2026, 10, 15, 9, 30), created_by="supervisor",
            decided_by="supervisor", decided_at=datetime(2026, 10, 15, 9, 30),
        )  # fmt: skip
        uow.attendance.cancel_leave_on_return(leave_id, at, "boss")
        uow.commit()
    assert ctx.audit.recent(SUP) == []
    printed = tmp_path / "form.pdf"
    ctx.attendance.print_leave(SUP, leave_id, printed)
    line = returned_line(printed)
    assert "Done" in line and i18n.format_date(at.date()) in line and "boss" in line, line


def test_the_form_prints_the_return_when_the_leave_changed_after_it(desk, clock, tmp_path: Path) -> None:
    """The 销假 recorded before the approval: the audit log's last entry of the leave is the approval."""
    leave = desk.attendance.file_leave(SYSTEM, "A2", "PERSONAL", MON, MON, reason="家事")
    clock.now = datetime(2026, 10, 20, 9, 5)
    desk.attendance.cancel_on_return(SUP, leave.id)
    clock.now = datetime(2026, 10, 21, 17, 0)
    desk.attendance.decide_leave(SUP, leave.id, True)
    assert desk.audit.recent(SUP, limit=1)[0].action == "leave.approve"
    printed = tmp_path / "form.pdf"
    desk.attendance.print_leave(SUP, leave.id, printed)
    line = returned_line(printed)
    assert "Done" in line and i18n.format_date(date(2026, 10, 20)) in line and "supervisor" in line, line


# --- revision 0017 ----------------------------------------------------------------------------


def _alembic(conn):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def test_the_migration_takes_the_return_of_older_leave_from_the_audit_log(desk, clock, tmp_path: Path) -> None:
    from alembic import command

    attendance = desk.attendance
    # Returned after the approval.
    sick = attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI)
    attendance.decide_leave(SUP, sick.id, True, certificate=True)
    clock.now = datetime(2026, 10, 19, 8, 40)
    attendance.cancel_on_return(SUP, sick.id)
    # Returned twice before the approval: the last 销假 counts, though the approval came after it.
    personal = attendance.file_leave(SYSTEM, "A2", "PERSONAL", MON, MON)
    clock.now = datetime(2026, 10, 20, 9, 0)
    attendance.cancel_on_return(SUP, personal.id)
    clock.now = datetime(2026, 10, 20, 9, 15)
    attendance.cancel_on_return(Actor("boss", "supervisor"), personal.id)
    clock.now = datetime(2026, 10, 21, 17, 0)
    attendance.decide_leave(SUP, personal.id, True)
    # Approved, not back yet; and imported as approved, so already cancelled, with no 销假 of its own.
    waiting = attendance.file_leave(SYSTEM, "A1", "SICK", date(2026, 10, 22), date(2026, 10, 22))
    attendance.decide_leave(SUP, waiting.id, True, certificate=True)
    rows = "employee_no,type,start,end,status\nA2,PERSONAL,2026-10-13,2026-10-13,approved\n"
    attendance.import_leave(SYSTEM, write_csv(tmp_path / "leave.csv", rows))
    imported = next(r for r in attendance.leave_requests(SYSTEM, year=2026, month=10) if r.start == date(2026, 10, 13))
    ids = (sick.id, personal.id, waiting.id, imported.id)
    versions = {i: attendance.get_leave(SYSTEM, i).version for i in ids}
    assert imported.cancelled_on_return and imported.returned_at is None

    url = resolve_url(desk.db_url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # the database as 0016 left it
            command.downgrade(_alembic(conn), "0016_disputes")
        assert current_revisions(engine) == {"0016_disputes"}
        assert not {"returned_at", "returned_by"} & {c["name"] for c in inspect(engine).get_columns("leave_requests")}

        open_database(url)  # opening migrates to the head
        assert current_revisions(engine) == schema_heads()
        with uow_factory(open_database(url))() as uow:
            stored = {i: uow.attendance.leave(i) for i in ids}
    finally:
        engine.dispose()
    assert {i: (r.returned_at, r.returned_by) for i, r in stored.items()} == {
        sick.id: (datetime(2026, 10, 19, 8, 40), "supervisor"),
        personal.id: (datetime(2026, 10, 20, 9, 15), "boss"),
        waiting.id: (None, None),
        imported.id: (None, None),
    }
    # The version trigger counts the backfill on the rows it filled, and only there.
    assert {i: r.version - versions[i] for i, r in stored.items()} == {sick.id: 1, personal.id: 1, waiting.id: 0, imported.id: 0}
    printed = tmp_path / "form.pdf"
    desk.attendance.print_leave(SUP, personal.id, printed)
    assert i18n.format_date(date(2026, 10, 20)) in returned_line(printed) and "boss" in returned_line(printed)


def test_the_demo_s_returned_leave_says_when_and_by_whom(ctx) -> None:
    """The demo's approved leave is back: its 销假 has a time (not after the clock) and a signer,
    so its printed form has no blank where the date goes."""
    ctx.demo.build(SYSTEM, agents=30, months=1, seed=7)
    with ctx._uow() as uow:
        returned = [lv for lv in uow.attendance.leave_between(date(2000, 1, 1), date(2100, 1, 1)) if lv.cancelled_on_return]
    assert returned
    assert all(lv.returned_at is not None and lv.returned_by for lv in returned)
    assert all(lv.end < lv.returned_at.date() or lv.returned_at <= ctx.scorecards.now() for lv in returned)
