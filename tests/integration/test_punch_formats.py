"""Punch files as real sites export them (issue #13): each format imports as it comes.

Every fixture is built here in the shape of the real export: its encoding and BOM, line ends,
title rows, padding, sheets and cell types. Punches are checked as stored in the database.
"""

from __future__ import annotations

import json
import os
import time as time_module
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from csdesk import i18n
from csdesk.cli import main
from csdesk.models.db import make_engine
from csdesk.services.base import SYSTEM
from csdesk.services.imports.reader import FileRejected
from tests.helpers.factories import write_csv

PEOPLE = (
    "employee_no,name,team,level\n"
    "1001,张伟,一组,junior\n"
    "1002,李娜,一组,junior\n"
    "1003,María Núñez,二组,junior\n"
    "1004,José García,二组,senior\n"
    "1005,王芳,一组,junior\n"
    "1006,王芳,二组,junior\n"
)


@pytest.fixture
def site(ctx, tmp_path: Path):
    """Six agents with numeric employee numbers (as a punch clock's enrol numbers are); two are called 王芳."""
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", PEOPLE))
    assert report.written == 6, report.problems
    return ctx


def stored(ctx) -> list[tuple[str, str, str | None]]:
    """(employee_no, "YYYY-MM-DD HH:MM:SS", device) of every stored punch, in order."""
    engine = make_engine(ctx.db_url)
    try:
        with engine.connect() as con:
            rows = con.execute(
                text("SELECT p.employee_no, u.at, u.device FROM punches u JOIN people p ON p.id = u.person_id")
            ).all()
    finally:
        engine.dispose()
    return sorted((no, str(at)[:19], device) for no, at, device in rows)


def problems(report) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.problems]


