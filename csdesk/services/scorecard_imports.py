"""``csdesk import ratings|exams|events`` (interfaces.md): the trainer's and supervisor's files.

Bad rows are reported with row and field and skipped; good rows are written in one unit of
work; re-importing the same file changes nothing (duplicates are counted). A row of a locked
month is a bad row. Ratings: the four criteria, with the optional adjustment and its reason
(required when the adjustment is not 0); an empty adjustment cell leaves the stored one as it
is. Events: ``points`` signed as in Appendix A, an unsigned number takes the code's sign,
``count`` (default 1) records that many occurrences.

:class:`ScorecardImports` is a part of :class:`csdesk.services.scorecards.ScorecardService`
(``ctx.scorecards.import_ratings`` etc. delegate to it); it needs only the unit-of-work
factory, the policy and the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import N_, _
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_scorecards import AgentRecord
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.rules.scoring import validate_adjustment, validate_event_points, validate_exam, validate_rating
from csdesk.services.base import Actor, Service, require
from csdesk.services.imports.dates import FileDates
from csdesk.services.imports.reader import (  # parse_decimal: also used by the scorecard forms
    Column,
    FileFormat,
    ImportReport,
    parse_decimal,
    read_table,
    required,
)
from csdesk.services.months import check_open, month_first, month_key
from csdesk.services.scorecard_access import EDIT, MANUAL, PER_MONTH_MESSAGE, check_day, require_rate
from csdesk.services.scorecard_compute import month_end

Progress = Callable[[int, int], bool]
_EMPLOYEE = Column("employee_no", ("工号", "employee no", "emp_no", "número de empleado"))
_MONTH = Column("month", ("月份", "mes"))

RATINGS_FORMAT = FileFormat(
    "ratings",
    (
        _EMPLOYEE,
        _MONTH,
        Column("service_quality", ("服务质量", "calidad del servicio")),
        Column("execution", ("任务执行", "执行", "ejecución")),
        Column("collaboration", ("协作沟通", "协作", "colaboración")),
        Column("discipline", ("纪律", "纪律与工作态度", "disciplina")),
        Column("adjustment", ("调整", "ajuste"), required=False),
        Column("adjustment_reason", ("调整原因", "motivo del ajuste"), required=False),
    ),
)
EXAMS_FORMAT = FileFormat("exams", (_EMPLOYEE, _MONTH, Column("score", ("成绩", "nota", "puntuación"))))
EVENTS_FORMAT = FileFormat(
    "events",
    (
        _EMPLOYEE,
        Column("date", ("日期", "fecha")),
        Column("code", ("代码", "código")),
        Column("points", ("分值", "puntos"), required=False),
        Column("count", ("次数", "veces"), required=False),
        Column("note", ("备注", "nota", "observación"), required=False),
    ),
)
_PROGRESS_EVERY = 200
# The first and last day a row taken stands for: its date, or its month's first and last day.
Span = Callable[[dict[str, str], int], tuple[date, date]]


def _month_span(row: dict[str, str], _number: int) -> tuple[date, date]:
    first = month_first(required(row, "month"))
    return first, month_end(first)


def _note_months(report: ImportReport) -> None:
    """The note of the months a ratings or exams file's rows taken are for (the JSON's
    ``date_from``/``date_to`` are the first month's first day and the last month's last)."""
    if report.first_date is not None and report.last_date is not None:
        first, last = month_key(report.first_date), month_key(report.last_date)
        report.notes.append(_("Months {first} to {last}.").format(first=first, last=last))


class ScorecardImports(Service):
    """``csdesk import ratings|exams|events``: reads a file, writes its good rows in one unit of work."""

    def import_ratings(self, actor: Actor, path: Path, progress: Progress | None = None) -> ImportReport:
        require_rate(actor)
        criteria = [c.code for c in self.policy.scoring.criteria]

        def handle(uow: UnitOfWork, repo: ScorecardRepository, agent: AgentRecord, row: dict[str, str], number: int) -> str:
            key = month_key(required(row, "month"))
            values = {c: validate_rating(c, parse_decimal(required(row, c), c), self.policy) for c in criteria}
            adjustment: Decimal | None = None
            reason = (row.get("adjustment_reason") or "").strip()
            if (row.get("adjustment") or "").strip():
                adjustment = validate_adjustment(parse_decimal(row["adjustment"], "adjustment"), reason, self.policy)
            check_open(uow, key)
            stored = repo.ratings([key], [agent.person_id]).get((agent.person_id, key), {})
            old_adj = repo.adjustments([key], [agent.person_id]).get((agent.person_id, key))
            same = all(c in stored and stored[c].value == v for c, v in values.items())
            if adjustment is not None:
                same = same and old_adj is not None and old_adj.value == adjustment and old_adj.reason == reason
            if same:
                return "duplicate"
            now = self.now()
            # What the import replaces, read under the claim on the person (_import): a value a
            # form stored just before is on record as the one replaced, never lost unseen.
            before: dict[str, Decimal | None] = {c: stored[c].value if c in stored else None for c in values}
            for c, v in values.items():
                repo.set_rating(agent.person_id, key, c, v, actor.username, now)
            if adjustment is not None:
                before["adjustment"] = old_adj.value if old_adj else None
                repo.set_adjustment(agent.person_id, key, adjustment, reason, actor.username, now)
            self.audit(uow, actor, "rating.import", "scorecard", f"{agent.employee_no}/{key}",
                       values=values, adjustment=adjustment, reason=reason, before=before)  # fmt: skip
            return "updated" if stored or old_adj else "written"

        rows = list(read_table(path, RATINGS_FORMAT))
        unique = ("employee_no", "month")
        report = self._import(actor, path, RATINGS_FORMAT, rows, handle, progress, unique, _month_span)
        _note_months(report)
        return report

    def import_exams(self, actor: Actor, path: Path, progress: Progress | None = None) -> ImportReport:
        require_rate(actor)

        def handle(uow: UnitOfWork, repo: ScorecardRepository, agent: AgentRecord, row: dict[str, str], number: int) -> str:
            key = month_key(required(row, "month"))
            score = validate_exam(parse_decimal(required(row, "score"), "score"), self.policy)
            check_open(uow, key)
            stored = repo.exams([key], [agent.person_id]).get((agent.person_id, key))
            if stored is not None and stored.value == score:
                return "duplicate"
            repo.set_exam(agent.person_id, key, score, actor.username, self.now())
            self.audit(uow, actor, "exam.import", "scorecard", f"{agent.employee_no}/{key}", value=score,
                       before=stored.value if stored else None)  # fmt: skip
            return "updated" if stored else "written"

        rows = list(read_table(path, EXAMS_FORMAT))
        unique = ("employee_no", "month")
        report = self._import(actor, path, EXAMS_FORMAT, rows, handle, progress, unique, _month_span)
        _note_months(report)
        return report

    def import_events(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """The dates' day/month order is decided once for the file (:class:`FileDates`); ``date_order``
        (``"dmy"``/``"mdy"``) gives it for a file that cannot tell, which is otherwise refused whole."""
        require(actor, EDIT)
        rows = list(read_table(path, EVENTS_FORMAT))
        dates = FileDates(path.name, rows, ("date",), date_order)
        used: dict[tuple[int, date, str, int, str], int] = {}  # existing events matched by earlier rows
        today = self.now().date()

        def handle(uow: UnitOfWork, repo: ScorecardRepository, agent: AgentRecord, row: dict[str, str], number: int) -> str:
            day = dates.day(required(row, "date"), "date", number)
            code = required(row, "code").upper()
            raw = (row.get("points") or "").strip()
            points = validate_event_points(code, parse_decimal(raw, "points") if raw else None, self.policy)
            count_text = (row.get("count") or "").strip()
            count = int(parse_decimal(count_text, "count")) if count_text else 1
            if count < 1 or (count_text and parse_decimal(count_text, "count") != count):
                raise ValidationError(N_("{field}: '{value}' is not a whole number of at least 1"), field="count", value=count_text)
            note = (row.get("note") or "").strip()
            check_day(day, today)
            check_open(uow, day)
            first = day.replace(day=1)
            month_events = repo.events(first, month_end(first), [agent.person_id])
            key = (agent.person_id, day, code, points, note)
            matching = sum(1 for e in month_events if (e.person_id, e.day, e.code, e.points, e.note) == key and e.source == MANUAL)
            available = matching - used.get(key, 0)
            if available >= count:
                used[key] = used.get(key, 0) + count
                return "duplicate"
            new = count - max(available, 0)
            used[key] = used.get(key, 0) + max(available, 0)
            limit = self.policy.event(code).per_month
            same = [e for e in month_events if e.code == code]
            if limit and len(same) + new > limit:
                raise ValidationError(
                    PER_MONTH_MESSAGE, field="code", code=code, n=limit, name=agent.name,
                    date=(same[0].day if same else day).isoformat(),
                )  # fmt: skip
            now = self.now()
            for _n in range(new):
                event_id = repo.add_event(agent.person_id, day, code, points, MANUAL, note, actor.username, now)
                used[key] = used.get(key, 0) + 1
                self.audit(uow, actor, "event.import", "evaluation_event", event_id,
                           employee_no=agent.employee_no, day=day, code=code, points=points, note=note)  # fmt: skip
            return "written"

        def span(row: dict[str, str], number: int) -> tuple[date, date]:
            day = dates.day(required(row, "date"), "date", number)
            return day, day

        report = self._import(actor, path, EVENTS_FORMAT, rows, handle, progress, None, span)
        if order_note := dates.note():
            report.notes.append(order_note)
        report.note_dates(_("Events dated {first} to {last}."))
        return report

    def _import(
        self, actor: Actor, path: Path, fmt: FileFormat, rows: list[tuple[int, dict[str, str]]],
        handle: Callable[[UnitOfWork, ScorecardRepository, AgentRecord, dict[str, str], int], str],
        progress: Progress | None, unique: tuple[str, ...] | None, span: Span,
    ) -> ImportReport:  # fmt: skip
        """The ``rows`` of ``path`` (a file of ``fmt``), each written by ``handle(uow, repo, agent, row, number)``;
        ``span(row, number)`` is the first and last day a row taken stands for (the report's date range)."""
        report = ImportReport(str(path), fmt.kind)
        report.rows = len(rows)
        seen: dict[tuple[str, ...], int] = {}
        with self._uow() as uow:
            uow.claim_area(fmt.kind)  # imports of one kind take turns: the second reads what the first wrote
            repo = uow.scorecards
            agents = {a.employee_no: a for a in repo.agents(include_inactive=True)}
            # The people the file names (looked up as the rows below look them up) are claimed
            # before anything of theirs is read, all at once and in one order whatever the file's:
            # a form's edit of one of them waits for this import and then sees what it wrote; an
            # edit already under way commits first and is read here as the value this replaces.
            named = (agents[no].person_id for no in (row.get("employee_no", "").strip() for _n, row in rows) if no in agents)
            repo.claim_people(set(named))
            for i, (number, row) in enumerate(rows):
                if progress and i % _PROGRESS_EVERY == 0 and not progress(i, len(rows)):
                    report.cancelled = True
                    return report  # nothing committed
                try:
                    no = required(row, "employee_no")
                    agent = agents.get(no)
                    if agent is None:
                        raise ValidationError(N_("No agent with employee number {no}"), field="employee_no", no=no)
                    if unique:
                        ident = (no, month_key(required(row, "month")))
                        if ident in seen:
                            raise ValidationError(
                                N_("{no} appears twice for {month} in the file (first in row {row})."),
                                field="employee_no", no=no, month=ident[1], row=seen[ident],
                            )  # fmt: skip
                        seen[ident] = number
                    # Every handler validates the whole row before it writes anything.
                    outcome = handle(uow, repo, agent, row, number)
                except CsdeskError as exc:
                    report.reject(number, exc, "date" if fmt is EVENTS_FORMAT else "month")
                    continue
                first, last = span(row, number)
                report.took(first, agent.person_id if outcome != "duplicate" else None, last)
                if outcome == "duplicate":
                    report.duplicates += 1
                elif outcome == "updated":
                    report.updated += 1
                else:
                    report.written += 1
            self.audit(
                uow, actor, f"import.{fmt.kind}", "file", path.name,
                written=report.written, updated=report.updated, duplicates=report.duplicates, rejected=len(report.problems),
            )  # fmt: skip
            uow.commit()
        return report
