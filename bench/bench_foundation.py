"""Issue 3 figures: cold start to an interactive main window, and `csdesk demo`."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import big_database, report

# Runs in a fresh interpreter: everything a real start does, the login included.
_CHILD = r"""
import sys, time
from PySide6.QtWidgets import QApplication
from csdesk import i18n
from csdesk.context import build_context
from csdesk.ui.main_window import MainWindow
from csdesk.ui.qt_setup import install_qt_language, register_font
app = QApplication(sys.argv)
app.setOrganizationName("csdesk-bench")
register_font(app)
install_qt_language(app, i18n.install("zh_CN"))
ctx = build_context(sys.argv[1])
actor = ctx.auth.login("supervisor", "demo")
window = MainWindow(ctx, actor=actor)
window.show_page("people")
window.show()
app.processEvents()
print("READY", flush=True)
"""


def cold_start(db: Path, runs: int = 5) -> float:
    """Median seconds from starting the process until its main window is shown (the child prints
    READY then); the child's exit afterwards is not part of the start."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        ready = time.perf_counter() - start
        _out, err = child.communicate()
        assert "READY" in line and child.returncode == 0, err
        times.append(ready)
    return statistics.median(times)


def demo_time() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "csdesk", "--db", str(Path(tmp) / "demo.db"), "demo"], check=True, stdout=subprocess.DEVNULL
        )
        return time.perf_counter() - start


def main() -> None:
    report("demo_default_30_agents_3_months", demo_time(), "s")
    start = time.perf_counter()
    db = big_database()
    report("synthetic_db_500_agents_36_months_build", time.perf_counter() - start, "s (cached after the first run)")
    report("cold_start_to_main_window_500_agents_3_years", cold_start(db), "s")


if __name__ == "__main__":
    main()
