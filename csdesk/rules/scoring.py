"""Monthly evaluation rules (rules.md §5, §7, Appendix A): validation, scorecard, grade, ranking.

Numbers are exact :class:`~decimal.Decimal` throughout: ratings may be decimals such as 27.5 and
are kept as entered (never rounded), so 28.7 + 18.9 + 11.8 + 10.6 is exactly 70 (grade C), where
binary floats give 69.999… (grade D). A ``float`` input is converted through its shortest ``repr``
(``64.99`` becomes ``Decimal("64.99")``). Only money is rounded: the pay float is rounded half-up
to the fen (0.01 CNY), and an integral amount is returned without decimals.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import Literal, TypeVar

from csdesk.errors import RuleViolation
from csdesk.policy import Criterion, EventCode, Policy
from csdesk.records import evolved, maker, record

Number = int | float | Decimal
EventSource = Literal["manual", "attendance", "handover", "exam", "auto"]
K = TypeVar("K")

FAIL_GRADE = "F"  # below the lowest band (interfaces.md: grade is A–E or F)
FLAG_DISMISSAL_WARNING = "DISMISSAL_WARNING"
FLAG_DISMISSAL_ITEM = "DISMISSAL_ITEM:"  # followed by the event code, e.g. DISMISSAL_ITEM:X01
FLAG_EXAM_RETAKE = "EXAM_RETAKE"
FLAG_RATING_INCOMPLETE = "RATING_INCOMPLETE"
FLAG_NOT_RATED = "NOT_RATED"  # nothing of the rated part entered: no total, grade, pay float or rank
NOTE_NOT_RATED = "NOT_RATED"
NOTE_PER_MONTH_LIMIT = "PER_MONTH_LIMIT"
NOTE_BOUNDED = "BOUNDED"
NOTE_NO_PAY_FLOAT_MONTHS = "NO_PAY_FLOAT_MONTHS"
MONTHS_PER_YEAR = 12  # calendar facts, not policy numbers
MONTHS_PER_QUARTER = 3
_FEN = Decimal("0.01")  # the smallest unit of the currency
_ZERO = Decimal(0)


@cache
def _whole(points: int) -> Decimal:
    """``Decimal(points)``, made once for each whole number of points (a month counts some
    9,000 events, mostly of a few values)."""
    return Decimal(points)


def N_(message: str) -> str:
    """Mark a message id for extraction (pybabel knows ``N_``); it is translated when shown."""
    return message


# --- values -------------------------------------------------------------------------------


@record
class EventInput:
    """One recorded evaluation event; ``points`` signed, or None for the code's default."""

    code: str
    points: int | None
    date: date
    source: EventSource = "manual"
    id: int | str | None = None

    @property
    def source_ref(self) -> str:
        """``source:id`` (or just the source) so a line can be traced to its record."""
        return self.source if self.id is None else f"{self.source}:{self.id}"


@record
class Line:
    """One step of the explanation trail.

    ``kind`` is ``rating``, an event kind (``bonus``, ``minor``, ``moderate``, ``severe``,
    ``dismissal``), ``refused``, ``adjustment``, ``cap`` or ``pay_float``. ``points`` is the
    contribution to the total (0 for refused and not-rated lines); for ``pay_float`` it is CNY.
    The points of every line except ``pay_float`` add up to the capped total.
    """

    kind: str
    code: str
    points: Decimal
    source_ref: str | None = None
    on: date | None = None
    note: str = ""


#: Lines made as ``Line(...)``, without ``__init__``: a month of 2,000 cards makes some 19,000.
_line = maker(Line)


@record
class LimitResult:
    """Events split by the per-month limits of Appendix A."""

    accepted: tuple[EventInput, ...]
    refused: tuple[EventInput, ...]


