"""HandoverService use cases against an in-memory unit of work.

As in ``test_attendance_service``: each test gets its own in-memory SQLite database, copied from
one migrated per module, and the services it needs built over it (the handover log, audit, and
the month locks without any area's hooks). They reach the database through the ordinary unit
of work, whose ``handover`` repository hands back frozen records.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from csdesk.errors import LockedMonth, NotFound, ValidationError
from csdesk.models.db import UowFactory
from csdesk.models.domain import AuditEntry, PersonData
from csdesk.models.domain_handover import (
    HandoverDetail,
    HandoverInput,
    HandoverPerson,
    ItemInput,
    ItemState,
    PersonRef,
    WorkCounts,
    WorkRecordInput,
)
from csdesk.models.repo_handover import HandoverRepository
from csdesk.policy import Policy
from csdesk.rules import handover as rules
from csdesk.services.audit import AuditService
from csdesk.services.base import Actor
from csdesk.services.handover import HandoverService
from csdesk.services.months import MonthService
from tests.helpers.factories import FixedClock

SUP = Actor("supervisor", "supervisor")
TEAM = "一组"
DUE = datetime(2026, 10, 16, 12, 0)


@dataclasses.dataclass(frozen=True)
class Desk:
    """The services a test drives, over one in-memory database, and who uses them."""

    handover: HandoverService
    months: MonthService
    audit: AuditService
    uow: UowFactory
    lead: Actor  # L1, the team lead of 一组
    agent_lead: Actor  # A2 writing as a second team lead (to take over from L1)

    def last_audit(self) -> AuditEntry:
        return self.audit.recent(SUP, limit=1)[0]

    def write(self, who: Actor, *items: ItemInput, authors: tuple[str, ...] = ("L1",), summary: str = "交接正常",
              desk_messy: bool = False) -> HandoverDetail:
        return self.handover.write(who, HandoverInput("D", TEAM, authors, summary, desk_messy=desk_messy, items=items))


def _item(subject: str, owner: str = "A1", due: datetime | None = DUE, **kw: Any) -> ItemInput:
    return ItemInput(subject, "待回电", owner, due, **kw)


@pytest.fixture
def ctx(uow: UowFactory, clock: FixedClock, policy: Policy) -> Desk:
    """一组: agents A1 and A2 and its lead L1; 二组: agent B1. Today is 2026-10-15 09:30."""
    with uow() as unit:
        teams = {name: unit.teams.add(name) for name in ("一组", "二组")}
        ids = {
            no: unit.people.add(PersonData(no, name, team, role, "junior" if role == "agent" else None), teams[team])
            for no, name, team, role in (
                ("A1", "张伟", "一组", "agent"), ("A2", "María Núñez", "一组", "agent"),
                ("L1", "王强", "一组", "team_lead"), ("B1", "Óscar Peña", "二组", "agent"),
            )
        }  # fmt: skip
        unit.commit()
    return Desk(
        HandoverService(uow, policy, clock), MonthService(uow, policy, clock), AuditService(uow, policy, clock), uow,
        Actor("lead1", "team_lead", ids["L1"]), Actor("lead2", "team_lead", ids["A2"]),
    )


# --- the repository contract ------------------------------------------------------------


def test_the_unit_of_work_carries_the_handover_repository_and_it_returns_frozen_records(ctx, uow) -> None:
    entry = ctx.write(ctx.lead, _item("王女士"))
    with uow() as unit:
        assert isinstance(unit.handover, HandoverRepository)
        person = unit.handover.person("A1")
        assert isinstance(person, HandoverPerson)
        assert (person.ref, person.team) == (PersonRef("A1", "张伟"), "一组")
        assert unit.handover.person_by_id(person.id) == person and unit.handover.person("X9") is None
        state = unit.handover.item_state(entry.items[0].id)
        assert isinstance(state, ItemState) and (state.closed, state.owner_id) == (False, person.id)
        assert unit.handover.item_state(999) is None
        for record in (person, state, entry, entry.items[0]):
            with pytest.raises(dataclasses.FrozenInstanceError):
                record.id = 0  # type: ignore[misc]


# --- writing and carrying -------------------------------------------------------------------


def test_a_handover_entry_stores_its_items_and_its_audit_entry(ctx, clock) -> None:
    entry = ctx.write(ctx.lead, _item("王女士", priority="high", link_kind="callback", link_ref=" 12 "), _item("李先生", owner=""))
    assert (entry.team, entry.shift, entry.written_at, entry.written_by) == (TEAM, "D", clock.now, "lead1")
    assert [a.employee_no for a in entry.authors] == ["L1"] and not entry.acknowledged
    first, second = entry.items
    assert (first.subject, first.owner, first.due, first.priority, first.link_kind, first.link_ref) == (
        "王女士", PersonRef("A1", "张伟"), DUE, "high", "callback", "12",
    )  # fmt: skip
    assert (first.status, first.shifts, first.opened_in, first.times_carried) == ("open", (entry.id,), entry.id, 0)
    assert second.owner is None and entry.problems == (rules.ITEM_OWNER_MISSING,)  # who follows it up is missing
    assert ctx.handover.detail(SUP, entry.id) == entry
    log = ctx.last_audit()
    assert (log.action, log.entity, log.entity_id, log.username) == ("handover.write", "handover", str(entry.id), "lead1")
    assert log.details == {"team": TEAM, "shift": "D", "authors": ["L1"], "carried": 0, "new": 2}
    with pytest.raises(ValidationError) as exc:
        ctx.write(ctx.lead, _item("x", owner="X9"))
    assert exc.value.field == "owner"


def test_the_next_handover_carries_open_items_and_may_close_them(ctx, clock) -> None:
    h1 = ctx.write(ctx.lead, _item("王女士"), _item("李先生"))
    clock.now += timedelta(hours=8)
    wang, li = h1.items
    h2 = ctx.write(ctx.lead, ItemInput("王女士", "已约明天", "A2", DUE, item_id=wang.id), ItemInput("", "", item_id=li.id, outcome=" 已回电 "),
                   authors=("A1",))
    assert [(i.id, i.status) for i in h2.items] == [(wang.id, "open"), (li.id, "closed")]
    carried, closed = h2.items
    assert (carried.pending, carried.owner, carried.shifts) == ("已约明天", PersonRef("A2", "María Núñez"), (h1.id, h2.id))
    assert (closed.outcome, closed.closed_in, closed.closed_by, closed.closed_at) == ("已回电", h2.id, "lead1", clock.now)
    assert ctx.last_audit().details["carried"] == 2
    history = ctx.handover.item_history(SUP, wang.id)
    assert [(p.entry_id, p.pending) for p in history] == [(h1.id, "待回电"), (h2.id, "已约明天")]
    clock.now += timedelta(hours=8)
    assert [i.id for i in ctx.write(ctx.lead).items] == [wang.id]  # the closed one carries no more


def test_closing_an_item_between_shifts_records_the_outcome_once(ctx, clock, uow) -> None:
    entry = ctx.write(ctx.lead, _item("王女士"), _item("李先生"))
    item_id = entry.items[0].id
    closed = ctx.handover.close_item(ctx.lead, item_id, "  已解决 ")
    assert (closed.id, closed.status, closed.outcome, closed.closed_by, closed.closed_at) == (item_id, "closed", "已解决", "lead1", clock.now)
    assert closed.closed_in is None  # closed between handovers, not in one
    log = ctx.last_audit()
    assert (log.action, log.entity, log.entity_id, log.details) == ("handover.close_item", "handover_item", str(item_id), {"outcome": "已解决"})
    with uow() as unit:
        assert unit.handover.item_state(item_id) == ItemState(item_id, clock.now, unit.handover.person("A1").id)
    with pytest.raises(ValidationError, match="closed already"):
        ctx.handover.close_item(ctx.lead, item_id, "again")
    with pytest.raises(ValidationError) as exc:
        ctx.handover.close_item(ctx.lead, entry.items[1].id, "  ")
    assert exc.value.field == "outcome"
    with pytest.raises(NotFound):
        ctx.handover.close_item(ctx.lead, 999, "x")
    clock.now += timedelta(hours=8)
    assert [i.subject for i in ctx.write(ctx.lead).items] == ["李先生"]


# --- taking over, penalties, work records ---------------------------------------------------------


def test_the_incoming_person_takes_over_with_a_note(ctx, clock) -> None:
    entry = ctx.write(ctx.lead, _item("王女士"))
    assert [s.id for s in ctx.handover.pending_for(ctx.agent_lead)] == [entry.id]
    assert ctx.handover.pending_for(ctx.lead) == ()  # never one's own
    clock.now += timedelta(minutes=20)
    done = ctx.handover.acknowledge(ctx.agent_lead, entry.id, " 已阅, 接班 ")
    assert (done.acknowledged_by, done.acknowledged_at, done.takeover_note) == (PersonRef("A2", "María Núñez"), clock.now, "已阅, 接班")
    log = ctx.last_audit()
    assert (log.action, log.entity_id, log.username, log.details) == ("handover.acknowledge", str(entry.id), "lead2", {"by": "A2"})
    assert ctx.handover.pending_for(ctx.agent_lead) == ()
    assert ctx.handover.person_of(ctx.agent_lead) == PersonRef("A2", "María Núñez")
    with pytest.raises(ValidationError):
        ctx.handover.acknowledge(Actor("supervisor", "supervisor"), entry.id, "ok")  # no person to take over as


def test_penalties_are_recorded_once_for_the_scorecards_and_refused_in_a_locked_month(ctx) -> None:
    entry = ctx.write(ctx.lead, _item("王女士", due=None), authors=("A1",), desk_messy=True)
    assert {(c.person.employee_no, c.code, c.suggested) for c in ctx.handover.penalty_choices(SUP, entry.id)} == {
        ("A1", "M04", True), ("A1", "M02", True),
    }  # fmt: skip
    recorded = ctx.handover.record_penalties(SUP, entry.id)
    assert sorted((p.person.employee_no, p.code, p.points, p.day) for p in recorded) == [
        ("A1", "M02", -2, date(2026, 10, 15)), ("A1", "M04", -5, date(2026, 10, 15)),
    ]  # fmt: skip
    assert ctx.handover.penalties_between(date(2026, 10, 1), date(2026, 10, 31)) == recorded
    assert ctx.last_audit().action == "handover.penalty"
    with pytest.raises(ValidationError):
        ctx.handover.record_penalties(SUP, entry.id)  # nothing left to record
    other = ctx.write(ctx.lead, authors=("A2",), desk_messy=True)
    ctx.months.lock(SUP, "2026-10")
    entries = len(ctx.audit.recent(SUP))
    with pytest.raises(LockedMonth):
        ctx.handover.record_penalties(SUP, other.id)
    assert len(ctx.audit.recent(SUP)) == entries and ctx.handover.detail(SUP, other.id).penalties == ()


def test_a_work_record_is_one_per_person_day_and_shift(ctx, clock) -> None:
    day = date(2026, 10, 14)
    first = ctx.handover.save_work_record(ctx.lead, WorkRecordInput("A1", day, "D", " 外呼 20 个 ", counts=WorkCounts(20, 1, 4)))
    assert (first.person, first.team, first.today_work, first.counts, first.updated_by) == (
        PersonRef("A1", "张伟"), TEAM, "外呼 20 个", WorkCounts(20, 1, 4), "lead1",
    )  # fmt: skip
    log = ctx.last_audit()
    assert (log.action, log.entity_id, log.details) == ("work_record.save", str(first.id), {"person": "A1", "day": "2026-10-14", "shift": "D", "calls": 20})
    again = ctx.handover.save_work_record(ctx.lead, WorkRecordInput("A1", day, "D", "外呼 22 个", counts=WorkCounts(22, 1, 5)))
    assert again.id == first.id and again.counts == WorkCounts(22, 1, 5)
    assert ctx.handover.work_records(SUP, day, day, person="A1") == (again,)
    with pytest.raises(ValidationError):
        ctx.handover.save_work_record(ctx.lead, WorkRecordInput("X9", day, "D", "外呼"))
