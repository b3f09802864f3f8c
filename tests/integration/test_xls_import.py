"""Legacy Excel 97–2003 workbooks (.xls), as punch clocks and HR systems export them (issue #13).

The fixtures are real .xls files written by tests/fixtures/make_xls.py: a ZKTeco report with title
rows above its header, an HR export whose people follow a notes sheet (also as PHPExcel writes it),
a damaged file and two password-protected ones. An .xls reads exactly as the same workbook saved
as .xlsx.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from csdesk.services.base import SYSTEM
from csdesk.services.import_preview import preview
from csdesk.services.imports.reader import FileRejected, TableChoice, reading_as
from csdesk.services.imports.sources import open_sheets
from tests.fixtures.make_xls import FORMATS, PEOPLE_SHEETS, PUNCH_SHEETS
from tests.helpers.factories import write_csv
from tests.integration.test_punch_formats import run_cli, stored

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def site(ctx, tmp_path: Path):
    """The agents the ZKTeco report names by enrol number."""
    people = "employee_no,name,team\n1001,张伟,一组\n1002,李娜,一组\n1003,María Núñez,二组\n"
    assert ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", people)).written == 3
    return ctx


def fixture(name: str, tmp_path: Path, as_name: str | None = None) -> Path:
    """A copy of the fixture ``name`` (under ``as_name``, to rename it)."""
    return Path(shutil.copy(FIXTURES / name, tmp_path / (as_name or name)))


def save_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """The fixture's content as an .xlsx: the same cells, number formats and error cells."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for cells in rows:
            ws.append(cells)
        for row in ws.iter_rows():
            for c in row:
                if type(c.value) in FORMATS:
                    c.number_format = FORMATS[type(c.value)]
    wb.save(path)
    return path


def texts(path: Path) -> list[tuple[str, list[list[str]]]]:
    with open_sheets(path) as sheets:
        return [(sheet.name, list(sheet.rows())) for sheet in sheets]


@pytest.mark.parametrize(
    ("name", "content"), [("zkteco_report.xls", PUNCH_SHEETS), ("hr_people.xls", PEOPLE_SHEETS)]
)
def test_an_xls_reads_as_the_same_workbook_saved_as_xlsx(
    tmp_path: Path, name: str, content: dict[str, list[list[object]]]
) -> None:
    read = texts(FIXTURES / name)
    assert read == texts(save_xlsx(tmp_path / "same.xlsx", content))
    cells = [cell for _sheet, rows in read for row in rows for cell in row]
    assert not any(cell.endswith(".0") for cell in cells)  # whole numbers as typed, "1001" not "1001.0"


def test_a_zkteco_xls_report_is_read_below_its_title_rows(site, tmp_path: Path) -> None:
    report = site.attendance.import_punches(SYSTEM, fixture("zkteco_report.xls", tmp_path, "考勤报表.xls"))
    assert [(p.row, p.field) for p in report.problems] == [(7, "employee_no"), (8, "time")]
    assert "9999" in report.problems[0].message
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:12", "1"),
        ("1001", "2026-11-02 18:03:05", "1"),
        ("1002", "2026-11-02 09:01:40", "2"),
    ]
    assert any("row 3" in note for note in report.notes)


def test_every_sheet_of_an_xls_is_offered_and_the_chosen_one_is_read(site, tmp_path: Path) -> None:
    path = fixture("zkteco_report.xls", tmp_path)
    shown = preview(SYSTEM, "punches", path)
    assert (shown.sheets, shown.sheet, shown.header_row) == (("原始记录", "刷卡记录"), "原始记录", 3)
    cards = preview(SYSTEM, "punches", path, sheet="刷卡记录")
    assert cards.header_row == 1  # below: a date cell and a time cell
    assert cards.rows[1] == (2, ("1003", "María Núñez", "2026-11-03", "08:30:00", "3"))
    with reading_as(cards.choice):
        report = site.attendance.import_punches(SYSTEM, path)
    assert report.problems == []
    assert stored(site) == [("1003", "2026-11-03 08:30:00", "3"), ("1003", "2026-11-03 17:45:30", "3")]


@pytest.mark.parametrize(
    ("name", "as_name"),
    [
        ("hr_people.xls", "员工信息.xls"),
        ("hr_people.xls", "员工信息.csv"),  # read by its content, whatever its name
        ("hr_people_phpexcel.xls", "员工信息.xls"),  # as a web HR system writes it: Excel opens it
    ],
)
def test_an_hr_xls_is_read_on_the_people_sheet_after_its_notes(
    ctx, tmp_path: Path, name: str, as_name: str
) -> None:
    report = ctx.people.import_file(SYSTEM, fixture(name, tmp_path, as_name))
    assert report.written == 2
    assert [(p.row, p.field) for p in report.problems] == [(4, "join_date")]
    assert "45.5" in report.problems[0].message
    chen = ctx.people.get(SYSTEM, "2001")
    assert (chen.name, chen.team, chen.level) == ("陈静", "客服二组", "junior")
    assert (chen.join_date, chen.birthday, chen.phone) == (date(2024, 3, 5), date(1996, 7, 8), "13800000001")
    begona = ctx.people.get(SYSTEM, "2002")
    assert (begona.name, begona.join_date, begona.birthday) == ("Begoña Ibáñez", date(2023, 11, 20), None)
    assert begona.phone == "600123456"


def test_the_chosen_sheet_and_header_row_of_an_xls_are_read(ctx, tmp_path: Path) -> None:
    path = fixture("hr_people.xls", tmp_path)
    with reading_as(TableChoice("填写说明", 1)), pytest.raises(FileRejected, match="required column missing"):
        ctx.people.import_file(SYSTEM, path)
    with reading_as(TableChoice("人员", 1)):
        assert ctx.people.import_file(SYSTEM, path).written == 2


def test_a_damaged_xls_is_refused_by_its_name_and_nothing_is_written(site, tmp_path: Path, capsys) -> None:
    path = fixture("damaged.xls", tmp_path, "考勤记录.xls")
    with pytest.raises(FileRejected) as refused:
        site.attendance.import_punches(SYSTEM, path)
    message = refused.value.message()
    assert "考勤记录.xls" in message and "damaged" in message and ".xlsx" in message
    code, out, err = run_cli(capsys, "--db", site.db_url, "--json", "import", "punches", str(path))
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["file"] == str(path) and "考勤记录.xls" in doc["error"]
    assert "Traceback" not in err and stored(site) == []
    with pytest.raises(FileRejected, match="damaged"):
        site.people.import_file(SYSTEM, path)
    assert site.people.count() == 3


@pytest.mark.parametrize(("name", "as_name"), [("password.xls", "工资表.xls"), ("password.xlsx", "工资表.xlsx")])
def test_a_password_protected_workbook_is_refused_with_what_to_do(
    ctx, tmp_path: Path, name: str, as_name: str
) -> None:
    path = fixture(name, tmp_path, as_name)
    with pytest.raises(FileRejected) as refused:
        ctx.people.import_file(SYSTEM, path)
    message = refused.value.message()
    assert as_name in message and "password" in message and "damaged" not in message
    assert ctx.people.count() == 0
