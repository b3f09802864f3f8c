"""Queries of the attendance area: roster, punches, leave, corrections, swaps, locks.

Reads return the frozen records of :mod:`csdesk.models.domain_attendance` (never ORM rows);
changes go through the explicit write methods below, so services never touch a row. The two
reads of a month's classification, :meth:`AttendanceRepository.packed_roster` and
:meth:`AttendanceRepository.packed_punches`, return one text per person (:data:`PackedShifts`,
:data:`PackedPunches`): a department's month is ~150,000 rows; :meth:`AttendanceRepository.roster`
returns plain tuples, positional by contract (:data:`ShiftCell`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from csdesk.models.domain_attendance import (
    PUNCH_SEPARATOR,
    SHIFT_SEPARATOR,
    AttendancePerson,
    CorrectionRecord,
    DayMark,
    LeaveRecord,
    LeaveSpan,
    PackedPunches,
    PackedShifts,
    ShiftCell,
    SwapRecord,
    pack_punches,
    pack_shifts,
)
from csdesk.models.tables import PersonRow, RosterRow, TeamRow
from csdesk.models.tables_attendance import (
    AttendanceMarkRow,
    LeaveRow,
    MonthLockRow,
    PunchCorrectionRow,
    PunchRow,
    SwapRow,
)
from csdesk.records import maker

_Row = TypeVar("_Row")

# Labelled like the fields of LeaveRecord, which is built from them by name.
LEAVE_COLUMNS = (
    LeaveRow.id.label("id"),
    LeaveRow.version.label("version"),
    LeaveRow.person_id.label("person_id"),
    PersonRow.employee_no.label("employee_no"),
    PersonRow.name.label("name"),
    TeamRow.name.label("team"),
    LeaveRow.leave_type.label("leave_type"),
    LeaveRow.start_day.label("start"),
    LeaveRow.end_day.label("end"),
    LeaveRow.hours.label("hours"),
    LeaveRow.status.label("status"),
    LeaveRow.reason.label("reason"),
    LeaveRow.certificate.label("certificate"),
    LeaveRow.cancelled_on_return.label("cancelled_on_return"),
    LeaveRow.created_at.label("created_at"),
    LeaveRow.created_by.label("created_by"),
    LeaveRow.decided_by.label("decided_by"),
    LeaveRow.decided_at.label("decided_at"),
    LeaveRow.event_date.label("event_date"),
    LeaveRow.remarriage.label("remarriage"),
    LeaveRow.difficult_birth.label("difficult_birth"),
    LeaveRow.babies.label("babies"),
    LeaveRow.returned_at.label("returned_at"),
    LeaveRow.returned_by.label("returned_by"),
    PersonRow.gender.label("gender"),
    PersonRow.birthday.label("birthday"),
    PersonRow.join_date.label("join_date"),
)

# Labelled like the fields of CorrectionRecord.
CORRECTION_COLUMNS = (
    PunchCorrectionRow.id.label("id"),
    PunchCorrectionRow.version.label("version"),
    PunchCorrectionRow.person_id.label("person_id"),
    PersonRow.employee_no.label("employee_no"),
    PersonRow.name.label("name"),
    TeamRow.name.label("team"),
    PunchCorrectionRow.day.label("day"),
    PunchCorrectionRow.at.label("at"),
    PunchCorrectionRow.reason.label("reason"),
    PunchCorrectionRow.status.label("status"),
    PunchCorrectionRow.requested_on.label("requested_on"),
    PunchCorrectionRow.requested_by.label("requested_by"),
    PunchCorrectionRow.decided_by.label("decided_by"),
    PunchCorrectionRow.decided_at.label("decided_at"),
)


class AttendanceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _row(self, table: type[_Row], key: int) -> _Row:
        """The ORM row a write method changes; the service has read the record before."""
        row = self._s.get(table, key)
        if row is None:
            raise LookupError(f"{table.__name__} {key} does not exist")
        return row

    # --- people and roster ---------------------------------------------------------

    def people(self, team: str | None, employee_no: str | None = None) -> list[AttendancePerson]:
        """Active people (the month keeps those with a roster or the agent role), by employee number."""
        if self._sqlite() and not team and not employee_no:  # a whole department: through the driver
            rows = self._driver_rows(
                "SELECT p.id, p.employee_no, p.name, t.name, p.level, p.role FROM people p"
                " LEFT OUTER JOIN teams t ON t.id = p.team_id WHERE p.active = 1 ORDER BY p.employee_no",
                (),
            )
            person = maker(AttendancePerson)
            return [person(*row) for row in rows]
        stmt = select(
            PersonRow.id.label("id"), PersonRow.employee_no.label("employee_no"), PersonRow.name.label("name"),
            TeamRow.name.label("team"), PersonRow.level.label("level"), PersonRow.role.label("role"),
        ).outerjoin(TeamRow, TeamRow.id == PersonRow.team_id).where(PersonRow.active.is_(True))  # fmt: skip
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if employee_no:
            stmt = stmt.where(PersonRow.employee_no == employee_no)
        # The columns are selected in the record's field order (a department: 2,000 rows).
        return [AttendancePerson(*r) for r in self._s.execute(stmt.order_by(PersonRow.employee_no))]

    def _driver_rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """Rows straight from the DBAPI cursor, in this session's transaction: a department's month
        is ~150,000 rows, and SQLAlchemy's result wrapping would double the time to read them."""
        cursor = self._s.connection().connection.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        finally:
            cursor.close()

    def roster(self, person_ids: Sequence[int], start: date, end: date) -> list[ShiftCell]:
        """``(person_id, day, shift_code)`` plain tuples, positional by contract (the month's hot path:
        a named tuple per cell measured +20-30 % on a 2,000-agent month; see domain_attendance)."""
        if self._sqlite() and len(person_ids) >= 900:  # a whole department: read through the driver (3x faster)
            rows = self._driver_rows(
                "SELECT person_id, day, shift_code FROM roster WHERE day >= ? AND day <= ?", (start.isoformat(), end.isoformat())
            )
            parse = date.fromisoformat
            return [(pid, parse(day), code) for pid, day, code in rows]
        stmt = select(RosterRow.person_id, RosterRow.day, RosterRow.shift_code).where(RosterRow.day >= start, RosterRow.day <= end)
        if len(person_ids) < 900:
            stmt = stmt.where(RosterRow.person_id.in_(list(person_ids)))
        return [tuple(r) for r in self._s.execute(stmt)]  # type: ignore[misc]

    def packed_roster(self, person_ids: Sequence[int], start: date, end: date) -> dict[int, PackedShifts]:
        """Each person's roster cells from ``start`` to ``end`` as one text (:func:`unpack_shifts`
        opens it); the people without a cell are left out. A whole department on SQLite is grouped
        by SQLite (2,000 texts for ~60,000 cells: 20 ms against 40 for the cells as tuples), person
        by person along the (person, day) index, which needs no sort (``IN``: every person's)."""
        if self._sqlite() and len(person_ids) >= 900:
            rows = self._driver_rows(
                "SELECT person_id, group_concat(day || shift_code, ?) FROM roster"
                " WHERE person_id IN (SELECT id FROM people) AND day >= ? AND day <= ? GROUP BY person_id",
                (SHIFT_SEPARATOR, start.isoformat(), end.isoformat()),
            )
            return dict(rows)
        cells: dict[int, list[tuple[date, str]]] = defaultdict(list)
        for pid, day, code in self.roster(person_ids, start, end):
            cells[pid].append((day, code))
        return {pid: pack_shifts(days) for pid, days in cells.items()}

    def shifts_of(self, person_id: int, start: date, end: date) -> dict[date, str]:
        """One person's roster from ``start`` to ``end``: day → shift code."""
        stmt = select(RosterRow.day, RosterRow.shift_code).where(
            RosterRow.person_id == person_id, RosterRow.day >= start, RosterRow.day <= end
        )
        return {day: code for day, code in self._s.execute(stmt)}

    def shifts_of_many(self, person_ids: Collection[int], start: date, end: date) -> dict[int, dict[date, str]]:
        """The roster of ``person_ids`` from ``start`` to ``end`` in one query: person → day → code."""
        out: dict[int, dict[date, str]] = {pid: {} for pid in person_ids}
        if not person_ids:
            return out
        stmt = select(RosterRow.person_id, RosterRow.day, RosterRow.shift_code).where(
            RosterRow.person_id.in_(list(person_ids)), RosterRow.day >= start, RosterRow.day <= end
        )
        for pid, day, code in self._s.execute(stmt):
            out[pid][day] = code
        return out

    def set_shift(self, person_id: int, day: date, code: str) -> str | None:
        """Put ``code`` in the roster cell; returns the code it had before (None: empty)."""
        row = self._s.scalar(select(RosterRow).where(RosterRow.person_id == person_id, RosterRow.day == day))
        before = row.shift_code if row else None
        if row is None:
            self._s.add(RosterRow(person_id=person_id, day=day, shift_code=code))
        else:
            row.shift_code = code
        return before

    def shift_of(self, person_id: int, day: date) -> str | None:
        return self._s.scalar(select(RosterRow.shift_code).where(RosterRow.person_id == person_id, RosterRow.day == day))

    # --- punches -------------------------------------------------------------------

    def _sqlite(self) -> bool:
        return self._s.get_bind().dialect.name == "sqlite"

    def packed_punches(self, person_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, PackedPunches]:
        """Each person's punches from ``start`` (included) to ``end`` (excluded) as one text
        (:func:`unpack_punches` opens it); the people without a punch are left out. A whole
        department on SQLite is grouped by SQLite, as :meth:`packed_roster` (13 ms for ~80,000
        punches, along the (person, time) index; 32 ms grouped from the time index, sorted): the
        times are parsed where each person is classified, not here."""
        if self._sqlite() and len(person_ids) >= 900:
            rows = self._driver_rows(
                "SELECT person_id, group_concat(at, ?) FROM punches"
                " WHERE person_id IN (SELECT id FROM people) AND at >= ? AND at < ? GROUP BY person_id",
                (PUNCH_SEPARATOR, start.strftime("%Y-%m-%d %H:%M:%S.000000"), end.strftime("%Y-%m-%d %H:%M:%S.000000")),
            )
            return dict(rows)
        stmt = select(PunchRow.person_id, PunchRow.at).where(PunchRow.at >= start, PunchRow.at < end)
        if len(person_ids) < 900:
            stmt = stmt.where(PunchRow.person_id.in_(list(person_ids)))
        times: dict[int, list[datetime]] = defaultdict(list)
        for pid, at in self._s.execute(stmt):
            times[pid].append(at)
        return {pid: pack_punches(ats) for pid, ats in times.items()}

    def punch_count(self) -> int:
        return self._s.scalar(select(func.count()).select_from(PunchRow)) or 0

    def insert_punches_ignoring_duplicates(self, rows: Sequence[tuple[int, datetime, str | None]]) -> None:
        """Bulk insert of ``(person_id, at, device)`` through the driver; (person, time) already present is skipped."""
        conn = self._s.connection()
        if conn.dialect.name == "sqlite":
            sql = "INSERT OR IGNORE INTO punches (person_id, at, device) VALUES (?, ?, ?)"
            # SQLite stores DATETIME as ISO text, which is what SQLAlchemy reads back.
            conn.exec_driver_sql(sql, [(p, at.strftime("%Y-%m-%d %H:%M:%S.000000"), d) for p, at, d in rows])
        else:
            sql = "INSERT INTO punches (person_id, at, device) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
            conn.exec_driver_sql(sql, list(rows))

    # --- leave ---------------------------------------------------------------------

    def _leave_query(self) -> Select[Any]:
        return select(*LEAVE_COLUMNS).join(PersonRow, PersonRow.id == LeaveRow.person_id).outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)

    def _leaves(self, stmt: Select[Any]) -> list[LeaveRecord]:
        return [LeaveRecord(**r._mapping) for r in self._s.execute(stmt)]

    def leave_between(self, start: date, end: date, team: str | None = None, status: str | None = None) -> list[LeaveRecord]:
        """Leave overlapping ``start``…``end``, by first day."""
        stmt = self._leave_query().where(LeaveRow.start_day <= end, LeaveRow.end_day >= start)
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if status:
            stmt = stmt.where(LeaveRow.status == status)
        return self._leaves(stmt.order_by(LeaveRow.start_day, LeaveRow.id))

    def leave_with_status(self, status: str, team: str | None = None) -> list[LeaveRecord]:
        stmt = self._leave_query().where(LeaveRow.status == status)
        if team:
            stmt = stmt.where(TeamRow.name == team)
        return self._leaves(stmt.order_by(LeaveRow.start_day, LeaveRow.id))

    def leave(self, leave_id: int) -> LeaveRecord | None:
        found = self._leaves(self._leave_query().where(LeaveRow.id == leave_id))
        return found[0] if found else None

    def find_leave(self, person_id: int, leave_type: str, start: date, end: date) -> LeaveRecord | None:
        """The person's leave of that type over exactly ``start``…``end`` (a re-imported row)."""
        found = self._leaves(
            self._leave_query().where(
                LeaveRow.person_id == person_id, LeaveRow.leave_type == leave_type, LeaveRow.start_day == start, LeaveRow.end_day == end
            ).order_by(LeaveRow.id).limit(1)
        )
        return found[0] if found else None

    def leave_days_in_year(self, person_id: int, year: int) -> list[LeaveSpan]:
        """The person's approved leave overlapping the year."""
        stmt = select(LeaveRow.person_id, LeaveRow.start_day, LeaveRow.end_day, LeaveRow.hours).where(
            LeaveRow.person_id == person_id,
            LeaveRow.status == "approved",
            LeaveRow.start_day <= date(year, 12, 31),
            LeaveRow.end_day >= date(year, 1, 1),
        )
        return [LeaveSpan(*r) for r in self._s.execute(stmt)]

    def approved_leave_in_year(self, year: int, until: date) -> list[LeaveSpan]:
        """Approved leave from 1 January to ``until``, everyone's."""
        stmt = select(LeaveRow.person_id, LeaveRow.start_day, LeaveRow.end_day, LeaveRow.hours).where(
            LeaveRow.status == "approved", LeaveRow.start_day <= until, LeaveRow.end_day >= date(year, 1, 1)
        )
        return [LeaveSpan(*r) for r in self._s.execute(stmt)]

    def add_leave(
        self, *, person_id: int, leave_type: str, start: date, end: date, hours: float | None, status: str, reason: str,
        certificate: bool, cancelled_on_return: bool, created_at: datetime, created_by: str, decided_by: str | None = None,
        decided_at: datetime | None = None, event_date: date | None = None, remarriage: bool = False,
        difficult_birth: bool = False, babies: int = 1, returned_at: datetime | None = None, returned_by: str | None = None,
    ) -> int:
        """A new leave request; returns its id. ``returned_at``/``returned_by``: its 销假, when known."""
        row = LeaveRow(
            person_id=person_id, leave_type=leave_type, start_day=start, end_day=end, hours=hours, status=status, reason=reason,
            certificate=certificate, cancelled_on_return=cancelled_on_return, created_at=created_at, created_by=created_by,
            decided_by=decided_by, decided_at=decided_at, event_date=event_date, remarriage=remarriage,
            difficult_birth=difficult_birth, babies=babies, returned_at=returned_at, returned_by=returned_by,
        )  # fmt: skip
        self._s.add(row)
        self._s.flush()
        return row.id

    def decide_leave(self, leave_id: int, status: str, certificate: bool | None, by: str, at: datetime) -> None:
        """Record the decision; ``certificate`` None leaves what was noted about it unchanged."""
        row = self._row(LeaveRow, leave_id)
        row.status = status
        if certificate is not None:
            row.certificate = certificate
        row.decided_by, row.decided_at = by, at

    def cancel_leave_on_return(self, leave_id: int, at: datetime, by: str) -> None:
        """销假: the person reported back after the leave; ``at`` and ``by`` (a sign-in name) are
        when it was recorded and by whom, as the leave form prints them."""
        row = self._row(LeaveRow, leave_id)
        row.cancelled_on_return, row.returned_at, row.returned_by = True, at, by

    def update_leave_status(self, leave_id: int, status: str, hours: float | None) -> None:
        """A re-imported leave row: its status and part-day hours as the file now gives them."""
        row = self._row(LeaveRow, leave_id)
        row.status, row.hours = status, hours

    # --- corrections and swaps ---------------------------------------------------------

    def corrections(
        self, start: date, end: date, status: str | None = None, person_ids: Iterable[int] | None = None
    ) -> list[CorrectionRecord]:
        """Corrections of days ``start``…``end``, by day."""
        stmt = (
            select(*CORRECTION_COLUMNS)
            .join(PersonRow, PersonRow.id == PunchCorrectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(PunchCorrectionRow.day >= start, PunchCorrectionRow.day <= end)
        )
        if status:
            stmt = stmt.where(PunchCorrectionRow.status == status)
        if person_ids is not None:
            stmt = stmt.where(PunchCorrectionRow.person_id.in_(list(person_ids)))
        stmt = stmt.order_by(PunchCorrectionRow.day, PunchCorrectionRow.id)
        return [CorrectionRecord(**r._mapping) for r in self._s.execute(stmt)]

    def correction(self, correction_id: int) -> CorrectionRecord | None:
        stmt = (
            select(*CORRECTION_COLUMNS)
            .join(PersonRow, PersonRow.id == PunchCorrectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(PunchCorrectionRow.id == correction_id)
        )
        row = self._s.execute(stmt).first()
        return CorrectionRecord(**row._mapping) if row else None

    def add_correction(
        self, *, person_id: int, day: date, at: datetime, reason: str, status: str, requested_on: date, requested_by: str,
        decided_by: str | None = None, decided_at: datetime | None = None,
    ) -> int:
        """A new correction request (or the approver's own, already decided); returns its id."""
        row = PunchCorrectionRow(
            person_id=person_id, day=day, at=at, reason=reason, status=status, requested_on=requested_on,
            requested_by=requested_by, decided_by=decided_by, decided_at=decided_at,
        )  # fmt: skip
        self._s.add(row)
        self._s.flush()
        return row.id

    def decide_correction(self, correction_id: int, status: str, by: str, at: datetime) -> None:
        row = self._row(PunchCorrectionRow, correction_id)
        row.status, row.decided_by, row.decided_at = status, by, at

    def _swap_query(self) -> Select[Any]:
        colleague = aliased(PersonRow)
        return (
            select(
                SwapRow.id.label("id"), SwapRow.person_id.label("person_id"), PersonRow.employee_no.label("employee_no"),
                PersonRow.name.label("name"), SwapRow.colleague_id.label("colleague_id"), colleague.employee_no.label("colleague_no"),
                colleague.name.label("colleague_name"), SwapRow.day.label("day"), SwapRow.status.label("status"),
                SwapRow.reason.label("reason"), SwapRow.requested_at.label("requested_at"), SwapRow.decided_by.label("decided_by"),
                SwapRow.decided_at.label("decided_at"), SwapRow.version.label("version"),
            )
            .join(PersonRow, PersonRow.id == SwapRow.person_id)
            .join(colleague, colleague.id == SwapRow.colleague_id)
        )

    def swaps(self, start: date, end: date, status: str | None = None) -> list[SwapRecord]:
        """Swaps of days ``start``…``end``, by day."""
        stmt = self._swap_query().where(and_(SwapRow.day >= start, SwapRow.day <= end))
        if status:
            stmt = stmt.where(SwapRow.status == status)
        return [SwapRecord(**r._mapping) for r in self._s.execute(stmt.order_by(SwapRow.day, SwapRow.id))]

    def swap(self, swap_id: int) -> SwapRecord | None:
        row = self._s.execute(self._swap_query().where(SwapRow.id == swap_id)).first()
        return SwapRecord(**row._mapping) if row else None

    def add_swap(self, *, person_id: int, colleague_id: int, day: date, reason: str, requested_at: datetime, status: str = "pending") -> int:
        """A new swap request; returns its id."""
        row = SwapRow(person_id=person_id, colleague_id=colleague_id, day=day, status=status, reason=reason, requested_at=requested_at)
        self._s.add(row)
        self._s.flush()
        return row.id

    def decide_swap(self, swap_id: int, status: str, by: str, at: datetime) -> None:
        """The decision only: exchanging the shifts of an approved swap is :meth:`set_shift`'s."""
        row = self._row(SwapRow, swap_id)
        row.status, row.decided_by, row.decided_at = status, by, at

    # --- marks ---------------------------------------------------------------------------

    def marks(self, start: date, end: date, code: str) -> list[DayMark]:
        """Whose days ``start``…``end`` carry the mark ``code``."""
        stmt = select(AttendanceMarkRow.person_id, AttendanceMarkRow.day).where(
            AttendanceMarkRow.day >= start, AttendanceMarkRow.day <= end, AttendanceMarkRow.code == code
        )
        return [DayMark(*r) for r in self._s.execute(stmt)]

    def add_mark(self, *, person_id: int, day: date, code: str, reason: str, recorded_by: str, recorded_at: datetime) -> int:
        """Record a mark on the person's day; returns its id."""
        row = AttendanceMarkRow(person_id=person_id, day=day, code=code, reason=reason, recorded_by=recorded_by, recorded_at=recorded_at)
        self._s.add(row)
        self._s.flush()
        return row.id

    # --- month locks ---------------------------------------------------------------------

    def is_locked(self, month: str) -> bool:
        return self._s.get(MonthLockRow, month) is not None
