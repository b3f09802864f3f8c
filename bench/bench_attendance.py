"""Issue 4 figures: 1,000,000-punch import vs bare executemany, month classification, GUI switching."""

from __future__ import annotations

import os
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.common import bare_punch_table, each_alone, report

AGENTS_IMPORT = 2000
PUNCHES = 1_000_000


def _people_csv(path: Path, agents: int) -> None:
    lines = ["employee_no,name,team,level"]
    lines += [f"B{i:05d},Agent {i},Team {i % 20},junior" for i in range(agents)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _roster_csv(path: Path, agents: int, first: date, days: int) -> None:
    lines = ["employee_no,date,shift"]
    for i in range(agents):
        for d in range(days):
            day = first + timedelta(days=d)
            lines.append(f"B{i:05d},{day.isoformat()},{'R' if (d + i) % 7 >= 5 else 'D'}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _punch_rows(agents: int, count: int) -> list[tuple[str, datetime]]:
    rng = random.Random(4)
    rows = []
    start = datetime(2025, 1, 1)
    per_agent = count // agents // 2
    for i in range(agents):
        for d in range(per_agent):
            day = start + timedelta(days=d)
            rows.append((f"B{i:05d}", day.replace(hour=8, minute=rng.randint(10, 40), second=rng.randint(0, 59))))
            rows.append((f"B{i:05d}", day.replace(hour=18, minute=rng.randint(0, 30), second=rng.randint(0, 59))))
    return rows


def _context(folder: Path, now: datetime):
    from csdesk.context import build_context

    return build_context(str(folder / "bench.db"), None, clock=lambda: now, data_dir=folder)


def bench_import(folder: Path) -> None:
    from csdesk.services.base import SYSTEM

    ctx = _context(folder, datetime(2026, 11, 22, 12, 0))
    _people_csv(folder / "people.csv", AGENTS_IMPORT)
    ctx.people.import_file(SYSTEM, folder / "people.csv")
    rows = _punch_rows(AGENTS_IMPORT, PUNCHES)
    csv_path = folder / "punches.csv"
    with csv_path.open("w", encoding="utf-8") as fh:
        fh.write("employee_no,time,device\n")
        for no, at in rows:
            fh.write(f"{no},{at:%Y-%m-%d %H:%M:%S},T1\n")
    start = time.perf_counter()
    result = ctx.attendance.import_punches(SYSTEM, csv_path)
    ours = time.perf_counter() - start
    assert result.written == len(rows), result.as_dict()
    start = time.perf_counter()
    again = ctx.attendance.import_punches(SYSTEM, csv_path)
    reimport = time.perf_counter() - start
    assert again.written == 0 and again.duplicates == len(rows)

    # The baseline: the same rows, already parsed, into the same table shape with one executemany.
    ids = {f"B{i:05d}": i + 1 for i in range(AGENTS_IMPORT)}
    bare_rows = [(ids[no], at.strftime("%Y-%m-%d %H:%M:%S.000000"), "T1") for no, at in rows]
    conn = bare_punch_table(folder)
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO punches (person_id, at, device) VALUES (?, ?, ?)", bare_rows)
    bare = time.perf_counter() - start
    conn.close()
    report("import_1m_punches_csv", ours, "s")
    report("import_1m_punches_bare_executemany", bare, "s")
    report("import_1m_punches_ratio_to_bare_executemany", ours / bare, "x (goal <= 2)")
    report("reimport_1m_punches_all_duplicates", reimport, "s")


def _month_db(folder: Path, agents: int):
    """``agents`` agents with a roster and two punches a working day for October 2026."""
    from csdesk.services.base import SYSTEM

    ctx = _context(folder, datetime(2026, 11, 22, 12, 0))
    _people_csv(folder / "people.csv", agents)
    ctx.people.import_file(SYSTEM, folder / "people.csv")
    _roster_csv(folder / "roster.csv", agents, date(2026, 10, 1), 31)
    ctx.roster.import_file(SYSTEM, folder / "roster.csv")
    rng = random.Random(5)
    with (folder / "p.csv").open("w", encoding="utf-8") as fh:
        fh.write("employee_no,time\n")
        for i in range(agents):
            for d in range(1, 32):
                if (d - 1 + i) % 7 < 5 and rng.random() > 0.01:
                    fh.write(f"B{i:05d},2026-10-{d:02d} 08:{rng.randint(0, 45):02d}\n")
                    fh.write(f"B{i:05d},2026-10-{d:02d} 18:{rng.randint(0, 20):02d}\n")
    ctx.attendance.import_punches(SYSTEM, folder / "p.csv")
    return ctx


def bench_classify(folder: Path) -> None:
    from csdesk.services.base import SYSTEM

    ctx = _month_db(folder, 2000)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        month = ctx.attendance.team_month(SYSTEM, 2026, 10)
        times.append(time.perf_counter() - start)
    assert len(month.agents) == 2000
    report("classify_month_2000_agents_service_total", min(times), "s (goal < 1)")


def bench_gui(folder: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from csdesk.services.base import Actor
    from csdesk.ui.pages.attendance import AttendancePage

    app = QApplication.instance() or QApplication([])
    ctx = _month_db(folder, 500)
    page = AttendancePage(ctx, actor=Actor("supervisor", "supervisor"))
    page.show()
    pool = QThreadPool.globalInstance()

    def settle() -> None:
        settle_page(app, page, pool)

    settle()
    page.year, page.month = 2026, 10
    page.refresh()
    settle()
    blocked, shown, cached = [], [], []
    for _ in range(3):
        page._cache.clear()
        start = time.perf_counter()
        page.shift_month(-1)  # September: computed in the background
        blocked.append(time.perf_counter() - start)
        settle()
        shown.append(time.perf_counter() - start)
        page.shift_month(1)  # October: computed again (the cache was cleared)
        settle()
        start = time.perf_counter()
        page.shift_month(-1)  # September again: from the cache
        app.processEvents()
        assert page.model.month.month == 9
        cached.append(time.perf_counter() - start)
        page.shift_month(1)
        settle()
    report("switch_month_500_agents_gui_thread_blocked", max(blocked) * 1000, "ms (goal < 100)")
    report("switch_month_500_agents_until_grid_shown_uncached", max(shown) * 1000, "ms")
    report("switch_month_500_agents_cached", max(cached) * 1000, "ms (goal < 100)")

    # The longest the GUI thread goes without turning its event loop while 200,000 punches import.
    rows = _punch_rows(500, 200_000)
    path = folder / "gui-import.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("employee_no,time\n")
        for no, at in rows:
            fh.write(f"{no},{at:%Y-%m-%d %H:%M:%S}\n")
    from csdesk.ui.dialogs import import_dialog

    import_dialog.ImportReportDialog.exec = lambda self: 0  # type: ignore[method-assign]
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    done: list[int] = []
    job = page.start_import(path)
    job.succeeded.connect(lambda _r: done.append(len(gaps)))
    while not done:
        app.processEvents()
        time.sleep(0.002)
    during = max(gaps)
    while pool.activeThreadCount() or page.model.month is None:  # the month is recomputed after the import
        app.processEvents()
        time.sleep(0.002)
    app.processEvents()
    timer.stop()
    report("gui_thread_longest_stall_during_200k_import", during, "ms (goal < 100; the import runs in a child process)")
    report("gui_thread_longest_stall_while_month_recomputes_after_import", max(gaps[done[0]:] or [0]), "ms")


def main() -> None:
    each_alone(bench_classify, bench_gui, bench_import)


if __name__ == "__main__":
    main()


def settle_page(app, page, pool) -> None:  # type: ignore[no-untyped-def]
    """Until the attendance page shows the month it is on (its background load done and shown)."""
    while page.model.month is None or (page.model.month.year, page.model.month.month) != (page.year, page.month):
        app.processEvents()
        pool.waitForDone(5)
    app.processEvents()
