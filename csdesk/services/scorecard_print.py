"""Evaluation sheets: the service half (build each sheet's input in its language, then render).

Sheets are translated with their own catalogue and Babel locale instead of the process-wide
language, so the GUI can print in another language from a background thread without its
own texts changing under it.

:class:`ScorecardPrinting` is a part of :class:`csdesk.services.scorecards.ScorecardService`:
it is given the service's ``month`` and ``attendance_lines`` as plain callables, so it never
imports the service.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Protocol

from csdesk.errors import NotFound
from csdesk.handover_labels import REASON_NAMES
from csdesk.i18n import MINUS, N_, babel_locale, current_language, format_money, load_translations, normalize_language
from csdesk.labels import CRITERION_NAMES, EVENT_NAMES, FLAG_NAMES, LEVEL_NAMES
from csdesk.records import record
from csdesk.reports import glyph_notices
from csdesk.reports.evaluation_inputs import EvaluationSheet, RenderCancelled, SheetEvent, SheetLabels, SheetRating
from csdesk.reports.glyph_notices import MissingGlyphs, missing_glyphs_told
from csdesk.models.db import UowFactory
from csdesk.policy import Policy
from csdesk.policy.model import Site
from csdesk.services.base import SYSTEM, Actor, Clock, Service
from csdesk.services.months import month_first
from csdesk.services.policy_service import site_in_force
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_results import CountedLine, counted_lines
from csdesk.services.scorecard_access import MANUAL
from csdesk.services.scorecard_explain import ATTENDANCE_SUMMARY, EXTRA_FLAG_NAMES, SOURCE_NAMES, AttendanceLine

Progress = Callable[[int, int], bool]
DEFAULT_DEPARTMENT = N_("Customer service department")
AUTOMATIC = N_("automatic")
NOT_COUNTED = N_("not counted")
NOT_RATED = N_("not rated")
SYSTEM_NAME = N_("System")  # recorded by csdesk itself (an import or command without sign-in)

LABELS = SheetLabels(
    title=N_("Monthly evaluation sheet"),
    agent=N_("Agent"),
    employee_no=N_("Employee no."),
    team=N_("Team"),
    level=N_("Level"),
    month=N_("Month"),
    rated_part=N_("Rated part"),
    criterion=N_("Criterion"),
    score=N_("Score"),
    maximum=N_("Maximum"),
    events=N_("Bonus and deduction events"),
    date=N_("Date"),
    code=N_("Code"),
    item=N_("Item"),
    points=N_("Points"),
    recorded_by=N_("Recorded by"),
    note=N_("Note"),
    no_events=N_("No bonus or deduction events this month."),
    summary=N_("Result"),
    bonus=N_("Bonus"),
    deduction=N_("Deduction"),
    adjustment=N_("Adjustment"),
    reason=N_("Reason"),
    raw_total=N_("Total before the cap"),
    total=N_("Total"),
    grade=N_("Grade"),
    pay_float=N_("Pay float"),
    exam=N_("Exam"),
    attendance=N_("Attendance"),
    flags=N_("Flags"),
    comments=N_("Comments"),
    signature=N_("Signature"),
    sign_date=N_("Date"),
    agent_signs=N_("Agent"),
    evaluator_signs=N_("Evaluator (trainer)"),
    supervisor_signs=N_("Supervisor"),
    page=N_("Page {page}"),
    printed=N_("Printed {when}"),
    more_events="{n} more events: see the continuation list",  # in the count's plural form: _CountedLabel
    continuation=N_("Continuation of the evaluation sheet"),
)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return load_translations(lang)


def _more_events(lang: str, n: int) -> str:
    """The continuation note in ``lang``, in the plural form its ``n`` takes there."""
    return _catalogue(lang).ngettext("{n} more event: see the continuation list",
                                     "{n} more events: see the continuation list", n)


class _CountedLabel(str):
    """A sheet label the renderer fills in with a count (``label.format(n=3)``): it picks the plural
    form of its language for that count ("1 more event", "3 more events"), which a fixed label
    cannot. As a string it reads as the form for many."""

    _lang: str

    def __new__(cls, lang: str) -> _CountedLabel:
        label = super().__new__(cls, _more_events(lang, 2))
        label._lang = lang
        return label

    def __reduce__(self) -> tuple[type[_CountedLabel], tuple[str]]:
        return (_CountedLabel, (self._lang,))

    def format(self, *args: object, **kwargs: object) -> str:
        count = kwargs.get("n")
        if not isinstance(count, int):
            return str.format(self, *args, **kwargs)
        return _more_events(self._lang, count).format(*args, **kwargs)


@cache
def _flag_names() -> dict[str, str]:
    return {**FLAG_NAMES, **EXTRA_FLAG_NAMES}


class SheetText:
    """Translation and Babel formatting for one language, independent of the UI's language.

    One instance serves a batch of sheets: it remembers each value it formatted (the same
    points, maxima, days and months come back on hundreds of sheets, and a Babel call costs
    some tens of microseconds) and the translated labels."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = normalize_language(lang or current_language())
        self._catalogue = _catalogue(self.lang)
        self._formatted: dict[tuple[object, ...], str] = {}
        self._labels: SheetLabels | None = None

    def __call__(self, msgid: str) -> str:
        return self._catalogue.gettext(msgid)

    def labels(self) -> SheetLabels:
        """Every fixed text of the sheet in this language (one frozen instance for the batch)."""
        if self._labels is None:
            labels = {f.name: self(getattr(LABELS, f.name)) for f in fields(SheetLabels)}
            labels["more_events"] = _CountedLabel(self.lang)
            self._labels = SheetLabels(**labels)
        return self._labels

    def number(self, value: Decimal | float | None) -> str:
        if value is None:
            return "—"
        # By type and text, not by value: Decimal("0") and Decimal("-0") are equal but print apart.
        key = ("number", type(value), str(value))
        found = self._formatted.get(key)
        if found is None:
            from babel.numbers import format_decimal

            found = self._formatted[key] = format_decimal(value, locale=babel_locale(self.lang))
        return found

    def signed(self, value: Decimal | int) -> str:
        text = self.number(-value if value < 0 else value)
        return "+" + text if value > 0 else MINUS + text if value < 0 else text

    def money(self, value: Decimal | int, currency: str) -> str:
        key = ("money", type(value), str(value), currency)
        found = self._formatted.get(key)
        if found is None:  # the one formatter's money (its typographic minus), in the sheet's language
            found = self._formatted[key] = format_money(value, currency, lang=self.lang)
        return found

    def month(self, first: date) -> str:
        key = ("month", first.year, first.month)
        found = self._formatted.get(key)
        if found is None:
            from babel.dates import format_skeleton

            found = self._formatted[key] = format_skeleton(
                "yMMMM", datetime(first.year, first.month, 1), locale=babel_locale(self.lang)
            )
        return found

    def day(self, when: date | None) -> str:
        """A date as the language writes it, short: 10/11/26 in Spanish, 2026/11/10 in Chinese."""
        if when is None:
            return ""
        key = ("day", type(when), when)
        found = self._formatted.get(key)
        if found is None:
            from babel.dates import format_date

            found = self._formatted[key] = format_date(when, format="short", locale=babel_locale(self.lang))
        return found

    def moment(self, when: datetime) -> str:
        from babel.dates import format_datetime

        return format_datetime(when, format="short", locale=babel_locale(self.lang))

    def flag(self, flag: str) -> str:
        code, _sep, arg = flag.partition(":")
        names = _flag_names()
        text = self(names[code]) if code in names else code
        if arg:
            extra = self(LEVEL_NAMES[arg]) if arg in LEVEL_NAMES else f"{arg} {self(EVENT_NAMES[arg])}" if arg in EVENT_NAMES else arg
            text = f"{text}: {extra}"
        return text

    def attendance(self, line: AttendanceLine, currency: str) -> str:
        return self(ATTENDANCE_SUMMARY).format(
            late=line.late, early=line.early, absent=line.absent, missed=line.missed,
            leave=self.number(line.leave_days), deduction=self.money(line.deduction_cny, currency),
            bonus=self.money(line.full_attendance_bonus_cny, currency),
        )  # fmt: skip


