"""Test-wide set-up: offscreen Qt, a fixed language, isolated settings and data folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before anything imports Qt or platformdirs: never touch the developer's own files.
_SANDBOX = Path(tempfile.mkdtemp(prefix="csdesk-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["LANG"] = "en_US.UTF-8"
os.environ.pop("LC_ALL", None)
os.environ.pop("CSDESK_DB", None)
os.environ.pop("CSDESK_POLICY", None)
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")

import pytest  # noqa: E402

from csdesk import i18n  # noqa: E402
from tests.helpers.factories import FixedClock, make_context  # noqa: E402


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


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def ctx(tmp_path: Path, clock: FixedClock):
    """Real services on a fresh SQLite file (migrated), with a fixed clock."""
    return make_context(tmp_path, clock)


@pytest.fixture
def demo_ctx(ctx):
    """``ctx`` with a small demo department in it: people, logins and roster (no area data)."""
    from csdesk.services.base import SYSTEM

    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7, areas=False)
    return ctx
