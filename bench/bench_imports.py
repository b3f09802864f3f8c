"""Issue 13 figures: punch files as DingTalk exports them.

* a 1,000,000-punch DingTalk 原始记录 CSV (title rows above the header, 考勤日期 and 打卡时间 as
  separate date and time columns) against a bare sqlite3 ``executemany`` of the same rows into
  the same table, measured as bench_attendance measures its plain CSV (goal <= 1.5x); its
  punches listed person by person as bench_attendance lists them, and again day by day;
* a 100,000-punch XLSX of the same shape (goal < 10 s);
* the import wizard's preview of the 1,000,000-row file (goal < 1 s): the service call the
  wizard makes on the GUI thread, and the wizard's whole opening on the GUI thread.

The generated files are cached in bench/.cache (gitignored). Each figure runs in a fresh
interpreter, as bench_attendance's do. Wall time and the process's CPU time are both reported:
the machine the benches run on is shared.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from datetime import date, datetime
from pathlib import Path

from bench.bench_attendance import AGENTS_IMPORT, PUNCHES, _context, _people_csv, _punch_rows
from bench.common import CACHE, bare_punch_table, each_alone, report

XLSX_PUNCHES = 100_000
_VERSION = 1  # bump when the generated files change shape
HEADER = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果", "打卡地址",
          "打卡备注", "异常打卡原因", "打卡设备"]  # fmt: skip
_WEEKDAYS = "一二三四五六日"


def _title_rows(rows: list[tuple[str, datetime]]) -> list[str]:
    first, last = min(at for _no, at in rows).date(), max(at for _no, at in rows).date()
    return [f"原始记录 统计日期：{first} 至 {last}", "报表生成时间：2026-12-01 10:00"]


def _rows(count: int, by_day: bool = False) -> list[tuple[str, datetime]]:
    """bench_attendance's punches (the same people, days and minutes), to the minute as DingTalk
    writes them: person by person as bench_attendance lists them, or ``by_day`` (day by day)."""
    rows = [(no, at.replace(second=0)) for no, at in _punch_rows(AGENTS_IMPORT, count)]
    return sorted(rows, key=lambda row: row[1]) if by_day else rows


def _cells(rows: list[tuple[str, datetime]]) -> list[list[str]]:
    """The DingTalk cells of each punch: its day as ``25-01-01 星期三``, its time as ``08:23``."""
    days: dict[date, str] = {}
    out = []
    for no, at in rows:
        day = at.date()
        written = days.get(day)
        if written is None:
            written = days[day] = f"{day:%y-%m-%d} 星期{_WEEKDAYS[day.weekday()]}"
        n = int(no[1:])
        planned = "09:00" if at.hour < 12 else "18:00"
        out.append([f"Agent {n}", "客服考勤", f"Team {n % 20}", no, "客服", f"0{n + 100}", written, planned,
                    f"{at:%H:%M}", "正常", "总部", "", "", "考勤机A"])  # fmt: skip
    return out


def dingtalk_csv(count: int, by_day: bool = False) -> Path:
    """The DingTalk raw records of ``_rows(count, by_day)`` as CSV (UTF-8 with BOM, as Excel saves it), cached."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"dingtalk-{count}{'-by-day' if by_day else ''}-v{_VERSION}.csv"
    if not path.exists():
        rows = _rows(count, by_day)
        part = path.with_suffix(".part")
        with part.open("w", encoding="utf-8-sig", newline="") as fh:
            fh.write("\r\n".join([*_title_rows(rows), ",".join(HEADER)]) + "\r\n")
            fh.writelines(",".join(cells) + "\r\n" for cells in _cells(rows))
        part.replace(path)
    return path


def dingtalk_xlsx(count: int) -> Path:
    """The same records as a workbook of text cells (as DingTalk's export holds them), cached."""
    from openpyxl import Workbook

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"dingtalk-{count}-v{_VERSION}.xlsx"
    if not path.exists():
        rows = _rows(count)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("原始记录")
        for title in _title_rows(rows):
            ws.append([title])
        ws.append(HEADER)
        for cells in _cells(rows):
            ws.append(cells)
        part = path.with_suffix(".part")
        wb.save(part)
        part.replace(path)
    return path


def _site(folder: Path):  # type: ignore[no-untyped-def]
    """bench_attendance's site: its database and its 2,000 people."""
    from csdesk.services.base import SYSTEM

    ctx = _context(folder, datetime(2026, 11, 22, 12, 0))
    _people_csv(folder / "people.csv", AGENTS_IMPORT)
    ctx.people.import_file(SYSTEM, folder / "people.csv")
    return ctx