@record
class ScorecardInput:
    """Everything one agent's month needs; ratings map criterion code → value (None: not rated)."""

    month: date  # any day of the evaluated month
    join_date: date
    ratings: Mapping[str, Number | None]
    events: tuple[EventInput, ...] = ()
    adjustment: Number = 0
    adjustment_reason: str = ""
    exam_score: Number | None = None


@record
class Scorecard:
    """The month's result for one agent (keys of ``csdesk scorecard --json``).

    An agent nobody rated this month (no criterion entered) has no rated part, total, grade,
    pay float or rank (all None) and the flag NOT_RATED: a month without a rating is not an F.
    """

    month: date  # first day of the month
    rated: Decimal | None
    bonus: Decimal
    deduction: Decimal  # magnitude of the negative points, >= 0
    adjustment: Decimal
    raw_total: Decimal | None
    total: Decimal | None
    grade: str | None
    pay_float_cny: Decimal | None
    exam: Decimal | None
    complete: bool
    flags: tuple[str, ...]
    lines: tuple[Line, ...]
    refused: tuple[EventInput, ...] = ()
    rank: int | None = None
    last_place: bool = False

    @property
    def is_rated(self) -> bool:
        """At least one criterion of the rated part is entered (the month has a total)."""
        return self.total is not None


_scorecard = maker(Scorecard)  # made without __init__: 2,000 a month (records.maker)


@record
class Standing:
    """One past month of an agent's ranking, for the last-place dismissal warning."""

    month: date
    total: Decimal
    rank: int
    last: bool

    @classmethod
    def of(cls, card: Scorecard) -> Standing:
        """The standing a ranked scorecard leaves behind (store it for next month)."""
        if card.rank is None or card.total is None:
            raise ValueError("the scorecard has not been ranked")
        return cls(card.month, card.total, card.rank, card.last_place)


@record
class QuarterlyGrade:
    """rules.md §8: the mean of the quarter's monthly totals and its §5 grade."""

    mean: Decimal
    grade: str


# --- number helpers -----------------------------------------------------------------------


def to_decimal(value: object, name: str) -> Decimal:
    """An exact Decimal of a finite int, float or Decimal; anything else is refused."""
    if type(value) is Decimal and value.is_finite():
        return value  # already exact (the common case: stored values are read as Decimal)
    if isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        result = Decimal(value)
    else:
        result = Decimal("NaN")  # refused below, like a NaN or an infinity given
    if not result.is_finite():
        msgid = N_("{name} must be a number, not {value}")
        raise RuleViolation(msgid, field=name, name=name, value=str(value))
    return result


@lru_cache(maxsize=None, typed=True)  # typed: 90 and 90.0 stay Decimal("90") and Decimal("90.0")
def _num(value: float) -> Decimal:
    """A policy number as Decimal (policy floats through their repr), made once per value: a
    month's grades compare some 25,000 band bounds."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _money(value: Decimal) -> Decimal:
    rounded = value.quantize(_FEN, rounding=ROUND_HALF_UP)
    return rounded.to_integral_value() if rounded == rounded.to_integral_value() else rounded


# --- validation ---------------------------------------------------------------------------


def validate_rating(criterion_code: str, value: Number, policy: Policy) -> Decimal:
    """rules.md §5: a rated criterion scores 0 up to its maximum (30 for service quality)."""
    for criterion in policy.scoring.criteria:
        if criterion.code == criterion_code:
            return _rating(criterion, value)
    msgid = N_("Unknown rating criterion {criterion}")
    raise RuleViolation(msgid, field=criterion_code, criterion=criterion_code)


def _rating(criterion: Criterion, value: Number) -> Decimal:
    number = to_decimal(value, criterion.code)
    if not _ZERO <= number <= criterion.max:
        msgid = N_("The rating for {criterion} must be between 0 and {max}, not {value}")
        raise RuleViolation(
            msgid, field=criterion.code, criterion=criterion.code, max=criterion.max, value=number
        )
    return number


def validate_adjustment_range(value: Number, policy: Policy) -> Decimal:
    """rules.md §5: the trainer's discretionary adjustment is −5…+5 (its reason aside)."""
    s = policy.scoring
    number = to_decimal(value, "adjustment")
    if not s.adjustment_min <= number <= s.adjustment_max:
        msgid = N_("The adjustment must be between {min} and {max}, not {value}")
        raise RuleViolation(
            msgid, field="adjustment", min=s.adjustment_min, max=s.adjustment_max, value=number
        )
    return number


