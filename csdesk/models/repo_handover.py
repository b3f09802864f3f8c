"""Queries of the handover area, converting rows to the records of ``domain_handover``.

Reads return those frozen records (never ORM rows, never tuples to pick fields from by
position); changes go through the explicit write methods below, so services never touch a
row. Bulk loading (demo, benchmarks) takes plain row dicts, as the demo generator builds them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, insert, or_, select, true, update
from sqlalchemy.orm import Session

from csdesk.models.base import in_batches
from csdesk.models.domain_handover import (
    CLOSED,
    OPEN,
    OVERDUE,
    Draft,
    HandoverDetail,
    HandoverFilter,
    HandoverItem,
    HandoverPenalty,
    HandoverPerson,
    HandoverSummary,
    ItemPassage,
    ItemState,
    PersonRef,
    WorkCounts,
    WorkRecord,
)
from csdesk.models.tables import PersonRow, TeamRow
from csdesk.models.tables_attendance import MonthLockRow
from csdesk.models.tables_handover import (
    HandoverAuthorRow,
    HandoverDraftRow,
    HandoverEntryRow,
    HandoverItemRow,
    HandoverPassageRow,
    HandoverPenaltyRow,
    WorkRecordRow,
)
from csdesk.rules.handover import search_key

E, I, P, A = HandoverEntryRow, HandoverItemRow, HandoverPassageRow, HandoverAuthorRow


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards escaped (``\\`` is the escape character)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def build_search_text(parts: Iterable[str | None]) -> str:
    """The stored search column: :func:`search_key` of every text, one space between them."""
    return search_key(" ".join(p for p in parts if p))


def item_status(closed_at: datetime | None, due: datetime | None, now: datetime) -> str:
    if closed_at is not None:
        return CLOSED
    return OVERDUE if due is not None and due < now else OPEN


class HandoverRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- people and teams -------------------------------------------------------------

    @staticmethod
    def _person(row: PersonRow | None) -> HandoverPerson | None:
        if row is None:
            return None
        return HandoverPerson(row.id, PersonRef(row.employee_no, row.name), row.team.name if row.team else None)

    def person(self, employee_no: str) -> HandoverPerson | None:
        """An active or inactive person, by employee number."""
        return self._person(self._s.scalar(select(PersonRow).where(PersonRow.employee_no == employee_no)))

    def person_by_id(self, person_id: int) -> HandoverPerson | None:
        return self._person(self._s.get(PersonRow, person_id))

    def refs(self, ids: Iterable[int | None]) -> dict[int, PersonRef]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        stmt = select(PersonRow.id, PersonRow.employee_no, PersonRow.name).where(PersonRow.id.in_(wanted))
        return {pid: PersonRef(no, name) for pid, no, name in self._s.execute(stmt)}

    def team_id(self, name: str) -> int | None:
        return self._s.scalar(select(TeamRow.id).where(TeamRow.name == name))

    # --- writing ----------------------------------------------------------------------

    def add_entry(self, *, written_at: datetime, shift: str, team_id: int | None, written_by: str, summary: str,
                  desk_state: str, desk_messy: bool) -> int:
        """A new handover, not yet acknowledged (its search text is set by :meth:`set_search_text`); returns its id."""
        row = E(written_at=written_at, shift_code=shift, team_id=team_id, written_by=written_by, summary=summary,
                desk_state=desk_state, desk_messy=desk_messy, takeover_note="", search_text="")
        self._s.add(row)
        self._s.flush()
        return row.id

    def add_authors(self, entry_id: int, person_ids: Sequence[int]) -> None:
        for pos, pid in enumerate(person_ids):
            self._s.add(A(entry_id=entry_id, person_id=pid, position=pos))

    def add_item(self, *, opened_in: int, subject: str, pending: str, owner_id: int | None, due: datetime | None,
                 priority: str, link_kind: str | None, link_ref: str | None) -> int:
        """A new open item, opened in the handover ``opened_in``; returns its id."""
        row = I(opened_in=opened_in, subject=subject, pending=pending, owner_id=owner_id, due=due, priority=priority,
                link_kind=link_kind, link_ref=link_ref, outcome="")
        self._s.add(row)
        self._s.flush()
        return row.id

    def add_passage(self, entry_id: int, item_id: int, position: int, pending: str, owner_id: int | None,
                    due: datetime | None, priority: str) -> None:
        self._s.add(P(entry_id=entry_id, item_id=item_id, position=position, pending=pending, owner_id=owner_id,
                      due=due, priority=priority))

    def carry_item(self, item_id: int, *, pending: str, owner_id: int | None, due: datetime | None, priority: str) -> None:
        """The item's current state as the latest handover carrying it leaves it."""
        self._s.execute(update(I).where(I.id == item_id).values(pending=pending, owner_id=owner_id, due=due, priority=priority))

    def close_item(self, item_id: int, *, at: datetime, by: str, outcome: str, in_entry: int | None = None) -> None:
        """Close the item with its outcome; ``in_entry``: the handover that closed it (None: closed
        between handovers)."""
        values: dict[str, Any] = {"closed_at": at, "closed_by": by, "outcome": outcome}
        if in_entry is not None:
            values["closed_in"] = in_entry
        self._s.execute(update(I).where(I.id == item_id).values(**values))

    def set_search_text(self, entry_id: int, text: str) -> None:
        self._s.execute(update(E).where(E.id == entry_id).values(search_text=text))

    def acknowledge(self, entry_id: int, person_id: int, at: datetime, note: str) -> None:
        self._s.execute(update(E).where(E.id == entry_id)
                        .values(acknowledged_by_id=person_id, acknowledged_at=at, takeover_note=note))

    def bulk_insert(self, entries: list[dict[str, Any]], authors: list[dict[str, Any]], items: list[dict[str, Any]],
                    passages: list[dict[str, Any]]) -> None:
        """Demo and benchmark data: rows with their ids already set."""
        for table, rows in ((E, entries), (A, authors), (I, items), (P, passages)):
            for i in range(0, len(rows), 20_000):
                self._s.execute(insert(table), rows[i:i + 20_000])

    def max_ids(self) -> tuple[int, int]:
        return (self._s.scalar(select(func.max(E.id))) or 0, self._s.scalar(select(func.max(I.id))) or 0)

    # --- reading entries --------------------------------------------------------------

    def previous_entry(self, team_id: int | None) -> int | None:
        """The team's entry saved last. By the order of saving, not by ``written_at``: the PCs'
        clocks differ, and one a few minutes ahead would otherwise hide its entry from the others
        (a team's entries are saved one at a time, so the ids follow the order of saving)."""
        team = E.team_id.is_(None) if team_id is None else E.team_id == team_id
        return self._s.scalar(select(func.max(E.id)).where(team))

    def entry_exists(self, entry_id: int) -> bool:
        return self._s.get(E, entry_id) is not None

    def item_entry_ids(self, item_id: int) -> list[int]:
        return list(self._s.scalars(select(P.entry_id).where(P.item_id == item_id).order_by(P.entry_id)))

    def search_parts(self, entry_id: int) -> list[str]:
        """Every text of an entry and of the items it lists, for :func:`build_search_text`."""
        row = self._s.get(E, entry_id)
        assert row is not None
        people = self.refs([row.acknowledged_by_id, *self._s.scalars(select(A.person_id).where(A.entry_id == entry_id))])
        parts = [row.summary, row.desk_state, row.takeover_note]
        parts += [f"{p.employee_no} {p.name}" for p in people.values()]
        items = self._s.execute(
            select(I.subject, P.pending, I.outcome, P.owner_id).join(P, P.item_id == I.id).where(P.entry_id == entry_id)
        ).all()
        owners = self.refs(owner for *_rest, owner in items)
        for subject, pending, outcome, owner in items:
            parts += [subject, pending, outcome, owners[owner].name if owner in owners else ""]
        return parts

    def matching_ids(self, flt: HandoverFilter, now: datetime, person_id: int | None, team_id: int | None) -> list[int]:
        """Ids of the entries passing the filters, newest first (one scan of the table)."""
        cond: list[ColumnElement[bool]] = []
        if flt.start:
            cond.append(E.written_at >= datetime.combine(flt.start, time.min))
        if flt.end:
            cond.append(E.written_at < datetime.combine(flt.end + timedelta(days=1), time.min))
        if flt.team:
            cond.append(E.team_id == team_id)
        if flt.person:
            authored = exists().where(A.entry_id == E.id, A.person_id == person_id)
            cond.append(or_(authored, E.acknowledged_by_id == person_id))
        if flt.status == "unacknowledged":
            cond.append(E.acknowledged_at.is_(None))
        elif flt.status == "acknowledged":
            cond.append(E.acknowledged_at.is_not(None))
        elif flt.status in ("open", "overdue"):
            still_open = [P.entry_id == E.id, I.id == P.item_id, I.closed_at.is_(None)]
            if flt.status == "overdue":
                still_open.append(I.due < now)
            cond.append(exists().where(*still_open))
        for term in search_key(flt.text).split():
            cond.append(E.search_text.like(like_pattern(term), escape="\\"))
        stmt = select(E.id).where(true(), *cond).order_by(E.written_at.desc(), E.id.desc())
        return list(self._s.scalars(stmt))

    def summaries(self, ids: Sequence[int], now: datetime) -> list[HandoverSummary]:
        """Timeline rows of ``ids``, in that order."""
        if not ids:
            return []
        rows = self._s.execute(
            select(E.id, E.written_at, E.shift_code, TeamRow.name, E.written_by, E.summary, E.acknowledged_by_id,
                   E.acknowledged_at).outerjoin(TeamRow, TeamRow.id == E.team_id).where(E.id.in_(ids))
        ).all()
        authors = self._authors(ids)
        counts = {
            eid: (n, n_open or 0, n_late or 0)
            for eid, n, n_open, n_late in self._s.execute(
                select(
                    P.entry_id,
                    func.count(),
                    func.sum(case((I.closed_at.is_(None), 1), else_=0)),
                    func.sum(case((and_(I.closed_at.is_(None), I.due < now), 1), else_=0)),
                ).join(I, I.id == P.item_id).where(P.entry_id.in_(ids)).group_by(P.entry_id)
            )
        }
        penalties = dict(self._s.execute(
            select(HandoverPenaltyRow.entry_id, func.count()).where(HandoverPenaltyRow.entry_id.in_(ids))
            .group_by(HandoverPenaltyRow.entry_id)).all())
        acks = self.refs(r.acknowledged_by_id for r in rows)
        by_id = {}
        for r in rows:
            n, n_open, n_late = counts.get(r.id, (0, 0, 0))
            by_id[r.id] = HandoverSummary(
                id=r.id, written_at=r.written_at, shift=r.shift_code, team=r.name, authors=authors.get(r.id, ()),
                written_by=r.written_by, summary=r.summary,
                acknowledged_by=acks.get(r.acknowledged_by_id) if r.acknowledged_by_id else None,
                acknowledged_at=r.acknowledged_at, items=n, open_items=n_open, overdue_items=n_late,
                penalties=penalties.get(r.id, 0),
            )
        return [by_id[i] for i in ids if i in by_id]

    def _authors(self, ids: Sequence[int]) -> dict[int, tuple[PersonRef, ...]]:
        stmt = (select(A.entry_id, PersonRow.employee_no, PersonRow.name).join(PersonRow, PersonRow.id == A.person_id)
                .where(A.entry_id.in_(ids)).order_by(A.entry_id, A.position))
        out: dict[int, list[PersonRef]] = defaultdict(list)
        for eid, no, name in self._s.execute(stmt):
            out[eid].append(PersonRef(no, name))
        return {k: tuple(v) for k, v in out.items()}

    def details(self, ids: Sequence[int], now: datetime) -> list[HandoverDetail]:
        """Entries with every item they list (state as now), penalties; ``problems`` left empty."""
        if not ids:
            return []
        rows = {r.id: r for r in self._s.scalars(select(E).where(E.id.in_(ids)))}
        teams = dict(self._s.execute(select(TeamRow.id, TeamRow.name)).all())
        authors = self._authors(ids)
        items = self._items_of(ids, now)
        penalties = self._penalties(HandoverPenaltyRow.entry_id.in_(ids))
        acks = self.refs(r.acknowledged_by_id for r in rows.values())
        out = []
        for eid in ids:
            r = rows.get(eid)
            if r is None:
                continue
            out.append(HandoverDetail(
                id=r.id, written_at=r.written_at, shift=r.shift_code, team=teams.get(r.team_id) if r.team_id else None,
                authors=authors.get(r.id, ()), written_by=r.written_by, summary=r.summary, desk_state=r.desk_state,
                desk_messy=r.desk_messy, acknowledged_by=acks.get(r.acknowledged_by_id) if r.acknowledged_by_id else None,
                acknowledged_at=r.acknowledged_at, takeover_note=r.takeover_note, items=tuple(items.get(r.id, ())),
                penalties=tuple(p for p in penalties if p.entry_id == r.id),
            ))
        return out

    def _items_of(self, entry_ids: Sequence[int], now: datetime) -> dict[int, list[HandoverItem]]:
        """Per entry, the items it lists (each with the shift's own pending/owner/due)."""
        stmt = (select(P.entry_id, P.pending, P.owner_id, P.due, P.priority, I)
                .join(I, I.id == P.item_id).where(P.entry_id.in_(entry_ids)).order_by(P.entry_id, P.position))
        rows = self._s.execute(stmt).all()
        item_ids = {r[5].id for r in rows}
        shifts = self._shifts(item_ids)
        opened = dict(self._s.execute(select(E.id, E.written_at).where(E.id.in_({r[5].opened_in for r in rows}))).all())
        refs = self.refs(r[2] for r in rows)
        out: dict[int, list[HandoverItem]] = defaultdict(list)
        for eid, pending, owner_id, due, priority, item in rows:
            out[eid].append(self._item(item, shifts, opened, refs, now, pending=pending, owner_id=owner_id, due=due,
                                       priority=priority))
        return out

    def _item(self, item: HandoverItemRow, shifts: dict[int, tuple[int, ...]], opened: dict[int, datetime],
              refs: dict[int, PersonRef], now: datetime, **state: Any) -> HandoverItem:
        due = state.get("due", item.due)
        owner_id = state.get("owner_id", item.owner_id)
        return HandoverItem(
            id=item.id, subject=item.subject, pending=state.get("pending", item.pending),
            owner=refs.get(owner_id) if owner_id else None, due=due, priority=state.get("priority", item.priority),
            link_kind=item.link_kind, link_ref=item.link_ref, opened_in=item.opened_in,
            opened_at=opened.get(item.opened_in, now), status=item_status(item.closed_at, item.due, now),
            shifts=shifts.get(item.id, ()), closed_at=item.closed_at, closed_by=item.closed_by, closed_in=item.closed_in,
            outcome=item.outcome, version=item.version,
        )

    def _shifts(self, item_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        wanted = list(set(item_ids))
        out: dict[int, list[int]] = defaultdict(list)
        for part in in_batches(wanted):
            stmt = (select(P.item_id, P.entry_id).join(E, E.id == P.entry_id).where(P.item_id.in_(part))
                    .order_by(E.written_at, E.id))
            for item_id, entry_id in self._s.execute(stmt):
                out[item_id].append(entry_id)
        return {k: tuple(v) for k, v in out.items()}

    def items(self, item_ids: Sequence[int], now: datetime) -> list[HandoverItem]:
        """Items in their latest state."""
        rows = list(self._s.scalars(select(I).where(I.id.in_(item_ids))))
        shifts = self._shifts(item_ids)
        opened = dict(self._s.execute(select(E.id, E.written_at).where(E.id.in_({r.opened_in for r in rows}))).all())
        refs = self.refs(r.owner_id for r in rows)
        by_id = {r.id: self._item(r, shifts, opened, refs, now) for r in rows}
        return [by_id[i] for i in item_ids if i in by_id]

    def item_ids_of(self, entry_id: int) -> list[int]:
        return list(self._s.scalars(select(P.item_id).where(P.entry_id == entry_id).order_by(P.position)))

    def item_state(self, item_id: int) -> ItemState | None:
        row = self._s.get(I, item_id)
        return ItemState(row.id, row.closed_at, row.owner_id) if row else None

    def passages(self, item_id: int) -> list[ItemPassage]:
        """Every entry an item passed through, oldest first."""
        item = self._s.get(I, item_id)
        if item is None:
            return []
        rows = self._s.execute(
            select(E.id, E.written_at, E.shift_code, TeamRow.name, E.acknowledged_by_id, P.pending, P.owner_id, P.due,
                   P.priority).join(P, P.entry_id == E.id).outerjoin(TeamRow, TeamRow.id == E.team_id)
            .where(P.item_id == item_id).order_by(E.written_at, E.id)
        ).all()
        authors = self._authors([r.id for r in rows])
        refs = self.refs([r.acknowledged_by_id for r in rows] + [r.owner_id for r in rows])
        return [
            ItemPassage(entry_id=r.id, written_at=r.written_at, shift=r.shift_code, team=r.name,
                        authors=authors.get(r.id, ()), acknowledged_by=refs.get(r.acknowledged_by_id) if r.acknowledged_by_id else None,
                        pending=r.pending, owner=refs.get(r.owner_id) if r.owner_id else None, due=r.due,
                        priority=r.priority, closed_here=item.closed_in == r.id)
            for r in rows
        ]

    def pending_ids(self, since: datetime, team_id: int | None, exclude_author: int | None) -> list[int]:
        """Unacknowledged entries written since ``since`` (of one team), not by ``exclude_author``."""
        cond: list[ColumnElement[bool]] = [E.acknowledged_at.is_(None), E.written_at >= since]
        if team_id is not None:
            cond.append(E.team_id == team_id)
        if exclude_author is not None:
            cond.append(~exists().where(A.entry_id == E.id, A.person_id == exclude_author))
        return list(self._s.scalars(select(E.id).where(*cond).order_by(E.written_at.desc(), E.id.desc())))

    def authors_of(self, entry_id: int) -> list[int]:
        return list(self._s.scalars(select(A.person_id).where(A.entry_id == entry_id).order_by(A.position)))

    def week_stats(self, start: datetime, end: datetime, team_id: int | None, by_team: bool) -> dict[str, int]:
        """Counts of the digest: entries, unacknowledged, items opened and closed, penalties in [start, end)."""
        team = (E.team_id == team_id) if by_team else true()
        written = and_(E.written_at >= start, E.written_at < end, team)
        count = lambda stmt: self._s.scalar(stmt) or 0
        return {
            "entries": count(select(func.count()).select_from(E).where(written)),
            "unacknowledged": count(select(func.count()).select_from(E).where(written, E.acknowledged_at.is_(None))),
            "opened": count(select(func.count()).select_from(I).join(E, E.id == I.opened_in).where(written)),
            "closed": count(select(func.count()).select_from(I).join(E, E.id == I.opened_in)
                            .where(I.closed_at >= start, I.closed_at < end, team)),
            "penalties": count(select(func.count()).select_from(HandoverPenaltyRow)
                               .join(E, E.id == HandoverPenaltyRow.entry_id).where(written)),
        }

    def open_item_ids(self, team_id: int | None, by_team: bool) -> list[int]:
        """Items not closed yet (of the team whose handover opened them)."""
        stmt = select(I.id).join(E, E.id == I.opened_in).where(I.closed_at.is_(None))
        if by_team:
            stmt = stmt.where(E.team_id == team_id)
        return list(self._s.scalars(stmt.order_by(I.id)))

    # --- penalties --------------------------------------------------------------------

    def add_penalty(self, entry_id: int, person_id: int, code: str, points: int, reason: str, by: str, at: datetime) -> None:
        self._s.add(HandoverPenaltyRow(entry_id=entry_id, person_id=person_id, code=code, points=points, reason=reason,
                                       recorded_by=by, at=at))
        self._s.flush()

    def penalties_of(self, entry_id: int) -> list[HandoverPenalty]:
        return self._penalties(HandoverPenaltyRow.entry_id == entry_id)

    def penalties_between(self, start: date, end: date) -> list[HandoverPenalty]:
        """Penalties for handovers written from ``start`` to ``end`` inclusive."""
        return self._penalties(and_(E.written_at >= datetime.combine(start, time.min),
                                    E.written_at < datetime.combine(end + timedelta(days=1), time.min)))

    def _penalties(self, cond: ColumnElement[bool]) -> list[HandoverPenalty]:
        T = HandoverPenaltyRow
        stmt = (select(T, PersonRow.employee_no, PersonRow.name, E.written_at).join(PersonRow, PersonRow.id == T.person_id)
                .join(E, E.id == T.entry_id).where(cond).order_by(E.written_at, T.id))
        return [HandoverPenalty(r.id, r.entry_id, PersonRef(no, name), r.code, r.points, r.reason, r.recorded_by, r.at,
                                written.date())
                for r, no, name, written in self._s.execute(stmt)]

    def month_locked(self, month: str) -> bool:
        """Whether ``YYYY-MM`` is signed off (attendance's month locks hold for every area)."""
        return self._s.get(MonthLockRow, month) is not None

    # --- drafts -----------------------------------------------------------------------

    def draft(self, username: str, kind: str) -> Draft | None:
        row = self._s.scalar(select(HandoverDraftRow).where(HandoverDraftRow.username == username,
                                                             HandoverDraftRow.kind == kind))
        return Draft(kind, json.loads(row.payload), row.saved_at) if row else None

    def save_draft(self, username: str, kind: str, payload: dict[str, Any], at: datetime) -> None:
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        row = self._s.scalar(select(HandoverDraftRow).where(HandoverDraftRow.username == username,
                                                             HandoverDraftRow.kind == kind))
        if row is None:
            self._s.add(HandoverDraftRow(username=username, kind=kind, payload=text, saved_at=at))
        else:
            row.payload, row.saved_at = text, at

    def delete_draft(self, username: str, kind: str) -> None:
        self._s.execute(delete(HandoverDraftRow).where(HandoverDraftRow.username == username,
                                                       HandoverDraftRow.kind == kind))

    # --- work records -----------------------------------------------------------------

    def save_work_record(self, *, person_id: int, day: date, shift: str, today_work: str, tomorrow_plan: str,
                         counts: WorkCounts, counts_from: str, notes: str, updated_at: datetime, updated_by: str) -> int:
        """Write or replace the work record of one person, day and shift; returns its id."""
        W = WorkRecordRow
        fields = {
            "today_work": today_work, "tomorrow_plan": tomorrow_plan, "calls_made": counts.calls_made,
            "complaints_taken": counts.complaints_taken, "callbacks_done": counts.callbacks_done,
            "counts_from": counts_from, "notes": notes, "updated_at": updated_at, "updated_by": updated_by,
        }
        row = self._s.scalar(select(W).where(W.person_id == person_id, W.day == day, W.shift_code == shift))
        if row is None:
            row = W(person_id=person_id, day=day, shift_code=shift, **fields)
            self._s.add(row)
        else:
            for key, value in fields.items():
                setattr(row, key, value)
        self._s.flush()
        return row.id

    def work_record_of(self, person_id: int, day: date, shift: str) -> WorkRecord | None:
        """The work record of one person, day and shift, if there is one."""
        return next((r for r in self.work_records(day, day, person_id=person_id) if r.shift == shift), None)

    def add_work_records(self, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), 20_000):
            self._s.execute(insert(WorkRecordRow), rows[i:i + 20_000])

    def work_records(self, start: date, end: date, team_id: int | None = None, person_id: int | None = None,
                     record_id: int | None = None) -> list[WorkRecord]:
        W = WorkRecordRow
        stmt = (select(W, PersonRow.employee_no, PersonRow.name, TeamRow.name).join(PersonRow, PersonRow.id == W.person_id)
                .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id))
        if record_id is not None:
            stmt = stmt.where(W.id == record_id)
        else:
            stmt = stmt.where(W.day >= start, W.day <= end)
        if team_id is not None:
            stmt = stmt.where(PersonRow.team_id == team_id)
        if person_id is not None:
            stmt = stmt.where(W.person_id == person_id)
        stmt = stmt.order_by(W.day.desc(), PersonRow.employee_no, W.shift_code)
        return [
            WorkRecord(r.id, PersonRef(no, name), team, r.day, r.shift_code, r.today_work, r.tomorrow_plan,
                       WorkCounts(r.calls_made, r.complaints_taken, r.callbacks_done), r.counts_from, r.notes,
                       r.updated_at, r.updated_by)
            for r, no, name, team in self._s.execute(stmt)
        ]
