"""The repository of agents' responses to their month's scorecard and to their quality
inspections (``uow.disputes``)."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from csdesk.models.domain_disputes import DISPUTED, InspectionResponse, ScorecardResponse
from csdesk.models.tables import PersonRow, TeamRow
from csdesk.models.tables_disputes import InspectionResponseRow as IR
from csdesk.models.tables_disputes import ScorecardResponseRow as R
from csdesk.models.tables_qa import QaInspectionRow as Q

_COLUMNS = (
    R.id, R.person_id, PersonRow.employee_no, PersonRow.name, TeamRow.name.label("team"), R.month, R.kind, R.reason,
    R.created_at, R.created_by, R.outcome, R.note, R.decided_at, R.decided_by, R.version,
)  # fmt: skip


def _response(row: Any) -> ScorecardResponse:
    return ScorecardResponse(
        id=row.id, person_id=row.person_id, employee_no=row.employee_no, name=row.name, team=row.team,
        month=row.month, kind=row.kind, reason=row.reason or "", created_at=row.created_at,
        created_by=row.created_by, outcome=row.outcome, note=row.note or "", decided_at=row.decided_at,
        decided_by=row.decided_by, version=row.version or 1,
    )  # fmt: skip


_INSPECTION_COLUMNS = (
    IR.id, IR.inspection_id, Q.person_id, PersonRow.employee_no, PersonRow.name, TeamRow.name.label("team"), Q.contact,
    Q.inspected_on, Q.score, IR.kind, IR.reason, IR.created_at, IR.created_by, IR.outcome, IR.note, IR.decided_at,
    IR.decided_by, IR.version,
)  # fmt: skip


def _inspection_response(row: Any) -> InspectionResponse:
    return InspectionResponse(
        id=row.id, inspection_id=row.inspection_id, person_id=row.person_id, employee_no=row.employee_no,
        name=row.name, team=row.team, contact=row.contact, inspected_on=row.inspected_on, exact=Fraction(row.score),
        kind=row.kind, reason=row.reason or "", created_at=row.created_at, created_by=row.created_by,
        outcome=row.outcome, note=row.note or "", decided_at=row.decided_at, decided_by=row.decided_by,
        version=row.version or 1,
    )  # fmt: skip


class DisputeRepository:
    """Reads and writes of ``scorecard_responses`` and ``inspection_responses`` over one session
    (the caller's unit of work)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def _select(self) -> Any:
        return (
            select(*_COLUMNS)
            .join(PersonRow, PersonRow.id == R.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
        )

    def add(self, person_id: int, month: str, kind: str, reason: str, at: datetime, by: str) -> int:
        row = R(person_id=person_id, month=month, kind=kind, reason=reason, created_at=at, created_by=by, note="")
        self._s.add(row)
        self._s.flush()
        return row.id

    def response(self, response_id: int) -> ScorecardResponse | None:
        row = self._s.execute(self._select().where(R.id == response_id)).first()
        return None if row is None else _response(row)

    def latest(self, person_id: int, month: str) -> ScorecardResponse | None:
        """Where the agent stands on the month: their newest response (None: no response yet)."""
        stmt = self._select().where(R.person_id == person_id, R.month == month).order_by(R.id.desc()).limit(1)
        row = self._s.execute(stmt).first()
        return None if row is None else _response(row)

    def of_month(
        self, month: str, *, team: str | None = None, employee_no: str | None = None, open_only: bool = False
    ) -> list[ScorecardResponse]:
        """The month's responses (only the disputes not yet decided, when ``open_only``), by
        employee number and then in the order they were made."""
        stmt = self._select().where(R.month == month)
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if employee_no:
            stmt = stmt.where(PersonRow.employee_no == employee_no)
        if open_only:
            stmt = stmt.where(R.kind == DISPUTED, R.outcome.is_(None))
        return [_response(row) for row in self._s.execute(stmt.order_by(PersonRow.employee_no, R.id))]

    def decide(self, response_id: int, outcome: str, note: str, at: datetime, by: str) -> None:
        self._s.execute(
            update(R).where(R.id == response_id).values(outcome=outcome, note=note, decided_at=at, decided_by=by)
        )

    # --- responses to inspections ---------------------------------------------------------------

    def _select_inspections(self) -> Any:
        return (
            select(*_INSPECTION_COLUMNS)
            .join(Q, Q.id == IR.inspection_id)
            .join(PersonRow, PersonRow.id == Q.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
        )

    def add_inspection_response(self, inspection_id: int, kind: str, reason: str, at: datetime, by: str) -> int:
        row = IR(inspection_id=inspection_id, kind=kind, reason=reason, created_at=at, created_by=by, note="")
        self._s.add(row)
        self._s.flush()
        return row.id

    def inspection_response(self, response_id: int) -> InspectionResponse | None:
        row = self._s.execute(self._select_inspections().where(IR.id == response_id)).first()
        return None if row is None else _inspection_response(row)

    def latest_of_inspection(self, inspection_id: int) -> InspectionResponse | None:
        """Where the agent stands on the inspection: their newest response (None: no response yet)."""
        stmt = self._select_inspections().where(IR.inspection_id == inspection_id).order_by(IR.id.desc()).limit(1)
        row = self._s.execute(stmt).first()
        return None if row is None else _inspection_response(row)

    def of_inspections(
        self, start: date, end: date, *, team: str | None = None, employee_no: str | None = None,
        open_only: bool = False,
    ) -> list[InspectionResponse]:  # fmt: skip
        """The responses to the inspections dated ``start``…``end`` (only the disputes not yet
        decided, when ``open_only``), by employee number, inspection and the order they were made."""
        stmt = self._select_inspections().where(Q.inspected_on.between(start, end))
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if employee_no:
            stmt = stmt.where(PersonRow.employee_no == employee_no)
        if open_only:
            stmt = stmt.where(IR.kind == DISPUTED, IR.outcome.is_(None))
        stmt = stmt.order_by(PersonRow.employee_no, Q.inspected_on, IR.inspection_id, IR.id)
        return [_inspection_response(row) for row in self._s.execute(stmt)]

    def decide_inspection(self, response_id: int, outcome: str, note: str, at: datetime, by: str) -> None:
        self._s.execute(
            update(IR).where(IR.id == response_id).values(outcome=outcome, note=note, decided_at=at, decided_by=by)
        )
