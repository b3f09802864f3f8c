"""Agents acknowledge or dispute their month's scorecard and their quality inspections; the
supervisor arbitrates (issue 15).

An agent responds to their own month only (the account's person, which must be an agent the
scorecards see): "acknowledged" says they have seen it, "disputed" asks, with a reason, for it
to be looked at again. The supervisor decides each dispute, with a note for the agent: the card
is upheld as it is, or changed (the change itself is made the usual way, by correcting the
month, reopening it first when it is signed off). Every response and decision is audited.

An agent responds in the same way to each of their own quality inspections (rules.md §10), one
at a time, calibration inspections excepted (they never count in the agent's results); an
acknowledgement may carry a comment. The supervisor's "changed" records the decision only: an
inspection is kept as it was saved (the QA area has no way to re-score one), and what follows
from the decision (a deduction voided, a new inspection) is done the usual way.

Two PCs never overwrite each other silently: an arbitration names the dispute's version the
supervisor saw, and a response to an inspection the latest response the agent saw; either is
refused (StaleWrite) when another PC saved a decision or a response since.

A signed-off (locked) month takes responses and decisions too: they change none of its figures,
and the natural time to acknowledge a month is once it is signed. Locking a month with open
disputes warns and names them (:meth:`MonthService.lock_month`, the Scorecards page, and
``csdesk month lock``, which also name the month's open disputes of inspections).

Permissions: ``scorecards.view`` to respond to one's own month and to read responses (a team
lead their team's, an agent their own); ``qa.view`` likewise for inspections;
``scorecards.arbitrate`` to decide disputes of either; the open disputes are listed for whoever
arbitrates or signs months off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol, TypeVar

from csdesk.errors import NotFound, PermissionDenied, StaleWrite, ValidationError
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_disputes import ACKNOWLEDGED, DISPUTED, OUTCOMES, InspectionResponse, ScorecardResponse
from csdesk.models.domain_scorecards import AgentRecord
from csdesk.services.base import Actor, Service, require, visible_to
from csdesk.services.months import LOCK_PERMISSION, month_first, month_key
from csdesk.services.qa import VIEW as QA_VIEW
from csdesk.services.scorecard_access import VIEW
from csdesk.services.scorecard_compute import month_end

ARBITRATE = "scorecards.arbitrate"
ENTITY = "scorecard_response"  # the audit log's and csdesk.models.versioning's name of a response
INSPECTION_ENTITY = "inspection_response"  # the same for a response to an inspection

_NO_CARD = N_("Only an agent responds to a scorecard, and only to their own; your account has none.")
_AWAITS = N_("Your dispute of {month} awaits the supervisor's decision.")
_ACKNOWLEDGED_ALREADY = N_("You acknowledged {month} already.")
_INSPECTION_AWAITS = N_("Your dispute of inspection {id} awaits the supervisor's decision.")
_INSPECTION_ACKNOWLEDGED_ALREADY = N_("You acknowledged inspection {id} already.")
_NO_DISPUTE = N_("No dispute {id}")
_NO_INSPECTION = N_("No inspection {id}")


class _Response(Protocol):
    """What the checks shared by both kinds of response read (ScorecardResponse, InspectionResponse)."""

    @property
    def kind(self) -> str: ...
    @property
    def is_open(self) -> bool: ...


R = TypeVar("R", bound=_Response)


class DisputeService(Service):
    """An agent's acknowledgement or dispute of their month or of one of their inspections, and
    the supervisor's arbitration."""

    def acknowledge(self, actor: Actor, month: str | date) -> ScorecardResponse:
        """The agent has seen their month's scorecard and accepts it."""
        return self._respond(actor, month, ACKNOWLEDGED, "")

    def dispute(self, actor: Actor, month: str | date, reason: str) -> ScorecardResponse:
        """The agent asks for their month's scorecard to be looked at again; ``reason`` is required."""
        return self._respond(actor, month, DISPUTED, _required_reason(reason))

    def responses(self, actor: Actor, month: str | date, team: str | None = None) -> list[ScorecardResponse]:
        """The month's responses the actor sees (an agent their own, a team lead their team's)."""
        key = month_key(month)
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, VIEW).narrow(team, None)
            return uow.disputes.of_month(key, team=team, employee_no=employee_no)

    def open_disputes(self, actor: Actor, month: str | date) -> list[ScorecardResponse]:
        """The month's disputes not decided yet: for whoever arbitrates or signs the month off."""
        _require_arbiter_or_signer(actor)
        with self._uow() as uow:
            return uow.disputes.of_month(month_key(month), open_only=True)

    def arbitrate(
        self, actor: Actor, dispute_id: int, outcome: str, note: str, *, version: int | None = None
    ) -> ScorecardResponse:
        """Decide a dispute: the scorecard is ``upheld`` or ``changed``; ``note`` (required) tells
        the agent why. ``version``: the dispute's version the supervisor saw (StaleWrite if it
        was decided on another PC since)."""
        require(actor, ARBITRATE)
        note = _checked_decision(outcome, note)
        with self._uow() as uow:
            found = self._open_dispute(uow, ENTITY, dispute_id, version, uow.disputes.response)
            uow.disputes.decide(dispute_id, outcome, note, self.now(), actor.username)
            self.audit(uow, actor, "scorecard.arbitrate", ENTITY, dispute_id, employee_no=found.employee_no,
                       month=found.month, outcome=outcome, note=note)  # fmt: skip
            uow.commit()
            return _stored(uow, dispute_id)

    # --- responses to quality inspections ----------------------------------------------------------

    def acknowledge_inspection(
        self, actor: Actor, inspection_id: int, comment: str = "", *, seen: int | None = None
    ) -> InspectionResponse:
        """The agent has seen one of their inspections and accepts it (``comment`` optional).
        ``seen``: the id of the latest response the agent's screen showed (0: none; None: not
        checked); a response saved since, on another PC, refuses this one (StaleWrite)."""
        return self._respond_to_inspection(actor, inspection_id, ACKNOWLEDGED, (comment or "").strip(), seen)

    def dispute_inspection(
        self, actor: Actor, inspection_id: int, reason: str, *, seen: int | None = None
    ) -> InspectionResponse:
        """The agent asks for one of their inspections to be looked at again; ``reason`` is
        required. ``seen`` as for :meth:`acknowledge_inspection`."""
        return self._respond_to_inspection(actor, inspection_id, DISPUTED, _required_reason(reason), seen)

    def inspection_responses(
        self, actor: Actor, month: str | date, team: str | None = None, employee_no: str | None = None
    ) -> list[InspectionResponse]:
        """The responses to the month's inspections that the actor sees (an agent their own, a
        team lead their team's), by agent, inspection and the order they were made."""
        first = month_first(month)
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, QA_VIEW).narrow(team, employee_no)
            return uow.disputes.of_inspections(first, month_end(first), team=team, employee_no=employee_no)

    def open_inspection_disputes(self, actor: Actor, month: str | date) -> list[InspectionResponse]:
        """The disputes of the month's inspections not decided yet: for whoever arbitrates or
        signs the month off (as :meth:`open_disputes`)."""
        _require_arbiter_or_signer(actor)
        first = month_first(month)
        with self._uow() as uow:
            return uow.disputes.of_inspections(first, month_end(first), open_only=True)

    def arbitrate_inspection(
        self, actor: Actor, dispute_id: int, outcome: str, note: str, *, version: int | None = None
    ) -> InspectionResponse:
        """Decide a dispute of an inspection: it is ``upheld`` or ``changed`` (the decision is
        recorded; the inspection stays as saved); ``note`` (required) tells the agent why.
        ``version``: the dispute's version the supervisor saw (StaleWrite if it was decided on
        another PC since)."""
        require(actor, ARBITRATE)
        note = _checked_decision(outcome, note)
        with self._uow() as uow:
            found = self._open_dispute(uow, INSPECTION_ENTITY, dispute_id, version, uow.disputes.inspection_response)
            uow.disputes.decide_inspection(dispute_id, outcome, note, self.now(), actor.username)
            self.audit(uow, actor, "qa.arbitrate", INSPECTION_ENTITY, dispute_id, employee_no=found.employee_no,
                       inspection=found.inspection_id, contact=found.contact, day=found.inspected_on, decision=outcome,
                       note=note)  # fmt: skip
            uow.commit()
            return _stored_inspection(uow, dispute_id)

    # --- helpers --------------------------------------------------------------------------------

    def _respond(self, actor: Actor, month: str | date, kind: str, reason: str) -> ScorecardResponse:
        require(actor, VIEW)
        key = month_key(month)
        with self._uow() as uow:
            agent = _own_agent(uow, actor)
            uow.claim("person", agent.person_id)  # two PCs of the same agent take turns
            self._check_month(agent, key)
            _check_new_response(uow.disputes.latest(agent.person_id, key), kind, (_AWAITS, _ACKNOWLEDGED_ALREADY),
                                "month", month=key)  # fmt: skip
            response_id = uow.disputes.add(agent.person_id, key, kind, reason, self.now(), actor.username)
            details = {"reason": reason} if reason else {}
            self.audit(
                uow, actor, "scorecard.dispute" if kind == DISPUTED else "scorecard.acknowledge", ENTITY, response_id,
                employee_no=agent.employee_no, month=key, **details,
            )  # fmt: skip
            uow.commit()
            return _stored(uow, response_id)

    def _check_month(self, agent: AgentRecord, key: str) -> None:
        """The agent has a scorecard of the month: it has begun, and they had joined by its end."""
        first = month_first(key)
        if first > self.now().date():
            raise ValidationError(N_("{month} has not begun yet."), field="month", month=key)
        if agent.join_date is not None and agent.join_date > month_end(first):
            raise ValidationError(
                N_("{name} joined on {join_date}, after {month}."), field="month", name=agent.name,
                join_date=agent.join_date.isoformat(), month=key,
            )  # fmt: skip

    def _respond_to_inspection(
        self, actor: Actor, inspection_id: int, kind: str, reason: str, seen: int | None
    ) -> InspectionResponse:
        with self._uow() as uow:
            visible = visible_to(uow, actor, QA_VIEW)
            inspection = uow.qa.inspection(inspection_id)
            if inspection is None:
                raise NotFound(_NO_INSPECTION, id=inspection_id)
            visible.check(inspection.person_id)
            if actor.person_id is None or inspection.person_id != actor.person_id:
                raise PermissionDenied(N_("Only the agent inspected responds to an inspection."))
            if inspection.calibration:
                raise ValidationError(
                    N_("Inspection {id} is a calibration inspection: it does not count in your results."),
                    field="inspection", id=inspection_id,
                )  # fmt: skip
            uow.claim("person", inspection.person_id)  # two PCs of the same agent take turns
            latest = uow.disputes.latest_of_inspection(inspection_id)
            if seen is not None and (latest.id if latest is not None else 0) != seen:
                raise _answered_meanwhile(inspection_id, latest)
            _check_new_response(latest, kind,
                                (_INSPECTION_AWAITS, _INSPECTION_ACKNOWLEDGED_ALREADY), "inspection",
                                id=inspection_id)  # fmt: skip
            response_id = uow.disputes.add_inspection_response(inspection_id, kind, reason, self.now(), actor.username)
            details = {"reason": reason} if reason else {}
            self.audit(
                uow, actor, "qa.dispute" if kind == DISPUTED else "qa.acknowledge", INSPECTION_ENTITY, response_id,
                employee_no=inspection.employee_no, inspection=inspection_id, contact=inspection.contact,
                day=inspection.inspected_on, **details,
            )  # fmt: skip
            uow.commit()
            return _stored_inspection(uow, response_id)

    def _open_dispute(
        self, uow: UnitOfWork, entity: str, dispute_id: int, version: int | None, read: Callable[[int], R | None]
    ) -> R:
        """The dispute ``dispute_id``, claimed for this unit of work and still to be decided."""
        self.claim(uow, entity, dispute_id, version, _NO_DISPUTE)
        found = read(dispute_id)
        if found is None or found.kind != DISPUTED:
            raise NotFound(_NO_DISPUTE, id=dispute_id)
        if not found.is_open:
            raise ValidationError(N_("Dispute {id} was decided already."), field="outcome", id=dispute_id)
        return found


