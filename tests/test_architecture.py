"""Dependencies point inward: the domain imports no outer layer, CLI and web reach storage only through
the services, and no smartpick module imports itself back through others (no import cycle)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[1] / "src" / "smartpick" / "domain"
FORBIDDEN = (
    "smartpick.cli",
    "smartpick.web",
    "smartpick.store",
    "smartpick.services",
    "smartpick.data",
    "sqlalchemy",
    "typer",
    "fastapi",
    "rich",
    "click",
    "uvicorn",
    "alembic",
    "requests",
    "httpx",
)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_no_outer_layer() -> None:
    bad = {
        (str(p.relative_to(DOMAIN)), name)
        for p in DOMAIN.rglob("*.py")
        for name in _imports(p)
        if name.startswith(FORBIDDEN)
    }
    assert bad == set()


def test_domain_reads_no_clock_and_no_files() -> None:
    offenders = []
    for p in DOMAIN.rglob("*.py"):
        text = p.read_text()
        for needle in ("date.today(", "datetime.now(", "open(", ".read_text(", "time.time("):
            if needle in text:
                offenders.append((p.name, needle))
    assert offenders == []


SRC = DOMAIN.parent
EDGES = ("smartpick.web", "smartpick.cli")
STORE = "smartpick.store"
STORE_ALLOWED: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in SRC.rglob("*.py")}


def _absolute(node: ast.ImportFrom, module: str) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    is_package = MODULES[module].name == "__init__.py"
    base = package[: len(package) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _targets(node: ast.AST, module: str) -> set[str]:
    """The smartpick modules one import statement loads (``from pkg import mod`` names the submodule)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names}
    if not isinstance(node, ast.ImportFrom):
        return set()
    base = _absolute(node, module)
    return {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}


def _graph() -> dict[str, set[str]]:
    """Module -> smartpick modules it imports, anywhere in the file (inside functions too)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        found = set().union(*(_targets(n, module) for n in ast.walk(ast.parse(path.read_text()))))
        graph[module] = {t for t in found if t in MODULES and t != module}
    return graph


def store_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, store module) for every CLI or web module that imports the store directly."""
    return sorted(
        (module, target)
        for module, targets in graph.items()
        if module.startswith(EDGES) and module not in STORE_ALLOWED
        for target in targets
        if target.startswith(STORE)
    )


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (its modules in order, the first repeated at the end), or [] when there is none."""
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        return list(reversed(exc.args[1]))
    return []


def test_cli_and_web_reach_storage_only_through_the_services() -> None:
    bad = store_imports(_graph())
    assert bad == [], "import smartpick.services instead of smartpick.store: " + repr(bad)


def test_smartpick_modules_import_each_other_without_a_cycle() -> None:
    cycle = find_cycle(_graph())
    assert cycle == [], "import cycle: " + " -> ".join(cycle)


def test_the_checks_catch_a_store_import_and_a_cycle() -> None:
    graph = {
        "smartpick.web.x": {"smartpick.store.db", "smartpick.services.y"},
        "smartpick.services.y": {"smartpick.store.db", "smartpick.services.z"},
        "smartpick.services.z": {"smartpick.services.y"},
        "smartpick.store.db": set(),
    }
    assert store_imports(graph) == [("smartpick.web.x", "smartpick.store.db")]
    cycle = find_cycle(graph)
    assert set(cycle) == {"smartpick.services.y", "smartpick.services.z"} and cycle[0] == cycle[-1]


def test_the_import_graph_sees_imports_inside_functions() -> None:
    graph = _graph()
    assert "smartpick.services.database" in graph["smartpick.cli.serve"]  # imported inside a function
    assert "smartpick.store.profiles" in graph["smartpick.services.profiles"]  # imported at the top
