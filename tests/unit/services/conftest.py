"""The in-memory unit of work the service tests share: one database migrated per module, copied
fresh for each test (the real schema without paying for the migrations each time)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from csdesk.models.db import UowFactory, migrate, uow_factory
from csdesk.policy import Policy, load_policy


@pytest.fixture(scope="module")
def schema() -> Iterator[sqlite3.Connection]:
    """One in-memory database brought to the head revision, to copy from."""
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    migrate(engine)
    with engine.connect() as conn:
        yield conn.connection.dbapi_connection  # type: ignore[misc]
    engine.dispose()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def uow(schema: sqlite3.Connection) -> Iterator[UowFactory]:
    """Units of work over a fresh in-memory copy of the schema (one connection: StaticPool)."""
    raw = sqlite3.connect(":memory:", check_same_thread=False)
    schema.backup(raw)
    raw.execute("PRAGMA foreign_keys=ON")
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
    yield uow_factory(sessionmaker(engine, expire_on_commit=False))
    engine.dispose()
    raw.close()
