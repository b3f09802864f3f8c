"""What the parts of the callback service share: scope by role, masking, record → DTO.

Plain functions: the service (:mod:`csdesk.services.callbacks`) and its parts
(:mod:`csdesk.services.callback_members`, :mod:`csdesk.services.callback_reports`) each call
the ones they need, passing what a function needs (the unit of work, the time) explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from csdesk.errors import NotFound, PermissionDenied
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.domain import Person
from csdesk.models.domain_callbacks import CallRecord, ContactRecord, MemberRecord
from csdesk.models.repo_callbacks import CALL_CLOSED
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.rules import callbacks as rules
from csdesk.rules.holidays import HolidayCalendar
from csdesk.services.attendance_month import holiday_calendar
from csdesk.services.base import OWN, TEAM, Actor, visible_to
from csdesk.services.callback_dto import AgendaCall, ContactView, MemberView

EDIT = "callbacks.edit"
VIEW = "callbacks.view"


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


P = TypeVar("P", bound=_HasId)

# Settings key: the last month ("YYYY-MM") whose birthday calls were planned.
BIRTHDAYS_PLANNED_KEY = "callbacks.birthdays_planned_through"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_bounds(day: date) -> tuple[datetime, datetime]:
    """The first and the last instant of ``day``'s month."""
    first = month_start(day)
    return rules.start_of_day(first), rules.end_of_day(rules.next_month(first) - timedelta(days=1))


def reference_time(now: datetime, day: date) -> datetime:
    """The moment a day's statuses are judged at: now for today, else that day's end or start."""
    if day == now.date():
        return now
    return rules.end_of_day(day) if day < now.date() else rules.start_of_day(day)


def opening_calendar(policy: Policy) -> rules.OpeningCalendar:
    """When the department is open under ``policy`` (rules.md §2): its hours, and the holiday
    calendar attendance classification and the calendar page use (make-up working days, the
    site's lists), each year's looked up once for this object. Build one per service or run."""
    years: dict[int, HolidayCalendar] = {}

    def kind(day: date) -> str | None:
        year = years.get(day.year)
        if year is None:
            year = years[day.year] = holiday_calendar(day.year, policy)
        return year.kind(day)

    return rules.OpeningCalendar(policy.department_hours, kind)


def people_by_no(uow: UnitOfWork) -> dict[str, Person]:
    return {p.employee_no: p for p in uow.people.list(include_inactive=True)}


def agent_id_of(uow: UnitOfWork, employee_no: str) -> int:
    """The person id of ``employee_no``, or NotFound."""
    ids = uow.people.ids_by_employee_no()
    if employee_no not in ids:
        raise NotFound(N_("No person with employee number {no}"), no=employee_no)
    return ids[employee_no]


_NOT_YOUR_CALLS = N_("An agent sees only their own calls.")
_NOT_YOUR_TEAMS_CALLS = N_("You see only the calls of your own team ({team}).")


@record
class CallScope:
    """Whose calls (and members) a reader works with (rules.md §12): one agent's (``agent_id``:
    an agent's own, or the one asked for), a team lead's team (``team_ids``; calls nobody holds
    yet are theirs to hand out too), or everyone's."""

    agent_id: int | None = None
    team: str | None = None
    team_ids: frozenset[int] | None = None
    own: bool = False

    def sees(self, agent_id: int | None) -> bool:
        if self.agent_id is not None:
            return agent_id == self.agent_id
        return self.team_ids is None or agent_id is None or agent_id in self.team_ids

    def check(self, agent_id: int | None) -> None:
        """Refuse a call, member or agent outside the scope."""
        if not self.sees(agent_id):
            if self.own:
                raise PermissionDenied(_NOT_YOUR_CALLS)
            raise PermissionDenied(_NOT_YOUR_TEAMS_CALLS, team=self.team or "")

    def choose(self, people: Iterable[P]) -> list[P]:
        """The agents of ``people`` the reader may see and hand calls to."""
        return [p for p in people if self.team_ids is None or p.id in self.team_ids]


def call_scope(actor: Actor, uow: UnitOfWork, agent: str | None = None) -> CallScope:
    """Whose calls ``actor`` works with, narrowed to ``agent`` when one is asked for: an agent
    only their own, a team lead their team's (asking for another team's agent is refused)."""
    if actor.scope == OWN:
        if actor.person_id is None:
            raise PermissionDenied(N_("Your user is not linked to a person, so it has no calls."))
        if agent is not None and agent_id_of(uow, agent) != actor.person_id:
            raise PermissionDenied(_NOT_YOUR_CALLS)
        return CallScope(agent_id=actor.person_id, own=True)
    scope = CallScope()
    if actor.scope == TEAM:
        visible = visible_to(uow, actor, VIEW)
        scope = CallScope(team=visible.team, team_ids=visible.ids)
    if agent is None:
        return scope
    agent_id = agent_id_of(uow, agent)
    scope.check(agent_id)
    return replace(scope, agent_id=agent_id)


