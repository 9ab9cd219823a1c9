"""Engines, sessions and migrations: SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "SMARTPICK_DATABASE_URL"
MIGRATIONS = Path(__file__).with_name("migrations")


def default_url() -> str:
    """``SMARTPICK_DATABASE_URL`` if set, else a SQLite file in the user's data directory."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    folder = Path(user_data_dir("smartpick", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'smartpick.sqlite3'}"


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys on and a shared in-memory pool when asked for ``:memory:``."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs: dict[str, object] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            from sqlalchemy.pool import StaticPool

            kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (every branch head)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


@cache
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


def engine_for(url: str | None = None) -> Engine:
    """A migrated engine for ``url`` (default: `default_url`), made once per process."""
    return _engine_for(url or default_url())


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session from ``factory`` as one transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A transaction on ``engine`` (nothing half-written)."""
    with transaction(sessionmaker(bind=engine, expire_on_commit=False)) as session:
        yield session
