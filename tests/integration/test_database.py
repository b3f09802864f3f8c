"""Migrations, the unit of work and the append-only audit log on real SQLite."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from csdesk.models.db import current_revisions, make_engine, open_database, resolve_url, uow_factory
from csdesk.models.domain import PersonData
from csdesk.models.base import schema_heads


pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


def test_schema_heads_are_the_alembic_heads() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from csdesk.models.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert set(ScriptDirectory.from_config(cfg).get_heads()) == set(schema_heads())


def test_first_use_migrates_and_sets_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = resolve_url(str(tmp_path / "x.db"))
    open_database(url)
    engine = make_engine(url)
    assert current_revisions(engine) == schema_heads()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_bare_path_means_sqlite_and_env_is_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url("/tmp/a.db") == "sqlite:////tmp/a.db"
    assert resolve_url("postgresql+psycopg://u:p@127.0.0.1/db").startswith("postgresql+psycopg://")
    monkeypatch.setenv("CSDESK_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")


def test_unit_of_work_rolls_back_unless_committed(tmp_path: Path) -> None:
    uow = uow_factory(open_database(resolve_url(str(tmp_path / "x.db"))))
    with uow() as w:
        w.teams.add("A")
    with uow() as w:
        assert w.teams.list() == []
    with pytest.raises(RuntimeError), uow() as w:
        w.teams.add("B")
        raise RuntimeError("boom")
    with uow() as w:
        w.teams.add("C")
        w.commit()
    with uow() as w:
        assert [t.name for t in w.teams.list()] == ["C"]


def test_unique_employee_numbers_are_enforced_by_the_database(tmp_path: Path) -> None:
    uow = uow_factory(open_database(resolve_url(str(tmp_path / "x.db"))))
    with uow() as w:
        w.people.add(PersonData("A1", "张伟", None), None)
        with pytest.raises(IntegrityError):
            w.people.add(PersonData("A1", "Otro", None), None)


def test_audit_log_is_append_only(tmp_path: Path) -> None:
    url = resolve_url(str(tmp_path / "x.db"))
    uow = uow_factory(open_database(url))
    with uow() as w:
        w.audit.add(datetime(2026, 10, 1), "sup", "x", "e", "1", {"a": 1})
        w.commit()
    engine = make_engine(url)
    for stmt in ("UPDATE audit_log SET username='eve'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    with uow() as w:
        assert [e.username for e in w.audit.recent()] == ["sup"]


def test_migrations_build_exactly_the_tables_the_models_declare(tmp_path: Path) -> None:
    """Alembic's autogenerate finds nothing to do: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from csdesk.models.tables import Base, register_all_tables

    register_all_tables()
    url = resolve_url(str(tmp_path / "x.db"))
    open_database(url)
    with make_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_command_declares_only_the_tables_of_the_areas_it_uses() -> None:
    """Callbacks, QA and disputes are declared by their repositories, not at every start; an area
    declared later still finds the tables it refers to."""
    import subprocess
    import sys

    code = (
        "from csdesk.models.tables import Base\n"
        "names = set(Base.metadata.tables)\n"
        "print(sorted(n for n in ('people', 'punches', 'evaluation_events', 'handover_entries', 'callbacks', 'qa_inspections', 'scorecard_responses') if n in names))\n"
        "import csdesk.models.repo_disputes\n"
        "fk = Base.metadata.tables['inspection_responses'].c.inspection_id.foreign_keys\n"
        "print(sorted(f.column.table.name for f in fk), 'callbacks' in Base.metadata.tables)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["['evaluation_events', 'handover_entries', 'people', 'punches']", "['qa_inspections'] False"]
