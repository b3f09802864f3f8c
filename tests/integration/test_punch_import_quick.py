"""The punch import's quick path (issue #13 benchmarks: a million DingTalk punches about as fast
as the database takes them) takes every row exactly as the general reader does.

Each file is imported three times into fresh databases: as it is (most rows quick), with the
quick path refusing every row (each row read as written, then stripped, by ``take``), and as
before the quick path (every row stripped by the sheet and read by ``take``). The reports and
the stored punches must be the same.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from csdesk.services.attendance_imports import _PunchRows
from csdesk.services.base import SYSTEM
from tests.helpers.factories import make_context, write_csv
from tests.integration.test_punch_formats import PEOPLE, RAW_HEADER, save_xlsx, stored

WEEKDAYS = "一二三四五六日"


def dingtalk_day(day: date) -> str:
    return f"{day:%y-%m-%d} 星期{WEEKDAYS[day.weekday()]}"


def raw_row(name: str, no: str, day: str, punch: str, result: str = "正常", device: str = "考勤机A") -> list[str]:
    return [name, "客服考勤", "客服部", no, "客服", "0126", day, "09:00", punch, result, "总部", "", "", device]


def every_kind_of_row() -> list[list[str]]:
    nov2, nov3, oct1, sep10 = (dingtalk_day(date(2026, m, d)) for m, d in ((11, 2), (11, 3), (10, 1), (9, 10)))
    return [
        ["原始记录 统计日期：2026-09-01 至 2026-11-30"],
        RAW_HEADER,
        raw_row("张伟", "1001", nov2, "08:55"),
        raw_row("张伟", "1001", nov2, "18:04"),
        raw_row("李娜", "1002", nov2, "08:55"),  # a time already read, on a day already read
        raw_row("李娜", " 1002 ", nov3, "\u300009:12 "),  # padded cells, a full-width space
        raw_row("李娜", "1002", nov3, "", "缺卡", ""),  # no punch: skipped
        raw_row("李娜", "1002", nov3, "18:00", "未打卡"),  # a time, but the result says no punch
        raw_row("李娜", "1002", nov3, "2026-11-03 20:47"),  # a date and time in the time column
        raw_row("张伟", "1001", nov3, "次日 01:10"),  # after midnight
        raw_row("张伟", "1001", nov3, "8:05 PM"),
        raw_row("María Núñez", "1003", nov3, "18:00"),
        raw_row("Nadie", "9999", nov3, "18:00"),  # nobody has the number
        raw_row("张伟", "", nov3, "07:59"),  # found by name
        raw_row("王芳", "", nov3, "07:58"),  # two are called 王芳
        raw_row("李娜", "1002", nov3, "18:01", device="考勤机\x01"),  # a control character
        raw_row("李娜", "1002", nov3, "18:02", device="x" * 5_000),  # too long
        raw_row("李娜", "1002", nov3, "25:00"),  # no time of day
        raw_row("李娜", "1002", "", "18:03"),  # no date
        raw_row("李娜", "1002", nov3, "18:04", device=""),  # no device
        ["李娜", "客服考勤", "客服部", "1002"],  # a short row
        [],
        ["", "", ""],
        raw_row("张伟", "1001", sep10, "08:30"),  # in the locked month
        raw_row("张伟", "1001", oct1, "00:20"),  # the 1st, after a locked month
        raw_row("张伟", "1001", oct1, "08:31"),
        raw_row("张伟", "1001", nov2, "08:55"),  # the same punch again: a duplicate
        raw_row("1004", "1004", "2026/11/2", "9:00:00"),  # another date spelling, on a day already read
    ]


def csv_text(rows: list[list[str]], quoted: bool) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quoted and text else text

    return "\r\n".join(",".join(cell(c) for c in row) for row in rows) + "\r\n"


def import_as(tmp_path: Path, name: str, path: Path, monkeypatch: pytest.MonkeyPatch, how: str):
    """The report and the stored punches of importing ``path`` into a fresh database, ``how``:
    ``quick`` as it is, ``take`` with the quick path refusing every row, ``before`` without it."""
    ctx = make_context(tmp_path / name)
    try:
        assert ctx.people.import_file(SYSTEM, write_csv(tmp_path / f"{name}-people.csv", PEOPLE)).written == 6
        ctx.scorecards.months.lock_month(SYSTEM, "2026-09")
        with monkeypatch.context() as patch:
            if how == "take":
                patch.setattr(_PunchRows, "quick_reader", lambda self: lambda cells: False)
            elif how == "before":
                init = _PunchRows.__init__

                def without_quick(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
                    init(self, *args, **kwargs)
                    self.can_be_quick = False

                patch.setattr(_PunchRows, "__init__", without_quick)
            report = ctx.attendance.import_punches(SYSTEM, path)
        return report.as_dict(), stored(ctx)
    finally:
        ctx.close()


@pytest.mark.parametrize("kind", ["csv", "quoted_csv", "xlsx"])
def test_the_quick_path_takes_every_row_as_the_general_reader_does(tmp_path: Path, monkeypatch, kind: str) -> None:
    rows = every_kind_of_row()
    if kind == "xlsx":  # a workbook holds no control character: an undecodable one instead
        rows = [[c.replace("\x01", "\ufffd") for c in row] for row in rows]
        path = save_xlsx(tmp_path / "原始记录.xlsx", {"原始记录": rows})  # type: ignore[dict-item]
    else:
        path = write_csv(tmp_path / "原始记录.csv", csv_text(rows, quoted=kind == "quoted_csv"), encoding="utf-8-sig")
    quick = import_as(tmp_path, "quick", path, monkeypatch, "quick")
    assert quick == import_as(tmp_path, "take", path, monkeypatch, "take")
    assert quick == import_as(tmp_path, "before", path, monkeypatch, "before")

    report, punches = quick
    assert (report["rows"], report["skipped"], report["duplicates"]) == (24, 2, 1)
    assert sorted((e["row"], e["field"]) for e in report["errors"]) == [
        (13, "employee_no"), (15, "name"), (16, "device"), (17, "device"), (18, "time"), (19, "date"), (21, "time"),
        (24, "time"),
    ]  # fmt: skip
    assert ("1002", "2026-11-03 09:12:00", "考勤机A") in punches
    assert ("1001", "2026-11-04 01:10:00", "考勤机A") in punches
    assert ("1002", "2026-11-03 18:04:00", None) in punches
    assert ("1001", "2026-10-01 00:20:00", "考勤机A") in punches  # no roster ran past midnight into it


def test_a_big_file_is_read_by_the_quick_path(site_ctx, tmp_path: Path, monkeypatch) -> None:
    """The general reader reads a row only where the file brings a day or a time of day it has not
    read before: 600 punches of 6 people on 3 days at 34 times of day make at most 37 such rows."""
    days = [dingtalk_day(date(2026, 11, 2) + timedelta(days=n)) for n in range(3)]
    rows = [RAW_HEADER] + [
        raw_row("张伟", str(1001 + n % 6), days[n // 6 % 3], f"{8 + n // 18 // 6:02d}:{n // 18 % 6 * 10:02d}")
        for n in range(600)
    ]
    path = write_csv(tmp_path / "原始记录.csv", csv_text(rows, quoted=False))
    taken: list[int] = []
    take = _PunchRows.take
    monkeypatch.setattr(_PunchRows, "take", lambda self, number, cells: taken.append(number) or take(self, number, cells))
    report = site_ctx.attendance.import_punches(SYSTEM, path)
    assert (report.rows, report.written, report.problems) == (600, 600, [])
    assert 0 < len(taken) <= 37
    assert min(at for _no, at, _d in stored(site_ctx)) == str(datetime(2026, 11, 2, 8, 0))


@pytest.fixture
def site_ctx(ctx, tmp_path: Path):
    assert ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", PEOPLE)).written == 6
    return ctx


def test_of_two_rows_of_one_punch_the_files_first_is_kept(site_ctx, tmp_path: Path) -> None:
    """A batch is written in time order: the order of two rows of one punch is kept."""
    day = dingtalk_day(date(2026, 11, 2))
    rows = [RAW_HEADER, raw_row("张伟", "1001", day, "18:04", device="A"), raw_row("李娜", "1002", day, "08:00"),
            raw_row("张伟", "1001", day, "18:04", device="B"), raw_row("张伟", "1001", day, "08:55", device="C")]
    report = site_ctx.attendance.import_punches(SYSTEM, write_csv(tmp_path / "p.csv", csv_text(rows, quoted=False)))
    assert (report.written, report.duplicates) == (3, 1)
    assert stored(site_ctx) == [
        ("1001", "2026-11-02 08:55:00", "C"), ("1001", "2026-11-02 18:04:00", "A"), ("1002", "2026-11-02 08:00:00", "考勤机A"),
    ]  # fmt: skip


def test_a_batch_is_written_in_the_order_its_indexes_take_best() -> None:
    """Person by person, a batch holds few people and many days: written by time; day by day, by person."""
    from csdesk.services.attendance_imports import _BY_PERSON, _BY_TIME, _insert_order

    start = datetime(2026, 1, 1, 8, 0)
    by_person = [(pid, start + timedelta(days=d), None) for pid in range(3) for d in range(200)]
    by_day = [(pid, start + timedelta(days=d), None) for d in range(3) for pid in range(200)]
    assert _insert_order(by_person) is _BY_TIME
    assert _insert_order(by_day) is _BY_PERSON
