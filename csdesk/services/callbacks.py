"""The callback scheduler (rules.md §9): agenda, outcomes, retries, quota, re-assignment.

Members, contacts, the sales import and birthday planning are in
:mod:`csdesk.services.callback_members`; report inputs and exports in
:mod:`csdesk.services.callback_reports`: parts :class:`CallbackService` holds and delegates
to; the helpers all of them share are functions of :mod:`csdesk.services.callback_base`. The rules decide every date and
status (:mod:`csdesk.rules.callbacks`); this module loads, calls them, writes
the result with its audit entry, and hands back DTOs with masked phones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from csdesk.errors import NotFound, PermissionDenied, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain import Person
from csdesk.models.domain_callbacks import AgentName, CallRecord
from csdesk.models.repo_callbacks import CALL_OPEN, CallbackRepository
from csdesk.policy import Policy
from csdesk.reports.callback_inputs import BirthdayListInput, CallSheetInput, PerformanceInput
from csdesk.rules import callbacks as rules
from csdesk.services.base import OWN, Actor, Clock, Service, require
from csdesk.services.callback_base import (
    EDIT,
    VIEW,
    CallScope,
    call_dto,
    call_row,
    call_scope,
    may_work,
    opening_calendar,
    reference_time,
    rule_call,
    sort_key,
)
from csdesk.services.callback_dto import (
    Agenda,
    AgendaCall,
    AgentChoice,
    ContactInput,
    ContactView,
    MemberInput,
    MemberView,
    OutcomeRecorded,
    QuotaLine,
    SuggestedMove,
    Suggestion,
)
from csdesk.services.callback_members import CallbackMembers, Progress
from csdesk.services.callback_reports import CallbackReports
from csdesk.services.imports.reader import ImportReport

__all__ = ["CallbackService"]


class CallbackService(Service):
    """Every use case of the callbacks area; ``ctx.callbacks`` in the GUI and the command line.

    Members, contacts and birthdays (:class:`CallbackMembers`) and the printouts and exports
    (:class:`CallbackReports`, given this service's ``agenda``) are parts of their own, reached
    through the one-line methods below.
    """

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now) -> None:
        super().__init__(uow, policy, clock)
        self._opening = opening_calendar(policy)  # retries open by the holiday calendar (rules.md §2)
        self._members = CallbackMembers(uow, policy, clock)
        self._reports = CallbackReports(uow, policy, clock, agenda=self.agenda)

    def today(self) -> date:
        return self.now().date()

    # --- members, birthdays, the sales import, contacts (CallbackMembers) ---------------

    def members(self, actor: Actor, text: str = "", limit: int = 200) -> list[MemberView]:
        return self._members.members(actor, text, limit)

    def member(self, actor: Actor, member_id: int) -> MemberView:
        return self._members.member(actor, member_id)

    def add_member(self, actor: Actor, data: MemberInput) -> MemberView:
        return self._members.add_member(actor, data)

    def update_member(self, actor: Actor, member_id: int, data: MemberInput, *, version: int | None = None) -> MemberView:
        return self._members.update_member(actor, member_id, data, version=version)

    def member_calls(self, actor: Actor, member_id: int) -> list[AgendaCall]:
        return self._members.member_calls(actor, member_id)

    def plan_birthdays(self, actor: Actor, month: date) -> int:
        return self._members.plan_birthdays(actor, month)

    def ensure_birthdays(self, actor: Actor) -> int:
        return self._members.ensure_birthdays(actor)

    def import_sales(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        return self._members.import_sales(actor, path, progress, date_order=date_order)

    def log_contact(self, actor: Actor, data: ContactInput) -> ContactView:
        return self._members.log_contact(actor, data)

    def update_contact(self, actor: Actor, contact_id: int, status: str, progress: str,
                       replied_at: datetime | None = None, *, version: int | None = None) -> ContactView:
        return self._members.update_contact(actor, contact_id, status, progress, replied_at, version=version)

    def contacts(self, actor: Actor, open_only: bool = True, kinds: Iterable[str] = (),
                 start: datetime | None = None, end: datetime | None = None) -> list[ContactView]:
        return self._members.contacts(actor, open_only, kinds, start, end)

    def contact_tally(self, actor: Actor, month: date) -> dict[str, int]:
        return self._members.contact_tally(actor, month)

    # --- printouts and exports (CallbackReports) ----------------------------------------

    def birthday_list_input(self, actor: Actor, month: date) -> BirthdayListInput:
        return self._reports.birthday_list_input(actor, month)

    def call_sheet_input(self, actor: Actor, day: date, agent: str) -> CallSheetInput:
        return self._reports.call_sheet_input(actor, day, agent)

    def performance_input(self, actor: Actor, month: date) -> PerformanceInput:
        return self._reports.performance_input(actor, month)

    def print_birthday_list(self, actor: Actor, month: date, out: Path | BinaryIO) -> BirthdayListInput:
        return self._reports.print_birthday_list(actor, month, out)

    def print_call_sheet(self, actor: Actor, day: date, agent: str, out: Path | BinaryIO) -> CallSheetInput:
        return self._reports.print_call_sheet(actor, day, agent, out)

    def print_performance(self, actor: Actor, month: date, out: Path | BinaryIO) -> PerformanceInput:
        return self._reports.print_performance(actor, month, out)

    def export_agenda(self, actor: Actor, agenda: Agenda, out: Path) -> int:
        return self._reports.export_agenda(actor, agenda, out)

    # --- the agenda ---------------------------------------------------------------------

    def agenda(self, actor: Actor, day: date | None = None, agent: str | None = None,
               overdue_only: bool = False) -> Agenda:
        """The calls of ``day`` (default today): open calls whose window has opened, overdue
        ones included, and calls closed that day (rules.on_agenda); an agent sees only their own.
        """
        require(actor, VIEW)
        day = day or self.today()
        start, end = rules.start_of_day(day), rules.end_of_day(day)
        at = reference_time(self.now(), day)
        with self._uow() as uow:
            scope = call_scope(actor, uow, agent)
            agent_id = scope.agent_id
            repo = uow.callbacks
            records = [r for r in repo.agenda(start, end, agent_id) if scope.sees(r.agent_id)]
            quotas = self._quotas(uow, repo, day, scope)
        calls = [call_dto(r, actor, at) for r in records]
        if overdue_only:
            calls = [c for c in calls if c.status == rules.STATUS_OVERDUE]
        calls.sort(key=lambda c: sort_key(c, self.policy.callbacks.tiers))
        agent_no = None
        if agent_id is not None:
            agent_no = next((q.agent for q in quotas), agent)
        return Agenda(day, agent_no, tuple(calls), quotas)

    def call(self, actor: Actor, call_id: int) -> AgendaCall:
        require(actor, VIEW)
        with self._uow() as uow:
            rec = self._call(uow.callbacks, call_id)
            call_scope(actor, uow).check(rec.agent_id)  # an agent: their own; a team lead: their team's
        return call_dto(rec, actor, self.now())

    def workload(self, actor: Actor, day: date | None = None) -> tuple[QuotaLine, ...]:
        """Every agent's open calls and quota progress on ``day`` (the drop targets for re-assigning)."""
        require(actor, VIEW)
        day = day or self.today()
        with self._uow() as uow:
            return self._quotas(uow, uow.callbacks, day, call_scope(actor, uow))

    def day_counts(self, actor: Actor, employee_no: str, day: date) -> dict[str, int] | None:
        """The work record's counts (handover area): outgoing calls, complaints taken, callbacks done."""
        require(actor, VIEW)
        with self._uow() as uow:
            person_id = uow.people.ids_by_employee_no().get(employee_no)
            if actor.scope == OWN and person_id != actor.person_id:
                raise PermissionDenied(N_("An agent sees only their own calls."))
            if person_id is None:
                return None
            call_scope(actor, uow).check(person_id)
            return uow.callbacks.day_counts(person_id, day)

    def quota(self, actor: Actor, day: date, agent: str) -> QuotaLine:
        """Effective outgoing calls against the day's quota (rules.quota_progress)."""
        require(actor, VIEW)
        with self._uow() as uow:
            lines = self._quotas(uow, uow.callbacks, day, call_scope(actor, uow, agent))
        if not lines:
            raise NotFound(N_("No person with employee number {no}"), no=agent)
        return lines[0]

    def _quotas(self, uow: UnitOfWork, repo: CallbackRepository, day: date, scope: CallScope) -> tuple[QuotaLine, ...]:
        start, end = rules.start_of_day(day), rules.end_of_day(day)
        agent_id = scope.agent_id
        people: Sequence[Person | AgentName]
        if agent_id is None:
            people = scope.choose(uow.people.list(roles=["agent"]))
        else:
            people = repo.people_names([agent_id])
        made = repo.calls_made(start, end, agent_id)
        visits = repo.home_visit_agents(day)
        load = repo.open_load(end, agent_id)
        lines = []
        for p in people:
            progress = rules.quota_progress(made.get(p.id, ()), p.id in visits, self.policy)
            lines.append(QuotaLine(p.employee_no, p.name, progress.effective, progress.target, p.id in visits, load.get(p.id, 0)))
        return tuple(lines)

    def set_home_visit(self, actor: Actor, agent: str, day: date, on: bool = True) -> QuotaLine:
        """Mark a day with home visits: that day's quota is ``home_visit_quota`` (rules.md §9)."""
        require(actor, EDIT)
        with self._uow() as uow:
            repo = uow.callbacks
            if repo.set_home_visit(call_scope(actor, uow, agent).agent_id, day, on):
                self.audit(uow, actor, "callback.home_visit", "person", agent, day=day.isoformat(), on=on)
            uow.commit()
        return self.quota(actor, day, agent)

    # --- outcomes -----------------------------------------------------------------------

    def record_outcome(self, actor: Actor, call_id: int, outcome: str, notes: str = "",
                       new_time: datetime | None = None, *, version: int | None = None) -> OutcomeRecorded:
        """One attempt in one step (rules.apply_outcome): reached, busy → the agreed new time,
        no answer → a retry by the policy, wrong number, refused. The attempt is logged as an
        outgoing call for the quota; a sent review message plans the phone call (rules.review_phone_call).
        ``version`` is the call's version the person saw (StaleWrite if another PC changed it since).
        """
        require(actor, VIEW)
        now = self.now()
        with self._uow() as uow:
            repo = uow.callbacks
            self.claim(uow, "callback", call_id, version, N_("No callback with number {id}"))
            rec = self._call(repo, call_id)
            may_work(actor, rec.agent_id)
            call_scope(actor, uow).check(rec.agent_id)  # a team lead works on their team's calls
            if rec.status != CALL_OPEN:
                raise ValidationError(N_("This call is already closed"), field="outcome")
            result = rules.apply_outcome(rule_call(rec), outcome, now, self.policy, new_time, self._opening)
            text = "\n".join(t for t in (rec.notes, notes.strip()) if t)
            if result.result == rules.RESULT_RESCHEDULED:
                repo.reschedule_call(call_id, window_start=result.call.window_start, due=result.call.due,
                                     reschedules=result.call.reschedules, outcome=outcome, notes=text)
            else:
                repo.close_call(call_id, outcome=outcome, result=result.result, at=now, notes=text)
            follow_id = None
            if result.follow_up is not None:
                follow_id = repo.add_call(call_row(
                    rules.RETRY, rec.member_id, rec.agent_id, result.follow_up, now, attempt=result.follow_up.attempt,
                    retry_of=result.follow_up.retry_of, root_id=rec.root_id or rec.id, previous_id=rec.id,
                    note=rec.note, sale_id=rec.sale_id, contact_id=rec.contact_id,
                ))
            if result.result == rules.RESULT_DONE and rec.note == rules.NOTE_MESSAGE and rec.contact_id:
                follow_id = self._plan_review_phone(uow, repo, rec, now) or follow_id
            logger = rec.agent_id if rec.agent_id is not None else actor.person_id
            if logger is not None:
                repo.log_call(agent_id=logger, member_id=rec.member_id, callback_id=rec.id, at=now,
                              direction=rules.OUTGOING, outcome=outcome, notes=notes.strip())
            self.audit(uow, actor, "callback.outcome", "callback", call_id, outcome=outcome, result=result.result,
                       new_time=new_time.isoformat(timespec="minutes") if new_time else None, follow_up=follow_id)
            uow.commit()
            after = self._call(repo, call_id)
            follow = repo.call(follow_id) if follow_id else None
        return OutcomeRecorded(
            call=call_dto(after, actor, now), result=result.result, effective=result.effective,
            follow_up=call_dto(follow, actor, now) if follow else None,
        )

    def _plan_review_phone(self, uow: UnitOfWork, repo: CallbackRepository, rec: CallRecord, now: datetime) -> int | None:
        contact = repo.contact(rec.contact_id) if rec.contact_id else None
        if contact is None:
            return None
        repo.mark_message_sent(contact.id, now)
        phone = rules.review_phone_call(now, contact.replied_at, self.policy, self._opening)
        if phone is None:
            return None
        return repo.add_call(call_row(rules.REVIEW, rec.member_id, rec.agent_id, phone, now,
                                      contact_id=contact.id, note=phone.note))

    @staticmethod
    def _call(repo: CallbackRepository, call_id: int) -> CallRecord:
        rec = repo.call(call_id)
        if rec is None:
            raise NotFound(N_("No callback with number {id}"), id=call_id)
        return rec

    # --- re-assignment ------------------------------------------------------------------

    def agents(self, actor: Actor, day: date | None = None) -> list[AgentChoice]:
        """Agents who can take calls on ``day`` (not on a rest shift), with their current load."""
        require(actor, VIEW)
        day = day or self.today()
        with self._uow() as uow:
            return self._agent_choices(uow, call_scope(actor, uow), day, exclude=())[0]

    def agent_names(self, actor: Actor) -> list[tuple[str, str]]:
        """(employee_no, name) of every active agent (who can own members and calls); an agent gets only themselves."""
        require(actor, VIEW)
        with self._uow() as uow:
            scope = call_scope(actor, uow)
            people = [p for p in uow.people.list(roles=["agent"]) if scope.sees(p.id)]
        return [(p.employee_no, p.name) for p in people]

    def _agent_choices(
        self, uow: UnitOfWork, scope: CallScope, day: date, exclude: Sequence[CallRecord]
    ) -> tuple[list[AgentChoice], list[rules.AgentLoad]]:
        repo = uow.callbacks
        people = scope.choose(uow.people.list(roles=["agent"]))
        rest = {s.code for s in self.policy.shifts if s.rest}
        shifts = uow.roster.existing([p.id for p in people], day, day)
        load = repo.open_load(rules.end_of_day(day))
        for rec in exclude:  # calls being moved no longer weigh on their current agent
            if rec.agent_id in load:
                load[rec.agent_id] -= 1
        visits = repo.home_visit_agents(day)
        choices, loads = [], []
        levels = self.policy.level_codes
        for p in people:
            if shifts.get((p.id, day)) in rest:
                continue
            level = p.level if p.level in levels else levels[0]
            months = 0
            if p.join_date:
                months = max(0, (day.year - p.join_date.year) * 12 + day.month - p.join_date.month)
            choices.append(AgentChoice(p.employee_no, p.name, level, p.team, load.get(p.id, 0), p.id in visits))
            loads.append(rules.AgentLoad(p.employee_no, level, months, load.get(p.id, 0), p.id in visits))
        return choices, loads

    def suggest_assignment(self, actor: Actor, call_ids: Sequence[int], day: date | None = None,
                           away_from_current: bool = False) -> Suggestion:
        """Balanced by current load, then ability and experience (rules.suggest_assignment).

        ``away_from_current`` leaves out the agents who hold the calls now (an agent called
        away or off sick): their calls go to the others.
        """
        require(actor, EDIT)
        day = day or self.today()
        with self._uow() as uow:
            records = uow.callbacks.calls(call_ids)
            if len(records) != len(set(call_ids)):
                raise NotFound(N_("No callback with number {id}"), id=", ".join(map(str, sorted(set(call_ids) - {r.id for r in records}))))
            scope = call_scope(actor, uow)
            for rec in records:
                scope.check(rec.agent_id)
            choices, loads = self._agent_choices(uow, scope, day, exclude=[r for r in records if r.status == CALL_OPEN])
        if away_from_current:
            holders = {r.agent_no for r in records}
            loads = [a for a in loads if a.agent not in holders]
        names = {c.agent: c.name for c in choices}
        result = rules.suggest_assignment([rule_call(r) for r in records], loads, self.policy)
        by_id = {str(r.id): r for r in records}
        moves = tuple(
            SuggestedMove(int(a.call_ref), by_id[a.call_ref].member_name, by_id[a.call_ref].kind,
                          by_id[a.call_ref].agent_no, a.agent, names.get(a.agent, a.agent))
            for a in result.assignments
        )
        return Suggestion(moves, tuple(int(ref) for ref in result.unassigned))

    def reassign(self, actor: Actor, call_ids: Sequence[int], agent: str) -> int:
        """Give open calls to ``agent`` (drag or bulk); returns how many moved."""
        return self.apply_assignments(actor, {call_id: agent for call_id in call_ids})

    def apply_assignments(self, actor: Actor, moves: Mapping[int, str]) -> int:
        """Apply a (possibly edited) suggestion: call id → employee_no, in one unit of work."""
        require(actor, EDIT)
        if not moves:
            return 0
        with self._uow() as uow:
            repo = uow.callbacks
            scope = call_scope(actor, uow)
            records = {r.id: r for r in repo.calls(list(moves))}
            for call_id in moves:
                rec = records.get(call_id)
                if rec is None:
                    raise NotFound(N_("No callback with number {id}"), id=call_id)
                scope.check(rec.agent_id)  # a team lead hands out their team's calls, to their team
                if rec.status != CALL_OPEN:
                    raise ValidationError(N_("Only open calls can be re-assigned ({ref})"), field="calls", ref=call_id)
            by_agent: dict[str, list[int]] = {}
            for call_id, agent in moves.items():
                if records[call_id].agent_no != agent:
                    by_agent.setdefault(agent, []).append(call_id)
            moved = 0
            for agent, ids in sorted(by_agent.items()):
                repo.set_agent(ids, call_scope(actor, uow, agent).agent_id)
                moved += len(ids)
                self.audit(uow, actor, "callback.reassign", "callback", ",".join(map(str, ids))[:64],
                           to=agent, calls=ids, previous={str(i): records[i].agent_no for i in ids})
            uow.commit()
        return moved
