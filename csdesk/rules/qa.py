"""Quality inspection: scoring one inspection, grouping rows, monthly and weekly checks (rules.md §10).

Scores are kept exact (:class:`fractions.Fraction`) and rounded once, half up
to one decimal, only where a number is shown (:func:`round_half_up`), so a
monthly average is the mean of the exact scores, not of rounded ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Final, TypeAlias

from csdesk.errors import N_, RuleViolation
from csdesk.policy.model import Policy

YES: Final = "yes"
NO: Final = "no"
NA: Final = "na"

# An answer as typed or imported: yes / no / na, or points as a number (or its text).
RawAnswer: TypeAlias = str | int | float | Decimal | Fraction

_WORDS: Final = {YES: Fraction(1), NO: Fraction(0), NA: None}


@dataclass(frozen=True)
class Answer:
    """One question's credit: 1 yes, 0 no, a fraction for points, None not applicable."""

    question: str
    credit: Fraction | None


@dataclass(frozen=True)
class SectionScore:
    """A section's percentage of credit; ``percent`` None when all its answers are na."""

    code: str
    weight: int
    percent: Fraction | None


@dataclass(frozen=True)
class InspectionScore:
    """The 0–100 score of one inspection and how it came about."""

    exact: Fraction
    sections: tuple[SectionScore, ...]
    critical_failures: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()

    @property
    def score(self) -> Decimal:
        return round_half_up(self.exact)

    @property
    def critical_failure(self) -> bool:
        return bool(self.critical_failures)


@dataclass(frozen=True)
class InspectionRow:
    """One imported row: one question of one inspection (interfaces.md, inspections file)."""

    agent: str
    contact: str
    inspector: str
    inspected_on: date
    question: str
    answer: RawAnswer
    calibration: bool = False


@dataclass(frozen=True, order=True)
class InspectionKey:
    """What makes one inspection: agent, contact, inspector and date (interfaces.md)."""

    inspected_on: date
    agent: str
    contact: str
    inspector: str


@dataclass(frozen=True)
class Inspection:
    key: InspectionKey
    answers: tuple[Answer, ...]
    calibration: bool = False


@dataclass(frozen=True)
class Finding:
    """A finding fed back to the agent; open until re-checked and closed."""

    agent: str
    raised_on: date
    closed_on: date | None = None


@dataclass(frozen=True)
class AgentQaSummary:
    """One line of ``csdesk qa --json``; ``average`` None without inspections."""

    agent: str
    inspections: int
    average: Decimal | None
    critical_failures: int
    open_findings: int


@dataclass(frozen=True)
class WeeklyShortfall:
    agent: str
    done: int
    required: int


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """``value`` rounded half away from zero (92.25 -> 92.3), as Decimal with ``places`` decimals."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Decimal(magnitude if value >= 0 else -magnitude).scaleb(-places)


def _questions(policy: Policy) -> tuple[str, ...]:
    return tuple(q for section in policy.qa.sections for q in section.questions)


def parse_answer(question: str, raw: RawAnswer, policy: Policy) -> Answer:
    """Read one answer of the inspection form (rules.md §10, interfaces.md).

    ``yes``/``no``/``na`` in any case, or points: a number from 0 to 1 giving
    that fraction of the question's credit (1 is a yes, 0 a no, 0.5 half).
    Text holding such a number is read the same way.
    """
    if question not in _questions(policy):
        raise RuleViolation(N_("Unknown question {question}"), field="question", question=question)
    if isinstance(raw, str) and raw.strip().casefold() in _WORDS:
        return Answer(question, _WORDS[raw.strip().casefold()])
    bad = RuleViolation(N_("Answer {answer} to {question} must be yes, no, na or points from 0 to 1"),
                        field="answer", answer=str(raw), question=question)
    if isinstance(raw, bool):
        raise bad
    try:
        credit = Fraction(raw.strip()) if isinstance(raw, str) else Fraction(str(raw))
    except (ValueError, ZeroDivisionError, OverflowError):
        raise bad from None
    if not 0 <= credit <= 1:
        raise bad
    return Answer(question, credit)


def parse_answers(raw: Mapping[str, RawAnswer], policy: Policy) -> tuple[Answer, ...]:
    """Every answer of one inspection, validated, in form order (rules.md §10)."""
    return tuple(parse_answer(q, a, policy) for q, a in raw.items())


def score_answers(answers: Iterable[Answer], policy: Policy) -> InspectionScore:
    """Score one inspection (rules.md §10).

    Each section scores the percentage of credit over its applicable questions
    (``na`` drops out); sections combine by weight. A section with no
    applicable question drops out and the remaining weights scale up to 100. A
    ``no`` (credit 0) on a critical question makes the whole inspection 0.
    Questions without an answer count as ``na`` and are listed in ``unanswered``.
    An inspection with no applicable answer at all cannot be scored.
    """
    credit: dict[str, Fraction | None] = {}
    for answer in answers:
        if answer.question in credit:
            raise RuleViolation(N_("Question {question} is answered twice"), field="question",
                                question=answer.question)
        credit[answer.question] = answer.credit
    sections: list[SectionScore] = []
    weighted = Fraction(0)
    weights = 0
    for section in policy.qa.sections:
        applicable = [c for q in section.questions if (c := credit.get(q)) is not None]
        percent = sum(applicable, Fraction(0)) * 100 / len(applicable) if applicable else None
        sections.append(SectionScore(section.code, section.weight, percent))
        if percent is not None:
            weighted += percent * section.weight
            weights += section.weight
    if weights == 0:
        raise RuleViolation(N_("An inspection needs at least one applicable answer"), field="answer")
    failures = tuple(q for q in policy.qa.critical_questions if credit.get(q) == 0)
    unanswered = tuple(q for q in _questions(policy) if q not in credit)
    exact = Fraction(0) if failures else weighted / weights
    return InspectionScore(exact, tuple(sections), failures, unanswered)


def score_inspection(raw: Mapping[str, RawAnswer], policy: Policy) -> InspectionScore:
    """Validate and score one inspection's answers {question: answer} (rules.md §10)."""
    return score_answers(parse_answers(raw, policy), policy)


