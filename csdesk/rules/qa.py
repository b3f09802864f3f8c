"""Quality inspection (rules.md §10): forms, scoring one inspection, findings, calibration, the month, the week.

Scores are kept exact (:class:`fractions.Fraction`) and rounded once, half up
to one decimal, only where a number is shown (:func:`round_half_up`), so a
monthly average is the mean of the exact scores, not of rounded ones.

Every function that scores takes the form as a :class:`~csdesk.policy.model.QaForm`
(a saved inspection's own copy) or as a :class:`~csdesk.policy.model.Policy`, whose
default form it then uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Final, TypeAlias

from csdesk.errors import N_, RuleViolation
from csdesk.policy.model import Policy, QaForm, QaSection
from csdesk.records import record

YES: Final = "yes"
NO: Final = "no"
NA: Final = "na"
MAX_SCORE: Final = 100  # a score is a percentage; bonus questions never lift it above

# What becomes of a failed item (rules.md §10: "each finding records type and impact"): its
# impact is critical on a critical question, major on a no, minor on partial points.
CRITICAL, MAJOR, MINOR = "critical", "major", "minor"
# A finding is open, then fed back to the agent and team lead, then re-checked with an outcome.
OPEN, FED_BACK, RECHECKED = "open", "fed_back", "rechecked"
RESOLVED, UNRESOLVED = "resolved", "unresolved"
OUTCOMES: Final = (RESOLVED, UNRESOLVED)

# An answer as typed or imported: yes / no / na, or points as a number (or its text).
RawAnswer: TypeAlias = str | int | float | Decimal | Fraction
FormSource: TypeAlias = QaForm | Policy

_WORDS: Final = {YES: Fraction(1), NO: Fraction(0), NA: None}


def form_of(source: FormSource) -> QaForm:
    """The form itself, or a policy's default form."""
    return source if isinstance(source, QaForm) else source.qa.default_form


@record
class Answer:
    """One question's credit: 1 yes, 0 no, the share of its points given, None not applicable.

    ``given`` is the answer as stored: yes, no, na or the points given (``1.5``, ``2/3``)."""

    question: str
    credit: Fraction | None
    given: str


@record
class SectionScore:
    """A section's percentage of credit; ``percent`` None when all its answers are na.
    ``failed`` names its critical questions answered no (the section then scores 0 %)."""

    code: str
    weight: int
    percent: Fraction | None
    failed: tuple[str, ...] = ()


@record
class InspectionScore:
    """The 0–100 score of one inspection and how it came about."""

    exact: Fraction
    sections: tuple[SectionScore, ...]
    critical_failures: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()
    bonus: Fraction = Fraction(0)

    @property
    def score(self) -> Decimal:
        return round_half_up(self.exact)

    @property
    def critical_failure(self) -> bool:
        """Whether a critical question of the form made the whole inspection 0."""
        return bool(self.critical_failures)


@record
class InspectionRow:
    """One imported row: one question of one inspection (interfaces.md, inspections file).
    ``form`` empty: the default form; ``mode`` empty: the policy's default mode."""

    agent: str
    contact: str
    inspector: str
    inspected_on: date
    question: str
    answer: RawAnswer
    calibration: bool = False
    form: str = ""
    mode: str = ""


@dataclass(frozen=True, order=True)
class InspectionKey:
    """What makes one inspection: agent, contact, inspector and date (interfaces.md)."""

    inspected_on: date
    agent: str
    contact: str
    inspector: str


@record
class Inspection:
    """Grouped rows of one inspection, on the form ``form`` of the policy in force."""

    key: InspectionKey
    answers: tuple[Answer, ...]
    calibration: bool = False
    form: str = ""
    mode: str = ""


@record
class ScoredInspection:
    """What the monthly summary needs of a counted inspection: its agent and exact score."""

    agent: str
    exact: Fraction
    critical_failure: bool


@record
class Finding:
    """A finding fed back to the agent; open until re-checked and closed."""

    agent: str
    raised_on: date
    closed_on: date | None = None


