"""The scorecards repository: ratings, exams, events, corrections, KPI inputs, standings, locks.

Reads load whole months for many agents in one query each (the month's recompute for 2,000
agents must stay well under a second); rows become the frozen records of
:mod:`csdesk.models.domain_scorecards`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from csdesk.models.base import IN_LIST_LIMIT
from csdesk.models.domain_scorecards import (
    AgentRecord,
    Entered,
    EventCorrection,
    EventRecord,
    MonthLock,
    StoredStanding,
)
from csdesk.models.repo_months import MonthRepository
from csdesk.models.repositories import LevelChangeRepository
from csdesk.models.tables import PersonRow, TeamRow
from csdesk.models.tables_scorecards import (
    AdjustmentRow,
    EvaluationEventRow,
    EventCorrectionRow,
    ExamRow,
    KpiInputRow,
    RatingRow,
    StandingRow,
)
from csdesk.records import maker

AGENT_ROLE = "agent"
Key = tuple[int, str]  # (person_id, "YYYY-MM")


# Rows per fetch in the month's bulk reads. SQLAlchemy turns a whole result into rows in compiled
# code that keeps the GIL: 90,000 ratings held the GUI thread for 150 ms while the scorecards page
# loaded a month in the background. Between chunks the GIL can change hands.
_CHUNK = 2000


def _stream(session: Session, stmt: Any) -> Iterator[Any]:
    """The rows of ``stmt``, fetched ``_CHUNK`` at a time."""
    for part in session.execute(stmt.execution_options(yield_per=_CHUNK)).partitions():
        yield from part


def _text(value: Decimal) -> str:
    return str(value)


def _marks(values: Sequence[object]) -> str:
    """The ``?`` placeholders of an ``IN (...)`` list for the driver."""
    return ", ".join("?" * len(values))


def _event_of(
    event_id: int, person_id: int, day: date, code: str, points: int, source: str, note: str | None, by: str, at: datetime,
    voided: object, revision: int | None, version: int | None,
) -> EventRecord:  # fmt: skip
    """A stored event's record from its columns, in the table's order (what a NULL stands for filled in)."""
    return maker(EventRecord)(
        event_id, person_id, day, code, points, source, note or "", by, at, bool(voided), revision or 0, version=version or 1
    )


def _event(row: Any) -> EventRecord:
    return _event_of(
        row.id, row.person_id, row.day, row.code, row.points, row.source, row.note, row.recorded_by, row.recorded_at,
        row.voided, row.revision, row.version,
    )  # fmt: skip


class ScorecardRepository:
    """Queries and writes of the scorecards area over one session (the caller's unit of work)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def _whole_department_on_sqlite(self, person_ids: Collection[int] | None) -> bool:
        """Whether a bulk read goes straight to the driver: the whole department on SQLite, where
        SQLAlchemy's row processing takes longer than SQLite takes to read the rows (a month's
        ~10,000 ratings, a year's ~20,000 standings; as AttendanceRepository reads the punches)."""
        return person_ids is None and self._s.get_bind().dialect.name == "sqlite"

    def _driver_rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """Rows straight from the DBAPI cursor, in this session's transaction."""
        if self._s.autoflush:
            self._s.flush()  # as session.execute() would: changes not yet flushed are read too
        cursor = self._s.connection().connection.cursor()
        try:
            return cursor.execute(sql, tuple(params)).fetchall()
        finally:
            cursor.close()

    # --- agents -------------------------------------------------------------------------

    def agents(
        self, team: str | None = None, employee_no: str | None = None, include_inactive: bool = False
    ) -> list[AgentRecord]:
        stmt = (
            select(
                PersonRow.id, PersonRow.employee_no, PersonRow.name, TeamRow.name,
                PersonRow.level, PersonRow.join_date, PersonRow.active,
            )
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(PersonRow.role == AGENT_ROLE)
        )  # fmt: skip
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if employee_no:
            stmt = stmt.where(PersonRow.employee_no == employee_no)
        if not include_inactive:
            stmt = stmt.where(PersonRow.active.is_(True))
        if self._whole_department_on_sqlite(None) and not team and not employee_no and not include_inactive:
            found = self._driver_rows(  # the month's 2,000 agents: 3 times faster through the driver
                "SELECT p.id, p.employee_no, p.name, t.name, p.level, p.join_date, p.active FROM people p"
                " LEFT OUTER JOIN teams t ON t.id = p.team_id WHERE p.role = ? AND p.active = 1 ORDER BY p.employee_no",
                (AGENT_ROLE,),
            )
            agent, day = maker(AgentRecord), date.fromisoformat
            return [agent(pid, no, name, team_name, level, day(joined) if joined else None, bool(active))
                    for pid, no, name, team_name, level, joined, active in found]  # fmt: skip
        rows = self._s.execute(stmt.order_by(PersonRow.employee_no))
        return [AgentRecord(*row) for row in rows]

    def person_id(self, employee_no: str) -> int | None:
        return self._s.scalar(select(PersonRow.id).where(PersonRow.employee_no == employee_no))

    # --- ratings, adjustments, exams -----------------------------------------------------

    def ratings(self, months: Sequence[str], person_ids: Collection[int] | None = None) -> dict[Key, dict[str, Entered]]:
        out: dict[Key, dict[str, Entered]] = {}
        if self._whole_department_on_sqlite(person_ids):
            columns = "person_id, month, criterion, value, updated_by, updated_at"
            sql = f"SELECT {columns} FROM ratings WHERE month IN ({_marks(months)})"
            parse = datetime.fromisoformat  # what SQLAlchemy's SQLite DateTime makes of the stored text
            entered = maker(Entered)  # a month's 8,000 made without __init__
            for pid, month, criterion, value, by, at in self._driver_rows(sql, months):
                out.setdefault((pid, month), {})[criterion] = entered(Decimal(value), by, parse(at))
            return out
        stmt = select(
            RatingRow.person_id, RatingRow.month, RatingRow.criterion, RatingRow.value,
            RatingRow.updated_by, RatingRow.updated_at,
        ).where(RatingRow.month.in_(list(months)))  # fmt: skip
        if person_ids is not None:
            stmt = stmt.where(RatingRow.person_id.in_(list(person_ids)))
        for pid, month, criterion, value, by, at in _stream(self._s, stmt):
            out.setdefault((pid, month), {})[criterion] = Entered(Decimal(value), by, at)
        return out

    def set_rating(self, person_id: int, month: str, criterion: str, value: Decimal | None, by: str, at: datetime) -> Decimal | None:
        """Store (or clear, with None) one criterion; returns the value it had before."""
        row = self._s.scalar(
            select(RatingRow).where(RatingRow.person_id == person_id, RatingRow.month == month, RatingRow.criterion == criterion)
        )
        before = Decimal(row.value) if row else None
        if value is None:
            if row is not None:
                self._s.delete(row)
        elif row is None:
            self._s.add(RatingRow(person_id=person_id, month=month, criterion=criterion, value=_text(value), updated_at=at, updated_by=by))
        else:
            row.value, row.updated_at, row.updated_by = _text(value), at, by
        return before

    def adjustments(self, months: Sequence[str], person_ids: Collection[int] | None = None) -> dict[Key, Entered]:
        t = AdjustmentRow
        stmt = select(t.person_id, t.month, t.points, t.updated_by, t.updated_at, t.reason).where(t.month.in_(list(months)))
        if person_ids is not None:
            stmt = stmt.where(t.person_id.in_(list(person_ids)))
        return {(pid, month): Entered(Decimal(points), by, at, reason or "") for pid, month, points, by, at, reason in _stream(self._s, stmt)}

    def set_adjustment(
        self, person_id: int, month: str, value: Decimal | None, reason: str, by: str, at: datetime
    ) -> tuple[Decimal, str] | None:
        """Store (or clear) the adjustment and its reason; returns (value, reason) before."""
        row = self._s.scalar(select(AdjustmentRow).where(AdjustmentRow.person_id == person_id, AdjustmentRow.month == month))
        before = (Decimal(row.points), row.reason or "") if row else None
        if value is None:
            if row is not None:
                self._s.delete(row)
        elif row is None:
            self._s.add(AdjustmentRow(person_id=person_id, month=month, points=_text(value), reason=reason, updated_at=at, updated_by=by))
        else:
            row.points, row.reason, row.updated_at, row.updated_by = _text(value), reason, at, by
        return before

    def exams(self, months: Sequence[str], person_ids: Collection[int] | None = None) -> dict[Key, Entered]:
        stmt = select(ExamRow.person_id, ExamRow.month, ExamRow.score, ExamRow.updated_by, ExamRow.updated_at).where(
            ExamRow.month.in_(list(months))
        )
        if person_ids is not None:
            stmt = stmt.where(ExamRow.person_id.in_(list(person_ids)))
        return {(pid, month): Entered(Decimal(score), by, at) for pid, month, score, by, at in _stream(self._s, stmt)}

    def set_exam(self, person_id: int, month: str, value: Decimal | None, by: str, at: datetime) -> Decimal | None:
        row = self._s.scalar(select(ExamRow).where(ExamRow.person_id == person_id, ExamRow.month == month))
        before = Decimal(row.score) if row else None
        if value is None:
            if row is not None:
                self._s.delete(row)
        elif row is None:
            self._s.add(ExamRow(person_id=person_id, month=month, score=_text(value), updated_at=at, updated_by=by))
        else:
            row.score, row.updated_at, row.updated_by = _text(value), at, by
        return before

    # --- events and their corrections -----------------------------------------------------

    def events(
        self, start: date, end: date, person_ids: Collection[int] | None = None, include_voided: bool = False
    ) -> list[EventRecord]:
        """Events dated ``start``…``end`` (inclusive), oldest first."""
        if self._whole_department_on_sqlite(person_ids):  # a month's ~2,000 events: 3 times faster so
            columns = "id, person_id, day, code, points, source, note, recorded_by, recorded_at, voided, revision, version"
            voided = "" if include_voided else " AND voided = 0"
            sql = f"SELECT {columns} FROM evaluation_events WHERE day >= ? AND day <= ?{voided} ORDER BY day, id"
            day, moment = date.fromisoformat, datetime.fromisoformat
            return [
                _event_of(i, pid, day(d), code, points, source, note, by, moment(at), void, revision, version)
                for i, pid, d, code, points, source, note, by, at, void, revision, version
                in self._driver_rows(sql, (start.isoformat(), end.isoformat()))
            ]  # fmt: skip
        table = EvaluationEventRow.__table__
        stmt = select(table).where(table.c.day >= start, table.c.day <= end)
        if person_ids is not None:
            stmt = stmt.where(table.c.person_id.in_(list(person_ids)))
        if not include_voided:
            stmt = stmt.where(table.c.voided.is_(False))
        return [_event(r) for r in _stream(self._s, stmt.order_by(table.c.day, table.c.id))]

    def event(self, event_id: int) -> EventRecord | None:
        row = self._s.get(EvaluationEventRow, event_id)
        return _event(row) if row else None

    def add_event(
        self, person_id: int, day: date, code: str, points: int, source: str, note: str, by: str, at: datetime
    ) -> int:
        row = EvaluationEventRow(
            person_id=person_id, day=day, code=code, points=points, source=source, note=note,
            recorded_by=by, recorded_at=at, voided=False, revision=0,
        )  # fmt: skip
        self._s.add(row)
        self._s.flush()
        return row.id

    def add_events(self, rows: Iterable[dict[str, Any]]) -> None:
        """Bulk insert (demo, imports); each dict holds the EvaluationEventRow columns."""
        values = [{"voided": False, "revision": 0, "note": "", **r} for r in rows]
        if values:
            self._s.execute(insert(EvaluationEventRow), values)

    def change_event(
        self, event_id: int, *, by: str, at: datetime, action: str, reason: str, **changes: Any
    ) -> tuple[EventRecord, EventRecord]:
        """Apply ``changes`` (day, code, points, note, voided) and append the corrections trail entry."""
        row = self._s.get(EvaluationEventRow, event_id)
        assert row is not None
        before = _event(row)
        for key, value in changes.items():
            setattr(row, key, value)
        row.revision = (row.revision or 0) + 1
        self._s.flush()
        after = _event(row)
        self._s.add(
            EventCorrectionRow(
                event_id=event_id, at=at, by=by, action=action, reason=reason,
                before=json.dumps(_trail(before), ensure_ascii=False, sort_keys=True),
                after=json.dumps(_trail(after), ensure_ascii=False, sort_keys=True),
            )
        )  # fmt: skip
        return before, after

    def corrections(self, event_ids: Collection[int]) -> list[EventCorrection]:
        stmt = (
            select(EventCorrectionRow)
            .where(EventCorrectionRow.event_id.in_(list(event_ids)))
            .order_by(EventCorrectionRow.event_id, EventCorrectionRow.id)
        )
        return [
            EventCorrection(r.id, r.event_id, r.at, r.by, r.action, r.reason, json.loads(r.before), json.loads(r.after))
            for r in self._s.scalars(stmt)
        ]

    # --- KPI inputs ----------------------------------------------------------------------------

    def kpi_inputs(self, months: Sequence[str], person_ids: Collection[int] | None = None) -> dict[Key, dict[tuple[str, str], Decimal]]:
        stmt = select(KpiInputRow.person_id, KpiInputRow.month, KpiInputRow.kind, KpiInputRow.name, KpiInputRow.value).where(
            KpiInputRow.month.in_(list(months))
        )
        # A department's people are kept out of the query: their IN list cost more than the rows it leaves out.
        wanted = None if person_ids is None or len(person_ids) >= IN_LIST_LIMIT else list(person_ids)
        if wanted is not None:
            stmt = stmt.where(KpiInputRow.person_id.in_(wanted))
        # In the order of the unique index, whichever rows are asked for: a card's KPI names keep their order.
        stmt = stmt.order_by(KpiInputRow.person_id, KpiInputRow.month, KpiInputRow.kind, KpiInputRow.name)
        kept = None if person_ids is None or wanted is not None else set(person_ids)
        out: dict[Key, dict[tuple[str, str], Decimal]] = {}
        for pid, month, kind, name, value in _stream(self._s, stmt):
            if kept is None or pid in kept:
                out.setdefault((pid, month), {})[(kind, name)] = Decimal(value)
        return out

    def set_kpi_input(self, person_id: int, month: str, kind: str, name: str, value: Decimal | None) -> None:
        row = self._s.scalar(
            select(KpiInputRow).where(
                KpiInputRow.person_id == person_id, KpiInputRow.month == month, KpiInputRow.kind == kind, KpiInputRow.name == name
            )
        )
        if value is None:
            if row is not None:
                self._s.delete(row)
        elif row is None:
            self._s.add(KpiInputRow(person_id=person_id, month=month, kind=kind, name=name, value=_text(value)))
        else:
            row.value = _text(value)

    # --- standings of signed-off months ----------------------------------------------------------

    def standings(self, months: Sequence[str], person_ids: Collection[int] | None = None) -> dict[Key, StoredStanding]:
        t = StandingRow
        rows: Iterable[Any]
        if self._whole_department_on_sqlite(person_ids):
            columns = "person_id, month, total, grade, rank, last_place, complete, excellent"
            sql = f"SELECT {columns} FROM scorecard_standings WHERE month IN ({_marks(months)})"
            rows = self._driver_rows(sql, months)
        else:
            stmt = select(
                t.person_id, t.month, t.total, t.grade, t.rank, t.last_place, t.complete, t.excellent
            ).where(t.month.in_(list(months)))
            if person_ids is not None:
                stmt = stmt.where(t.person_id.in_(list(person_ids)))
            rows = _stream(self._s, stmt)
        # SQLite keeps the booleans as 0/1: bool() reads them as SQLAlchemy's Boolean would. A year
        # of 2,000 agents is 24,000 standings, made without __init__.
        standing = maker(StoredStanding)
        return {
            (pid, month): standing(pid, month, Decimal(total), grade, rank, bool(last), bool(complete), bool(excellent))
            for pid, month, total, grade, rank, last, complete, excellent in rows
        }

    def level_starts(self, until: date, person_ids: Collection[int] | None = None) -> dict[int, date]:
        """When the agents' current levels started as of ``until`` (rules.md §8; see LevelChangeRepository)."""
        return LevelChangeRepository(self._s).current_starts(until, person_ids)

    def replace_standings(self, month: str, standings: Iterable[StoredStanding]) -> None:
        self.delete_standings(month)
        rows = [
            {
                "person_id": s.person_id, "month": month, "total": _text(s.total), "grade": s.grade, "rank": s.rank,
                "last_place": s.last_place, "complete": s.complete, "excellent": s.excellent,
            }
            for s in standings
        ]  # fmt: skip
        if rows:
            self._s.execute(insert(StandingRow), rows)

    def delete_standings(self, month: str) -> None:
        self._s.execute(delete(StandingRow).where(StandingRow.month == month))

    # --- bulk loading (demo, benchmarks) ---------------------------------------------------

    def insert_many(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert plain rows into ``ratings``, ``adjustments``, ``exams`` or ``kpi`` at once."""
        table: type[Any] = {"ratings": RatingRow, "adjustments": AdjustmentRow, "exams": ExamRow, "kpi": KpiInputRow}[kind]
        if rows:
            self._s.execute(insert(table), list(rows))

    # --- month locks (kept by MonthRepository; both areas honour them) ---------------------------

    def locks(self) -> list[MonthLock]:
        return MonthRepository(self._s).locks()

    # --- claims (csdesk.models.versioning) ----------------------------------------------------

    def claim_people(self, person_ids: Collection[int]) -> None:
        """Claim many people's scorecard values until the commit (an import), as a form's edit
        claims one person (``uow.claim("person", id)``): an edit waits for the import and then
        reads what it wrote. PostgreSQL locks the ``people`` rows in id order (two imports never
        wait for each other in a circle) with ``FOR NO KEY UPDATE``, which a form's claim waits
        for but rows of other areas that merely reference a person do not; SQLite takes its one
        write lock."""
        from csdesk.models.versioning import claim_database

        if self._s.get_bind().dialect.name != "postgresql":
            claim_database(self._s)
            return
        ids = sorted(set(person_ids))
        for i in range(0, len(ids), 1000):
            stmt = select(PersonRow.id).where(PersonRow.id.in_(ids[i : i + 1000])).order_by(PersonRow.id)
            self._s.execute(stmt.with_for_update(key_share=True)).all()


def _trail(event: EventRecord) -> dict[str, Any]:
    return {"day": event.day.isoformat(), "code": event.code, "points": event.points, "note": event.note, "voided": event.voided}