def save_xlsx(path: Path, sheets: dict[str, list[list[object]]], formats: dict[str, str] | None = None) -> Path:
    """A workbook with the given sheets in order; cells keep their Python types (datetime → date cell)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for cells in rows:
            ws.append(cells)
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, datetime):
                    c.number_format = (formats or {}).get(title, "yyyy/m/d h:mm:ss")
    wb.save(path)
    return path


def serial(moment: datetime) -> float:
    """The Excel serial number of ``moment``."""
    return (moment - datetime(1899, 12, 30)).total_seconds() / 86_400


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- ZKTeco --------------------------------------------------------------------------------


def test_zkteco_attlog_dat_headerless_with_right_aligned_pins(site, tmp_path: Path) -> None:
    lines = [
        "     1001\t2026-11-02 08:55:12\t1\t0\t1\t0",
        "     1002\t2026-11-02 09:01:40\t1\t0\t1\t0",
        "     1001\t2026-11-02 18:03:05\t1\t1\t1\t0",
        "     9999\t2026-11-02 18:04:00\t1\t1\t1\t0",  # an enrol number nobody has
        "     1002\t2026-11-03 18:10:59\t15\t1\t0\t0",
    ]
    path = tmp_path / "1_attlog.dat"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(4, "employee_no")] and "9999" in report.problems[0].message
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:12", "1"),
        ("1001", "2026-11-02 18:03:05", "1"),
        ("1002", "2026-11-02 09:01:40", "1"),
        ("1002", "2026-11-03 18:10:59", "1"),
    ]
    assert (report.first_date.isoformat(), report.last_date.isoformat()) == ("2026-11-02", "2026-11-03")
    assert any("without a header" in note for note in report.notes)


def test_zkteco_agl_txt_utf16_with_bom_and_zero_padded_enrol_numbers(site, tmp_path: Path) -> None:
    header = "No\tTMNo\tEnNo\tName\tGMNo\tMode\tIn/Out\tAntipass\tProxyWork\tDateTime"
    rows = [
        "1\t1\t00001001\t张伟\t1\t1\tDutyOn\t0\t0\t2026/11/02  08:55:12",
        "2\t1\t00001003\tMaría Núñez\t1\t1\tDutyOn\t0\t0\t2026/11/02  09:12:00",
        "3\t2\t00001001\t张伟\t1\t1\tDutyOff\t0\t0\t2026/11/02  18:00:31",
        "4\t2\t00001001\t张伟\t1\t1\tDutyOff\t0\t0\t2026/11/02  18:00:31",  # the clock's repeat
    ]
    path = tmp_path / "AGL_001.TXT"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("utf-16"))  # UTF-16 with its BOM
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    report = site.attendance.import_punches(SYSTEM, path)
    assert report.problems == []
    assert (report.rows, report.written, report.duplicates) == (4, 3, 1)
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:12", "1"),
        ("1001", "2026-11-02 18:00:31", "2"),
        ("1003", "2026-11-02 09:12:00", "1"),
    ]
    again = site.attendance.import_punches(SYSTEM, path)
    assert (again.written, again.duplicates) == (0, 4)


def test_zkteco_chinese_software_xlsx_with_registration_numbers(site, tmp_path: Path) -> None:
    header = ["部门", "姓名", "登记号码", "日期时间", "机器号", "编号", "比对方式", "卡号"]
    rows = [
        ["客服部", "张伟", 1001, datetime(2026, 11, 2, 8, 55, 12), 1, 1, "指纹", None],  # a number cell, a date cell
        ["客服部", "张伟", "1001", "2026/11/2 下午 6:03:00", 1, 2, "指纹", None],  # text, as older versions write
        ["客服部", "李娜", "1002", "2026/11/2 上午 8:41:09", 2, 3, "密码", None],
        ["客服部", "李娜", "1002", "2026/11/31 上午 8:41:09", 2, 4, "密码", None],  # no 31st in November
    ]
    path = save_xlsx(tmp_path / "考勤记录.xlsx", {"考勤记录": [header, *rows]})
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(5, "time")]
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:12", "1"),
        ("1001", "2026-11-02 18:03:00", "1"),
        ("1002", "2026-11-02 08:41:09", "2"),
    ]


def test_zkteco_chinese_gbk_csv_with_separate_swipe_date_and_time(site, tmp_path: Path) -> None:
    rows = [
        "部门,姓名,考勤号码,刷卡日期,刷卡时间,机器号",
        "客服部,张伟,1001,2026-11-02,08:55:12,1",
        "客服部,张伟,1001,2026-11-02,18:01,1",
        "客服部,李娜,1002,2026/11/3,8:30:00,2",
        "客服部,李娜,1002,,8:30:00,2",  # no date
        "客服部,李娜,1002,2026/11/3,25:30:00,2",  # no such time
    ]
    path = write_csv(tmp_path / "刷卡记录.csv", "\r\n".join(rows) + "\r\n", "gbk")
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(5, "date"), (6, "time")]
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:12", "1"),
        ("1001", "2026-11-02 18:01:00", "1"),
        ("1002", "2026-11-03 08:30:00", "2"),
    ]


def test_an_xlsx_named_xls_and_an_html_table_named_xls_are_read(site, tmp_path: Path) -> None:
    header = ["姓名", "考勤号码", "日期时间"]
    workbook = save_xlsx(tmp_path / "a.xlsx", {"Sheet1": [header, ["张伟", "1001", "2026-11-02 08:55:00"]]})
    renamed = workbook.rename(tmp_path / "a.xls")
    assert site.attendance.import_punches(SYSTEM, renamed).written == 1
    html = (
        '<html><head><meta charset="gb2312"></head><body><table border="1">'
        "<tr><th>姓名</th><th>考勤号码</th><th>日期时间</th></tr>"
        "<tr><td>李娜</td><td>1002</td><td>2026-11-02 08:41:00</td></tr></table></body></html>"
    )
    report = site.attendance.import_punches(SYSTEM, write_csv(tmp_path / "b.xls", html, "gbk"))
    assert report.written == 1 and report.problems == []
    assert [p[:2] for p in stored(site)] == [("1001", "2026-11-02 08:55:00"), ("1002", "2026-11-02 08:41:00")]


def test_zkteco_english_attendance_logs_with_title_rows_and_us_dates(site, tmp_path: Path) -> None:
    rows = [
        "Attendance Logs,,,,,,,,",
        "2026-11-01 ~ 2026-11-30,,,,,,,,",
        "Department,Name,No.,Date/Time,Status,Location ID,ID Number,VerifyCode,CardNo",
        "Service,Zhang Wei,1001,11/02/2026 8:55 AM,C/In,1,,FP,",
        "Service,Zhang Wei,1001,11/02/2026 6:03 PM,C/Out,1,,FP,",
        "Service,Li Na,1002,11/13/2026 12:05 AM,C/In,2,,FP,",
        "Service,Li Na,1002,11/13/2026 12:30 PM,C/Out,2,,FP,",
    ]
    report = site.attendance.import_punches(SYSTEM, write_csv(tmp_path / "AttendanceLogs.csv", "\r\n".join(rows) + "\r\n"))
    assert report.problems == [] and report.written == 4
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:00", "1"),
        ("1001", "2026-11-02 18:03:00", "1"),
        ("1002", "2026-11-13 00:05:00", "2"),
        ("1002", "2026-11-13 12:30:00", "2"),
    ]
    assert any("row 3" in note for note in report.notes)
    assert any("month/day/year" in note for note in report.notes)


# --- dates are decided per file ------------------------------------------------------------


def _us_file(tmp_path: Path, days: range) -> Path:
    lines = ["employee_no,time"] + [f"1001,11/{d:02d}/2026 00:02" for d in days]
    return write_csv(tmp_path / "us.csv", "\n".join(lines) + "\n")


def test_a_us_dates_file_no_longer_lands_in_other_months(site, tmp_path: Path) -> None:
    """The issue's silent corruption: 11/02/2026 … 11/20/2026 were stored in February–September."""
    report = site.attendance.import_punches(SYSTEM, _us_file(tmp_path, range(2, 21)))
    assert report.problems == [] and report.written == 19
    assert {at[:7] for _no, at, _d in stored(site)} == {"2026-11"}
    assert (report.first_date.isoformat(), report.last_date.isoformat()) == ("2026-11-02", "2026-11-20")
    assert report.touched == {"2026-11"}


