"""The PyInstaller bundle starts on a supervisor's PC: built from build_installer.spec (or a build
newer than every source file is reused), it creates its database, signs in, prints, and the
desktop program starts on an empty data folder.

The build takes about a minute; it runs on one xdist worker while the others go on.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist" / "csdesk"
PROGRAM = DIST / "csdesk"
SOURCES = ("csdesk", "resources", "translations")


def _newest_source() -> float:
    times = [(ROOT / "build_installer.spec").stat().st_mtime]
    for folder in SOURCES:
        times += [p.stat().st_mtime for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return max(times)


@pytest.fixture(scope="module")
def bundle() -> Path:
    (ROOT / "build").mkdir(exist_ok=True)
    with open(ROOT / "build" / "bundle.lock", "w") as lock:  # xdist workers: one builds, the other waits
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not PROGRAM.exists() or PROGRAM.stat().st_mtime < _newest_source():
            pyinstaller = Path(sys.executable).with_name("pyinstaller")
            build = subprocess.run(
                [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "build_installer.spec"],
                cwd=ROOT, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
            assert build.returncode == 0, build.stderr[-4000:]
    return DIST


def _env(tmp_path: Path) -> dict[str, str]:
    # Nothing of the developer's machine: an empty home, data and config folder, no display.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSDESK_", "XDG_", "PYTHON"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               QT_QPA_PLATFORM="offscreen")  # fmt: skip
    return env


def _run(bundle: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / "csdesk-cli"), *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_bundle_makes_a_database_signs_in_and_prints_in_chinese_and_spanish(bundle: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    db = tmp_path / "site.db"
    made = _run(bundle, env, "--db", str(db), "demo")
    assert made.returncode == 0, made.stderr
    env["CSDESK_PASSWORD"] = "demo"
    month = f"{date.today().replace(day=1) - timedelta(days=1):%Y-%m}"  # the demo's last whole month
    for lang, title in (("zh_CN", "月度考核表"), ("es_ES", "Hoja de evaluación mensual")):
        out = tmp_path / f"sheet-{lang}.pdf"
        printed = _run(bundle, env, "--db", str(db), "--user", "supervisor", "print", "evaluation", "--month", month,
                       "--agent", "A001", "--lang", lang, "--out", str(out))  # fmt: skip
        assert printed.returncode == 0, printed.stderr
        assert title in pdf_text(out)
    refused = _run(bundle, {**env, "CSDESK_PASSWORD": "wrong"}, "--db", str(db), "--user", "supervisor", "scorecard", "--month", month)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr


def test_the_desktop_program_starts_on_an_empty_data_folder(bundle: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    program = subprocess.Popen([str(bundle / "csdesk")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        database = tmp_path / "data" / "csdesk" / "csdesk.db"
        deadline = time.monotonic() + 60
        while not database.exists() and program.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # the window is up: still running, nothing raised
        assert program.poll() is None, program.communicate()[1]
        assert database.exists()
    finally:
        program.terminate()
        _out, err = program.communicate(timeout=30)
    assert "Traceback" not in err, err


def test_the_desktop_program_s_self_test_passes_and_exits(bundle: Path, tmp_path: Path) -> None:
    """What a new PC needs, through the desktop program itself: a database made, the supervisor
    signed in, every page drawn and a sheet printed, then exit 0 on its own."""
    env = _env(tmp_path)
    checked = subprocess.run([str(bundle / "csdesk"), "--lang", "es_ES", "gui", "--self-test"], env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "Traceback" not in checked.stderr
    assert not (tmp_path / "data" / "csdesk" / "csdesk.db").exists()  # the site's data folder is left alone


def test_the_bundle_carries_no_qt_quick(bundle: Path) -> None:
    """The on-screen keyboard plugin would pull Qt Quick and QML in; the spec leaves them out."""
    libs = [p.name for p in bundle.rglob("*") if p.is_file()]
    assert not [n for n in libs if "Qt6Quick" in n or "Qt6Qml" in n or "virtualkeyboard" in n.lower()]