def group_inspections(rows: Iterable[InspectionRow], policy: Policy) -> tuple[Inspection, ...]:
    """Group question rows into inspections by (agent, contact, inspector, date) (interfaces.md).

    Every answer is validated. Refused: a blank agent, contact or inspector, an
    agent inspecting their own contact, a question answered twice in one
    inspection, and rows of one inspection that disagree on ``calibration``.
    Inspections come out in date, agent, contact, inspector order.
    """
    groups: dict[InspectionKey, list[Answer]] = {}
    calibration: dict[InspectionKey, bool] = {}
    for row in rows:
        for name in ("agent", "contact", "inspector"):
            if not str(getattr(row, name)).strip():
                raise RuleViolation(N_("The {name} of an inspection is missing"), field=name, name=name)
        if row.agent == row.inspector:
            raise RuleViolation(N_("Agent {agent} cannot inspect their own contact"), field="inspector",
                                agent=row.agent)
        key = InspectionKey(row.inspected_on, row.agent, row.contact, row.inspector)
        answers = groups.setdefault(key, [])
        if any(a.question == row.question for a in answers):
            raise RuleViolation(N_("Question {question} is answered twice in contact {contact}"),
                                field="question", question=row.question, contact=row.contact)
        answers.append(parse_answer(row.question, row.answer, policy))
        if calibration.setdefault(key, row.calibration) != row.calibration:
            raise RuleViolation(N_("Contact {contact} is marked calibration on some rows only"),
                                field="calibration", contact=row.contact)
    return tuple(Inspection(key, tuple(groups[key]), calibration[key]) for key in sorted(groups))


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def monthly_summary(inspections: Iterable[Inspection], findings: Iterable[Finding], month: date,
                    policy: Policy) -> tuple[AgentQaSummary, ...]:
    """The month's QA results per agent (rules.md §10, ``csdesk qa --json``).

    ``month`` is any day of the month. Calibration inspections never count.
    ``average`` is the mean of the exact inspection scores, rounded half up to
    one decimal; ``critical_failures`` counts inspections zeroed by a critical
    question; ``open_findings`` counts findings raised by the month's end and not
    closed by then. Agents with inspections or open findings appear, by code.
    """
    first, last = _month_bounds(month)
    scores: dict[str, list[InspectionScore]] = {}
    for inspection in inspections:
        if inspection.calibration or not first <= inspection.key.inspected_on <= last:
            continue
        scores.setdefault(inspection.key.agent, []).append(score_answers(inspection.answers, policy))
    open_findings: dict[str, int] = {}
    for finding in findings:
        if finding.raised_on <= last and (finding.closed_on is None or finding.closed_on > last):
            open_findings[finding.agent] = open_findings.get(finding.agent, 0) + 1
    out: list[AgentQaSummary] = []
    for agent in sorted(scores.keys() | open_findings.keys()):
        own = scores.get(agent, [])
        average = round_half_up(sum((s.exact for s in own), Fraction(0)) / len(own)) if own else None
        out.append(AgentQaSummary(agent, len(own), average, sum(s.critical_failure for s in own),
                                  open_findings.get(agent, 0)))
    return tuple(out)


def weekly_shortfalls(inspections: Iterable[Inspection], agents: Iterable[str], week_start: date,
                      policy: Policy) -> tuple[WeeklyShortfall, ...]:
    """Agents inspected fewer than ``min_inspections_per_week`` times (rules.md §10).

    The week is the seven days from ``week_start`` (the service passes the
    Monday). Calibration inspections do not count. Sorted by agent.
    """
    required = policy.qa.min_inspections_per_week
    week_end = week_start + timedelta(days=6)
    done = dict.fromkeys(agents, 0)
    for inspection in inspections:
        key = inspection.key
        if not inspection.calibration and key.agent in done and week_start <= key.inspected_on <= week_end:
            done[key.agent] += 1
    return tuple(WeeklyShortfall(a, n, required) for a, n in sorted(done.items()) if n < required)


def score(inspection: Inspection, policy: Policy) -> InspectionScore:
    """Score a grouped inspection (rules.md §10); see :func:`score_answers`."""
    return score_answers(inspection.answers, policy)

