"""Dependencies point inward: the domain core imports no outer layer."""

from __future__ import annotations

import ast
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
