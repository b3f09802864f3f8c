"""The promotion ladder and its demotion conditions (rules.md §8), as pure checks over an agent's history.

The history passed in is the agent's record **since reaching the current level**, oldest first:
monthly ranks of consecutive months and grades of consecutive quarters (see
:func:`csdesk.rules.scoring.quarterly_grade`). Conditions met before an earlier promotion do not
count twice. The average rank is the mean over the months of that history (chosen: the policy has
no window key).

:func:`ladder_step` builds that history for one month from plain values (the signed-off standings
of the year before it and the month itself, see :class:`LadderInput`) and applies the checks.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import NamedTuple, Protocol

from csdesk.errors import RuleViolation
from csdesk.policy import Policy
from csdesk.records import maker, record
from csdesk.rules.scoring import (
    FAIL_GRADE,
    MONTHS_PER_QUARTER,
    MONTHS_PER_YEAR,
    N_,
    Scorecard,
    months_between,
    quarterly_grade,
)

FLAG_PROMOTION_ELIGIBLE = "PROMOTION_ELIGIBLE:"  # followed by the level code
FLAG_DEMOTION_WARNING = "DEMOTION_WARNING"
# Condition codes, for explaining a decision (never translated here).
COND_PROBATION = "PROBATION_PASSED"
COND_AVG_RANK = "AVG_RANK"
COND_QUARTERLY_A = "QUARTERLY_A"
COND_EXCELLENT_AGENT = "EXCELLENT_AGENT"
COND_MONTHS_IN_COMPANY = "MONTHS_IN_COMPANY"
DEMOTE_MONTHS_OUTSIDE_TOP = "MONTHS_OUTSIDE_TOP"
DEMOTE_QUARTERS_AT_GRADE = "QUARTERS_AT_GRADE"
DEMOTE_QUARTER_BELOW_GRADE = "QUARTER_BELOW_GRADE"
_ONE_DAY = timedelta(days=1)


@record
class LevelHistory:
    """An agent's record since reaching the current level, oldest first."""

    monthly_ranks: tuple[int, ...] = ()
    quarterly_grades: tuple[str, ...] = ()
    excellent_agent_times: int = 0  # times named "excellent agent of the month"
    probation_passed: bool = False  # trainees only: the probation assessment after induction


@record
class PromotionCheck:
    """The conditions for the next level, split into met and unmet condition codes."""

    to: str | None  # None: top of the ladder
    met: tuple[str, ...]
    unmet: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return self.to is not None and not self.unmet


def _level_index(level: str, policy: Policy) -> int:
    codes = policy.level_codes
    if level not in codes:
        raise RuleViolation(N_("Unknown level {level}"), field="level", level=level)
    return codes.index(level)


def next_level(current_level: str, policy: Policy) -> str | None:
    """rules.md §1/§8: the level after ``current_level`` on the ladder, None at the top."""
    codes = policy.level_codes
    index = _level_index(current_level, policy)
    return codes[index + 1] if index + 1 < len(codes) else None


def whole_months_in_company(join_date: date, today: date) -> int:
    """rules.md §8: whole months since joining; a month is complete on the same day of the month
    (or that month's last day when it is shorter: joined 31 Jan → one month on 28/29 Feb)."""
    months = months_between(join_date, today)
    day_reached = today.day >= join_date.day or (today + _ONE_DAY).month != today.month
    return max(0, months if day_reached else months - 1)


def _grade_order(policy: Policy) -> tuple[str, ...]:
    return (*policy.grade_codes, FAIL_GRADE)


def _check_grades(grades: Sequence[str], policy: Policy) -> None:
    known = _grade_order(policy)
    for code in grades:
        if code not in known:
            raise RuleViolation(N_("Unknown grade {grade}"), field="quarterly_grades", grade=code)


def _longest_run(flags: Sequence[bool]) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def promotion_check(
    history: LevelHistory, current_level: str, policy: Policy, months_in_company: int
) -> PromotionCheck:
    """rules.md §8: which conditions for the next level are met.

    junior: probation assessment passed (a level with no promotion step is reached this way).
    intermediate: monthly rank averaging top 3; one quarterly A; ≥ 3 months in the company.
    senior: once "excellent agent"; rank averaging top 3; 2 consecutive quarterly A; ≥ 6 months.
    reserve: 3 times "excellent agent"; rank averaging top 3; 3 quarterly A; ≥ 12 months.
    """
    target = next_level(current_level, policy)
    if target is None:
        return PromotionCheck(None, (), ())
    _check_grades(history.quarterly_grades, policy)
    step = policy.promotion_step(target)
    results: list[tuple[str, bool]]
    if step is None:
        results = [(COND_PROBATION, history.probation_passed)]
    else:
        ranks = history.monthly_ranks
        avg_ok = bool(ranks) and Decimal(sum(ranks)) / len(ranks) <= step.avg_rank_top
        top = policy.scoring.grades[0].code
        is_a = [g == top for g in history.quarterly_grades]
        a_count = _longest_run(is_a) if step.consecutive_quarterly_a else sum(is_a)
        results = [
            (COND_AVG_RANK, avg_ok),
            (COND_QUARTERLY_A, a_count >= step.quarterly_a),
            (COND_EXCELLENT_AGENT, history.excellent_agent_times >= step.excellent_agent_times),
            (COND_MONTHS_IN_COMPANY, months_in_company >= step.months_in_company),
        ]
    return maker(PromotionCheck)(
        target,
        tuple(code for code, ok in results if ok),
        tuple(code for code, ok in results if not ok),
    )


