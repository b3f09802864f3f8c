"""The day/month order of dates in every import, not only punches (issue #13).

The roster, leave, people, sales and events imports decide the order of a file's year-last dates
(``03/11/2026``) once, from its dates whose first or second number is over 12, as punch files do:
a month-first export is read month first, a file whose dates never tell is refused whole unless
the order is given, and a file written in both orders is refused naming a row of each. ISO and
Chinese dates and Excel date cells never ask.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from csdesk.cli import main
from csdesk.models.db import make_engine
from csdesk.services.base import SYSTEM
from csdesk.services.imports.reader import FileRejected, ImportReport
from tests.helpers.factories import write_csv

# Today is 2026-10-15 (FixedClock): every date below has happened, read either way.
PEOPLE = "employee_no,name,team,level\n1001,张伟,一组,junior\n1002,María Núñez,二组,junior\n"


@dataclass(frozen=True)
class Kind:
    """An import, a file of its kind in the shape of a real export with one row per date written,
    and the query reading back the dates it stored."""

    name: str
    field: str  # the field a bad date is reported under
    first_row: int  # the row number of the file's first data row
    write: Callable[[Path, list[str]], Path]
    run: Callable[..., ImportReport]
    stored: str  # SQL: the stored dates


def _roster(path: Path, days: list[str]) -> Path:
    """A workforce-management schedule export: a title row, then one shift per person and day."""
    rows = [f"{1001 + n % 2},{'张伟' if n % 2 == 0 else 'María Núñez'},{day},D,Main floor" for n, day in enumerate(days)]
    return write_csv(path, "\n".join(["Shift schedule export", "Employee No,Name,Date,Shift Code,Location", *rows]) + "\n")


def _leave(path: Path, days: list[str]) -> Path:
    """An HR system's leave export: one-day requests."""
    rows = [f"1001,SICK,{day},{day},approved,flu" for day in days]
    return write_csv(path, "\n".join(["employee_no,Leave Type,Start,End,Status,Reason", *rows]) + "\n")


def _people(path: Path, days: list[str]) -> Path:
    """An HR staff list with Chinese headers: the join date as written, the birthday in ISO."""
    rows = [f"N{n:02d},新人{n},客服一组,{day},1998-07-21,13800000{n:03d}" for n, day in enumerate(days)]
    return write_csv(path, "\n".join(["工号,姓名,班组,入职日期,生日,电话", *rows]) + "\n")


def _sales(path: Path, days: list[str]) -> Path:
    """A sales system's export of new members."""
    rows = [f"Member {n},139000{n:05d},{day},1001,,no" for n, day in enumerate(days)]
    return write_csv(path, "\n".join(["Member,Phone,Sale Date,Agent,Birthday,VIP", *rows]) + "\n")


def _events(path: Path, days: list[str]) -> Path:
    """A team lead's sheet of evaluation events."""
    rows = [f"1002,{day},B03,5,helped a colleague" for day in days]
    return write_csv(path, "\n".join(["employee_no,date,code,points,note", *rows]) + "\n")


KINDS = [
    Kind("roster", "date", 3, _roster, lambda ctx, path, **o: ctx.roster.import_file(SYSTEM, path, **o),
         "SELECT day FROM roster"),
    Kind("leave", "start", 2, _leave, lambda ctx, path, **o: ctx.attendance.import_leave(SYSTEM, path, **o),
         "SELECT start_day FROM leave_requests"),
    Kind("people", "join_date", 2, _people, lambda ctx, path, **o: ctx.people.import_file(SYSTEM, path, **o),
         "SELECT join_date FROM people WHERE employee_no LIKE 'N%'"),
    Kind("sales", "sale_date", 2, _sales, lambda ctx, path, **o: ctx.callbacks.import_sales(SYSTEM, path, **o),
         "SELECT sale_date FROM sales"),
    Kind("events", "date", 2, _events, lambda ctx, path, **o: ctx.scorecards.import_events(SYSTEM, path, **o),
         "SELECT day FROM evaluation_events"),
]  # fmt: skip


@pytest.fixture
def site(ctx, tmp_path: Path):
    """Two agents; nothing else stored."""
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "staff.csv", PEOPLE))
    assert report.written == 2, report.problems
    return ctx


def stored(ctx: Any, kind: Kind) -> list[date]:
    engine = make_engine(ctx.db_url)
    try:
        with engine.connect() as con:
            values = con.execute(text(kind.stored)).scalars().all()
    finally:
        engine.dispose()
    return sorted(date.fromisoformat(str(v)[:10]) for v in values)