@record
class FailedItem:
    """A failed question of an inspection, which becomes a finding (rules.md §10)."""

    question: str
    kind: str  # the question's section
    impact: str  # CRITICAL, MAJOR or MINOR
    deadline: date


@record
class AgentQaSummary:
    """One line of ``csdesk qa --json``; ``average`` None without inspections."""

    agent: str
    inspections: int
    average: Decimal | None
    critical_failures: int
    open_findings: int


@record
class WeeklyShortfall:
    agent: str
    done: int
    required: int


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """``value`` rounded half away from zero (92.25 -> 92.3), as Decimal with ``places`` decimals."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Decimal(magnitude if value >= 0 else -magnitude).scaleb(-places)


# --- answers -------------------------------------------------------------------------------------


def _points_text(points: Fraction) -> str:
    """Points as written back: ``1.5`` where a decimal is exact, else ``2/3``."""
    rest = points.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return str(points)
    return format((Decimal(points.numerator) / points.denominator).normalize(), "f")


def known_question(question: str, source: FormSource) -> QaForm:
    """The form, once ``question`` is found on it (refused naming the question otherwise)."""
    form = form_of(source)
    if not form.knows(question):
        raise RuleViolation(N_("Unknown question {question}"), field="question", question=question)
    return form


def form_named(policy: Policy, code: str) -> QaForm:
    """The policy's form ``code`` (empty: the default form), refused naming the form otherwise."""
    try:
        return policy.qa.form(code)
    except KeyError:
        raise RuleViolation(N_("Unknown inspection form {form}"), field="form", form=code) from None


def parse_answer(question: str, raw: RawAnswer, source: FormSource) -> Answer:
    """Read one answer of the inspection form (rules.md §10, interfaces.md).

    ``yes``/``no``/``na`` in any case, or points: a number from 0 to the question's points
    (1 unless the form weighs it more) giving that share of its credit; on a 1-point question
    1 is a yes, 0 a no, 0.5 half. Text holding such a number is read the same way.
    """
    form = known_question(question, source)
    if isinstance(raw, str) and raw.strip().casefold() in _WORDS:
        word = raw.strip().casefold()
        return Answer(question, _WORDS[word], word)
    most = form.points_of(question)
    bad = RuleViolation(N_("Answer {answer} to {question} must be yes, no, na or points from 0 to {points}"),
                        field="answer", answer=str(raw), question=question, points=most)
    if isinstance(raw, bool):
        raise bad
    try:
        points = Fraction(raw.strip()) if isinstance(raw, str) else Fraction(str(raw))
    except (ValueError, ZeroDivisionError, OverflowError):
        raise bad from None
    if not 0 <= points <= most:
        raise bad
    credit = points / most
    given = YES if credit == 1 else NO if credit == 0 else _points_text(points)
    return Answer(question, credit, given)


def parse_answers(raw: Mapping[str, RawAnswer], source: FormSource) -> tuple[Answer, ...]:
    """Every answer of one inspection, validated, in the order given (rules.md §10)."""
    return tuple(parse_answer(q, a, source) for q, a in raw.items())


# --- scoring -------------------------------------------------------------------------------------


def score_answers(answers: Iterable[Answer], source: FormSource) -> InspectionScore:
    """Score one inspection (rules.md §10).

    Each section scores the share of points over its applicable questions (``na`` drops out);
    a ``no`` on one of the section's critical questions makes it 0 %. Sections combine by
    weight; a section with no applicable question drops out and the remaining weights scale
    up to 100. Bonus questions add their points on top, up to 100. A ``no`` (credit 0) on a
    critical question of the form makes the whole inspection 0. Questions without an answer
    count as ``na`` and are listed in ``unanswered``. An inspection with no applicable scored
    answer cannot be scored.
    """
    form = form_of(source)
    credit: dict[str, Fraction | None] = {}
    for answer in answers:
        if answer.question in credit:
            raise RuleViolation(N_("Question {question} is answered twice"), field="question",
                                question=answer.question)
        credit[answer.question] = answer.credit
    sections = tuple(_section(section, credit) for section in form.sections)
    weights = sum(s.weight for s in sections if s.percent is not None)
    if weights == 0:
        raise RuleViolation(N_("An inspection needs at least one applicable answer"), field="answer")
    weighted = sum((s.percent * s.weight for s in sections if s.percent is not None), Fraction(0)) / weights
    bonus = sum((c * b.points for b in form.bonus_questions if (c := credit.get(b.code))), Fraction(0))
    failures = tuple(q for q in form.critical_questions if credit.get(q) == 0)
    unanswered = tuple(q for q in form.questions if q not in credit)
    exact = Fraction(0) if failures else min(Fraction(MAX_SCORE), weighted + bonus)
    return InspectionScore(exact, sections, failures, unanswered, bonus)


