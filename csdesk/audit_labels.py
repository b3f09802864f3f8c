"""The audit log in words: what each action code means, which area it belongs to, and its
details as "field: before → after" text, in the current language.

Pure (no Qt, no database): the audit window, the XLSX export and ``csdesk audit list`` share it.
The codes are those the services write (``Service.audit``); a code without a name here shows
as itself, in the area "Other", so nothing written by a newer version is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Protocol

from csdesk.callback_labels import CONTACT_KIND_NAMES, CONTACT_STATUS_NAMES, SEVERITY_NAMES, TIER_NAMES
from csdesk.handover_labels import REASON_NAMES as PENALTY_REASON_NAMES
from csdesk.i18n import (
    N_,
    _,
    format_date,
    format_datetime,
    format_megabytes,
    format_month,
    format_number,
    format_signed,
)
from csdesk.labels import (
    CRITERION_NAMES,
    EVALUATOR_NAMES,
    EVENT_NAMES,
    KPI_NAMES,
    LEAVE_NAMES,
    LEVEL_NAMES,
    OUTCOME_NAMES,
    ROLE_NAMES,
    SHIFT_NAMES,
    event_label,
)
from csdesk.models.domain_disputes import ACKNOWLEDGED, CHANGED, DISPUTED, UPHELD
from csdesk.records import record

# --- actions -------------------------------------------------------------------------------

# Every action code the services write (tests/unit/test_audit_labels.py checks the list
# against the code base).
ACTION_NAMES: Final[dict[str, str]] = {
    # sign-in and user accounts
    "login": N_("Signed in"),
    "auth.failed": N_("Sign-in failed"),
    "auth.password_change": N_("Changed their own password"),
    "user.create": N_("Created a user account"),
    "user.password_reset": N_("Reset a user's password"),
    "user.role": N_("Changed a user's role"),
    "user.deactivate": N_("Deactivated a user account"),
    "user.reactivate": N_("Reactivated a user account"),
    # people
    "person.create": N_("Added a person"),
    "person.update": N_("Changed a person's details"),
    "person.activate": N_("Reactivated a person"),
    "person.deactivate": N_("Deactivated a person"),
    "person.level": N_("Changed a person's level"),
    "team.create": N_("Added a team"),
    # attendance
    "roster.set": N_("Changed the roster"),
    "leave.file": N_("Filed a leave request"),
    "leave.approve": N_("Approved a leave request"),
    "leave.reject": N_("Rejected a leave request"),
    "leave.cancel_on_return": N_("Closed a leave on the person's return"),
    "punch.request": N_("Requested a punch correction"),
    "punch.correct": N_("Corrected a punch"),
    "punch.approve": N_("Approved a punch correction"),
    "punch.reject": N_("Rejected a punch correction"),
    "attendance.unarranged_swap": N_("Recorded a shift left without an arranged swap"),
    "swap.request": N_("Requested a shift swap"),
    "swap.approve": N_("Approved a shift swap"),
    "swap.reject": N_("Rejected a shift swap"),
    # scorecards
    "event.record": N_("Recorded an evaluation event"),
    "event.correct": N_("Corrected an evaluation event"),
    "event.void": N_("Voided an evaluation event"),
    "event.import": N_("Imported an evaluation event"),
    "rating.set": N_("Entered a rating"),
    "rating.import": N_("Imported an agent's ratings"),
    "adjustment.set": N_("Entered an adjustment"),
    "exam.set": N_("Entered an exam score"),
    "exam.import": N_("Imported an exam score"),
    "kpi.set": N_("Entered KPI and 360 scores"),
    "scorecard.acknowledge": N_("Acknowledged their month's scorecard"),
    "scorecard.dispute": N_("Disputed their month's scorecard"),
    "scorecard.arbitrate": N_("Arbitrated a scorecard dispute"),
    # month sign-off
    "month.lock": N_("Signed off (locked) a month"),
    "month.results_stored": N_("Stored a signed-off month's results"),
    "month.reopen": N_("Reopened a month"),
    # handover
    "handover.write": N_("Wrote a handover"),
    "handover.acknowledge": N_("Acknowledged a handover"),
    "handover.close_item": N_("Closed an open handover item"),
    "handover.penalty": N_("Recorded a handover penalty"),
    "work_record.save": N_("Saved a work record"),
    # callbacks
    "callback.home_visit": N_("Changed a home-visit day"),
    "callback.outcome": N_("Recorded a call's outcome"),
    "callback.reassign": N_("Reassigned calls"),
    "callback.plan_birthdays": N_("Planned birthday calls"),
    "member.create": N_("Added a member"),
    "member.update": N_("Changed a member"),
    "contact.create": N_("Recorded a contact"),
    "contact.update": N_("Updated a contact"),
    # quality inspection
    "qa.inspection": N_("Recorded a quality inspection"),
    "qa.feedback": N_("Fed a quality finding back"),
    "qa.recheck": N_("Re-checked a quality finding"),
    "qa.spot_check": N_("Made a quality finding a spot-check deduction"),
    "qa.acknowledge": N_("Acknowledged their quality inspection"),
    "qa.dispute": N_("Disputed their quality inspection"),
    "qa.arbitrate": N_("Arbitrated a quality inspection dispute"),
    # backup and data
    "backup.create": N_("Made a backup"),
    "backup.automatic": N_("Made an automatic backup"),
    "backup.restore": N_("Restored a backup"),
    "demo.build": N_("Built the demo department"),
    "settings.site": N_("Changed the site's name or logo"),
    "policy.apply": N_("Applied a change to the site policy"),
    # imports (one entry per file)
    "import.people": N_("Imported a people file"),
    "import.roster": N_("Imported a roster file"),
    "import.punches": N_("Imported a punch file"),
    "import.leave": N_("Imported a leave file"),
    "import.ratings": N_("Imported a ratings file"),
    "import.exams": N_("Imported an exam file"),
    "import.events": N_("Imported an evaluation-event file"),
    "import.sales": N_("Imported a sales file"),
    "import.inspections": N_("Imported an inspection file"),
}

# --- areas ---------------------------------------------------------------------------------

OTHER: Final = "other"

# area -> which actions: a pattern ending in "." is a prefix, any other is one exact code.
# The patterns never overlap, so the repository can filter with them in SQL.
AREA_ACTIONS: Final[dict[str, tuple[str, ...]]] = {
    "people": ("person.", "team."),
    "attendance": ("roster.", "leave.", "punch.", "swap.", "attendance."),
    "scorecards": ("event.", "rating.", "adjustment.", "exam.", "kpi.", "scorecard."),
    "handover": ("handover.", "work_record."),
    "callbacks": ("callback.", "member.", "contact."),
    "qa": ("qa.",),
    "months": ("month.",),
    "users": ("login", "auth.", "user."),
    "backup": ("backup.",),
    "settings": ("settings.", "policy.", "demo."),
    "imports": ("import.",),
}

AREA_NAMES: Final[dict[str, str]] = {
    "people": N_("People"),
    "attendance": N_("Attendance"),
    "scorecards": N_("Scorecards"),
    "handover": N_("Handover"),
    "callbacks": N_("Callbacks"),
    "qa": N_("Quality inspection"),
    "months": N_("Month sign-off"),
    "users": N_("Sign-in and users"),
    "backup": N_("Backup"),
    "settings": N_("Settings and data"),
    "imports": N_("Imports"),
    OTHER: N_("Other"),
}

AREAS: Final[tuple[str, ...]] = (*AREA_ACTIONS, OTHER)


def matches(action: str, pattern: str) -> bool:
    return action.startswith(pattern) if pattern.endswith(".") else action == pattern


def area_of(action: str) -> str:
    """The area an action code belongs to; ``other`` when no area claims it."""
    for area, patterns in AREA_ACTIONS.items():
        if any(matches(action, p) for p in patterns):
            return area
    return OTHER


def area_name(area: str) -> str:
    msgid = AREA_NAMES.get(area)
    return _(msgid) if msgid else area


def action_name(action: str) -> str:
    """The action in words; an unknown code shows as itself."""
    msgid = ACTION_NAMES.get(action)
    return _(msgid) if msgid else action


def actions_named(text: str) -> list[str]:
    """The codes whose name in the current language (or the code itself) contains ``text``."""
    needle = text.casefold().strip()
    if not needle:
        return []
    return [code for code, msgid in ACTION_NAMES.items() if needle in _(msgid).casefold() or needle in code]


# --- records -------------------------------------------------------------------------------

ENTITY_NAMES: Final[dict[str, str]] = {
    "user": N_("user account"),
    "person": N_("person"),
    "team": N_("team"),
    "roster": N_("roster"),
    "leave": N_("leave request"),
    "punch_correction": N_("punch correction"),
    "attendance_mark": N_("attendance mark"),
    "swap": N_("shift swap"),
    "evaluation_event": N_("evaluation event"),
    "scorecard": N_("scorecard"),
    "scorecard_response": N_("scorecard response"),
    "inspection_response": N_("inspection response"),
    "month": N_("month"),
    "handover": N_("handover"),
    "handover_item": N_("handover item"),
    "work_record": N_("work record"),
    "callback": N_("call"),
    "member": N_("member"),
    "contact": N_("contact"),
    "qa_inspection": N_("quality inspection"),
    "qa_finding": N_("quality finding"),
    "database": N_("database"),
    "file": N_("file"),
    "policy": N_("policy"),
}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _month_words(text: str) -> str:
    m = _MONTH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return format_month(int(m.group(1)), int(m.group(2)))
    return text


def record_label(entity: str, entity_id: str) -> str:
    """``leave request 12``, ``scorecard A001, October 2026``, ``month October 2026``."""
    msgid = ENTITY_NAMES.get(entity)
    kind = _(msgid) if msgid else entity
    ref = entity_id
    if entity == "month":
        ref = _month_words(entity_id)
    elif entity == "scorecard" and "/" in entity_id:
        who, _sep, month = entity_id.partition("/")
        ref = f"{who}, {_month_words(month)}"
    elif entity == "roster" and ":" in entity_id:
        who, _sep, day = entity_id.partition(":")
        ref = f"{who}, {_scalar('day', day)}"
    return f"{kind} {ref}".strip()


# --- details -------------------------------------------------------------------------------

FIELD_NAMES: Final[dict[str, str]] = {
    "summary": N_("Summary"),
    "months": N_("Months"),
    "agents_changed": N_("Agents changed"),
    "grade_changes": N_("Grade changes"),
    "deduction_cny": N_("Deductions"),
    "pay_float_cny": N_("Pay floats"),
    "locked_months": N_("Signed-off months (kept as signed)"),
    "adjustment": N_("Adjustment"),
    "added": N_("Calls added"),
    "after": N_("After"),
    "agent_id": N_("Agent"),
    "agents": N_("Agents"),
    "at": N_("Time"),
    "attendance_lines": N_("Attendance lines"),
    "authors": N_("Written by"),
    "before": N_("Before"),
    "birthday": N_("Birthday"),
    "by": N_("By"),
    "bytes": N_("Size"),
    "calls": N_("Calls"),
    "cancelled": N_("Cancelled"),
    "carried": N_("Items carried over"),
    "certificate": N_("Certificate"),
    "certificate_due": N_("Certificate due on return"),
    "code": N_("Code"),
    "colleague": N_("Colleague"),
    "contact": N_("Contact"),  # the call or ticket a quality inspection listened to
    "criterion": N_("Criterion"),
    "day": N_("Day"),
    "decision": N_("Decision"),
    "deleted": N_("Old backups deleted"),
    "duplicates": N_("Duplicates"),
    "effective": N_("Effective from"),
    "employee_no": N_("Employee no."),
    "end": N_("End"),
    "exam": N_("Exam score"),
    "follow_up": N_("Follow-up call"),
    "gender": N_("Gender"),
    "hours": N_("Hours"),
    "inspection": N_("Inspection"),
    "join_date": N_("Join date"),
    "kind": N_("Kind"),
    "level": N_("Level"),
    "level_since": N_("Level since"),
    "locked": N_("Locked out"),
    "locked_at": N_("Locked at"),
    "locked_by": N_("Locked by"),
    "member": N_("Member"),
    "month": N_("Month"),
    "months": N_("Months"),
    "name": N_("Name"),
    "new": N_("New items"),
    "new_time": N_("New time"),
    "not_rated": N_("Not rated"),
    "note": N_("Note"),
    "notice_given": N_("Notice given (days)"),
    "notice_required": N_("Notice required (days)"),
    "old_role": N_("Previous role"),
    "open_disputes": N_("Open disputes"),
    "open_inspection_disputes": N_("Open disputes of inspections"),
    "on": N_("Home visits"),
    "outcome": N_("Outcome"),
    "path": N_("File"),
    "person": N_("Person"),
    "phone": N_("Phone"),
    "points": N_("Points"),
    "policy_hash": N_("Policy fingerprint"),
    "previous": N_("Previously"),
    "reason": N_("Reason"),
    "rejected": N_("Rejected"),
    "replied_at": N_("Replied at"),
    "result": N_("Result"),
    "revision": N_("Revision"),
    "revisions": N_("Database revisions"),
    "role": N_("Role"),
    "safety_copy": N_("Safety copy"),
    "damaged_copy": N_("Damaged database kept"),
    "seed": N_("Seed"),
    "severity": N_("Severity"),
    "shift": N_("Shift"),
    "short_notice_accepted": N_("Short notice accepted"),
    "source": N_("Source"),
    "start": N_("Start"),
    "status": N_("Status"),
    "team": N_("Team"),
    "tier": N_("Tier"),
    "to": N_("Reassigned to"),
    "type": N_("Leave type"),
    "updated": N_("Updated"),
    "username": N_("User name"),
    "value": N_("Value"),
    "values": N_("Values"),
    "vip": N_("VIP"),
    "voided": N_("Void"),
    "written": N_("New"),
}

GENDER_NAMES: Final = {"F": N_("Female"), "M": N_("Male")}
# The attendance window's names of a leave request's state (the same msgids).
LEAVE_STATUS_NAMES: Final = {"pending": N_("pending"), "approved": N_("approved"), "rejected": N_("rejected")}
CALL_RESULT_NAMES: Final = {
    "DONE": N_("Done"),
    "RESCHEDULED": N_("Rescheduled"),
    "RETRY_SCHEDULED": N_("Retry planned"),
    "FAILED": N_("Failed"),
    "CLOSED": N_("Closed"),
}
BACKUP_REASON_NAMES: Final = {"exit": N_("on closing"), "daily": N_("daily")}
# An agent's response to their month's scorecard, and the supervisor's decision on a dispute.
RESPONSE_KIND_NAMES: Final = {ACKNOWLEDGED: N_("Scorecard acknowledged"), DISPUTED: N_("Scorecard disputed")}
DISPUTE_OUTCOME_NAMES: Final = {UPHELD: N_("Scorecard upheld"), CHANGED: N_("Scorecard changed")}
# The same of an agent's response to one of their quality inspections (the audit's ``decision``).
INSPECTION_RESPONSE_NAMES: Final = {ACKNOWLEDGED: N_("Inspection acknowledged"), DISPUTED: N_("Inspection disputed")}
INSPECTION_OUTCOME_NAMES: Final = {UPHELD: N_("Inspection upheld"), CHANGED: N_("Inspection changed")}

# Field -> the names of its codes (a value not in the table shows as itself).
VALUE_NAMES: Final[dict[str, Mapping[Any, str]]] = {
    "role": ROLE_NAMES,
    "old_role": ROLE_NAMES,
    "level": LEVEL_NAMES,
    "type": LEAVE_NAMES,
    "criterion": CRITERION_NAMES,
    "gender": GENDER_NAMES,
    "tier": TIER_NAMES,
    "kind": CONTACT_KIND_NAMES,
    "severity": SEVERITY_NAMES,
    "status": {**LEAVE_STATUS_NAMES, **CONTACT_STATUS_NAMES},
    "outcome": {**OUTCOME_NAMES, **DISPUTE_OUTCOME_NAMES},
    "decision": INSPECTION_OUTCOME_NAMES,
    "result": CALL_RESULT_NAMES,
    "reason": {**PENALTY_REASON_NAMES, **BACKUP_REASON_NAMES},
}
# Keys of nested mappings that name a criterion, KPI or evaluator (rating.import ``values``).
KEY_NAMES: Final[tuple[Mapping[str, str], ...]] = (FIELD_NAMES, CRITERION_NAMES, KPI_NAMES, EVALUATOR_NAMES)

# Numbers stored as text (Decimal written by ``default=str``) in these fields are shown as numbers.
NUMERIC_FIELDS: Final = frozenset({"value", "before", "after", "points", "adjustment", "hours", "exam", "values"})
# Numbers that are references, shown without grouping (never "1,234").
ID_FIELDS: Final = frozenset(
    {"revision", "seed", "member", "follow_up", "agent_id", "revisions", "calls_ids", "inspection"}
)
# Points and adjustments carry their sign: +5, −2.
SIGNED_FIELDS: Final = frozenset({"points", "adjustment"})
BOOLEAN_FIELDS: Final = frozenset({"vip", "active", "on", "certificate", "cancelled", "locked", "voided"})

# Before -> after pairs kept in two keys: action -> (the field named, the before key, the after key).
PAIRS: Final[dict[str, tuple[str, str, str]]] = {
    "adjustment.set": ("adjustment", "before", "value"),
    "exam.set": ("exam", "before", "value"),
    "exam.import": ("exam", "before", "value"),
    "person.level": ("level", "before", "after"),
    "user.role": ("role", "old_role", "role"),
}
# Actions whose ``[before, after]`` lists are changes: which fields ("*": all of them).
CHANGE_LISTS: Final[dict[str, frozenset[str]]] = {
    "person.update": frozenset({"*"}),
    "member.update": frozenset({"*"}),
    "roster.set": frozenset({"shift"}),
    "leave.approve": frozenset({"status"}),
    "leave.reject": frozenset({"status"}),
}
# Actions whose policy keys (dotted: ``attendance.late_deduction``) hold [before, after].
POLICY_KEY_CHANGES: Final = frozenset({"policy.apply"})
ARROW: Final = " \u2192 "
EMPTY: Final = "\u2014"


def field_name(key: str) -> str:
    for table in KEY_NAMES:
        msgid = table.get(key)
        if msgid:
            return _(msgid)
    if "." in key:  # a policy key (policy.apply) is named as the policy file names it
        return key
    return key.replace("_", " ")


def _scalar(key: str, value: object) -> str:
    """One value in words: Yes/No, a code's name, a number or date in the language's format."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in ID_FIELDS:
        return str(value)
    if isinstance(value, int | float | Decimal):
        if key == "bytes" and isinstance(value, int):
            return format_megabytes(value)
        return format_signed(value) if key in SIGNED_FIELDS else format_number(value)
    text = str(value)
    if text == "None":  # member.update writes str(None)
        return EMPTY
    if key in BOOLEAN_FIELDS and text in ("True", "False"):
        return _("Yes") if text == "True" else _("No")
    if key == "code" and text in EVENT_NAMES:
        return event_label(text)
    if key == "shift" and text in SHIFT_NAMES:
        return f"{text} {_(SHIFT_NAMES[text])}"
    table = VALUE_NAMES.get(key)
    if table is not None:
        msgid = table.get(text)
        if msgid is None and text.isdigit():
            msgid = table.get(int(text))  # type: ignore[call-overload]
        if msgid:
            return _(msgid)
    if key == "policy_hash" and len(text) > 12:
        return text[:12] + "\u2026"
    if key in NUMERIC_FIELDS and _DECIMAL.match(text):
        try:
            number = Decimal(text)
            return format_signed(number) if key in SIGNED_FIELDS else format_number(number)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return text
    if _DATE.match(text):
        try:
            return format_date(date.fromisoformat(text))
        except ValueError:
            return text
    if _DATETIME.match(text):
        try:
            return format_datetime(datetime.fromisoformat(text.replace(" ", "T")), "short")
        except ValueError:
            return text
    return text