def _answered_meanwhile(inspection_id: int, latest: InspectionResponse | None) -> StaleWrite:
    """The refusal of a response based on an old screen: another response was saved since."""
    if latest is None:  # the response the screen showed is gone (a restore on another PC)
        return StaleWrite(N_("The responses to inspection {id} changed after you opened it. Nothing was saved: "
                             "look at the inspection again."), id=inspection_id)  # fmt: skip
    return StaleWrite(
        N_("{who} responded to inspection {id} on another PC at {when}, after you opened it. Nothing was saved: "
           "look at the inspection again."),
        who=latest.created_by, id=inspection_id, when=format_datetime(latest.created_at, "yyyy-MM-dd HH:mm"),
    )  # fmt: skip


def _required_reason(reason: str) -> str:
    """A dispute's reason, trimmed; refused when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(N_("A reason is required."), field="reason")
    return reason


def _checked_decision(outcome: str, note: str) -> str:
    """An arbitration's outcome checked, and its note for the agent trimmed (required)."""
    if outcome not in OUTCOMES:
        raise ValidationError(
            N_("The outcome must be one of {outcomes}."), field="outcome", outcomes=", ".join(OUTCOMES)
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError(N_("A note for the agent is required."), field="note")
    return note


def _require_arbiter_or_signer(actor: Actor) -> None:
    """The open disputes are listed for whoever decides them or signs the month off."""
    if not actor.can(LOCK_PERMISSION):
        require(actor, ARBITRATE)


def _check_new_response(latest: R | None, kind: str, refusals: tuple[str, str], field: str, **params: object) -> None:
    """One open dispute at a time, and no second acknowledgement in a row; ``refusals``: the
    messages of the two (the first is also what an acknowledgement meets while a dispute waits)."""
    if latest is not None and latest.is_open:
        raise ValidationError(refusals[0], field=field, **params)
    if kind == ACKNOWLEDGED and latest is not None and latest.kind == ACKNOWLEDGED:
        raise ValidationError(refusals[1], field=field, **params)


def _own_agent(uow: UnitOfWork, actor: Actor) -> AgentRecord:
    """The agent the actor's account belongs to (NotFound for an account of no agent)."""
    person = uow.people.by_id(actor.person_id) if actor.person_id is not None else None
    found = uow.scorecards.agents(employee_no=person.employee_no, include_inactive=True) if person else []
    if not found:
        raise NotFound(_NO_CARD)
    return found[0]


def _stored(uow: UnitOfWork, response_id: int) -> ScorecardResponse:
    """A response as stored, just written in this unit of work."""
    stored = uow.disputes.response(response_id)
    assert stored is not None
    return stored


def _stored_inspection(uow: UnitOfWork, response_id: int) -> InspectionResponse:
    """A response to an inspection as stored, just written in this unit of work."""
    stored = uow.disputes.inspection_response(response_id)
    assert stored is not None
    return stored
