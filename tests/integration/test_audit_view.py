"""The audit log filtered in SQL (person, area, month, text), paged newest first, exported to XLSX
in words with formula-looking text kept as text, and the same on the command line."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from csdesk import i18n
from csdesk.cli import main
from csdesk.errors import PermissionDenied, ValidationError
from csdesk.services import audit as audit_module
from csdesk.services.audit import AuditFilter
from csdesk.services.base import SYSTEM, Actor

pytestmark = pytest.mark.both_engines  # the filters are SQL: SQLite and PostgreSQL alike

FORMULA = '=HYPERLINK("x")'
AGENT = Actor("agent1", "agent")

# (at, who, action, entity, entity_id, details) in the shapes the services write, oldest first.
SEED: list[tuple[datetime, str, str, str, str, dict[str, Any]]] = [
    (datetime(2026, 8, 31, 23, 59, 59), "lead_li", "leave.file", "leave", "11",
     {"employee_no": "A001", "type": "SICK", "start": "2026-09-01", "end": "2026-09-02", "hours": None}),
    (datetime(2026, 9, 1, 0, 0, 0), "lead_li", "leave.approve", "leave", "11",
     {"certificate": True, "status": ["pending", "approved"]}),
    (datetime(2026, 9, 10, 8, 0), "supervisor", "person.update", "person", "A001",
     {"level": ["junior", "senior"], "phone": ["1380", "1390"]}),
    (datetime(2026, 9, 30, 23, 59, 59), FORMULA, "login", "user", "7", {}),
    (datetime(2026, 10, 1, 0, 0, 0), "supervisor", "month.lock", "month", "2026-09",
     {"revision": 1, "policy_hash": "ab" * 32, "agents": 12, "not_rated": []}),
    (datetime(2026, 10, 2, 9, 0), "lead_li", "rating.set", "scorecard", "A001/2026-10",
     {"before": "80", "criterion": "service_quality", "value": "85.5"}),
    (datetime(2026, 10, 3, 9, 0), FORMULA, "work_record.save", "work_record", "5",
     {"person": "A002", "day": "2026-10-03", "shift": "D", "calls": 1234}),
    (datetime(2026, 10, 4, 9, 0), "supervisor", "site.custom", "gadget", "G1", {"flags": {"fast": True}}),
    (datetime(2026, 10, 5, 9, 0), "supervisor", "import.people", "file", "people_100%.csv",
     {"written": 3, "updated": 0, "duplicates": 0, "rejected": 1}),
]  # fmt: skip


@pytest.fixture
def seeded(ctx):
    with ctx.audit._uow() as uow:
        for row in SEED:
            uow.audit.add(*row)
        uow.commit()
    return ctx


def _actions(listing) -> list[str]:
    return [line.action for line in listing.lines]


def test_everything_newest_first_with_the_total(seeded) -> None:
    listing = seeded.audit.search(SYSTEM)
    assert listing.total == len(SEED)
    assert _actions(listing) == [row[2] for row in reversed(SEED)]
    assert not listing.more


def test_filter_by_person(seeded) -> None:
    listing = seeded.audit.search(SYSTEM, AuditFilter(user="lead_li"))
    assert _actions(listing) == ["rating.set", "leave.approve", "leave.file"]
    assert {line.username for line in listing.lines} == {"lead_li"}
    assert seeded.audit.search(SYSTEM, AuditFilter(user="lead")).total == 0  # the whole name, not a part


def test_filter_by_area(seeded) -> None:
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="attendance"))) == ["leave.approve", "leave.file"]
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="handover"))) == ["work_record.save"]
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="users"))) == ["login"]
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="imports"))) == ["import.people"]
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="other"))) == ["site.custom"]
    assert seeded.audit.search(SYSTEM, AuditFilter(area="backup")).total == 0


def test_area_prefixes_are_not_like_patterns(seeded) -> None:
    with seeded.audit._uow() as uow:  # "_" in "work_record." is a LIKE wildcard unless escaped
        uow.audit.add(datetime(2026, 10, 6), "supervisor", "workXrecord.save", "x", "1", {})
        uow.commit()
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="handover"))) == ["work_record.save"]
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(area="other"))) == ["workXrecord.save", "site.custom"]


def test_filter_by_month_keeps_to_its_first_and_last_second(seeded) -> None:
    september = seeded.audit.search(SYSTEM, AuditFilter(month="2026-09"))
    assert _actions(september) == ["login", "person.update", "leave.approve"]
    august = seeded.audit.search(SYSTEM, AuditFilter(month="2026-08"))
    assert _actions(august) == ["leave.file"]
    assert seeded.audit.search(SYSTEM, AuditFilter(month="2026-10")).total == 5


def test_filters_combine(seeded) -> None:
    listing = seeded.audit.search(SYSTEM, AuditFilter(user="lead_li", area="attendance", month="2026-09"))
    assert _actions(listing) == ["leave.approve"]


def test_free_text_searches_names_records_details_and_action_words(seeded) -> None:
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(text="a002"))) == ["work_record.save"]  # details, any case
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(text="hyperlink"))) == ["work_record.save", "login"]
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(text="approved a leave"))) == ["leave.approve"]  # words
    # LIKE's wildcards are plain characters here
    assert _actions(seeded.audit.search(SYSTEM, AuditFilter(text="_100%"))) == ["import.people"]
    assert seeded.audit.search(SYSTEM, AuditFilter(text="100_%")).total == 0


def test_pages_follow_each_other_without_gaps_or_repeats(seeded) -> None:
    first = seeded.audit.search(SYSTEM, limit=4)
    assert len(first.lines) == 4 and first.total == len(SEED) and first.more
    second = seeded.audit.search(SYSTEM, limit=4, before_id=first.last_id)
    third = seeded.audit.search(SYSTEM, limit=4, before_id=second.last_id)
    ids = [line.id for page in (first, second, third) for line in page.lines]
    assert ids == sorted(range(1, len(SEED) + 1), reverse=True)


def test_the_words_of_a_line(seeded) -> None:
    line = seeded.audit.search(SYSTEM, AuditFilter(area="attendance")).lines[0]
    assert line.words.what == "Approved a leave request: leave request 11"
    assert line.words.details_text == "Certificate: Yes; Status: pending \u2192 approved"


def test_people_and_months_for_the_filter_bar(seeded) -> None:
    assert seeded.audit.people(SYSTEM) == sorted({row[1] for row in SEED})
    assert seeded.audit.months(SYSTEM) == ["2026-10", "2026-09", "2026-08"]


def test_an_empty_log_has_no_months(ctx) -> None:
    assert ctx.audit.months(SYSTEM) == []
    assert ctx.audit.search(SYSTEM).total == 0


def test_reading_needs_audit_view(seeded, tmp_path: Path) -> None:
    never = tmp_path / "never.xlsx"
    for call in (
        lambda: seeded.audit.search(AGENT),
        lambda: seeded.audit.people(AGENT),
        lambda: seeded.audit.months(AGENT),
        lambda: seeded.audit.export_xlsx(AGENT, AuditFilter(), never),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not never.exists()


def test_a_bad_area_or_month_is_refused(seeded) -> None:
    with pytest.raises(ValidationError):
        seeded.audit.search(SYSTEM, AuditFilter(area="nowhere"))
    with pytest.raises(ValidationError):
        seeded.audit.search(SYSTEM, AuditFilter(month="2026-13"))


def test_search_never_writes(seeded) -> None:
    seeded.audit.search(SYSTEM, AuditFilter(text="x"))
    seeded.audit.people(SYSTEM)
    assert seeded.audit.search(SYSTEM).total == len(SEED)


def test_a_real_service_action_reads_in_words(ctx) -> None:
    ctx.people.add_team(SYSTEM, "Team Z")
    line = ctx.audit.search(SYSTEM, AuditFilter(area="people")).lines[0]
    assert (line.username, line.words.what, line.words.details) == ("system", f"Added a team: team {line.entity_id}", ("Name: Team Z",))


# --- export -----------------------------------------------------------------------------------


def _sheet(path: Path):
    return load_workbook(path).worksheets[0]


def test_export_writes_the_filtered_view_in_words(seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_module, "_EXPORT_BATCH", 2)  # several batches, read newest first
    out = tmp_path / "audit.xlsx"
    count = seeded.audit.export_xlsx(SYSTEM, AuditFilter(month="2026-10"), out)
    assert count == 5
    ws = _sheet(out)
    assert [c.value for c in ws[1]] == ["When", "Who", "Area", "What", "Details"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["E"].width >= 60
    assert ws.max_row == 6
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [datetime(2026, 10, d, 9, 0) for d in (5, 4, 3, 2)] + [datetime(2026, 10, 1)]
    assert rows[3][1:] == [
        "lead_li", "Scorecards", "Entered a rating: scorecard A001, October 2026", "Service quality: 80 \u2192 85.5",
    ]  # fmt: skip
    assert rows[1][3] == "site.custom: gadget G1" and rows[1][4] == "flags: fast: Yes"


def test_a_formula_looking_user_name_stays_text(seeded, tmp_path: Path) -> None:
    out = tmp_path / "who.xlsx"
    assert seeded.audit.export_xlsx(SYSTEM, AuditFilter(user=FORMULA), out) == 2
    ws = _sheet(out)
    for row in ws.iter_rows(min_row=2):
        who = row[1]
        assert who.data_type == "s"  # a string cell, not a formula ("f")
        assert who.value == "'" + FORMULA
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_export_follows_the_language(seeded, tmp_path: Path) -> None:
    i18n.install("es_ES")
    out = tmp_path / "es.xlsx"
    seeded.audit.export_xlsx(SYSTEM, AuditFilter(area="scorecards"), out)
    ws = _sheet(out)
    assert ws.cell(2, 5).value == "Calidad del servicio: 80 \u2192 85,5"
    assert "octubre de 2026" in ws.cell(2, 4).value


# --- the command line -----------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_audit_list_json(seeded, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", seeded.db_url, "--json", "audit", "list", "--area", "attendance", "--month", "2026-09")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["total"] == 1
    (entry,) = doc["entries"]
    assert set(entry) == {
        "id", "at", "user", "area", "action", "entity", "entity_id", "details",
        "area_text", "action_text", "record_text", "details_text",
    }  # fmt: skip
    assert (entry["user"], entry["action"], entry["area"]) == ("lead_li", "leave.approve", "attendance")
    assert entry["details"] == {"certificate": True, "status": ["pending", "approved"]}
    assert entry["details_text"] == ["Certificate: Yes", "Status: pending \u2192 approved"]


def test_cli_audit_list_table_and_limit(seeded, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", seeded.db_url, "audit", "list", "--by", "lead_li", "--limit", "2")
    assert code == 0, err
    assert "Entered a rating" in out and "leave.file" not in out and "Filed a leave request" not in out
    assert "The newest 2 of 3 entries" in out


def test_cli_audit_export(seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "cli.xlsx"
    code, out, err = run(capsys, "--db", seeded.db_url, "--json", "audit", "export", "--out", str(out_file), "--search", "hyperlink")
    assert code == 0, err
    assert json.loads(out) == {"file": str(out_file), "entries": 2}
    assert _sheet(out_file).max_row == 3


def test_cli_bad_month_is_a_usage_error(seeded, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", seeded.db_url, "audit", "list", "--month", "2026-13"])
    assert exc.value.code == 2
    capsys.readouterr()
