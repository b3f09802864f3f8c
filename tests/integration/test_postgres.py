"""The same services on PostgreSQL: run with CSDESK_TEST_PG=postgresql+psycopg://user:pw@host:port/db.

Skipped when the variable is not set (CI has no server). The schema is dropped first,
so point it at a scratch database.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

URL = os.environ.get("CSDESK_TEST_PG")
pytestmark = [
    pytest.mark.skipif(not URL, reason="set CSDESK_TEST_PG to a scratch PostgreSQL database"),
    # The context's pool keeps its connections until garbage collection closes them.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture
def pg_ctx(tmp_path: Path):
    from sqlalchemy import create_engine, text

    from csdesk.context import build_context
    from tests.helpers.factories import FixedClock

    engine = create_engine(URL)  # type: ignore[arg-type]
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return build_context(URL, None, clock=FixedClock(datetime(2026, 11, 22, 12, 0)), data_dir=tmp_path)


def test_every_area_works_on_postgresql(pg_ctx, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from csdesk.services.base import SYSTEM

    pg_ctx.demo.build(SYSTEM, agents=9, months=2, seed=4)
    month = pg_ctx.attendance.team_month(2026, 11)
    assert len(month.agents) >= 9
    (tmp_path / "p.csv").write_text("employee_no,time\nA001,2026-11-20 08:20\nA001,2026-11-20 08:20\n", encoding="utf-8")
    report = pg_ctx.attendance.import_punches(SYSTEM, tmp_path / "p.csv")
    assert report.duplicates >= 1  # ON CONFLICT DO NOTHING on PostgreSQL
    assert pg_ctx.scorecards.month(SYSTEM, "2026-11").cards
    assert pg_ctx.callbacks.agenda(SYSTEM, None).calls is not None
    engine = create_engine(URL)  # type: ignore[arg-type]
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET username = 'eve'"))
    engine.dispose()
