"""The quality-inspection repository: forms as scored, inspections and answers, findings.

Reads are Core selects that become the frozen records of :mod:`csdesk.models.domain_qa` (or the
rules' own :class:`~csdesk.rules.qa.ScoredInspection` for the month's summary, which reads the
stored scores and never the answers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from csdesk.models.base import in_batches
from csdesk.models.domain_qa import FindingRecord, InspectionRecord, NewInspection, QaAnswer, StoredForm
from csdesk.models.tables import PersonRow, TeamRow
from csdesk.models.tables_qa import QaAnswerRow, QaFindingRow, QaFormRow, QaInspectionRow
from csdesk.rules.qa import OPEN, RESOLVED, FailedItem, ScoredInspection

_Inspector = aliased(PersonRow)

_INSPECTION_COLUMNS = (
    QaInspectionRow.id, QaInspectionRow.person_id, PersonRow.employee_no, PersonRow.name, TeamRow.name.label("team"),
    QaInspectionRow.contact, QaInspectionRow.inspected_on, QaInspectionRow.inspector_id,
    _Inspector.employee_no.label("inspector_no"), _Inspector.name.label("inspector_name"), QaInspectionRow.mode,
    QaInspectionRow.form_id, QaFormRow.code.label("form_code"), QaFormRow.form_version, QaInspectionRow.score,
    QaInspectionRow.critical, QaInspectionRow.calibration, QaInspectionRow.comment, QaInspectionRow.recorded_by,
    QaInspectionRow.recorded_at,
)  # fmt: skip

_FINDING_COLUMNS = (
    QaFindingRow.id, QaFindingRow.inspection_id, QaInspectionRow.person_id, PersonRow.employee_no, PersonRow.name,
    TeamRow.name.label("team"), QaInspectionRow.contact, QaInspectionRow.inspected_on, QaFindingRow.question,
    QaFindingRow.kind, QaFindingRow.impact, QaFindingRow.deadline, QaFindingRow.status, QaFindingRow.fed_back_at,
    QaFindingRow.fed_back_by, QaFindingRow.outcome, QaFindingRow.rechecked_on, QaFindingRow.rechecked_by,
    QaFindingRow.note, QaFindingRow.event_id, QaFindingRow.version,
)  # fmt: skip


def _inspection(row: Any) -> InspectionRecord:
    return InspectionRecord(
        id=row.id, person_id=row.person_id, employee_no=row.employee_no, name=row.name, team=row.team,
        contact=row.contact, inspected_on=row.inspected_on, inspector_id=row.inspector_id,
        inspector_no=row.inspector_no, inspector_name=row.inspector_name, mode=row.mode, form_id=row.form_id,
        form_code=row.form_code, form_version=row.form_version, exact=Fraction(row.score), critical=bool(row.critical),
        calibration=bool(row.calibration), comment=row.comment or "", recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )  # fmt: skip


def _finding(row: Any) -> FindingRecord:
    return FindingRecord(
        id=row.id, inspection_id=row.inspection_id, person_id=row.person_id, employee_no=row.employee_no,
        name=row.name, team=row.team, contact=row.contact, inspected_on=row.inspected_on, question=row.question,
        kind=row.kind, impact=row.impact, deadline=row.deadline, status=row.status, fed_back_at=row.fed_back_at,
        fed_back_by=row.fed_back_by, outcome=row.outcome, rechecked_on=row.rechecked_on,
        rechecked_by=row.rechecked_by, note=row.note or "", event_id=row.event_id, version=row.version or 1,
    )  # fmt: skip


def _whose(stmt: Any, team: str | None, employee_no: str | None) -> Any:
    """``stmt`` (which joins people and teams) narrowed to one team and/or one person."""
    if team:
        stmt = stmt.where(TeamRow.name == team)
    if employee_no:
        stmt = stmt.where(PersonRow.employee_no == employee_no)
    return stmt


class QaRepository:
    """Queries and writes of the quality-inspection area over one session (the caller's unit of work)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def _core(self, stmt: Any) -> list[Any]:
        """The rows of a Core select in this session's transaction, past the ORM's row loading."""
        self._s.flush()  # as session.execute() would: changes not yet flushed are read too
        return list(self._s.connection().execute(stmt))

    # --- forms ---------------------------------------------------------------------------

    def form(self, code: str, version: int) -> StoredForm | None:
        row = self._s.execute(
            select(QaFormRow).where(QaFormRow.code == code, QaFormRow.form_version == version)
        ).scalar_one_or_none()
        return None if row is None else StoredForm(row.id, row.code, row.form_version, row.digest, row.definition)

    def form_by_id(self, form_id: int) -> StoredForm:
        row = self._s.get_one(QaFormRow, form_id)
        return StoredForm(row.id, row.code, row.form_version, row.digest, row.definition)

    def add_form(self, code: str, version: int, digest: str, definition: str, at: datetime) -> int:
        row = QaFormRow(code=code, form_version=version, digest=digest, definition=definition, saved_at=at)
        self._s.add(row)
        self._s.flush()
        return row.id

    # --- inspections ---------------------------------------------------------------------

    def add_inspection(self, new: NewInspection) -> int:
        """Store an inspection and its answers; returns its id."""
        row = QaInspectionRow(
            person_id=new.person_id, contact=new.contact, inspected_on=new.inspected_on,
            inspector_id=new.inspector_id, mode=new.mode, form_id=new.form_id, score=str(new.exact),
            critical=new.critical, calibration=new.calibration, comment=new.comment,
            recorded_by=new.recorded_by, recorded_at=new.recorded_at,
        )  # fmt: skip
        self._s.add(row)
        self._s.flush()
        if new.answers:
            self._s.execute(insert(QaAnswerRow), [
                {"inspection_id": row.id, "question": a.question, "answer": a.answer, "comment": a.comment}
                for a in new.answers
            ])  # fmt: skip
        return row.id

    def existing(self, person_id: int, contact: str, inspector_id: int, day: date) -> int | None:
        """The id of the inspection with this key (interfaces.md), if it is saved."""
        return self._s.execute(
            select(QaInspectionRow.id).where(
                QaInspectionRow.person_id == person_id, QaInspectionRow.contact == contact,
                QaInspectionRow.inspector_id == inspector_id, QaInspectionRow.inspected_on == day,
            )
        ).scalar_one_or_none()  # fmt: skip

    def _inspections(self) -> Any:
        return (
            select(*_INSPECTION_COLUMNS)
            .join(PersonRow, PersonRow.id == QaInspectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .join(_Inspector, _Inspector.id == QaInspectionRow.inspector_id)
            .join(QaFormRow, QaFormRow.id == QaInspectionRow.form_id)
        )

    def inspection(self, inspection_id: int) -> InspectionRecord | None:
        row = self._s.execute(self._inspections().where(QaInspectionRow.id == inspection_id)).first()
        return None if row is None else _inspection(row)

    def inspections(
        self, start: date, end: date, *, team: str | None = None, employee_no: str | None = None,
        calibration: bool = False,
    ) -> list[InspectionRecord]:  # fmt: skip
        """The inspections dated ``start``…``end`` (calibration ones only when asked), by date."""
        stmt = _whose(self._inspections().where(QaInspectionRow.inspected_on.between(start, end)), team, employee_no)
        if not calibration:
            stmt = stmt.where(QaInspectionRow.calibration.is_(False))
        stmt = stmt.order_by(QaInspectionRow.inspected_on, PersonRow.employee_no, QaInspectionRow.id)
        return [_inspection(row) for row in self._s.execute(stmt)]

    def of_contact(self, person_id: int, contact: str) -> list[InspectionRecord]:
        """Every inspection of one agent's contact, calibration ones included, in recording order."""
        stmt = self._inspections().where(QaInspectionRow.person_id == person_id, QaInspectionRow.contact == contact)
        return [_inspection(row) for row in self._s.execute(stmt.order_by(QaInspectionRow.id))]

    def answers(self, inspection_ids: Collection[int]) -> dict[int, tuple[QaAnswer, ...]]:
        out: dict[int, list[QaAnswer]] = {i: [] for i in inspection_ids}
        stmt = select(QaAnswerRow).where(QaAnswerRow.inspection_id.in_(list(inspection_ids)))
        for row in self._s.execute(stmt).scalars():
            out[row.inspection_id].append(QaAnswer(row.question, row.answer, row.comment or ""))
        return {i: tuple(answers) for i, answers in out.items()}

    def scores(
        self, start: date, end: date, team: str | None = None, employee_no: str | None = None
    ) -> list[ScoredInspection]:
        """The stored scores of the inspections dated ``start``…``end`` that count (calibration
        ones left out). Core rows, not ORM loading: a month holds 16,000 inspections."""
        stmt = (
            select(PersonRow.employee_no, QaInspectionRow.score, QaInspectionRow.critical)
            .join(PersonRow, PersonRow.id == QaInspectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(QaInspectionRow.inspected_on.between(start, end), QaInspectionRow.calibration.is_(False))
        )
        rows = self._core(_whose(stmt, team, employee_no))
        return [ScoredInspection(no, Fraction(exact), bool(critical)) for no, exact, critical in rows]

    def counts(self, start: date, end: date, person_ids: Iterable[int]) -> dict[int, int]:
        """How many inspections (calibration ones not counted) each person had ``start``…``end``."""
        wanted = list(person_ids)
        stmt = (
            select(QaInspectionRow.person_id, QaInspectionRow.id)
            .where(QaInspectionRow.inspected_on.between(start, end), QaInspectionRow.calibration.is_(False))
            .where(QaInspectionRow.person_id.in_(wanted))
        )
        out: dict[int, int] = {}
        for person_id, _id in self._s.execute(stmt):
            out[person_id] = out.get(person_id, 0) + 1
        return out

    def inspected_contacts(self, contacts: Collection[str]) -> set[str]:
        """Those of ``contacts`` that an inspection (any day, calibration ones too) names."""
        wanted = sorted(set(contacts))
        found: set[str] = set()
        for part in in_batches(wanted):
            found.update(self._s.scalars(select(QaInspectionRow.contact).where(QaInspectionRow.contact.in_(part))))
        return found

    # --- findings --------------------------------------------------------------------------

    def add_findings(self, inspection_id: int, items: Iterable[FailedItem]) -> None:
        rows = [
            {"inspection_id": inspection_id, "question": i.question, "kind": i.kind, "impact": i.impact,
             "deadline": i.deadline, "status": OPEN, "note": ""}
            for i in items
        ]  # fmt: skip
        if rows:
            self._s.execute(insert(QaFindingRow), rows)

    def _findings(self) -> Any:
        return (
            select(*_FINDING_COLUMNS)
            .join(QaInspectionRow, QaInspectionRow.id == QaFindingRow.inspection_id)
            .join(PersonRow, PersonRow.id == QaInspectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
        )

    def finding(self, finding_id: int) -> FindingRecord | None:
        row = self._s.execute(self._findings().where(QaFindingRow.id == finding_id)).first()
        return None if row is None else _finding(row)

    def findings(
        self, *, team: str | None = None, employee_no: str | None = None, open_only: bool = False,
        inspection_id: int | None = None,
    ) -> list[FindingRecord]:  # fmt: skip
        """Findings (those not yet found put right, when ``open_only``), by deadline."""
        stmt = _whose(self._findings(), team, employee_no)
        if open_only:
            stmt = stmt.where(or_(QaFindingRow.outcome.is_(None), QaFindingRow.outcome != RESOLVED))
        if inspection_id is not None:
            stmt = stmt.where(QaFindingRow.inspection_id == inspection_id)
        stmt = stmt.order_by(QaFindingRow.deadline, QaFindingRow.id)
        return [_finding(row) for row in self._s.execute(stmt)]

    def open_counts(self, last: date, team: str | None = None, employee_no: str | None = None) -> dict[str, int]:
        """Per agent, the findings raised by ``last`` (their inspection's day) and not found put
        right by then: the month's summary (rules.qa.open_at, counted by the database)."""
        still_open = or_(
            QaFindingRow.outcome.is_(None), QaFindingRow.outcome != RESOLVED, QaFindingRow.rechecked_on > last
        )
        stmt = (
            select(PersonRow.employee_no, func.count())
            .select_from(QaFindingRow)
            .join(QaInspectionRow, QaInspectionRow.id == QaFindingRow.inspection_id)
            .join(PersonRow, PersonRow.id == QaInspectionRow.person_id)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(QaInspectionRow.inspected_on <= last, still_open)
            .group_by(PersonRow.employee_no)
        )
        return dict(self._core(_whose(stmt, team, employee_no)))

    def update_finding(self, finding_id: int, **values: Any) -> None:
        self._s.execute(update(QaFindingRow).where(QaFindingRow.id == finding_id).values(**values))
