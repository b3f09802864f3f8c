"""No import circles between csdesk's modules (issue "The signed month").

Every module under ``csdesk/`` is parsed with :mod:`ast`; an edge A → B is an import of B that
runs when A is imported: module-level statements, also inside module-level ``if``/``try``/``with``
blocks and class bodies, but not inside functions (a deferred import) nor under
``if TYPE_CHECKING:`` (never run). ``from P import n`` is an edge to the module ``P.n`` when there
is one, else to ``P``. The parent packages a dotted import initialises on the way are not edges:
a package is registered before its ``__init__`` runs, so they do not deadlock an import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "csdesk"

Graph = Mapping[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(body: Iterable[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue  # runs when called, not on import
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _runtime_imports(node.body)
            yield from _runtime_imports(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _runtime_imports(block)
        elif isinstance(node, ast.ClassDef | ast.With | ast.For | ast.While):
            yield from _runtime_imports(node.body)
            yield from _runtime_imports(getattr(node, "orelse", ()))


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` names (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    return ".".join([*parts[:keep], *([node.module] if node.module else [])])


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the csdesk modules it imports at module level."""
    paths = {module_name(p, package.parent): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _base(name, is_package, node)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names]
            graph[name].update(t for t in targets if t in paths and t != name)
    return graph


def _components(graph: Graph) -> list[list[str]]:
    """Strongly connected components (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def _cycle_in(component: list[str], graph: Graph) -> list[str]:
    """One shortest circle through the component's first module, as a path back to it."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    return [start, start]


def import_cycles(graph: Graph) -> list[list[str]]:
    """One circle per group of modules that import each other, e.g. ``[a, b, a]``."""
    return [_cycle_in(c, graph) for c in _components(graph) if len(c) > 1]


def test_csdesk_has_no_import_cycles() -> None:
    graph = import_graph()
    cycles = import_cycles(graph)
    lines = []
    for cycle in cycles:
        members = next(c for c in _components(graph) if cycle[0] in c)
        lines.append(
            " -> ".join(cycle)
            + (f"  (group of {len(members)}: {', '.join(members)})" if len(members) > 2 else "")
        )
    assert not cycles, "import cycles:\n" + "\n".join(lines)


def test_the_graph_sees_module_level_imports_only() -> None:
    graph = import_graph()
    assert "csdesk.rules.scoring" in graph["csdesk.rules.promotion"]
    assert "csdesk.services.scorecard_compute" in graph["csdesk.services.scorecards"]
    assert all(not name.startswith("csdesk.ui") for name in graph["csdesk.services.scorecard_compute"])


def test_the_cycle_finder_finds_circles(tmp_path: Path) -> None:
    pkg = tmp_path / "csdesk"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from csdesk import b\n",
        "b.py": "import csdesk.sub.c\n",
        "sub/__init__.py": "",
        "sub/c.py": "from .. import a\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from csdesk import e\n",
        "e.py": "from csdesk.d import x\ndef f():\n    from csdesk import e\n",
        "f.py": "try:\n    from csdesk.sub import g\nexcept ImportError:\n    pass\n",
        "sub/g.py": "from . import c\nfrom csdesk.f import y\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text, encoding="utf-8")
    graph = import_graph(pkg)
    assert graph["csdesk.d"] == set()  # TYPE_CHECKING only
    assert graph["csdesk.e"] == {"csdesk.d"}  # the function's import is deferred
    assert graph["csdesk.sub.c"] == {"csdesk.a"}
    assert sorted(map(tuple, import_cycles(graph))) == [
        ("csdesk.a", "csdesk.b", "csdesk.sub.c", "csdesk.a"),
        ("csdesk.f", "csdesk.sub.g", "csdesk.f"),
    ]
