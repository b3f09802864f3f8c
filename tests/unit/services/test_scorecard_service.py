"""ScorecardService use cases against an in-memory unit of work.

As in ``test_attendance_service``: each test gets its own in-memory SQLite database, copied from
one migrated per module, and the services it needs built over it (the scorecards, with the
month locks they own, and audit). They reach the database through the ordinary unit of work,
whose ``scorecards`` repository hands back frozen records. No attendance or handover source is
wired in: the lock's hook computes the month in the lock's own unit of work.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest

from csdesk.errors import LockedMonth, NotFound, PermissionDenied, RuleViolation, ValidationError
from csdesk.models.db import UowFactory
from csdesk.models.domain import AuditEntry, PersonData
from csdesk.models.domain_scorecards import AgentRecord, EventCorrection, EventRecord
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.policy import Policy
from csdesk.services.audit import AuditService
from csdesk.services.base import Actor
from csdesk.services.scorecards import ScorecardService
from tests.helpers.factories import FixedClock

SUP = Actor("supervisor", "supervisor")
TRAINER = Actor("trainer", "trainer")
LEAD = Actor("lead1", "team_lead", 3)  # L1, team lead of 一组 (the fixture checks the id)
QA = Actor("qa", "qa")
MONTH = "2026-10"
OCT_2, OCT_9 = date(2026, 10, 2), date(2026, 10, 9)
CRITERIA = ("service_quality", "execution", "collaboration", "discipline")


@dataclasses.dataclass(frozen=True)
class Desk:
    """The services a test drives, over one in-memory database."""

    scorecards: ScorecardService
    audit: AuditService
    uow: UowFactory

    def last_audit(self) -> AuditEntry:
        return self.audit.recent(SUP, limit=1)[0]

    def audit_count(self) -> int:
        return len(self.audit.recent(SUP))


@pytest.fixture
def ctx(uow: UowFactory, clock: FixedClock, policy: Policy) -> Desk:
    """A1 (senior, 一组) and A2 (junior, 二组), both in service long before October 2026; a team
    lead who is no agent. Today is 2026-10-15 09:30."""
    with uow() as unit:
        teams = {name: unit.teams.add(name) for name in ("一组", "二组")}
        unit.people.add(PersonData("A1", "张伟", "一组", "agent", "senior", date(2022, 3, 1)), teams["一组"])
        unit.people.add(PersonData("A2", "María Núñez", "二组", "agent", "junior", date(2025, 1, 6)), teams["二组"])
        assert unit.people.add(PersonData("L1", "王强", "一组", "team_lead", None, date(2019, 1, 1)), teams["一组"]) == LEAD.person_id
        unit.commit()
    return Desk(ScorecardService(uow, policy, clock), AuditService(uow, policy, clock), uow)


def _rate(ctx: Desk, no: str, values: tuple[float, ...] = (25, 17.5, 12, 13)) -> None:
    for criterion, value in zip(CRITERIA, values, strict=True):
        ctx.scorecards.set_rating(TRAINER, MONTH, no, criterion, value)


# --- the repository contract ------------------------------------------------------------


def test_the_unit_of_work_carries_the_scorecard_repository_and_it_returns_frozen_records(ctx, uow) -> None:
    event = ctx.scorecards.record_event(LEAD, "A1", OCT_2, "B03", note="表扬信")
    with uow() as unit:
        assert isinstance(unit.scorecards, ScorecardRepository)
        agents = unit.scorecards.agents()
        assert [(a.employee_no, a.team, a.level) for a in agents] == [("A1", "一组", "senior"), ("A2", "二组", "junior")]
        stored = unit.scorecards.event(event.id)
        assert isinstance(stored, EventRecord) and stored == event
        for record in (agents[0], stored):
            assert isinstance(record, (AgentRecord, EventRecord))
            with pytest.raises(dataclasses.FrozenInstanceError):
                record.person_id = 0  # type: ignore[misc]


# --- events ----------------------------------------------------------------------------------


def test_recording_an_event_stores_it_signed_with_its_audit_entry(ctx, clock) -> None:
    event = ctx.scorecards.record_event(LEAD, "A1", OCT_2, "M02", note="  桌面凌乱 ")
    assert (event.code, event.points, event.day, event.source, event.note) == ("M02", -2, OCT_2, "manual", "桌面凌乱")
    assert (event.recorded_by, event.recorded_at, event.voided, event.revision) == ("lead1", clock.now, False, 0)
    entry = ctx.last_audit()
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == ("event.record", "evaluation_event", str(event.id), "lead1")
    assert entry.details == {"employee_no": "A1", "day": "2026-10-02", "code": "M02", "points": -2, "note": "桌面凌乱"}
    assert [e.id for e in ctx.scorecards.scorecard(SUP, MONTH, "A1").events] == [event.id]


def test_an_event_is_refused_for_a_day_to_come_a_stranger_or_a_second_time_a_month(ctx) -> None:
    with pytest.raises(ValidationError):
        ctx.scorecards.record_event(LEAD, "A1", date(2026, 10, 16), "B03")
    with pytest.raises(NotFound):
        ctx.scorecards.record_event(LEAD, "X9", OCT_2, "B03")
    with pytest.raises(PermissionDenied):
        ctx.scorecards.record_event(QA, "A1", OCT_2, "B03")
    ctx.scorecards.record_event(LEAD, "A1", OCT_2, "B01")  # at most once a month
    entries = ctx.audit_count()
    with pytest.raises(RuleViolation):
        ctx.scorecards.record_event(LEAD, "A1", OCT_9, "B01")
    assert ctx.audit_count() == entries


def test_correcting_an_event_keeps_the_old_values_and_the_reason(ctx, clock) -> None:
    event = ctx.scorecards.record_event(LEAD, "A1", OCT_2, "M02")
    clock.now = datetime(2026, 10, 15, 11, 0)
    after = ctx.scorecards.correct_event(SUP, event.id, " 记错了代码 ", code="M04", day=OCT_9)
    assert (after.id, after.code, after.points, after.day, after.revision, after.corrected) == (event.id, "M04", -5, OCT_9, 1, True)
    [trail] = ctx.scorecards.corrections(SUP, [event.id])
    assert isinstance(trail, EventCorrection)
    assert (trail.action, trail.by, trail.at, trail.reason) == ("correct", "supervisor", clock.now, "记错了代码")
    assert (trail.before["code"], trail.before["points"], trail.before["day"]) == ("M02", -2, "2026-10-02")
    assert (trail.after["code"], trail.after["points"], trail.after["day"]) == ("M04", -5, "2026-10-09")
    entry = ctx.last_audit()
    assert (entry.action, entry.entity_id) == ("event.correct", str(event.id))
    assert entry.details == {"reason": "记错了代码", "day": "2026-10-09", "code": "M04", "points": -5}
    with pytest.raises(ValidationError):
        ctx.scorecards.correct_event(SUP, event.id, "   ", points=-5)  # a reason is required


def test_a_voided_event_stays_on_record_but_counts_nothing(ctx) -> None:
    _rate(ctx, "A1")
    event = ctx.scorecards.record_event(LEAD, "A1", OCT_2, "M04")
    assert ctx.scorecards.scorecard(SUP, MONTH, "A1").card.deduction == 5
    voided = ctx.scorecards.void_event(SUP, event.id, "重复录入")
    assert (voided.voided, voided.revision) == (True, 1)
    card = ctx.scorecards.scorecard(SUP, MONTH, "A1")
    assert card.card.deduction == 0 and card.events == ()
    lines = ctx.scorecards.event_lines(SUP, card)
    assert [(line.kind, line.code, line.id) for line in lines] == [("void", "M04", event.id)]
    assert ctx.last_audit().action == "event.void" and ctx.last_audit().details == {"reason": "重复录入", "voided": True}
    with pytest.raises(ValidationError):
        ctx.scorecards.void_event(SUP, event.id, "again")
    with pytest.raises(NotFound):
        ctx.scorecards.void_event(SUP, 999, "none")


# --- ratings and the month's card ----------------------------------------------------------------


def test_a_rating_is_stored_exactly_and_makes_the_months_card(ctx) -> None:
    ctx.scorecards.set_rating(TRAINER, MONTH, "A1", "service_quality", 25)
    entry = ctx.last_audit()
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == ("rating.set", "scorecard", "A1/2026-10", "trainer")
    assert entry.details == {"criterion": "service_quality", "value": "25", "before": None}
    partial = ctx.scorecards.scorecard(SUP, MONTH, "A1")  # three criteria still missing
    assert not partial.card.complete and "RATING_INCOMPLETE" in partial.flags
    _rate(ctx, "A1", (28.5, 18, 12, 13))
    _rate(ctx, "A2", (20, 15, 10, 10))
    with pytest.raises(PermissionDenied):  # A2 is not of the lead's team
        ctx.scorecards.record_event(LEAD, "A2", OCT_2, "B03")
    ctx.scorecards.record_event(SUP, "A2", OCT_2, "B03")
    assert ctx.last_audit().action == "event.record"
    month = ctx.scorecards.month(SUP, MONTH)
    assert [(c.employee_no, c.card.total, c.rank, c.card.grade) for c in month.cards] == [
        ("A1", Decimal("71.5"), 1, "C"), ("A2", Decimal(60), 2, "E"),
    ]  # fmt: skip
    a1 = month.cards[0]
    assert a1.ratings["service_quality"].value == Decimal("28.5") and a1.ratings["service_quality"].updated_by == "trainer"
    assert month.lock is None and not a1.locked
    with pytest.raises(PermissionDenied):
        ctx.scorecards.set_rating(LEAD, MONTH, "A1", "execution", 10)  # the trainer rates, not the team lead
    with pytest.raises(RuleViolation):
        ctx.scorecards.set_rating(TRAINER, MONTH, "A1", "execution", 21)  # above the criterion's 20


# --- a locked month ---------------------------------------------------------------------------------


def test_a_locked_month_refuses_every_change_and_audits_none(ctx) -> None:
    _rate(ctx, "A1")
    event = ctx.scorecards.record_event(LEAD, "A1", OCT_2, "M02")
    result = ctx.scorecards.months.lock_month(SUP, MONTH)
    assert result.details["agents"] == 2 and result.details["not_rated"] == ["A2"]
    entries = ctx.audit_count()
    refused = [
        lambda: ctx.scorecards.record_event(LEAD, "A1", OCT_9, "B03"),
        lambda: ctx.scorecards.correct_event(SUP, event.id, "late fix", points=-2, note="x"),
        lambda: ctx.scorecards.void_event(SUP, event.id, "late fix"),
        lambda: ctx.scorecards.set_rating(TRAINER, MONTH, "A2", "execution", 10),
        lambda: ctx.scorecards.set_adjustment(SUP, MONTH, "A1", 2, "主动带教"),
        lambda: ctx.scorecards.set_exam(TRAINER, MONTH, "A1", 90),
    ]
    for change in refused:
        with pytest.raises(LockedMonth):
            change()
    assert ctx.audit_count() == entries
    month = ctx.scorecards.month(SUP, MONTH)  # read back from what the lock stored
    assert month.lock is not None and [c.employee_no for c in month.cards] == ["A1", "A2"]
    assert all(c.locked for c in month.cards) and month.cards[0].card.deduction == 2
    ctx.scorecards.months.reopen(SUP, MONTH, "late certificate")
    assert ctx.scorecards.void_event(SUP, event.id, "late fix").voided
