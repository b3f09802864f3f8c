"""Load, merge and validate policy TOML files into :class:`~csdesk.policy.model.Policy`.

A site file holds only the keys it changes; it is merged over the shipped default
(tables merge key by key, arrays replace). Every problem is reported with its
dotted key, e.g. ``scoring.criteria[2].max: must be a whole number``.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from datetime import date, time
from pathlib import Path
from typing import Any, TypeVar

from csdesk.errors import PolicyError
from csdesk.i18n import N_
from csdesk.policy.model import EVENT_KINDS, ROLE_SCOPES, DepartmentHours, OptionalText, Policy, QaForm, QaPolicy
from csdesk.resources import default_policy_path

Problems = list[tuple[str, str]]
T = TypeVar("T")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file; unreadable or malformed files raise PolicyError."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise PolicyError(str(path), [("", N_("file not found"))]) from None
    except OSError as exc:
        raise PolicyError(str(path), [("", N_("cannot be read"))]) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(str(path), [(str(exc), N_("not valid TOML"))]) from exc


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` into a copy of ``base`` (tables merge, arrays replace)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _convert(tp: Any, value: Any, key: str, problems: Problems) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, key, problems)
    if tp is bool:
        if not isinstance(value, bool):
            problems.append((key, N_("must be true or false")))
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append((key, N_("must be a whole number")))
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append((key, N_("must be a number")))
            return value
        return float(value)
    if tp is str:
        if not isinstance(value, str) or not value:
            problems.append((key, N_("must be a non-empty text")))
        return value
    if tp is OptionalText:
        if not isinstance(value, str):
            problems.append((key, N_("must be a text")))
        return value
    args = typing.get_args(tp)
    if origin is types.UnionType and len(args) == 2 and type(None) in args:
        # ``X | None``: TOML has no null, so a value that is given is an X
        return _convert(next(a for a in args if a is not type(None)), value, key, problems)
    if tp is time:
        return _parse_time(value, key, problems)
    if origin is tuple:
        (item_tp, _ellipsis) = typing.get_args(tp)
        if not isinstance(value, list):
            problems.append((key, N_("must be a list")))
            return ()
        return tuple(_convert(item_tp, v, f"{key}[{i}]", problems) for i, v in enumerate(value))
    if origin is dict:
        _key_tp, val_tp = typing.get_args(tp)
        if not isinstance(value, dict):
            problems.append((key, N_("must be a table")))
            return {}
        return {k: _convert(val_tp, v, f"{key}.{k}", problems) for k, v in value.items()}
    raise TypeError(f"unsupported policy type {tp!r} at {key}")  # a bug in model.py


def _parse_time(value: Any, key: str, problems: Problems) -> time:
    if isinstance(value, str):
        if value == "24:00":
            return time(0, 0)
        try:
            hh, mm = value.split(":")
            return time(int(hh), int(mm))
        except ValueError:
            pass
    problems.append((key, N_("must be a time HH:MM")))
    return time(0, 0)


def _build(cls: Any, data: Any, key: str, problems: Problems) -> Any:
    if not isinstance(data, dict):
        problems.append((key or "(top)", N_("must be a table")))
        data = {}
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    names = set()
    for f in dataclasses.fields(cls):
        if not f.init or f.name == "source":
            continue
        names.add(f.name)
        sub = f"{key}.{f.name}" if key else f.name
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], sub, problems)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            problems.append((sub, N_("is missing")))
            kwargs[f.name] = _placeholder(hints[f.name])
    for extra in sorted(set(data) - names):
        problems.append((f"{key}.{extra}" if key else extra, N_("unknown key")))
    try:
        return cls(**kwargs)
    except TypeError:  # only reachable with problems already recorded
        return None


def _placeholder(tp: Any) -> Any:
    if isinstance(tp, types.GenericAlias) and typing.get_origin(tp) is tuple:
        return ()
    return {int: 0, float: 0.0, str: "", bool: False, time: time(0)}.get(tp)


def _dupes(codes: typing.Iterable[str]) -> set[str]:
    seen: set[str] = set()
    dup = set()
    for code in codes:
        if code in seen:
            dup.add(code)
        seen.add(code)
    return dup


def check_invariants(p: Policy) -> Problems:
    """Cross-field checks: ranges ordered, weights summing to 100, codes known and unique."""
    problems: Problems = []

    def need(cond: bool, key: str, msg: str) -> None:
        if not cond:
            problems.append((key, msg))

    for name, codes in (
        ("levels", [lv.code for lv in p.levels]),
        ("shifts", [s.code for s in p.shifts]),
        ("events", [e.code for e in p.events]),
        ("leave.types", [t.code for t in p.leave.types]),
        ("scoring.criteria", [c.code for c in p.scoring.criteria]),
        ("scoring.grades", [g.code for g in p.scoring.grades]),
    ):
        for code in sorted(_dupes(codes)):
            problems.append((f"{name}.{code}", N_("code used twice")))
    for i, lv in enumerate(p.levels):
        need(lv.base_pay >= 0, f"levels[{i}].base_pay", N_("must not be negative"))
    a = p.attendance
    for fname in (
        "grace_minutes",
        "late_max_minutes",
        "early_max_minutes",
        "late_deduction",
        "absence_deduction",
        "full_attendance_bonus",
        "missed_punch_deduction",
        "swap_without_arrangement_deduction",
    ):
        need(getattr(a, fname) >= 0, f"attendance.{fname}", N_("must not be negative"))
    need(a.grace_minutes < a.late_max_minutes, "attendance.grace_minutes", N_("must be below late_max_minutes"))
    need(0 <= a.pay_cut_percent <= 100, "attendance.pay_cut_percent", N_("must be between 0 and 100"))
    for fname in ("consecutive_lates_as_absence", "consecutive_absences_pay_cut", "consecutive_absences_disciplinary"):
        need(getattr(a, fname) >= 1, f"attendance.{fname}", N_("must be at least 1"))
    event_codes = {e.code for e in p.events}
    for fname in ("late_event_code", "absence_event_code"):
        need(getattr(a, fname) in event_codes, f"attendance.{fname}", N_("names an unknown event code"))
    for fname in ("incomplete_record_event", "messy_desk_event"):
        need(getattr(p.handover, fname) in event_codes, f"handover.{fname}", N_("names an unknown event code"))
    leave_codes = {t.code for t in p.leave.types}
    for code in p.leave.cancel_required_for:
        need(code in leave_codes, "leave.cancel_required_for", N_("names an unknown leave type"))
    need(p.leave.slip_max_days <= p.leave.long_leave_days, "leave.long_leave_days", N_("must not be below slip_max_days"))
    for i, t in enumerate(p.leave.types):
        need(t.entitlement_days >= 0, f"leave.types[{i}].entitlement_days", N_("must not be negative"))
    s = p.scoring
    need(s.adjustment_min <= 0 <= s.adjustment_max, "scoring.adjustment_min", N_("the range must contain 0"))
    need(s.cap >= s.rated_max, "scoring.cap", N_("must not be below the rated maximum"))
    need(s.pay_float_bound >= 0, "scoring.pay_float_bound", N_("must not be negative"))
    need(0 < s.exam_pass <= s.exam_full_marks, "scoring.exam_pass", N_("must be between 1 and exam_full_marks"))
    for fname in ("exam_full_marks_event", "exam_fail_event", "bad_month_event"):
        need(getattr(s, fname) in event_codes, f"scoring.{fname}", N_("names an unknown event code"))
    for i, c in enumerate(s.criteria):
        need(c.max > 0, f"scoring.criteria[{i}].max", N_("must be above 0"))
    mins = [g.min for g in s.grades]
    need(mins == sorted(mins, reverse=True), "scoring.grades", N_("bands must go from the highest down"))
    for i, e in enumerate(p.events):
        key = f"events[{i}]"
        need(e.kind in EVENT_KINDS, f"{key}.kind", N_("must be bonus, minor, moderate, severe or dismissal"))
        need(e.points_min <= e.points_max, f"{key}.points_min", N_("must not be above points_max"))
        if e.kind == "bonus":
            need(e.points_min >= 0, f"{key}.points_min", N_("a bonus must not be negative"))
        elif e.kind == "dismissal":
            need(e.points_min == e.points_max == 0, f"{key}.points_min", N_("a dismissal item carries no points"))
        else:
            need(e.points_max <= 0, f"{key}.points_max", N_("a deduction must not be positive"))
        need(e.per_month >= 0, f"{key}.per_month", N_("must not be negative"))
    k = p.kpi
    for fname in ("front_line_weights", "back_office_weights", "evaluator_weights"):
        weights = getattr(k, fname)
        need(sum(weights.values()) == 100, f"kpi.{fname}", N_("weights must add up to 100"))
    for fname in ("front_line_weights", "back_office_weights"):
        for name in getattr(k, fname):
            need(name in k.scales, f"kpi.{fname}.{name}", N_("has no scale in kpi.scales"))
    for name, scale in k.scales.items():
        need(scale.floor != scale.target, f"kpi.scales.{name}", N_("floor and target must differ"))
        need(scale.max is None or scale.max >= max(scale.floor, scale.target, 0), f"kpi.scales.{name}.max", N_("must not be below the floor or the target"))
    tier_mins = [t.min for t in k.tiers]
    need(tier_mins == sorted(tier_mins, reverse=True), "kpi.tiers", N_("bands must go from the highest down"))
    levels = {lv.code for lv in p.levels}
    for i, step in enumerate(p.promotion):
        need(step.to in levels, f"promotion[{i}].to", N_("names an unknown level"))
    c = p.callbacks
    need(c.sale4_weeks_before_class_min <= c.sale4_weeks_before_class_max, "callbacks.sale4_weeks_before_class_min", N_("must not be above the maximum"))
    need(0 <= c.home_visit_quota <= c.daily_quota, "callbacks.home_visit_quota", N_("must be between 0 and daily_quota"))
    for fname in ("same_day_kinds",):
        for kind in getattr(c, fname):
            need(kind in c.kinds, f"callbacks.{fname}", N_("names an unknown callback kind"))
    for outcome in c.effective_outcomes:
        need(outcome in c.outcomes, "callbacks.effective_outcomes", N_("names an unknown outcome"))
    problems += _check_qa(p.qa, event_codes)
    problems += _check_holiday_lists(p.department_hours)
    for i, shift in enumerate(p.shifts):
        if not shift.rest:
            need(shift.minutes > 0, f"shifts[{i}]", N_("a working shift must last more than 0 minutes"))
    for fname in ("lockout_failures", "lockout_minutes", "min_password_length"):
        need(getattr(p.security, fname) >= 1, f"security.{fname}", N_("must be at least 1"))
    need(p.security.idle_lock_minutes >= 0, "security.idle_lock_minutes", N_("must not be negative"))
    need(p.backup.keep >= 1, "backup.keep", N_("must be at least 1"))
    for code in p.codes.roles:
        need(code in p.roles, f"roles.{code}", N_("is missing"))
    for code, role in p.roles.items():
        need(code in p.codes.roles, f"roles.{code}", N_("is not a role of codes.roles"))
        need(bool(role.permissions), f"roles.{code}.permissions", N_("must list at least one permission"))
        need(role.scope in ROLE_SCOPES, f"roles.{code}.scope", N_("must be all, team or own"))
    return problems


def _check_holiday_lists(hours: DepartmentHours) -> Problems:
    """The site's changes to the holiday calendar: dates written YYYY-MM-DD, each in one list only."""
    problems: Problems = []
    listed: dict[str, str] = {}
    for fname in ("extra_holidays", "removed_holidays", "makeup_days"):
        for i, text in enumerate(getattr(hours, fname)):
            key = f"department_hours.{fname}[{i}]"
            if not _is_date(text):
                problems.append((key, N_("must be a date YYYY-MM-DD")))
            elif listed.setdefault(text, fname) != fname:
                problems.append((key, N_("a date may be in only one of extra_holidays, removed_holidays and makeup_days")))
    return problems


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_qa(qa: QaPolicy, event_codes: set[str]) -> Problems:
    """rules.md §10: every form (the default one in ``qa`` itself, then ``qa.forms``), the modes
    and the event a spot-check error becomes."""
    problems: Problems = []
    if qa.spot_check_event not in event_codes:
        problems.append(("qa.spot_check_event", N_("names an unknown event code")))
    if qa.default_mode not in qa.modes:
        problems.append(("qa.default_mode", N_("is not one of qa.modes")))
    problems += _check_form(qa.default_form, "qa")
    for i, form in enumerate(qa.forms):
        problems += _check_form(form, f"qa.forms[{i}]")
    for code in sorted(_dupes(f.code for f in qa.all_forms)):
        problems.append((f"qa.forms.{code}", N_("code used twice")))
    return problems


