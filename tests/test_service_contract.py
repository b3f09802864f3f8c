"""One contract between models and services (issue "The signed month").

Repositories hang off the unit of work and return frozen records; services read those records
by field name and change data only through the repositories' write methods. This test parses
every module of ``csdesk/services`` and fails on

(a) a field picked by position from a row: ``row[16]``, ``r[0]``, ``rec[-1]``, ``record[:12]`` on
    a loop variable named ``row``, ``r``, ``rec`` or ``record`` (the names rows from a repository
    call are given) or on such a name assigned the result of a call in the same function
    (``row = repo.item_row(i)``), ``*row`` spread inside such a loop, and ``*row[...]`` anywhere;
(b) an import of the ORM classes (``csdesk.models.tables*``): services never touch ORM rows.

Exceptions are listed below with the reason; an exception that no longer matches anything
fails too, so the list cannot outlive the code it excuses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "csdesk"
SERVICES = PACKAGE / "services"
ROW_NAMES = frozenset({"row", "r", "rec", "record"})
ORM_MODULE = "csdesk.models.tables"

# (a) (module under csdesk/services, enclosing function) -> why positional access is right there.
POSITIONAL_EXCEPTIONS: dict[tuple[str, str], str] = {
    # Checks a backup file through the sqlite3 driver before anything opens it with SQLAlchemy
    # (sqlite_master names, PRAGMA integrity_check, alembic_version): one-column driver rows,
    # no repository involved.
    ("backup_files.py", "check_file"): "driver rows of a file being checked",
}

# (b) module under csdesk/services -> why it may import ORM classes. None today: the bulk loaders
# (the *_demo modules, the sales import) go through their repositories' bulk methods.
ORM_IMPORT_EXCEPTIONS: dict[str, str] = {}


def _service_modules() -> list[Path]:
    return sorted(SERVICES.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(SERVICES).as_posix()


# --- (a) fields picked by position ------------------------------------------------------


def _bound(target: ast.expr) -> set[str]:
    """The row-like names a loop target binds (``r``, ``i, row``, ``(k, rec)``...)."""
    if isinstance(target, ast.Name):
        return {target.id} & ROW_NAMES
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_bound(e) for e in target.elts))
    if isinstance(target, ast.Starred):
        return _bound(target.value)
    return set()


def _is_position(index: ast.expr) -> bool:
    """An integer constant (``0``, ``-1``) or a slice with integer constant bounds (``:12``)."""
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, (ast.USub, ast.UAdd)):
        index = index.operand
    if isinstance(index, ast.Constant):
        return isinstance(index.value, int) and not isinstance(index.value, bool)
    if isinstance(index, ast.Slice):
        bounds = [b for b in (index.lower, index.upper) if b is not None]
        return bool(bounds) and all(_is_position(b) for b in bounds)
    return False


def _picks(node: ast.AST, names: frozenset[str]) -> Iterator[ast.AST]:
    """Positional picks and spreads of ``names`` inside ``node``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and sub.value.id in names:
            if _is_position(sub.slice):
                yield sub
        elif (
            isinstance(sub, ast.Starred) and isinstance(sub.ctx, ast.Load)
            and isinstance(sub.value, ast.Name) and sub.value.id in names
        ):  # fmt: skip
            yield sub


