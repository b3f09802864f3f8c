"""Screenshots of every window for the user guide in README.md, in Chinese and in Spanish.

Builds the demo department in a temporary folder, opens each window offscreen at 1366×768 as the
application does (the bundled font, Qt's own translations) and saves
``docs/screenshots/<window>.<language>.png``. Run it after changing a window:

    .venv/bin/python tools/screenshots.py

The demo is built for a fixed moment, so the pictures change only when the windows do. The user's
own settings and data are never touched (Linux: the sandbox replaces XDG_CONFIG_HOME/XDG_DATA_HOME).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A fixed name (the settings page shows where the database is), emptied before and after a run.
_SANDBOX = Path(tempfile.gettempdir()) / "csdesk-screenshots"
# Before Qt or platformdirs are imported: offscreen, and settings and data in the sandbox.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from csdesk import i18n  # noqa: E402
from csdesk.context import AppContext, build_context  # noqa: E402
from csdesk.services.base import SYSTEM  # noqa: E402
from csdesk.ui.first_run import FirstRunWizard  # noqa: E402
from csdesk.ui.login import LoginDialog  # noqa: E402
from csdesk.ui.main_window import MainWindow  # noqa: E402
from csdesk.ui.qt_setup import install_qt_language, register_font  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LANGUAGES = ("zh_CN", "es_ES")
WIDTH, HEIGHT = 1366, 768
NOW = datetime(2026, 12, 7, 9, 30)  # a Monday morning of the demo's last month
AGENT = "A001"  # whose scorecard is shown
TIMEOUT_S = 30.0


def settle(app: QApplication, ready: Callable[[], bool] = lambda: True) -> None:
    """Let Qt lay out, paint and finish background loads until ``ready``."""
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        app.processEvents()
        if ready():
            break
        if time.monotonic() > deadline:
            raise RuntimeError("a window did not finish loading")
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def save(app: QApplication, widget: QWidget, name: str, lang: str) -> Path:
    settle(app)
    path = OUT / f"{name}.{lang}.png"
    if not widget.grab().save(str(path), "PNG"):
        raise RuntimeError(f"could not write {path}")
    print(path.relative_to(ROOT))
    return path


def page_ready(page: QWidget) -> Callable[[], bool]:
    """Pages that load in the background say so (``loading``; the attendance month when in)."""
    model = getattr(page, "model", None)
    return lambda: not getattr(page, "loading", False) and getattr(model, "month", True) is not None


def dialogs(app: QApplication, ctx: AppContext, lang: str) -> None:
    """The sign-in, and the first-run set-up of a new site."""
    login = LoginDialog(ctx.auth, language=lang)
    login.show()
    save(app, login, "login", lang)
    login.close()
    wizard = FirstRunWizard(ctx, language=lang)
    wizard.resize(wizard.sizeHint().expandedTo(wizard.minimumSizeHint()))
    wizard.show()
    save(app, wizard, "first-run", lang)
    wizard.close()


def main_window(app: QApplication, ctx: AppContext, lang: str) -> None:
    """The supervisor's window on each page, the scorecard of one agent, the keyboard shortcuts."""
    window = MainWindow(ctx, actor=ctx.auth.resolve_actor("supervisor"), idle_lock_ms=0)
    window.resize(WIDTH, HEIGHT)
    window.show()
    for key in window.page_keys():
        window.show_page(key)
        page = window.pages[key]
        settle(app, page_ready(page))
        save(app, window, key, lang)
    window.show_page("scorecards")
    scorecards = window.pages["scorecards"]
    scorecards.open_scorecard(AGENT)
    settle(app, page_ready(scorecards))
    save(app, window, "scorecard", lang)
    shortcuts = window.show_shortcuts()
    save(app, shortcuts, "shortcuts", lang)
    shortcuts.close()
    window.close()


def main() -> int:
    shutil.rmtree(_SANDBOX, ignore_errors=True)
    _SANDBOX.mkdir()
    app = QApplication(sys.argv)
    register_font(app)
    ctx = build_context(str(_SANDBOX / "csdesk.db"), None, clock=lambda: NOW, data_dir=_SANDBOX)
    try:
        ctx.demo.build(SYSTEM)
        OUT.mkdir(parents=True, exist_ok=True)
        for lang in LANGUAGES:
            i18n.install(lang)
            install_qt_language(app, lang)
            dialogs(app, ctx, lang)
            main_window(app, ctx, lang)
    finally:
        ctx.close()
        shutil.rmtree(_SANDBOX, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
