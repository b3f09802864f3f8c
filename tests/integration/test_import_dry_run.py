"""A dry run of every import says what the import will write and writes nothing (issue #13).

``service.dry_run()`` runs the import to its end, audit entry included, and rolls it back: the
database is unchanged after it (every table compared row by row, on SQLite and PostgreSQL) and
the import that follows reports exactly what the dry run did. Then the wizard's reading aids:
the preview of a file's table, and the sheet and header row the person chose.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from csdesk.errors import PermissionDenied
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.import_preview import preview, what_it_writes, write_problems_xlsx
from csdesk.services.imports.reader import FileRejected, ImportReport, RowProblem, TableChoice, reading_as
from tests.helpers.factories import write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

Run = Callable[[Any, Path], ImportReport]

# kind -> (the file: good rows, rows already stored after the demo, bad rows; the import on a context)
IMPORTS: dict[str, tuple[str, Run]] = {
    "punches": (
        "Attendance export\nemployee_no,time\nA001,2026-10-05 08:55\nA001,2026-10-05 18:02\nA002,2026-10-06 08:50\n"
        "A002,2026-10-06 08:50\nZZZ9,2026-10-06 08:00\n",
        lambda ctx, path: ctx.attendance.import_punches(SYSTEM, path),
    ),
    "people": (
        "工号,姓名,班组\nN001,新人,客服三组\nN002,另一位,客服一组\nN003,,客服一组\nN001,重复,客服一组\n",
        lambda ctx, path: ctx.people.import_file(SYSTEM, path),
    ),
    "roster": (
        "employee_no,date,shift\nA001,2026-12-03,D\nA002,2026-12-03,E\nA001,2026-12-04,NOPE\nZZZ9,2026-12-03,D\n",
        lambda ctx, path: ctx.roster.import_file(SYSTEM, path),
    ),
    "leave": (
        "employee_no,type,start,end,status\nA001,PERSONAL,2026-10-20,2026-10-20,approved\n"
        "A002,SICK,2026-10-21,2026-10-22,pending\nA003,NOPE,2026-10-21,2026-10-21,pending\n",
        lambda ctx, path: ctx.attendance.import_leave(SYSTEM, path),
    ),
    "ratings": (
        "employee_no,month,service_quality,execution,collaboration,discipline\nA001,2026-10,27.5,18,13,14.5\n"
        "A002,2026-10,25,17,12,14\nA003,2026-10,99,18,13,14.5\n",
        lambda ctx, path: ctx.scorecards.import_ratings(SYSTEM, path),
    ),
    "exams": (
        "employee_no,month,score\nA001,2026-10,88.5\nA002,2026-10,NaN\n",
        lambda ctx, path: ctx.scorecards.import_exams(SYSTEM, path),
    ),
    "events": (
        "employee_no,date,code,points,note\nA003,2026-10-05,M07,-3,late report\nA004,2026-10-06,XX99,-3,\n",
        lambda ctx, path: ctx.scorecards.import_events(SYSTEM, path),
    ),
    "sales": (
        "member,phone,sale_date,agent\n会员一,13900000001,2026-10-03,A001\n会员二,13900000002,2026-10-04,ZZZ9\n",
        lambda ctx, path: ctx.callbacks.import_sales(SYSTEM, path),
    ),
}


class DryContext:
    """``ctx`` with every service a dry run (what the wizard hands the import it checks)."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name).dry_run()


def dump(ctx: Any) -> dict[str, list[str]]:
    """Every row of every table, in a stable order: the database as a person's data sees it."""
    meta = MetaData()
    meta.reflect(ctx.engine)
    with ctx.engine.connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(select(table)))) for table in meta.sorted_tables}


def summary(report: ImportReport) -> dict[str, object]:
    return {**report.as_dict(), "touched": sorted(report.touched)}


@pytest.mark.parametrize("kind", sorted(IMPORTS))
def test_a_dry_run_reports_what_the_import_then_writes_and_writes_nothing(demo_ctx, tmp_path: Path, kind: str) -> None:
    text, run = IMPORTS[kind]
    path = write_csv(tmp_path / f"{kind}.csv", text)
    before = dump(demo_ctx)

    dry = run(DryContext(demo_ctx), path)

    assert dump(demo_ctx) == before, "the dry run wrote to the database"
    assert dry.written and dry.problems, "the file has good rows and bad rows"
    real = run(demo_ctx, path)
    assert summary(real) == summary(dry)
    after = dump(demo_ctx)
    assert after != before
    assert len(after["audit_log"]) > len(before["audit_log"]), "the import's audit entry, which the dry run rolled back"


