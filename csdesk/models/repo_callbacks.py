"""Queries of the callbacks area: members, sales, contacts, callbacks, call log, home visits.

Reads return the immutable records of :mod:`csdesk.models.domain_callbacks` (never ORM rows)
made straight from the column tuples, so the day's agenda over a million-call history costs a
couple of index range scans. Single changes go through the explicit write methods below (a
call is closed, rescheduled, moved or cancelled; a contact progresses), so services never
name a column they set; bulk writes (imports, demo) take plain row dicts and go through Core
``insert`` with executemany.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, extract, func, or_, select, text, update
from sqlalchemy.orm import Session

from csdesk.models.base import in_batches
from csdesk.models.domain_callbacks import (
    AgentName,
    CallRecord,
    ContactRecord,
    MemberData,
    MemberRecord,
    SaleRecord,
)
from csdesk.models.tables import PersonRow
from csdesk.models.tables_callbacks import (
    CALL_CANCELLED,
    CALL_CLOSED,
    CALL_OPEN,
    CallbackRow,
    CallLogRow,
    ContactRow,
    HomeVisitRow,
    MemberRow,
    SaleRow,
)

__all__ = ["CALL_CANCELLED", "CALL_CLOSED", "CALL_OPEN", "CallbackRepository"]

_C, _M, _P = CallbackRow, MemberRow, PersonRow
_CALL_COLUMNS = (
    _C.id, _C.kind, _C.member_id, _M.name, _M.phone, _M.tier, _M.vip, _C.agent_id, _P.employee_no, _P.name,
    _C.window_start, _C.due, _C.status, _C.outcome, _C.result, _C.attempt, _C.retry_of, _C.root_id,
    _C.previous_id, _C.reschedules, _C.note, _C.sale_id, _C.contact_id, _C.notes, _C.closed_at, _C.version,
)
_MEMBER_COLUMNS = (
    _M.id, _M.name, _M.phone, _M.birthday, _M.vip, _M.tier, _M.agent_id, _P.employee_no, _P.name, _M.note, _M.created_at,
    _M.version,
)
_K = ContactRow
_CONTACT_COLUMNS = (
    _K.id, _K.member_id, _M.name, _M.phone, _K.kind, _K.received_at, _K.agent_id, _P.employee_no, _P.name,
    _K.severity, _K.status, _K.item, _K.text, _K.progress, _K.solved_at, _K.message_sent_at, _K.replied_at, _K.created_by,
    _K.version,
)


def _sqlite_converter(column_type: Any) -> Any:
    """How SQLAlchemy's SQLite types store a value (text dates must sort and compare as it writes them)."""
    if isinstance(column_type, DateTime):
        return lambda v: None if v is None else v.isoformat(" ", "microseconds")
    if isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else int(v)
    return None


