"""The policy as typed, frozen values: every number and code of rules.md.

Field names match the keys of ``resources/policy.toml`` one to one; the loader
builds these from the TOML by their type hints. The rules receive a
:class:`Policy` (or one of its parts) as a parameter and never read a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, fields
from datetime import time, timedelta
from functools import cached_property
from types import MappingProxyType
from typing import NewType

from csdesk.records import record


class _Indexed:
    """A frozen part with indexes built on first use (``cached_property``): pickled (to a child
    process, :mod:`csdesk.services.fanout`) with its fields only, its indexes built again there."""

    def __getstate__(self) -> dict[str, object]:
        return {f.name: self.__dict__[f.name] for f in fields(self)}  # type: ignore[arg-type]


@record
class Meta:
    name: str
    currency: str


# A text the policy may leave empty ("": none); every other text of the policy must be given.
OptionalText = NewType("OptionalText", str)


@record
class Site:
    """Who prints: the site's name heads every printed document, with the logo (a PNG file)
    beside it (issue #14). Either may be empty; Settings sets both for the whole site."""

    name: OptionalText = OptionalText("")
    logo: OptionalText = OptionalText("")


@record
class Level:
    """An agent level and its monthly base pay (rules.md §1)."""

    code: str
    base_pay: int


@record
class DepartmentHours:
    """Opening hours of the department (rules.md §2)."""

    weekday_open: time
    weekday_close: time
    weekend_open: time
    weekend_close: time
    holidays_worked: bool
    holiday_country: str
    # The site's changes to the country's holiday calendar, "YYYY-MM-DD" (csdesk.rules.holidays).
    extra_holidays: tuple[str, ...] = ()
    removed_holidays: tuple[str, ...] = ()
    makeup_days: tuple[str, ...] = ()


@record
class ShiftTemplate(_Indexed):
    """A named shift; ``end`` at or before ``start`` means it ends the next day."""

    code: str
    start: time
    end: time
    rest: bool = False
    meal_break_start: time | None = None
    meal_break_minutes: int = 0

    @cached_property
    def minutes(self) -> int:
        if self.rest:
            return 0
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return end - start if end > start else end + 24 * 60 - start

    @cached_property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    @cached_property
    def crosses_midnight(self) -> bool:
        return not self.rest and (self.end <= self.start)


@record
class AttendancePolicy:
    """Punches, lates, absences and their money (rules.md §2)."""

    max_continuous_work_minutes: int
    max_meal_break_minutes: int
    grace_minutes: int
    late_max_minutes: int
    early_max_minutes: int
    consecutive_lates_as_absence: int
    late_deduction: int
    absence_deduction: int
    consecutive_absences_pay_cut: int
    pay_cut_percent: int
    consecutive_absences_disciplinary: int
    full_attendance_bonus: int
    missed_punch_request_days: int
    missed_punch_max_per_month: int
    missed_punch_deduction: int
    swap_without_arrangement_deduction: int
    feed_evaluation_events: bool
    late_event_code: str
    absence_event_code: str


@record
class LeaveType:
    code: str
    paid: bool
    entitlement_days: float
    certificate_required: bool
    apply_days_before: int = 0
    one_block: bool = False


@record
class MarriageLeave:
    late_marriage_extra_days: int
    late_marriage_age_man: int
    late_marriage_age_woman: int
    remarriage_days: int


@record
class MaternityLeave:
    before_birth_days: int
    after_normal_birth_days: int
    after_difficult_birth_days: int
    extra_per_additional_baby_days: int


@record
class LeavePolicy:
    """Leave types, entitlements and the approval chain (rules.md §3)."""

    slip_max_days: int
    notice_days: int
    long_leave_days: int
    long_leave_notice_days: int
    emergency_notice_hours: int
    yearly_cap_days: int
    cancel_required_for: tuple[str, ...]
    nursing_hours_per_day: int
    nursing_until_child_months: int
    types: tuple[LeaveType, ...]
    marriage: MarriageLeave
    maternity: MaternityLeave

    def type(self, code: str) -> LeaveType:
        for leave_type in self.types:
            if leave_type.code == code:
                return leave_type
        raise KeyError(code)


@record
class HandoverPolicy:
    incomplete_record_event: str
    messy_desk_event: str


@record
class Criterion:
    """One part of the rated 80 points."""

    code: str
    max: int


@record
class GradeBand:
    """A grade from ``min`` upwards (``inclusive`` says whether ``min`` itself belongs)."""

    code: str
    min: float
    inclusive: bool = True


@record
class ScoringPolicy:
    """The monthly evaluation (rules.md §5)."""

    standard_total: int
    cap: int
    pay_float_per_point: int
    pay_float_bound: int
    no_pay_float_months: int
    adjustment_min: int
    adjustment_max: int
    exam_full_marks: int
    exam_pass: int
    exam_full_marks_event: str
    exam_fail_event: str
    bad_month_event: str
    bad_month_min_moderate: int
    bad_month_min_minor: int
    dismissal_warning_below: int
    last_place_months: int
    last_place_below: int
    criteria: tuple[Criterion, ...]
    grades: tuple[GradeBand, ...]

    @property
    def rated_max(self) -> int:
        return sum(c.max for c in self.criteria)


EVENT_KINDS = ("bonus", "minor", "moderate", "severe", "dismissal")


@record
class EventCode:
    """An evaluation event of rules.md Appendix A; points are signed."""

    code: str
    kind: str
    points_min: int
    points_max: int
    per_month: int = 0  # 0: no monthly limit
    automatic: bool = False  # set by csdesk from other records, not typed in

    @property
    def default_points(self) -> int:
        """The smallest magnitude inside the range (M01 defaults to −2)."""
        return min((self.points_min, self.points_max), key=abs)

    def contains(self, points: int) -> bool:
        return self.points_min <= points <= self.points_max


@record
class KpiScale:
    """A raw KPI's linear scale: ``floor`` scores 0, ``target`` scores 100. Raw values run from 0
    to ``max`` (100 for percentages; None: no upper bound, as for seconds or a rate)."""

    floor: float
    target: float
    max: float | None = None


@record
class KpiTier:
    code: str
    min: float
    coefficient: float


@record
class KpiPolicy:
    """Service KPIs and the 360 evaluation (rules.md §6)."""

    front_line_weights: dict[str, int]
    back_office_weights: dict[str, int]
    evaluator_weights: dict[str, int]
    scales: dict[str, KpiScale]
    tiers: tuple[KpiTier, ...]


@record
class PromotionStep:
    """Conditions for promotion to ``to`` (rules.md §8)."""

    to: str
    avg_rank_top: int
    quarterly_a: int
    consecutive_quarterly_a: bool
    excellent_agent_times: int
    months_in_company: int


@record
class DemotionPolicy:
    months_outside_top: int
    top: int
    quarters_b: int
    below_grade: str


@record
class CallbackPolicy:
    """The service-call plan and the daily quota (rules.md §9)."""

    daily_quota: int
    home_visit_quota: int
    sale1_within_hours: int
    sale2_within_days: int
    sale3_within_days: int
    sale4_weeks_before_class_min: int
    sale4_weeks_before_class_max: int
    birthday_list_days_before_month_end: int
    review_phone_after_hours: int
    retry_after_hours: int
    max_retries: int
    same_day_kinds: tuple[str, ...]
    kinds: tuple[str, ...]
    outcomes: tuple[str, ...]
    effective_outcomes: tuple[str, ...]
    tiers: tuple[str, ...]


@record
class QaSection:
    """A section of an inspection form: its weight in the score and its questions (rules.md §10).

    ``points`` weighs a question inside the section (a question it does not name weighs 1);
    a ``no`` on one of the ``critical`` questions makes the section 0 %."""

    code: str
    weight: int
    questions: tuple[str, ...]
    points: dict[str, int] = field(default_factory=dict)
    critical: tuple[str, ...] = ()

    def points_of(self, question: str) -> int:
        return self.points.get(question, 1)


@record
class QaBonus:
    """A bonus question: its credit times ``points`` is added to the score (at most 100)."""

    code: str
    points: int


@record
class QaForm(_Indexed):
    """An inspection form, named by ``code`` and ``version`` (rules.md §10). A ``no`` on one of
    the ``critical_questions`` makes the whole inspection 0. A saved inspection keeps a copy of
    the form it was scored with, so the version must go up whenever a form changes."""

    code: str
    version: int
    sections: tuple[QaSection, ...]
    critical_questions: tuple[str, ...] = ()
    bonus_questions: tuple[QaBonus, ...] = ()

    @cached_property
    def questions(self) -> tuple[str, ...]:
        """The scored questions, in form order (bonus questions not included)."""
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def bonus_points(self) -> Mapping[str, int]:
        return MappingProxyType({b.code: b.points for b in self.bonus_questions})

    @cached_property
    def _sections(self) -> dict[str, QaSection]:
        return {q: section for section in self.sections for q in section.questions}

    def section_of(self, question: str) -> QaSection:
        return self._sections[question]

    def knows(self, question: str) -> bool:
        return question in self._sections or question in self.bonus_points

    def points_of(self, question: str) -> int:
        """What a full answer to ``question`` is worth: its points in its section, or its bonus."""
        if question in self.bonus_points:
            return self.bonus_points[question]
        return self._sections[question].points_of(question)


@record
class QaPolicy(_Indexed):
    """Quality inspection (rules.md §10): the site's default form (``form_code``, ``form_version``,
    its sections, critical and bonus questions), further ``forms``, the weekly minimum per
    agent, the inspection modes and the follow-up of findings."""

    min_inspections_per_week: int
    finding_deadline_days: int  # a finding is to be put right within this many days of the inspection
    spot_check_event: str  # the evaluation event a spot-check error becomes (rules.md §5, M13)
    modes: tuple[str, ...]  # live listening, recording replay, record sampling
    default_mode: str  # the mode of an imported inspection whose file does not say
    form_code: str
    form_version: int
    critical_questions: tuple[str, ...]
    sections: tuple[QaSection, ...]
    bonus_questions: tuple[QaBonus, ...] = ()
    forms: tuple[QaForm, ...] = ()

    @cached_property
    def default_form(self) -> QaForm:
        return QaForm(self.form_code, self.form_version, self.sections, self.critical_questions, self.bonus_questions)

    @cached_property
    def all_forms(self) -> tuple[QaForm, ...]:
        return (self.default_form, *self.forms)

    def form(self, code: str | None = None) -> QaForm:
        """The form named ``code`` (None or empty: the default form); KeyError if there is none."""
        if not code:
            return self.default_form
        for form in self.all_forms:
            if form.code == code:
                return form
        raise KeyError(code)


@record
class SecurityPolicy:
    """Sign-in lockout and passwords (issue #12)."""

    lockout_failures: int
    lockout_minutes: int
    min_password_length: int
    cli_password: bool  # the command line signs in as the GUI does; false: a single-user site
    idle_lock_minutes: int  # the GUI locks after this many minutes without input; 0: never


@record
class BackupPolicy:
    """Automatic rotating backups of the SQLite database (issue #12)."""

    keep: int  # automatic backups kept; older automatic ones are deleted, manual ones never
    daily: bool  # also one a day, at the first start after 24 h without a backup


@record
class Codes:
    day_statuses: tuple[str, ...]
    roles: tuple[str, ...]


ROLE_SCOPES = ("all", "team", "own")


@record
class RoleDef:
    """What one role may do: the permission names the services check (rules.md §1), and whose
    records it sees: ``all``, its own ``team`` (the team of the person the account belongs to),
    or its ``own`` records only."""

    permissions: tuple[str, ...]
    scope: str = "all"


@record
class Policy(_Indexed):
    """The whole rulebook in force."""

    meta: Meta
    levels: tuple[Level, ...]
    department_hours: DepartmentHours
    shifts: tuple[ShiftTemplate, ...]
    attendance: AttendancePolicy
    leave: LeavePolicy
    handover: HandoverPolicy
    scoring: ScoringPolicy
    events: tuple[EventCode, ...]
    kpi: KpiPolicy
    promotion: tuple[PromotionStep, ...]
    demotion: DemotionPolicy
    callbacks: CallbackPolicy
    qa: QaPolicy
    security: SecurityPolicy
    backup: BackupPolicy
    codes: Codes
    roles: dict[str, RoleDef]  # role code (of codes.roles) -> its permissions
    site: Site = Site()
    source: str = field(default="", compare=False)

    # Lookups by code are on hot paths (a month of 2,000 agents classifies 60,000 days):
    # the indexes are built once per policy (cached_property writes past the frozen guard).

    @cached_property
    def _levels(self) -> dict[str, Level]:
        return {level.code: level for level in self.levels}

    @cached_property
    def shifts_by_code(self) -> Mapping[str, ShiftTemplate]:
        return MappingProxyType({shift.code: shift for shift in self.shifts})

    @cached_property
    def _events(self) -> dict[str, EventCode]:
        return {event.code: event for event in self.events}

    def level(self, code: str) -> Level:
        return self._levels[code]

    def shift(self, code: str) -> ShiftTemplate:
        return self.shifts_by_code[code]

    def event(self, code: str) -> EventCode:
        return self._events[code]

    @cached_property
    def permissions(self) -> Mapping[str, frozenset[str]]:
        """Role code → the permission names it holds (what ``Actor.can`` looks up)."""
        return MappingProxyType({code: frozenset(role.permissions) for code, role in self.roles.items()})

    @cached_property
    def scopes(self) -> Mapping[str, str]:
        """Role code → whose records it sees (``all``, ``team`` or ``own``)."""
        return MappingProxyType({code: role.scope for code, role in self.roles.items()})

    @cached_property
    def level_codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    @cached_property
    def _steps(self) -> dict[str, PromotionStep]:
        steps: dict[str, PromotionStep] = {}
        for step in self.promotion:
            steps.setdefault(step.to, step)  # the first step to a level is the one in force
        return steps

    def promotion_step(self, level: str) -> PromotionStep | None:
        """The promotion step to ``level`` (None: a level reached without one, as junior)."""
        return self._steps.get(level)

    @cached_property
    def promoted_levels(self) -> tuple[str, ...]:
        """The levels reached by a promotion step, lowest first (rules.md §8)."""
        return tuple(code for code in self.level_codes if code in self._steps)

    @cached_property
    def grade_codes(self) -> tuple[str, ...]:
        """The grades of rules.md §5, best first (the fail grade aside)."""
        return tuple(band.code for band in self.scoring.grades)

    @cached_property
    def shift_codes(self) -> tuple[str, ...]:
        return tuple(shift.code for shift in self.shifts)

    @cached_property
    def leave_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.leave.types)