def test_a_dry_run_runs_the_services_a_service_holds_as_dry_runs_too(demo_ctx) -> None:
    months = demo_ctx.scorecards.dry_run().months
    before = dump(demo_ctx)
    months.lock_month(SYSTEM, "2026-09")
    assert dump(demo_ctx) == before
    assert not demo_ctx.scorecards.months.is_locked("2026-09")


def test_a_dry_run_checks_the_role_as_the_import_does(demo_ctx, tmp_path: Path) -> None:
    agent = demo_ctx.auth.resolve_actor("agent1")
    path = write_csv(tmp_path / "people.csv", IMPORTS["people"][0])
    with pytest.raises(PermissionDenied):
        demo_ctx.people.dry_run().import_file(agent, path)


# --- the preview, and the sheet and header row chosen -----------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


TWO_SHEETS = {
    "Summary": [["Staff list"], ["employee_no", "name", "team"], ["N101", "第一张", "客服一组"]],
    "Newcomers": [["Hired in October"], [], ["工号", "姓名", "班组"], ["N201", "第二张", "客服二组"], ["N202", "第三张", "客服二组"]],
}


def test_the_preview_shows_the_sheet_and_header_row_the_import_takes_and_the_fields_matched(ctx, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "people.xlsx", TWO_SHEETS)
    shown = preview(SYSTEM, "people", path)
    assert (shown.sheets, shown.sheet, shown.header_row, shown.first_row) == (("Summary", "Newcomers"), "Summary", 2, 3)
    assert not shown.chosen and shown.missing == ()
    assert shown.rows == ((1, ("Staff list", "", "")), (2, ("employee_no", "name", "team")), (3, ("N101", "第一张", "客服一组")))
    assert shown.columns == ("employee_no", "name", "team")
    fields = {f.name: f for f in shown.fields}
    assert fields["team"].column == 2 and "班组" in fields["team"].accepted and fields["phone"].column is None

    other = preview(SYSTEM, "people", path, sheet="Newcomers")
    assert (other.sheet, other.header_row, other.header, other.chosen) == ("Newcomers", 3, ("工号", "姓名", "班组"), True)
    assert [number for number, _cells in other.rows] == [1, 2, 3, 4, 5]


