"""Every importer fed hostile files (issue #12): bad rows named, good rows kept, nothing half-written.

For each of the eight importers hypothesis builds files that mix good rows with bad ones —
lines of random bytes, cells longer than the csv module's field limit, NUL bytes, NaN and
infinity, numbers with 20 decimals, impossible dates, formula cells, repeated rows — in UTF-8,
GBK or XLSX, and checks that the import either refuses the whole file with a CsdeskError and
writes nothing, or writes every good row, names every bad row by row number and field, and
adds exactly the good rows to the database.

Every example imports into the same database with keys of its own (``k``), so row counts
are compared as differences.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from csdesk.errors import CsdeskError
from csdesk.models.db import make_engine
from csdesk.services.base import SYSTEM
from tests.helpers.factories import write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


HUGE = 140_000  # over the csv module's own field limit (131,072)
BASE = date(2024, 1, 1)
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Bad values that must each make their row a bad row naming the field.
NUMBER_POISON = ("NaN", "nan", "inf", "-Infinity", "1.12345678901234567890", "1e999999", "1e999999999", "1e-999999999", "=1+1", "+cmd|' /C calc'!A0")
DATE_POISON = ("2026-02-30", "2026-13-01", "NaN", "=TODAY()", "0000-00-00")


@dataclass(frozen=True)
class Kind:
    """An import format: how to write a good row ``i`` of example ``k``, and its poisonable fields."""

    name: str
    header: tuple[str, ...]
    good: Callable[[int, int], tuple[str, ...]]
    number_fields: tuple[str, ...]  # fields that take a number
    date_fields: tuple[str, ...]  # fields that take a date (or month, or date and time)
    table: str
    rows_per_good: int  # database rows one good row adds
    run: Callable[[object, Path], object]
    duplicate_is_bad: bool  # a repeated row is a bad row (else it is counted as a duplicate)


def _day(k: int, i: int) -> date:
    return BASE + timedelta(days=k * 12 + i)


def _month(k: int, i: int) -> str:
    n = k * 12 + i
    return f"{2000 + n // 12:04d}-{n % 12 + 1:02d}"


def _agent(i: int) -> str:
    return f"A{i % 3 + 1}"


KINDS = {
    "people": Kind(
        "people", ("employee_no", "name", "team", "join_date", "phone"),
        lambda k, i: (f"P{k}x{i}", '=HYPERLINK("x")' if i == 0 else f"张伟{i}", "一组", _day(k, i).isoformat(), "13800000001"),
        (), ("join_date",), "people", 1, lambda ctx, p: ctx.people.import_file(SYSTEM, p), True,
    ),
    "roster": Kind(
        "roster", ("employee_no", "date", "shift"),
        lambda k, i: ("A1", _day(k, i).isoformat(), "D"),
        (), ("date",), "roster", 1, lambda ctx, p: ctx.roster.import_file(SYSTEM, p), True,
    ),
    "punches": Kind(
        "punches", ("employee_no", "time", "device"),
        lambda k, i: ("A1", f"{_day(k, i).isoformat()} 08:{i:02d}", "T1"),
        (), ("time",), "punches", 1, lambda ctx, p: ctx.attendance.import_punches(SYSTEM, p), False,
    ),
    "leave": Kind(
        "leave", ("employee_no", "type", "start", "end", "status", "hours"),
        lambda k, i: ("A2", "PERSONAL", _day(k, i).isoformat(), _day(k, i).isoformat(), "approved", "4.5"),
        ("hours",), ("start",), "leave_requests", 1, lambda ctx, p: ctx.attendance.import_leave(SYSTEM, p), False,
    ),
    "ratings": Kind(
        "ratings", ("employee_no", "month", "service_quality", "execution", "collaboration", "discipline"),
        lambda k, i: (_agent(i), _month(k, i), "27.5", "18", "13", "14.5"),
        ("service_quality", "execution", "collaboration", "discipline"), ("month",), "ratings", 4,
        lambda ctx, p: ctx.scorecards.import_ratings(SYSTEM, p), True,
    ),
    "exams": Kind(
        "exams", ("employee_no", "month", "score"),
        lambda k, i: (_agent(i), _month(k, i), "88.5"),
        ("score",), ("month",), "exam_scores", 1, lambda ctx, p: ctx.scorecards.import_exams(SYSTEM, p), True,
    ),
    "events": Kind(
        "events", ("employee_no", "date", "code", "points", "note"),
        lambda k, i: ("A3", _day(k, i).isoformat(), "M07", "-3", f"note {k}/{i}"),
        ("points",), ("date",), "evaluation_events", 1, lambda ctx, p: ctx.scorecards.import_events(SYSTEM, p), False,
    ),
    "sales": Kind(
        "sales", ("member", "phone", "sale_date", "agent"),
        lambda k, i: ('=cmd|\' /C calc\'!A0' if i == 0 else f"会员{k}x{i}", f"139{k:04d}{i:04d}", _day(k, i).isoformat(), "A1"),
        (), ("sale_date",), "sales", 1, lambda ctx, p: ctx.callbacks.import_sales(SYSTEM, p), True,
    ),
}

BAD_KINDS = ("bytes", "huge", "nul", "number", "date", "duplicate")


@st.composite
def import_files(draw: st.DrawFn, kind: Kind) -> tuple[list[tuple[str, object]], str]:
    """A list of ``(what, row)``: what is "good", "duplicate" or "bad:<field>" / "bad:" (any field)."""
    n_good = draw(st.integers(0, 6))
    plan: list[tuple[str, object]] = [("good", i) for i in range(n_good)]
    for _ in range(draw(st.integers(0, 6))):
        plan.insert(draw(st.integers(0, len(plan))), (draw(st.sampled_from(BAD_KINDS)), None))
    rows: list[tuple[str, object]] = []
    bad_i = 100
    for what, i in plan:
        if what == "good":
            rows.append(("good", i))
            continue
        bad_i += 1
        if what == "bytes":
            junk = draw(st.binary(min_size=1, max_size=40).map(lambda b: bytes(c for c in b if c not in b"\r\n\",;\t'")))
            rows.append(("bad:", b"#" + junk))  # one unknown "employee number" (or member) of junk
        elif what == "duplicate":
            if not any(r[0] == "good" for r in rows):
                continue
            first = draw(st.sampled_from([r[1] for r in rows if r[0] == "good"]))
            rows.append(("duplicate", first))
        else:
            if what == "huge":
                field = draw(st.sampled_from(kind.header))
                value: str = draw(st.sampled_from("xé张")) * HUGE
            elif what == "nul":
                field = draw(st.sampled_from(kind.header))
                value = "A\x00" + draw(st.sampled_from(("1", "2026-10-01", "")))
            elif what == "number" and kind.number_fields:
                field = draw(st.sampled_from(kind.number_fields))
                value = draw(st.sampled_from(NUMBER_POISON))
            else:
                field = draw(st.sampled_from(kind.date_fields))
                value = draw(st.sampled_from(DATE_POISON))
                if field == "time":
                    value += " 08:00"
            rows.append((f"bad:{field}", (bad_i, field, value)))
    fmt = draw(st.sampled_from(("utf-8", "utf-8-sig", "gbk", "xlsx")))
    return rows, fmt


def _render(kind: Kind, k: int, rows: list[tuple[str, object]]) -> list[tuple[str, list[str] | bytes]]:
    out: list[tuple[str, list[str] | bytes]] = []
    for what, payload in rows:
        if what in ("good", "duplicate"):
            out.append((what, list(kind.good(k, payload))))  # type: ignore[arg-type]
        elif isinstance(payload, bytes):
            out.append((what, payload))
        else:
            i, field, value = payload  # type: ignore[misc]
            cells = list(kind.good(k, i))
            cells[kind.header.index(field)] = value
            out.append((what, cells))
    return out


def _write(path: Path, kind: Kind, rendered: list[tuple[str, list[str] | bytes]], fmt: str) -> Path:
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        wb = Workbook()
        ws = wb.active
        ws.append(list(kind.header))
        for _what, cells in rendered:
            if isinstance(cells, bytes):
                cells = [cells.decode("latin-1")]
            # XLSX cannot hold NUL or other control characters: such cells go in as text with
            # the character spelled out, which the importer must still refuse as a bad value.
            ws.append([ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", c) for c in cells])
            for cell in ws[ws.max_row]:
                cell.data_type = "s"  # a formula cell stays text, as a real export would give it
        out = path.with_suffix(".xlsx")
        wb.save(out)
        return out
    enc = "utf-8" if fmt == "utf-8-sig" else fmt
    lines = [(("\ufeff" if fmt == "utf-8-sig" else "") + ",".join(kind.header)).encode(enc)]
    for _what, cells in rendered:
        if isinstance(cells, bytes):
            lines.append(cells)
        else:
            lines.append(",".join(f'"{c}"' if '"' in c or "," in c else c for c in (c.replace('"', '""') for c in cells)).encode(enc))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _count(db: Engine, table: str) -> int:
    with db.connect() as con:
        return int(con.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


@pytest.fixture
def agents(ctx, tmp_path: Path):
    people = "employee_no,name,team,level\nA1,张伟,一组,junior\nA2,María Núñez,一组,junior\nA3,Óscar Peña,二组,senior\n"
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "agents.csv", people))
    assert report.written == 3
    return ctx


@pytest.mark.parametrize("name", list(KINDS))
def test_importer_survives_hostile_files(agents, tmp_path: Path, name: str) -> None:
    kind = KINDS[name]
    db = make_engine(agents.db_url)
    counter = itertools.count(1)
    findings: list[str] = []

    @FUZZ
    @given(import_files(kind))
    def run(example: tuple[list[tuple[str, object]], str]) -> None:
        rows, fmt = example
        k = next(counter)
        rendered = _render(kind, k, rows)
        if fmt == "gbk":
            # GBK has no "é" and friends; such a file could not have been saved in GBK.
            try:
                for _what, cells in rendered:
                    if not isinstance(cells, bytes):
                        "".join(cells).encode("gbk")
            except UnicodeEncodeError:
                fmt = "utf-8"
        path = _write(tmp_path / f"{name}-{k}.csv", kind, rendered, fmt)
        before = _count(db, kind.table)
        try:
            report = kind.run(agents, path)
        except CsdeskError:
            assert _count(db, kind.table) == before, "a refused file wrote rows"
            findings.append("refused")
            return
        problems = {p.row: p for p in report.problems}
        goods = [n for n, (what, _c) in enumerate(rendered, start=2) if what == "good"]
        for n, (what, _cells) in enumerate(rendered, start=2):
            if what == "good":
                assert n not in problems, f"good row {n} refused: {problems[n]}"
            elif what.startswith("bad:"):
                assert n in problems, f"bad row {n} ({what}) not reported"
                assert problems[n].field, f"bad row {n} reported without a field"
                expected = what.removeprefix("bad:")
                if expected:
                    assert problems[n].field == expected, f"row {n}: {problems[n]} should name {expected}"
            elif kind.duplicate_is_bad:
                assert n in problems and problems[n].field, f"repeated row {n} not reported"
        assert not set(problems) - {n for n, (what, _c) in enumerate(rendered, start=2) if what != "good"}
        added = _count(db, kind.table) - before
        assert report.written + report.updated >= len(goods) or name == "punches"
        if name == "events":  # a repeated event row is one more occurrence (the count column's meaning)
            repeats = sum(1 for what, _c in rendered if what == "duplicate")
            assert len(goods) * kind.rows_per_good <= added <= (len(goods) + repeats) * kind.rows_per_good
        else:
            assert added == len(goods) * kind.rows_per_good, f"{added} rows added for {len(goods)} good rows"
        findings.append("imported")

    try:
        run()
    finally:
        db.dispose()
    assert "imported" in findings


def test_xlsx_export_neutralises_formula_member_names(agents, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sales = 'member,phone,sale_date,agent\n"=HYPERLINK(""x"")",13900001111,2026-10-10,A1\n@SUM(1),13900002222,2026-10-10,A1\n'
    report = agents.callbacks.import_sales(SYSTEM, write_csv(tmp_path / "sales.csv", sales))
    assert report.written == 2, report.problems
    agenda = agents.callbacks.agenda(SYSTEM, date(2026, 10, 12)) if _has_agenda(agents) else None
    if agenda is None or not agenda.calls:
        pytest.skip("no agenda call to export on that day")
    out = tmp_path / "agenda.xlsx"
    agents.callbacks.export_agenda(SYSTEM, agenda, out)
    ws = load_workbook(out).active
    members = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=3).data_type for r in range(2, ws.max_row + 1)}
    assert "'=HYPERLINK(\"x\")" in members and members["'=HYPERLINK(\"x\")"] == "s"
    assert "'@SUM(1)" in members
    assert not any(str(v).startswith("=") for v in members)


def _has_agenda(ctx) -> bool:
    return hasattr(ctx.callbacks, "agenda")


def test_neutralise_follows_the_owasp_rule() -> None:
    from csdesk.services.export_cells import neutralise

    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")', "=cmd|' /C calc'!A0"):
        assert neutralise(text) == "'" + text
    for value in ("plain", "", "张伟", 5, -3, 2.5, None, datetime(2026, 10, 1), date(2026, 10, 1)):
        assert neutralise(value) == value
