"""Importing people and roster files: encodings, aliases, bad rows, re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from csdesk.errors import PermissionDenied
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.imports.reader import FileRejected
from tests.helpers.factories import write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


GOOD_AND_BAD = """employee_no,name,team,role,level,join_date,birthday,gender,phone
A001,张伟,客服一组,agent,junior,2025-03-01,1995-04-02,男,13800000001
A002,María Núñez,Equipo Sur,agent,senior,2024/01/15,1990-12-31,F,600123456
A003,李娜,客服一组,agent,junior,2025-13-01,,F,
A002,Duplicated,Equipo Sur,agent,,,,,
A004,,客服一组,agent,,,,,
A005,王芳,客服二组,chef,,,,,
A006,Óscar Peña,Equipo Sur,team_lead,,2023-05-05,,M,
"""


def test_people_import_keeps_good_rows_and_names_bad_ones(ctx, tmp_path: Path) -> None:
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", GOOD_AND_BAD))
    assert report.written == 3
    assert report.exit_code == 3
    problems = {(p.row, p.field) for p in report.problems}
    assert problems == {(4, "join_date"), (5, "employee_no"), (6, "name"), (7, "role")}
    assert any("客服一组" in note for note in report.notes)
    assert any("Equipo Sur" in note for note in report.notes)
    people = {p.employee_no: p for p in ctx.people.people(SYSTEM)}
    assert people["A002"].name == "María Núñez"
    assert people["A001"].gender == "M"
    assert people["A006"].role == "team_lead"


def test_reimporting_the_same_file_changes_nothing(ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", GOOD_AND_BAD)
    ctx.people.import_file(SYSTEM, path)
    again = ctx.people.import_file(SYSTEM, path)
    assert (again.written, again.updated, again.duplicates) == (0, 0, 3)


def test_gbk_file_with_chinese_headers_is_read(ctx, tmp_path: Path) -> None:
    text = "工号,姓名,班组,入职日期\nB001,陈静,客服二组,2024年3月5日\nB002,刘洋,客服二组,2024-03-06\n"
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "gbk.csv", text, "gbk"))
    assert (report.written, report.problems) == (2, [])
    assert ctx.people.get(SYSTEM, "B001").name == "陈静"


def test_utf8_bom_and_semicolons_are_read(ctx, tmp_path: Path) -> None:
    text = "\ufeffEmployee_No;Name;Team\nC001;Begoña Ibáñez;Equipo Sur\n"
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "bom.csv", text))
    assert report.written == 1
    assert ctx.people.get(SYSTEM, "C001").name == "Begoña Ibáñez"


def test_xlsx_first_sheet_is_read(ctx, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "班组", "入职日期"])
    ws.append(["X001", "赵敏", "客服一组", datetime(2025, 1, 2)])
    ws.append(["X002", "Raúl", "", None])
    path = tmp_path / "people.xlsx"
    wb.save(path)
    report = ctx.people.import_file(SYSTEM, path)
    assert report.written == 1
    assert [(p.row, p.field) for p in report.problems] == [(3, "team")]
    assert str(ctx.people.get(SYSTEM, "X001").join_date) == "2025-01-02"


def test_missing_required_column_rejects_the_file(ctx, tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match="team"):
        ctx.people.import_file(SYSTEM, write_csv(tmp_path / "p.csv", "employee_no,name\nA1,x\n"))
    assert ctx.people.count() == 0


def test_undecodable_bytes_reject_the_file(ctx, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x00\x81\xff\xfe" * 50)
    with pytest.raises(FileRejected):
        ctx.people.import_file(SYSTEM, path)


def test_only_the_supervisor_imports(ctx, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        ctx.people.import_file(Actor("lead", "team_lead"), write_csv(tmp_path / "p.csv", GOOD_AND_BAD))


def test_roster_import_rejects_unknown_people_shifts_and_dates(demo_ctx, tmp_path: Path) -> None:
    text = "employee_no,date,shift\nA001,2026-11-02,D\nA001,2026-11-03,E\nZZZ,2026-11-02,D\nA002,2026-11-31,D\nA002,2026-11-02,Q\nA001,2026-11-02,E\n"
    report = demo_ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", text))
    assert {(p.row, p.field) for p in report.problems} == {(4, "employee_no"), (5, "date"), (6, "shift"), (7, "date")}
    month = {(e.employee_no, e.day.isoformat()): e.shift_code for e in demo_ctx.roster.month(SYSTEM, 2026, 11)}
    assert month[("A001", "2026-11-02")] == "D"
    assert month[("A001", "2026-11-03")] == "E"
    again = demo_ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", text))
    assert (again.written, again.updated, again.duplicates) == (0, 0, 2)


def test_changes_are_audited(ctx, tmp_path: Path) -> None:
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", GOOD_AND_BAD))
    actions = [e.action for e in ctx.audit.recent(SYSTEM)]
    assert "import.people" in actions
    assert "team.create" in actions
