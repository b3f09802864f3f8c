"""Work records (工作日志), form drafts and printing of the handover area.

:class:`HandoverRecords` is a part of :class:`csdesk.services.handover.HandoverService`
(which delegates to it); see that module for the entries themselves.

Counts of a work record come from the callback area when it is wired in:
``HandoverService.counts_source`` (kept by this part) is ``None`` (counts are typed) or a
callable ``(employee_no, day) -> Mapping[str, int] | None`` with the keys ``calls_made``,
``complaints_taken`` and ``callbacks_done``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from csdesk.errors import NotFound, StaleWrite, ValidationError
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain_handover import (
    CLOSED,
    COUNTS_CALLBACKS,
    COUNTS_TYPED,
    OPEN,
    OVERDUE,
    Draft,
    HandoverDetail,
    HandoverItem,
    WorkCounts,
    WorkRecord,
    WorkRecordInput,
)
from csdesk.policy import Policy
from csdesk.services.base import UNSEEN, Actor, Clock, Service, require, stale_write
from csdesk.services.policy_service import site_in_force

if TYPE_CHECKING:
    from csdesk.reports.handover_form import FormWorkRecord, HandoverFormInput
    from csdesk.reports.work_digest import WorkDigestInput

CountsSource = Callable[[str, date], Mapping[str, int] | None]

DRAFT_KINDS: Final = ("handover", "work_record")
# A count above this is a typing slip (chosen; no such bound in the rulebook).
MAX_DAILY_COUNT: Final = 1000


def _content(record: WorkRecord) -> tuple[object, ...]:
    """What a work record says (not who saved it when): equal content is no lost update."""
    return (record.today_work, record.tomorrow_plan, record.counts, record.counts_from, record.notes)


def _status_on_form(item: HandoverItem, entry_id: int, written_at: datetime) -> str:
    """An item closed in a later shift was still open when this handover was written."""
    if item.status != CLOSED or item.closed_in == entry_id:
        return item.status
    return OVERDUE if item.due is not None and item.due < written_at else OPEN


class HandoverRecords(Service):
    """Work records, form drafts and the printed handover form and work digest."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock, counts_source: CountsSource | None = None) -> None:
        super().__init__(uow, policy, clock)
        self.counts_source = counts_source

    # --- drafts: nothing typed is lost when the app closes mid-entry --------------------

    def _check_kind(self, kind: str) -> None:
        if kind not in DRAFT_KINDS:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="kind", value=kind,
                                  choices=", ".join(DRAFT_KINDS))

    def save_draft(self, actor: Actor, kind: str, payload: dict[str, Any]) -> None:
        """Keep what the user typed so far (not audited: a draft changes no record)."""
        require(actor, "handover.write")
        self._check_kind(kind)
        with self._uow() as uow:
            uow.handover.save_draft(actor.username, kind, payload, self.now())
            uow.commit()

    def load_draft(self, actor: Actor, kind: str) -> Draft | None:
        if not actor.can("handover.write"):
            return None
        self._check_kind(kind)
        with self._uow() as uow:
            return uow.handover.draft(actor.username, kind)

    def discard_draft(self, actor: Actor, kind: str) -> None:
        self._check_kind(kind)
        with self._uow() as uow:
            uow.handover.delete_draft(actor.username, kind)
            uow.commit()

    # --- work records -----------------------------------------------------------------

    def suggested_counts(self, actor: Actor, employee_no: str, day: date) -> WorkCounts | None:
        """The day's counts from the callback area, or None when it is not wired in or has none."""
        require(actor, "handover.write")
        if self.counts_source is None:
            return None
        found = self.counts_source(employee_no, day)
        if found is None:
            return None
        return WorkCounts(int(found.get("calls_made", 0)), int(found.get("complaints_taken", 0)),
                          int(found.get("callbacks_done", 0)))

    def save_work_record(self, actor: Actor, data: WorkRecordInput, *, expected: object = UNSEEN) -> WorkRecord:
        """Write or replace the work record of one person, day and shift.

        ``expected`` is the record the form was filled from (None: the form started empty). When
        the stored record of that person, day and shift is another one now (another PC saved it
        since), nothing is saved (StaleWrite). Without it (a script) the record is replaced as
        it is by then. Saves of one person's records take turns (the person is claimed)."""
        require(actor, "handover.write")
        if data.shift not in {s.code for s in self.policy.shifts if not s.rest}:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="shift", value=data.shift,
                                  choices=", ".join(s.code for s in self.policy.shifts if not s.rest))
        if not data.today_work.strip():
            raise ValidationError(N_("Write what was done today"), field="today_work")
        for field, value in (("calls_made", data.counts.calls_made), ("complaints_taken", data.counts.complaints_taken),
                             ("callbacks_done", data.counts.callbacks_done)):
            if not 0 <= value <= MAX_DAILY_COUNT:
                raise ValidationError(N_("{field} must be between {low} and {high}"), field=field, low=0,
                                      high=MAX_DAILY_COUNT)
        if data.counts_from not in (COUNTS_TYPED, COUNTS_CALLBACKS):
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="counts_from",
                                  value=data.counts_from, choices=f"{COUNTS_TYPED}, {COUNTS_CALLBACKS}")
        if data.day > self.now().date():
            raise ValidationError(N_("A work record cannot be written for a day still to come"), field="day")
        with self._uow() as uow:
            repo = uow.handover
            found = repo.person(data.employee_no.strip())
            if found is None:
                raise ValidationError(N_("No person with employee number {no}"), field="employee_no", no=data.employee_no)
            uow.claim("person", found.id)  # the second of two saves reads the first one's record
            if expected is not UNSEEN:
                self._check_unchanged(uow, found.id, data, expected)
            record_id = repo.save_work_record(
                person_id=found.id, day=data.day, shift=data.shift, today_work=data.today_work.strip(),
                tomorrow_plan=data.tomorrow_plan.strip(), counts=data.counts, counts_from=data.counts_from,
                notes=data.notes.strip(), updated_at=self.now(), updated_by=actor.username)
            self.audit(uow, actor, "work_record.save", "work_record", record_id, person=found.ref.employee_no,
                       day=data.day, shift=data.shift, calls=data.counts.calls_made)
            uow.commit()
            return repo.work_records(data.day, data.day, record_id=record_id)[0]

    @staticmethod
    def _check_unchanged(uow: UnitOfWork, person_id: int, data: WorkRecordInput, expected: object) -> None:
        """Refuse a save whose form showed another record than the one stored now (``expected``:
        a :class:`WorkRecord`, or None for an empty form; a record of another person, day or shift
        counts as an empty form for this one)."""
        stored = uow.handover.work_record_of(person_id, data.day, data.shift)
        if stored is None:
            return  # nothing to overwrite
        key = (stored.person.employee_no, stored.day, stored.shift)
        seen = expected if isinstance(expected, WorkRecord) and (expected.person.employee_no, expected.day, expected.shift) == key else None
        if seen is None:
            raise StaleWrite(
                N_("{who} saved a work record for {person} on {day}, shift {shift}, at {when}. Nothing was saved: open that record from the list and change it there."),
                who=stored.updated_by, person=stored.person.label, day=stored.day.isoformat(), shift=stored.shift,
                when=format_datetime(stored.updated_at, "yyyy-MM-dd HH:mm"),
            )
        if _content(seen) != _content(stored):
            raise stale_write(uow, "work_record", stored.id)

    def work_records(self, actor: Actor, start: date, end: date, team: str | None = None,
                     person: str | None = None) -> tuple[WorkRecord, ...]:
        """Work records of a date range (inclusive), newest first."""
        require(actor, "handover.view")
        with self._uow() as uow:
            repo = uow.handover
            team_id = repo.team_id(team) if team else None
            if team and team_id is None:
                raise ValidationError(N_("No team named {name}"), field="team", name=team)
            person_id = None
            if person:
                found = repo.person(person)
                if found is None:
                    raise ValidationError(N_("No person with employee number {no}"), field="person", no=person)
                person_id = found.id
            return tuple(repo.work_records(start, end, team_id, person_id))

    # --- printing ---------------------------------------------------------------------

    def _shift_hours(self, code: str) -> str:
        for shift in self.policy.shifts:
            if shift.code == code and not shift.rest:
                return f"{shift.start:%H:%M}–{shift.end:%H:%M}"
        return ""

    def handover_form(self, actor: Actor, entry_id: int) -> HandoverFormInput:
        """The input of the printed handover form, with the outgoing people's work records of the
        shift (the incoming person reads both, rules.md §4 step 3)."""
        from csdesk.reports.handover_form import FormItem, HandoverFormInput

        require(actor, "handover.view")
        now = self.now()
        with self._uow() as uow:
            found = uow.handover.details([entry_id], now)
            if not found:
                raise NotFound(N_("No handover with number {id}"), id=entry_id)
            d = found[0]
            work = self._work_records_of(uow, d)
            site = site_in_force(uow, self.policy)
        items = tuple(
            FormItem(i.id, i.subject, i.pending, i.owner.label if i.owner else "", i.due, i.priority,
                     _status_on_form(i, d.id, d.written_at), i.shifts.index(d.id) if d.id in i.shifts else 0,
                     i.link_kind, i.link_ref, i.outcome if i.closed_in == d.id else "")
            for i in d.items
        )
        return HandoverFormInput(
            entry_id=d.id, site=site.name, team=d.team, shift=d.shift, shift_hours=self._shift_hours(d.shift),
            written_at=d.written_at, written_by=d.written_by, authors=tuple(a.label for a in d.authors),
            summary=d.summary, desk_state=d.desk_state, desk_messy=d.desk_messy, items=items,
            acknowledged_by=d.acknowledged_by.label if d.acknowledged_by else None, acknowledged_at=d.acknowledged_at,
            takeover_note=d.takeover_note, printed_at=now, logo=site.logo, work_records=work)

    @staticmethod
    def _work_records_of(uow: UnitOfWork, handover: HandoverDetail) -> tuple[FormWorkRecord, ...]:
        """Each outgoing person's work record of the handover's shift and day (the day it was
        written, as its penalties count it); blank for a person who wrote none."""
        from csdesk.reports.handover_form import FormWorkRecord

        day = handover.written_at.date()
        counts = {r.person.employee_no: r.counts for r in uow.handover.work_records(day, day)
                  if r.shift == handover.shift}
        records: list[FormWorkRecord] = []
        for author in handover.authors:
            found = counts.get(author.employee_no)
            records.append(FormWorkRecord(author.label) if found is None else FormWorkRecord(
                author.label, found.calls_made, found.complaints_taken, found.callbacks_done))
        return tuple(records)

    def print_handover(self, actor: Actor, entry_id: int, out: Path | BinaryIO) -> None:
        from csdesk.reports.handover_form import render

        render(self.handover_form(actor, entry_id), out)

    def work_digest(self, actor: Actor, week_start: date, team: str | None = None) -> WorkDigestInput:
        """The Monday meeting's digest of the week starting ``week_start`` (moved back to its Monday)."""
        from csdesk.reports.work_digest import DigestDay, DigestItem, DigestPerson, WorkDigestInput

        require(actor, "handover.view")
        start = week_start - timedelta(days=week_start.weekday())
        end = start + timedelta(days=6)
        now = self.now()
        records = self.work_records(actor, start, end, team)
        by_person: dict[str, list[WorkRecord]] = {}
        for r in records:
            by_person.setdefault(r.person.label, []).append(r)
        people = tuple(
            DigestPerson(label, rs[0].team, tuple(DigestDay(r.day, r.shift, r.today_work, r.tomorrow_plan,
                                                            r.counts.calls_made, r.counts.complaints_taken,
                                                            r.counts.callbacks_done) for r in rs))
            for label, rs in by_person.items())
        with self._uow() as uow:
            repo = uow.handover
            team_id = repo.team_id(team) if team else None
            stats = repo.week_stats(datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min),
                                    team_id, team is not None)
            still_open = repo.items(repo.open_item_ids(team_id, team is not None), now)
            site = site_in_force(uow, self.policy)
        items = tuple(
            DigestItem(i.id, i.subject, i.pending, i.owner.label if i.owner else "", i.due, i.status, i.times_carried)
            for i in sorted(still_open, key=lambda i: (i.status != OVERDUE, i.due or datetime.max, i.id)))
        return WorkDigestInput(site=site.name, logo=site.logo, team=team, week_start=start, week_end=end, people=people,
                               items_opened=stats["opened"], items_closed=stats["closed"], handovers=stats["entries"],
                               unacknowledged=stats["unacknowledged"], open_items=items, penalties=stats["penalties"],
                               printed_at=now)

    def print_work_digest(self, actor: Actor, week_start: date, out: Path | BinaryIO, team: str | None = None) -> None:
        from csdesk.reports.work_digest import render

        render(self.work_digest(actor, week_start, team), out)
