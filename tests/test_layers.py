"""The import structure: an ast scan of symmle/, imports inside functions included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import symmle

PACKAGE = Path(symmle.__file__).parent


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            continue
        yield node
        yield from runtime_nodes(node)


def imported(module: str, path: Path, names: dict[str, Path]) -> Iterator[str]:
    """Every symmle module ``module`` imports when it runs: at its top or inside a function,
    not under ``if TYPE_CHECKING:``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in names else base


def graph() -> dict[str, set[str]]:
    """symmle's imports; the package's own are the modules of its names, imported on first use."""
    names = module_names()
    edges = {
        m: {t for t in imported(m, p, names) if t in names and t != m} for m, p in names.items()
    }
    edges["symmle"] |= {*symmle.LAZY.values(), symmle.PRINTERS}
    return {m: targets | packages_run(m, targets) for m, targets in edges.items()}


def packages_run(module: str, targets: set[str]) -> set[str]:
    """The packages whose ``__init__`` importing ``targets`` runs first (a.b.c runs a.b's),
    but for those ``module`` lies in, which have started already."""
    found = set()
    for target in targets:
        parts = target.split(".")
        for cut in range(2, len(parts)):
            package = ".".join(parts[:cut])
            if not module.startswith(package + "."):
                found.add(package)
    return found


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while (w := stack.pop()) != v:
                component.add(w)
            if component:
                found.append({v, *component})

    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_the_scan_sees_imports_inside_functions() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [{"a", "b", "c"}]
    assert "symmle.site.build" in graph()["symmle.cli.main"]  # imported inside run()
    assert "symmle.api" in graph()["symmle"]  # on first use of symmle.mle
    assert "symmle.derive.step" not in graph()["symmle.display"]  # for annotations only


def test_only_the_top_layer_imports_the_package_itself() -> None:
    importers = {m for m, targets in graph().items() if "symmle" in targets}
    top = ("symmle.cli", "symmle.site", "symmle.testing")
    assert importers and all(m.startswith(top) for m in importers), sorted(importers)


def test_one_newton_and_one_iteration_serve_families_and_regressions() -> None:
    """Newton's method is written once, in the numeric core."""
    defined = [
        (module, node.name)
        for module, path in module_names().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef | ast.FunctionDef)
        and node.name in ("Iteration", "direction", "line_search", "maximise")
    ]
    assert sorted(defined) == [
        ("symmle.numeric.newton", name)
        for name in ("Iteration", "direction", "line_search", "maximise")
    ]


def test_one_covariance_routine_serves_every_standard_error() -> None:
    """The information is inverted in one place (the simplex's projection included)."""
    inverting = sorted(
        module
        for module, path in module_names().items()
        if "linalg.inv(" in path.read_text(encoding="utf-8")
    )
    assert inverting == ["symmle.numeric.covariance"]
