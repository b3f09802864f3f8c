"""The handover area's use cases (rules.md §4, issue #6): write, carry over, acknowledge,
close items, search the log, record M04/M02 penalties.

Work records, drafts and printing live in :mod:`csdesk.services.handover_records`
(:class:`HandoverRecords`, a part :class:`HandoverService` holds and delegates to). People
are named by employee number.

For other areas:

* ``pending_for(actor)`` — the unacknowledged handovers the signed-in user should take
  over (a login-time notice calls it);
* ``penalties_between(start, end)`` — the M04/M02 penalties recorded from handovers
  written in that date range, each a :class:`HandoverPenalty` (employee_no, code, signed
  points, ``day`` of the handover, ``id`` to reference it as ``handover_penalty:<id>``);
  the scorecards read them as evaluation events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from csdesk.errors import LockedMonth, NotFound, StaleWrite, ValidationError
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain_handover import (
    LINK_KINDS,
    PRIORITIES,
    Draft,
    HandoverDetail,
    HandoverFilter,
    HandoverInput,
    HandoverItem,
    HandoverPage,
    HandoverPenalty,
    HandoverPerson,
    HandoverPrefill,
    HandoverSummary,
    ItemInput,
    ItemPassage,
    PenaltyChoice,
    PersonRef,
    WorkCounts,
    WorkRecord,
    WorkRecordInput,
)
from csdesk.models.repo_handover import HandoverRepository, build_search_text
from csdesk.policy import Policy
from csdesk.rules import handover as rules
from csdesk.services.base import UNSEEN, Actor, Clock, Service, require, stale_write
from csdesk.services.handover_records import CountsSource, HandoverRecords

if TYPE_CHECKING:
    from csdesk.reports.handover_form import HandoverFormInput
    from csdesk.reports.work_digest import WorkDigestInput

# How far back an unacknowledged handover is still shown at sign-in (chosen; older ones
# stay visible through the "not acknowledged" filter). Not in the policy file yet.
PENDING_WINDOW_DAYS: Final = 7

__all__ = ["PENDING_WINDOW_DAYS", "HandoverService"]


class HandoverService(Service):
    """The shift-handover log: entries, open items, acknowledgement, penalties.

    Work records, drafts and printing are a part of their own (:class:`HandoverRecords`),
    reached through the one-line methods below.
    """

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now) -> None:
        super().__init__(uow, policy, clock)
        self._records = HandoverRecords(uow, policy, clock)

    # --- work records, drafts, printing (HandoverRecords) -----------------------------

    @property
    def counts_source(self) -> CountsSource | None:
        """Where a work record's counts come from (the callback area), None when typed."""
        return self._records.counts_source

    @counts_source.setter
    def counts_source(self, source: CountsSource | None) -> None:
        self._records.counts_source = source

    def save_draft(self, actor: Actor, kind: str, payload: dict[str, Any]) -> None:
        self._records.save_draft(actor, kind, payload)

    def load_draft(self, actor: Actor, kind: str) -> Draft | None:
        return self._records.load_draft(actor, kind)

    def discard_draft(self, actor: Actor, kind: str) -> None:
        self._records.discard_draft(actor, kind)

    def suggested_counts(self, actor: Actor, employee_no: str, day: date) -> WorkCounts | None:
        return self._records.suggested_counts(actor, employee_no, day)

    def save_work_record(self, actor: Actor, data: WorkRecordInput, *, expected: object = UNSEEN) -> WorkRecord:
        return self._records.save_work_record(actor, data, expected=expected)

    def work_records(self, actor: Actor, start: date, end: date, team: str | None = None,
                     person: str | None = None) -> tuple[WorkRecord, ...]:
        return self._records.work_records(actor, start, end, team, person)

    def handover_form(self, actor: Actor, entry_id: int) -> HandoverFormInput:
        return self._records.handover_form(actor, entry_id)

    def print_handover(self, actor: Actor, entry_id: int, out: Path | BinaryIO) -> None:
        self._records.print_handover(actor, entry_id, out)

    def work_digest(self, actor: Actor, week_start: date, team: str | None = None) -> WorkDigestInput:
        return self._records.work_digest(actor, week_start, team)

    def print_work_digest(self, actor: Actor, week_start: date, out: Path | BinaryIO, team: str | None = None) -> None:
        self._records.print_work_digest(actor, week_start, out, team)

    # --- helpers ----------------------------------------------------------------------

    def shift_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.policy.shifts if not s.rest)

    def default_shift(self, now: datetime | None = None) -> str:
        """The outgoing shift at ``now``: of the shifts in progress, the one that ends first."""
        now = now or self.now()
        minute = now.hour * 60 + now.minute
        best: tuple[int, str] | None = None
        for shift in self.policy.shifts:
            if shift.rest:
                continue
            start = shift.start.hour * 60 + shift.start.minute
            elapsed = (minute - start) % (24 * 60)
            if elapsed <= shift.minutes:
                left = shift.minutes - elapsed
                if best is None or left < best[0]:
                    best = (left, shift.code)
        codes = self.shift_codes()
        return best[1] if best else (codes[0] if codes else "")

    def _check_shift(self, code: str) -> str:
        if code not in self.shift_codes():
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="shift", value=code,
                                  choices=", ".join(self.shift_codes()))
        return code

    def _team_id(self, repo: HandoverRepository, team: str | None) -> int | None:
        if not team:
            return None
        team_id = repo.team_id(team)
        if team_id is None:
            raise ValidationError(N_("No team named {name}"), field="team", name=team)
        return team_id

    def _person_id(self, repo: HandoverRepository, employee_no: str, field: str) -> int:
        found = repo.person(employee_no.strip())
        if found is None:
            raise ValidationError(N_("No person with employee number {no}"), field=field, no=employee_no)
        return found.id

    def _actor_person(self, repo: HandoverRepository, actor: Actor) -> HandoverPerson | None:
        if actor.person_id is None:
            return None
        return repo.person_by_id(actor.person_id)

    @staticmethod
    def _rule_item(item: HandoverItem, closed: bool) -> rules.OpenItem:
        return rules.OpenItem(str(item.id), item.owner.employee_no if item.owner else "", item.due, item.subject,
                              item.pending, item.closed_at if closed else None, tuple(str(s) for s in item.shifts))

    def _rule_entry(self, detail: HandoverDetail) -> rules.HandoverEntry:
        """The entry as the pure rules see it; items closed in a later shift count as open here."""
        items = tuple(self._rule_item(i, i.closed_in == detail.id) for i in detail.items)
        return rules.HandoverEntry(
            str(detail.id), tuple(a.employee_no for a in detail.authors), detail.written_at, detail.summary, items,
            detail.acknowledged_by.employee_no if detail.acknowledged_by else None, detail.acknowledged_at,
            detail.takeover_note)

    def _refresh_search(self, uow: UnitOfWork, entry_ids: Sequence[int]) -> None:
        """Rebuild the entries' search text. Each entry is claimed first (in id order), so two PCs
        changing texts of one entry at once (a takeover note, an item's outcome) rebuild it in
        turn, the second from what the first committed: neither drops the other's words."""
        for entry_id in sorted(entry_ids):
            uow.claim("handover", entry_id)
        repo = uow.handover
        for entry_id in entry_ids:
            repo.set_search_text(entry_id, build_search_text(repo.search_parts(entry_id)))

    def _detail(self, repo: HandoverRepository, entry_id: int) -> HandoverDetail:
        found = repo.details([entry_id], self.now())
        if not found:
            raise NotFound(N_("No handover with number {id}"), id=entry_id)
        detail = found[0]
        problems = tuple(p.code for p in rules.record_problems(self._rule_entry(detail)))
        return replace(detail, problems=problems)

    # --- reading ----------------------------------------------------------------------

    def person_of(self, actor: Actor) -> PersonRef | None:
        """The person the signed-in user is (None for a user not linked to a person)."""
        with self._uow() as uow:
            me = self._actor_person(uow.handover, actor)
        return me.ref if me else None

    def list_entries(self, actor: Actor, flt: HandoverFilter | None = None) -> HandoverPage:
        """The timeline, newest first: at most ``flt.limit`` rows and the number matching."""
        require(actor, "handover.view")
        flt = flt or HandoverFilter()
        now = self.now()
        with self._uow() as uow:
            repo = uow.handover
            team_id = self._team_id(repo, flt.team) if flt.team else None
            person_id = self._person_id(repo, flt.person, "person") if flt.person else None
            ids = repo.matching_ids(flt, now, person_id, team_id)
            return HandoverPage(tuple(repo.summaries(ids[: flt.limit], now)), len(ids))

    def detail(self, actor: Actor, entry_id: int) -> HandoverDetail:
        require(actor, "handover.view")
        with self._uow() as uow:
            return self._detail(uow.handover, entry_id)

    def export(self, actor: Actor, start: date | None = None, end: date | None = None,
               team: str | None = None) -> tuple[HandoverDetail, ...]:
        """Entries of a date range with every item they list, newest first (``handover list``)."""
        require(actor, "handover.view")
        now = self.now()
        with self._uow() as uow:
            repo = uow.handover
            team_id = self._team_id(repo, team)
            ids = repo.matching_ids(HandoverFilter(start, end, team), now, None, team_id)
            out: list[HandoverDetail] = []
            for i in range(0, len(ids), 500):
                out += repo.details(ids[i:i + 500], now)
            return tuple(out)

    def item_history(self, actor: Actor, item_id: int) -> tuple[ItemPassage, ...]:
        """Every shift an item passed through, oldest first."""
        require(actor, "handover.view")
        with self._uow() as uow:
            passages = uow.handover.passages(item_id)
        if not passages:
            raise NotFound(N_("No open item with number {id}"), id=item_id)
        return tuple(passages)

    def pending_for(self, actor: Actor) -> tuple[HandoverSummary, ...]:
        """Unacknowledged handovers the signed-in user should take over, newest first.

        For a team lead, their team's; for other writers, every team's. Never their own;
        nothing for roles that cannot acknowledge. Shown at sign-in and as the page banner.
        """
        if not actor.can("handover.write"):
            return ()
        now = self.now()
        with self._uow() as uow:
            repo = uow.handover
            me = self._actor_person(repo, actor)
            team_id = repo.team_id(me.team) if me and me.team and actor.role == "team_lead" else None
            ids = repo.pending_ids(now - timedelta(days=PENDING_WINDOW_DAYS), team_id, me.id if me else None)
            return tuple(repo.summaries(ids, now))

    # --- writing ----------------------------------------------------------------------

    def prefill(self, actor: Actor, team: str | None = None) -> HandoverPrefill:
        """A new handover for ``team`` (default: the writer's team): shift, authors, carried items."""
        require(actor, "handover.write")
        now = self.now()
        with self._uow() as uow:
            repo = uow.handover
            me = self._actor_person(repo, actor)
            if team is None and me:
                team = me.team
            team_id = self._team_id(repo, team)
            previous = repo.previous_entry(team_id)
            carried: list[HandoverItem] = []
            if previous is not None:
                items = repo.items(repo.item_ids_of(previous), now)
                moved = rules.carry_over([self._rule_item(i, True) for i in items], (), "new").carried
                keep = {int(m.item_id) for m in moved}
                carried = [i for i in items if i.id in keep]
            return HandoverPrefill(team, self.default_shift(now), (me.ref,) if me else (), previous, tuple(carried))

    def check(self, actor: Actor, data: HandoverInput) -> tuple[rules.RecordProblem, ...]:
        """What would make this record incomplete (rules.md §4), before it is saved."""
        require(actor, "handover.write")
        prefill = self.prefill(actor, data.team)
        items = self._merged_items(data, prefill.carried)
        entry = rules.HandoverEntry("new", data.authors, self.now(), data.summary, tuple(items))
        return rules.record_problems(entry)

    @staticmethod
    def _merged_items(data: HandoverInput, carried: Sequence[HandoverItem]) -> list[rules.OpenItem]:
        given = {i.item_id: i for i in data.items if i.item_id is not None}
        out = []
        for item in carried:
            inp = given.get(item.id)
            if inp is not None and inp.outcome.strip():
                continue
            base = HandoverService._rule_item(item, False)
            if inp is not None:
                base = rules.OpenItem(base.item_id, inp.owner.strip(), inp.due, item.subject, inp.pending.strip(),
                                      shifts=base.shifts)
            out.append(base)
        for n, inp in enumerate(i for i in data.items if i.item_id is None):
            out.append(rules.open_item(f"new{n}", "new", owner=inp.owner.strip(), due=inp.due,
                                       customer=inp.subject.strip(), pending=inp.pending.strip()))
        return out

    def _check_item(self, repo: HandoverRepository, n: int, item: ItemInput) -> tuple[int | None, str]:
        """(owner id, priority) of a valid item; errors name the field and the item's row."""
        if item.priority not in PRIORITIES:
            raise ValidationError(N_("Open item {n}: {field} '{value}' is not one of {choices}"), field="priority", n=n,
                                  value=item.priority, choices=", ".join(PRIORITIES))
        if item.link_kind is not None and item.link_kind not in LINK_KINDS:
            raise ValidationError(N_("Open item {n}: {field} '{value}' is not one of {choices}"), field="link_kind", n=n,
                                  value=item.link_kind, choices=", ".join(LINK_KINDS))
        if item.link_kind and not item.link_ref.strip():
            raise ValidationError(N_("Open item {n}: give the number of the linked record"), field="link_ref", n=n)
        owner = item.owner.strip()
        if not owner:
            return None, item.priority
        found = repo.person(owner)
        if found is None:
            raise ValidationError(N_("Open item {n}: no person with employee number {no}"), field="owner", n=n, no=owner)
        return found.id, item.priority

    def write(self, actor: Actor, data: HandoverInput, *, previous_id: object = UNSEEN) -> HandoverDetail:
        """Save a handover: the team's open items carry over automatically (rules.md §4).

        Items of ``data`` with an ``item_id`` update a carried item (and close it when they
        carry an ``outcome``); the others are new. Carried items the form leaves out are
        carried unchanged: nothing falls between two shifts.

        One team's handovers are saved one at a time, each carrying on from the one saved
        before it. ``previous_id`` is the team's previous handover the form was filled from
        (``HandoverPrefill.previous_id``; None: the team had none): when another PC saved a
        handover for the team since, nothing is saved (StaleWrite). Without it (a script) the
        handover carries on from the team's latest one, whichever it is by then.
        """
        require(actor, "handover.write")
        now = self.now()
        shift = self._check_shift(data.shift)
        with self._uow() as uow:
            repo = uow.handover
            team_id = self._team_id(repo, data.team)
            uow.claim_area(f"handover.team.{team_id}")  # the team's handovers are saved in turn
            author_ids: list[int] = []
            for no in data.authors:
                pid = self._person_id(repo, no, "authors")
                if pid not in author_ids:
                    author_ids.append(pid)
            if not author_ids:
                raise ValidationError(N_("Say who hands over (the outgoing person)"), field="authors")
            previous = repo.previous_entry(team_id)
            if previous_id is not UNSEEN and previous_id != previous:
                raise self._newer_handover(uow, previous)
            before_ids = repo.item_ids_of(previous) if previous is not None else []
            for item_id in sorted(before_ids):  # no other PC closes or changes them before the commit
                uow.claim("handover_item", item_id)
            before = repo.items(before_ids, now)
            entry_id = repo.add_entry(written_at=now, shift=shift, team_id=team_id, written_by=actor.username,
                                      summary=data.summary.strip(), desk_state=data.desk_state.strip(),
                                      desk_messy=data.desk_messy)
            repo.add_authors(entry_id, author_ids)
            carry = rules.carry_over([self._rule_item(i, True) for i in before], (), str(entry_id))
            carried_ids = [int(c.item_id) for c in carry.carried]
            by_id = {i.id: i for i in before}
            given = {i.item_id: i for i in data.items if i.item_id is not None}
            stray = set(given) - set(carried_ids)
            if stray:
                state = repo.item_state(min(stray))
                if state is not None and state.closed:  # another PC closed it after the form was filled in
                    raise stale_write(uow, "handover_item", state.id)
                raise ValidationError(N_("Open item {item} is not open in this team's handover"), field="items",
                                      item=min(stray))
            position = 0
            for item_id in carried_ids:
                position += 1
                self._carry(uow, actor, entry_id, by_id[item_id], given.get(item_id), position, now)
            for inp in (i for i in data.items if i.item_id is None):
                position += 1
                self._open(repo, entry_id, inp, position)
            self._refresh_search(uow, [entry_id])
            self.audit(uow, actor, "handover.write", "handover", entry_id, team=data.team, shift=shift,
                       authors=list(data.authors), carried=len(carried_ids), new=position - len(carried_ids))
            uow.commit()
            return self._detail(repo, entry_id)

    def _carry(self, uow: UnitOfWork, actor: Actor, entry_id: int, item: HandoverItem, inp: ItemInput | None,
               position: int, now: datetime) -> None:
        """Carry one item (claimed by the caller) into the entry. An item carried as it was keeps its
        version; one the form changes or closes is changed on record (its own audit entry), so a
        PC that showed it before is refused and told who changed it."""
        repo = uow.handover
        owner = repo.person(item.owner.employee_no) if item.owner else None
        owner_id = owner.id if owner else None
        pending, due, priority = item.pending, item.due, item.priority
        if inp is not None:
            owner_id, priority = self._check_item(repo, position, inp)
            pending, due = inp.pending.strip(), inp.due
        repo.add_passage(entry_id, item.id, position, pending, owner_id, due, priority)
        changed = (pending, owner_id, due, priority) != (item.pending, owner.id if owner else None, item.due, item.priority)
        if changed:
            repo.carry_item(item.id, pending=pending, owner_id=owner_id, due=due, priority=priority)
        if inp is not None and inp.outcome.strip():
            repo.close_item(item.id, at=now, by=actor.username, outcome=inp.outcome.strip(), in_entry=entry_id)
            self.audit(uow, actor, "handover.close_item", "handover_item", item.id, outcome=inp.outcome.strip(),
                       entry=entry_id)
        elif changed and inp is not None:
            self.audit(uow, actor, "handover.write", "handover_item", item.id, entry=entry_id, pending=pending,
                       owner=inp.owner.strip(), due=due, priority=priority)

    def _newer_handover(self, uow: UnitOfWork, latest: int | None) -> StaleWrite:
        """The refusal of a handover whose form was filled from an older one than the team's latest."""
        found = uow.handover.details([latest], self.now()) if latest is not None else []
        if not found:
            return stale_write(uow, "handover", latest or 0)
        return StaleWrite(
            N_("{who} saved handover {id} for this team at {when}, after your form was filled in. Nothing was saved: reload the form to carry on from that handover, then save again."),
            who=found[0].written_by, id=found[0].id, when=format_datetime(found[0].written_at, "yyyy-MM-dd HH:mm"),
        )

    def _open(self, repo: HandoverRepository, entry_id: int, inp: ItemInput, position: int) -> None:
        subject = inp.subject.strip()
        if not subject:
            raise ValidationError(N_("Open item {n}: say which customer or subject it is about"), field="subject", n=position)
        if inp.outcome.strip():
            raise ValidationError(N_("Open item {n}: a new item cannot be closed in the handover that opens it"),
                                  field="outcome", n=position)
        owner_id, priority = self._check_item(repo, position, inp)
        item_id = repo.add_item(opened_in=entry_id, subject=subject, pending=inp.pending.strip(), owner_id=owner_id,
                                due=inp.due, priority=priority, link_kind=inp.link_kind or None,
                                link_ref=inp.link_ref.strip() or None)
        repo.add_passage(entry_id, item_id, position, inp.pending.strip(), owner_id, inp.due, priority)

    def acknowledge(self, actor: Actor, entry_id: int, takeover_note: str) -> HandoverDetail:
        """The incoming person (the signed-in user) takes over with a takeover note (rules.md §4 step 4)."""
        require(actor, "handover.write")
        with self._uow() as uow:
            repo = uow.handover
            self.claim(uow, "handover", entry_id, None, N_("No handover with number {id}"))  # one takeover, not two
            detail = self._detail(repo, entry_id)
            me = self._actor_person(repo, actor)
            if me is None:
                raise ValidationError(N_("Your user {user} is not linked to a person, so it cannot take over a shift"),
                                      field="acknowledged_by", user=actor.username)
            done = rules.acknowledge(self._rule_entry(detail), me.ref.employee_no, self.now(), takeover_note.strip())
            assert done.acknowledged_at is not None
            repo.acknowledge(entry_id, me.id, done.acknowledged_at, done.takeover_note)
            self._refresh_search(uow, [entry_id])
            self.audit(uow, actor, "handover.acknowledge", "handover", entry_id, by=me.ref.employee_no)
            uow.commit()
            return self._detail(repo, entry_id)

    def close_item(self, actor: Actor, item_id: int, outcome: str, *, version: int | None = None) -> HandoverItem:
        """Close an open item with its outcome; it carries over no more. ``version`` is the item's
        version the person saw (StaleWrite if another PC changed it since)."""
        require(actor, "handover.write")
        outcome = outcome.strip()
        if not outcome:
            raise ValidationError(N_("Say how the item was settled (the outcome)"), field="outcome")
        now = self.now()
        with self._uow() as uow:
            repo = uow.handover
            self.claim(uow, "handover_item", item_id, version, N_("No open item with number {id}"))
            state = repo.item_state(item_id)
            if state is None:
                raise NotFound(N_("No open item with number {id}"), id=item_id)
            if state.closed:
                raise ValidationError(N_("Open item {item} is closed already"), field="outcome", item=item_id)
            repo.close_item(item_id, at=now, by=actor.username, outcome=outcome)
            self._refresh_search(uow, repo.item_entry_ids(item_id))
            self.audit(uow, actor, "handover.close_item", "handover_item", item_id, outcome=outcome)
            uow.commit()
            return repo.items([item_id], now)[0]

    # --- penalties (rules.md §4, Appendix A M04/M02) ------------------------------------

    def penalty_choices(self, actor: Actor, entry_id: int) -> tuple[PenaltyChoice, ...]:
        """M04 and M02 for each outgoing person; the rules' suggestions come pre-selected."""
        require(actor, "handover.view")
        with self._uow() as uow:
            detail = self._detail(uow.handover, entry_id)
        return self._choices(detail)

    def _choices(self, detail: HandoverDetail) -> tuple[PenaltyChoice, ...]:
        suggested = {(s.person, s.event_code): s
                     for s in rules.penalty_suggestions(self._rule_entry(detail), detail.desk_messy, self.policy)}
        recorded = {(p.person.employee_no, p.code) for p in detail.penalties}
        out = []
        for person in detail.authors:
            for code in (self.policy.handover.incomplete_record_event, self.policy.handover.messy_desk_event):
                s = suggested.get((person.employee_no, code))
                reason = rules.INCOMPLETE_RECORD if code == self.policy.handover.incomplete_record_event else rules.MESSY_DESK
                out.append(PenaltyChoice(person, code, self.policy.event(code).default_points, reason,
                                         tuple(p.code for p in s.problems) if s else (), s is not None,
                                         (person.employee_no, code) in recorded))
        return tuple(out)

    def record_penalties(self, actor: Actor, entry_id: int,
                         picks: Sequence[tuple[str, str]] | None = None) -> tuple[HandoverPenalty, ...]:
        """Record penalties in one step: ``picks`` of (employee_no, code), default the suggested ones.

        The handover is claimed first, so what is already recorded is read as it is now: a pick
        another PC recorded meanwhile refuses the whole step (nothing twice, nothing half)."""
        require(actor, "handover.write")
        require(actor, "scorecards.edit")
        now = self.now()
        with self._uow() as uow:
            repo = uow.handover
            self.claim(uow, "handover", entry_id, None, N_("No handover with number {id}"))  # recorded in turn
            detail = self._detail(repo, entry_id)
            choices = self._choices(detail)
            if picks is None:
                wanted = [c for c in choices if c.suggested and not c.recorded]
            else:
                known = {(c.person.employee_no, c.code): c for c in choices}
                picked = list(dict.fromkeys((str(no), str(code)) for no, code in picks))
                for pick in picked:
                    if pick not in known:
                        raise ValidationError(N_("{code} cannot be recorded for {person} from this handover"),
                                              field="code", code=pick[1], person=pick[0])
                taken = {(p.person.employee_no, p.code): p for p in detail.penalties}
                done = next((taken[pick] for pick in picked if pick in taken), None)
                if done is not None:  # recorded by another PC after this screen was shown
                    raise ValidationError(
                        N_("{code} for {person} was recorded already, by {user} at {when}. Nothing was recorded: reload the handover and tick again."),
                        field="code", code=done.code, person=done.person.label, user=done.recorded_by,
                        when=format_datetime(done.at, "yyyy-MM-dd HH:mm"),
                    )
                wanted = [known[pick] for pick in picked]
            if not wanted:
                raise ValidationError(N_("There is no penalty to record"), field="code")
            month = detail.written_at.strftime("%Y-%m")
            if repo.month_locked(month):
                raise LockedMonth(N_("{month} is locked; reopen it before changing it"), month=month)
            for c in wanted:
                repo.add_penalty(entry_id, self._person_id(repo, c.person.employee_no, "person"), c.code, c.points,
                                 c.reason, actor.username, now)
                self.audit(uow, actor, "handover.penalty", "handover", entry_id, person=c.person.employee_no,
                           code=c.code, points=c.points, reason=c.reason)
            uow.commit()
            return tuple(repo.penalties_of(entry_id))

    def penalties_between(self, start: date, end: date, uow: UnitOfWork | None = None) -> tuple[HandoverPenalty, ...]:
        """Penalties of handovers written from ``start`` to ``end`` inclusive (for the scorecards),
        read in ``uow`` when given (a month's lock reads every area in its own transaction).

        No permission check: other services call it while computing; the UI never does.
        """
        if uow is not None:
            return tuple(uow.handover.penalties_between(start, end))
        with self._uow() as own:
            return tuple(own.handover.penalties_between(start, end))
