"""Import files read fast (issue #13 benchmarks) and still exactly as before.

* CSV text: the rows as the csv module reads them, cells stripped, whatever the line ends; the
  cells as written (``Sheet.raw``) for a reader that strips only what it reads;
* XLSX: each sheet's rows as openpyxl's read-only mode gives them (the differential tests), but
  streamed: a sheet is never read whole before its first row, and a ``<dimension>`` smaller than
  the data cuts nothing off;
* the import wizard's preview reads only the start of a text file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.services.base import SYSTEM
from csdesk.services.import_preview import preview
from csdesk.services.imports import sources
from csdesk.services.imports.reader import FileRejected
from csdesk.services.imports.sources import cell_text, open_sheets

# --- CSV --------------------------------------------------------------------------------------

PIECES = ["a", "b", "工号", " ", "\u3000", ",", ";", "\t", "\n", "\r", "\r\n", '"', '""', "\x00", "\x1c", "\x85", "\u2028"]


def csv_module_rows(text: str, delimiter: str) -> list[list[str]]:
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from([",", ";", "\t"]))
def test_text_rows_are_the_csv_modules_in_any_piece_size(text: str, delimiter: str) -> None:
    for chunk in (3, 7, 1 << 16):  # lines cut into pieces anywhere: each piece still ends after a newline
        sources._LINES_CHUNK, saved = chunk, sources._LINES_CHUNK
        try:
            if '"' not in text:
                assert [[c.strip() for c in r] for r in sources._unquoted_rows(text, delimiter)] == csv_module_rows(text, delimiter)
            lines = sources._lines(text)
            assert [[c.strip() for c in row] for row in csv.reader(lines, delimiter=delimiter)] == csv_module_rows(text, delimiter)
        finally:
            sources._LINES_CHUNK = saved


@pytest.mark.parametrize("quoted", [False, True])
def test_a_csv_files_raw_rows_are_its_rows_unstripped(tmp_path: Path, quoted: bool) -> None:
    text = "工号,打卡时间\r\n 1001 ,2026-11-02 08:55\r\n\r\n1002,\u30002026-11-02 09:01\r\n"
    if quoted:
        text = text.replace("1002", '"1002"')
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with open_sheets(path) as sheets:
        (sheet,) = sheets
        assert sheet.raw is not None
        raw = list(sheet.raw())
        assert raw == [["工号", "打卡时间"], [" 1001 ", "2026-11-02 08:55"], [], ["1002", "\u30002026-11-02 09:01"]]
        assert list(sheet.rows()) == [[c.strip() for c in row] for row in raw]


# --- the preview reads the start of a text file -----------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_the_preview_of_a_big_text_file_reads_only_its_start(tmp_path: Path, monkeypatch, encoding: str) -> None:
    lines = ["考勤报表", "工号,姓名,打卡时间"] + [f"{1000 + i},张伟,2026-11-02 08:{i % 60:02d}" for i in range(2000)]
    path = tmp_path / "big.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    monkeypatch.setattr(sources, "START_BYTES", 3_001)  # an odd number: a UTF-16 character cut in two
    decoded: list[int] = []
    decode = sources.decode_bytes
    monkeypatch.setattr(sources, "decode_bytes", lambda raw: decoded.append(len(raw)) or decode(raw))

    shown = preview(SYSTEM, "punches", path)
    assert decoded and max(decoded) <= 3_001
    assert shown.header_row == 2
    assert [number for number, _cells in shown.rows] == list(range(1, 23))
    assert shown.rows[-1] == (22, ("1019", "张伟", "2026-11-02 08:19"))  # whole rows, none cut at the limit


def test_a_text_file_shorter_than_the_limit_is_read_whole_by_the_preview(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text("工号,打卡时间\n1001,2026-11-02 08:55", encoding="utf-8")  # no newline at the end
    shown = preview(SYSTEM, "punches", path)
    assert shown.rows == ((1, ("工号", "打卡时间")), (2, ("1001", "2026-11-02 08:55")))


# --- XLSX ---------------------------------------------------------------------------------------


def openpyxl_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    """The rows as the reader read every workbook before (openpyxl read-only, data_only)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, [[cell_text(v) for v in values] for values in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def our_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    with open_sheets(path) as sheets:
        return [(sheet.name, list(sheet.rows())) for sheet in sheets]


def every_kind_of_cell(path: Path, *, write_only: bool, epoch_1904: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook(write_only=write_only)
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    if not write_only:
        wb.remove(wb.active)
    ws = wb.create_sheet("原始记录")
    rows: list[list[object]] = [
        ["考勤报表 2026-11"],
        [],
        ["工号", "姓名", "打卡时间", "日期", "时间", "小时", "分数", "在职", "备注", "公式"],
        ["1001", "张伟", datetime(2026, 11, 2, 8, 55, 12), date(2026, 11, 2), time(8, 55), timedelta(hours=9, minutes=30),
         27.5, True, "  padded  ", "=1+1"],
        [1002, "María Núñez", datetime(2026, 11, 2, 18, 3, 59, 999_999), None, time(18, 3, 5), 8, 30.0, False, "#N/A", None],
        [None, None, None, None, None, None, None, None, None, None, "beyond the header"],
    ]
    if not write_only:
        rows.append(["1003", CellRichText(["rich ", TextBlock(InlineFont(b=True), "text")]), 46328.37, "x_x005F_y"])
    for cells in rows:
        ws.append(cells)
    if not write_only:
        formats = {2: "yyyy/m/d h:mm:ss", 3: "yyyy-mm-dd", 4: "h:mm", 5: "[h]:mm"}
        for row in ws.iter_rows(min_row=4):
            for c in row:
                if c.column - 1 in formats and c.value is not None:
                    c.number_format = formats[c.column - 1]
        ws["A12"] = "a row after a gap"
        ws["D12"] = 45000
        ws["D12"].number_format = "yyyy-mm-dd"
        wb.create_sheet("空").append([])
    wb.save(path)
    return path


@pytest.mark.parametrize(("write_only", "epoch_1904"), [(False, False), (True, False), (False, True)])
def test_an_xlsx_reads_as_openpyxl_reads_it(tmp_path: Path, write_only: bool, epoch_1904: bool) -> None:
    path = every_kind_of_cell(tmp_path / "book.xlsx", write_only=write_only, epoch_1904=epoch_1904)
    ours = our_rows(path)
    assert ours == openpyxl_rows(path)
    assert ours[0][1][3][:3] == ["1001", "张伟", "2026-11-02 08:55:12"]


def _replace_sheet(path: Path, sheet_xml: str) -> Path:
    """``path`` with its first sheet's XML replaced."""
    out = path.with_name("edited.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, sheet_xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _book(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["x"])
    wb.save(tmp_path / "base.xlsx")
    return tmp_path / "base.xlsx"


def test_cells_without_references_and_rows_out_of_order_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    xml = (
        f'<worksheet {NS}><dimension ref="A1:D4"/><sheetData>'
        '<row r="1"><c t="inlineStr"><is><t>工号</t></is></c><c t="inlineStr"><is><t>时间</t></is></c></row>'
        '<row><c r="B2" t="inlineStr"><is><r><t>08</t></r><r><t>:55</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c></row>'
        '<row r="4"><c r="C4"><v>1.5E+3</v></c><c><v>7</v></c><c r="A4" t="b"><v>1</v></c></row>'
        '<row r="3"><c r="A3" t="str"><v>late</v></c></row>'
        "</sheetData></worksheet>"
    )
    path = _replace_sheet(_book(tmp_path), xml)
    assert our_rows(path) == openpyxl_rows(path)
    assert our_rows(path)[0][1] == [["工号", "时间", "", ""], ["", "08:55", "", ""], ["", "", "", ""], ["True", "", "1500", "7"]]


def test_a_dimension_smaller_than_the_data_cuts_nothing_off(tmp_path: Path) -> None:
    """Some writers always say A1: openpyxl's read-only mode then read one cell of the whole sheet."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c><c r="B{n}"><v>{n}</v></c></row>' for n in range(1, 6))
    path = _replace_sheet(_book(tmp_path), f'<worksheet {NS}><dimension ref="A1"/><sheetData>{rows}</sheetData></worksheet>')
    assert our_rows(path)[0][1] == [[str(n), str(n)] for n in range(1, 6)]


def test_a_sheet_is_streamed_not_read_whole_before_its_first_rows(tmp_path: Path) -> None:
    """A sheet without <dimension> (as streaming writers leave it) was read whole when the workbook
    opened, only to size it: now its first rows are read as they are asked for, so the wizard's
    preview of a million-row workbook is quick, and damage past them is refused only when reached."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c></row>' for n in range(1, 40))
    path = _replace_sheet(_book(tmp_path), f"<worksheet {NS}><sheetData>{rows}<row r=")  # cut short
    with open_sheets(path) as sheets:
        rows_read = sheets[0].rows()
        assert [next(rows_read) for _ in range(30)] == [[str(n)] for n in range(1, 31)]
        with pytest.raises(FileRejected, match="Cannot read the spreadsheet"):
            list(rows_read)
