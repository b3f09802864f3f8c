"""Agents acknowledge or dispute their own month's scorecard and their own quality inspections;
the supervisor arbitrates (issue 15): whose month or inspection, the reason, one open dispute at
a time, arbitration with a note and a version, the audit trail, and the month lock that warns of
open disputes (service and command line); revision 0018 adds the inspections' responses."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import inspect

from csdesk.audit_labels import describe
from csdesk.cli import main
from csdesk.errors import NotFound, PermissionDenied, StaleWrite, ValidationError
from csdesk.models.base import schema_heads
from csdesk.models.db import MIGRATIONS_DIR, current_revisions, make_engine, open_database, resolve_url
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import FixedClock

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

MONTH = "2026-10"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 10, 20, 9, 0))


@pytest.fixture
def floor(ctx):
    """The demo's people and logins (agent1 is A001, in lead1's team with A004; A002 is in the
    other team), and an account for A002 too."""
    ctx.demo.build(SYSTEM, agents=6, months=1, seed=3, areas=False)
    ctx.auth.create_user(SYSTEM, "agent2", "agent2-password", "agent", "A002")
    return ctx


def actor(ctx, login: str) -> Actor:
    return ctx.auth.resolve_actor(login)


def test_an_agent_acknowledges_their_own_month_and_it_is_audited(floor) -> None:
    saved = floor.disputes.acknowledge(actor(floor, "agent1"), "2026/10")
    assert (saved.employee_no, saved.month, saved.kind, saved.created_by, saved.is_open) == (
        "A001", MONTH, "acknowledged", "agent1", False)  # fmt: skip
    entry = floor.audit.recent(SYSTEM, 1)[0]
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == (
        "scorecard.acknowledge", "scorecard_response", str(saved.id), "agent1")  # fmt: skip
    assert entry.details == {"employee_no": "A001", "month": MONTH}
    with pytest.raises(ValidationError, match="acknowledged 2026-10 already"):
        floor.disputes.acknowledge(actor(floor, "agent1"), MONTH)


def test_each_agent_responds_for_themselves_and_sees_only_their_own_responses(floor) -> None:
    floor.disputes.dispute(actor(floor, "agent2"), MONTH, "the rating of October is not mine")
    mine = floor.disputes.acknowledge(actor(floor, "agent1"), MONTH)
    assert [(r.employee_no, r.kind) for r in floor.disputes.responses(actor(floor, "agent1"), MONTH)] == [("A001", "acknowledged")]
    assert [r.employee_no for r in floor.disputes.responses(actor(floor, "agent2"), MONTH)] == ["A002"]
    assert [r.employee_no for r in floor.disputes.responses(actor(floor, "lead1"), MONTH)] == ["A001"]  # their team
    assert [r.employee_no for r in floor.disputes.responses(actor(floor, "supervisor"), MONTH)] == ["A001", "A002"]
    with pytest.raises(PermissionDenied):  # another team: refused, not quietly narrowed to their own
        floor.disputes.responses(actor(floor, "agent1"), MONTH, team="客服二组")
    with pytest.raises(PermissionDenied):
        floor.disputes.responses(actor(floor, "lead1"), MONTH, team="客服二组")
    with pytest.raises(PermissionDenied):  # the open disputes are the supervisor's list
        floor.disputes.open_disputes(actor(floor, "agent1"), MONTH)
    with pytest.raises(PermissionDenied):  # nor may an agent decide anyone's dispute, their own included
        floor.disputes.arbitrate(actor(floor, "agent1"), mine.id, "upheld", "fine")
    for login in ("supervisor", "trainer"):  # accounts of people nobody scores have no month to respond to
        with pytest.raises(NotFound):
            floor.disputes.acknowledge(actor(floor, login), MONTH)
    with pytest.raises(NotFound):
        floor.disputes.dispute(Actor("kiosk", "agent"), MONTH, "no person behind the account")


def test_a_dispute_needs_a_reason_and_a_month_that_has_begun(floor) -> None:
    agent = actor(floor, "agent1")
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            floor.disputes.dispute(agent, MONTH, reason)
        assert exc.value.field == "reason"
    with pytest.raises(ValidationError, match="has not begun"):
        floor.disputes.dispute(agent, "2026-11", "too early")
    assert floor.disputes.responses(SYSTEM, MONTH) == []


def test_one_dispute_is_open_at_a_time_and_the_supervisor_decides_it_with_a_note(floor) -> None:
    agent, supervisor = actor(floor, "agent1"), actor(floor, "supervisor")
    floor.disputes.acknowledge(agent, MONTH)
    dispute = floor.disputes.dispute(agent, MONTH, "  M01 on 5 October: I was on a training course  ")
    assert (dispute.kind, dispute.reason, dispute.is_open) == ("disputed", "M01 on 5 October: I was on a training course", True)
    for respond in (lambda: floor.disputes.acknowledge(agent, MONTH), lambda: floor.disputes.dispute(agent, MONTH, "again")):
        with pytest.raises(ValidationError, match="awaits the supervisor"):
            respond()
    assert [d.id for d in floor.disputes.open_disputes(supervisor, MONTH)] == [dispute.id]
    with pytest.raises(ValidationError) as exc:
        floor.disputes.arbitrate(supervisor, dispute.id, "rejected", "no")
    assert exc.value.field == "outcome"
    with pytest.raises(ValidationError) as exc:
        floor.disputes.arbitrate(supervisor, dispute.id, "changed", " ")
    assert exc.value.field == "note"
    decided = floor.disputes.arbitrate(supervisor, dispute.id, "changed", "M01 voided: the course is on the roster", version=dispute.version)
    assert (decided.outcome, decided.note, decided.decided_by, decided.is_open, decided.version) == (
        "changed", "M01 voided: the course is on the roster", "supervisor", False, dispute.version + 1)  # fmt: skip
    entry = floor.audit.recent(SYSTEM, 1)[0]
    assert (entry.action, entry.entity_id, entry.details) == ("scorecard.arbitrate", str(dispute.id), {
        "employee_no": "A001", "month": MONTH, "outcome": "changed", "note": "M01 voided: the course is on the roster"})
    assert floor.disputes.open_disputes(supervisor, MONTH) == []
    with pytest.raises(ValidationError, match="decided already"):
        floor.disputes.arbitrate(supervisor, dispute.id, "upheld", "again")
    acknowledged = floor.disputes.responses(agent, MONTH)[0]
    with pytest.raises(NotFound):  # an acknowledgement is no dispute to decide
        floor.disputes.arbitrate(supervisor, acknowledged.id, "upheld", "nothing to decide")
    again = floor.disputes.dispute(agent, MONTH, "the corrected card still counts the course day")  # after a decision
    assert [(r.kind, r.outcome) for r in floor.disputes.responses(agent, MONTH)] == [
        ("acknowledged", None), ("disputed", "changed"), ("disputed", None)]  # fmt: skip
    assert again.is_open


def test_an_arbitration_based_on_an_old_read_is_refused_and_names_who_decided(floor) -> None:
    dispute = floor.disputes.dispute(actor(floor, "agent1"), MONTH, "my exam score is wrong")
    floor.disputes.arbitrate(actor(floor, "supervisor"), dispute.id, "upheld", "the exam was re-marked: 82 stands", version=dispute.version)
    with pytest.raises(StaleWrite, match="supervisor changed this record"):  # another PC, the same screen as before
        floor.disputes.arbitrate(SYSTEM, dispute.id, "changed", "raise it", version=dispute.version)
    assert floor.disputes.responses(SYSTEM, MONTH)[0].outcome == "upheld"


def test_a_signed_month_takes_responses_and_its_lock_names_the_open_disputes(floor) -> None:
    agent, supervisor = actor(floor, "agent1"), actor(floor, "supervisor")
    floor.disputes.dispute(actor(floor, "agent2"), MONTH, "my rating is missing")
    floor.disputes.dispute(agent, MONTH, "my exam score is wrong")
    result = floor.scorecards.months.lock_month(supervisor, MONTH)
    assert result.details["open_disputes"] == ["A001", "A002"]
    assert floor.audit.recent(SYSTEM, 1)[0].details["open_disputes"] == ["A001", "A002"]
    a002 = next(d for d in floor.disputes.open_disputes(supervisor, MONTH) if d.employee_no == "A002")
    decided = floor.disputes.arbitrate(supervisor, a002.id, "upheld", "nobody was rated yet")  # the month is signed
    assert decided.outcome == "upheld"
    floor.scorecards.months.reopen(supervisor, MONTH, "exam re-marked")
    result = floor.scorecards.months.lock_month(supervisor, MONTH)
    assert result.details["open_disputes"] == ["A001"]


def test_month_lock_on_the_command_line_warns_of_open_disputes(floor, capsys: pytest.CaptureFixture[str]) -> None:
    floor.disputes.dispute(actor(floor, "agent1"), MONTH, "my exam score is wrong")
    assert main(["--db", floor.db_url, "--json", "month", "lock", MONTH]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["open_disputes"] == ["A001"]
    assert "Warning: 1 agent's dispute of this month is still open: A001" in err


def test_locking_without_open_disputes_names_none(floor, capsys: pytest.CaptureFixture[str]) -> None:
    floor.disputes.acknowledge(actor(floor, "agent1"), MONTH)
    assert main(["--db", floor.db_url, "month", "lock", MONTH]) == 0
    out, err = capsys.readouterr()
    assert "dispute" not in err and "2026-10 is locked." in out
    assert "open_disputes" not in floor.audit.recent(SYSTEM, 1)[0].details


# --- responses to quality inspections (rules.md §10) --------------------------------------------

ALL_YES = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}


@pytest.fixture
def inspected(floor):
    """October's inspections: A001 (agent1) on the 5th with Q02 failed (90.0), and a calibration
    inspection of the same call by S001; A002 (agent2, the other team) on the 6th. Returns their ids."""
    qa = actor(floor, "qa")
    own = floor.qa.record_inspection(qa, "A001", "CALL-1", date(2026, 10, 5), {**ALL_YES, "Q02": "no"})
    calibration = floor.qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 5), ALL_YES, inspector="S001",
                                             calibration=True)  # fmt: skip
    other = floor.qa.record_inspection(qa, "A002", "T-77", date(2026, 10, 6), ALL_YES)
    return floor, own.inspection.id, calibration.inspection.id, other.inspection.id


def test_an_agent_acknowledges_their_own_inspection_and_it_is_audited_in_words(inspected) -> None:
    ctx, own, _calibration, _other = inspected
    saved = ctx.disputes.acknowledge_inspection(actor(ctx, "agent1"), own, "  I will use the opening phrase  ")
    assert (saved.inspection_id, saved.employee_no, saved.contact, saved.inspected_on, saved.kind, saved.reason,
            saved.created_by, saved.is_open, str(saved.score)) == (
        own, "A001", "CALL-1", date(2026, 10, 5), "acknowledged", "I will use the opening phrase", "agent1", False, "90.0")  # fmt: skip
    entry = ctx.audit.recent(SYSTEM, 1)[0]
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == (
        "qa.acknowledge", "inspection_response", str(saved.id), "agent1")  # fmt: skip
    assert entry.details == {"employee_no": "A001", "inspection": own, "contact": "CALL-1", "day": "2026-10-05",
                             "reason": "I will use the opening phrase"}  # fmt: skip
    words = describe(entry)
    assert (words.area, words.action_text, words.record_text) == (
        "qa", "Acknowledged their quality inspection", f"inspection response {saved.id}")  # fmt: skip
    assert f"Inspection: {own}" in words.details and "Contact: CALL-1" in words.details
    with pytest.raises(ValidationError, match=f"acknowledged inspection {own} already"):
        ctx.disputes.acknowledge_inspection(actor(ctx, "agent1"), own)


def test_an_agent_responds_only_to_their_own_inspections_that_count(inspected) -> None:
    ctx, own, calibration, other = inspected
    agent = actor(ctx, "agent1")
    with pytest.raises(PermissionDenied):  # another agent's (another team's) inspection
        ctx.disputes.dispute_inspection(agent, other, "not mine, but still")
    with pytest.raises(ValidationError, match="calibration inspection"):
        ctx.disputes.acknowledge_inspection(agent, calibration)
    with pytest.raises(NotFound):
        ctx.disputes.acknowledge_inspection(agent, 999_999)
    for login in ("supervisor", "lead1", "qa"):  # those who see it may not answer for the agent
        with pytest.raises(PermissionDenied, match="Only the agent inspected"):
            ctx.disputes.dispute_inspection(actor(ctx, login), own, "on the agent's behalf")
    with pytest.raises(PermissionDenied):  # the other agent cannot answer agent1's inspection either
        ctx.disputes.acknowledge_inspection(actor(ctx, "agent2"), own)
    assert ctx.disputes.inspection_responses(SYSTEM, MONTH) == []
    for reason in ("", "  "):
        with pytest.raises(ValidationError) as exc:
            ctx.disputes.dispute_inspection(agent, own, reason)
        assert exc.value.field == "reason"


def test_an_agent_reaches_only_their_own_inspections_and_responses(inspected) -> None:
    ctx, own, _calibration, other = inspected
    agent, supervisor = actor(ctx, "agent1"), actor(ctx, "supervisor")
    ctx.disputes.dispute_inspection(actor(ctx, "agent2"), other, "the call was transferred to me")
    ctx.disputes.acknowledge_inspection(agent, own)
    listed = ctx.qa.inspections(agent, MONTH, calibration=True)  # what the Quality page asks for
    assert [(i.id, i.employee_no) for i in listed] == [(own, "A001")]  # no calibration, nobody else's
    assert [(r.employee_no, r.kind) for r in ctx.disputes.inspection_responses(agent, MONTH)] == [("A001", "acknowledged")]
    with pytest.raises(PermissionDenied):
        ctx.disputes.inspection_responses(agent, MONTH, employee_no="A002")
    with pytest.raises(PermissionDenied):
        ctx.disputes.inspection_responses(agent, MONTH, team="客服二组")
    with pytest.raises(PermissionDenied):
        ctx.qa.inspection(agent, other)
    with pytest.raises(PermissionDenied):
        ctx.qa.inspections(agent, MONTH, employee_no="A002")
    with pytest.raises(PermissionDenied):  # the open disputes are the supervisor's list
        ctx.disputes.open_inspection_disputes(agent, MONTH)
    assert [r.employee_no for r in ctx.disputes.inspection_responses(actor(ctx, "lead1"), MONTH)] == ["A001"]
    assert [r.employee_no for r in ctx.disputes.inspection_responses(supervisor, MONTH)] == ["A001", "A002"]
    assert [r.employee_no for r in ctx.disputes.open_inspection_disputes(supervisor, MONTH)] == ["A002"]
    assert ctx.disputes.inspection_responses(supervisor, "2026-09") == []


def test_the_supervisor_decides_an_inspection_dispute_with_a_note_and_it_is_audited(inspected) -> None:
    ctx, own, _calibration, _other = inspected
    agent, supervisor = actor(ctx, "agent1"), actor(ctx, "supervisor")
    acknowledged = ctx.disputes.acknowledge_inspection(agent, own)
    dispute = ctx.disputes.dispute_inspection(agent, own, "  The customer hung up before I could greet them  ")
    assert (dispute.kind, dispute.reason, dispute.is_open) == ("disputed", "The customer hung up before I could greet them", True)
    for respond in (lambda: ctx.disputes.acknowledge_inspection(agent, own),
                    lambda: ctx.disputes.dispute_inspection(agent, own, "again")):  # fmt: skip
        with pytest.raises(ValidationError, match=f"dispute of inspection {own} awaits the supervisor"):
            respond()
    assert [d.id for d in ctx.disputes.open_inspection_disputes(supervisor, MONTH)] == [dispute.id]
    with pytest.raises(PermissionDenied):  # nor may an agent decide their own dispute
        ctx.disputes.arbitrate_inspection(agent, dispute.id, "changed", "I say so")
    with pytest.raises(PermissionDenied):  # the QA inspector inspects; the supervisor arbitrates
        ctx.disputes.arbitrate_inspection(actor(ctx, "qa"), dispute.id, "upheld", "it stands")
    with pytest.raises(ValidationError) as exc:
        ctx.disputes.arbitrate_inspection(supervisor, dispute.id, "rejected", "no")
    assert exc.value.field == "outcome"
    with pytest.raises(ValidationError) as exc:
        ctx.disputes.arbitrate_inspection(supervisor, dispute.id, "changed", "  ")
    assert exc.value.field == "note"
    note = "The recording confirms it: Q02 does not apply to this call."
    decided = ctx.disputes.arbitrate_inspection(supervisor, dispute.id, "changed", note, version=dispute.version)
    assert (decided.outcome, decided.note, decided.decided_by, decided.decided_at, decided.is_open, decided.version) == (
        "changed", note, "supervisor", datetime(2026, 10, 20, 9, 0), False, dispute.version + 1)  # fmt: skip
    entry = ctx.audit.recent(SYSTEM, 1)[0]
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == (
        "qa.arbitrate", "inspection_response", str(dispute.id), "supervisor")  # fmt: skip
    assert entry.details == {"employee_no": "A001", "inspection": own, "contact": "CALL-1", "day": "2026-10-05",
                             "decision": "changed", "note": note}  # fmt: skip
    words = describe(entry)
    assert words.action_text == "Arbitrated a quality inspection dispute"
    assert "Decision: Inspection changed" in words.details and f"Note: {note}" in words.details
    assert [e.action for e in ctx.audit.recent(SYSTEM, 3)] == ["qa.arbitrate", "qa.dispute", "qa.acknowledge"]
    assert ctx.disputes.open_inspection_disputes(supervisor, MONTH) == []
    with pytest.raises(ValidationError, match="decided already"):
        ctx.disputes.arbitrate_inspection(supervisor, dispute.id, "upheld", "again")
    with pytest.raises(NotFound):  # an acknowledgement is no dispute to decide
        ctx.disputes.arbitrate_inspection(supervisor, acknowledged.id, "upheld", "nothing to decide")
    with pytest.raises(NotFound):  # a month's dispute and an inspection's are different records
        ctx.disputes.arbitrate(supervisor, dispute.id, "upheld", "wrong list")
    assert ctx.qa.inspection(supervisor, own).inspection.score == dispute.score  # "changed" records the decision only
    again = ctx.disputes.dispute_inspection(agent, own, "Q02 still counts on the printed report")
    assert [(r.kind, r.outcome) for r in ctx.disputes.inspection_responses(agent, MONTH)] == [
        ("acknowledged", None), ("disputed", "changed"), ("disputed", None)]  # fmt: skip
    assert again.is_open


def test_a_response_or_decision_saved_on_another_pc_meanwhile_is_refused(inspected, clock: FixedClock) -> None:
    ctx, own, _calibration, other = inspected
    agent, supervisor = actor(ctx, "agent1"), actor(ctx, "supervisor")
    # Two PCs show agent1 the inspection without a response; the first acknowledges it.
    ctx.disputes.acknowledge_inspection(agent, own, seen=0)
    clock.now = datetime(2026, 10, 20, 9, 5)
    with pytest.raises(StaleWrite, match=f"agent1 responded to inspection {own} on another PC at 2026-10-20 09:00"):
        ctx.disputes.dispute_inspection(agent, own, "the second PC still shows no response", seen=0)
    latest = ctx.disputes.inspection_responses(agent, MONTH)[-1]
    assert latest.kind == "acknowledged"  # nothing written
    dispute = ctx.disputes.dispute_inspection(agent, own, "seen the acknowledgement, disputing now", seen=latest.id)
    # Two supervisors' PCs show the dispute open; the first decides it.
    ctx.disputes.arbitrate_inspection(supervisor, dispute.id, "upheld", "the recording shows no greeting", version=dispute.version)
    with pytest.raises(StaleWrite, match="supervisor changed this record"):
        ctx.disputes.arbitrate_inspection(SYSTEM, dispute.id, "changed", "raise it", version=dispute.version)
    stored = ctx.disputes.inspection_responses(supervisor, MONTH)[-1]
    assert (stored.outcome, stored.note) == ("upheld", "the recording shows no greeting")
    other_dispute = ctx.disputes.dispute_inspection(actor(ctx, "agent2"), other, "transferred call", seen=0)
    assert other_dispute.is_open  # a response to one inspection does not stale another's


def test_a_signed_month_takes_inspection_responses_and_its_lock_names_the_open_ones(
    inspected, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, own, _calibration, other = inspected
    supervisor = actor(ctx, "supervisor")
    first = ctx.disputes.dispute_inspection(actor(ctx, "agent1"), own, "the customer hung up")
    second = ctx.disputes.dispute_inspection(actor(ctx, "agent2"), other, "transferred call")
    ctx.disputes.arbitrate_inspection(supervisor, second.id, "upheld", "it was yours to close")
    assert main(["--db", ctx.db_url, "--json", "month", "lock", MONTH]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["open_inspection_disputes"] == [
        {"id": first.id, "inspection": own, "employee_no": "A001", "contact": "CALL-1", "date": "2026-10-05"}]
    assert f"Warning: 1 dispute of an inspection of this month is still open: A001 (inspection {own})" in err
    assert "agent's dispute of this month" not in err  # no month's scorecard is disputed
    lock_entry = ctx.audit.recent(SYSTEM, 1)[0]
    assert (lock_entry.action, lock_entry.details["open_inspection_disputes"]) == ("month.lock", [f"A001:{own}"])
    decided = ctx.disputes.arbitrate_inspection(supervisor, first.id, "changed", "Q02 does not apply")  # signed month
    assert decided.outcome == "changed"
    ctx.disputes.acknowledge_inspection(actor(ctx, "agent1"), own)  # and takes the agent's response
    ctx.scorecards.months.reopen(supervisor, MONTH, "exam re-marked")
    assert main(["--db", ctx.db_url, "month", "lock", MONTH]) == 0
    out, err = capsys.readouterr()
    assert "dispute" not in err and "2026-10 is locked." in out


# --- revision 0018 ----------------------------------------------------------------------------


def _alembic(conn):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def test_revision_0018_adds_the_inspections_responses_with_their_version_trigger(inspected) -> None:
    from alembic import command

    ctx, own, _calibration, _other = inspected
    ctx.disputes.dispute(actor(ctx, "agent1"), MONTH, "the month's dispute stays")
    url = resolve_url(ctx.db_url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # the database as 0017 left it
            command.downgrade(_alembic(conn), "0017_leave_returned")
        assert current_revisions(engine) == {"0017_leave_returned"}
        assert "inspection_responses" not in inspect(engine).get_table_names()
        open_database(url)  # opening migrates to the head
        assert current_revisions(engine) == schema_heads()
        columns = {c["name"]: c for c in inspect(engine).get_columns("inspection_responses")}
        assert {"inspection_id", "kind", "reason", "outcome", "note", "decided_by", "version"} <= set(columns)
        assert not columns["reason"]["nullable"] and columns["outcome"]["nullable"]
    finally:
        engine.dispose()
    # The table works as the service needs it, and its trigger counts the arbitration.
    assert [r.reason for r in ctx.disputes.responses(SYSTEM, MONTH)] == ["the month's dispute stays"]
    dispute = ctx.disputes.dispute_inspection(actor(ctx, "agent1"), own, "after the upgrade")
    assert dispute.version == 1
    decided = ctx.disputes.arbitrate_inspection(actor(ctx, "supervisor"), dispute.id, "upheld", "stands", version=1)
    assert decided.version == 2