def validate_adjustment(value: Number, reason: str, policy: Policy) -> Decimal:
    """rules.md §5: the trainer's discretionary adjustment is −5…+5 and needs a reason when ≠ 0."""
    number = validate_adjustment_range(value, policy)
    if number != 0 and not reason.strip():
        msgid = N_("A reason is required when the adjustment is not 0")
        raise RuleViolation(msgid, field="adjustment_reason")
    return number


def validate_exam(score: Number, policy: Policy) -> Decimal:
    """rules.md §7: an exam score is 0 up to the full marks (100)."""
    number = to_decimal(score, "exam")
    full = policy.scoring.exam_full_marks
    if not _ZERO <= number <= full:
        msgid = N_("The exam score must be between 0 and {max}, not {value}")
        raise RuleViolation(msgid, field="exam", max=full, value=number)
    return number


def _event_code(code: str, policy: Policy) -> EventCode:
    try:
        return policy.event(code)
    except KeyError:
        raise RuleViolation(N_("Unknown event code {code}"), field="code", code=code) from None


def normalize_points(code: str, points: Number | None, policy: Policy) -> int:
    """interfaces.md events file: no points means the default; an unsigned number takes the code's sign."""
    return _normalized(_event_code(code, policy), points)


def _normalized(event: EventCode, points: Number | None) -> int:
    if points is None:
        return event.default_points
    if type(points) is int:  # the common case (stored points): already whole
        whole = points
    else:
        number = to_decimal(points, "points")
        if number != number.to_integral_value():
            msgid = N_("Event {code} takes whole points, not {points}")
            raise RuleViolation(msgid, field="points", code=event.code, points=number)
        whole = int(number)
    is_deduction = event.points_max <= 0
    return -whole if is_deduction and whole > 0 else whole


def validate_event_points(code: str, points: Number | None, policy: Policy) -> int:
    """rules.md Appendix A: a typed-in event must be a known, non-automatic code with points in its range.

    Returns the signed points. Automatic codes (B02, D07, S06) are refused: csdesk sets them.
    """
    event = _event_code(code, policy)
    if event.automatic:
        msgid = N_("Event {code} is set automatically and cannot be entered")
        raise RuleViolation(msgid, field="code", code=code)
    signed = _normalized(event, points)
    if not event.contains(signed):
        msgid = N_("Event {code} takes points between {min} and {max}, not {points}")
        low, high = event.points_min, event.points_max
        raise RuleViolation(msgid, field="points", code=code, min=low, max=high, points=signed)
    return signed


# --- events of the month ------------------------------------------------------------------


def apply_monthly_limits(events: Iterable[EventInput], policy: Policy) -> LimitResult:
    """Appendix A: a code with ``per_month`` (B01, B05: once a month) counts that often per month.

    The earliest occurrences (by date, then input order) are kept; later ones are refused, not counted.
    """
    events = tuple(events)
    if not any(_event_code(event.code, policy).per_month for event in events):
        return maker(LimitResult)(events, ())  # no code with a monthly limit: every event counts
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].date, pair[0]))
    seen: dict[tuple[str, int, int], int] = {}
    accepted: list[tuple[int, EventInput]] = []
    refused: list[tuple[int, EventInput]] = []
    for index, event in ordered:
        limit = _event_code(event.code, policy).per_month
        key = (event.code, event.date.year, event.date.month)
        seen[key] = seen.get(key, 0) + 1
        (refused if limit and seen[key] > limit else accepted).append((index, event))
    return maker(LimitResult)(
        tuple(e for _, e in sorted(accepted, key=lambda p: p[0])), tuple(e for _, e in refused)
    )