def _section(section: QaSection, credit: Mapping[str, Fraction | None]) -> SectionScore:
    applicable = [(q, c) for q in section.questions if (c := credit.get(q)) is not None]
    if not applicable:
        return SectionScore(section.code, section.weight, None)
    failed = tuple(q for q, c in applicable if c == 0 and q in section.critical)
    points = sum(section.points_of(q) for q, _c in applicable)
    earned = sum((c * section.points_of(q) for q, c in applicable), Fraction(0))
    percent = Fraction(0) if failed else earned * 100 / points
    return SectionScore(section.code, section.weight, percent, failed)


def score_inspection(raw: Mapping[str, RawAnswer], source: FormSource) -> InspectionScore:
    """Validate and score one inspection's answers {question: answer} (rules.md §10)."""
    return score_answers(parse_answers(raw, source), source)


def score(inspection: Inspection, policy: Policy) -> InspectionScore:
    """Score a grouped inspection on its form of ``policy`` (rules.md §10); see :func:`score_answers`."""
    return score_answers(inspection.answers, policy.qa.form(inspection.form))


def failed_items(
    answers: Iterable[Answer], source: FormSource, inspected_on: date, deadline_days: int
) -> tuple[FailedItem, ...]:
    """The items of an inspection that become findings (rules.md §10): every scored question
    answered no or given partial points, to be put right within ``deadline_days``. Its kind is
    its section; its impact critical on a critical question (of the form or its section), major
    on a no, minor on partial points. Bonus questions never fail."""
    form = form_of(source)
    deadline = inspected_on + timedelta(days=deadline_days)
    out = []
    for answer in answers:
        if answer.credit is None or answer.credit == 1 or answer.question not in form.questions:
            continue
        section = form.section_of(answer.question)
        critical_question = answer.question in form.critical_questions or answer.question in section.critical
        critical = answer.credit == 0 and critical_question
        impact = CRITICAL if critical else MAJOR if answer.credit == 0 else MINOR
        out.append(FailedItem(answer.question, section.code, impact, deadline))
    return tuple(out)


# --- rows of an imported file ----------------------------------------------------------------


def read_row(row: InspectionRow, policy: Policy) -> Answer:
    """Validate one row of an inspections file on its own (interfaces.md): the agent, contact
    and inspector given, nobody inspecting their own contact, the form and mode known, the
    question on the form and its answer allowed."""
    for name in ("agent", "contact", "inspector"):
        if not str(getattr(row, name)).strip():
            raise RuleViolation(N_("The {name} of an inspection is missing"), field=name, name=name)
    if row.agent == row.inspector:
        raise RuleViolation(N_("Agent {agent} cannot inspect their own contact"), field="inspector", agent=row.agent)
    if row.mode and row.mode not in policy.qa.modes:
        raise RuleViolation(N_("Mode {mode} is not one of {modes}"), field="mode", mode=row.mode,
                            modes=", ".join(policy.qa.modes))
    return parse_answer(row.question, row.answer, form_named(policy, row.form))


def key_of(row: InspectionRow) -> InspectionKey:
    return InspectionKey(row.inspected_on, row.agent, row.contact, row.inspector)