def bulk_insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows at once.

    On SQLite the rows go straight to the driver's executemany, converted as
    SQLAlchemy's column types would store them: the Core insert spends more time
    binding parameters than SQLite spends writing (a sales import of 10,000 sales
    writes 40,000 calls). Other databases take the Core insert.
    """
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), list(rows))
        return
    columns = list(rows[0])
    converters = [_sqlite_converter(table.c[name].type) for name in columns]
    convert = [(i, f) for i, f in enumerate(converters) if f is not None]
    values = []
    for row in rows:
        cells = [row[name] for name in columns]
        for i, f in convert:
            cells[i] = f(cells[i])
        values.append(tuple(cells))
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.exec_driver_sql(sql, values)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time())
    return start, datetime.combine(date.fromordinal(day.toordinal() + 1), datetime.min.time())


class CallbackRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def prepare_bulk(self) -> None:
        """Before a bulk write on SQLite: a 64 MiB page cache for this connection (default 2 MiB),
        so index pages of a million-row table stay in memory while thousands of rows go in."""
        if self._s.connection().dialect.name == "sqlite":
            self._s.execute(text("PRAGMA cache_size=-65536"))

    # --- members ------------------------------------------------------------------------

    def _members(self) -> Any:
        return select(*_MEMBER_COLUMNS).outerjoin(_P, _P.id == _M.agent_id)

    def member(self, member_id: int) -> MemberRecord | None:
        row = self._s.execute(self._members().where(_M.id == member_id)).first()
        return MemberRecord._make(row) if row else None

    def member_ids_by_key(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Existing members by (name, phone), looked up by phone in chunks."""
        wanted = set(keys)
        phones = sorted({phone for _name, phone in wanted})
        found: dict[tuple[str, str], int] = {}
        for part in in_batches(phones):
            for id_, name, phone in self._s.execute(select(_M.id, _M.name, _M.phone).where(_M.phone.in_(part))):
                if (name, phone) in wanted:
                    found[(name, phone)] = id_
        return found

    def last_member_id(self) -> int:
        """The highest member id so far (0: none); members added later have higher ones."""
        return self._s.scalar(select(func.max(_M.id))) or 0

    def last_sale_id(self) -> int:
        """The highest sale id so far (0: none)."""
        return self._s.scalar(select(func.max(SaleRow.id))) or 0

    def member_ids_after(self, last_id: int) -> dict[tuple[str, str], int]:
        """Members added after ``last_id`` (a bulk insert's new rows), by (name, phone)."""
        return {(n, p): i for i, n, p in self._s.execute(select(_M.id, _M.name, _M.phone).where(_M.id > last_id))}

    def sale_ids_after(self, last_id: int) -> dict[tuple[int, date], int]:
        stmt = select(SaleRow.id, SaleRow.member_id, SaleRow.sale_date).where(SaleRow.id > last_id)
        return {(m, d): i for i, m, d in self._s.execute(stmt)}

    def members_by_ids(self, ids: Iterable[int]) -> dict[int, MemberRecord]:
        out: dict[int, MemberRecord] = {}
        for part in in_batches(sorted(set(ids))):
            for row in self._s.execute(self._members().where(_M.id.in_(part))):
                rec = MemberRecord._make(row)
                out[rec.id] = rec
        return out

    def search_members(self, text: str, agent_id: int | None = None, limit: int = 200) -> list[MemberRecord]:
        stmt = self._members()
        if text:
            like = f"%{text}%"
            stmt = stmt.where(or_(_M.name.like(like), _M.phone.like(like)))
        if agent_id is not None:
            stmt = stmt.where(_M.agent_id == agent_id)
        return [MemberRecord._make(r) for r in self._s.execute(stmt.order_by(_M.name, _M.id).limit(limit))]

    def count_members(self) -> int:
        return self._s.scalar(select(func.count()).select_from(_M)) or 0

    @staticmethod
    def _member_values(data: MemberData) -> dict[str, Any]:
        return {
            "name": data.name, "phone": data.phone, "birthday": data.birthday, "vip": data.vip, "tier": data.tier,
            "agent_id": data.agent_id, "note": data.note,
        }  # fmt: skip

    def add_member(self, data: MemberData, created_at: datetime) -> int:
        """A new member; returns its id."""
        row = MemberRow(**self._member_values(data), created_at=created_at)
        self._s.add(row)
        self._s.flush()
        return row.id

    def add_members(self, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self._s, MemberRow.__table__, rows)

    def update_member(self, member_id: int, data: MemberData) -> None:
        """Store the member's own fields as ``data`` gives them."""
        self._s.execute(update(MemberRow).where(MemberRow.id == member_id).values(**self._member_values(data)))

    def birthdays_in_month(self, month: int) -> list[MemberRecord]:
        stmt = self._members().where(_M.birthday.is_not(None), extract("month", _M.birthday) == month)
        return [MemberRecord._make(r) for r in self._s.execute(stmt)]

    # --- sales --------------------------------------------------------------------------

    def sales_by_key(self, keys: Iterable[tuple[int, date]]) -> dict[tuple[int, date], SaleRecord]:
        wanted = set(keys)
        members = sorted({m for m, _d in wanted})
        out: dict[tuple[int, date], SaleRecord] = {}
        cols = (SaleRow.id, SaleRow.member_id, SaleRow.sale_date, SaleRow.card_received, SaleRow.first_class, SaleRow.agent_id)
        for part in in_batches(members):
            for row in self._s.execute(select(*cols).where(SaleRow.member_id.in_(part))):
                rec = SaleRecord._make(row)
                if (rec.member_id, rec.sale_date) in wanted:
                    out[(rec.member_id, rec.sale_date)] = rec
        return out

    def add_sales(self, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self._s, SaleRow.__table__, rows)

    def set_sale_dates(self, sale_id: int, card_received: date | None, first_class: date | None) -> None:
        """The sale's service-card and first-class dates (they plan its calls 2 to 4)."""
        self._s.execute(update(SaleRow).where(SaleRow.id == sale_id).values(card_received=card_received, first_class=first_class))

    def sale_calls(self, sales: Iterable[tuple[int, int]]) -> dict[int, list[CallRecord]]:
        """The planned calls (first attempts) of each (sale id, member id), found by member."""
        wanted = dict(sales)
        out: dict[int, list[CallRecord]] = {}
        for part in in_batches(sorted(set(wanted.values()))):
            for row in self._s.execute(self._calls().where(_C.member_id.in_(part), _C.root_id.is_(None))):
                rec = CallRecord._make(row)
                if rec.sale_id in wanted:
                    out.setdefault(rec.sale_id, []).append(rec)
        return out

    # --- callbacks ----------------------------------------------------------------------

    def _calls(self) -> Any:
        return select(*_CALL_COLUMNS).join(_M, _M.id == _C.member_id).outerjoin(_P, _P.id == _C.agent_id)

    def add_calls(self, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self._s, CallbackRow.__table__, rows)

    def add_call(self, row: Mapping[str, Any]) -> int:
        """One new call, a row as for :meth:`add_calls` (``callback_base.call_row``); returns its id."""
        call = CallbackRow(**row)
        self._s.add(call)
        self._s.flush()
        return call.id

    def call(self, call_id: int) -> CallRecord | None:
        row = self._s.execute(self._calls().where(_C.id == call_id)).first()
        return CallRecord._make(row) if row else None

    def calls(self, ids: Iterable[int]) -> list[CallRecord]:
        out: list[CallRecord] = []
        for part in in_batches(sorted(set(ids))):
            out += [CallRecord._make(r) for r in self._s.execute(self._calls().where(_C.id.in_(part)))]
        return out

    def _set_call(self, call_id: int, **values: Any) -> None:
        self._s.execute(update(CallbackRow).where(CallbackRow.id == call_id).values(**values))

    def close_call(self, call_id: int, *, outcome: str, result: str, at: datetime, notes: str | None = None) -> None:
        """The attempt ended the call (reached, no answer, wrong number, refused); ``notes`` None
        leaves the call's notes as they are."""
        values: dict[str, Any] = {"status": CALL_CLOSED, "outcome": outcome, "result": result, "closed_at": at}
        if notes is not None:
            values["notes"] = notes
        self._set_call(call_id, **values)

    def reschedule_call(
        self, call_id: int, *, window_start: datetime, due: datetime, reschedules: int, outcome: str, notes: str
    ) -> None:
        """A busy customer agreed a new time: the call stays open in its new window."""
        self._set_call(call_id, window_start=window_start, due=due, reschedules=reschedules, outcome=outcome, notes=notes)

    def move_call(self, call_id: int, *, window_start: datetime, due: datetime, note: str) -> None:
        """A call nobody has tried yet follows its sale's new dates (re-planned)."""
        self._set_call(call_id, window_start=window_start, due=due, note=note)

    def cancel_call(self, call_id: int, at: datetime) -> None:
        """The call is no longer needed (a review answered in time)."""
        self._set_call(call_id, status=CALL_CANCELLED, result="CANCELLED", closed_at=at)

    def set_agent(self, call_ids: Sequence[int], agent_id: int) -> None:
        for part in in_batches(list(call_ids)):
            self._s.execute(update(CallbackRow).where(CallbackRow.id.in_(part)).values(agent_id=agent_id))

    def agenda(self, start: datetime, end: datetime, agent_id: int | None = None) -> list[CallRecord]:
        """Open calls whose window opened by ``end`` (overdue included) and calls closed in [start, end].

        The open part ranges over ix_callbacks_status_agent_window, the closed
        part over ix_callbacks_closed_at: neither touches the closed history.
        """
        open_stmt = self._calls().where(_C.status == CALL_OPEN, _C.window_start <= end)
        done_stmt = self._calls().where(_C.closed_at >= start, _C.closed_at <= end, _C.status == CALL_CLOSED)
        if agent_id is not None:
            open_stmt = open_stmt.where(_C.agent_id == agent_id)
            done_stmt = done_stmt.where(_C.agent_id == agent_id)
        rows = list(self._s.execute(open_stmt)) + list(self._s.execute(done_stmt))
        return [CallRecord._make(r) for r in rows]

    def closed_calls(
        self, agent_ids: Sequence[int], start: datetime, end: datetime, outcomes: Collection[str]
    ) -> list[CallRecord]:
        """The calls of ``agent_ids`` closed in [start, end) with one of ``outcomes`` (over
        ix_callbacks_closed_at: a week of calls, not each agent's history)."""
        stmt = self._calls().where(
            _C.closed_at >= start, _C.closed_at < end, _C.status == CALL_CLOSED, _C.outcome.in_(list(outcomes))
        )
        rows = [r for part in in_batches(agent_ids) for r in self._s.execute(stmt.where(_C.agent_id.in_(part)))]
        return [CallRecord._make(r) for r in rows]

    def open_load(self, end: datetime, agent_id: int | None = None) -> dict[int, int]:
        """Open calls on each agent's agenda by ``end``: the current load (rules.md §9)."""
        stmt = select(_C.agent_id, func.count()).where(_C.status == CALL_OPEN, _C.window_start <= end)
        stmt = stmt.where(_C.agent_id.is_not(None) if agent_id is None else _C.agent_id == agent_id)
        return {agent: n for agent, n in self._s.execute(stmt.group_by(_C.agent_id)) if agent is not None}

    def people_names(self, ids: Iterable[int]) -> list[AgentName]:
        """The given people, by employee number."""
        stmt = select(_P.id, _P.employee_no, _P.name).where(_P.id.in_(list(ids))).order_by(_P.employee_no)
        return [AgentName(i, no, name) for i, no, name in self._s.execute(stmt)]

    def member_calls(self, member_id: int) -> list[CallRecord]:
        return [CallRecord._make(r) for r in self._s.execute(self._calls().where(_C.member_id == member_id).order_by(_C.due, _C.id))]

    def open_calls_of_contact(self, member_id: int, contact_id: int, note: str | None = None) -> list[CallRecord]:
        stmt = self._calls().where(_C.member_id == member_id, _C.contact_id == contact_id, _C.status == CALL_OPEN)
        if note is not None:
            stmt = stmt.where(_C.note == note)
        return [CallRecord._make(r) for r in self._s.execute(stmt)]

    def birthday_members_planned(self, start: datetime, end: datetime) -> set[int]:
        stmt = select(_C.member_id).where(_C.kind == "BIRTHDAY", _C.due >= start, _C.due <= end)
        return set(self._s.scalars(stmt))

    def promised_in(self, start: datetime, end: datetime) -> list[CallRecord]:
        """First attempts (not retries) due in [start, end]: the promises of a month."""
        stmt = self._calls().where(_C.due >= start, _C.due <= end, _C.root_id.is_(None), _C.status != CALL_CANCELLED)
        return [CallRecord._make(r) for r in self._s.execute(stmt)]

    def retries_since(self, start: datetime) -> list[CallRecord]:
        """Retries due from ``start`` on: a retry is never due before the call it retries."""
        stmt = self._calls().where(_C.due >= start, _C.root_id.is_not(None))
        return [CallRecord._make(r) for r in self._s.execute(stmt)]

    # --- call log and home visits -------------------------------------------------------

    def log_call(
        self, *, agent_id: int, member_id: int, callback_id: int | None, at: datetime, direction: str, outcome: str | None,
        notes: str,
    ) -> None:  # fmt: skip
        """One call made or taken (outgoing attempts count towards the quota)."""
        self._s.add(CallLogRow(agent_id=agent_id, member_id=member_id, callback_id=callback_id, at=at, direction=direction,
                               outcome=outcome, notes=notes))

    def add_log_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self._s, CallLogRow.__table__, rows)

    def calls_made(self, start: datetime, end: datetime, agent_id: int | None = None) -> dict[int, list[tuple[str, str | None]]]:
        """(direction, outcome) of every logged call in [start, end], per agent."""
        stmt = select(CallLogRow.agent_id, CallLogRow.direction, CallLogRow.outcome).where(
            CallLogRow.at >= start, CallLogRow.at <= end
        )
        if agent_id is not None:
            stmt = stmt.where(CallLogRow.agent_id == agent_id)
        out: dict[int, list[tuple[str, str | None]]] = {}
        for agent, direction, outcome in self._s.execute(stmt):
            out.setdefault(agent, []).append((direction, outcome))
        return out

    def home_visit_agents(self, day: date) -> set[int]:
        return set(self._s.scalars(select(HomeVisitRow.agent_id).where(HomeVisitRow.day == day)))

    def set_home_visit(self, agent_id: int, day: date, on: bool, note: str = "") -> bool:
        """Mark or unmark the day; returns whether anything changed."""
        row = self._s.scalar(select(HomeVisitRow).where(HomeVisitRow.agent_id == agent_id, HomeVisitRow.day == day))
        if on and row is None:
            self._s.add(HomeVisitRow(agent_id=agent_id, day=day, note=note))
            return True
        if not on and row is not None:
            self._s.delete(row)
            return True
        return False

    def add_home_visits(self, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self._s, HomeVisitRow.__table__, rows)

    # --- contacts -----------------------------------------------------------------------

    def _contacts(self) -> Any:
        return select(*_CONTACT_COLUMNS).join(_M, _M.id == _K.member_id).outerjoin(_P, _P.id == _K.agent_id)

    def add_contact(
        self, *, member_id: int, kind: str, received_at: datetime, agent_id: int | None, severity: int, status: str,
        item: str, text: str, progress: str, created_by: str, solved_at: datetime | None = None,
    ) -> int:  # fmt: skip
        """A new contact; returns its id."""
        row = ContactRow(
            member_id=member_id, kind=kind, received_at=received_at, agent_id=agent_id, severity=severity, status=status,
            item=item, text=text, progress=progress, solved_at=solved_at, created_by=created_by,
        )  # fmt: skip
        self._s.add(row)
        self._s.flush()
        return row.id

    def contact(self, contact_id: int) -> ContactRecord | None:
        row = self._s.execute(self._contacts().where(_K.id == contact_id)).first()
        return ContactRecord._make(row) if row else None

    def update_contact(
        self, contact_id: int, *, status: str, progress: str, replied_at: datetime | None, solved_at: datetime | None
    ) -> None:
        """The contact's status and progress, when the customer replied, when it was solved."""
        self._s.execute(
            update(ContactRow).where(ContactRow.id == contact_id)
            .values(status=status, progress=progress, replied_at=replied_at, solved_at=solved_at)
        )  # fmt: skip

    def mark_message_sent(self, contact_id: int, at: datetime) -> None:
        """The review message went out (the phone call it may need is planned from then)."""
        self._s.execute(update(ContactRow).where(ContactRow.id == contact_id).values(message_sent_at=at))

    def contacts(
        self, start: datetime | None = None, end: datetime | None = None, open_only: bool = False,
        agent_id: int | None = None, kinds: Sequence[str] | None = None, limit: int = 2000,
    ) -> list[ContactRecord]:
        stmt = self._contacts()
        if start is not None:
            stmt = stmt.where(_K.received_at >= start)
        if end is not None:
            stmt = stmt.where(_K.received_at <= end)
        if open_only:
            stmt = stmt.where(_K.status != "SOLVED")
        if agent_id is not None:
            stmt = stmt.where(_K.agent_id == agent_id)
        if kinds:
            stmt = stmt.where(_K.kind.in_(list(kinds)))
        return [ContactRecord._make(r) for r in self._s.execute(stmt.order_by(_K.received_at.desc()).limit(limit))]

    def received_contacts(self, agent_ids: Sequence[int], start: datetime, end: datetime) -> list[ContactRecord]:
        """The contacts ``agent_ids`` received in [start, end)."""
        stmt = self._contacts().where(_K.received_at >= start, _K.received_at < end)
        rows = [r for part in in_batches(agent_ids) for r in self._s.execute(stmt.where(_K.agent_id.in_(part)))]
        return [ContactRecord._make(r) for r in rows]

    def contact_tally(self, start: datetime, end: datetime) -> dict[str, int]:
        stmt = select(_K.kind, func.count()).where(_K.received_at >= start, _K.received_at <= end).group_by(_K.kind)
        return {kind: n for kind, n in self._s.execute(stmt)}

    def day_counts(self, person_id: int, day: date) -> dict[str, int]:
        """What an agent did on ``day``: outgoing calls, complaints taken, callbacks closed (work record)."""
        return day_counts(self._s, person_id, day)


def day_counts(session: Session, person_id: int, day: date) -> dict[str, int]:
    """What an agent did on ``day``: outgoing calls, complaints taken, callbacks closed (work record)."""
    start, end = _day_bounds(day)
    calls = session.scalar(
        select(func.count()).select_from(CallLogRow).where(
            CallLogRow.agent_id == person_id, CallLogRow.direction == "outgoing", CallLogRow.at >= start, CallLogRow.at < end
        )
    )
    complaints = session.scalar(
        select(func.count()).select_from(ContactRow).where(
            ContactRow.agent_id == person_id, ContactRow.kind == "COMPLAINT", ContactRow.received_at >= start, ContactRow.received_at < end
        )
    )
    done = session.scalar(
        select(func.count()).select_from(CallbackRow).where(
            CallbackRow.agent_id == person_id, CallbackRow.closed_at >= start, CallbackRow.closed_at < end
        )
    )
    return {"calls_made": calls or 0, "complaints_taken": complaints or 0, "callbacks_done": done or 0}