def agent_scope(actor: Actor, uow: UnitOfWork, agent: str | None) -> int | None:
    """The one agent whose calls the reader asks for (an agent: always their own), for a query's
    filter; a team lead's other limits are :func:`call_scope`'s."""
    return call_scope(actor, uow, agent).agent_id


def may_work(actor: Actor, agent_id: int | None) -> None:
    """Editors work on any call; everyone else only on calls assigned to them."""
    if actor.can(EDIT):
        return
    if actor.person_id is None or actor.person_id != agent_id:
        raise PermissionDenied(N_("Your role may not do this ({permission})."), permission=EDIT)


def phone_for(actor: Actor, phone: str, agent_id: int | None) -> str:
    owner = actor.person_id is not None and actor.person_id == agent_id
    return rules.mask_phone(phone, actor.role, owner=owner)


def rule_call(rec: CallRecord) -> rules.Call:
    closed = rec.status == CALL_CLOSED
    return rules.Call(
        kind=rec.kind, window_start=rec.window_start, due=rec.due, ref=str(rec.id), attempt=rec.attempt,
        retry_of=rec.retry_of, reschedules=rec.reschedules, outcome=rec.outcome if closed else None,
        closed_at=rec.closed_at if closed else None,
    )


def call_dto(rec: CallRecord, actor: Actor, at: datetime) -> AgendaCall:
    return AgendaCall(
        id=rec.id, kind=rec.kind, member_id=rec.member_id, member=rec.member_name,
        phone=phone_for(actor, rec.phone, rec.agent_id), tier=rec.tier, vip=rec.vip,
        agent=rec.agent_no, agent_name=rec.agent_name, window_start=rec.window_start, due=rec.due,
        status=rules.status(rule_call(rec), at), outcome=rec.outcome, attempt=rec.attempt,
        retry_of=rec.retry_of, reschedules=rec.reschedules, note=rec.note, notes=rec.notes,
        closed_at=rec.closed_at if rec.status == CALL_CLOSED else None, contact_id=rec.contact_id,
        version=rec.version,
    )


def member_dto(rec: MemberRecord, actor: Actor) -> MemberView:
    return MemberView(
        id=rec.id, name=rec.name, phone=phone_for(actor, rec.phone, rec.agent_id), birthday=rec.birthday,
        vip=rec.vip, tier=rec.tier, agent=rec.agent_no, agent_name=rec.agent_name, note=rec.note, version=rec.version,
    )


def contact_dto(rec: ContactRecord, actor: Actor) -> ContactView:
    return ContactView(
        id=rec.id, member_id=rec.member_id, member=rec.member_name,
        phone=phone_for(actor, rec.phone, rec.agent_id), kind=rec.kind, received_at=rec.received_at,
        agent=rec.agent_no, agent_name=rec.agent_name, severity=rec.severity, status=rec.status, item=rec.item,
        text=rec.text, progress=rec.progress, solved_at=rec.solved_at, message_sent_at=rec.message_sent_at,
        replied_at=rec.replied_at, version=rec.version,
    )


def sort_key(call: AgendaCall, tiers: Sequence[str]) -> tuple[object, ...]:
    """Overdue first, then due, then done; within each the nearest deadline, important (earlier
    in ``tiers``, the policy's order) and VIP first."""
    order = {rules.STATUS_OVERDUE: 0, rules.STATUS_DUE: 1, rules.STATUS_DONE: 2}
    tier = tiers.index(call.tier) if call.tier in tiers else len(tiers)
    return (order.get(call.status, 3), call.due, tier, not call.vip, call.id)


def call_row(kind: str, member_id: int, agent_id: int | None, planned: rules.PlannedCall | rules.Call,
             created_at: datetime, **extra: object) -> dict[str, object]:
    """A new open callbacks row for bulk insert."""
    row: dict[str, object] = {
        "kind": kind, "member_id": member_id, "agent_id": agent_id, "window_start": planned.window_start,
        "due": planned.due, "status": "open", "outcome": None, "result": None, "attempt": 0, "retry_of": "",
        "root_id": None, "previous_id": None, "reschedules": 0, "note": getattr(planned, "note", ""),
        "sale_id": None, "contact_id": None, "notes": "", "closed_at": None, "created_at": created_at,
    }
    row.update(extra)
    return row