def automatic_events(
    exam_score: Number | None, events: Iterable[EventInput], policy: Policy, *, exam_date: date
) -> tuple[EventInput, ...]:
    """rules.md §5/§7: the events csdesk sets itself from the month's records.

    B02 when the exam has full marks; D07 when it is below the pass mark; S06 (once) when the
    month holds ≥ 2 moderate or ≥ 4 minor violations, counting D07. B02/D07 are dated
    ``exam_date``; S06 the day the threshold was reached. Pass the events after the monthly limits.
    """
    s = policy.scoring
    result: list[EventInput] = []
    if exam_score is not None:
        score = validate_exam(exam_score, policy)
        if score == s.exam_full_marks:
            code = s.exam_full_marks_event
            result.append(EventInput(code, policy.event(code).default_points, exam_date, "exam"))
        elif score < s.exam_pass:
            code = s.exam_fail_event
            result.append(EventInput(code, policy.event(code).default_points, exam_date, "exam"))
    moderate = minor = 0
    for event in sorted([*events, *result], key=lambda e: e.date):
        kind = _event_code(event.code, policy).kind
        moderate += kind == "moderate"
        minor += kind == "minor"
        if moderate >= s.bad_month_min_moderate or minor >= s.bad_month_min_minor:
            code = s.bad_month_event
            result.append(EventInput(code, policy.event(code).default_points, event.date, "auto"))
            break
    return tuple(result)


# --- the scorecard ------------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def months_between(earlier: date, later: date) -> int:
    """Calendar months from ``earlier``'s month to ``later``'s month (same month: 0, next month: 1)."""
    return (later.year - earlier.year) * MONTHS_PER_YEAR + later.month - earlier.month


def service_month(join_date: date, month: date) -> int:
    """The agent's n-th calendar month of service: the joining month is 1 (rules.md §5 pay-float start)."""
    number = months_between(join_date, month) + 1
    if number < 1:
        raise RuleViolation(
            N_("The month {month} is before the join date {join_date}"),
            field="month",
            month=month_start(month).isoformat(),
            join_date=join_date.isoformat(),
        )
    return number


def grade(total: Number, policy: Policy) -> str:
    """rules.md §5: > 90 A; 80–90 B; 70–80 C; 65–70 D; 60–65 E; below: F. A band holds its lower bound
    unless the policy marks it exclusive (A: 90 itself is B)."""
    value = to_decimal(total, "total")
    for band in policy.scoring.grades:
        low = _num(band.min)
        if value > low or (band.inclusive and value == low):
            return band.code
    return FAIL_GRADE


def pay_float(total: Number, month_of_service: int, policy: Policy) -> Decimal:
    """rules.md §5: (total − 80) × 10 CNY, bounded at ±300; 0 in the first two months of service.

    Chosen: measured on the capped total (110 → +300), rounded half-up to the fen.
    """
    s = policy.scoring
    if month_of_service <= s.no_pay_float_months:
        return _ZERO
    amount = (to_decimal(total, "total") - s.standard_total) * s.pay_float_per_point
    bound = Decimal(s.pay_float_bound)
    return _money(max(-bound, min(bound, amount)))


def _rated_part(ratings: Mapping[str, Number | None], policy: Policy) -> tuple[Decimal, bool, list[Line]]:
    known = {c.code for c in policy.scoring.criteria}
    for code in ratings:
        if code not in known:
            raise RuleViolation(N_("Unknown rating criterion {criterion}"), field=code, criterion=code)
    rated, complete, lines = _ZERO, True, []
    for criterion in policy.scoring.criteria:
        value = ratings.get(criterion.code)
        if value is None:
            complete = False
            lines.append(_line("rating", criterion.code, _ZERO, note=NOTE_NOT_RATED))
        else:
            points = _rating(criterion, value)
            rated += points
            lines.append(_line("rating", criterion.code, points))
    return rated, complete, lines


