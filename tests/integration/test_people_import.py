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


# --- a file that carries only some columns -------------------------------------------------

FULL = (
    "工号,姓名,班组,角色,级别,入职日期,生日,性别,电话,考勤号码\n"
    "A001,周艳,客服一组,agent,junior,2025-10-25,1993-08-28,女,13914633978,77\n"
    "A010,Martina Rodríguez López,Equipo Sur,agent,trainee,2026-10-01,1978-10-06,F,612345678,\n"
)


def _stored(ctx, no: str) -> tuple:
    p = ctx.people.get(SYSTEM, no)
    return (p.name, p.team, p.role, p.level, str(p.join_date), str(p.birthday), p.gender, p.phone, p.device_id)


def test_a_file_of_some_columns_changes_only_those_and_audits_only_them(ctx, tmp_path: Path) -> None:
    assert ctx.people.import_file(SYSTEM, write_csv(tmp_path / "full.csv", FULL)).written == 2
    before_levels = ctx.people.level_history(SYSTEM, "A001").changes
    path = write_csv(
        tmp_path / "ids.csv",
        "工号,姓名,班组,考勤号码\nA001,周艳,客服一组,1001\nA002,新人,客服二组,1002\n",  # A002 is new
    )
    report = ctx.people.import_file(SYSTEM, path)
    assert (report.written, report.updated, report.problems) == (1, 1, [])
    assert _stored(ctx, "A001") == (
        "周艳", "客服一组", "agent", "junior", "2025-10-25", "1993-08-28", "F", "13914633978", "1001",
    )  # fmt: skip
    assert ctx.people.level_history(SYSTEM, "A001").changes == before_levels  # no demotion to trainee
    new = ctx.people.get(SYSTEM, "A002")  # a new person from the same file: the defaults
    assert (new.role, new.level, new.join_date, new.device_id) == ("agent", "trainee", None, "1002")
    updates = [e for e in ctx.audit.recent(SYSTEM) if e.entity_id == "A001" and e.action.startswith("person.")]
    assert [(e.action, e.details) for e in updates if e.action != "person.create"] == [
        ("person.update", {"device_id": ["77", "1001"]})
    ]


def test_a_file_of_only_the_required_columns_changes_no_other_field(ctx, tmp_path: Path) -> None:
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "full.csv", FULL + "L001,Óscar Peña,Equipo Sur,team_lead,,,,M,,\n"))
    path = write_csv(
        tmp_path / "teams.csv",
        "employee_no,name,team\nA001,周艳,客服二组\nA010,Martina Rodríguez López,Equipo Sur\nL001,Óscar Peña,客服二组\n",
    )
    report = ctx.people.import_file(SYSTEM, path)
    assert (report.updated, report.duplicates, report.problems) == (2, 1, [])
    assert _stored(ctx, "L001")[1:] == ("客服二组", "team_lead", None, "None", "None", "M", None, None)  # no agent now
    assert _stored(ctx, "A001") == (
        "周艳", "客服二组", "agent", "junior", "2025-10-25", "1993-08-28", "F", "13914633978", "77",
    )  # fmt: skip
    assert _stored(ctx, "A010")[2:] == ("agent", "trainee", "2026-10-01", "1978-10-06", "F", "612345678", None)


def test_an_empty_cell_of_a_column_the_file_has_is_a_value_none(ctx, tmp_path: Path) -> None:
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "full.csv", FULL))
    header = "工号,姓名,班组,角色,级别,入职日期,生日,性别,电话,考勤号码\n"
    blanks = write_csv(tmp_path / "blanks.csv", header + "A001,周艳,客服一组,,,,,,,\n")
    report = ctx.people.import_file(SYSTEM, blanks)
    assert (report.updated, report.duplicates, report.problems) == (1, 0, [])
    # cleared; role and level, which a person always has, kept (blank levels demote nobody)
    assert _stored(ctx, "A001") == ("周艳", "客服一组", "agent", "junior", "None", "None", None, None, None)
    assert ctx.people.level_history(SYSTEM, "A001").changes[-1].level == "junior"
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "lead.csv", header + "L001,王芳,客服一组,team_lead,,,,,,\n"))
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "blank.csv", header + "L001,王芳,客服一组,,,,,,,\n"))
    assert _stored(ctx, "L001")[2] == "team_lead"  # an empty role cell makes no lead an agent
    # the columns a file has are read, empty or not; the ones it lacks are not
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "full.csv", FULL))
    phone = write_csv(tmp_path / "phone.csv", "工号,姓名,班组,电话,生日\nA001,周艳,客服一组,13900000000,\n")
    assert ctx.people.import_file(SYSTEM, phone).updated == 1
    assert _stored(ctx, "A001")[3:] == ("junior", "2025-10-25", "None", "F", "13900000000", "77")


def test_a_file_without_a_join_date_column_is_not_refused_for_a_locked_month(ctx, tmp_path: Path) -> None:
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "full.csv", FULL))
    ctx.scorecards.months.lock_month(SYSTEM, "2026-09")  # before A010 joined (2026-10-01)
    path = write_csv(tmp_path / "ids.csv", "工号,姓名,班组,考勤号码\nA010,Martina Rodríguez López,Equipo Sur,1010\n")
    report = ctx.people.import_file(SYSTEM, path)
    assert (report.updated, report.problems) == (1, [])
    assert _stored(ctx, "A010")[4:] == ("2026-10-01", "1978-10-06", "F", "612345678", "1010")
