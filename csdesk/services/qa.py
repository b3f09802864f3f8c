"""The quality-inspection area's use cases (rules.md §10): inspections recorded on a form or
imported from a file, the month's summary per agent, findings fed back and re-checked, spot-check
errors turned into evaluation events, the weekly quota and calibration.

A saved inspection keeps its exact score and points at the copy of the form it was scored with
(``qa_forms``, one per form code and version): a later change of the policy never changes it, and
a form changed under a version already used is refused until its version is raised. Calibration
inspections are kept like any other and never count in an agent's results or quota.

Permissions: ``qa.view`` to read (a team lead their team's, an agent their own), ``qa.edit`` to
record and import inspections and to follow findings up. Calibration is the inspectors' own work:
calibration inspections and the comparison of a contact's inspectors are for ``qa.edit`` only
(lists leave them out for other readers; asking for one is refused). Turning a finding into a deduction goes
through :meth:`ScorecardService.record_event`, which also asks for ``scorecards.edit``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from csdesk.errors import NotFound, PolicyError, StorageError, ValidationError
from csdesk.i18n import N_, _
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain import Person
from csdesk.models.domain_qa import FindingRecord, InspectionRecord, StoredForm
from csdesk.policy import Policy
from csdesk.policy.loader import build_part
from csdesk.policy.model import QaForm
from csdesk.records import record
from csdesk.rules.qa import (
    FED_BACK,
    OPEN,
    OUTCOMES,
    RECHECKED,
    AgentQaSummary,
    CalibrationEntry,
    RawAnswer,
    ScoredInspection,
    calibrate,
    month_bounds,
    parse_answer,
    round_half_up,
    score_answers,
    summarise,
)
from csdesk.rules.qa import behind as quota_behind
from csdesk.services.base import Actor, Clock, Service, require, stale_write, visible_to
from csdesk.services.imports.reader import (
    ImportReport,
)
from csdesk.services.months import month_first, month_key
from csdesk.services.policy_service import site_in_force
from csdesk.services.qa_recording import EDIT, Progress, QaRecording, person_named
from csdesk.services.qa_sampling import proposed_contacts
from csdesk.services.qa_types import (
    AgentQaLine,
    CalibrationContact,
    CalibrationView,
    InspectionDetail,
    InspectionEntry,
    ProposedAgent,
    QaAverage,
    QaMonth,
    QuotaLine,
)
from csdesk.services.scorecard_access import check_day

if TYPE_CHECKING:
    from csdesk.reports.qa_inspection import QaInspectionInput, QuestionLine, SectionLine
    from csdesk.reports.qa_summary import QaSummaryInput, SummaryRow
    from csdesk.services.scorecards import ScorecardService

VIEW = "qa.view"

@record
class _MonthFacts:
    """What a month's summary is counted from, for the team and agent the reader may see."""

    team: str | None
    counted: list[ScoredInspection]
    open_counts: dict[str, int]
    people: dict[str, Person]


