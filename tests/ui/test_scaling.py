"""At 150 % scaling for real: Qt started with QT_SCALE_FACTOR=1.5 (as on a 1920×1080 screen set to
150 %) draws every page of the main window at 1280×720 device-independent pixels, 1920×1080 pixels
on the screen, with each label and button whole. A child process: the scale factor is read once,
when the application starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from csdesk import i18n
from csdesk.services.base import SYSTEM
from csdesk.ui.main_window import PAGES, MainWindow
from csdesk.ui.qt_setup import install_qt_language, register_font
from tests.helpers.factories import FixedClock, make_context
from tests.ui.test_pseudo_locale import clipped

folder, language = Path(sys.argv[1]), sys.argv[2]
app = QApplication([])
register_font(app)
i18n.install(language)
install_qt_language(app, language)
ctx = make_context(folder, FixedClock())
ctx.demo.build(SYSTEM, agents=12, months=1, seed=7)
window = MainWindow(ctx, actor=ctx.auth.resolve_actor("supervisor"), idle_lock_ms=0)
window.resize(QSize(1280, 720))
window.show()
report = {"ratio": window.devicePixelRatio(), "problems": {}}
for spec in PAGES:
    window.show_page(spec.key)
    for _ in range(20):
        app.processEvents()
    page = window.pages[spec.key]
    frame = window.size() - window.stack.size()
    need, room = page.minimumSizeHint(), QSize(1280, 720) - frame
    problems = clipped(window)
    if need.width() > room.width() or need.height() > room.height():
        problems.append(f"needs {need.width()}x{need.height()}, has {room.width()}x{room.height()}")
    report["problems"][spec.key] = problems
image = window.grab()
report["pixels"] = [image.width(), image.height()]
shots = os.environ.get("CSDESK_SCREENSHOTS")
if shots:
    image.save(str(Path(shots) / f"scaled-150-{language}.png"))
ctx.close()
print(json.dumps(report))
"""


def run_scaled(tmp_path: Path, language: str) -> dict:
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), language],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_page_at_150_percent_in_spanish_is_whole(tmp_path: Path) -> None:
    report = run_scaled(tmp_path, "es_ES")
    assert report["ratio"] == 1.5 and report["pixels"] == [1920, 1080]
    assert {key: found for key, found in report["problems"].items() if found} == {}