class _PositionalPicks(ast.NodeVisitor):
    """Collects (line, function, source) of every positional pick in one module."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: dict[tuple[int, int], tuple[str, str]] = {}
        self._function: list[str] = []

    def _add(self, node: ast.AST) -> None:
        key = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        text = ast.get_source_segment(self.source, node) or ast.dump(node)
        self.found.setdefault(key, (self._function[-1] if self._function else "<module>", text))

    def _scan(self, node: ast.AST, names: set[str]) -> None:
        for pick in _picks(node, frozenset(names)):
            self._add(pick)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._function.append(node.name)
        # ``row = repo.item_row(item_id)``: a row-like name given what a call returned.
        called = {
            t.id for sub in ast.walk(node) if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call)
            for t in sub.targets if isinstance(t, ast.Name) and t.id in ROW_NAMES
        }  # fmt: skip
        if called:
            for pick in _picks(node, frozenset(called)):
                if isinstance(pick, ast.Subscript):
                    self._add(pick)
        self.generic_visit(node)
        self._function.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        names = _bound(node.target)
        if names:
            for part in [*node.body, *node.orelse]:
                self._scan(part, names)
        self.generic_visit(node)

    visit_AsyncFor = visit_For  # type: ignore[assignment]

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        names = set().union(*(_bound(g.target) for g in node.generators))
        if names:
            self._scan(node, names)
        self.generic_visit(node)

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension  # type: ignore[assignment]

    def visit_Starred(self, node: ast.Starred) -> None:
        """``*row[...]``: a row cut by position and spread into a call or a tuple, loop or not."""
        value = node.value
        if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id in ROW_NAMES:
            self._add(node)
        self.generic_visit(node)


def positional_picks(source: str) -> list[tuple[int, str, str]]:
    """(line, enclosing function, source text) of every positional pick in ``source``."""
    finder = _PositionalPicks(source)
    finder.visit(ast.parse(source))
    return [(line, function, text) for (line, _col), (function, text) in sorted(finder.found.items())]


# What attendance (before commit 31c9a21) and the handover (before ItemState) read: the checker must see it.
OLD_ATTENDANCE = '''
class AttendanceService:
    def _team_month(self, uow, year, month, team, employee_no=None):
        repo = AttendanceRepository(uow.session)
        people = [PersonInfo(*row) for row in repo.people(team, employee_no)]
        leaves = [
            LeaveInfo(r[16], r[4], r[5], r[6], r[7], r[8], r[10], r[11])
            for r in repo.leave_between(first, last)
            if r[16] in wanted
        ]
        fixes = [(r[12], r[4], r[5]) for r in repo.corrections(first, last, status="approved") if r[12] in wanted]

    def _correction_dto(self, row):
        return PunchCorrection(*row[:12])

    def close_item(self, actor, item_id, outcome):
        with self._uow() as uow:
            row = repo.item_row(item_id)
            if row[1] is not None:
                raise ValidationError("closed already")
            for rec in repo.calls(ids):
                total += rec[-1]
'''


def test_the_checker_would_have_failed_on_the_old_attendance_code() -> None:
    picks = positional_picks(OLD_ATTENDANCE)
    texts = [text for _line, _function, text in picks]
    assert "*row" in texts  # PersonInfo(*row) for row in repo.people(...)
    assert texts.count("r[16]") == 2 and "r[12]" in texts and "r[4]" in texts
    assert "*row[:12]" in texts  # the parameter of _correction_dto, cut by position
    assert "rec[-1]" in texts and "row[1]" in texts  # the handover's item_row, before its ItemState
    assert {function for _line, function, _text in picks} == {"_team_month", "_correction_dto", "close_item"}


def test_the_checker_leaves_names_and_keys_alone() -> None:
    fine = '''
def f(repo, rows, ws):
    a = [r.person_id for r in repo.leave_between(first, last)]
    b = {row["id"]: row for row in rows}
    c = [rec.status for rec in repo.calls(ids) if rec.kind == "SALE1"]
    for key, sale, *_rest in changes:
        pass
    for window_cell, due_cell in ws.iter_rows(min_row=2):
        window_cell.number_format = "x"
    found = repo.details([1])
    return found[0], best[1], row["due"]
'''
    assert positional_picks(fine) == []


def test_services_pick_no_field_by_position() -> None:
    modules = _service_modules()
    assert len(modules) > 20 and (SERVICES / "attendance.py") in modules
    offenders, excused = [], set()
    for path in modules:
        for line, function, text in positional_picks(path.read_text(encoding="utf-8")):
            key = (_name(path), function)
            if key in POSITIONAL_EXCEPTIONS:
                excused.add(key)
                continue
            offenders.append(f"services/{key[0]}:{line} in {function}(): {text}")
    assert not offenders, "read records by field name, not by position:\n" + "\n".join(offenders)
    stale = set(POSITIONAL_EXCEPTIONS) - excused
    assert not stale, f"exceptions that match nothing any more (remove them): {sorted(stale)}"


# --- (b) ORM classes stay in csdesk/models -------------------------------------------------


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports (function-level imports too), relative ones resolved."""
    package = ["csdesk", *path.relative_to(PACKAGE).parent.parts] if path.is_relative_to(PACKAGE) else []
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # from csdesk.models import tables
    return found


def _orm_imports(path: Path) -> list[str]:
    return sorted(m for m in _imported(path) if m == ORM_MODULE or m.startswith(ORM_MODULE))


def test_the_import_check_sees_orm_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from csdesk.models.tables_callbacks import MemberRow\n"
        "def f():\n    from csdesk.models import tables\n    import csdesk.models.tables_handover\n",
        encoding="utf-8",
    )
    assert set(_orm_imports(sample)) >= {
        "csdesk.models.tables_callbacks", "csdesk.models.tables", "csdesk.models.tables_handover",
    }  # fmt: skip


def test_services_import_no_orm_class() -> None:
    offenders, excused = [], set()
    for path in _service_modules():
        found = _orm_imports(path)
        if found and _name(path) in ORM_IMPORT_EXCEPTIONS:
            excused.add(_name(path))
        elif found:
            offenders.append(f"services/{_name(path)} imports {', '.join(found)}")
    assert not offenders, "services reach rows through repositories, never ORM classes:\n" + "\n".join(offenders)
    stale = set(ORM_IMPORT_EXCEPTIONS) - excused
    assert not stale, f"exceptions that match nothing any more (remove them): {sorted(stale)}"
