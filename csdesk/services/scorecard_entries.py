"""The scorecards area's writes: ratings, the adjustment, exam scores, KPI inputs and events.

Each checks the permission and the month lock, takes its turn on the agent's month (two PCs
never overwrite each other silently: a value typed over one another PC stored since is refused),
and writes its audit entry in the same unit of work. A write of a month's value gives back the
agent's card as it now is (the entry grid's preview): computed with the events other areas keep,
which :class:`~csdesk.services.scorecards.ScorecardService` hands in as ``external``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from csdesk.errors import NotFound, RuleViolation, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain_scorecards import AgentRecord, EventRecord
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.policy import Policy
from csdesk.rules.kpi import SCORE_MAX
from csdesk.rules.scoring import (
    Number,
    validate_adjustment,
    validate_event_points,
    validate_exam,
    validate_rating,
)
from csdesk.services.base import UNSEEN, Actor, Clock, Service, require, stale_write, visible_to
from csdesk.services.months import check_open, month_first
from csdesk.services.scorecard_access import (
    EDIT,
    MANUAL,
    PER_MONTH_MESSAGE,
    VIEW,
    check_day,
    find_agent,
    require_rate,
)
from csdesk.services.scorecard_compute import (
    KIND_360,
    KIND_KPI,
    AgentScorecard,
    agent_card,
    load_inputs,
    month_end,
    month_key_of,
)

#: The events other areas keep of some agents between two days (ScorecardService._external).
ExternalEvents = Callable[[UnitOfWork, Iterable[AgentRecord], date, date], list[EventRecord]]


class ScorecardEntries(Service):
    """What people enter into a month's scorecards (see the module docstring)."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock, *, external: ExternalEvents) -> None:
        super().__init__(uow, policy, clock)
        self._external = external

    # --- ratings, adjustment, exam ----------------------------------------------------------

    def set_rating(
        self, actor: Actor, month: str | date, employee_no: str, criterion: str, value: Number | None,
        *, expected: object = UNSEEN,
    ) -> AgentScorecard:
        """rules.md §5: one criterion of the rated part (None clears it). ``expected``: the value
        the person saw (StaleWrite if another PC stored another one since)."""
        require_rate(actor)
        number = None if value is None else validate_rating(criterion, value, self.policy)
        return self._write_month(
            actor, month, employee_no,
            lambda repo, agent, key: repo.set_rating(agent.person_id, key, criterion, number, actor.username, self.now()),
            "rating.set", expected, criterion=criterion, value=number,
        )  # fmt: skip

    def set_adjustment(
        self, actor: Actor, month: str | date, employee_no: str, value: Number | None, reason: str = "",
        *, expected: object = UNSEEN,
    ) -> AgentScorecard:
        """rules.md §5: the −5…+5 adjustment; a reason is mandatory when it is not 0."""
        require_rate(actor)
        reason = (reason or "").strip()
        number = None if value is None else validate_adjustment(value, reason, self.policy)
        return self._write_month(
            actor, month, employee_no,
            lambda repo, agent, key: repo.set_adjustment(agent.person_id, key, number, reason, actor.username, self.now()),
            "adjustment.set", expected, value=number, reason=reason,
        )  # fmt: skip

    def set_exam(
        self, actor: Actor, month: str | date, employee_no: str, score: Number | None, *, expected: object = UNSEEN
    ) -> AgentScorecard:
        """rules.md §7: the monthly exam score, 0–100 (None clears it)."""
        require_rate(actor)
        number = None if score is None else validate_exam(score, self.policy)
        return self._write_month(
            actor, month, employee_no,
            lambda repo, agent, key: repo.set_exam(agent.person_id, key, number, actor.username, self.now()),
            "exam.set", expected, value=number,
        )  # fmt: skip

    def set_kpi_inputs(
        self, actor: Actor, month: str | date, employee_no: str,
        kpis: Mapping[str, Number | None] | None = None, scores_360: Mapping[str, Number | None] | None = None,
    ) -> AgentScorecard:  # fmt: skip
        """rules.md §6: raw KPIs (satisfaction %, complaints per 1,000, response s) and 360 scores."""
        require_rate(actor)
        values: list[tuple[str, str, Decimal | None]] = []
        for name, raw in (kpis or {}).items():
            scale = self.policy.kpi.scales.get(name)
            if scale is None:
                raise ValidationError(N_("Unknown KPI {kpi}"), field=name, kpi=name)
            number = None if raw is None else Decimal(str(raw))
            if number is not None and (number < 0 or (scale.max is not None and number > Decimal(str(scale.max)))):
                if scale.max is None:
                    raise ValidationError(N_("{kpi} cannot be negative, not {value}"), field=name, kpi=name, value=number)
                raise ValidationError(
                    N_("{kpi} must be between 0 and {max}, not {value}"),
                    field=name, kpi=name, max=Decimal(str(scale.max)), value=number,
                )  # fmt: skip
            values.append((KIND_KPI, name, number))
        for name, raw in (scores_360 or {}).items():
            if name not in self.policy.kpi.evaluator_weights:
                raise ValidationError(N_("Unknown evaluator {evaluator}"), field=name, evaluator=name)
            number = None if raw is None else Decimal(str(raw))
            if number is not None and not 0 <= number <= SCORE_MAX:
                raise ValidationError(
                    N_("The score of {evaluator} must be between 0 and {max}, not {value}"),
                    field=name, evaluator=name, max=SCORE_MAX, value=number,
                )  # fmt: skip
            values.append((KIND_360, name, number))

        def write(repo: ScorecardRepository, agent: AgentRecord, key: str) -> None:
            for kind, name, number in values:
                repo.set_kpi_input(agent.person_id, key, kind, name, number)

        return self._write_month(actor, month, employee_no, write, "kpi.set", values=[list(v) for v in values])

    # --- events -----------------------------------------------------------------------------

    def record_event(
        self, actor: Actor, employee_no: str, day: date, code: str, points: Number | None = None, note: str = ""
    ) -> EventRecord:
        """Appendix A: a bonus or deduction event; points default to the code's, inside its range."""
        require(actor, EDIT)
        signed = validate_event_points(code, points, self.policy)
        check_day(day, self.now().date())
        with self._uow() as uow:
            repo = uow.scorecards
            agent = find_agent(repo, employee_no)
            visible_to(uow, actor, VIEW).check(agent.person_id)  # a team lead records for their team
            check_open(uow, day)
            repo.claim_people([agent.person_id])  # the monthly limit is counted with no other writer between
            self._check_per_month(repo, agent, day, code)
            event_id = repo.add_event(agent.person_id, day, code, signed, MANUAL, note.strip(), actor.username, self.now())
            self.audit(uow, actor, "event.record", "evaluation_event", event_id,
                       employee_no=employee_no, day=day, code=code, points=signed, note=note.strip())  # fmt: skip
            uow.commit()
            record = repo.event(event_id)
        assert record is not None
        return record

    def correct_event(
        self, actor: Actor, event_id: int, reason: str, *,
        day: date | None = None, code: str | None = None, points: Number | None = None, note: str | None = None,
        version: int | None = None,
    ) -> EventRecord:  # fmt: skip
        """Change an event's date, code, points or note; the reason and the old values are kept.
        ``version`` is the event's version the person saw (StaleWrite if another PC changed it since)."""
        return self._change_event(actor, event_id, reason, "correct", version, day=day, code=code, points=points, note=note)

    def void_event(self, actor: Actor, event_id: int, reason: str, *, version: int | None = None) -> EventRecord:
        """Take an event out of the count; it stays on record with the reason (never deleted)."""
        return self._change_event(actor, event_id, reason, "void", version)

    def _change_event(
        self, actor: Actor, event_id: int, reason: str, action: str, version: int | None, **fields: Any
    ) -> EventRecord:
        require(actor, EDIT)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(N_("A reason is required to correct or void an event."), field="reason")
        with self._uow() as uow:
            repo = uow.scorecards
            self.claim(uow, "evaluation_event", event_id, version, N_("No evaluation event {id}"))
            event = repo.event(event_id)
            if event is None:
                raise NotFound(N_("No evaluation event {id}"), id=event_id)
            visible_to(uow, actor, VIEW).check(event.person_id)
            if event.voided:
                raise ValidationError(N_("Event {id} is void already."), field="event", id=event_id)
            if event.source != MANUAL:
                raise ValidationError(
                    N_("Event {id} comes from attendance: correct the attendance record instead."), field="event", id=event_id
                )
            check_open(uow, event.day)
            changes: dict[str, Any] = {"voided": True} if action == "void" else {}
            if action == "correct":
                new_day, new_code = fields["day"] or event.day, fields["code"] or event.code
                if new_day != event.day:
                    check_day(new_day, self.now().date())
                    check_open(uow, new_day)
                raw = fields["points"] if fields["points"] is not None else (event.points if new_code == event.code else None)
                changes = {"day": new_day, "code": new_code, "points": validate_event_points(new_code, raw, self.policy)}
                if fields["note"] is not None:
                    changes["note"] = fields["note"].strip()
            _before, after = repo.change_event(event_id, by=actor.username, at=self.now(), action=action, reason=reason, **changes)
            self.audit(uow, actor, f"event.{action}", "evaluation_event", event_id, reason=reason, **changes)
            uow.commit()
        return after

    # --- helpers --------------------------------------------------------------------------------

    def _check_per_month(self, repo: ScorecardRepository, agent: AgentRecord, day: date, code: str) -> None:
        limit = self.policy.event(code).per_month
        if not limit:
            return
        first = day.replace(day=1)
        same = [e for e in repo.events(first, month_end(first), [agent.person_id]) if e.code == code]
        if len(same) >= limit:
            raise RuleViolation(
                PER_MONTH_MESSAGE, field="code", code=code, n=limit, name=agent.name, date=same[0].day.isoformat(),
            )  # fmt: skip

    def _write_month(
        self, actor: Actor, month: str | date, employee_no: str, write: Any, action: str, expected: object = UNSEEN,
        **details: Any,
    ) -> AgentScorecard:
        """One value of an agent's month. ``expected`` is the value the person's screen showed
        (None: empty): if another PC stored a different one since, nothing is written (StaleWrite)."""
        first = month_first(month)
        key = month_key_of(first)
        with self._uow() as uow:
            repo = uow.scorecards
            agent = find_agent(repo, employee_no)
            uow.claim("person", agent.person_id)  # writers of this agent's month take turns
            if agent.join_date is not None and agent.join_date > month_end(first):
                raise ValidationError(
                    N_("{name} joined on {join_date}, after {month}."), field="month", name=agent.name,
                    join_date=agent.join_date.isoformat(), month=key,
                )  # fmt: skip
            check_open(uow, first)
            before = write(repo, agent, key)
            if expected is not UNSEEN and _number(expected) != before:
                raise stale_write(uow, "scorecard", f"{employee_no}/{key}")
            self.audit(uow, actor, action, "scorecard", f"{employee_no}/{key}", before=before, **details)
            uow.commit()
            inputs = load_inputs(repo, [first], [agent], all_agents=False, extra=self._external(uow, [agent], first, month_end(first)))
        return agent_card(agent, first, inputs, self.policy)



def _number(value: object) -> Decimal | None:
    """A value as the person saw it, comparable with a stored one."""
    return None if value is None else Decimal(str(value))