class QAService(Service):
    """Inspections, the month's QA summary, findings, the weekly quota and calibration; recording
    and importing inspections is a part of its own (:class:`QaRecording`), held and delegated to."""

    def __init__(
        self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now,
        scorecards: Callable[[], ScorecardService] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(uow, policy, clock)
        self._scorecards = scorecards  # where a spot-check error becomes an evaluation event
        self._recording = QaRecording(uow, policy, clock)  # inspections recorded and imported

    def forms(self) -> tuple[QaForm, ...]:
        """The inspection forms of the policy in force, the default one first."""
        return self.policy.qa.all_forms

    def agents(self, actor: Actor, team: str | None = None) -> list[tuple[str, str]]:
        """(employee_no, name) of the active agents ``actor`` sees (an agent: themselves)."""
        with self._uow() as uow:
            return [(p.employee_no, p.name) for p in _visible_agents(uow, actor, team)]

    def inspectors(self, actor: Actor) -> list[tuple[str, str]]:
        """(employee_no, name) of the active staff who may inspect a contact (everyone but agents)."""
        require(actor, EDIT)
        with self._uow() as uow:
            return [(p.employee_no, p.name) for p in uow.people.list() if p.role != "agent"]

    # --- recording ------------------------------------------------------------------------

    def record_inspection(
        self, actor: Actor, employee_no: str, contact: str, day: date, answers: Mapping[str, RawAnswer], *,
        inspector: str | None = None, form: str | None = None, mode: str | None = None, calibration: bool = False,
        comment: str = "", comments: Mapping[str, str] | None = None,
    ) -> InspectionDetail:  # fmt: skip
        """Save one inspection of ``employee_no``'s ``contact`` on ``day`` (rules.md §10), with its
        answers {question: yes/no/na/points}. ``inspector``: an employee no. (default: the person
        the account belongs to). Failed items become findings, except on a calibration inspection.
        Saving the same answers again changes nothing; other answers under the same agent, contact,
        inspector and day are refused."""
        entry = InspectionEntry(employee_no, contact, day, answers, inspector, form, mode, calibration, comment,
                                comments)  # fmt: skip
        with self._uow() as uow:
            (inspection_id,) = self._recording.record(uow, actor, (entry,))
            uow.commit()
            return self._detail(uow, inspection_id)

    def record_inspections(self, actor: Actor, entries: Sequence[InspectionEntry]) -> list[int]:
        """Save several inspections together, each as :meth:`record_inspection` saves it (one
        audit entry each), all or none: the first refused refuses them all. Returns their ids in
        the order given (an inspection saved before with the same answers: its id)."""
        with self._uow() as uow:
            ids = self._recording.record(uow, actor, entries)
            uow.commit()
        return ids

    def import_inspections(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import inspections`` (interfaces.md): see :meth:`QaRecording.import_inspections`."""
        return self._recording.import_inspections(actor, path, progress, date_order=date_order)

    # --- reading ------------------------------------------------------------------------------

    def month_summary(self, actor: Actor, month: str | date, *, team: str | None = None,
                      employee_no: str | None = None) -> QaMonth:  # fmt: skip
        """``csdesk qa`` (interfaces.md): per agent the month's inspections, average, critical
        failures and findings open at its end, from the stored scores; calibration never counts."""
        first = month_first(month)
        with self._uow() as uow:
            facts = _month_facts(uow, actor, first, team, employee_no)
        people = facts.people
        return QaMonth(month_key(first), tuple(
            AgentQaLine(s.agent, people[s.agent].name, people[s.agent].team, s.inspections, s.average,
                        s.critical_failures, s.open_findings)
            for s in summarise(facts.counted, facts.open_counts)
        ))  # fmt: skip

    def averages(
        self, actor: Actor, month: str | date, team: str | None = None
    ) -> dict[str, tuple[Decimal, int]]:
        """{employee_no: (average, inspections)} of the month's inspected agents, as
        :meth:`month_summary` counts them (a guide beside the rated service quality)."""
        summary = self.month_summary(actor, month, team=team)
        return {a.employee_no: (a.average, a.inspections) for a in summary.agents if a.average is not None}

    def average(self, actor: Actor, month: str | date, employee_no: str) -> QaAverage:
        """One agent's QA average and counted inspections of the month (calibration never counts),
        as :meth:`month_summary` counts them: the guide a scorecard shows beside service quality."""
        first = month_first(month)
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            agent = person_named(uow, employee_no, "employee_no")
            visible.check(agent.id)
            counted = uow.qa.scores(first, month_bounds(first)[1], employee_no=agent.employee_no)
        line = next(iter(summarise(counted, {})), None)
        return QaAverage(agent.employee_no, line.inspections if line else 0, line.average if line else None)

    def inspections(
        self, actor: Actor, month: str | date, *, team: str | None = None, employee_no: str | None = None,
        calibration: bool = False,
    ) -> list[InspectionRecord]:  # fmt: skip
        """The month's inspections of the agents ``actor`` sees (calibration ones when asked, and
        only to those who may inspect: other readers get the inspections that count)."""
        first, last = month_bounds(month_first(month))
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, VIEW).narrow(team, employee_no)
            return uow.qa.inspections(first, last, team=team, employee_no=employee_no,
                                      calibration=calibration and may_calibrate(actor))  # fmt: skip

    def inspection(self, actor: Actor, inspection_id: int) -> InspectionDetail:
        """One inspection with its answers, its score as saved and its findings (a calibration
        inspection only for those who may inspect)."""
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            record = uow.qa.inspection(inspection_id)
            if record is None:
                raise NotFound(N_("No inspection {id}"), id=inspection_id)
            if record.calibration:
                require(actor, EDIT)
            visible.check(record.person_id)
            return self._detail(uow, inspection_id)

    def _detail(self, uow: UnitOfWork, inspection_id: int) -> InspectionDetail:
        record = uow.qa.inspection(inspection_id)
        assert record is not None
        form = _stored_form(uow.qa.form_by_id(record.form_id))
        order = {q: i for i, q in enumerate((*form.questions, *form.bonus_points))}
        answers = tuple(sorted(uow.qa.answers([inspection_id])[inspection_id], key=lambda a: order[a.question]))
        result = score_answers([parse_answer(a.question, a.answer, form) for a in answers], form)
        return InspectionDetail(record, form, answers, result, tuple(uow.qa.findings(inspection_id=inspection_id)))

    def behind_quota(self, actor: Actor, week_of: date | None = None, *, team: str | None = None) -> list[QuotaLine]:
        """The agents inspected fewer times than the weekly minimum in the week (Monday to Sunday)
        of ``week_of`` (default: today); calibration inspections do not count (rules.md §10)."""
        day = week_of or self.now().date()
        monday = day - timedelta(days=day.weekday())
        with self._uow() as uow:
            agents = _visible_agents(uow, actor, team)
            counts = uow.qa.counts(monday, monday + timedelta(days=6), [p.id for p in agents])
        by_no = {p.employee_no: p for p in agents}
        done = {p.employee_no: counts.get(p.id, 0) for p in agents}
        return [
            QuotaLine(s.agent, by_no[s.agent].name, by_no[s.agent].team, s.done, s.required)
            for s in quota_behind(done, by_no, self.policy)
        ]

    def sample(self, actor: Actor, week_start: date, *, team: str | None = None) -> list[ProposedAgent]:
        """Every agent ``actor`` sees, proposed for inspection in the week (Monday to Sunday) of
        ``week_start``: those behind the weekly minimum first (most missing first), then those
        inspected least in the week's month, then by employee no. (the same order every time).
        Each agent behind has the week's calls and contacts to inspect proposed (qa_sampling)."""
        monday = week_start - timedelta(days=week_start.weekday())
        first, last = month_bounds(monday)
        required = self.policy.qa.min_inspections_per_week
        with self._uow() as uow:
            agents = _visible_agents(uow, actor, team)
            ids = [p.id for p in agents]
            week = uow.qa.counts(monday, monday + timedelta(days=6), ids)
            month = uow.qa.counts(first, last, ids)
            needed = {p.id: max(0, required - week.get(p.id, 0)) for p in agents}
            contacts = proposed_contacts(uow, needed, monday, self.policy.callbacks.effective_outcomes)
        proposed = [
            ProposedAgent(p.employee_no, p.name, p.team, week.get(p.id, 0), needed[p.id], month.get(p.id, 0),
                          contacts.get(p.id, ()))
            for p in agents
        ]  # fmt: skip
        return sorted(proposed, key=lambda a: (-a.needed, a.month_done, a.employee_no))

    def calibration_contacts(self, actor: Actor, month: str | date, *, team: str | None = None) -> list[CalibrationContact]:
        """The month's contacts that several inspectors scored (what calibration compares), by
        agent and contact; none for a reader who may not inspect (calibration is theirs)."""
        if not may_calibrate(actor):
            require(actor, VIEW)
            return []
        inspected: dict[tuple[str, str], list[InspectionRecord]] = {}
        for inspection in self.inspections(actor, month, team=team, calibration=True):
            inspected.setdefault((inspection.employee_no, inspection.contact), []).append(inspection)
        return [
            CalibrationContact(no, records[0].name, contact, len(records))
            for (no, contact), records in sorted(inspected.items())
            if len(records) > 1
        ]

    def calibration(self, actor: Actor, employee_no: str, contact: str) -> CalibrationView:
        """Every inspector's inspection of one contact side by side (rules.md §10): per question
        and per inspector the spread against the agreed answers, those of the inspection that
        counts (the one not marked calibration). For those who may inspect only."""
        with self._uow() as uow:
            visible = visible_to(uow, actor, EDIT)
            agent = person_named(uow, employee_no, "employee_no")
            visible.check(agent.id)
            records = uow.qa.of_contact(agent.id, contact.strip())
            if not records:
                raise NotFound(N_("No inspection of contact {contact}"), contact=contact)
            if len({r.form_id for r in records}) > 1:
                raise ValidationError(
                    N_("The inspections of contact {contact} were made on different forms and cannot be compared."),
                    field="contact", contact=contact,
                )  # fmt: skip
            form = _stored_form(uow.qa.form_by_id(records[0].form_id))
            answers = uow.qa.answers([r.id for r in records])
        entries = [
            CalibrationEntry(r.inspector_no, tuple(parse_answer(a.question, a.answer, form) for a in answers[r.id]),
                             r.exact, r.calibration)
            for r in records
        ]  # fmt: skip
        return CalibrationView(agent.employee_no, contact.strip(), tuple(records), calibrate(entries, form))

    # --- printing (the reports are pure renderers of what is built here) -------------------------

    def inspection_report(self, actor: Actor, inspection_id: int) -> QaInspectionInput:
        """What the printed report of one inspection shows: the inspection as saved, each
        question of its form as answered, its scores and its findings."""
        from csdesk.reports.qa_inspection import QaInspectionInput

        detail = self.inspection(actor, inspection_id)
        with self._uow() as uow:
            site = site_in_force(uow, self.policy)
        sections, bonus = _report_lines(detail)
        return QaInspectionInput(
            site.name, site.logo, self.now(), detail.inspection, sections, bonus, round_half_up(detail.result.bonus),
            detail.result.critical_failures, detail.findings,
        )  # fmt: skip

    def print_inspection(self, actor: Actor, inspection_id: int, out: Path | BinaryIO) -> None:
        """``csdesk print qa-inspection ID``: the inspection report, in the current language."""
        from csdesk.reports import qa_inspection

        qa_inspection.render(self.inspection_report(actor, inspection_id), out)

    def month_report(self, actor: Actor, month: str | date, *, team: str | None = None) -> QaSummaryInput:
        """The month's QA summary as printed: the agents of each team as ``csdesk qa`` counts
        them, each team's figures and the month's (averages over every counted inspection)."""
        from csdesk.reports.qa_summary import QaSummaryInput, SummaryRow, TeamSummary

        first = month_first(month)
        with self._uow() as uow:
            facts = _month_facts(uow, actor, first, team, None)
            site = site_in_force(uow, self.policy)
        people = facts.people
        team_of = {no: p.team or "" for no, p in people.items()}
        teams: dict[str, list[SummaryRow]] = {}
        for s in summarise(facts.counted, facts.open_counts):
            teams.setdefault(team_of[s.agent], []).append(_summary_row(s, s.agent, people[s.agent].name))
        per_team = _by_group(facts, team_of)
        whole = _by_group(facts, dict.fromkeys(people, "")).get("")
        return QaSummaryInput(
            site.name, site.logo, self.now(), first, facts.team,
            tuple(TeamSummary(t or None, tuple(rows), _summary_row(per_team[t])) for t, rows in sorted(teams.items())),
            _summary_row(whole) if whole else SummaryRow("", "", 0, None, 0, 0),
        )  # fmt: skip

    def print_month(self, actor: Actor, month: str | date, out: Path | BinaryIO, *, team: str | None = None) -> None:
        """``csdesk print qa-summary --month M [--team T]``: the month's QA summary per team."""
        from csdesk.reports import qa_summary

        qa_summary.render(self.month_report(actor, month, team=team), out)

    # --- findings --------------------------------------------------------------------------------

    def findings(
        self, actor: Actor, *, team: str | None = None, employee_no: str | None = None, open_only: bool = True
    ) -> list[FindingRecord]:
        """Findings of the agents ``actor`` sees, by deadline (only those not put right yet, by default)."""
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, VIEW).narrow(team, employee_no)
            return uow.qa.findings(team=team, employee_no=employee_no, open_only=open_only)

    def feed_back(self, actor: Actor, finding_id: int, note: str = "", *, version: int | None = None) -> FindingRecord:
        """The finding was fed back to the agent and their team lead (rules.md §10). ``version``:
        the finding's version the person saw (StaleWrite if another PC changed it since)."""
        require(actor, EDIT)
        with self._uow() as uow:
            finding = self._claimed(uow, actor, finding_id, version)
            if finding.status != OPEN:
                raise ValidationError(N_("Finding {id} was fed back already."), field="status", id=finding_id)
            note = note.strip() or finding.note
            uow.qa.update_finding(finding_id, status=FED_BACK, fed_back_at=self.now(), fed_back_by=actor.username,
                                  note=note)  # fmt: skip
            self.audit(uow, actor, "qa.feedback", "qa_finding", finding_id, employee_no=finding.employee_no,
                       question=finding.question, note=note)  # fmt: skip
            uow.commit()
            return _found(uow, finding_id)

    def recheck(
        self, actor: Actor, finding_id: int, outcome: str, note: str = "", *, day: date | None = None,
        version: int | None = None,
    ) -> FindingRecord:  # fmt: skip
        """The finding was re-checked on ``day`` (default today): ``resolved`` closes it,
        ``unresolved`` keeps it open for another re-check (rules.md §10)."""
        require(actor, EDIT)
        if outcome not in OUTCOMES:
            raise ValidationError(N_("The outcome must be one of {outcomes}."), field="outcome",
                                  outcomes=", ".join(OUTCOMES))  # fmt: skip
        day = day or self.now().date()
        check_day(day, self.now().date())
        with self._uow() as uow:
            finding = self._claimed(uow, actor, finding_id, version)
            if finding.status == OPEN:
                raise ValidationError(N_("Finding {id} has not been fed back yet."), field="status", id=finding_id)
            if finding.closed_on is not None:
                raise ValidationError(N_("Finding {id} was found put right on {date}."), field="status", id=finding_id,
                                      date=finding.closed_on.isoformat())  # fmt: skip
            if day < finding.inspected_on:
                raise ValidationError(N_("A re-check cannot come before the inspection ({date})."), field="date",
                                      date=finding.inspected_on.isoformat())  # fmt: skip
            note = note.strip() or finding.note
            uow.qa.update_finding(finding_id, status=RECHECKED, outcome=outcome, rechecked_on=day,
                                  rechecked_by=actor.username, note=note)  # fmt: skip
            self.audit(uow, actor, "qa.recheck", "qa_finding", finding_id, employee_no=finding.employee_no,
                       question=finding.question, outcome=outcome, day=day, note=note)  # fmt: skip
            uow.commit()
            return _found(uow, finding_id)

    def deduct_spot_check(self, actor: Actor, finding_id: int, points: int | None = None, *,
                          version: int | None = None) -> FindingRecord:  # fmt: skip
        """A spot-check error becomes a deduction in one step (rules.md §5, §10): the policy's
        event (M13) on the inspection's day, ``points`` inside the code's range (default its
        smallest), recorded by the scorecards area (which checks ``scorecards.edit`` and the
        month's lock); the finding keeps the event. Once per finding."""
        require(actor, EDIT)
        with self._uow() as uow:
            finding = self._visible_finding(uow, actor, finding_id)
            if version is not None and version != finding.version:
                raise stale_write(uow, "qa_finding", finding_id)
            if finding.event_id is not None:
                raise _deducted_already(finding)
        assert self._scorecards is not None, "the composition root gives the QA service the scorecards"
        scorecards = self._scorecards()
        note = f"{finding.contact} {finding.question}"
        event = scorecards.record_event(actor, finding.employee_no, finding.inspected_on, self.policy.qa.spot_check_event,
                                        points, note)  # fmt: skip
        with self._uow() as uow:
            self.claim(uow, "qa_finding", finding_id, None, N_("No finding {id}"))
            current = _found(uow, finding_id)
            if current.event_id is None:
                uow.qa.update_finding(finding_id, event_id=event.id)
                self.audit(uow, actor, "qa.spot_check", "qa_finding", finding_id, employee_no=finding.employee_no,
                           question=finding.question, code=event.code, points=event.points)  # fmt: skip
                uow.commit()
                return _found(uow, finding_id)
        # Another PC made it a deduction meanwhile: one is enough (voided once the claim is let go).
        scorecards.void_event(actor, event.id, _("Recorded twice for finding {id}").format(id=finding_id))
        raise _deducted_already(current)

    def _claimed(self, uow: UnitOfWork, actor: Actor, finding_id: int, version: int | None) -> FindingRecord:
        self.claim(uow, "qa_finding", finding_id, version, N_("No finding {id}"))
        return self._visible_finding(uow, actor, finding_id)

    def _visible_finding(self, uow: UnitOfWork, actor: Actor, finding_id: int) -> FindingRecord:
        visible = visible_to(uow, actor, EDIT)
        finding = _found(uow, finding_id)
        visible.check(finding.person_id)
        return finding


