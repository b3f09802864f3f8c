"""People are found by what the punch file carries (issue #13): ``device_id``, the clock's enrol
number or the attendance app's user id, in the migration, the people file, the form, the punch
import and what a team lead sees; and every import warns of rows in months with no roster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from csdesk.cli import main
from csdesk.errors import ValidationError
from csdesk.models.base import schema_heads
from csdesk.models.db import MIGRATIONS_DIR, current_revisions, make_engine, open_database, resolve_url, uow_factory
from csdesk.models.domain import PersonData
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.dialogs.person import PersonDialog
from tests.helpers.factories import write_csv

SUPERVISOR = Actor("supervisor", "supervisor")

# Employee numbers as HR writes them; the clock knows people by small enrol numbers, DingTalk by user ids.
PEOPLE = (
    "工号,姓名,班组,角色,考勤号码\n"
    "A001,张伟,一组,agent,1\n"
    "A002,李娜,一组,agent,2\n"
    "A003,María Núñez,二组,agent,15\n"
    "A004,王芳,一组,agent,manager4711\n"
    "A005,王芳,二组,agent,\n"
    "L001,陈静,一组,team_lead,90\n"
)


@pytest.fixture
def site(ctx, tmp_path: Path):
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", PEOPLE))
    assert (report.written, report.problems) == (6, [])
    return ctx


def device_ids(ctx) -> dict[str, str | None]:
    return {p.employee_no: p.device_id for p in ctx.people.people(SYSTEM, include_inactive=True)}


def stored_punches(ctx) -> list[tuple[str, str]]:
    """(employee_no, "YYYY-MM-DD HH:MM:SS") of every stored punch, in order."""
    engine = make_engine(ctx.db_url)
    try:
        with engine.connect() as con:
            rows = con.execute(text("SELECT p.employee_no, u.at FROM punches u JOIN people p ON p.id = u.person_id")).all()
    finally:
        engine.dispose()
    return sorted((no, str(at)[:19]) for no, at in rows)


def problems(report) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.problems]


def attlog(path: Path, *rows: tuple[str, str]) -> Path:
    """A ZKTeco ``attlog.dat``: no header, PIN right-aligned, date and time, verify/state/work code."""
    lines = [f"{pin:>9}\t{at}\t1\t0\t1\t0" for pin, at in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    return path


# --- the migration -------------------------------------------------------------------------


def _alembic(conn):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


@pytest.mark.both_engines
def test_the_migration_adds_device_id_to_the_people_already_there(db_url: str) -> None:
    from alembic import command

    url = resolve_url(db_url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # the database as 0013 left it (PostgreSQL's template is at the head)
            if current_revisions(engine):
                command.downgrade(_alembic(conn), "0013_record_versions")
            else:
                command.upgrade(_alembic(conn), "0013_record_versions")
        assert current_revisions(engine) == {"0013_record_versions"}
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO teams (name, active) VALUES ('一组', :t)"), {"t": True})
            team = conn.execute(text("SELECT id FROM teams")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO people (employee_no, name, team_id, role, level, phone, active) "
                    "VALUES (:no, :name, :team, 'agent', 'junior', :phone, :t)"
                ),
                [
                    {"no": "A001", "name": "张伟", "team": team, "phone": "13800000001", "t": True},
                    {"no": "A002", "name": "María Núñez", "team": team, "phone": None, "t": True},
                ],
            )
            conn.execute(text("UPDATE people SET phone = '600123456' WHERE employee_no = 'A002'"))  # version 2

        open_database(url)  # opening migrates to the head
        assert current_revisions(engine) == schema_heads()
        uow = uow_factory(open_database(url))
        with uow() as w:
            people = {p.employee_no: p for p in w.people.list(include_inactive=True)}
            assert {no: (p.name, p.team, p.phone, p.device_id, p.version) for no, p in people.items()} == {
                "A001": ("张伟", "一组", "13800000001", None, 1),
                "A002": ("María Núñez", "一组", "600123456", None, 2),
            }
            w.people.update(PersonData("A001", "张伟", "一组", "agent", "junior", phone="13800000001", device_id="7"), team)
            w.commit()
        with uow() as w:
            person = w.people.get("A001")
            assert person is not None and (person.device_id, person.version) == ("7", 2)  # the version trigger still counts
        with engine.begin() as conn:  # unique when set; any number of people without one
            conn.execute(text("INSERT INTO people (employee_no, name, role, active) VALUES ('A003', 'Sin reloj', 'agent', :t)"), {"t": True})
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE people SET device_id = '7' WHERE employee_no = 'A002'"))

        with engine.begin() as conn:  # and back: the column goes, the people and their versions stay
            command.downgrade(_alembic(conn), "0013_record_versions")
        with engine.begin() as conn:
            conn.execute(text("UPDATE people SET name = 'Zhang Wei' WHERE employee_no = 'A001'"))
            rows = conn.execute(text("SELECT employee_no, version FROM people ORDER BY employee_no")).all()
        assert [tuple(r) for r in rows] == [("A001", 3), ("A002", 2), ("A003", 1)]
    finally:
        engine.dispose()


# --- the people file and the form ------------------------------------------------------------


@pytest.mark.parametrize("header", ["device_id", "考勤号码", "登记号码", "userid", "UserId", "enrol number", "EnNo"])
def test_the_people_file_carries_the_device_id_under_each_of_its_names(ctx, tmp_path: Path, header: str) -> None:
    path = write_csv(tmp_path / "people.csv", f"employee_no,name,team,{header}\nA001,张伟,一组,1001\nA002,李娜,一组,\n")
    report = ctx.people.import_file(SYSTEM, path)
    assert (report.written, report.problems) == (2, [])
    assert device_ids(ctx) == {"A001": "1001", "A002": None}


def test_a_device_id_two_people_share_is_a_bad_row_naming_the_value(site, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "more.csv",
        "employee_no,name,team,device_id\n"
        "A006,刘洋,一组,15\n"  # María Núñez's (A003)
        "A007,Óscar Peña,二组,777\n"
        "A008,Begoña Ibáñez,二组,777\n"  # the row above took it
        "A009,周杰,一组,００１\n"  # full-width and padded: the clock's 1, 张伟's
        "A010,赵敏,一组,A002\n"  # another person's employee number: punches naming it would go to 李娜
        "A011,孙丽,一组,has space\n",
    )
    report = site.people.import_file(SYSTEM, path)
    assert report.written == 1 and report.exit_code == 3
    assert problems(report) == [(2, "device_id"), (4, "device_id"), (5, "device_id"), (6, "device_id"), (7, "device_id")]
    messages = [p.message for p in report.problems]
    assert "'15'" in messages[0] and "María Núñez (A003)" in messages[0]
    assert "'777'" in messages[1] and "Óscar Peña (A007)" in messages[1]
    assert "'001'" in messages[2] and "张伟 (A001)" in messages[2]
    assert "'A002'" in messages[3] and "employee number of 李娜 (A002)" in messages[3]
    assert "'has space'" in messages[4]
    assert device_ids(site)["A007"] == "777"


def test_an_employee_number_that_is_another_s_device_id_is_refused(site, tmp_path: Path) -> None:
    report = site.people.import_file(SYSTEM, write_csv(tmp_path / "p.csv", "employee_no,name,team\n90,Nuevo,二组\n"))
    assert problems(report) == [(2, "employee_no")]
    assert "'90'" in report.problems[0].message and "陈静 (L001)" in report.problems[0].message


def test_a_people_file_without_the_column_keeps_the_device_ids_and_one_with_it_moves_them(site, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hr.csv", "employee_no,name,team,role\nA001,张伟,一组,agent\nA002,李娜,二组,agent\n")
    report = site.people.import_file(SYSTEM, path)
    assert (report.updated, report.problems) == (1, [])  # 李娜 moved team; nobody lost their device id
    assert device_ids(site)["A001"] == "1" and device_ids(site)["A002"] == "2"
    # 李娜 cannot take 张伟's 1 before his row gives it up
    path = write_csv(tmp_path / "take.csv", "employee_no,name,team,device_id\nA002,李娜,二组,1\nA001,张伟,一组,\n")
    report = site.people.import_file(SYSTEM, path)
    assert (report.updated, problems(report)) == (1, [(2, "device_id")])  # 张伟's id was cleared all the same
    assert "张伟 (A001)" in report.problems[0].message
    assert (device_ids(site)["A001"], device_ids(site)["A002"]) == (None, "2")
    # 张伟 gives up 101 in an earlier row than 李娜 takes it; a cleared cell clears it
    back = write_csv(tmp_path / "back.csv", "employee_no,name,team,device_id\nA001,张伟,一组,101\n")
    site.people.import_file(SYSTEM, back)
    path = write_csv(tmp_path / "swap.csv", "employee_no,name,team,device_id\nA001,张伟,一组,\nA002,李娜,二组,101\n")
    report = site.people.import_file(SYSTEM, path)
    assert (report.updated, report.problems) == (2, [])
    assert (device_ids(site)["A001"], device_ids(site)["A002"]) == (None, "101")


def test_the_form_refuses_a_device_id_someone_else_has(site) -> None:
    with pytest.raises(ValidationError) as caught:
        site.people.add(SUPERVISOR, PersonData("A100", "Nuevo", "一组", device_id="manager4711"))
    assert caught.value.field == "device_id" and "王芳 (A004)" in caught.value.message()
    person = site.people.update(SUPERVISOR, PersonData("A004", "王芳", "一组", "agent", "junior", device_id=" manager4711 "))
    assert person.device_id == "manager4711"  # one's own id again is no clash (and spaces around are trimmed)


def test_the_person_dialog_shows_and_saves_the_device_id(qtbot, site) -> None:
    person = site.people.get(SUPERVISOR, "A003")
    dialog = PersonDialog(site.people, actor=SUPERVISOR, teams=["一组", "二组"], person=person)
    qtbot.addWidget(dialog)
    assert dialog.device_id.text() == "15"
    dialog.device_id.clear()
    qtbot.keyClicks(dialog.device_id, "00015")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.error.text() == ""
    assert site.people.get(SUPERVISOR, "A003").device_id == "00015"

    new = PersonDialog(site.people, actor=SUPERVISOR, teams=["一组", "二组"])
    qtbot.addWidget(new)
    qtbot.keyClicks(new.employee_no, "A100")
    qtbot.keyClicks(new.name, "Nuevo")
    qtbot.keyClicks(new.device_id, "2")  # 李娜's
    qtbot.mouseClick(new.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert new.saved is None and "李娜 (A002)" in new.error.text()
    assert "b00020" in new.device_id.styleSheet()  # the field is marked
    new.device_id.clear()
    qtbot.keyClicks(new.device_id, "dingtalk-100")
    qtbot.mouseClick(new.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert new.saved is not None and site.people.get(SUPERVISOR, "A100").device_id == "dingtalk-100"


def test_a_team_lead_does_not_see_device_ids_but_their_own(site) -> None:
    lead = Actor("lead1", "team_lead", site.people.get(SYSTEM, "L001").id)
    seen = {p.employee_no: p.device_id for p in site.people.people(lead)}
    assert seen == {"A001": None, "A002": None, "A004": None, "L001": "90"}
    assert site.people.get(lead, "A001").device_id is None
    assert site.people.get(SUPERVISOR, "A001").device_id == "1"


# --- the punch import ------------------------------------------------------------------------


def test_an_attlog_whose_pins_are_device_ids_imports_onto_the_right_people(site, tmp_path: Path) -> None:
    path = attlog(
        tmp_path / "1_attlog.dat",
        ("1", "2026-11-02 08:55:12"),
        ("15", "2026-11-02 09:01:40"),
        ("0002", "2026-11-02 09:03:00"),  # padded: 李娜's 2
        ("99", "2026-11-02 18:00:00"),  # nobody's
        ("1", "2026-11-02 18:03:05"),
    )
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(4, "employee_no")] and "99" in report.problems[0].message
    assert stored_punches(site) == [
        ("A001", "2026-11-02 08:55:12"),
        ("A001", "2026-11-02 18:03:05"),
        ("A002", "2026-11-02 09:03:00"),
        ("A003", "2026-11-02 09:01:40"),
    ]


def test_employee_numbers_then_app_user_ids_then_unique_names(site, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dingtalk.csv",
        "UserId,姓名,打卡时间\n"
        "A001,张伟,2026-11-02 08:50\n"  # an employee number in the id column
        "manager4711,王芳,2026-11-02 08:51\n"  # a DingTalk user id: A004, although two are called 王芳
        ",李娜,2026-11-02 08:52\n"  # no id: the name, unique among active people
        "unknown-id,María Núñez,2026-11-02 08:53\n"  # an id nobody has: the name still finds her
        ",王芳,2026-11-02 08:54\n"  # two active people are called 王芳
        "ghost,Nadie,2026-11-02 08:55\n",  # neither the id nor the name
    )
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(6, "name"), (7, "employee_no")]
    assert "王芳" in report.problems[0].message
    assert "ghost" in report.problems[1].message and "Nadie" in report.problems[1].message
    assert stored_punches(site) == [
        ("A001", "2026-11-02 08:50:00"),
        ("A002", "2026-11-02 08:52:00"),
        ("A003", "2026-11-02 08:53:00"),
        ("A004", "2026-11-02 08:51:00"),
    ]


def test_an_empty_or_unknown_employee_number_falls_back_to_the_user_id_column(site, tmp_path: Path) -> None:
    # DingTalk 原始记录: title rows, then 工号 (often empty: HR never filled it in) and UserId. The
    # punch times repeat, as in a real file, so that rows after the first are taken the quick way.
    path = write_csv(
        tmp_path / "原始记录.csv",
        "原始记录 统计日期：2026-11-02 至 2026-11-02\n"
        "报表生成时间：2026-11-03 09:12\n"
        "姓名,考勤组,部门,工号,职位,UserId,考勤日期,考勤时间,打卡时间,打卡结果\n"
        "Somebody,客服,一组,,客服,1,26-11-02 星期一,08:30,08:50,正常\n"  # 张伟's user id; the name is nobody's
        "王芳,客服,一组,,客服,manager4711,26-11-02 星期一,08:30,08:50,正常\n"  # A004, although two are 王芳
        "李娜,客服,一组,A002,客服,manager4711,26-11-02 星期一,08:30,08:50,正常\n"  # the employee number first
        "María Núñez,客服,二组,HR-0042,客服,15,26-11-02 星期一,08:30,08:50,正常\n"  # a number csdesk lacks
        "Nadie,客服,一组,,客服,ghost,26-11-02 星期一,08:30,08:50,正常\n"  # neither the id nor the name
        "Nadie,客服,一组,E-77,客服,ghost,26-11-02 星期一,08:30,08:50,正常\n"
        "Otro,客服,一组,,客服,０００１,26-11-02 星期一,17:30,18:01,正常\n"  # full-width, zero-padded: 1
        "李娜,客服,一组,,客服,,26-11-02 星期一,17:30,18:01,正常\n"  # no id at all: the one active 李娜
        "Alguien,客服,一组,,客服,A003,26-11-02 星期一,17:30,18:01,正常\n",  # a UserId that is an employee number
    )
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(8, "employee_no"), (9, "employee_no")]
    assert report.problems[0].message == (
        "No person has the employee number or device id ghost, and no active person is named Nadie"
    )
    assert "E-77 / ghost" in report.problems[1].message  # every id the row carried
    assert stored_punches(site) == [
        ("A001", "2026-11-02 08:50:00"),
        ("A001", "2026-11-02 18:01:00"),
        ("A002", "2026-11-02 08:50:00"),
        ("A002", "2026-11-02 18:01:00"),
        ("A003", "2026-11-02 08:50:00"),
        ("A003", "2026-11-02 18:01:00"),
        ("A004", "2026-11-02 08:50:00"),
    ]


def test_a_name_is_matched_only_among_active_people(site, tmp_path: Path) -> None:
    site.people.set_active(SUPERVISOR, "A005", False)  # one 王芳 left: the other is the only one now
    site.people.set_active(SUPERVISOR, "A002", False)
    path = write_csv(tmp_path / "names.csv", "姓名,打卡时间\n王芳,2026-11-02 08:54\n李娜,2026-11-02 08:55\n")
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(3, "name")] and "李娜" in report.problems[0].message
    assert stored_punches(site) == [("A004", "2026-11-02 08:54:00")]
    # the id of someone who left still finds them: their punches before leaving count
    report = site.attendance.import_punches(SYSTEM, attlog(tmp_path / "1_attlog.dat", ("2", "2026-10-30 08:55:00")))
    assert report.problems == [] and ("A002", "2026-10-30 08:55:00") in stored_punches(site)


# --- months with no roster ------------------------------------------------------------------


def _roster(ctx, tmp_path: Path, *days: str) -> None:
    rows = "".join(f"A001,{day},D\n" for day in days)
    report = ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", "employee_no,date,shift\n" + rows))
    assert report.problems == []


def test_punches_in_a_month_with_no_roster_are_warned_of(site, tmp_path: Path) -> None:
    _roster(site, tmp_path, "2026-11-02")
    path = write_csv(
        tmp_path / "p.csv",
        "工号,打卡时间\nA001,2026-11-02 08:55\nA002,2026-11-02 08:56\nA001,2026-02-11 08:55\nA001,2026-02-11 18:01\n"
        "A002,2026-03-11 08:55\n",
    )
    report = site.attendance.import_punches(SYSTEM, path)
    assert report.written == 5 and report.exit_code == 0  # a warning refuses nothing
    assert [(w["code"], w["month"], w["count"]) for w in report.warnings] == [("NO_ROSTER", "2026-02", 2), ("NO_ROSTER", "2026-03", 1)]
    assert "2 punches fall in 2026-02, which has no roster." in report.notes
    assert "1 punch falls in 2026-03, which has no roster." in report.notes
    assert (report.first_date.isoformat(), report.last_date.isoformat()) == ("2026-02-11", "2026-11-02")
    assert "Punches dated 2026-02-11 to 2026-11-02." in report.notes


def test_a_rostered_month_is_not_warned_of_whoever_punched(site, tmp_path: Path) -> None:
    _roster(site, tmp_path, "2026-11-20")  # only 张伟 is rostered, later in the month
    path = write_csv(tmp_path / "p.csv", "工号,打卡时间\nA002,2026-11-02 08:56\nA001,2026-11-03 08:55\n")
    report = site.attendance.import_punches(SYSTEM, path)
    assert report.warnings == [] and not any("no roster" in note for note in report.notes)


def test_cli_json_lists_the_no_roster_warnings_beside_the_keys_it_had(site, tmp_path: Path, capsys) -> None:
    path = attlog(tmp_path / "1_attlog.dat", ("1", "2026-02-11 08:55:00"), ("2", "2026-02-11 09:00:00"), ("99", "2026-02-11 09:01:00"))
    code = main(["--db", site.db_url, "--json", "import", "punches", str(path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 3
    assert {"ok", "file", "kind", "rows", "written", "updated", "duplicates", "rejected", "skipped", "date_from", "date_to",
            "errors", "notes", "cancelled"} <= set(doc)  # fmt: skip
    assert (doc["written"], doc["rejected"], doc["date_from"], doc["date_to"]) == (2, 1, "2026-02-11", "2026-02-11")
    assert doc["warnings"] == [
        {"code": "NO_ROSTER", "month": "2026-02", "count": 2, "message": "2 punches fall in 2026-02, which has no roster."}
    ]
    assert doc["warnings"][0]["message"] in doc["notes"]
    code = main(["--db", site.db_url, "import", "punches", str(path)])  # the human output shows it with the notes
    assert code == 3 and "2 punches fall in 2026-02, which has no roster." in capsys.readouterr().out


def test_the_leave_import_reports_its_date_range_and_months_with_no_roster(site, tmp_path: Path, capsys) -> None:
    _roster(site, tmp_path, "2026-11-02")
    path = write_csv(
        tmp_path / "leave.csv",
        "employee_no,type,start,end,status\nA001,SICK,2026-11-02,2026-11-02,approved\nA002,ANNUAL,2026-12-30,2027-01-02,pending\n",
    )
    code = main(["--db", site.db_url, "--json", "import", "leave", str(path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["written"] == 2
    assert (doc["date_from"], doc["date_to"]) == ("2026-11-02", "2027-01-02")
    assert "Leave dated 2026-11-02 to 2027-01-02." in doc["notes"]
    assert [(w["code"], w["month"], w["count"]) for w in doc["warnings"]] == [("NO_ROSTER", "2026-12", 1), ("NO_ROSTER", "2027-01", 1)]
    assert doc["warnings"][0]["message"] == "1 leave request falls in 2026-12, which has no roster."
