"""The lines a scorecard counts, and the cards a locked month keeps.

``counted_lines`` is the one list of what the total counts, line by line: recorded events,
attendance's M01/S01 with their day, the handover log's penalties, the exam's B02/D07, the
automatic S06, and those the monthly limits refused. The scorecard window, ``explain`` and
the printed sheet all show this list.

``store_cards``/``stored_cards`` write and read a locked month's cards (see
:mod:`csdesk.models.repo_months`): the stored form is the very object the windows show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from csdesk.errors import CsdeskError, RuleViolation, ValidationError
from csdesk.models.db import UnitOfWork
from csdesk.models.domain_scorecards import AgentRecord, Entered, EventRecord, MonthLock
from csdesk.models.repo_months import CARD
from csdesk.records import record
from csdesk.rules.kpi import WeightedPart, WeightedScore
from csdesk.rules.scoring import EventInput, Line, Scorecard
from csdesk.services import snapshot_codec
from csdesk.services.scorecard_compute import AgentScorecard, KpiBlock

EVENT_KINDS = frozenset({"bonus", "minor", "moderate", "severe", "dismissal", "refused"})
VOID = "void"

snapshot_codec.register(
    AgentScorecard, Scorecard, Line, EventInput, EventRecord, Entered, AgentRecord, KpiBlock, WeightedScore, WeightedPart,
    CsdeskError, ValidationError, RuleViolation,
)  # fmt: skip


@record
class CountedLine:
    """One event line of a scorecard: counted, refused by a monthly limit, or a voided record.

    ``source`` is where it comes from: ``manual`` (typed in or imported), ``attendance``,
    ``handover``, ``exam`` (B02/D07 from the exam score) or ``auto`` (S06). ``record`` is the
    stored event behind a manual line (what correcting and voiding act on)."""

    kind: str  # an Appendix A kind (bonus, minor, ...), "refused" or "void"
    code: str
    points: Decimal
    day: date | None
    source: str
    ref: str
    recorded_by: str = ""
    recorded_at: datetime | None = None
    note: str = ""
    record: EventRecord | None = None

    @property
    def voided(self) -> bool:
        return self.kind == VOID

    @property
    def counted(self) -> bool:
        return self.kind not in ("refused", VOID)

    @property
    def corrected(self) -> bool:
        return self.record is not None and self.record.corrected

    @property
    def id(self) -> int:
        """The stored event's id (0 for lines no person recorded)."""
        return self.record.id if self.record is not None else 0

    @property
    def person_id(self) -> int | None:
        return self.record.person_id if self.record is not None else None


def _source_of(line: Line, record: EventRecord | None) -> str:
    if record is not None:
        return record.source
    return (line.source_ref or "").partition(":")[0] or "auto"


def counted_lines(card: AgentScorecard) -> tuple[CountedLine, ...]:
    """The event lines of ``card`` in the order the rules counted them (see the module doc)."""
    records = {e.ref or f"manual:{e.id}": e for e in card.events}  # as the rules name them (source_ref)
    out = []
    for line in card.card.lines:
        if line.kind not in EVENT_KINDS:
            continue
        record = records.get(line.source_ref or "")
        source = _source_of(line, record)
        manual = record if record is not None and record.source == "manual" else None
        out.append(CountedLine(
            line.kind, line.code, line.points, line.on, source, line.source_ref or source,
            record.recorded_by if record else "", record.recorded_at if record else None, record.note if record else "", manual,
        ))  # fmt: skip
    return tuple(out)


def void_lines(records: Iterable[EventRecord]) -> tuple[CountedLine, ...]:
    """Voided records, shown struck beside the counted lines (they count nothing)."""
    return tuple(
        CountedLine(VOID, e.code, Decimal(e.points), e.day, e.source, f"{e.source}:{e.id}", e.recorded_by, e.recorded_at, e.note, e)
        for e in records
    )


def ranking_order(card: AgentScorecard) -> tuple[int, int, str]:
    """Ranked agents first by rank; agents not rated after them, by employee number."""
    return (card.rank is None, card.rank or 0, card.employee_no)


# --- a locked month's cards ---------------------------------------------------------------------


def store_cards(uow: UnitOfWork, lock: MonthLock, cards: Iterable[AgentScorecard]) -> int:
    """Store ``cards`` as the results of ``lock`` (inside the lock's transaction)."""
    return uow.months.store_results(
        lock.month, lock.revision, CARD,
        ((c.employee_no, c.agent.team, snapshot_codec.dumps(c)) for c in cards),
    )  # fmt: skip


def stored_cards(
    uow: UnitOfWork, lock: MonthLock, *, team: str | None = None, employee_no: str | None = None
) -> list[AgentScorecard]:
    """The cards ``lock`` signed (of one team or agent), marked locked."""
    if employee_no is not None:
        return [snapshot_codec.loads(p, AgentScorecard, lock.month) for p in uow.months.results(lock.month, lock.revision, CARD, subjects=[employee_no])]
    key = (CARD, str(uow.session.get_bind().url), lock.month, lock.revision, lock.locked_at)
    cards = snapshot_codec.remembered(
        key, lambda: tuple(snapshot_codec.loads(p, AgentScorecard, lock.month) for p in uow.months.results(lock.month, lock.revision, CARD))
    )
    return [c for c in cards if team is None or c.agent.team == team]