def _month_events(inp: ScorecardInput, first: date, policy: Policy) -> LimitResult:
    checked: list[EventInput] = []
    for event in inp.events:
        if month_start(event.date) != first:
            msgid = N_("Event {code} on {date} is outside the month {month}")
            month = first.strftime("%Y-%m")
            raise RuleViolation(
                msgid, field="events", code=event.code, date=event.date.isoformat(), month=month
            )
        points = validate_event_points(event.code, event.points, policy)
        # Events usually come with their signed points already: keep those rather than copy them.
        unchanged = type(event.points) is int and event.points == points
        checked.append(event if unchanged else replace(event, points=points))
    return apply_monthly_limits(checked, policy)


def compute_scorecard(inp: ScorecardInput, policy: Policy) -> Scorecard:
    """rules.md §5: total = rated + bonuses − deductions ± adjustment, capped at 110; grade; pay float; flags.

    Automatic events (B02, D07, S06) are derived here from the exam score and the events, so the
    input must not contain them; the exam events are dated on the month's last day. Events outside
    the month, unknown codes or points out of range are refused with RuleViolation.
    With a criterion not yet rated the card is provisional:
    ``complete`` is False, flagged RATING_INCOMPLETE, and the low-score dismissal warning is withheld.
    """
    s = policy.scoring
    first = month_start(inp.month)
    nth_month = service_month(inp.join_date, first)
    rated, complete, lines = _rated_part(inp.ratings, policy)
    limited = _month_events(inp, first, policy)
    exam = None if inp.exam_score is None else validate_exam(inp.exam_score, policy)
    month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    counted = (*limited.accepted, *automatic_events(exam, limited.accepted, policy, exam_date=month_end))
    # Event points are whole (validated, or the policy's defaults): summed as integers, exactly.
    gained = lost = 0
    for event in sorted(counted, key=lambda e: e.date):
        whole = event.points or 0
        if whole > 0:
            gained += whole
        else:
            lost -= whole
        lines.append(_line(policy.event(event.code).kind, event.code, _whole(whole), event.source_ref, event.date))
    bonus, deduction = _whole(gained), _whole(lost)
    for event in limited.refused:
        lines.append(_line("refused", event.code, _ZERO, event.source_ref, event.date, NOTE_PER_MONTH_LIMIT))
    adjustment = validate_adjustment(inp.adjustment, inp.adjustment_reason, policy)
    if adjustment:
        lines.append(_line("adjustment", "adjustment", adjustment, "adjustment"))
    dismissal_codes = sorted({e.code for e in counted if policy.event(e.code).kind == "dismissal"})
    item_flags = [FLAG_DISMISSAL_ITEM + code for code in dismissal_codes]
    exam_flags = [FLAG_EXAM_RETAKE] if exam is not None and exam < s.exam_pass else []
    if not any(value is not None for value in inp.ratings.values()):
        # Not rated: the events still show, but there is no total to grade, pay or rank.
        return _scorecard(
            first, None, bonus, deduction, adjustment, None, None, None, None, exam, False,
            (FLAG_NOT_RATED, *item_flags, *exam_flags), tuple(lines), limited.refused,
        )  # fmt: skip
    raw_total = rated + bonus - deduction + adjustment
    total = min(raw_total, Decimal(s.cap))
    if total < raw_total:
        lines.append(_line("cap", "cap", total - raw_total))
    amount = pay_float(total, nth_month, policy)
    unbounded = (total - s.standard_total) * s.pay_float_per_point
    bounded = NOTE_BOUNDED if abs(unbounded) > s.pay_float_bound else ""
    note = NOTE_NO_PAY_FLOAT_MONTHS if nth_month <= s.no_pay_float_months else bounded
    lines.append(_line("pay_float", "pay_float", amount, note=note))
    flags = [FLAG_DISMISSAL_WARNING] if complete and total < s.dismissal_warning_below else []
    flags.extend(item_flags)
    flags.extend(exam_flags)
    if not complete:
        flags.append(FLAG_RATING_INCOMPLETE)
    return _scorecard(
        first, rated, bonus, deduction, adjustment, raw_total, total, grade(total, policy), amount, exam,
        complete, tuple(flags), tuple(lines), limited.refused,
    )  # fmt: skip


