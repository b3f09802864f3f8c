"""Shift handover: acknowledgement, open-item carry-over, penalties and text search (rules.md §4).

Open items keep their identity (``item_id``) from the handover that opened them
until they are closed; ``shifts`` records every handover they passed through.
Times are naive local wall-clock values; problems and reasons are stable codes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Final

from csdesk.errors import N_, RuleViolation
from csdesk.policy.model import Policy
from csdesk.records import record

# Problems that make a handover record incomplete (rules.md §4 steps 1–2).
SUMMARY_MISSING: Final = "SUMMARY_MISSING"
ITEM_PENDING_MISSING: Final = "ITEM_PENDING_MISSING"
ITEM_OWNER_MISSING: Final = "ITEM_OWNER_MISSING"
ITEM_DUE_MISSING: Final = "ITEM_DUE_MISSING"

# Reasons of suggested penalties (rules.md §4, Appendix A M04/M02).
INCOMPLETE_RECORD: Final = "INCOMPLETE_RECORD"
MESSY_DESK: Final = "MESSY_DESK"


@record
class OpenItem:
    """An unfinished item handed from shift to shift until closed.

    ``customer`` and ``pending`` are the writer's own words, carried unchanged.
    """

    item_id: str
    owner: str = ""
    due: datetime | None = None
    customer: str = ""
    pending: str = ""
    closed_at: datetime | None = None
    shifts: tuple[str, ...] = ()

    @property
    def times_carried(self) -> int:
        """How many handovers the item passed through after the one that opened it."""
        return max(len(self.shifts) - 1, 0)


@record
class HandoverEntry:
    """One shift change: the outgoing record and, once given, the takeover acknowledgement."""

    entry_id: str
    authors: tuple[str, ...]
    written_at: datetime
    summary: str = ""
    items: tuple[OpenItem, ...] = ()
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    takeover_note: str = ""

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_by is not None


@record
class CarryOver:
    """Open items moving into the next handover, and those that closed in between."""

    carried: tuple[OpenItem, ...]
    closed: tuple[str, ...]


@record
class RecordProblem:
    """Why a handover record is incomplete; ``item_id`` names the item when one is at fault."""

    code: str
    item_id: str = ""


@record
class PenaltySuggestion:
    """An evaluation event the supervisor may record; never recorded automatically."""

    person: str
    event_code: str
    points: int
    reason: str
    problems: tuple[RecordProblem, ...] = ()


def acknowledge(entry: HandoverEntry, by: str, at: datetime, takeover_note: str) -> HandoverEntry:
    """The incoming shift acknowledges the handover (rules.md §4 steps 3–4).

    Refused when ``by`` is blank or one of the entry's authors (nobody takes
    over from themselves), when the entry is already acknowledged, when ``at``
    is before the entry was written, and without a takeover note: step 4 makes
    the takeover record (接班记录) part of taking over, and step 5 starts only
    after it.
    """
    if not by.strip():
        raise RuleViolation(N_("Say who takes over the shift"), field="acknowledged_by")
    if by in entry.authors:
        raise RuleViolation(N_("A handover cannot be acknowledged by its own author ({person})"),
                            field="acknowledged_by", person=by)
    if entry.acknowledged_by is not None:
        raise RuleViolation(N_("This handover was already acknowledged by {person}"),
                            field="acknowledged_by", person=entry.acknowledged_by)
    if at < entry.written_at:
        raise RuleViolation(N_("A handover cannot be acknowledged before it was written"),
                            field="acknowledged_at")
    if not takeover_note.strip():
        raise RuleViolation(N_("Write the takeover note before acknowledging"), field="takeover_note")
    return replace(entry, acknowledged_by=by, acknowledged_at=at, takeover_note=takeover_note)


def open_item(item_id: str, handover_id: str, *, owner: str = "", due: datetime | None = None,
              customer: str = "", pending: str = "") -> OpenItem:
    """A new open item listed in handover ``handover_id`` (rules.md §4 step 1)."""
    return OpenItem(item_id, owner, due, customer, pending, shifts=(handover_id,))


def carry_over(previous: Iterable[OpenItem], closed_ids: Collection[str], into: str) -> CarryOver:
    """Which of the previous handover's open items carry into handover ``into`` (rules.md §4).

    An item carries over unless it has ``closed_at`` or its id is in
    ``closed_ids`` (closed since the previous handover). Carried items keep
    their id, order and text, and gain ``into`` in ``shifts``; carrying twice
    into the same handover changes nothing. Ids listed twice are refused.
    """
    carried: list[OpenItem] = []
    closed: list[str] = []
    seen: set[str] = set()
    for item in previous:
        if item.item_id in seen:
            raise RuleViolation(N_("Open item {item} is listed twice"), field="items", item=item.item_id)
        seen.add(item.item_id)
        if item.closed_at is not None or item.item_id in closed_ids:
            closed.append(item.item_id)
            continue
        shifts = item.shifts if item.shifts[-1:] == (into,) else (*item.shifts, into)
        carried.append(replace(item, shifts=shifts))
    return CarryOver(tuple(carried), tuple(closed))


def is_overdue(item: OpenItem, now: datetime) -> bool:
    """An open item is overdue when its due time has passed and it is not closed."""
    return item.closed_at is None and item.due is not None and item.due < now


def overdue_items(items: Iterable[OpenItem], now: datetime) -> tuple[OpenItem, ...]:
    """The overdue items, the longest overdue first (rules.md §4, first task of a shift)."""
    late = [item for item in items if is_overdue(item, now)]
    return tuple(sorted(late, key=lambda item: (item.due or now, item.item_id)))


def record_problems(entry: HandoverEntry) -> tuple[RecordProblem, ...]:
    """What keeps a handover record from being complete (rules.md §4 steps 1–2).

    A record needs the day's work summary, and each open item needs what is
    pending, an owner and a due time ("stating each unfinished item clearly").
    Closed items are not checked.
    """
    problems: list[RecordProblem] = []
    if not entry.summary.strip():
        problems.append(RecordProblem(SUMMARY_MISSING))
    for item in entry.items:
        if item.closed_at is not None:
            continue
        if not item.pending.strip():
            problems.append(RecordProblem(ITEM_PENDING_MISSING, item.item_id))
        if not item.owner.strip():
            problems.append(RecordProblem(ITEM_OWNER_MISSING, item.item_id))
        if item.due is None:
            problems.append(RecordProblem(ITEM_DUE_MISSING, item.item_id))
    return tuple(problems)


def penalty_suggestions(entry: HandoverEntry, messy_desk: bool,
                        policy: Policy) -> tuple[PenaltySuggestion, ...]:
    """Penalties to suggest for the outgoing authors (rules.md §4, Appendix A).

    An incomplete record suggests ``handover.incomplete_record_event`` (M04) and
    a messy desk ``handover.messy_desk_event`` (M02), one each per author, at the
    event's default points. The supervisor decides whether to record them.
    """
    problems = record_problems(entry)
    out: list[PenaltySuggestion] = []
    for person in entry.authors:
        if problems:
            event = policy.event(policy.handover.incomplete_record_event)
            out.append(PenaltySuggestion(person, event.code, event.default_points, INCOMPLETE_RECORD,
                                         problems))
        if messy_desk:
            event = policy.event(policy.handover.messy_desk_event)
            out.append(PenaltySuggestion(person, event.code, event.default_points, MESSY_DESK))
    return tuple(out)


def search_key(text: str) -> str:
    """``text`` folded for substring search in Chinese, Spanish and English.

    Case-folded, compatibility-decomposed (NFKD: full-width ``ＡＢＣ１`` becomes
    ``abc1``, the ideographic space a space) with combining marks dropped
    (``atención`` becomes ``atencion``), whitespace runs collapsed to one space.
    Chinese characters pass through unchanged; simplified and traditional are
    not folded into each other. Every step works character by character, so the
    key of a substring is a substring of the key.
    """
    # Decompose before and after case folding: compatibility forms can decompose
    # to capitals (U+210C -> "H") and case folding can yield precomposed letters.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def matches(query: str, text: str) -> bool:
    """Whether every word of ``query`` occurs in ``text``, compared by :func:`search_key`.

    A blank query matches everything. Chinese needs no spaces: ``投诉`` finds
    ``客户投诉电话``.
    """
    key = search_key(text)
    return all(term in key for term in search_key(query).split())
