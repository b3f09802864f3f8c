"""Members, contacts, the sales import and birthday planning (rules.md §9).

:class:`CallbackMembers` is a part of :class:`csdesk.services.callbacks.CallbackService`
(which delegates to it); it needs the unit-of-work factory, the policy and the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_callbacks import MemberData, MemberRecord
from csdesk.models.repo_callbacks import CALL_CANCELLED, CallbackRepository
from csdesk.rules import callbacks as rules
from csdesk.services.base import Actor, Service, require
from csdesk.services.callback_base import (
    BIRTHDAYS_PLANNED_KEY,
    EDIT,
    VIEW,
    agent_id_of,
    call_dto,
    call_row,
    contact_dto,
    may_work,
    member_dto,
    month_bounds,
    month_start,
    opening_calendar,
    call_scope,
)
from csdesk.callback_labels import CONTACT_KINDS, CONTACT_STATUSES, SEVERITIES
from csdesk.services.callback_dto import (
    AgendaCall,
    ContactInput,
    ContactView,
    MemberInput,
    MemberView,
)
from csdesk.services.callback_sales import import_sales_file
from csdesk.services.imports.reader import ImportReport

Progress = Callable[[int, int], bool]


class BirthdayOwner(Protocol):
    """What birthday planning needs of a member."""

    @property
    def id(self) -> int: ...
    @property
    def birthday(self) -> date | None: ...
    @property
    def agent_id(self) -> int | None: ...
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,38}$")


def clean_phone(text: str, field: str = "phone") -> str:
    """A phone number: digits with optional +, spaces and dashes; at least five digits."""
    value = re.sub(r"\s+", " ", text.strip())
    if not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 5:
        raise ValidationError(N_("{field}: '{value}' is not a phone number"), field=field, value=text)
    return value


class CallbackMembers(Service):
    """Members (customers), their contacts, the sales import and birthday calls."""

    # The sales import (callback_sales.import_sales_file) is handed this part and calls this.
    call_row = staticmethod(call_row)

    # --- members ------------------------------------------------------------------------

    def members(self, actor: Actor, text: str = "", limit: int = 200) -> list[MemberView]:
        """Members whose name or phone contains ``text``; an agent sees only their own."""
        require(actor, VIEW)
        with self._uow() as uow:
            scope = call_scope(actor, uow)
            found = uow.callbacks.search_members(text.strip(), scope.agent_id, limit)
        return [member_dto(m, actor) for m in found if scope.sees(m.agent_id)]

    def member(self, actor: Actor, member_id: int) -> MemberView:
        require(actor, VIEW)
        with self._uow() as uow:
            rec = self._member(uow.callbacks, member_id)
            call_scope(actor, uow).check(rec.agent_id)  # an agent: their own; a team lead: their team's
        return member_dto(rec, actor)

    def _member(self, repo: CallbackRepository, member_id: int) -> MemberRecord:
        rec = repo.member(member_id)
        if rec is None:
            raise NotFound(N_("No member with number {id}"), id=member_id)
        return rec

    def _clean_member(self, uow: UnitOfWork, data: MemberInput, phone_on_file: str | None = None) -> MemberData:
        name = data.name.strip()
        if not name:
            raise ValidationError(N_("{field} is empty"), field="name")
        if data.tier not in self.policy.callbacks.tiers:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="tier", value=data.tier,
                                  choices=", ".join(self.policy.callbacks.tiers))
        if data.birthday and data.birthday > self.now().date():
            raise ValidationError(N_("The birthday cannot be in the future."), field="birthday")
        agent_id = agent_id_of(uow, data.agent) if data.agent else None
        if data.phone is None and phone_on_file is None:
            raise ValidationError(N_("{field} is empty"), field="phone")
        phone = phone_on_file if data.phone is None else clean_phone(data.phone)
        return MemberData(name=name, phone=phone, birthday=data.birthday, vip=data.vip, tier=data.tier, agent_id=agent_id,
                          note=data.note.strip())

    def add_member(self, actor: Actor, data: MemberInput) -> MemberView:
        require(actor, EDIT)
        with self._uow() as uow:
            fields = self._clean_member(uow, data)
            repo = uow.callbacks
            if repo.member_ids_by_key([(fields.name, fields.phone)]):
                raise ValidationError(N_("A member with this name and phone exists already."), field="phone")
            member_id = repo.add_member(fields, created_at=self.now())
            self._plan_member_birthdays(uow, repo, [member_id])
            self.audit(uow, actor, "member.create", "member", member_id, name=fields.name)
            uow.commit()
            rec = self._member(repo, member_id)
        return member_dto(rec, actor)

    def update_member(self, actor: Actor, member_id: int, data: MemberInput, *, version: int | None = None) -> MemberView:
        """Save the member form; ``version`` is the member's version it was opened on (StaleWrite)."""
        require(actor, EDIT)
        with self._uow() as uow:
            repo = uow.callbacks
            self.claim(uow, "member", member_id, version, N_("No member with number {id}"))
            before = self._member(repo, member_id)
            fields = self._clean_member(uow, data, before.phone)
            clash = repo.member_ids_by_key([(fields.name, fields.phone)])
            if clash and next(iter(clash.values())) != member_id:
                raise ValidationError(N_("A member with this name and phone exists already."), field="phone")
            old = asdict(MemberData.of(before))
            changes = {k: [old[k], v] for k, v in asdict(fields).items() if old[k] != v}
            if changes:
                repo.update_member(member_id, fields)
                if "birthday" in changes:
                    self._plan_member_birthdays(uow, repo, [member_id])
                # The phone is confidential (rules.md §12): the audit says it changed, not what to.
                if "phone" in changes:
                    changes["phone"] = ["…", "…"]
                self.audit(uow, actor, "member.update", "member", member_id, **{k: [str(a), str(b)] for k, (a, b) in changes.items()})
            uow.commit()
            rec = self._member(repo, member_id)
        return member_dto(rec, actor)

    def member_calls(self, actor: Actor, member_id: int) -> list[AgendaCall]:
        """Every call of one member, oldest first (the member dialog's history)."""
        require(actor, VIEW)
        with self._uow() as uow:
            repo = uow.callbacks
            rec = self._member(repo, member_id)
            call_scope(actor, uow).check(rec.agent_id)
            calls = repo.member_calls(member_id)
        now = self.now()
        return [call_dto(c, actor, now) for c in calls if c.status != CALL_CANCELLED]

    # --- birthdays ----------------------------------------------------------------------

    def plan_birthdays(self, actor: Actor, month: date) -> int:
        """Plan the BIRTHDAY calls of ``month`` (rules.birthday_plan), once; returns how many were added."""
        require(actor, EDIT)
        first = month_start(month)
        with self._uow() as uow:
            repo = uow.callbacks
            added = self._plan_month(repo, first, repo.birthdays_in_month(first.month))
            planned = uow.settings.get(BIRTHDAYS_PLANNED_KEY, "")
            if first.strftime("%Y-%m") > planned:
                uow.settings.set(BIRTHDAYS_PLANNED_KEY, first.strftime("%Y-%m"))
            self.audit(uow, actor, "callback.plan_birthdays", "month", first.strftime("%Y-%m"), added=added)
            uow.commit()
        return added

    def ensure_birthdays(self, actor: Actor) -> int:
        """This month's birthday calls, and next month's in the month's last week (rules.birthday_list_due)."""
        if not actor.can(EDIT):
            return 0
        today = self.now().date()
        months = [month_start(today)]
        if rules.birthday_list_due(today, self.policy):
            months.append(rules.next_month(today))
        with self._uow() as uow:
            planned = uow.settings.get(BIRTHDAYS_PLANNED_KEY, "")
        return sum(self.plan_birthdays(actor, m) for m in months if m.strftime("%Y-%m") > planned)

    def _plan_month(self, repo: CallbackRepository, first: date, members: Iterable[BirthdayOwner], fresh: bool = False) -> int:
        """Plan the month's birthday calls of ``members``; ``fresh`` members cannot have one yet."""
        done = set() if fresh else repo.birthday_members_planned(*month_bounds(first))
        today, now = self.now().date(), self.now()
        opening = opening_calendar(self.policy)  # a birthday the department is closed on moves
        rows = []
        for m in members:
            if m.birthday is None or m.id in done or m.birthday.month != first.month:
                continue
            plan = rules.birthday_plan(m.birthday, first.year, opening)
            if plan.due.date() < today or m.birthday >= plan.window_start.date():
                continue  # the day has passed, or not born yet
            rows.append(call_row(rules.BIRTHDAY, m.id, m.agent_id, plan, now))
        repo.add_calls(rows)
        return len(rows)

    def _plan_member_birthdays(self, uow: UnitOfWork, repo: CallbackRepository, member_ids: list[int],
                               fresh: Sequence[BirthdayOwner] = ()) -> int:
        """New or changed members get the birthday calls of every month already planned.

        ``fresh`` are members just inserted (given whole, so nothing is read back).
        """
        today = self.now().date()
        planned = uow.settings.get(BIRTHDAYS_PLANNED_KEY, "")
        members: list[BirthdayOwner] = list(repo.members_by_ids(member_ids).values()) if member_ids else []
        added = 0
        first = month_start(today)
        while first.strftime("%Y-%m") <= max(planned, today.strftime("%Y-%m")):
            if members:
                added += self._plan_month(repo, first, members)
            if fresh:
                added += self._plan_month(repo, first, fresh, fresh=True)
            first = rules.next_month(first)
        return added

    # --- the sales import ---------------------------------------------------------------

    def import_sales(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import sales``: each new sale gets its service-call plan (rules.sale_plan);
        ``date_order`` (``"dmy"``/``"mdy"``) for a file whose dates cannot tell their day/month order."""
        require(actor, "import")
        return import_sales_file(self, actor, path, progress, date_order=date_order)

    # --- contacts: complaints, enquiries, bad reviews -----------------------------------

    def log_contact(self, actor: Actor, data: ContactInput) -> ContactView:
        """Log an incoming contact or a bad review and plan its callback (rules.complaint_call,
        rules.review_message); a phone contact is logged as an incoming call (never in the quota).
        """
        require(actor, VIEW)
        now = self.now()
        received = data.received_at or now
        if data.kind not in CONTACT_KINDS:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="kind", value=data.kind,
                                  choices=", ".join(CONTACT_KINDS))
        if data.severity not in SEVERITIES:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="severity",
                                  value=data.severity, choices=", ".join(map(str, SEVERITIES)))
        if received > now:
            raise ValidationError(N_("The contact cannot be received in the future."), field="received_at")
        with self._uow() as uow:
            repo = uow.callbacks
            member = self._member(repo, data.member_id)
            agent_id = agent_id_of(uow, data.agent)
            may_work(actor, agent_id)
            contact_id = repo.add_contact(
                member_id=member.id, kind=data.kind, received_at=received, agent_id=agent_id, severity=data.severity,
                status="OPEN", item=data.item.strip(), text=data.text.strip(), progress="", created_by=actor.username,
            )
            plan: rules.PlannedCall | None = None
            if data.kind in self.policy.callbacks.same_day_kinds:
                plan = rules.complaint_call(received, data.kind, self.policy)
            elif data.kind == rules.REVIEW:
                plan = rules.review_message(received)
            if plan is not None:
                repo.add_call(call_row(plan.kind, member.id, agent_id, plan, now, contact_id=contact_id))
            if data.by_phone and data.kind != rules.REVIEW:
                repo.log_call(agent_id=agent_id, member_id=member.id, callback_id=None, at=received,
                              direction=rules.INCOMING, outcome=None, notes="")
            self.audit(uow, actor, "contact.create", "contact", contact_id, kind=data.kind, member=member.id,
                       severity=data.severity)
            uow.commit()
            rec = repo.contact(contact_id)
        assert rec is not None
        return contact_dto(rec, actor)

    def update_contact(self, actor: Actor, contact_id: int, status: str, progress: str,
                       replied_at: datetime | None = None, *, version: int | None = None) -> ContactView:
        """Progress and status of a contact; a review reply before the phone call cancels it.
        ``version`` is the contact's version the person saw (StaleWrite if changed since)."""
        require(actor, VIEW)
        if status not in CONTACT_STATUSES:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="status", value=status,
                                  choices=", ".join(CONTACT_STATUSES))
        now = self.now()
        with self._uow() as uow:
            repo = uow.callbacks
            self.claim(uow, "contact", contact_id, version, N_("No contact with number {id}"))
            rec = repo.contact(contact_id)
            if rec is None:
                raise NotFound(N_("No contact with number {id}"), id=contact_id)
            may_work(actor, rec.agent_id)
            call_scope(actor, uow).check(rec.agent_id)
            if replied_at is not None and replied_at > now:
                raise ValidationError(N_("The reply cannot be in the future."), field="replied_at")
            solved_at = (rec.solved_at or now) if status == "SOLVED" else None
            repo.update_contact(contact_id, status=status, progress=progress.strip(), replied_at=replied_at,
                                solved_at=solved_at)
            cancelled = []
            answered_in_time = (
                rec.kind == rules.REVIEW and replied_at is not None and rec.message_sent_at is not None
                and rules.review_phone_call(rec.message_sent_at, replied_at, self.policy) is None
            )
            if answered_in_time:
                for call in repo.open_calls_of_contact(rec.member_id, contact_id, rules.NOTE_PHONE):
                    repo.cancel_call(call.id, now)
                    cancelled.append(call.id)
            self.audit(uow, actor, "contact.update", "contact", contact_id, status=status,
                       replied_at=replied_at.isoformat() if replied_at else None, cancelled=cancelled)
            uow.commit()
            after = repo.contact(contact_id)
        assert after is not None
        return contact_dto(after, actor)

    def contacts(self, actor: Actor, open_only: bool = True, kinds: Iterable[str] = (),
                 start: datetime | None = None, end: datetime | None = None) -> list[ContactView]:
        """Contacts, reviews the most severe first (rules.review_order), then the newest."""
        require(actor, VIEW)
        with self._uow() as uow:
            scope = call_scope(actor, uow)
            found = [c for c in uow.callbacks.contacts(start, end, open_only, scope.agent_id, list(kinds)) if scope.sees(c.agent_id)]
        reviews = [c for c in found if c.kind == rules.REVIEW]
        order = {r.ref: i for i, r in enumerate(rules.review_order(
            rules.Review(str(c.id), c.severity, c.received_at) for c in reviews))}
        ranked = sorted(reviews, key=lambda c: order[str(c.id)]) + [c for c in found if c.kind != rules.REVIEW]
        return [contact_dto(c, actor) for c in ranked]

    def contact_tally(self, actor: Actor, month: date) -> dict[str, int]:
        """Incoming contacts of the month by kind (rules.md §9: classified and tallied)."""
        require(actor, VIEW)
        first = month_start(month)
        with self._uow() as uow:
            tally = uow.callbacks.contact_tally(*month_bounds(first))
        return {kind: tally.get(kind, 0) for kind in CONTACT_KINDS}