# --- helpers ------------------------------------------------------------------------------------


def may_calibrate(actor: Actor) -> bool:
    """Whether ``actor`` sees calibration (rules.md §10): the inspectors' own work, for those who
    may record inspections (``qa.edit``)."""
    return actor.can(EDIT)


def _visible_agents(uow: UnitOfWork, actor: Actor, team: str | None) -> list[Person]:
    """The active agents of ``team`` (or every team) that ``actor`` sees (an agent: themselves)."""
    team, employee_no = visible_to(uow, actor, VIEW).narrow(team, None)
    return [p for p in uow.people.list(team=team, roles=("agent",)) if employee_no in (None, p.employee_no)]


def _stored_form(stored: StoredForm) -> QaForm:
    """The form as it was when inspections were saved with it."""
    try:
        return build_part(QaForm, json.loads(stored.definition), f"qa_forms:{stored.id}")
    except (PolicyError, ValueError) as exc:
        raise StorageError(N_("The stored copy of form {form} version {version} cannot be read."),
                           form=stored.code, version=stored.version) from exc  # fmt: skip


def _found(uow: UnitOfWork, finding_id: int) -> FindingRecord:
    finding = uow.qa.finding(finding_id)
    if finding is None:
        raise NotFound(N_("No finding {id}"), id=finding_id)
    return finding


