"""The audit log in words (csdesk.audit_labels): actions, areas and details as the services write them."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from csdesk import i18n
from csdesk.audit_labels import (
    ACTION_NAMES,
    AREA_ACTIONS,
    AREAS,
    OTHER,
    action_name,
    actions_named,
    area_of,
    describe,
    detail_lines,
    matches,
)
from csdesk.models.domain import AuditEntry

SERVICES = Path(__file__).resolve().parents[2] / "csdesk" / "services"
# Codes built at run time (f"event.{action}", f"import.{fmt.kind}", a variable), with the values they take.
DYNAMIC = {
    "event.correct", "event.void",  # ScorecardEntries._change_event
    "import.ratings", "import.exams", "import.events",  # ScorecardImports._import, FileFormat kinds
    "rating.set", "adjustment.set", "exam.set", "kpi.set",  # ScorecardEntries._write_month
    "user.reactivate", "user.deactivate",  # AuthService.set_active
}  # fmt: skip


def _entry(action: str, details: dict[str, Any], entity: str = "thing", entity_id: str = "1") -> AuditEntry:
    return AuditEntry(1, datetime(2026, 10, 15, 9, 30), "supervisor", action, entity, entity_id, details)


def _written_codes() -> tuple[set[str], int]:
    """The action codes literally passed to ``audit(uow, actor, ACTION, ...)`` in csdesk/services,
    and how many calls pass something else (an f-string or a variable)."""
    codes: set[str] = set()
    dynamic = 0
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "audit"):
                continue
            if len(node.args) < 3:
                continue
            arg = node.args[2]
            branches = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            for b in branches:
                if isinstance(b, ast.Constant) and isinstance(b.value, str):
                    codes.add(b.value)
                else:
                    dynamic += 1
    return codes, dynamic


def test_every_action_the_services_write_has_words() -> None:
    codes, dynamic = _written_codes()
    assert len(codes) > 50 and dynamic >= 3  # the scan sees the services
    missing = sorted((codes | DYNAMIC) - set(ACTION_NAMES))
    assert missing == []


def test_every_named_action_has_an_area() -> None:
    assert [code for code in ACTION_NAMES if area_of(code) == OTHER] == []


def test_areas_never_overlap_so_sql_can_filter_by_them() -> None:
    for code in ACTION_NAMES:
        claimed = [area for area, patterns in AREA_ACTIONS.items() if any(matches(code, p) for p in patterns)]
        assert len(claimed) == 1, (code, claimed)
    assert AREAS[-1] == OTHER and set(AREAS[:-1]) == set(AREA_ACTIONS)


@pytest.mark.parametrize(
    ("code", "area"),
    [
        ("leave.approve", "attendance"),
        ("login", "users"),
        ("auth.failed", "users"),
        ("person.level", "people"),
        ("import.people", "imports"),
        ("rating.import", "scorecards"),
        ("work_record.save", "handover"),
        ("month.reopen", "months"),
        ("backup.restore", "backup"),
        ("member.update", "callbacks"),
        ("loginx", OTHER),
        ("workXrecord.save", OTHER),  # "_" is no wildcard
    ],
)
def test_area_follows_the_action_prefix(code: str, area: str) -> None:
    assert area_of(code) == area


def test_leave_decision_reads_as_words_not_json() -> None:
    # AttendanceService.decide_leave: status=[before, after], certificate=noted
    words = describe(_entry("leave.approve", {"certificate": True, "status": ["pending", "approved"]}, "leave", "12"))
    assert words.area == "attendance"
    assert words.area_text == "Attendance"
    assert words.action_text == "Approved a leave request"
    assert words.what == "Approved a leave request: leave request 12"
    assert words.details == ("Certificate: Yes", "Status: pending \u2192 approved")
    assert "{" not in words.details_text and "true" not in words.details_text


def test_person_update_shows_each_change_before_and_after() -> None:
    # PeopleService.update: {field: [before, after]} of PersonData as JSON
    details = {"level": ["junior", "senior"], "join_date": [None, "2026-03-02"], "team": ["A", "B"]}
    lines = detail_lines("person.update", details)
    assert lines == [
        "Level: Junior agent \u2192 Senior agent",
        "Join date: \u2014 \u2192 Mar 2, 2026",
        "Team: A \u2192 B",
    ]


def test_a_rating_names_its_criterion_and_formats_the_numbers() -> None:
    # ScorecardService.set_rating: before (Decimal as text), criterion, value
    details = {"before": "80", "criterion": "service_quality", "value": "1234.5"}
    assert detail_lines("rating.set", details) == ["Service quality: 80 \u2192 1,234.5"]
    i18n.install("es_ES")
    assert detail_lines("rating.set", details) == ["Calidad del servicio: 80 \u2192 1.234,5"]


def test_role_change_pairs_old_and_new_role() -> None:
    # AuthService.set_role: username, role, old_role
    lines = detail_lines("user.role", {"old_role": "agent", "role": "team_lead", "username": "li"})
    assert lines == ["Role: Agent \u2192 Team lead", "User name: li"]


def test_level_change_pairs_before_and_after() -> None:
    details = {"after": "senior", "before": "junior", "effective": "2026-10-01", "note": "promoted"}
    assert detail_lines("person.level", details) == [
        "Level: Junior agent \u2192 Senior agent",
        "Effective from: Oct 1, 2026",
        "Note: promoted",
    ]


def test_roster_change_names_the_shifts_and_the_day() -> None:
    words = describe(_entry("roster.set", {"shift": ["D", "E"]}, "roster", "A001:2026-10-03"))
    assert words.details == ("Shift: D Day shift \u2192 E Evening shift",)
    assert words.record_text == "roster A001, Oct 3, 2026"


def test_penalty_points_carry_their_sign_and_codes_their_names() -> None:
    # HandoverService penalties: person, code, points, reason
    lines = detail_lines("handover.penalty", {"code": "M04", "person": "A001", "points": -2, "reason": "INCOMPLETE_RECORD"})
    assert lines == [
        "Code: M04 Handover record not completed carefully",
        "Person: A001",
        "Points: \u22122",
        "Reason: Handover record not completed carefully",
    ]


def test_backup_size_in_megabytes_and_month_lock_details() -> None:
    assert detail_lines("backup.create", {"bytes": 3_145_728, "path": "/b/x.db"}) == ["Size: 3.0 MB", "File: /b/x.db"]
    lines = detail_lines(
        "month.lock", {"agents": 1234, "not_rated": ["A1", "A2"], "policy_hash": "ab" * 32, "revision": 1234}
    )
    assert lines == ["Agents: 1,234", "Not rated: A1, A2", "Policy fingerprint: abababababab\u2026", "Revision: 1234"]


def test_kpi_inputs_and_reassigned_calls_are_readable() -> None:
    kpi = detail_lines("kpi.set", {"before": None, "values": [["kpi", "satisfaction", "95.5"], ["360", "self", "80"]]})
    assert kpi == ["Values: Customer satisfaction: 95.5, Self-evaluation: 80"]
    moved = detail_lines("callback.reassign", {"calls": [1001, 1002], "previous": {"1001": "A001"}, "to": "A002"})
    assert moved == ["Calls: 1001, 1002", "Previously: 1001: A001", "Reassigned to: A002"]


def test_member_update_strings_of_booleans_and_none() -> None:
    # CallbackMembers.update_member writes str(before), str(after)
    lines = detail_lines("member.update", {"birthday": ["None", "1990-02-03"], "vip": ["False", "True"]})
    assert lines == ["Birthday: \u2014 \u2192 Feb 3, 1990", "VIP: No \u2192 Yes"]


def test_month_record_and_dates_follow_the_language() -> None:
    entry = _entry("month.reopen", {"locked_at": "2026-10-01T09:00:00", "reason": "typo"}, "month", "2026-09")
    i18n.install("zh_CN")
    words = describe(entry)
    assert "2026年9月" in words.record_text
    assert any("2026" in line and "09:00" in line for line in words.details)


def test_an_unknown_action_shows_its_code_and_nested_details_readably() -> None:
    entry = _entry("site.custom", {"flags": {"fast": True, "n": 12345}, "items": [{"x": 1}, 2], "empty": {}}, "gadget", "G7")
    words = describe(entry)
    assert words.action_text == "site.custom"
    assert words.area == OTHER and words.area_text == "Other"
    assert words.record_text == "gadget G7"
    assert words.details == ("flags: fast: Yes, n: 12,345", "items: (x: 1), 2", "empty: \u2014")
    assert not any(ch in words.details_text for ch in "{}[]\"")


def test_an_entry_without_details_has_no_lines() -> None:
    words = describe(_entry("login", {}, "user", "3"))
    assert words.details == () and words.details_text == ""
    assert words.what == "Signed in: user account 3"
    assert action_name("no.such") == "no.such"


def test_search_words_find_action_codes_in_the_current_language() -> None:
    assert "leave.approve" in actions_named("approved a leave")
    assert "leave.approve" in actions_named("LEAVE.APP")
    assert actions_named("   ") == []