def _timed(fn):  # type: ignore[no-untyped-def]
    """``(result, wall seconds, CPU seconds of this process)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _csv_figure(folder: Path, by_day: bool) -> tuple[float, float, float, float]:
    """(ours, bare, our CPU, bare CPU) seconds of the 1,000,000-punch DingTalk CSV."""
    from csdesk.services.base import SYSTEM

    path = dingtalk_csv(PUNCHES, by_day)
    ctx = _site(folder)
    result, ours, ours_cpu = _timed(lambda: ctx.attendance.import_punches(SYSTEM, path))
    assert result.written == PUNCHES and not result.problems, result.as_dict()

    # The baseline, as bench_attendance's: the same rows, already parsed, in the file's order, into
    # the same table with one executemany.
    ids = {f"B{i:05d}": i + 1 for i in range(AGENTS_IMPORT)}
    bare_rows = [(ids[no], at.strftime("%Y-%m-%d %H:%M:%S.000000"), "考勤机A") for no, at in _rows(PUNCHES, by_day)]
    conn = bare_punch_table(folder)

    def bare_insert() -> None:
        with conn:
            conn.executemany("INSERT INTO punches (person_id, at, device) VALUES (?, ?, ?)", bare_rows)

    _none, bare, bare_cpu = _timed(bare_insert)
    conn.close()
    return ours, bare, ours_cpu, bare_cpu


def bench_csv(folder: Path) -> None:
    ours, bare, ours_cpu, bare_cpu = _csv_figure(folder, by_day=False)
    report("import_1m_punches_dingtalk_csv", ours, f"s (CPU {ours_cpu:.2f} s)")
    report("import_1m_punches_bare_executemany", bare, f"s (CPU {bare_cpu:.2f} s)")
    report("import_1m_punches_dingtalk_csv_ratio_to_bare_executemany", ours / bare, "x (goal <= 1.5)")
    report("import_1m_punches_dingtalk_csv_cpu_ratio_to_bare_executemany", ours_cpu / bare_cpu, "x")


def bench_csv_by_day(folder: Path) -> None:
    """The same punches listed day by day (DingTalk can export either way): the import writes each
    batch in the order its indexes take best, which depends on how the file is listed."""
    ours, bare, ours_cpu, bare_cpu = _csv_figure(folder, by_day=True)
    report("import_1m_punches_dingtalk_csv_by_day", ours, f"s (CPU {ours_cpu:.2f} s)")
    report("import_1m_punches_by_day_bare_executemany", bare, f"s (CPU {bare_cpu:.2f} s)")
    report("import_1m_punches_dingtalk_csv_by_day_ratio_to_bare_executemany", ours / bare, "x (goal <= 1.5)")


def bench_xlsx(folder: Path) -> None:
    from csdesk.services.base import SYSTEM

    path = dingtalk_xlsx(XLSX_PUNCHES)
    ctx = _site(folder)
    result, wall, cpu = _timed(lambda: ctx.attendance.import_punches(SYSTEM, path))
    assert result.written == XLSX_PUNCHES and not result.problems, result.as_dict()
    report("import_100k_punches_dingtalk_xlsx", wall, f"s (CPU {cpu:.2f} s; goal < 10)")


def bench_preview(folder: Path) -> None:
    from csdesk.services.base import SYSTEM
    from csdesk.services.import_preview import preview

    path = dingtalk_csv(PUNCHES)
    walls, cpus = [], []
    for _ in range(5):
        shown, wall, cpu = _timed(lambda: preview(SYSTEM, "punches", path))
        walls.append(wall)
        cpus.append(cpu)
    assert shown.header_row == 3 and len(shown.rows) == 3 + 20, (shown.header_row, len(shown.rows))
    report("preview_1m_punches_dingtalk_csv_first", walls[0], f"s (CPU {cpus[0]:.2f} s)")
    report("preview_1m_punches_dingtalk_csv_median", statistics.median(walls), f"s (CPU {statistics.median(cpus):.2f} s; goal < 1)")


def bench_wizard(folder: Path) -> None:
    """The GUI thread's time from the file chosen to the wizard shown (its dry run then starts in a child process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication, QFileDialog

    from bench.bench_attendance import settle_page
    from csdesk.services.base import Actor
    from csdesk.ui.dialogs.import_wizard import ImportWizard
    from csdesk.ui.pages.attendance import AttendancePage

    path = dingtalk_csv(PUNCHES)
    app = QApplication.instance() or QApplication([])
    ctx = _site(folder)
    page = AttendancePage(ctx, actor=Actor("supervisor", "supervisor"))
    page.show()
    pool = QThreadPool.globalInstance()
    settle_page(app, page, pool)
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(path), ""))  # type: ignore[method-assign]
    walls, cpus = [], []
    for _ in range(3):
        _none, wall, cpu = _timed(page.import_punches)
        walls.append(wall)
        cpus.append(cpu)
        wizards = [w for w in page.findChildren(ImportWizard) if w.isVisible()]
        assert len(wizards) == 1
        # Cancel the dry run; its process ends at its next progress report. The job is held until
        # then: the wizard drops it, and a child still starting would not find its queue.
        job = wizards[0]._dry_job
        wizards[0].reject()
        while multiprocessing.active_children():
            app.processEvents()
            time.sleep(0.01)
        del job
    report("wizard_open_1m_punches_gui_thread", max(walls), f"s (CPU {max(cpus):.2f} s; the preview and the dry run's start)")


def main() -> None:
    dingtalk_csv(PUNCHES)  # generated once, outside the figures
    dingtalk_csv(PUNCHES, by_day=True)
    dingtalk_xlsx(XLSX_PUNCHES)
    each_alone(bench_preview, bench_wizard, bench_xlsx, bench_csv, bench_csv_by_day)


if __name__ == "__main__":
    main()
