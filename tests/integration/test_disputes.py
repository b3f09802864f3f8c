"""Agents acknowledge or dispute their own month's scorecard; the supervisor arbitrates (issue 15):
whose month, the reason, one open dispute at a time, arbitration with a note and a version,
the audit trail, and the month lock that warns of open disputes (service and command line)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from csdesk.cli import main
from csdesk.errors import NotFound, PermissionDenied, StaleWrite, ValidationError
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