def _recorder(line: CountedLine, text: SheetText, people: Mapping[str, tuple[str, str]]) -> str:
    """Who recorded an event, in words: for a manual event the person behind the login, with
    their employee number (``people``: UserRepository.people_by_login; an account of nobody's
    keeps its login); where it came from for the others ("from attendance", "from the handover
    log"), never a raw source code or the internal "system" account."""
    if line.source != MANUAL:
        return text(SOURCE_NAMES[line.source]) if line.source in SOURCE_NAMES else text(AUTOMATIC)
    if not line.recorded_by or line.recorded_by == SYSTEM.username:
        return text(SYSTEM_NAME)
    person = people.get(line.recorded_by)
    return f"{person[0]} ({person[1]})" if person else line.recorded_by


class MonthCards(Protocol):
    """What the sheets need of a month's scorecards (``MonthScorecards``)."""

    @property
    def cards(self) -> tuple[AgentScorecard, ...]: ...


class MonthReader(Protocol):
    """``ScorecardService.month``: the month's cards the actor may see, filtered by team or agent."""

    def __call__(
        self, actor: Actor, month: str | date, *, team: str | None = None, employee_no: str | None = None
    ) -> MonthCards: ...


AttendanceLines = Callable[[Actor, Sequence[str], int, int], Mapping[str, AttendanceLine]]


@record
class PrintResult:
    path: Path
    sheets: int
    cancelled: bool = False
    # What the sheets printed as a placeholder (characters the font lacks), for the preview to
    # say: the batch may be built in a child process, whose reports come back only this way.
    missing: tuple[MissingGlyphs, ...] = ()


