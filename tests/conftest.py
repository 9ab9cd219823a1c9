"""Shared fixtures: an isolated database per test, and engines for SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from smartpick.store.db import make_engine, migrate, session_scope

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
POSTGRES_URL = os.environ.get("SMARTPICK_TEST_POSTGRES_URL")


@pytest.fixture(autouse=True)
def _isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's CLI and services use their own SQLite file, never the user's."""
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'test.sqlite3'}")


def _backends() -> list[object]:
    backends: list[object] = ["sqlite"]
    backends.append(
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not POSTGRES_URL, reason="SMARTPICK_TEST_POSTGRES_URL not set"),
            ],
        )
    )
    return backends


@pytest.fixture(params=_backends())
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated engine: in-memory SQLite, or a fresh schema on the test PostgreSQL server."""
    if request.param == "sqlite":
        eng = make_engine("sqlite://")
        migrate(eng)
        yield eng
        eng.dispose()
        return
    assert POSTGRES_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = make_engine(POSTGRES_URL)
    eng = eng.execution_options(schema_translate_map=None)
    from sqlalchemy import event

    @event.listens_for(eng, "connect")
    def _search_path(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute(f'SET search_path TO "{schema}"')
        cur.close()
        dbapi_conn.commit()

    eng.dispose()
    migrate(eng)
    yield eng
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """One committed-on-success transaction on the test engine."""
    with session_scope(engine) as s:
        yield s