def test_a_file_whose_dates_cannot_tell_is_refused_whole_unless_the_order_is_given(site, tmp_path: Path) -> None:
    path = _us_file(tmp_path, range(2, 10))  # 11/02 … 11/09: every number ≤ 12
    with pytest.raises(FileRejected) as refused:
        site.attendance.import_punches(SYSTEM, path)
    assert "--date-order" in refused.value.message() and "us.csv" in refused.value.message()
    assert stored(site) == []
    report = site.attendance.import_punches(SYSTEM, path, date_order="mdy")
    assert report.written == 8 and {at[:7] for _no, at, _d in stored(site)} == {"2026-11"}


def test_a_file_written_in_both_orders_is_refused_and_the_given_order_reports_the_misfits(
    site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csdesk.services import attendance_imports

    monkeypatch.setattr(attendance_imports, "_CHUNK", 1)  # rows before the refusal reach the database first
    lines = ["employee_no,time", "1001,02/11/2026 08:00", "1001,13/11/2026 08:00", "1002,11/14/2026 08:00"]
    path = write_csv(tmp_path / "mixed.csv", "\n".join(lines) + "\n")
    with pytest.raises(FileRejected) as refused:
        site.attendance.import_punches(SYSTEM, path)
    assert "row 3" in refused.value.message() and "row 4" in refused.value.message()
    assert stored(site) == []
    report = site.attendance.import_punches(SYSTEM, path, date_order="dmy")
    assert problems(report) == [(4, "time")] and "dmy" in report.problems[0].message
    assert [at for _no, at, _d in stored(site)] == ["2026-11-02 08:00:00", "2026-11-13 08:00:00"]


def test_rows_that_waited_for_the_order_are_written_once_and_bad_rows_stay_in_row_order(site, tmp_path: Path) -> None:
    lines = ["employee_no,time", "1001,03/11/2026 08:00", "ZZ,04/11/2026 08:00", "1001,03/11/2026 08:00", "1002,25/11/2026 09:00",
             "1002,30/02/2026 09:00"]
    report = site.attendance.import_punches(SYSTEM, write_csv(tmp_path / "es.csv", "\n".join(lines) + "\n"))
    assert problems(report) == [(3, "employee_no"), (6, "time")]
    assert (report.written, report.duplicates) == (2, 1)
    assert [at for _no, at, _d in stored(site)] == ["2026-11-03 08:00:00", "2026-11-25 09:00:00"]


def test_a_row_that_waited_for_the_order_is_still_refused_in_a_locked_month(site, tmp_path: Path) -> None:
    site.scorecards.months.lock_month(SYSTEM, "2026-09")
    lines = ["工号,打卡时间", "1001,10/09/2026 08:21", "1001,20/10/2026 18:05"]  # 10 September waits for row 3
    report = site.attendance.import_punches(SYSTEM, write_csv(tmp_path / "locked.csv", "\n".join(lines) + "\n"))
    assert problems(report) == [(2, "time")] and "2026-09" in report.problems[0].message
    assert [at for _no, at, _d in stored(site)] == ["2026-10-20 18:05:00"]


# --- DingTalk -------------------------------------------------------------------------------

RAW_HEADER = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果", "打卡地址", "打卡备注",
              "异常打卡原因", "打卡设备"]


