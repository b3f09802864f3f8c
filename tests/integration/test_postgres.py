"""PostgreSQL-only behaviour, on the throw-away server of the test session (tests/helpers/pg.py).

The services' own tests run on both engines (the ``both_engines`` marker); these check what only
PostgreSQL has: ON CONFLICT imports and the audit log's triggers there.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.parametrize("db_engine", ["postgresql"])


@pytest.fixture
def pg_ctx(ctx):
    return ctx


def test_every_area_works_on_postgresql(pg_ctx, db_url: str, tmp_path) -> None:
    from sqlalchemy import create_engine, text

    from csdesk.services.base import SYSTEM

    pg_ctx.demo.build(SYSTEM, agents=9, months=2, seed=4)
    month = pg_ctx.attendance.team_month(SYSTEM, 2026, 11)
    assert len(month.agents) >= 9
    (tmp_path / "p.csv").write_text("employee_no,time\nA001,2026-11-20 08:20\nA001,2026-11-20 08:20\n", encoding="utf-8")
    report = pg_ctx.attendance.import_punches(SYSTEM, tmp_path / "p.csv")
    assert report.duplicates >= 1  # ON CONFLICT DO NOTHING on PostgreSQL
    assert pg_ctx.scorecards.month(SYSTEM, "2026-11").cards
    assert pg_ctx.callbacks.agenda(SYSTEM, None).calls is not None
    engine = create_engine(db_url)
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET username = 'eve'"))
    engine.dispose()
    pg_ctx.close()


def _add(ctx, n: int) -> None:
    from datetime import datetime

    with ctx.audit._uow() as uow:
        for i in range(n):
            uow.audit.add(datetime(2026, 10, 1, 9, 0, i), "sup", "test.add", "thing", str(i), {"n": i, "名": "张"})
        uow.commit()


def test_the_audit_triggers_refuse_every_rewrite_on_postgresql(ctx, db_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from csdesk.services.base import SYSTEM

    _add(ctx, 3)
    engine = create_engine(db_url)
    cols = "(id, at, username, action, entity, entity_id, details, prev_hash, hash)"
    row = "(1, '2026-10-01 00:00:00', 'eve', 'x', 'e', '1', '{}', 'p', 'h')"
    with engine.connect() as conn:
        original = conn.execute(text("SELECT * FROM audit_log WHERE id = 1")).one()
    for stmt in (
        f"INSERT INTO audit_log {cols} VALUES {row} ON CONFLICT (id) DO UPDATE SET username = 'eve'",
        "INSERT INTO audit_log (id, at, username, action, entity, entity_id, details) VALUES "
        "(99, '2026-10-01', 'eve', 'x', 'e', '1', '{}')",
        "UPDATE audit_log SET username = 'eve' WHERE id = 1",
        "DELETE FROM audit_log WHERE id = 2",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(stmt))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT * FROM audit_log WHERE id = 1")).one() == original
    engine.dispose()
    assert ctx.audit.verify(SYSTEM).ok


def test_audit_verify_finds_an_entry_changed_behind_the_triggers_on_postgresql(ctx, db_url: str) -> None:
    from sqlalchemy import create_engine, text

    from csdesk.models.audit_triggers import HASH_MISMATCH
    from csdesk.services.base import SYSTEM

    _add(ctx, 4)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE audit_log SET username = 'eve' WHERE id = 3"))
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    engine.dispose()
    result = ctx.audit.verify(SYSTEM)
    assert not result.ok
    assert (result.first_broken.id, result.first_broken.problem) == (3, HASH_MISMATCH)
