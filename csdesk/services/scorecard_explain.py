"""Where every number of a scorecard comes from (``csdesk explain`` and the scorecard window).

Each line names the part of the card it feeds (rated, bonus, deduction, adjustment, total,
grade, pay_float, exam, flag, attendance), the rule it follows and the record it comes from
(a rating with who entered it, an event with its id and recorder, the exam score, …).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Protocol

from csdesk.i18n import N_, _, format_iso_date, format_money, format_number, format_signed
from csdesk.labels import CRITERION_NAMES, EVENT_KIND_NAMES, name_of
from csdesk.labels import event_label as _event_label
from csdesk.labels import flag_label as _flag_label
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.rules.promotion import (
    DEMOTE_MONTHS_OUTSIDE_TOP,
    DEMOTE_QUARTER_BELOW_GRADE,
    DEMOTE_QUARTERS_AT_GRADE,
    FLAG_DEMOTION_WARNING,
)
from csdesk.rules.scoring import (
    FAIL_GRADE,
    FLAG_NOT_RATED,
    FLAG_RATING_INCOMPLETE,
    NOTE_BOUNDED,
    NOTE_NO_PAY_FLOAT_MONTHS,
    NOTE_NOT_RATED,
    NOTE_PER_MONTH_LIMIT,
)
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_results import EVENT_KINDS, counted_lines

# TRANSLATORS: where in the rulebook an evaluation event comes from; keep "§5", translate "Appendix A".
EVENT_RULE = N_("§5, Appendix A")
# Flag names the shared labels do not have yet (the rules' provisional-card flag).
EXTRA_FLAG_NAMES = {FLAG_RATING_INCOMPLETE: N_("Not fully rated yet"), FLAG_NOT_RATED: N_("Not rated")}


def flag_label(flag: str) -> str:
    """A flag in the current language (the shared labels plus this area's own)."""
    return _(EXTRA_FLAG_NAMES[flag]) if flag in EXTRA_FLAG_NAMES else _flag_label(flag)


PARTS = ("rated", "bonus", "deduction", "adjustment", "total", "grade", "pay_float", "exam", "flag", "attendance")
PART_NAMES = {
    "rated": N_("Rated part"),
    "bonus": N_("Bonus"),
    "deduction": N_("Deduction"),
    "adjustment": N_("Adjustment"),
    "total": N_("Total"),
    "grade": N_("Grade"),
    "pay_float": N_("Pay float"),
    "exam": N_("Exam"),
    "flag": N_("Flags"),
    "attendance": N_("Attendance"),
}
SOURCE_NAMES = {
    "manual": N_("recorded"),
    "attendance": N_("from attendance"),
    "exam": N_("from the exam score"),
    "auto": N_("set automatically"),
    "handover": N_("from the handover log"),
    # sources of the other lines of an explanation
    "rating": N_("rating entry"),
    "adjustment": N_("trainer's adjustment"),
    "rule": N_("rule"),
}
_KIND_PART = {"rating": "rated", "bonus": "bonus", "minor": "deduction", "moderate": "deduction", "severe": "deduction"}


class AttendanceLine(Protocol):
    """What the scorecard shows of the attendance month (the attendance area's AgentMonth fits)."""

    @property
    def late(self) -> int: ...
    @property
    def early(self) -> int: ...
    @property
    def absent(self) -> int: ...
    @property
    def missed(self) -> int: ...
    @property
    def leave_days(self) -> float: ...
    @property
    def deduction_cny(self) -> int: ...
    @property
    def full_attendance_bonus_cny(self) -> int: ...


#: ``month_line(employee_no, year, month)``: the attendance area's summary of one agent's month,
#: or None when it has none. The lead wires ``ctx.attendance.month_line`` in.
AttendanceLineSource = Callable[[str, int, int], AttendanceLine | None]


@record
class ExplainLine:
    """One traced step: ``points`` is its contribution (CNY for pay_float and attendance)."""

    part: str
    code: str
    text: str  # translated description
    points: Decimal | None = None
    day: date | None = None
    source: str = ""  # stable reference: rating, manual:12, attendance:5, exam, auto, adjustment, rule
    who: str = ""
    note: str = ""
    rule: str = ""  # where in the rulebook: a section ("§5"), the appendix named in the reader's language


@record
class Explanation:
    card: AgentScorecard
    lines: tuple[ExplainLine, ...]
    attendance: AttendanceLine | None = None

    def for_part(self, part: str) -> tuple[ExplainLine, ...]:
        """The lines behind one number of the card; the total is explained by all point lines."""
        if part == "total":
            return tuple(line for line in self.lines if line.part not in ("pay_float", "attendance", "exam", "flag", "grade"))
        return tuple(line for line in self.lines if line.part == part)


ATTENDANCE_SUMMARY = N_(
    "late {late}, early {early}, absent {absent}, missed punches {missed}, leave days {leave}; "
    "deductions {deduction}, full-attendance bonus {bonus}"
)


def attendance_text(line: AttendanceLine) -> str:
    """One line for the scorecard window and ``csdesk explain``."""
    return _(ATTENDANCE_SUMMARY).format(
        late=line.late, early=line.early, absent=line.absent, missed=line.missed,
        leave=format_number(line.leave_days), deduction=format_money(line.deduction_cny),
        bonus=format_money(line.full_attendance_bonus_cny),
    )  # fmt: skip


def explain(card: AgentScorecard, policy: Policy, attendance: AttendanceLine | None = None) -> Explanation:
    """The trail of ``card``: every point and every yuan, in the order the rules add them up."""
    s = policy.scoring
    counted = iter(counted_lines(card))  # the event lines, in the order of card.card.lines
    lines: list[ExplainLine] = []
    max_of = {c.code: c.max for c in s.criteria}
    for line in card.card.lines:
        if line.kind == "rating":
            entered = card.ratings.get(line.code)
            name = name_of(CRITERION_NAMES, line.code)
            if line.note == NOTE_NOT_RATED:
                text = _("{criterion}: not rated yet").format(criterion=name)
            else:
                text = _("{criterion}: {points} of {max}").format(
                    criterion=name, points=format_number(line.points), max=max_of.get(line.code, "")
                )
            lines.append(ExplainLine(
                "rated", line.code, text, line.points, None, "rating",
                entered.updated_by if entered else "", "", "§5",
            ))  # fmt: skip
        elif line.kind in EVENT_KINDS:
            event = next(counted)
            source = event.source
            kind = policy.event(line.code).kind
            part = "flag" if kind == "dismissal" else _KIND_PART.get(kind, "deduction")
            text = _("{event}: {points} ({kind}, {source})").format(
                event=_event_label(line.code), points=format_signed(line.points),
                kind=name_of(EVENT_KIND_NAMES, kind), source=_(SOURCE_NAMES.get(source, source)),
            )  # fmt: skip
            if line.kind == "refused" and line.note == NOTE_PER_MONTH_LIMIT:
                text += " — " + _("not counted: at most {n} a month").format(n=policy.event(line.code).per_month)
            lines.append(ExplainLine(
                part, line.code, text, line.points, line.on, line.source_ref or "",
                event.recorded_by, event.note, _(EVENT_RULE) if source != "exam" else "§7",
            ))  # fmt: skip
        elif line.kind == "adjustment":
            reason = card.adjustment.reason if card.adjustment else ""
            lines.append(ExplainLine(
                "adjustment", "adjustment", _("Adjustment by the trainer: {points}").format(points=format_signed(line.points)),
                line.points, None, "adjustment", card.adjustment.updated_by if card.adjustment else "", reason, "§5",
            ))  # fmt: skip
        elif line.kind == "cap":
            lines.append(ExplainLine(
                "total", "cap", _("Capped at {cap}: {points}").format(cap=s.cap, points=format_signed(line.points)),
                line.points, None, "rule", "", "", "§5",
            ))  # fmt: skip
        elif line.kind == "pay_float":
            lines.append(_pay_float_line(card, line.points, line.note, policy))
    lines.append(_grade_line(card, policy))
    if card.exam is not None:
        lines.append(ExplainLine(
            "exam", "exam", _("Exam score: {score} (pass mark {pass_mark}, full marks {full})").format(
                score=format_number(card.exam.value), pass_mark=s.exam_pass, full=s.exam_full_marks),
            card.exam.value, None, "exam", card.exam.updated_by, "", "§7",
        ))  # fmt: skip
    for flag in card.flags:
        rule = _(_FLAG_RULES.get(flag.split(":")[0], "§5"))
        lines.append(ExplainLine("flag", flag, flag_label(flag), None, None, "rule", "", "", rule))
        if flag == FLAG_DEMOTION_WARNING:
            lines += _demotion_lines(card, policy)
    if attendance is not None:
        lines.append(ExplainLine(
            "attendance", "attendance", attendance_text(attendance),
            Decimal(attendance.full_attendance_bonus_cny - attendance.deduction_cny), None, "attendance", "", "", "§2",
        ))  # fmt: skip
    return Explanation(card, tuple(lines), attendance)


_FLAG_RULES = {
    "DISMISSAL_WARNING": "§5",
    "DISMISSAL_ITEM": EVENT_RULE,
    "EXAM_RETAKE": "§7",
    "RATING_INCOMPLETE": "§5",
    "NOT_RATED": "§5",
    "PROMOTION_ELIGIBLE": "§8",
    "DEMOTION_WARNING": "§8",
}


# Why a demotion warning was raised: the rules' condition codes (rules.md §8, demotion column).
DEMOTION_REASON_TEXTS = {
    DEMOTE_MONTHS_OUTSIDE_TOP: N_("{n} months outside the top {top} since {since}"),
    DEMOTE_QUARTERS_AT_GRADE: N_("{n} quarters at grade {grade} since {since}"),
    DEMOTE_QUARTER_BELOW_GRADE: N_("A quarter below grade {grade} since {since}"),
}


def _demotion_lines(card: AgentScorecard, policy: Policy) -> list[ExplainLine]:
    """The demotion conditions the months since the current level started meet, one line each."""
    d = policy.demotion
    counts = {DEMOTE_MONTHS_OUTSIDE_TOP: d.months_outside_top, DEMOTE_QUARTERS_AT_GRADE: d.quarters_b}
    lines = []
    for code in card.demotion_reasons:
        msgid = DEMOTION_REASON_TEXTS.get(code)
        text = _(msgid).format(
            n=counts.get(code, 0), top=d.top, grade=d.below_grade, since=format_iso_date(card.level_since)
        ) if msgid else code  # fmt: skip
        lines.append(ExplainLine("flag", code, text, None, None, "rule", "", "", "§8"))
    return lines


def _pay_float_line(card: AgentScorecard, amount: Decimal, note: str, policy: Policy) -> ExplainLine:
    s = policy.scoring
    if note == NOTE_NO_PAY_FLOAT_MONTHS:
        text = _("Pay float: none in the first {n} months after joining").format(n=s.no_pay_float_months)
    else:
        text = _("Pay float: (total {total} − {standard}) × {per} CNY = {amount}").format(
            total=format_number(card.card.total), standard=s.standard_total, per=s.pay_float_per_point,
            amount=format_money(amount),
        )  # fmt: skip
        if note == NOTE_BOUNDED:
            text += " — " + _("bounded at ±{bound} CNY").format(bound=s.pay_float_bound)
    return ExplainLine("pay_float", "pay_float", text, amount, None, "rule", "", "", "§5")


NOT_RATED_TEXT = N_("Not rated this month: no total, grade, pay float or rank")


def _grade_line(card: AgentScorecard, policy: Policy) -> ExplainLine:
    grade = card.card.grade
    total = format_number(card.card.total)
    if grade is None:
        return ExplainLine("grade", "NOT_RATED", _(NOT_RATED_TEXT), None, None, "rule", "", "", "§5")
    if grade == FAIL_GRADE:
        lowest = policy.scoring.grades[-1].min
        text = _("Grade {grade}: total {total} is below {min}").format(grade=grade, total=total, min=format_number(lowest))
    else:
        band = next(b for b in policy.scoring.grades if b.code == grade)
        sign = "≥" if band.inclusive else ">"
        text = _("Grade {grade}: total {total} {sign} {min}").format(grade=grade, total=total, sign=sign, min=format_number(band.min))
    return ExplainLine("grade", grade, text, None, None, "rule", "", "", "§5")


def part_label(part: str) -> str:
    return _(PART_NAMES.get(part, part))


def source_label(line: ExplainLine) -> str:
    source = line.source.partition(":")[0]
    return _(SOURCE_NAMES[source]) if source in SOURCE_NAMES else line.source


def day_text(line: ExplainLine) -> str:
    return format_iso_date(line.day)
