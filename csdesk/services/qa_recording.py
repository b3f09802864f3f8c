"""Inspections recorded on a form or imported from a file (rules.md §10): checked by the rules,
saved whole with their answers and findings, each with its audit entry.

:class:`csdesk.services.qa.QAService` holds a :class:`QaRecording` and delegates to it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from pathlib import Path

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import N_, _, ngettext
from csdesk.models.db import UnitOfWork
from csdesk.models.domain import Person
from csdesk.models.domain_qa import NewInspection, QaAnswer
from csdesk.policy import Policy
from csdesk.policy.model import QaForm
from csdesk.records import record
from csdesk.rules.qa import (
    Answer,
    InspectionRow,
    check_joins,
    failed_items,
    form_named,
    known_question,
    read_row,
    score_answers,
)
from csdesk.services.base import Actor, Service, Visible, require, visible_to
from csdesk.services.imports.dates import FileDates
from csdesk.services.imports.reader import (
    Column,
    FileFormat,
    ImportReport,
    open_import,
    parse_choice,
    required,
)
from csdesk.services.months import check_open, locked_row, month_key
from csdesk.services.qa_types import InspectionEntry
from csdesk.services.scorecard_access import check_day

EDIT = "qa.edit"  # to record and import inspections (and follow findings up: csdesk.services.qa)
Progress = Callable[[int, int], bool]
_PROGRESS_EVERY = 200

INSPECTIONS_FORMAT = FileFormat(
    "inspections",
    (
        Column("employee_no", ("工号", "客服工号", "employee no", "emp_no", "número de empleado", "agente")),
        Column("date", ("日期", "质检日期", "fecha")),
        Column("contact", ("联系记录", "通话记录", "工单号", "contacto", "referencia")),
        Column("inspector", ("质检员", "inspector de calidad", "inspectora")),
        Column("question", ("题号", "质检项", "pregunta")),
        Column("answer", ("结果", "respuesta", "resultado")),
        Column("form", ("质检表", "表单", "formulario"), required=False),
        Column("mode", ("方式", "质检方式", "modo"), required=False),
        Column("comment", ("备注", "评语", "comentario"), required=False),
        Column("calibration", ("校准", "calibración", "calibracion"), required=False),
    ),
)
# How an inspections file may write the modes of rules.md §10 and yes/no.
_MODE_WORDS = {
    "实时监听": "live", "监听": "live", "實時監聽": "live", "en vivo": "live", "escucha": "live",
    "录音回放": "replay", "回放": "replay", "錄音回放": "replay", "grabación": "replay", "grabacion": "replay",
    "抽样检查": "sample", "抽样": "sample", "抽樣檢查": "sample", "muestreo": "sample", "muestra": "sample",
}  # fmt: skip
_YES_NO = {"yes": "yes", "y": "yes", "true": "yes", "1": "yes", "是": "yes", "sí": "yes", "si": "yes",
           "no": "no", "n": "no", "false": "no", "0": "no", "否": "no"}  # fmt: skip


@record
class _FileLine:
    """A good row of an inspections file: its number, what it says and its answer as read."""

    number: int
    line: InspectionRow
    answer: Answer
    comment: str


@record
class _Draft:
    """An inspection validated by the rules, its people found: what :meth:`QaRecording._store` saves."""

    agent: Person
    inspector: Person
    contact: str
    day: date
    form: QaForm
    mode: str
    calibration: bool
    answers: tuple[Answer, ...]
    comments: Mapping[str, str]
    comment: str = ""


class QaRecording(Service):
    """Inspections checked and saved, from a form (:meth:`record`) or a file (:meth:`import_inspections`)."""

    def record(self, uow: UnitOfWork, actor: Actor, entries: Sequence[InspectionEntry]) -> list[int]:
        """Check and store ``entries`` in ``uow`` (not committed)."""
        require(actor, EDIT)
        today = self.now().date()
        visible = visible_to(uow, actor, EDIT)
        # Each agent, inspector and month read once for the lot.
        agents: dict[str, Person] = {}
        inspectors: dict[str | None, Person] = {}
        open_months: set[str] = set()
        ids = []
        for e in entries:
            check_day(e.day, today)
            agent = agents.get(e.employee_no) or agents.setdefault(
                e.employee_no, person_named(uow, e.employee_no, "employee_no"))  # fmt: skip
            visible.check(agent.id)
            by = inspectors.get(e.inspector) or inspectors.setdefault(e.inspector, _inspector(uow, actor, e.inspector))
            contact = e.contact.strip()
            lines = [
                InspectionRow(agent.employee_no, contact, by.employee_no, e.day, q, a, e.calibration, e.form or "",
                              e.mode or "")
                for q, a in e.answers.items()
            ]  # fmt: skip
            parsed = tuple(read_row(line, self.policy) for line in lines)
            chosen = form_named(self.policy, e.form or "")
            for question in e.comments or {}:
                known_question(question, chosen)
            if month_key(e.day) not in open_months:
                check_open(uow, e.day)
                open_months.add(month_key(e.day))
            draft = _Draft(agent, by, contact, e.day, chosen, e.mode or self.policy.qa.default_mode, e.calibration,
                           parsed, dict(e.comments or {}), e.comment.strip())  # fmt: skip
            ids.append(self._store(uow, actor, draft)[0])
        return ids

    def import_inspections(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import inspections`` (interfaces.md): one row per question, an inspection per
        (agent, contact, inspector, date). A bad row is reported by row and field, and the other
        rows of its inspection are not saved either (an inspection is saved whole or not at all);
        rows in a locked month are bad rows. Re-importing the same file changes nothing. The dates'
        day/month order is decided once for the file (``date_order`` gives it when it cannot tell)."""
        require(actor, EDIT)
        report, rows, dates = open_import(path, INSPECTIONS_FORMAT, INSPECTIONS_FORMAT.kind, ("date",), date_order)
        with self._uow() as uow:
            uow.claim_area("qa")  # imports take turns: the second reads what the first wrote
            people = {p.employee_no: p for p in uow.people.list(include_inactive=True)}
            groups = self._read_rows(uow, actor, rows, people, report, progress, dates)
            if report.cancelled:
                return report  # nothing committed
            saved = 0
            for lines in groups:
                try:
                    _id, written = self._store(uow, actor, _imported(lines, people, self.policy))
                except ValidationError as exc:
                    for line in lines:
                        report.reject(line.number, exc, "answer")
                    continue
                saved += written
                if written:
                    report.written += len(lines)
                else:
                    report.duplicates += len(lines)
                first = lines[0].line
                report.took(first.inspected_on, person=people[first.agent].id if written else None)
            report.problems.sort(key=lambda p: p.row)
            report.note_dates(_("Inspections dated {first} to {last}."))
            if saved:
                report.notes.append(ngettext("{n} inspection saved", "{n} inspections saved", saved).format(n=saved))
            self.audit(uow, actor, "import.inspections", "file", path.name, inspections=saved, written=report.written,
                       duplicates=report.duplicates, rejected=len(report.problems))  # fmt: skip
            uow.commit()
        return report

    def _read_rows(
        self, uow: UnitOfWork, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]], people: Mapping[str, Person],
        report: ImportReport, progress: Progress | None, dates: FileDates,
    ) -> list[list[_FileLine]]:  # fmt: skip
        """The file's rows checked one by one and grouped into inspections (by the cells that name
        one, as written); a bad row is reported, and so is every other row of its inspection."""
        visible = visible_to(uow, actor, EDIT)
        locked = uow.months.locked_months()
        today = self.now().date()
        groups: dict[tuple[str, ...], list[_FileLine]] = {}
        bad: dict[tuple[str, ...], int] = {}  # inspection -> its first bad row
        for i, (number, row) in enumerate(rows):
            if progress and i % _PROGRESS_EVERY == 0 and not progress(i, len(rows)):
                report.cancelled = True
                return []
            # dict.get: a row the reader refused still names its inspection
            key = tuple(dict.get(row, name, "").strip() for name in ("employee_no", "contact", "inspector", "date"))
            lines = groups.setdefault(key, [])
            try:
                line, comment = self._import_line(row, number, people, visible, locked, today, dates)
                answer = read_row(line, self.policy)
                check_joins([f.line for f in lines], line)
            except CsdeskError as exc:
                report.reject(number, exc, "employee_no")
                bad.setdefault(key, number)
                continue
            lines.append(_FileLine(number, line, answer, comment))
        for key, first_bad in bad.items():
            held = ValidationError(N_("Not saved: row {row} of the same inspection is bad."), field="contact",
                                   row=first_bad)  # fmt: skip
            for held_line in groups.pop(key):
                report.reject(held_line.number, held)
        return list(groups.values())

    def _import_line(
        self, row: Mapping[str, str], number: int, people: Mapping[str, Person], visible: Visible,
        locked: Collection[str], today: date, dates: FileDates,
    ) -> tuple[InspectionRow, str]:  # fmt: skip
        """One row of an inspections file read and checked on its own; with its comment."""
        no = required(row, "employee_no")
        agent = people.get(no)
        if agent is None:
            raise ValidationError(N_("No agent with employee number {no}"), field="employee_no", no=no)
        visible.check(agent.id)
        day = dates.day(required(row, "date"), "date", number)
        check_day(day, today)
        if error := locked_row(locked, "date", day):
            raise error
        inspector = required(row, "inspector")
        if inspector not in people:
            raise ValidationError(N_("Unknown employee number {no}"), field="inspector", no=inspector)
        mode = (row.get("mode") or "").strip().lower()
        flag = (row.get("calibration") or "").strip()
        line = InspectionRow(
            no, required(row, "contact"), inspector, day, required(row, "question").upper(), required(row, "answer"),
            bool(flag) and parse_choice(flag, "calibration", _YES_NO) == "yes", (row.get("form") or "").strip(),
            _MODE_WORDS.get(mode, mode),
        )  # fmt: skip
        return line, (row.get("comment") or "").strip()

    def _store(self, uow: UnitOfWork, actor: Actor, draft: _Draft) -> tuple[int, bool]:
        """Save a validated inspection, its answers and its findings (one audit entry); returns
        its id and whether it was written (False: saved before with the same answers)."""
        result = score_answers(draft.answers, draft.form)
        given = {a.question: a.given for a in draft.answers}
        existing = uow.qa.existing(draft.agent.id, draft.contact, draft.inspector.id, draft.day)
        if existing is not None:
            if {a.question: a.answer for a in uow.qa.answers([existing])[existing]} == given:
                return existing, False
            raise ValidationError(
                N_("The inspection of contact {contact} by {inspector} on {date} is saved already with other answers."),
                field="answer", contact=draft.contact, inspector=draft.inspector.employee_no, date=draft.day.isoformat(),
            )  # fmt: skip
        form_id = self._form_id(uow, draft.form)
        comments = draft.comments
        answers = tuple(QaAnswer(a.question, a.given, comments.get(a.question, "").strip()) for a in draft.answers)
        inspection_id = uow.qa.add_inspection(NewInspection(
            draft.agent.id, draft.contact, draft.day, draft.inspector.id, draft.mode, form_id, result.exact,
            result.critical_failure, draft.calibration, draft.comment, actor.username, self.now(), answers,
        ))  # fmt: skip
        if not draft.calibration:
            deadline_days = self.policy.qa.finding_deadline_days
            uow.qa.add_findings(inspection_id, failed_items(draft.answers, draft.form, draft.day, deadline_days))
        self.audit(
            uow, actor, "qa.inspection", "qa_inspection", inspection_id, employee_no=draft.agent.employee_no,
            contact=draft.contact, day=draft.day, inspector=draft.inspector.employee_no, form=draft.form.code,
            version=draft.form.version, mode=draft.mode, calibration=draft.calibration, score=result.score, answers=given,
        )  # fmt: skip
        return inspection_id, True

    def _form_id(self, uow: UnitOfWork, form: QaForm) -> int:
        """The stored copy of ``form`` (made on its first use); refused when the policy changed
        the form under a code and version already used."""
        memo = ("qa_form", form.code, form.version)
        if memo in uow.memo:
            return uow.memo[memo]  # type: ignore[return-value]
        definition = json.dumps(dataclasses.asdict(form), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(definition.encode("utf-8")).hexdigest()
        stored = uow.qa.form(form.code, form.version)
        if stored is None:
            form_id = uow.qa.add_form(form.code, form.version, digest, definition, self.now())
        elif stored.digest != digest:
            raise ValidationError(
                N_("Form {form} version {version} is not the one inspections were saved with; raise its version in the policy."),
                field="form", form=form.code, version=form.version,
            )  # fmt: skip
        else:
            form_id = stored.id
        uow.memo[memo] = form_id
        return form_id


# --- helpers ------------------------------------------------------------------------------------


def person_named(uow: UnitOfWork, employee_no: str, field: str) -> Person:
    person = uow.people.get(employee_no)
    if person is None:
        raise ValidationError(N_("Unknown employee number {no}"), field=field, no=employee_no)
    return person


def _inspector(uow: UnitOfWork, actor: Actor, employee_no: str | None) -> Person:
    """The inspector named, else the person ``actor``'s account belongs to."""
    if employee_no:
        return person_named(uow, employee_no, "inspector")
    person = uow.people.by_id(actor.person_id) if actor.person_id is not None else None
    if person is None:
        raise ValidationError(N_("Name the inspector: your account is not linked to a person."), field="inspector")
    return person


def _imported(lines: Sequence[_FileLine], people: Mapping[str, Person], policy: Policy) -> _Draft:
    """The inspection the rows of one (agent, contact, inspector, date) make."""
    first = lines[0].line
    return _Draft(
        people[first.agent], people[first.inspector], first.contact, first.inspected_on, form_named(policy, first.form),
        first.mode or policy.qa.default_mode, first.calibration, tuple(f.answer for f in lines),
        {f.line.question: f.comment for f in lines if f.comment},
    )  # fmt: skip
