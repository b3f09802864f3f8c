"""Test-wide set-up: offscreen Qt, a fixed language, isolated settings and data folders."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Before anything imports Qt or platformdirs: never touch the developer's own files.
_SANDBOX = Path(tempfile.mkdtemp(prefix="csdesk-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["LANG"] = "en_US.UTF-8"
os.environ.pop("LC_ALL", None)
os.environ.pop("CSDESK_DB", None)
os.environ.pop("CSDESK_POLICY", None)
# The command line signs in (policy security.cli_password): commands in tests act as the demo
# supervisor unless a test says otherwise (tests/integration/test_cli_auth.py does).
os.environ["CSDESK_USER"] = "supervisor"
os.environ["CSDESK_PASSWORD"] = "demo"
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")

import pytest  # noqa: E402

from csdesk import i18n  # noqa: E402
from csdesk.services import auth as _auth  # noqa: E402

# Argon2 at the shipped cost is ~45 ms a hash, and every demo database hashes six accounts and every
# command signs in: the tests hash at the lowest cost. A hash names its own parameters, so
# verifying (and the same-time rule for unknown names) works exactly as in production.
_auth._HASHER = _auth.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
from tests.helpers.factories import FixedClock, make_context  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_engines: run on SQLite and on a throw-away PostgreSQL server")
    config.addinivalue_line("markers", "sqlite_only(reason): in a both_engines module, a test of SQLite itself")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_engines`` run twice: ``[sqlite]`` and ``[postgresql]``."""
    node = metafunc.definition
    if "db_engine" not in metafunc.fixturenames or not node.get_closest_marker("both_engines"):
        return
    if node.get_closest_marker("sqlite_only"):
        return
    # A context a test opens beside ``ctx`` may leave pooled connections for the garbage collector;
    # the server drops the test's database (and its sessions) at teardown.
    quiet = [
        pytest.mark.filterwarnings("ignore::ResourceWarning"),
        pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    ]
    metafunc.parametrize("db_engine", ["sqlite", pytest.param("postgresql", marks=quiet)])


def pytest_report_header(config: pytest.Config) -> str:
    from tests.helpers import pg

    reason = pg.unavailable()
    return f"postgresql: {'SKIPPED, ' + reason if reason else 'a throw-away server for the both_engines tests'}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use Qt fixtures are marked ``gui``: `pytest -m "not gui"` is the fast loop."""
    for item in items:
        if {"qtbot", "qapp", "window", "main_window"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.install("en")
    yield
    i18n.install("en")
    # Qt's own catalogue too, if a test installed one: a module's tests run on one worker, and a
    # Spanish qtbase left behind writes "Ctrl+Intro" for the next test's Ctrl+Return.
    qt_setup = sys.modules.get("csdesk.ui.qt_setup")
    if qt_setup is not None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            qt_setup.install_qt_language(app, "en")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session, started on first use; skips with the reason if none."""
    from tests.helpers import pg

    reason = pg.unavailable()
    if reason:
        pytest.skip(f"PostgreSQL half skipped: {reason}")
    server = pg.Server()
    try:
        server.start()
        server.make_template()
    except RuntimeError as exc:
        server.stop()
        pytest.skip(f"PostgreSQL half skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def db_engine() -> str:
    """The database engine under test: SQLite, or both for tests marked ``both_engines``."""
    return "sqlite"


@pytest.fixture
def db_url(db_engine: str, tmp_path: Path, request: pytest.FixtureRequest):
    """A fresh migrated database for one test: a SQLite file, or a copy of the PostgreSQL template."""
    if db_engine == "sqlite":
        yield str(tmp_path / "csdesk.db")
        return
    server = request.getfixturevalue("pg_server")
    url = server.fresh_database()
    yield url
    _collect_open_connections()
    server.drop(url)


def _collect_open_connections() -> None:
    """Connections a test left to the garbage collector (a second context, a raw engine) are
    closed now, quietly, instead of warning at some later test."""
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture
def ctx(tmp_path: Path, clock: FixedClock, db_url: str):
    """Real services on a fresh migrated database (SQLite unless ``both_engines``), with a fixed clock."""
    context = make_context(tmp_path, clock, db=db_url)
    yield context
    context.close()


@pytest.fixture
def demo_ctx(ctx):
    """``ctx`` with a small demo department in it: people, logins and roster (no area data)."""
    from csdesk.services.base import SYSTEM

    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7, areas=False)
    return ctx