class ScorecardPrinting(Service):
    """The evaluation sheets: builds each sheet's input from the month's cards, then renders."""

    def __init__(
        self, uow: UowFactory, policy: Policy, clock: Clock, *, month: MonthReader, attendance_lines: AttendanceLines
    ) -> None:
        super().__init__(uow, policy, clock)
        self._month = month
        self._attendance_lines = attendance_lines

    def evaluation_sheets(
        self, actor: Actor, month: str | date, *, employee_no: str | None = None, team: str | None = None, lang: str | None = None
    ) -> list[EvaluationSheet]:
        """The inputs of the evaluation sheets: one agent, a team, or every agent (neither given)."""
        cards = self._month(actor, month, team=team, employee_no=employee_no).cards
        cards = tuple(sorted(cards, key=lambda c: (c.agent.team or "", c.employee_no)))
        text = SheetText(lang)
        with self._uow() as uow:
            site = site_in_force(uow, self.policy)
            department = uow.settings.get("department", "") or text(DEFAULT_DEPARTMENT)
            people = uow.users.people_by_login()
        printed = text.moment(self.now())
        first = month_first(month)
        lines = self._attendance_lines(actor, [card.employee_no for card in cards], first.year, first.month)
        return [self._sheet(card, text, site, department, printed, lines.get(card.employee_no), people) for card in cards]

    def print_evaluation(
        self, actor: Actor, month: str | date, out: Path, *, employee_no: str | None = None, team: str | None = None,
        lang: str | None = None, progress: Progress | None = None,
    ) -> PrintResult:  # fmt: skip
        """Write the sheets to ``out`` (one PDF, one agent per page). A cancelled run leaves no file."""
        sheets = self.evaluation_sheets(actor, month, employee_no=employee_no, team=team, lang=lang)
        if not sheets:
            raise NotFound(N_("No agent to print for {month}"), month=str(month))
        partial = out.with_name(out.name + ".part")
        title = f"{sheets[0].labels.title} {sheets[0].month}"
        missing: list[MissingGlyphs] = []
        try:
            from csdesk.reports.evaluation_sheet import render  # ReportLab loads when printing, not at start

            with missing_glyphs_told(missing.append):
                render(sheets, partial, title=title, progress=progress)
        except RenderCancelled:
            partial.unlink(missing_ok=True)
            return PrintResult(out, len(sheets), cancelled=True)
        os.replace(partial, out)
        for report in missing:
            glyph_notices.tell(report)  # to whoever listens around this call (the command line)
        return PrintResult(out, len(sheets), missing=tuple(missing))

    def print_evaluation_job(
        self, actor: Actor, month: str, out: str, employee_no: str | None, team: str | None, lang: str | None,
        progress: Progress | None = None,
    ) -> PrintResult:  # fmt: skip
        """``print_evaluation`` with positional arguments, for a ServiceCall in a child process."""
        return self.print_evaluation(actor, month, Path(out), employee_no=employee_no, team=team, lang=lang, progress=progress)

    def _sheet(
        self, card: AgentScorecard, text: SheetText, site: Site, department: str, printed: str,
        attendance: AttendanceLine | None, people: Mapping[str, tuple[str, str]],
    ) -> EvaluationSheet:
        policy = self.policy
        currency = policy.meta.currency
        c = card.card
        ratings = tuple(
            SheetRating(
                text(CRITERION_NAMES.get(cr.code, cr.code)),
                text.number(card.ratings[cr.code].value) if cr.code in card.ratings else text(NOT_RATED),
                text.number(cr.max),
            )
            for cr in policy.scoring.criteria
        )
        events = []
        for line in counted_lines(card):
            points = text.signed(line.points) if line.counted else f"0 ({text(NOT_COUNTED)})"
            events.append(SheetEvent(
                text.day(line.day), line.code, text(EVENT_NAMES[line.code]) if line.code in EVENT_NAMES else line.code,
                points, _recorder(line, text, people), text(REASON_NAMES[line.note]) if line.note in REASON_NAMES else line.note,
            ))  # fmt: skip
        level = card.agent.level
        return EvaluationSheet(
            labels=text.labels(),
            header=department,
            printed=printed,
            agent_name=card.name,
            employee_no=card.employee_no,
            team=card.agent.team or "",
            level=text(LEVEL_NAMES[level]) if level in LEVEL_NAMES else (level or ""),
            month=text.month(c.month),
            ratings=ratings,
            rated_total=text.number(c.rated) if c.rated is not None else text(NOT_RATED),
            rated_maximum=text.number(policy.scoring.rated_max),
            events=tuple(events),
            bonus=text.signed(c.bonus),
            deduction=text.signed(-c.deduction),
            adjustment=text.signed(c.adjustment),
            adjustment_reason=card.adjustment.reason if card.adjustment and c.adjustment else "",
            raw_total=text.number(c.raw_total) if c.is_rated else "—",
            total=text.number(c.total) if c.is_rated else text(NOT_RATED),
            grade=c.grade or "—",
            pay_float=text.money(c.pay_float_cny, currency) if c.pay_float_cny is not None else "—",
            exam=text.number(c.exam) if c.exam is not None else "—",
            attendance=text.attendance(attendance, currency) if attendance is not None else "",
            flags=tuple(text.flag(f) for f in card.flags),
            lang=text.lang,
            site=site.name,
            logo=site.logo,
        )