def test_a_chosen_header_row_without_the_required_columns_is_shown_with_what_it_lacks(ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", "Staff list 2026\nemployee_no,nombre,team\nN1,Ana,Equipo Sur\n")
    shown = preview(SYSTEM, "people", path, header_row=1)
    assert (shown.header_row, shown.header, shown.columns) == (1, ("Staff list 2026",), ("", "", ""))
    assert len(shown.missing) == 3 and "employee_no" in shown.missing[0]
    with pytest.raises(FileRejected, match="required column missing"):
        with reading_as(TableChoice(None, 1)):
            ctx.people.import_file(SYSTEM, path)
    assert ctx.people.count() == 0


def test_a_file_whose_header_is_not_found_is_previewed_at_the_row_that_came_closest(ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", "Staff list 2026\nemployee_no,name,equipo?\nN1,Ana,Equipo Sur\n")
    shown = preview(SYSTEM, "people", path)
    assert shown.header_row == 2 and shown.columns == ("employee_no", "name", "")
    assert len(shown.missing) == 1 and "team" in shown.missing[0]


def test_the_import_reads_the_sheet_and_header_row_chosen(ctx, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "people.xlsx", TWO_SHEETS)
    with reading_as(TableChoice("Newcomers", 3)):
        report = ctx.people.import_file(SYSTEM, path)
    assert report.written == 2
    assert {p.employee_no for p in ctx.people.people(SYSTEM)} == {"N201", "N202"}
    with reading_as(TableChoice("Nope", None)), pytest.raises(FileRejected, match="no sheet Nope"):
        ctx.people.import_file(SYSTEM, path)


def test_the_fields_the_person_reads_from_other_cells_are_read_from_them(ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", "工号,姓名,部门,班组\nN1,Ana,Equipo Sur,old team column\n")
    shown = preview(SYSTEM, "people", path, header_row=1, mapping=[("team", 2)])
    assert (shown.columns, shown.missing, shown.mapping) == (("employee_no", "name", "team", ""), (), (("team", 2),))
    unread = preview(SYSTEM, "people", path, header_row=1, mapping=[("name", -1)])
    assert unread.columns[1] == "" and len(unread.missing) == 1 and "name" in unread.missing[0]
    with reading_as(shown.choice):
        assert ctx.people.import_file(SYSTEM, path).written == 1
    assert ctx.people.get(SYSTEM, "N1").team == "Equipo Sur"


def test_a_headerless_punch_log_is_previewed_with_its_columns_read_by_position(ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "1_attlog.dat", "  1001\t2026-10-05 08:55:01\t1\t0\t1\t0\n  1002\t2026-10-05 08:57:00\t1\t0\t1\t0\n")
    shown = preview(SYSTEM, "punches", path)
    assert (shown.header_row, shown.first_row, shown.missing) == (0, 1, ())
    assert shown.columns[:3] == ("Employee no.", "Punch time", "")
    assert len(shown.rows) == 2


def test_the_preview_is_refused_to_a_role_that_may_not_import(ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", "employee_no,name,team\n")
    with pytest.raises(PermissionDenied):
        preview(Actor("someone", "agent"), "people", path)


# --- what the dry run says it would write (issue #13) -----------------------------------------

# kind -> the sentence the wizard shows for IMPORTS[kind] on the demo: the records new or changed,
# the agents they are for, the dates (months for ratings and exams), the distinct unknown ids.
SAYS = {
    "roster": "2 shifts for 2 agents, 2026-12-03; 1 unknown id",
    "sales": "1 sale for 1 agent, 2026-10-03; 1 unknown id",
    "events": "1 event for 1 agent, 2026-10-05",
    "ratings": "2 ratings for 2 agents, October 2026",
    "exams": "1 exam score for 1 agent, October 2026",
    "leave": "2 leave requests for 2 agents, 2026-10-20 … 2026-10-22",
    "punches": "3 punches for 2 agents, 2026-10-05 … 2026-10-06; 1 unknown id",
    "people": "2 people",
}


@pytest.mark.parametrize("kind", sorted(SAYS))
def test_the_dry_run_says_what_it_would_write_in_the_words_of_its_kind(demo_ctx, tmp_path: Path, kind: str) -> None:
    text, run = IMPORTS[kind]
    dry = run(DryContext(demo_ctx), write_csv(tmp_path / f"{kind}.csv", text))
    assert what_it_writes(dry) == SAYS[kind]


def test_the_dry_run_counts_agents_and_unknown_ids_each_once_over_a_date_range(demo_ctx, tmp_path: Path) -> None:
    """Five good rows for three agents over a week, A003's two already stored (no agent of what
    is written; their days still in the range); five bad rows naming two unknown employee numbers
    (one three times) and one bad shift code."""
    stored = write_csv(tmp_path / "stored.csv", "employee_no,date,shift\nA003,2026-12-01,R\nA003,2026-12-08,D\n")
    assert demo_ctx.roster.import_file(SYSTEM, stored).written == 2
    rows = ["A001,2026-12-02,D", "A001,2026-12-03,E", "A002,2026-12-07,D", "A003,2026-12-01,R", "A003,2026-12-08,D",
            "ZZZ9,2026-12-01,D", "ZZZ9,2026-12-02,D", "YYY1,2026-12-03,D", "ZZZ9,2026-12-09,D", "A002,2026-12-08,NOPE"]
    path = write_csv(tmp_path / "roster.csv", "\n".join(["employee_no,date,shift", *rows]) + "\n")
    dry = demo_ctx.roster.dry_run().import_file(SYSTEM, path)
    assert (dry.written, dry.duplicates, len(dry.problems), dry.unknown_ids) == (3, 2, 5, ["ZZZ9", "YYY1"])
    assert what_it_writes(dry) == "3 shifts for 2 agents, 2026-12-01 … 2026-12-08; 2 unknown ids"
    doc = dry.as_dict()
    assert (doc["unknown_ids"], doc["date_from"], doc["date_to"]) == (["ZZZ9", "YYY1"], "2026-12-01", "2026-12-08")


def test_the_dry_run_of_one_record_says_it_in_the_singular(demo_ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", "employee_no,date,shift\nA001,2026-12-03,D\nQQQ1,2026-12-03,D\n")
    assert what_it_writes(demo_ctx.roster.dry_run().import_file(SYSTEM, path)) == "1 shift for 1 agent, 2026-12-03; 1 unknown id"


def test_the_dry_run_of_a_file_of_stored_rows_writes_nothing_and_says_so(demo_ctx, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", "employee_no,date,shift\nA001,2026-12-03,D\n")
    demo_ctx.roster.import_file(SYSTEM, path)
    again = demo_ctx.roster.dry_run().import_file(SYSTEM, path)
    assert (again.written, again.duplicates) == (0, 1)
    assert what_it_writes(again) == "0 shifts"


# --- the bad rows, as a workbook to correct ---------------------------------------------------

BAD_ROSTER = (
    "Roster export\n"
    "employee_no,date,shift,comment\n"
    "A001,2026-12-03,D,fine\n"
    'A002,2026-12-03,NOPE,"=HYPERLINK(""http://x"",""y"")"\n'
    "ZZZ9,2026-12-04,D,+1\n"
    "A003,2026-12-04,E\n"
    "A001,2026-13-01,E,@SUM(A1)\n"
)


def test_the_bad_rows_are_saved_one_line_each_with_their_cells_and_a_column_per_problem_field(demo_ctx, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_csv(tmp_path / "roster.csv", BAD_ROSTER)
    shown = preview(SYSTEM, "roster", path)
    dry = demo_ctx.roster.dry_run().import_file(SYSTEM, path)
    assert [(p.row, p.field) for p in dry.problems] == [(4, "shift"), (5, "employee_no"), (7, "date")]
    out = tmp_path / "bad.xlsx"
    write_problems_xlsx(path, shown, dry.problems, out)

    sheet = load_workbook(out).active
    assert sheet.title == "Bad rows" and sheet.freeze_panes == "B2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("Row", "employee_no", "date", "shift", "comment", "Problem: employee_no", "Problem: date", "Problem: shift"),
        (4, "A002", "2026-12-03", "NOPE", "'=HYPERLINK(\"http://x\",\"y\")", None, None, "'NOPE' is not one of D, E, R"),
        (5, "ZZZ9", "2026-12-04", "D", "'+1", "Unknown employee number ZZZ9", None, None),
        (7, "A001", "2026-13-01", "E", "'@SUM(A1)", None, "'2026-13-01' is not a date (YYYY-MM-DD)", None),
    ]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row[1:] if cell.value is not None)


def test_two_problems_of_a_row_share_its_line_and_a_field_column_holds_both(tmp_path: Path) -> None:
    """A headerless row wider than the header, a problem without a field, and a field twice."""
    from openpyxl import load_workbook

    path = write_csv(tmp_path / "people.csv", "employee_no,name,team\nN1,-Ana,Sur,extra\n")
    shown = preview(SYSTEM, "people", path)
    problems = [RowProblem(2, "name", "=1+1 is no name"), RowProblem(2, "team", "no team Sur"),
                RowProblem(2, "name", "too short"), RowProblem(2, "", "the row is odd")]  # fmt: skip
    out = tmp_path / "bad.xlsx"
    write_problems_xlsx(path, shown, problems, out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows == [
        ("Row", "employee_no", "name", "team", "D", "Problem: name", "Problem: team", "Problem"),
        (2, "N1", "'-Ana", "Sur", "extra", "'=1+1 is no name; too short", "no team Sur", "the row is odd"),
    ]


def test_the_export_cell_guard_neutralises_formula_starts_and_drops_control_characters() -> None:
    from csdesk.services.export_cells import neutralise, xlsx_text

    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(text) == "'" + text
    assert xlsx_text("\x00=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert xlsx_text("a\x07b") == "ab" and xlsx_text("plain") == "plain" and neutralise(-1) == -1
