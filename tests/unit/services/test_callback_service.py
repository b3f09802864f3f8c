"""CallbackService use cases against an in-memory unit of work.

As in ``test_attendance_service``: each test gets its own in-memory SQLite database, copied from
one migrated per module, and the services it needs built over it (the callback scheduler and
audit). They reach the database through the ordinary unit of work, whose ``callbacks``
repository hands back immutable records read by field name.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from csdesk.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from csdesk.models.db import UowFactory
from csdesk.models.domain import AuditEntry, PersonData
from csdesk.models.domain_callbacks import AgentName, CallRecord, ContactRecord, MemberData, MemberRecord
from csdesk.models.repo_callbacks import CallbackRepository
from csdesk.policy import Policy
from csdesk.rules import callbacks as rules
from csdesk.services.audit import AuditService
from csdesk.services.base import Actor
from csdesk.services.callback_dto import AgendaCall, ContactInput, ContactView, MemberInput
from csdesk.services.callbacks import CallbackService
from tests.helpers.factories import FixedClock

SUP = Actor("supervisor", "supervisor")
RECEIVED = datetime(2026, 10, 15, 9, 0)


@dataclasses.dataclass(frozen=True)
class Desk:
    """The services a test drives, over one in-memory database, and who uses them."""

    callbacks: CallbackService
    audit: AuditService
    uow: UowFactory
    agent1: Actor  # A1, who owns the member
    agent2: Actor  # A2, a colleague
    member_id: int  # 王小明, A1's member
    lead: Actor  # L1, the team lead of 一组

    def last_audit(self) -> AuditEntry:
        return self.audit.recent(SUP, limit=1)[0]

    def contact(self, kind: str = "COMPLAINT") -> tuple[ContactView, AgendaCall]:
        """A contact A1 took at 09:00 and the call it planned."""
        view = self.callbacks.log_contact(self.lead, ContactInput(self.member_id, kind, "A1", RECEIVED, item="退费咨询"))
        [call] = [c for c in self.callbacks.member_calls(SUP, self.member_id) if c.contact_id == view.id]
        return view, call


@pytest.fixture
def ctx(uow: UowFactory, clock: FixedClock, policy: Policy) -> Desk:
    """Agents A1 and A2 (一组); 王小明 is A1's member. Today is Thursday 2026-10-15, 09:30."""
    with uow() as unit:
        team = unit.teams.add("一组")
        ids = {no: unit.people.add(PersonData(no, name, "一组", "agent", "junior"), team) for no, name in (("A1", "张伟"), ("A2", "María Núñez"))}
        ids["L1"] = unit.people.add(PersonData("L1", "王强", "一组", "team_lead"), team)
        unit.commit()
    service = CallbackService(uow, policy, clock)
    member = service.add_member(SUP, MemberInput("王小明", "13800001234", "A1", tier="important", vip=True))
    return Desk(service, AuditService(uow, policy, clock), uow, Actor("agent1", "agent", ids["A1"]), Actor("agent2", "agent", ids["A2"]), member.id,
                Actor("lead1", "team_lead", ids["L1"]))


# --- the repository contract ------------------------------------------------------------


def test_the_unit_of_work_carries_the_callback_repository_and_it_returns_immutable_records(ctx, uow) -> None:
    contact, call = ctx.contact()
    with uow() as unit:
        repo = unit.callbacks
        assert isinstance(repo, CallbackRepository)
        member, stored, taken = repo.member(ctx.member_id), repo.call(call.id), repo.contact(contact.id)
        assert isinstance(member, MemberRecord) and isinstance(stored, CallRecord) and isinstance(taken, ContactRecord)
        assert (member.name, member.agent_no, member.tier, member.vip) == ("王小明", "A1", "important", True)
        assert (stored.kind, stored.member_name, stored.agent_no, stored.status, stored.contact_id) == ("COMPLAINT", "王小明", "A1", "open", contact.id)
        for record in (member, stored, taken):
            with pytest.raises(AttributeError):
                record.id = 0  # type: ignore[misc]
        assert repo.people_names([ctx.agent2.person_id]) == [AgentName(ctx.agent2.person_id, "A2", "María Núñez")]
        assert MemberData.of(member) == MemberData("王小明", "13800001234", None, True, "important", member.agent_id, "")


# --- outcomes and the follow-ups they plan ----------------------------------------------------


def test_a_reached_customer_closes_the_call_and_counts_for_the_quota(ctx, clock) -> None:
    _contact, call = ctx.contact()
    assert (call.status, call.window_start, call.due) == ("due", RECEIVED, rules.end_of_day(RECEIVED.date()))
    done = ctx.callbacks.record_outcome(ctx.agent1, call.id, rules.REACHED, " 已解释退费流程 ")
    assert (done.result, done.effective, done.follow_up) == (rules.RESULT_DONE, True, None)
    assert (done.call.status, done.call.outcome, done.call.closed_at, done.call.notes) == ("done", "REACHED", clock.now, "已解释退费流程")
    assert ctx.callbacks.quota(SUP, clock.now.date(), "A1").effective == 1
    entry = ctx.last_audit()
    assert (entry.action, entry.entity, entry.entity_id, entry.username) == ("callback.outcome", "callback", str(call.id), "agent1")
    assert entry.details == {"outcome": "REACHED", "result": "DONE", "new_time": None, "follow_up": None}
    with pytest.raises(ValidationError):
        ctx.callbacks.record_outcome(ctx.agent1, call.id, rules.REACHED)  # closed already