def check_joins(earlier: Sequence[InspectionRow], row: InspectionRow) -> None:
    """Refuse a row that contradicts the rows before it of the same inspection: a question
    answered twice, or another calibration mark, form or mode."""
    if not earlier:
        return
    if any(r.question == row.question for r in earlier):
        raise RuleViolation(N_("Question {question} is answered twice in contact {contact}"),
                            field="question", question=row.question, contact=row.contact)
    first = earlier[0]
    if first.calibration != row.calibration:
        raise RuleViolation(N_("Contact {contact} is marked calibration on some rows only"),
                            field="calibration", contact=row.contact)
    for name in ("form", "mode"):
        if getattr(first, name) != getattr(row, name):
            raise RuleViolation(N_("Contact {contact} names two different values of {name}"),
                                field=name, contact=row.contact, name=name)


def group_inspections(rows: Iterable[InspectionRow], policy: Policy) -> tuple[Inspection, ...]:
    """Group question rows into inspections by (agent, contact, inspector, date) (interfaces.md).

    Every row is validated (:func:`read_row`, :func:`check_joins`); the first problem is
    raised. Inspections come out in date, agent, contact, inspector order.
    """
    groups: dict[InspectionKey, list[tuple[InspectionRow, Answer]]] = {}
    for row in rows:
        answer = read_row(row, policy)
        pairs = groups.setdefault(key_of(row), [])
        check_joins([r for r, _a in pairs], row)
        pairs.append((row, answer))
    out = []
    for key in sorted(groups):
        first = groups[key][0][0]
        answers = tuple(a for _r, a in groups[key])
        out.append(Inspection(key, answers, first.calibration, first.form, first.mode or policy.qa.default_mode))
    return tuple(out)


# --- the month and the week ---------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of ``month``'s month."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def monthly_summary(inspections: Iterable[Inspection], findings: Iterable[Finding], month: date,
                    policy: Policy) -> tuple[AgentQaSummary, ...]:
    """The month's QA results per agent of grouped inspections (rules.md §10, ``csdesk qa --json``).

    ``month`` is any day of the month. Only the month's inspections count, calibration
    inspections never; findings count when open at the month's end (:func:`open_at`).
    See :func:`summarise`.
    """
    first, last = month_bounds(month)
    scored = []
    for inspection in inspections:
        if inspection.calibration or not first <= inspection.key.inspected_on <= last:
            continue
        result = score(inspection, policy)
        scored.append(ScoredInspection(inspection.key.agent, result.exact, result.critical_failure))
    return summarise(scored, open_at(findings, last))


def open_at(findings: Iterable[Finding], last: date) -> dict[str, int]:
    """Per agent, the findings raised by ``last`` and not closed by then."""
    out: dict[str, int] = {}
    for finding in findings:
        if finding.raised_on <= last and (finding.closed_on is None or finding.closed_on > last):
            out[finding.agent] = out.get(finding.agent, 0) + 1
    return out


def summarise(counted: Iterable[ScoredInspection], open_findings: Mapping[str, int]) -> tuple[AgentQaSummary, ...]:
    """The month's QA results per agent (rules.md §10, ``csdesk qa --json``) from its counted
    inspections (the month's, calibration ones left out) and the findings open at its end.

    ``average`` is the mean of the exact inspection scores, rounded half up to one decimal;
    ``critical_failures`` counts inspections zeroed by a critical question. Agents with
    inspections or open findings appear, by code.
    """
    scores: dict[str, list[Fraction]] = {}
    critical: dict[str, int] = {}
    for inspection in counted:
        scores.setdefault(inspection.agent, []).append(inspection.exact)
        critical[inspection.agent] = critical.get(inspection.agent, 0) + inspection.critical_failure
    out: list[AgentQaSummary] = []
    for agent in sorted(scores.keys() | open_findings.keys()):
        own = scores.get(agent, [])
        average = round_half_up(_mean(own)) if own else None
        out.append(AgentQaSummary(agent, len(own), average, critical.get(agent, 0), open_findings.get(agent, 0)))
    return tuple(out)