def _deducted_already(finding: FindingRecord) -> ValidationError:
    return ValidationError(N_("Finding {id} is a deduction already (evaluation event {event})."), field="finding",
                           id=finding.id, event=finding.event_id)  # fmt: skip


def _month_facts(uow: UnitOfWork, actor: Actor, first: date, team: str | None, employee_no: str | None) -> _MonthFacts:
    """The counted inspections of ``first``'s month, the findings open at its end and the
    people they belong to, narrowed to what ``actor`` sees."""
    last = month_bounds(first)[1]
    team, employee_no = visible_to(uow, actor, VIEW).narrow(team, employee_no)
    _check_known(uow, team, employee_no)
    return _MonthFacts(
        team, uow.qa.scores(first, last, team, employee_no), uow.qa.open_counts(last, team, employee_no),
        {p.employee_no: p for p in uow.people.list(team=team, include_inactive=True)},
    )  # fmt: skip


def _check_known(uow: UnitOfWork, team: str | None, employee_no: str | None) -> None:
    """A team or employee number asked for that does not exist is refused, naming it (an empty
    answer would read as "nothing happened that month")."""
    if team and team not in uow.teams.id_by_name():
        raise ValidationError(N_("No team named {name}"), field="team", name=team)
    if employee_no:
        person_named(uow, employee_no, "employee_no")