def promotion_eligibility(
    history: LevelHistory, current_level: str, policy: Policy, months_in_company: int
) -> str | None:
    """rules.md §8: the next level's code when every condition for it is met, else None."""
    check = promotion_check(history, current_level, policy, months_in_company)
    return check.to if check.eligible else None


def promotion_flags(
    history: LevelHistory, current_level: str, policy: Policy, months_in_company: int
) -> tuple[str, ...]:
    """rules.md §8 / interfaces.md: ``("PROMOTION_ELIGIBLE:<level>",)`` when eligible, else ()."""
    target = promotion_eligibility(history, current_level, policy, months_in_company)
    return () if target is None else (FLAG_PROMOTION_ELIGIBLE + target,)


def demotion_reasons(history: LevelHistory, current_level: str, policy: Policy) -> tuple[str, ...]:
    """rules.md §8, demotion column: which demotion conditions the history since promotion meets.

    Not evaluated: levels reached without a promotion step (trainee, junior: "—") and the top level
    (reserve supervisor: decided by management). The first promoted level (intermediate) counts
    *consecutive* months outside the top 3 and consecutive quarters at B; higher agent levels
    (senior) count occurrences *within the first year* after promotion. One quarter below B is enough
    for both.
    """
    index = _level_index(current_level, policy)
    if policy.promotion_step(current_level) is None or index == len(policy.levels) - 1:
        return ()
    _check_grades(history.quarterly_grades, policy)
    d = policy.demotion
    order = _grade_order(policy)
    ranks, grades = history.monthly_ranks, history.quarterly_grades
    if current_level == policy.promoted_levels[0]:
        outside = _longest_run([r > d.top for r in ranks])
        at_grade = _longest_run([g == d.below_grade for g in grades])
    else:
        ranks = ranks[:MONTHS_PER_YEAR]
        grades = grades[: MONTHS_PER_YEAR // MONTHS_PER_QUARTER]
        outside = sum(r > d.top for r in ranks)
        at_grade = sum(g == d.below_grade for g in grades)
    limit = order.index(d.below_grade) if d.below_grade in order else len(order)
    below = any(order.index(g) > limit for g in grades)
    reasons = [
        (DEMOTE_MONTHS_OUTSIDE_TOP, outside >= d.months_outside_top),
        (DEMOTE_QUARTERS_AT_GRADE, at_grade >= d.quarters_b),
        (DEMOTE_QUARTER_BELOW_GRADE, below),
    ]
    return tuple(code for code, met in reasons if met)


def demotion_flags(history: LevelHistory, current_level: str, policy: Policy) -> tuple[str, ...]:
    """rules.md §8 / interfaces.md: ``("DEMOTION_WARNING",)`` when any demotion condition is met, else ()."""
    return (FLAG_DEMOTION_WARNING,) if demotion_reasons(history, current_level, policy) else ()


# --- the ladder over a month's window (rules.md §8) ------------------------------------------------

EXCELLENT_AGENT_EVENT = "B01"  # (chosen) "top workload and quality of the month" = excellent agent
LADDER_MONTHS = MONTHS_PER_YEAR  # the months before this one the ladder looks back on (§8: a year)


def is_excellent(card: Scorecard) -> bool:
    """(chosen) "Excellent agent of the month" (§8, senior/reserve) is an accepted B01 bonus."""
    return any(line.code == EXCELLENT_AGENT_EVENT and line.kind == "bonus" for line in card.lines)


class MonthStanding(NamedTuple):
    """One earlier month of an agent as the ladder sees it (all empty: no signed-off standing).

    A named tuple: the ladder of a 2,000-agent month makes 24,000 of them (twelve months each),
    and a tuple is built four times faster than a frozen dataclass."""

    total: Decimal | None = None  # None: no total (not rated, or nothing signed off)
    rank: int | None = None  # None: not ranked
    excellent: bool = False  # named "excellent agent of the month"


NO_STANDING = MonthStanding()


class PastMonth(Protocol):
    """What the ladder reads of an earlier month: a :class:`MonthStanding`, or any record with
    the same three fields (the standing a lock stored, read as it is: a month's ladder reads
    24,000 of them)."""

    @property
    def total(self) -> Decimal | None: ...

    @property
    def rank(self) -> int | None: ...

    @property
    def excellent(self) -> bool: ...


@record
class LadderInput:
    """Everything the ladder needs about one agent's month, as plain values.

    ``past`` holds the :data:`LADDER_MONTHS` months before ``month``, oldest first (a month with no
    standing is :data:`NO_STANDING`); ``total``/``rank``/``excellent`` are this month's.
    ``level_since`` is the recorded start of the current level (None: not recorded).
    """

    level: str | None
    join_date: date
    level_since: date | None
    month: date  # the month's first day
    past: tuple[PastMonth, ...]
    total: Decimal | None = None
    rank: int | None = None
    excellent: bool = False


@record
class LadderResult:
    """What the ladder says about one agent's month."""

    flags: tuple[str, ...] = ()
    demotion_reasons: tuple[str, ...] = ()
    level_since: date | None = None  # the start the judgement used (None: not recorded)


def _month_index(day: date) -> int:
    return day.year * MONTHS_PER_YEAR + day.month - 1


def _month_of_index(index: int) -> date:
    return date(index // MONTHS_PER_YEAR, index % MONTHS_PER_YEAR + 1, 1)


@cache
def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


@cache
def ladder_window(first: date) -> tuple[tuple[date, ...], tuple[tuple[int, ...], ...]]:
    """The window of ``first``'s month: the :data:`LADDER_MONTHS` months before it and itself,
    oldest first, and the index triples of the whole calendar quarters inside it, oldest first."""
    last = _month_index(first)
    months = tuple(_month_of_index(last - n) for n in range(LADDER_MONTHS, -1, -1))
    quarters = tuple(
        tuple(range(i + 1 - MONTHS_PER_QUARTER, i + 1))
        for i, m in enumerate(months)
        if m.month % MONTHS_PER_QUARTER == 0 and i >= MONTHS_PER_QUARTER - 1
    )
    return months, quarters


def judged_within_a_year(level: str, policy: Policy) -> bool:
    """rules.md §8: above the first promoted level (senior), demotion counts only within a year
    of the promotion (the levels :func:`demotion_reasons` bounds so)."""
    return level in policy.promoted_levels[1:]


def ladder_since(inp: LadderInput) -> date | None:
    """The recorded start of the level as of the month's end (a later start, from inputs loaded
    for a later month, is not the start of the level the month was worked at)."""
    since = inp.level_since
    return None if since is not None and since > _month_end(inp.month) else since


def ladder_history(inp: LadderInput, policy: Policy) -> LevelHistory:
    """The agent's :class:`LevelHistory` over the window: the months since the level started.

    A month counts from the month the level started in on (chosen: the month of a mid-month
    promotion counts at the new level); a quarter only when all three of its months count and
    have a total. Without a recorded start the whole window counts.
    """
    if len(inp.past) != LADDER_MONTHS:
        raise ValueError(f"the ladder needs {LADDER_MONTHS} earlier months, not {len(inp.past)}")
    months, quarters = ladder_window(inp.month)
    since = ladder_since(inp)
    # index of the first month of the window at the current level (0: the whole window)
    start = 0 if since is None else max(0, _month_index(since) - _month_index(months[0]))
    counted = inp.past[start:]
    totals: list[Decimal | None] = [None] * start
    totals += [s.total for s in counted]
    totals.append(inp.total)
    ranks = [s.rank for s in counted if s.rank is not None]
    if inp.rank is not None:
        ranks.append(inp.rank)
    grades = []
    for quarter in quarters:
        if quarter[0] >= start:
            values = [totals[i] for i in quarter]
            if None not in values:
                grades.append(quarterly_grade(values, policy).grade)  # type: ignore[arg-type]
    return maker(LevelHistory)(
        monthly_ranks=tuple(ranks),
        quarterly_grades=tuple(grades),
        excellent_agent_times=sum(1 for s in counted if s.excellent) + inp.excellent,
    )


def ladder_step(inp: LadderInput, policy: Policy) -> LadderResult:
    """rules.md §8 for one agent's month: promotion flag, demotion warning and its reasons.

    No level, or one the policy does not know: nothing. Without a recorded start, promotion looks
    at the whole window and demotion is **not** judged (a warning is never raised from a guessed
    start). A level that started before the window is judged on the window's months; for a level
    demoted only within a year of the promotion (:func:`judged_within_a_year`) that year is over
    then, so no warning is raised.
    """
    if inp.level is None or inp.level not in policy.level_codes:
        return LadderResult()
    since = ladder_since(inp)
    history = ladder_history(inp, policy)
    in_company = whole_months_in_company(inp.join_date, _month_end(inp.month))
    flags = promotion_flags(history, inp.level, policy, in_company)
    reasons: tuple[str, ...] = ()
    window_start = ladder_window(inp.month)[0][0]
    if since is not None and (since >= window_start or not judged_within_a_year(inp.level, policy)):
        reasons = demotion_reasons(history, inp.level, policy)
    if reasons:
        flags = (*flags, FLAG_DEMOTION_WARNING)
    return maker(LadderResult)(flags, reasons, since)