def test_no_answer_closes_the_attempt_and_plans_a_retry(ctx, clock, policy) -> None:
    _contact, call = ctx.contact()
    tried = ctx.callbacks.record_outcome(ctx.agent1, call.id, rules.NO_ANSWER)
    assert (tried.result, tried.effective, tried.call.status) == (rules.RESULT_RETRY, False, "done")
    retry = tried.follow_up
    assert retry is not None
    opens = clock.now + timedelta(hours=policy.callbacks.retry_after_hours)
    assert (retry.kind, retry.attempt, retry.retry_of, retry.window_start, retry.due) == ("RETRY", 1, "COMPLAINT", opens, call.due)
    assert (retry.agent, retry.member_id, retry.contact_id, retry.status) == ("A1", ctx.member_id, call.contact_id, "due")
    with ctx.uow() as unit:
        stored = unit.callbacks.call(retry.id)
        assert stored is not None and (stored.root_id, stored.previous_id) == (call.id, call.id)
    assert ctx.last_audit().details == {"outcome": "NO_ANSWER", "result": "RETRY_SCHEDULED", "new_time": None, "follow_up": retry.id}
    assert ctx.callbacks.quota(SUP, clock.now.date(), "A1").effective == 0  # logged, but not effective
    agenda = ctx.callbacks.agenda(SUP, clock.now.date(), "A1")
    assert {(c.id, c.status) for c in agenda.calls} == {(call.id, "done"), (retry.id, "due")}


def test_a_busy_customer_keeps_the_same_call_open_at_the_agreed_time(ctx) -> None:
    _contact, call = ctx.contact()
    agreed = datetime(2026, 10, 15, 16, 30)
    moved = ctx.callbacks.record_outcome(ctx.agent1, call.id, rules.BUSY_RESCHEDULED, "在开会", new_time=agreed)
    assert (moved.result, moved.follow_up) == (rules.RESULT_RESCHEDULED, None)
    assert (moved.call.id, moved.call.status, moved.call.window_start, moved.call.reschedules, moved.call.notes) == (call.id, "due", agreed, 1, "在开会")
    assert ctx.last_audit().details["new_time"] == "2026-10-15T16:30"
    with pytest.raises(RuleViolation, match="time agreed"):
        ctx.callbacks.record_outcome(ctx.agent1, call.id, rules.BUSY_RESCHEDULED)


def test_only_the_owner_or_an_editor_works_a_call(ctx) -> None:
    _contact, call = ctx.contact()
    entries = len(ctx.audit.recent(SUP))
    with pytest.raises(PermissionDenied):
        ctx.callbacks.record_outcome(ctx.agent2, call.id, rules.REACHED)
    with pytest.raises(NotFound):
        ctx.callbacks.record_outcome(SUP, 999, rules.REACHED)
    assert len(ctx.audit.recent(SUP)) == entries
    assert ctx.callbacks.record_outcome(ctx.lead, call.id, rules.REACHED).call.status == "done"


def test_a_bad_review_message_plans_the_phone_call_and_a_reply_in_time_cancels_it(ctx, clock, policy) -> None:
    review, message = ctx.contact(rules.REVIEW)
    assert (message.kind, message.note) == ("REVIEW", rules.NOTE_MESSAGE)
    sent = ctx.callbacks.record_outcome(ctx.agent1, message.id, rules.REACHED)
    phone = sent.follow_up
    assert phone is not None and (phone.kind, phone.note, phone.status) == ("REVIEW", rules.NOTE_PHONE, "due")
    assert phone.window_start == clock.now + timedelta(hours=policy.callbacks.review_phone_after_hours)
    with ctx.uow() as unit:
        assert unit.callbacks.contact(review.id).message_sent_at == clock.now  # type: ignore[union-attr]
    clock.now += timedelta(hours=3)
    updated = ctx.callbacks.update_contact(ctx.agent1, review.id, "IN_PROGRESS", " 客户已回复 ", replied_at=clock.now)
    assert (updated.status, updated.progress, updated.replied_at, updated.solved_at) == ("IN_PROGRESS", "客户已回复", clock.now, None)
    entry = ctx.last_audit()
    assert (entry.action, entry.entity_id, entry.details["cancelled"]) == ("contact.update", str(review.id), [phone.id])
    with ctx.uow() as unit:
        cancelled = unit.callbacks.call(phone.id)
        assert cancelled is not None and (cancelled.status, cancelled.result, cancelled.closed_at) == ("cancelled", "CANCELLED", clock.now)
    assert phone.id not in {c.id for c in ctx.callbacks.member_calls(SUP, ctx.member_id)}
    solved = ctx.callbacks.update_contact(ctx.agent1, review.id, "SOLVED", "已道歉")
    assert solved.solved_at == clock.now


def test_a_member_change_is_stored_and_audited_without_the_phone_number(ctx) -> None:
    updated = ctx.callbacks.update_member(SUP, ctx.member_id, MemberInput("王小明", "13900005678", "A2", tier="general"))
    assert (updated.phone, updated.agent, updated.tier, updated.vip) == ("13900005678", "A2", "general", False)
    entry = ctx.last_audit()
    assert (entry.action, entry.entity_id) == ("member.update", str(ctx.member_id))
    assert entry.details["phone"] == ["…", "…"] and entry.details["tier"] == ["important", "general"]
    assert set(entry.details) == {"phone", "vip", "tier", "agent_id"}
    with pytest.raises(ValidationError):
        ctx.callbacks.add_member(SUP, MemberInput("王小明", "13900005678", "A1"))  # the same name and phone
