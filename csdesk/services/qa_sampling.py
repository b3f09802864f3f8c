"""Which conversations of an agent to inspect in a week (issue 15): the callback calls they closed
with a real conversation (an effective outcome, the policy's ``callbacks.effective_outcomes``) and
the contacts they received, that no inspection names yet.

A call or contact is named by its reference (``call-1234``, ``contact-56``), made here only: the
inspection form is filled in with it, and an inspection naming it keeps it from being proposed again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time, timedelta

from csdesk.models.db import UnitOfWork
from csdesk.records import record

CALL, CONTACT = "call", "contact"


@record
class ProposedContact:
    """A conversation proposed for inspection: ``source`` :data:`CALL` (``kind`` a callback kind
    code) or :data:`CONTACT` (``kind`` a contact kind code), ``when`` it was closed or received."""

    reference: str
    source: str
    kind: str
    member_name: str
    when: datetime


def reference(source: str, record_id: int) -> str:
    """How an inspection names a call or a contact: ``call-1234``, ``contact-56``."""
    return f"{source}-{record_id}"


def proposed_contacts(
    uow: UnitOfWork, needed: Mapping[int, int], monday: date, outcomes: Collection[str]
) -> dict[int, tuple[ProposedContact, ...]]:
    """Per agent id, up to ``needed[id]`` of their conversations of the week starting ``monday``
    (calls closed with one of ``outcomes``, contacts received) not inspected yet, as :func:`spread`
    orders them. One query per table for all the agents."""
    wanted = [agent for agent, n in needed.items() if n > 0]
    if not wanted:
        return {}
    start = datetime.combine(monday, time.min)
    end = start + timedelta(days=7)
    candidates = [
        *((c.agent_id, ProposedContact(reference(CALL, c.id), CALL, c.kind, c.member_name, c.closed_at))
          for c in uow.callbacks.closed_calls(wanted, start, end, outcomes) if c.closed_at is not None),
        *((c.agent_id, ProposedContact(reference(CONTACT, c.id), CONTACT, c.kind, c.member_name, c.received_at))
          for c in uow.callbacks.received_contacts(wanted, start, end)),
    ]  # fmt: skip
    inspected = uow.qa.inspected_contacts([c.reference for _agent, c in candidates])
    by_agent: dict[int, list[ProposedContact]] = {}
    for agent, contact in candidates:
        if agent is not None and contact.reference not in inspected:
            by_agent.setdefault(agent, []).append(contact)
    return {agent: tuple(spread(contacts)[: needed[agent]]) for agent, contacts in by_agent.items()}


def spread(contacts: Iterable[ProposedContact]) -> list[ProposedContact]:
    """``contacts`` most recent first, spread over their kinds: the latest of every kind, then the
    second latest of every kind, and so on (a call and a contact of the same code are different
    kinds). The same order every time: ties go to the reference."""
    latest_first = sorted(contacts, key=lambda c: (c.when, c.reference), reverse=True)
    seen: dict[tuple[str, str], int] = {}
    ranked: list[tuple[int, int, ProposedContact]] = []
    for position, contact in enumerate(latest_first):
        kind = (contact.source, contact.kind)
        ranked.append((seen.get(kind, 0), position, contact))
        seen[kind] = seen.get(kind, 0) + 1
    return [contact for _round, _position, contact in sorted(ranked)]  # positions differ: contacts never compared