def _raw_rows() -> list[list[object]]:
    return [
        ["原始记录 统计日期：2026-11-01 至 2026-11-30"],
        ["报表生成时间：2026-12-01 10:00"],
        RAW_HEADER,
        ["张伟", "客服考勤", "客服部", "1001", "客服", "0126", "26-11-02 星期一", "09:00", "08:55", "正常", "总部", "", "", "考勤机A"],
        ["张伟", "客服考勤", "客服部", "1001", "客服", "0126", "26-11-02 星期一", "18:00", "18:04", "正常", "总部", "", "", "考勤机A"],
        ["李娜", "客服考勤", "客服部", "1002", "客服", "0127", "26-11-02 星期一", "09:00", "09:12", "迟到", "总部", "", "", "手机"],
        ["李娜", "客服考勤", "客服部", "1002", "客服", "0127", "26-11-02 星期一", "18:00", "", "缺卡", "", "", "", ""],
        ["李娜", "客服考勤", "客服部", "1002", "客服", "0127", "26-11-03 星期二", "09:00", "2026-11-03 08:47", "正常", "总部", "", "",
         "手机"],
    ]


def test_dingtalk_raw_records_with_title_rows_two_digit_years_and_missed_punches(site, tmp_path: Path) -> None:
    path = save_xlsx(tmp_path / "原始记录.xlsx", {"原始记录": _raw_rows()})
    report = site.attendance.import_punches(SYSTEM, path)
    assert report.problems == []
    assert (report.rows, report.written, report.skipped) == (5, 4, 1)
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:00", "考勤机A"),
        ("1001", "2026-11-02 18:04:00", "考勤机A"),
        ("1002", "2026-11-02 09:12:00", "手机"),
        ("1002", "2026-11-03 08:47:00", "手机"),
    ]
    assert any("1" in note and "缺卡" in note for note in report.notes)


def test_a_dingtalk_workbook_is_read_on_its_raw_records_sheet_not_the_first(site, tmp_path: Path) -> None:
    summary = [["概况"], ["应出勤人数", 2], ["实际出勤人数", 2]]
    daily = [["每日统计"], ["姓名", "工号", "日期", "上班1打卡时间", "下班1打卡时间"], ["张伟", "1001", "26-11-02 星期一", "08:55", "18:04"]]
    path = save_xlsx(tmp_path / "钉钉考勤.xlsx", {"概况": summary, "每日统计": daily, "原始记录": _raw_rows()})
    report = site.attendance.import_punches(SYSTEM, path)
    assert report.written == 4 and report.problems == []
    assert any("原始记录" in note for note in report.notes)