# --- ranking and quarters -----------------------------------------------------------------


def rank(totals: Mapping[K, Number]) -> dict[K, int]:
    """rules.md §5/§8 ranking, chosen as standard competition ranking ("1224"): ties share the
    best rank and the next rank skips; rank = 1 + number of strictly higher totals."""
    values = {key: to_decimal(value, "total") for key, value in totals.items()}
    ordered = sorted(values.values(), reverse=True)
    first_index: dict[Decimal, int] = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    return {key: first_index[value] + 1 for key, value in values.items()}


def last_place_warning(standings: Sequence[Standing], policy: Policy) -> bool:
    """rules.md §5: last in the ranking for 2 consecutive months (after training), each below 70.

    ``standings`` are the agent's months after training, oldest first, ending with the current one.
    Months must be consecutive calendar months: a gap (e.g. a training month left out) breaks the run.
    """
    s = policy.scoring
    needed = s.last_place_months
    if needed < 1 or len(standings) < needed:
        return False
    run = list(standings)[-needed:]
    for before, after in itertools.pairwise(run):
        if months_between(before.month, after.month) != 1:
            return False
    return all(st.last and st.total < s.last_place_below for st in run)


def rank_month(
    cards: Mapping[K, Scorecard],
    history: Mapping[K, Sequence[Standing]],
    policy: Policy,
    *,
    in_training: Iterable[K] = (),
) -> dict[K, Scorecard]:
    """rules.md §5: rank the month's scorecards by capped total and add the last-place DISMISSAL_WARNING.

    ``history`` holds each agent's earlier standings after training (oldest first). Last place is the
    worst rank when at least two agents are ranked (ties share it). Agents in training and
    provisional cards are ranked but never warned. Agents not rated this month are not ranked:
    they have no rank, are never last and take no place from anyone.
    """
    ranks = rank({key: card.total for key, card in cards.items() if card.total is not None})
    worst = max(ranks.values(), default=0)
    exempt = set(in_training)
    result: dict[K, Scorecard] = {}
    for key, card in cards.items():
        if key not in ranks:
            result[key] = card
            continue
        last = len(ranks) > 1 and ranks[key] == worst
        ranked = evolved(card, rank=ranks[key], last_place=last)
        if card.complete and key not in exempt and FLAG_DISMISSAL_WARNING not in card.flags:
            standings = (*history.get(key, ()), Standing.of(ranked))
            if last_place_warning(standings, policy):
                ranked = evolved(ranked, flags=(FLAG_DISMISSAL_WARNING, *card.flags))
        result[key] = ranked
    return result


def quarterly_grade(monthly_totals: Sequence[Number], policy: Policy) -> QuarterlyGrade:
    """rules.md §8 (chosen): the quarterly grade is the mean of the quarter's monthly totals, banded as §5.

    A quarter with fewer months (joined mid-quarter) uses the months it has.
    """
    count = len(monthly_totals)
    if not 1 <= count <= MONTHS_PER_QUARTER:
        raise RuleViolation(
            N_("A quarter needs between 1 and {max} monthly totals, not {count}"),
            field="monthly_totals",
            max=MONTHS_PER_QUARTER,
            count=count,
        )
    mean = sum((to_decimal(t, "total") for t in monthly_totals), _ZERO) / count
    return maker(QuarterlyGrade)(mean, grade(mean, policy))