def _mean(values: Sequence[Fraction]) -> Fraction:
    """The exact mean, summed over a common denominator (one Fraction, not one per addition:
    a month of 16,000 inspections is averaged in a few milliseconds)."""
    common = math.lcm(*(v.denominator for v in values))
    return Fraction(sum(v.numerator * (common // v.denominator) for v in values), common * len(values))


def weekly_shortfalls(inspections: Iterable[Inspection], agents: Iterable[str], week_start: date,
                      policy: Policy) -> tuple[WeeklyShortfall, ...]:
    """Agents inspected fewer than ``min_inspections_per_week`` times (rules.md §10).

    The week is the seven days from ``week_start`` (the service passes the
    Monday). Calibration inspections do not count. Sorted by agent.
    """
    week_end = week_start + timedelta(days=6)
    done: dict[str, int] = {}
    for inspection in inspections:
        key = inspection.key
        if not inspection.calibration and week_start <= key.inspected_on <= week_end:
            done[key.agent] = done.get(key.agent, 0) + 1
    return behind(done, agents, policy)


def behind(done: Mapping[str, int], agents: Iterable[str], policy: Policy) -> tuple[WeeklyShortfall, ...]:
    """Of ``agents``, those whose week's count in ``done`` is below the weekly minimum (rules.md §10)."""
    required = policy.qa.min_inspections_per_week
    counts = {agent: done.get(agent, 0) for agent in agents}
    return tuple(WeeklyShortfall(a, n, required) for a, n in sorted(counts.items()) if n < required)


# --- calibration -----------------------------------------------------------------------------------


@record
class CalibrationEntry:
    """One inspector's inspection of the contact being calibrated."""

    inspector: str
    answers: tuple[Answer, ...]
    exact: Fraction
    calibration: bool


@record
class QuestionSpread:
    """How the inspectors answered one question: each one's credit (None: na), the agreed
    credit, the spread (highest minus lowest applicable credit) and who differs from the
    agreed answer."""

    question: str
    answers: tuple[tuple[str, Fraction | None], ...]
    agreed: Fraction | None
    spread: Fraction
    differing: tuple[str, ...]


@record
class InspectorSpread:
    """One inspector against the agreed inspection: score difference and answers that differ
    (None when there is no agreed inspection)."""

    inspector: str
    exact: Fraction
    difference: Fraction | None
    differing: int | None


@record
class Calibration:
    """Several inspectors on the same contact (rules.md §10). ``agreed`` is the inspector whose
    inspection counts (the one not marked calibration, the first of them if several; None
    when every one is a calibration inspection)."""

    agreed: str | None
    questions: tuple[QuestionSpread, ...]
    inspectors: tuple[InspectorSpread, ...]


def calibrate(entries: Sequence[CalibrationEntry], source: FormSource) -> Calibration:
    """Compare the inspectors of one contact, question by question and as a whole (rules.md §10)."""
    form = form_of(source)
    credits = [{a.question: a.credit for a in e.answers} for e in entries]
    asked = [q for q in (*form.questions, *form.bonus_points) if any(q in c for c in credits)]
    reference = next((i for i, e in enumerate(entries) if not e.calibration), None)
    if reference is None:
        questions = tuple(_question_spread(q, entries, credits, None) for q in asked)
        return Calibration(None, questions, tuple(InspectorSpread(e.inspector, e.exact, None, None) for e in entries))
    agreed, base = credits[reference], entries[reference].exact
    questions = tuple(_question_spread(q, entries, credits, agreed) for q in asked)
    inspectors = tuple(
        InspectorSpread(e.inspector, e.exact, e.exact - base, sum(1 for q in asked if c.get(q) != agreed.get(q)))
        for e, c in zip(entries, credits, strict=True)
    )
    return Calibration(entries[reference].inspector, questions, inspectors)


def _question_spread(
    question: str, entries: Sequence[CalibrationEntry], credits: Sequence[Mapping[str, Fraction | None]],
    agreed: Mapping[str, Fraction | None] | None,
) -> QuestionSpread:  # fmt: skip
    given = tuple((e.inspector, c.get(question)) for e, c in zip(entries, credits, strict=True))
    applicable = [c for _i, c in given if c is not None]
    spread = max(applicable) - min(applicable) if applicable else Fraction(0)
    if agreed is None:
        return QuestionSpread(question, given, None, spread, ())
    target = agreed.get(question)
    return QuestionSpread(question, given, target, spread, tuple(i for i, c in given if c != target))