def problems(report: ImportReport) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in report.problems]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_month_first_file_is_read_month_first_from_its_one_telling_date(site, tmp_path: Path, kind: Kind) -> None:
    """10/03 and 10/05 read either way; 09/25 can only be month first, so the whole file is. ISO and
    Chinese dates read as always; a date that is none is a bad row naming its row and field."""
    days = ["10/03/2026", "10/05/2026", "2026-10-07", "2026年10月8日", "09/25/2026", "31/31/2026"]
    report = kind.run(site, kind.write(tmp_path / f"{kind.name}.csv", days))
    assert problems(report) == [(kind.first_row + 5, kind.field)]
    assert "31/31/2026" in report.problems[0].message
    expected = [date(2026, 9, 25), date(2026, 10, 3), date(2026, 10, 5), date(2026, 10, 7), date(2026, 10, 8)]
    assert stored(site, kind) == expected
    assert "Dates read as month/day/year." in report.notes


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_day_first_file_is_read_day_first_and_says_so(site, tmp_path: Path, kind: Kind) -> None:
    report = kind.run(site, kind.write(tmp_path / f"{kind.name}.csv", ["03/10/2026", "25/09/2026", "05/10/2026"]))
    assert problems(report) == []
    assert stored(site, kind) == [date(2026, 9, 25), date(2026, 10, 3), date(2026, 10, 5)]
    assert "Dates read as day/month/year." in report.notes


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_file_whose_dates_cannot_tell_is_refused_whole_unless_the_order_is_given(site, tmp_path: Path, kind: Kind) -> None:
    path = kind.write(tmp_path / f"{kind.name}.csv", ["2026-10-01", "10/03/2026", "10/05/2026"])
    before = stored(site, kind)
    with pytest.raises(FileRejected) as refused:
        kind.run(site, path)
    message = refused.value.message()
    assert "every date could be day/month/year or month/day/year" in message and f"{kind.name}.csv" in message
    assert f"row {kind.first_row + 1}" in message and "--date-order" in message
    assert refused.value.params["date_order_needed"] is True  # the wizard asks for the order
    assert stored(site, kind) == before  # nothing written
    report = kind.run(site, path, date_order="mdy")
    assert problems(report) == [] and report.written == 3
    assert stored(site, kind) == [date(2026, 10, 1), date(2026, 10, 3), date(2026, 10, 5)]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_file_written_in_both_orders_is_refused_naming_both_rows(site, tmp_path: Path, kind: Kind) -> None:
    """Row 2 (09/25) can only be month first, row 3 (25/09) only day first: refused whole; with the
    order given, the date that does not fit it is a bad row."""
    path = kind.write(tmp_path / f"{kind.name}.csv", ["10/03/2026", "09/25/2026", "26/09/2026"])
    with pytest.raises(FileRejected) as refused:
        kind.run(site, path)
    message = refused.value.message()
    assert "written in two orders" in message
    assert f"row {kind.first_row + 2} ('26/09/2026')" in message and f"row {kind.first_row + 1} ('09/25/2026')" in message
    assert stored(site, kind) == []
    report = kind.run(site, path, date_order="mdy")
    assert problems(report) == [(kind.first_row + 2, kind.field)] and "mdy" in report.problems[0].message
    assert stored(site, kind) == [date(2026, 9, 25), date(2026, 10, 3)]


def test_excel_date_cells_read_as_dates_beside_month_first_text(site, tmp_path: Path) -> None:
    """A workbook whose date cells are shown month first, and whose pasted rows are text: the cells
    are dates whatever their format, the text is read month first from its one telling date."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "日期", "班次"])
    for day in (datetime(2026, 10, 3), datetime(2026, 10, 4), "10/05/2026", "09/25/2026"):
        ws.append(["1001", day, "D"])
        ws.cell(ws.max_row, 2).number_format = "mm/dd/yyyy"
    wb.save(tmp_path / "roster.xlsx")
    report = site.roster.import_file(SYSTEM, tmp_path / "roster.xlsx")
    assert problems(report) == [] and report.written == 4
    assert stored(site, KINDS[0]) == [date(2026, 9, 25), date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5)]


def test_cli_date_order_for_a_roster_file(site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _roster(tmp_path / "roster.csv", ["10/03/2026", "10/05/2026"])
    code = main(["--db", site.db_url, "--json", "import", "roster", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "--date-order" in json.loads(out)["error"] and "--date-order" in err
    code = main(["--db", site.db_url, "import", "roster", str(path), "--date-order", "mdy"])
    out, _err = capsys.readouterr()
    assert code == 0 and "Dates read as month/day/year." in out
    assert stored(site, KINDS[0]) == [date(2026, 10, 3), date(2026, 10, 5)]
    code = main(["--db", site.db_url, "import", "ratings", str(path), "--date-order", "mdy"])
    _out, err = capsys.readouterr()
    assert code == 2 and "--date-order" in err and "roster" in err
