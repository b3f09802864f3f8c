"""Demo quality inspections for ``csdesk demo`` (rules.md §10): a few inspections per agent in each
demo month (the last three at most), recorded through :class:`QAService` as an inspector would.

Called from ``DemoService.build`` once its unit of work is committed (the QA service opens its
own), before the months before the demo are signed off. Week by week the service proposes each
agent's calls and contacts to inspect (:meth:`QAService.sample`); the inspector (the demo's QA
person, now and then the supervisor) takes about two a month per agent, saved together. Answers
are mostly yes: each agent misses a question now and then (some more often than others), so some
inspections have findings; a critical failure is rare (one at least). Findings past their first
days are fed back, and those past their deadline re-checked (on their deadline). One contact is
scored by two more inspectors for calibration, and one error (found by record sampling where
there is one) becomes the policy's spot-check event (M13).

Each inspection is audited as the service audits it: most of the demo's added time (about half a
second for the default demo) is these few hundred writes.

Deterministic: the same seed and the same day give the same inspections.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from csdesk.models.db import UowFactory
from csdesk.policy import Policy
from csdesk.policy.model import QaForm
from csdesk.rules.qa import CRITICAL, OPEN, RESOLVED, UNRESOLVED
from csdesk.services.base import Actor, Clock
from csdesk.services.qa import EDIT, InspectionEntry, QAService
from csdesk.services.qa_sampling import CALL

INSPECTOR, SUPERVISOR, TRAINER = "S003", "S001", "S002"  # the demo's QA person, supervisor, trainer
TAKEN_PER_WEEK = 0.5  # the share of agents whose proposed contact is inspected in a week (about 2 a month)
BY_SUPERVISOR = 0.15  # the share of inspections the supervisor makes
MISS_RATE = (0.01, 0.05)  # how often an agent misses a question: each agent somewhere in this range
CRITICAL_RATE = 0.012  # how often a critical question is failed
FED_BACK_AFTER = 2  # days after the inspection its findings are fed back
MAX_MONTHS = 3  # a long demo (a benchmark's years) has inspections in its last months only
NOT_ON_A_CALLBACK = "Q01"  # answered within three rings: not applicable to a call the agent makes
# What an inspector writes beside a no (by question; the others go without a comment).
_COMMENTS = {
    "Q01": ["响铃五声才接听", "Contestó al sexto tono"],
    "Q02": ["未使用标准开场白", "No se presentó con el saludo de la empresa"],
    "Q03": ["结束语不完整", "Colgó sin despedirse"],
    "Q04": ["未按话术处理退费问题", "No siguió el guion de bajas"],
    "Q05": ["语气生硬，打断客户", "Tono seco con el cliente"],
    "Q06": ["告知了错误的课程时间", "Informó mal de la fecha de renovación"],
    "Q07": ["工单未记录回访结果", "Falta el resultado en la ficha"],
}  # fmt: skip
_NOTES = ["已当面反馈", "Comentado con el agente y su jefe de equipo", "培训后复听"]


def build_demo(
    uow: UowFactory, policy: Policy, clock: Clock, actor: Actor, rng: random.Random, today: date, months: int
) -> int:
    """Record the demo months' inspections (``months`` months up to ``today``'s, at most
    :data:`MAX_MONTHS`); returns how many were saved. Nothing when ``actor`` may not record
    inspections."""
    if not actor.can(EDIT):
        return 0
    from csdesk.services.scorecards import ScorecardService

    qa = QAService(uow, policy, clock, scorecards=lambda: ScorecardService(uow, policy, clock))
    form = qa.forms()[0]
    first = today.replace(day=1)
    for _n in range(min(months, MAX_MONTHS) - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    entries = _inspections(qa, actor, form, rng, first, today)
    if not entries:
        return 0
    _one_critical_failure(entries, form)
    entries += _calibration(entries, form, rng, today)
    qa.record_inspections(actor, entries)
    _follow_up(qa, actor, rng, today)
    if actor.can("scorecards.edit"):
        _spot_check(qa, actor, entries)
    return len(entries)


def _inspections(
    qa: QAService, actor: Actor, form: QaForm, rng: random.Random, first: date, today: date
) -> list[InspectionEntry]:
    """Week by week, the proposed contacts the inspector takes (the first proposed of an agent)."""
    miss: dict[str, float] = {}
    entries: list[InspectionEntry] = []
    monday = first - timedelta(days=first.weekday())
    while monday <= today:
        for agent in qa.sample(actor, monday):
            rate = miss.setdefault(agent.employee_no, rng.uniform(*MISS_RATE))
            if not agent.contacts or rng.random() > TAKEN_PER_WEEK:
                continue
            contact = agent.contacts[0]
            on = contact.when.date()
            if on < first or on > today:
                continue
            mode = ("live" if rng.random() < 0.3 else "replay") if contact.source == CALL else "sample"
            day = on if mode == "live" else min(today, on + timedelta(days=rng.randint(0, 3)))
            answers, comments = _answers(form, rng, rate, contact.source == CALL)
            by = SUPERVISOR if rng.random() < BY_SUPERVISOR else INSPECTOR
            entries.append(InspectionEntry(agent.employee_no, contact.reference, day, answers, by, form.code,
                                           _known(qa, mode), comments=comments))  # fmt: skip
        monday += timedelta(days=7)
    return entries


def _known(qa: QAService, mode: str) -> str | None:
    """``mode`` where the policy has it, else its default mode."""
    return mode if mode in qa.policy.qa.modes else None


def _answers(form: QaForm, rng: random.Random, rate: float, callback: bool) -> tuple[dict[str, str], dict[str, str]]:
    """One inspection's answers (mostly yes) and the inspector's comments beside its noes."""
    critical = set(form.critical_questions).union(*(s.critical for s in form.sections))
    answers: dict[str, str] = {}
    comments: dict[str, str] = {}
    for question in form.questions:
        if callback and question == NOT_ON_A_CALLBACK:
            answers[question] = "na"
            continue
        failed = rng.random() < (CRITICAL_RATE if question in critical else rate)
        answers[question] = "no" if failed else "yes"
        if failed and question in _COMMENTS and rng.random() < 0.7:
            comments[question] = rng.choice(_COMMENTS[question])
    return answers, comments


def _one_critical_failure(entries: list[InspectionEntry], form: QaForm) -> None:
    """However the answers fell, the demo shows one critical failure (an inspection scoring 0)."""
    critical = form.critical_questions
    if not critical or any(e.answers.get(q) == "no" for e in entries for q in critical):
        return
    i = len(entries) // 3
    question = critical[0]
    comments = {**(entries[i].comments or {}), **({question: _COMMENTS[question][0]} if question in _COMMENTS else {})}
    entries[i] = replace(entries[i], answers={**entries[i].answers, question: "no"}, comments=comments)


def _calibration(
    entries: list[InspectionEntry], form: QaForm, rng: random.Random, today: date
) -> list[InspectionEntry]:
    """The supervisor and the trainer score again a contact the inspector scored (the inspector's
    counts): one of them disagrees on a question, the other on none."""
    by_inspector = [e for e in entries if e.inspector == INSPECTOR and e.mode != "live"]
    if not by_inspector:
        return []
    chosen = by_inspector[len(by_inspector) // 2]
    day = min(today, chosen.day + timedelta(days=1))
    agreed_yes = [q for q in form.questions if chosen.answers.get(q) == "yes" and q not in form.critical_questions]
    differs = rng.choice(agreed_yes or list(form.questions))
    other = dict(chosen.answers)
    other[differs] = "no" if other.get(differs) == "yes" else "yes"
    return [
        replace(chosen, day=day, answers=other, inspector=SUPERVISOR, calibration=True, comments=None),
        replace(chosen, day=day, inspector=TRAINER, calibration=True, comments=None),
    ]


def _follow_up(qa: QAService, actor: Actor, rng: random.Random, today: date) -> None:
    """Findings a few days old are fed back; those past their deadline re-checked (most put right)."""
    for finding in qa.findings(actor):
        if finding.inspected_on + timedelta(days=FED_BACK_AFTER) > today:
            continue
        if finding.status == OPEN:
            finding = qa.feed_back(actor, finding.id, rng.choice(_NOTES), version=finding.version)
        if finding.deadline < today:
            outcome = RESOLVED if rng.random() < 0.85 else UNRESOLVED
            qa.recheck(actor, finding.id, outcome, day=finding.deadline, version=finding.version)


def _spot_check(qa: QAService, actor: Actor, entries: list[InspectionEntry]) -> None:
    """An error found by record sampling (else the first other one that is not critical) becomes
    the spot-check event (rules.md §5, §10)."""
    sampled = {(e.employee_no, e.contact) for e in entries if e.mode == "sample"}
    findings = [f for f in qa.findings(actor, open_only=False) if f.impact != CRITICAL]
    chosen = next((f for f in findings if (f.employee_no, f.contact) in sampled), findings[0] if findings else None)
    if chosen is not None:
        qa.deduct_spot_check(actor, chosen.id)
