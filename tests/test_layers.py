"""The direction of imports (architecture.md): rules are pure; windows and reports never touch SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "csdesk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


FORBIDDEN = {
    "rules": ("PySide6", "sqlalchemy", "reportlab", "babel", "alembic", "csdesk.models", "csdesk.services", "csdesk.ui"),
    "policy": ("PySide6", "sqlalchemy", "reportlab", "csdesk.models", "csdesk.services", "csdesk.ui"),
    "ui": ("sqlalchemy", "alembic", "csdesk.models.db", "csdesk.models.tables", "csdesk.models.repositories"),
    "reports": ("sqlalchemy", "alembic", "PySide6", "csdesk.models.db", "csdesk.models.tables", "csdesk.services"),
    "services": ("PySide6", "reportlab.platypus"),
    "models": ("PySide6", "reportlab", "csdesk.services", "csdesk.ui"),
}


# Plain frozen read models that services return may be imported anywhere (no logic inside).
ALLOWED_EVERYWHERE = ("_types",)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_inward(layer: str) -> None:
    offenders = []
    for module in _modules(layer):
        for name in _imports(module):
            if name.endswith(ALLOWED_EVERYWHERE) and name.startswith("csdesk.services."):
                continue
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offenders.append(f"{module.relative_to(PACKAGE)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_the_layer_test_sees_the_rules() -> None:
    assert _modules("rules"), "csdesk/rules must exist and hold modules"
    assert "csdesk.errors" in _imports(PACKAGE / "cli.py")