def _by_group(facts: _MonthFacts, group: Mapping[str, str]) -> dict[str, AgentQaSummary]:
    """The month's figures of groups of agents (``group``: employee no. -> its group), each
    average the mean of every inspection of the group (not a mean of the agents' averages)."""
    scored = [ScoredInspection(group[i.agent], i.exact, i.critical_failure) for i in facts.counted]
    still_open: dict[str, int] = {}
    for agent, n in facts.open_counts.items():
        still_open[group[agent]] = still_open.get(group[agent], 0) + n
    return {s.agent: s for s in summarise(scored, still_open)}


def _summary_row(s: AgentQaSummary, employee_no: str = "", name: str = "") -> SummaryRow:
    from csdesk.reports.qa_summary import SummaryRow

    return SummaryRow(employee_no, name, s.inspections, s.average, s.critical_failures, s.open_findings)


def _report_lines(detail: InspectionDetail) -> tuple[tuple[SectionLine, ...], tuple[QuestionLine, ...]]:
    """The report's sections with every question of the form in form order (an unanswered one
    with no answer), and the bonus questions."""
    from csdesk.reports.qa_inspection import QuestionLine, SectionLine

    form = detail.form
    given = {a.question: a for a in detail.answers}
    critical = set(form.critical_questions).union(*(s.critical for s in form.sections))

    def line(question: str) -> QuestionLine:
        answer = given.get(question)
        credit = parse_answer(question, answer.answer, form).credit if answer else None
        points = form.points_of(question)
        earned = None if credit is None else round_half_up(credit * points)
        return QuestionLine(question, answer.answer if answer else "", earned, points,
                            answer.comment if answer else "", question in critical)  # fmt: skip

    scores = {s.code: s for s in detail.result.sections}
    sections = tuple(
        SectionLine(s.code, s.weight, None if (p := scores[s.code].percent) is None else round_half_up(p),
                    bool(scores[s.code].failed), tuple(line(q) for q in s.questions))
        for s in form.sections
    )  # fmt: skip
    return sections, tuple(line(b.code) for b in form.bonus_questions)
