"""Agents acknowledge or dispute their month's scorecard; the supervisor arbitrates (issue 15).

An agent responds to their own month only (the account's person, which must be an agent the
scorecards see): "acknowledged" says they have seen it, "disputed" asks, with a reason, for it
to be looked at again. The supervisor decides each dispute, with a note for the agent: the card
is upheld as it is, or changed (the change itself is made the usual way, by correcting the
month, reopening it first when it is signed off). Every response and decision is audited.

A signed-off (locked) month takes responses and decisions too: they change none of its figures,
and the natural time to acknowledge a month is once it is signed. Locking a month with open
disputes warns and names them (:meth:`MonthService.lock_month`, the Scorecards page).

Permissions: ``scorecards.view`` to respond to one's own month and to read responses (a team
lead their team's, an agent their own); ``scorecards.arbitrate`` to decide disputes; the open
disputes are listed for whoever arbitrates or signs months off.
"""

from __future__ import annotations

from datetime import date

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_disputes import ACKNOWLEDGED, DISPUTED, OUTCOMES, ScorecardResponse
from csdesk.models.domain_scorecards import AgentRecord
from csdesk.services.base import Actor, Service, require, visible_to
from csdesk.services.months import LOCK_PERMISSION, month_first, month_key
from csdesk.services.scorecard_access import VIEW
from csdesk.services.scorecard_compute import month_end

ARBITRATE = "scorecards.arbitrate"
ENTITY = "scorecard_response"  # the audit log's and csdesk.models.versioning's name of a response

_NO_CARD = N_("Only an agent responds to a scorecard, and only to their own; your account has none.")
_AWAITS = N_("Your dispute of {month} awaits the supervisor's decision.")
_NO_DISPUTE = N_("No dispute {id}")


class DisputeService(Service):
    """An agent's acknowledgement or dispute of their month, and the supervisor's arbitration."""

    def acknowledge(self, actor: Actor, month: str | date) -> ScorecardResponse:
        """The agent has seen their month's scorecard and accepts it."""
        return self._respond(actor, month, ACKNOWLEDGED, "")

    def dispute(self, actor: Actor, month: str | date, reason: str) -> ScorecardResponse:
        """The agent asks for their month's scorecard to be looked at again; ``reason`` is required."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(N_("A reason is required."), field="reason")
        return self._respond(actor, month, DISPUTED, reason)

    def responses(self, actor: Actor, month: str | date, team: str | None = None) -> list[ScorecardResponse]:
        """The month's responses the actor sees (an agent their own, a team lead their team's)."""
        key = month_key(month)
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, VIEW).narrow(team, None)
            return uow.disputes.of_month(key, team=team, employee_no=employee_no)

    def open_disputes(self, actor: Actor, month: str | date) -> list[ScorecardResponse]:
        """The month's disputes not decided yet: for whoever arbitrates or signs the month off."""
        if not actor.can(LOCK_PERMISSION):
            require(actor, ARBITRATE)
        with self._uow() as uow:
            return uow.disputes.of_month(month_key(month), open_only=True)

    def arbitrate(
        self, actor: Actor, dispute_id: int, outcome: str, note: str, *, version: int | None = None
    ) -> ScorecardResponse:
        """Decide a dispute: the scorecard is ``upheld`` or ``changed``; ``note`` (required) tells
        the agent why. ``version``: the dispute's version the supervisor saw (StaleWrite if it
        was decided on another PC since)."""
        require(actor, ARBITRATE)
        if outcome not in OUTCOMES:
            raise ValidationError(
                N_("The outcome must be one of {outcomes}."), field="outcome", outcomes=", ".join(OUTCOMES)
            )
        note = (note or "").strip()
        if not note:
            raise ValidationError(N_("A note for the agent is required."), field="note")
        with self._uow() as uow:
            self.claim(uow, ENTITY, dispute_id, version, _NO_DISPUTE)
            found = uow.disputes.response(dispute_id)
            if found is None or found.kind != DISPUTED:
                raise NotFound(_NO_DISPUTE, id=dispute_id)
            if not found.is_open:
                raise ValidationError(N_("Dispute {id} was decided already."), field="outcome", id=dispute_id)
            uow.disputes.decide(dispute_id, outcome, note, self.now(), actor.username)
            self.audit(uow, actor, "scorecard.arbitrate", ENTITY, dispute_id, employee_no=found.employee_no,
                       month=found.month, outcome=outcome, note=note)  # fmt: skip
            uow.commit()
            return _stored(uow, dispute_id)

    # --- helpers --------------------------------------------------------------------------------

    def _respond(self, actor: Actor, month: str | date, kind: str, reason: str) -> ScorecardResponse:
        require(actor, VIEW)
        key = month_key(month)
        with self._uow() as uow:
            agent = _own_agent(uow, actor)
            uow.claim("person", agent.person_id)  # two PCs of the same agent take turns
            self._check_month(agent, key)
            latest = uow.disputes.latest(agent.person_id, key)
            if latest is not None and latest.is_open:
                raise ValidationError(_AWAITS, field="month", month=key)
            if kind == ACKNOWLEDGED and latest is not None and latest.kind == ACKNOWLEDGED:
                raise ValidationError(N_("You acknowledged {month} already."), field="month", month=key)
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