def test_dingtalk_daily_statistics_each_punch_column_is_a_punch(site, tmp_path: Path) -> None:
    rows = [
        "每日统计 统计日期：2026-11-01 至 2026-11-30",
        "姓名,考勤组,部门,工号,职位,UserId,日期,班次,上班1打卡时间,上班1打卡结果,下班1打卡时间,下班1打卡结果,上班2打卡时间,下班2打卡时间",
        "张伟,客服考勤,客服部,1001,客服,0126,26-11-02 星期一,早班,08:55,正常,18:04,正常,,",
        "李娜,客服考勤,客服部,1002,客服,0127,26-11-02 星期一,早班,09:12,迟到,,缺卡,,",
        "李娜,客服考勤,客服部,1002,客服,0127,26-11-03 星期二,夜班,21:58,正常,次日 06:01,正常,,",
        "李娜,客服考勤,客服部,1002,客服,0127,26-11-04 星期三,夜班,21:55,正常,06:03,正常,,",  # past midnight, unmarked
        "张伟,客服考勤,客服部,1001,客服,0126,26-11-05 星期四,休息,,,,,,",
        "张伟,客服考勤,客服部,1001,客服,0126,26-11-06 星期五,早班,未打卡,缺卡,18:00,正常,8:61,",
    ]
    path = write_csv(tmp_path / "每日统计.csv", "\n".join(rows) + "\n", "utf-8-sig")
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(8, "上班2打卡时间")]
    assert report.skipped == 1  # 李娜 11-02 下班1 (缺卡); the bad row's 未打卡 is not counted
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:00", None),
        ("1001", "2026-11-02 18:04:00", None),
        ("1002", "2026-11-02 09:12:00", None),
        ("1002", "2026-11-03 21:58:00", None),
        ("1002", "2026-11-04 06:01:00", None),
        ("1002", "2026-11-04 21:55:00", None),
        ("1002", "2026-11-05 06:03:00", None),
    ]


def test_dingtalk_daily_statistics_with_a_two_row_header(site, tmp_path: Path) -> None:
    rows = [
        ["每日统计"],
        ["姓名", "工号", "日期", "上班1", None, "下班1", None],
        [None, None, None, "打卡时间", "打卡结果", "打卡时间", "打卡结果"],
        ["张伟", "1001", "26-11-02 星期一", "08:55", "正常", "18:04", "正常"],
        ["李娜", "1002", "26-11-02 星期一", "", "缺卡", "18:30", "正常"],
    ]
    report = site.attendance.import_punches(SYSTEM, save_xlsx(tmp_path / "daily.xlsx", {"每日统计": rows}))
    assert report.problems == [] and (report.written, report.skipped) == (3, 1)
    assert [p[:2] for p in stored(site)] == [
        ("1001", "2026-11-02 08:55:00"), ("1001", "2026-11-02 18:04:00"), ("1002", "2026-11-02 18:30:00")
    ]


# --- WeCom ----------------------------------------------------------------------------------