def value_text(key: str, value: object, *, nested: bool = False) -> str:
    """Any JSON value in words: lists joined with commas, mappings as ``name: value``."""
    if isinstance(value, Mapping):
        if not value:
            return EMPTY
        # Under a numeric field (rating.import ``values``) every value is a number.
        text = ", ".join(
            f"{field_name(str(k))}: {value_text(key if key in NUMERIC_FIELDS else str(k), v, nested=True)}"
            for k, v in value.items()
        )
        return f"({text})" if nested else text
    if isinstance(value, list | tuple):
        if not value:
            return EMPTY
        if key == "values" and all(isinstance(v, list | tuple) and len(v) == 3 for v in value):
            # kpi.set: [kind, name, number] per KPI or 360 score
            return ", ".join(f"{field_name(str(name))}: {_scalar('value', number)}" for _kind, name, number in value)
        return ", ".join(value_text(key, v, nested=True) for v in value)
    return _scalar(key, value)


def _change(key: str, before: object, after: object) -> str:
    return f"{field_name(key)}: {value_text(key, before)}{ARROW}{value_text(key, after)}"


def detail_lines(action: str, details: Mapping[str, Any]) -> list[str]:
    """One ``field: value`` or ``field: before → after`` line per detail, in the stored order."""
    rest = dict(details)
    lines: list[str] = []
    pair = PAIRS.get(action)
    if action == "rating.set" and "value" in rest:
        criterion = str(rest.pop("criterion", ""))
        label = field_name(criterion) if criterion else field_name("value")
        before, after = value_text("value", rest.pop("before", None)), value_text("value", rest.pop("value"))
        lines.append(f"{label}: {before}{ARROW}{after}")
    elif pair is not None and pair[2] in rest:
        name, before_key, after_key = pair
        lines.append(_change(name, rest.pop(before_key, None), rest.pop(after_key)))
    elif "before" in rest and "after" in rest:  # a site's own action in the usual shape
        lines.append(_change("value", rest.pop("before"), rest.pop("after")))
    if action == "kpi.set" and rest.get("before") is None:
        rest.pop("before", None)  # the KPI writer has no single value before
    changes = CHANGE_LISTS.get(action, frozenset())
    for key, value in rest.items():
        as_change = key in changes or "*" in changes or (action in POLICY_KEY_CHANGES and "." in key)
        if as_change and isinstance(value, list | tuple) and len(value) == 2:
            lines.append(_change(key, value[0], value[1]))
        elif action == "callback.reassign" and key == "calls":
            lines.append(f"{field_name(key)}: {value_text('calls_ids', value)}")
        else:
            lines.append(f"{field_name(key)}: {value_text(key, value)}")
    return lines


# --- one entry -----------------------------------------------------------------------------


class _Entry(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


@record
class AuditWords:
    """An audit entry in words, in the language current when it was made."""

    area: str  # the area code (AREAS)
    area_text: str
    action_text: str
    record_text: str
    details: tuple[str, ...]  # one line per detail

    @property
    def what(self) -> str:
        return _("{action}: {record}").format(action=self.action_text, record=self.record_text)

    @property
    def details_text(self) -> str:
        return "; ".join(self.details)


def describe(entry: _Entry) -> AuditWords:
    area = area_of(entry.action)
    return AuditWords(
        area=area,
        area_text=area_name(area),
        action_text=action_name(entry.action),
        record_text=record_label(entry.entity, entry.entity_id),
        details=tuple(detail_lines(entry.action, entry.details or {})),
    )
