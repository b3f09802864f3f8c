"""The declarative base and the schema's head revision.

Every schema change is an Alembic revision in ``migrations/versions``. Each area
adds its own revision on top of ``0002_attendance``; a merge revision joins them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import DeclarativeBase

T = TypeVar("T")
IN_LIST_LIMIT = 900  # bound parameters per IN (...) list, well under SQLite's limit


def in_batches(values: Sequence[T], size: int = IN_LIST_LIMIT) -> Iterator[Sequence[T]]:
    """``values`` in slices short enough for one ``IN (...)`` list each."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)


@cache
def schema_heads() -> frozenset[str]:
    """The head revisions, read from the migration files without importing Alembic (fast start)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        values = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" not in values:
            continue
        revisions.add(eval(values["revision"], {}))  # a string literal
        down = eval(values.get("down_revision", "None"), {})  # None, a string, or a tuple (merge)
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return frozenset(revisions - parents)


class Base(DeclarativeBase):
    pass
