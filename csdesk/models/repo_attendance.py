"""Queries of the attendance area: roster, punches, leave, corrections, swaps, locks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from csdesk.models.tables import PersonRow, RosterRow, TeamRow
from csdesk.models.tables_attendance import AttendanceMarkRow, LeaveRow, MonthLockRow, PunchCorrectionRow, PunchRow, SwapRow

LEAVE_COLUMNS = (
    LeaveRow.id,
    PersonRow.employee_no,
    PersonRow.name,
    TeamRow.name,
    LeaveRow.leave_type,
    LeaveRow.start_day,
    LeaveRow.end_day,
    LeaveRow.hours,
    LeaveRow.status,
    LeaveRow.reason,
    LeaveRow.certificate,
    LeaveRow.cancelled_on_return,
    LeaveRow.created_at,
    LeaveRow.created_by,
    LeaveRow.decided_by,
    LeaveRow.decided_at,
    PersonRow.id,
    LeaveRow.event_date,
    LeaveRow.remarriage,
    LeaveRow.difficult_birth,
    LeaveRow.babies,
    PersonRow.gender,
    PersonRow.birthday,
    PersonRow.join_date,
)


class AttendanceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- people and roster ---------------------------------------------------------

    def people(self, team: str | None, employee_no: str | None = None) -> list[tuple[int, str, str, str | None, str | None, str]]:
        """(id, employee_no, name, team, level, role) of active people with a roster or the agent role."""
        stmt = select(PersonRow.id, PersonRow.employee_no, PersonRow.name, TeamRow.name, PersonRow.level, PersonRow.role).outerjoin(
            TeamRow, TeamRow.id == PersonRow.team_id
        ).where(PersonRow.active.is_(True))
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if employee_no:
            stmt = stmt.where(PersonRow.employee_no == employee_no)
        return [tuple(r) for r in self._s.execute(stmt.order_by(PersonRow.employee_no))]  # type: ignore[misc]

    def _driver_rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """Rows straight from the DBAPI cursor, in this session's transaction: a department's month
        is ~150,000 rows, and SQLAlchemy's result wrapping would double the time to read them."""
        cursor = self._s.connection().connection.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        finally:
            cursor.close()

    def roster(self, person_ids: Sequence[int], start: date, end: date) -> list[tuple[int, date, str]]:
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

    def set_shift(self, person_id: int, day: date, code: str) -> str | None:
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

    def punches(self, person_ids: Sequence[int], start: datetime, end: datetime) -> list[tuple[int, datetime]]:
        if self._sqlite() and len(person_ids) >= 900:  # SQLAlchemy's SQLite DateTime parsing is the slow part
            rows = self._driver_rows(
                "SELECT person_id, at FROM punches WHERE at >= ? AND at < ?",
                (start.strftime("%Y-%m-%d %H:%M:%S.000000"), end.strftime("%Y-%m-%d %H:%M:%S.000000")),
            )
            parse = datetime.fromisoformat
            return [(pid, parse(at)) for pid, at in rows]
        stmt = select(PunchRow.person_id, PunchRow.at).where(PunchRow.at >= start, PunchRow.at < end)
        if len(person_ids) < 900:
            stmt = stmt.where(PunchRow.person_id.in_(list(person_ids)))
        return [tuple(r) for r in self._s.execute(stmt)]  # type: ignore[misc]

    def punch_count(self) -> int:
        return self._s.scalar(select(func.count()).select_from(PunchRow)) or 0

    def insert_punches_ignoring_duplicates(self, rows: Sequence[tuple[int, datetime, str | None]]) -> None:
        """Bulk insert through the driver; (person, time) already present is skipped."""
        conn = self._s.connection()
        if conn.dialect.name == "sqlite":
            sql = "INSERT OR IGNORE INTO punches (person_id, at, device) VALUES (?, ?, ?)"
            # SQLite stores DATETIME as ISO text, which is what SQLAlchemy reads back.
            conn.exec_driver_sql(sql, [(p, at.strftime("%Y-%m-%d %H:%M:%S.000000"), d) for p, at, d in rows])
        else:
            sql = "INSERT INTO punches (person_id, at, device) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
            conn.exec_driver_sql(sql, list(rows))

    # --- leave ---------------------------------------------------------------------

    def _leave_query(self) -> Any:
        return select(*LEAVE_COLUMNS).join(PersonRow, PersonRow.id == LeaveRow.person_id).outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)

    def leave_between(self, start: date, end: date, team: str | None = None, status: str | None = None) -> list[tuple[Any, ...]]:
        stmt = self._leave_query().where(LeaveRow.start_day <= end, LeaveRow.end_day >= start)
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if status:
            stmt = stmt.where(LeaveRow.status == status)
        return [tuple(r) for r in self._s.execute(stmt.order_by(LeaveRow.start_day, LeaveRow.id))]

    def leave_with_status(self, status: str, team: str | None = None) -> list[tuple[Any, ...]]:
        stmt = self._leave_query().where(LeaveRow.status == status)
        if team:
            stmt = stmt.where(TeamRow.name == team)
        return [tuple(r) for r in self._s.execute(stmt.order_by(LeaveRow.start_day, LeaveRow.id))]

    def leave(self, leave_id: int) -> tuple[Any, ...] | None:
        row = self._s.execute(self._leave_query().where(LeaveRow.id == leave_id)).first()
        return tuple(row) if row else None

    def leave_days_in_year(self, person_id: int, year: int) -> list[tuple[date, date, float | None]]:
        stmt = select(LeaveRow.start_day, LeaveRow.end_day, LeaveRow.hours).where(
            LeaveRow.person_id == person_id,
            LeaveRow.status == "approved",
            LeaveRow.start_day <= date(year, 12, 31),
            LeaveRow.end_day >= date(year, 1, 1),
        )
        return [tuple(r) for r in self._s.execute(stmt)]  # type: ignore[misc]

    def find_leave(self, person_id: int, leave_type: str, start: date, end: date) -> LeaveRow | None:
        return self._s.scalar(
            select(LeaveRow).where(
                LeaveRow.person_id == person_id, LeaveRow.leave_type == leave_type, LeaveRow.start_day == start, LeaveRow.end_day == end
            )
        )

    def add_leave(self, **fields: Any) -> int:
        row = LeaveRow(**fields)
        self._s.add(row)
        self._s.flush()
        return row.id

    def leave_row(self, leave_id: int) -> LeaveRow | None:
        return self._s.get(LeaveRow, leave_id)

    # --- corrections and swaps ---------------------------------------------------------

    def corrections(self, start: date, end: date, status: str | None = None, person_ids: Iterable[int] | None = None) -> list[tuple[Any, ...]]:
        stmt = (
            select(
                PunchCorrectionRow.id, PersonRow.employee_no, PersonRow.name, TeamRow.name, PunchCorrectionRow.day, PunchCorrectionRow.at,
                PunchCorrectionRow.reason, PunchCorrectionRow.status, PunchCorrectionRow.requested_on, PunchCorrectionRow.requested_by,
                PunchCorrectionRow.decided_by, PunchCorrectionRow.decided_at, PersonRow.id,
            )
            .join(PersonRow, PersonRow.id == PunchCorrectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(PunchCorrectionRow.day >= start, PunchCorrectionRow.day <= end)
        )
        if status:
            stmt = stmt.where(PunchCorrectionRow.status == status)
        if person_ids is not None:
            stmt = stmt.where(PunchCorrectionRow.person_id.in_(list(person_ids)))
        return [tuple(r) for r in self._s.execute(stmt.order_by(PunchCorrectionRow.day, PunchCorrectionRow.id))]

    def add_correction(self, **fields: Any) -> int:
        row = PunchCorrectionRow(**fields)
        self._s.add(row)
        self._s.flush()
        return row.id

    def correction_row(self, correction_id: int) -> PunchCorrectionRow | None:
        return self._s.get(PunchCorrectionRow, correction_id)

    def swaps(self, start: date, end: date, status: str | None = None) -> list[tuple[Any, ...]]:
        colleague = aliased(PersonRow)
        stmt = (
            select(
                SwapRow.id, PersonRow.employee_no, PersonRow.name, colleague.employee_no, colleague.name, SwapRow.day, SwapRow.status,
                SwapRow.reason, SwapRow.requested_at, SwapRow.decided_by, SwapRow.decided_at, SwapRow.person_id,
            )
            .join(PersonRow, PersonRow.id == SwapRow.person_id)
            .join(colleague, colleague.id == SwapRow.colleague_id)
            .where(and_(SwapRow.day >= start, SwapRow.day <= end))
        )
        if status:
            stmt = stmt.where(SwapRow.status == status)
        return [tuple(r) for r in self._s.execute(stmt.order_by(SwapRow.day, SwapRow.id))]

    def add_swap(self, **fields: Any) -> int:
        row = SwapRow(**fields)
        self._s.add(row)
        self._s.flush()
        return row.id

    def swap_row(self, swap_id: int) -> SwapRow | None:
        return self._s.get(SwapRow, swap_id)

    # --- marks and the year's leave --------------------------------------------------------

    def marks(self, start: date, end: date, code: str) -> list[tuple[int, date]]:
        stmt = select(AttendanceMarkRow.person_id, AttendanceMarkRow.day).where(
            AttendanceMarkRow.day >= start, AttendanceMarkRow.day <= end, AttendanceMarkRow.code == code
        )
        return [tuple(r) for r in self._s.execute(stmt)]  # type: ignore[misc]

    def add_mark(self, **fields: Any) -> int:
        row = AttendanceMarkRow(**fields)
        self._s.add(row)
        self._s.flush()
        return row.id

    def approved_leave_in_year(self, year: int, until: date) -> list[tuple[int, date, date, float | None]]:
        """(person, start, end, hours) of approved leave from 1 January to ``until``."""
        stmt = select(LeaveRow.person_id, LeaveRow.start_day, LeaveRow.end_day, LeaveRow.hours).where(
            LeaveRow.status == "approved", LeaveRow.start_day <= until, LeaveRow.end_day >= date(year, 1, 1)
        )
        return [tuple(r) for r in self._s.execute(stmt)]  # type: ignore[misc]

    # --- month locks ---------------------------------------------------------------------

    def is_locked(self, month: str) -> bool:
        return self._s.get(MonthLockRow, month) is not None