def _check_form(form: QaForm, key: str) -> Problems:
    """One inspection form: weights add up to 100, each question in one place, critical and
    weighted questions named where they belong, points and versions from 1."""
    problems: Problems = []

    def need(cond: bool, where: str, msg: str) -> None:
        if not cond:
            problems.append((where, msg))

    need(form.version >= 1, f"{key}.version" if key != "qa" else "qa.form_version", N_("must be at least 1"))
    need(sum(sec.weight for sec in form.sections) == 100, f"{key}.sections", N_("weights must add up to 100"))
    for i, sec in enumerate(form.sections):
        need(bool(sec.questions), f"{key}.sections[{i}].questions", N_("must name at least one question"))
        for q, points in sec.points.items():
            need(q in sec.questions, f"{key}.sections[{i}].points.{q}", N_("names a question that is not in this section"))
            need(points >= 1, f"{key}.sections[{i}].points.{q}", N_("must be at least 1"))
        for q in sec.critical:
            need(q in sec.questions, f"{key}.sections[{i}].critical", N_("names a question that is not in this section"))
    for i, bonus in enumerate(form.bonus_questions):
        need(bonus.points >= 1, f"{key}.bonus_questions[{i}].points", N_("must be at least 1"))
    for q in form.critical_questions:
        need(q in form.questions, f"{key}.critical_questions", N_("names a question that is in no section"))
    for q in sorted(_dupes([*form.questions, *(b.code for b in form.bonus_questions)])):
        problems.append((f"{key}.sections.{q}", N_("code used twice")))
    return problems


def build_part(cls: type[T], data: dict[str, Any], source: str) -> T:
    """One part of a policy from its data, built and checked for types as the loader builds the
    whole (a QA form kept with the inspections scored with it); PolicyError names the problems."""
    problems: Problems = []
    part = _build(cls, data, "", problems)
    if problems:
        raise PolicyError(source, problems)
    return typing.cast(T, part)


def build_policy(data: dict[str, Any], source: str) -> Policy:
    """Turn parsed TOML into a validated Policy, or raise PolicyError listing every problem."""
    problems: Problems = []
    policy = _build(Policy, data, "", problems)
    if not problems:
        problems = check_invariants(policy)
    if problems:
        raise PolicyError(source, problems)
    return dataclasses.replace(policy, source=source)


def load_policy(site_file: Path | None = None) -> Policy:
    """The shipped default, with ``site_file`` merged over it when given."""
    default = default_policy_path()
    data = read_toml(default)
    source = str(default)
    if site_file is not None:
        data = merge(data, read_toml(site_file))
        source = str(site_file)
    return build_policy(data, source)
