"""What every import tells of its rows (issue #13): the date range it took, a bad row's message
said once beside its field, and the day/month question asked only of a file that cannot tell.

The date range: ``date_from``/``date_to`` in ``--json`` and a note in the command's text, for the
roster, sales, events, ratings and exams imports as for punches and leave (ratings and exams by
their months). A bad value's message no longer starts with its field's name, which the CLI's
``file:row: field: message`` and the wizard's Field column already show ("time: time: …"). The
"every date could be day/month/year or month/day/year" refusal never meets a file of ISO dates,
nor one whose order a date over 12 decides, even on a row that is bad for another reason.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from csdesk import i18n
from csdesk.cli import main
from csdesk.services.base import SYSTEM
from csdesk.services.imports.dates import DateReader, FileDates
from csdesk.services.imports.reader import FileRejected
from tests.helpers.factories import write_csv

# kind -> (file, the first and last day its rows are taken for, the note of the range)
DATED = {
    "roster": (
        "employee_no,date,shift\nA001,2026-12-09,D\nA002,2026-12-03,E\nZZZ9,2026-12-01,D\n",
        ("2026-12-03", "2026-12-09"), "Shifts dated 2026-12-03 to 2026-12-09.",
    ),
    "sales": (
        "member,phone,sale_date,agent\n会员一,13900000001,2026-10-03,A001\n会员二,13900000002,2026-09-28,A002\n"
        "会员三,13900000003,2026-09-01,ZZZ9\n",
        ("2026-09-28", "2026-10-03"), "Sales dated 2026-09-28 to 2026-10-03.",
    ),
    "events": (
        "employee_no,date,code,points,note\nA003,2026-10-05,M07,-3,late report\nA004,2026-09-30,B03,5,helped\n"
        "A005,2026-09-02,XX99,-3,\n",
        ("2026-09-30", "2026-10-05"), "Events dated 2026-09-30 to 2026-10-05.",
    ),
    "ratings": (
        "employee_no,month,service_quality,execution,collaboration,discipline\nA001,2026-10,27.5,18,13,14.5\n"
        "A002,2026-09,25,17,12,14\nA003,2026-08,99,18,13,14.5\n",
        ("2026-09-01", "2026-10-31"), "Months 2026-09 to 2026-10.",
    ),
    "exams": (
        "employee_no,month,score\nA001,2026-10,88.5\nA002,2026-10,91\nA003,2026-07,NaN\n",
        ("2026-10-01", "2026-10-31"), "Months 2026-10 to 2026-10.",
    ),
}  # fmt: skip


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", sorted(DATED))
def test_every_dated_import_reports_the_date_range_it_took_in_text_and_json(
    demo_ctx, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """The range is that of the rows taken (the bad row's date is outside it); imported again, the
    rows are already stored and still taken: the same range."""
    content, (first, last), note = DATED[kind]
    path = write_csv(tmp_path / f"{kind}.csv", content)
    code, out, _err = cli(capsys, "--db", demo_ctx.db_url, "import", kind, str(path))
    assert code == 3
    assert note in out.splitlines()
    code, out, _err = cli(capsys, "--db", demo_ctx.db_url, "--json", "import", kind, str(path))
    doc = json.loads(out)
    assert code == 3 and doc["written"] == 0 and doc["rejected"] == 1
    assert (doc["date_from"], doc["date_to"]) == (first, last)
    assert note in doc["notes"]


def test_a_file_that_takes_no_row_has_no_range(demo_ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", "employee_no,date,shift\nZZZ9,2026-12-01,D\n")
    report = demo_ctx.roster.import_file(SYSTEM, path)
    doc = report.as_dict()
    assert (doc["date_from"], doc["date_to"], doc["unknown_ids"]) == (None, None, ["ZZZ9"])
    assert not any("dated" in note for note in report.notes)


# --- a bad row's message, its field said once -----------------------------------------------

BAD_TIME = "工号,打卡时间\nA001,2026-10-05 08:55\nA001,2026-10-05 8:5x\n"


def test_a_bad_value_is_reported_under_its_field_without_the_field_in_front_again(
    demo_ctx, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "punches.csv", BAD_TIME)
    code, out, err = cli(capsys, "--db", demo_ctx.db_url, "--json", "import", "punches", str(path))
    assert code == 3
    assert json.loads(out)["errors"] == [
        {"row": 3, "field": "time", "message": "'2026-10-05 8:5x' is not a date and time (YYYY-MM-DD HH:MM)"}
    ]
    assert f"{path}:3: time: '2026-10-05 8:5x' is not a date and time (YYYY-MM-DD HH:MM)" in err.splitlines()
    assert "time: time" not in err


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh_CN", "“2026-10-05 8:5x”不是日期时间（YYYY-MM-DD HH:MM）"),  # the full-width colon after the field, gone too
        ("es_ES", "«2026-10-05 8:5x» no es una fecha y hora (AAAA-MM-DD HH:MM)"),
    ],
)
def test_the_field_is_left_out_of_the_message_in_every_language(demo_ctx, tmp_path: Path, language: str, message: str) -> None:
    i18n.install(language)
    report = demo_ctx.attendance.dry_run().import_punches(SYSTEM, write_csv(tmp_path / "punches.csv", BAD_TIME))
    assert [(p.row, p.field, p.message) for p in report.problems] == [(3, "time", message)]


def test_a_message_that_does_not_start_with_its_field_is_kept_whole(demo_ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", "employee_no,name,team\nN1,,客服一组\n")
    report = demo_ctx.people.dry_run().import_file(SYSTEM, path)
    assert [(p.field, p.message) for p in report.problems] == [("name", "name is empty")]


# --- the day/month question, asked only when the file cannot tell -------------------------------


def roster_days(ctx, employee_no: str) -> list[date]:
    with ctx.engine.connect() as con:
        query = "SELECT r.day FROM roster r JOIN people p ON p.id = r.person_id WHERE p.employee_no = :no ORDER BY r.day"
        rows = con.execute(text(query), {"no": employee_no}).scalars()
        return [date.fromisoformat(str(d)[:10]) for d in rows]


def test_a_file_of_iso_dates_is_never_asked_its_day_month_order(demo_ctx, tmp_path: Path) -> None:
    content = "employee_no,date,shift\nA001,2026-12-03,D\nA001,2026-12-04,E\nA001,2026/12/5,R\n"
    path = write_csv(tmp_path / "roster.csv", content)
    report = demo_ctx.roster.import_file(SYSTEM, path)
    assert (report.written, report.problems) == (3, [])
    assert not any("Dates read as" in note for note in report.notes)


def test_a_date_over_12_on_a_row_of_someone_unknown_decides_the_order(demo_ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", "employee_no,date,shift\nA001,03/12/2026,D\nZZZ9,13/12/2026,D\n")
    report = demo_ctx.roster.import_file(SYSTEM, path)
    assert [(p.row, p.field) for p in report.problems] == [(3, "employee_no")]
    assert "Dates read as day/month/year." in report.notes
    assert date(2026, 12, 3) in roster_days(demo_ctx, "A001")


def test_a_date_over_12_on_a_row_the_reader_refuses_still_decides_the_order(demo_ctx, tmp_path: Path) -> None:
    """Row 3 holds a control character (a bad row whatever its date): its 13/12 still tells that
    the file is written day first, so row 2's 03/12 is 3 December and nothing is refused whole."""
    path = write_csv(tmp_path / "roster.csv", "employee_no,date,shift\nA001,03/12/2026,D\nA002\x07,13/12/2026,D\n")
    report = demo_ctx.roster.import_file(SYSTEM, path)
    assert [(p.row, p.field) for p in report.problems] == [(3, "employee_no")]
    assert report.written == 1 and "Dates read as day/month/year." in report.notes
    assert date(2026, 12, 3) in roster_days(demo_ctx, "A001")


@pytest.mark.parametrize(
    "bad_row",
    ["ZZZ9,13/13/2026,D",  # no date at all: it tells nothing
     "A002\x07,04/12/2026,D"],  # a refused row whose date reads both ways
)  # fmt: skip
def test_a_file_whose_dates_still_cannot_tell_is_asked_for_the_order(demo_ctx, tmp_path: Path, bad_row: str) -> None:
    path = write_csv(tmp_path / "roster.csv", f"employee_no,date,shift\nA001,03/12/2026,D\n{bad_row}\n")
    before = roster_days(demo_ctx, "A001")
    with pytest.raises(FileRejected, match="every date could be day/month/year or month/day/year") as refused:
        demo_ctx.roster.import_file(SYSTEM, path)
    assert refused.value.params["date_order_needed"] is True and "row 2" in refused.value.message()
    assert roster_days(demo_ctx, "A001") == before


def test_a_date_on_a_bad_row_never_changes_an_order_already_told() -> None:
    reader = DateReader("f.csv")
    assert reader.day("25/12/2026", "date", 2) == date(2026, 12, 25)
    reader.tell("12/25/2026", 3)  # month first, on a bad row: passed over
    assert reader.order == "dmy" and reader.day("03/12/2026", "date", 4) == date(2026, 12, 3)
    waiting = DateReader("f.csv")
    waiting.tell("03/12/2026", 2)  # reads both ways: tells nothing
    assert waiting.order is None


def test_the_dates_of_fields_a_file_lacks_ask_nothing(tmp_path: Path) -> None:
    """A people file without join dates or birthdays: nothing to decide, nothing refused."""
    rows = [(2, {"employee_no": "N1", "name": "Ana"}), (3, {"employee_no": "N2", "name": "03/12/2026"})]
    dates = FileDates("people.csv", rows, ("join_date", "birthday"))
    assert dates.note() is None


def test_a_punch_of_someone_unknown_dated_after_the_12th_decides_the_punch_file_s_order(demo_ctx, tmp_path: Path) -> None:
    """The punch import reads a row's person before its time: an unknown person's 13/12 still
    tells that the file is written day first, so A001's 03/12 is 3 December."""
    path = write_csv(tmp_path / "punches.csv", "employee_no,time\nA001,03/12/2026 08:21\nZZZ9,13/12/2026 08:25\n")
    report = demo_ctx.attendance.import_punches(SYSTEM, path)
    assert [(p.row, p.field) for p in report.problems] == [(3, "employee_no")]
    assert (report.written + report.duplicates, report.first_date) == (1, date(2026, 12, 3))
    assert "Dates read as day/month/year." in report.notes


def test_the_dry_run_of_punches_and_leave_counts_the_agents(demo_ctx, tmp_path: Path) -> None:
    from csdesk.services.import_preview import what_it_writes

    punches = write_csv(
        tmp_path / "punches.csv",
        "employee_no,time\nA001,2026-12-21 08:21\nA001,2026-12-21 18:05\nA002,2026-12-22 08:30\nZZZ9,2026-12-22 08:31\n",
    )
    report = demo_ctx.attendance.import_punches(SYSTEM, punches)
    assert what_it_writes(report) == "3 punches for 2 agents, 2026-12-21 … 2026-12-22; 1 unknown id"
    leave = write_csv(tmp_path / "leave.csv", "employee_no,type,start,end,status\nA003,PERSONAL,2026-12-28,2026-12-29,pending\n")
    assert what_it_writes(demo_ctx.attendance.import_leave(SYSTEM, leave)) == "1 leave request for 1 agent, 2026-12-28 … 2026-12-29"