@pytest.fixture
def beijing_time():
    """The site's clock in China (UTC+8): Unix timestamps are read in local time."""
    if not hasattr(time_module, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "CST-8"
    time_module.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time_module.tzset()


def test_wecom_checkin_data_with_unix_timestamps(site, tmp_path: Path, beijing_time) -> None:
    utc8 = timezone(timedelta(hours=8))

    def stamp(*parts: int) -> int:
        return int(datetime(*parts, tzinfo=utc8).timestamp())

    rows = [
        "userid,groupname,checkin_type,exception_type,checkin_time,location_title,location_detail,wifiname,notes,wifimac,deviceid,sch_checkin_time",
        f"1001,客服,上班打卡,,{stamp(2026, 11, 2, 8, 55, 31)},总部,,office,,,dev-1,{stamp(2026, 11, 2, 9, 0)}",
        f"1001,客服,下班打卡,,{stamp(2026, 11, 2, 18, 2, 5)},总部,,office,,,dev-1,{stamp(2026, 11, 2, 18, 0)}",
        f"1002,客服,上班打卡,未打卡,{stamp(2026, 11, 2, 9, 0)},,,,,,,{stamp(2026, 11, 2, 9, 0)}",
        f"1002,客服,外出打卡,地点异常,{stamp(2026, 11, 2, 14, 30) * 1000},客户处,,,,,,",  # milliseconds
    ]
    report = site.attendance.import_punches(SYSTEM, write_csv(tmp_path / "checkin.csv", "\n".join(rows) + "\n"))
    assert report.problems == [] and (report.written, report.skipped) == (3, 1)
    assert stored(site) == [
        ("1001", "2026-11-02 08:55:31", "dev-1"),
        ("1001", "2026-11-02 18:02:05", "dev-1"),
        ("1002", "2026-11-02 14:30:00", None),
    ]


# --- Spanish exports ------------------------------------------------------------------------


def test_spanish_punch_rows_with_fecha_hora_tipo_and_only_names(site, tmp_path: Path) -> None:
    rows = [
        "Empleado;Fecha;Hora;Tipo;Centro",
        "María Núñez;02/11/2026;08:58;Entrada;Madrid",
        "maría  núñez;02/11/2026;17:31;Salida;Madrid",  # case and spacing as typed
        "José García;13/11/2026;9:02:10;Entrada;Madrid",
        "Pedro Gómez;13/11/2026;9:05;Entrada;Madrid",  # nobody of that name
        "王芳;13/11/2026;9:06;Entrada;Madrid",  # two active people of that name
    ]
    path = write_csv(tmp_path / "fichajes.csv", "\ufeff" + "\r\n".join(rows) + "\r\n")
    report = site.attendance.import_punches(SYSTEM, path)
    assert problems(report) == [(5, "name"), (6, "name")]
    assert "Pedro Gómez" in report.problems[0].message and "王芳" in report.problems[1].message
    assert stored(site) == [
        ("1003", "2026-11-02 08:58:00", None),
        ("1003", "2026-11-02 17:31:00", None),
        ("1004", "2026-11-13 09:02:10", None),
    ]
    assert any("day/month/year" in note for note in report.notes)


def test_spanish_worked_day_rows_with_entrada_and_salida_columns(site, tmp_path: Path) -> None:
    rows = [
        ["Registro de jornada", None, None, None, None, None],
        ["Nombre", "Fecha", "Entrada", "Salida", "Entrada 2", "Salida 2", "Total horas"],
        ["María Núñez", "02/11/2026", "8:00", "14:00", "15:00", "18:30", "9,5"],
        ["José García", "16/11/2026", "9:00 a. m.", "2:00 p. m.", "", "", "5"],
    ]
    report = site.attendance.import_punches(SYSTEM, save_xlsx(tmp_path / "jornada.xlsx", {"Hoja1": rows}))
    assert report.problems == [] and report.written == 6
    assert [p[:2] for p in stored(site)] == [
        ("1003", "2026-11-02 08:00:00"), ("1003", "2026-11-02 14:00:00"), ("1003", "2026-11-02 15:00:00"),
        ("1003", "2026-11-02 18:30:00"), ("1004", "2026-11-16 09:00:00"), ("1004", "2026-11-16 14:00:00"),
    ]


# --- spreadsheet quirks ---------------------------------------------------------------------


def test_excel_serial_numbers_full_width_text_and_chinese_meridiems(site, tmp_path: Path) -> None:
    at = datetime(2026, 11, 2, 8, 55, 0)
    rows = [
        ["工号", "打卡时间"],
        ["1001", serial(at)],  # a number cell holding the serial
        ["1001", f"{serial(at + timedelta(hours=9)):.10f}"],  # the serial as text
        ["１００２", "２０２６－１１－０２　０８：４１"],  # full-width digits, dash, colon and space
        ["1002", "2026年11月2日 下午6时05分"],
        ["1002", 42],  # a number that is no date
    ]
    report = site.attendance.import_punches(SYSTEM, save_xlsx(tmp_path / "quirks.xlsx", {"Sheet1": rows}))
    assert problems(report) == [(6, "time")]
    assert [p[:2] for p in stored(site)] == [
        ("1001", "2026-11-02 08:55:00"), ("1001", "2026-11-02 17:55:00"),
        ("1002", "2026-11-02 08:41:00"), ("1002", "2026-11-02 18:05:00"),
    ]


def test_separate_date_and_time_number_cells(site, tmp_path: Path) -> None:
    rows = [["工号", "日期", "时间"], ["1001", int(serial(datetime(2026, 11, 2))), 0.375], ["1001", "2026-11-02", 0.75]]
    report = site.attendance.import_punches(SYSTEM, save_xlsx(tmp_path / "split.xlsx", {"Sheet1": rows}))
    assert report.problems == []
    assert [p[1] for p in stored(site)] == ["2026-11-02 09:00:00", "2026-11-02 18:00:00"]


# --- refusals a supervisor can act on -------------------------------------------------------


def test_a_refusal_names_the_file_the_headers_found_and_the_accepted_names(site, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", "Title\n部门,人员,刷卡\n客服部,1001,2026-11-02 08:00\n")
    with pytest.raises(FileRejected) as refused:
        site.attendance.import_punches(SYSTEM, path)
    message = refused.value.message()
    assert "export.csv" in message and "部门, 人员, 刷卡" in message and "row 2" in message
    for name in ("employee_no", "工号", "EnNo", "登记号码", "userid", "姓名", "打卡时间", "日期时间", "Date/Time", "上班1打卡时间"):
        assert name in message, name
    assert refused.value.found == ["部门", "人员", "刷卡"]
    i18n.install("es_ES")
    with pytest.raises(FileRejected) as spanish:
        site.attendance.import_punches(SYSTEM, path)
    assert "N.º de empleado" in spanish.value.message()  # the column's label in the user's language


def test_the_same_reader_finds_a_roster_header_below_title_rows(site, tmp_path: Path) -> None:
    rows = [["排班表 2026年11月"], [], ["工号", "日期", "班次"], ["1001", "2026-11-02", "D"], ["1001", "2026-11-03", "X"]]
    report = site.roster.import_file(SYSTEM, save_xlsx(tmp_path / "排班.xlsx", {"说明": [["见下一页"]], "排班": rows}))
    assert report.written == 1 and problems(report) == [(5, "shift")]


# --- the command line -----------------------------------------------------------------------


def test_cli_refusal_prints_one_json_document_with_the_headers_found(site, tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path / "bad.csv", "who,when\n1001,2026-11-02 08:00\n")
    code, out, err = run_cli(capsys, "--db", site.db_url, "--json", "import", "punches", str(path))
    doc = json.loads(out)
    assert code == 1 and set(doc) == {"ok", "error", "file", "found"}
    assert doc["ok"] is False and doc["file"] == str(path) and doc["found"] == ["who", "when"]
    assert "bad.csv" in doc["error"] and "工号" in doc["error"] and doc["error"] in err


def test_cli_date_order_option_and_the_date_range_in_json(site, tmp_path: Path, capsys) -> None:
    path = _us_file(tmp_path, range(2, 10))
    code, out, err = run_cli(capsys, "--db", site.db_url, "--json", "import", "punches", str(path))
    assert code == 1 and "--date-order" in json.loads(out)["error"] and "--date-order" in err
    code, out, _err = run_cli(capsys, "--db", site.db_url, "--json", "import", "punches", str(path), "--date-order", "mdy")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True and doc["written"] == 8
    assert (doc["date_from"], doc["date_to"]) == ("2026-11-02", "2026-11-09")
    code, out, _err = run_cli(capsys, "--db", site.db_url, "import", "punches", str(path), "--date-order", "mdy")
    assert code == 0 and "2026-11-02" in out and "2026-11-09" in out  # the human summary names the range too
    with pytest.raises(SystemExit) as usage:
        main(["--db", site.db_url, "import", "punches", str(path), "--date-order", "ymd"])
    assert usage.value.code == 2
    code, _out, err = run_cli(capsys, "--db", site.db_url, "import", "ratings", str(path), "--date-order", "dmy")
    assert code == 2 and "--date-order" in err


def test_cli_partial_import_exit_3_names_file_row_and_field(site, tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path / "p.csv", "工号,打卡时间\n1001,2026-11-02 08:00\n1001,2026-11-02 25:00\n")
    code, out, err = run_cli(capsys, "--db", site.db_url, "--json", "import", "punches", str(path))
    doc = json.loads(out)
    assert code == 3 and doc["written"] == 1 and doc["errors"][0]["row"] == 3 and doc["errors"][0]["field"] == "time"
    assert f"{path}:3: time:" in err
