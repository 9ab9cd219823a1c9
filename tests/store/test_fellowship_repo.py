"""Resident portfolios in the database: the migration, save/replace, read back, list, delete, owners."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from smartpick.domain.fellowship.portfolio import Portfolio
from smartpick.domain.validation import parse_model
from smartpick.store import fellowship_repo as repo
from smartpick.store.db import make_engine, migrate, session_scope

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> Portfolio:
    return parse_model(Portfolio, tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8")))


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = make_engine("sqlite://")
    migrate(eng)
    yield eng
    eng.dispose()


def test_migration_creates_the_table_with_its_key_columns(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("resident_portfolios")}
    assert {"name", "owner_id", "resident_name", "pgy", "residency_start_year", "primary_track"} <= columns


def test_saved_portfolio_reads_back_equal(engine: Engine) -> None:
    spine = example("resident-portfolio.toml")
    with session_scope(engine) as session:
        repo.save_portfolio(session=session, name="jordan", portfolio=spine)
    with session_scope(engine) as session:
        assert repo.get_portfolio(session=session, name="jordan") == spine
        assert repo.get_portfolio(session=session, name="nobody") is None


def test_saving_again_replaces_and_owners_are_separate(engine: Engine) -> None:
    spine, pain = example("resident-portfolio.toml"), example("resident-portfolio-pain.toml")
    with session_scope(engine) as session:
        first = repo.save_portfolio(session=session, name="p", portfolio=spine)
        second = repo.save_portfolio(session=session, name="p", portfolio=pain)
        repo.save_portfolio(session=session, name="p", portfolio=spine, owner_id=7)
    assert first == second
    with session_scope(engine) as session:
        assert repo.get_portfolio(session=session, name="p") == pain
        assert repo.get_portfolio(session=session, name="p", owner_id=7) == spine
        assert repo.list_portfolios(session=session) == ["p"]


def test_list_and_delete(engine: Engine) -> None:
    with session_scope(engine) as session:
        for name in ("b", "a"):
            repo.save_portfolio(session=session, name=name, portfolio=example("resident-portfolio-pain.toml"))
    with session_scope(engine) as session:
        assert repo.list_portfolios(session=session) == ["a", "b"]
        assert repo.delete_portfolio(session=session, name="a") is True
        assert repo.delete_portfolio(session=session, name="a") is False
    with session_scope(engine) as session:
        assert repo.list_portfolios(session=session) == ["b"]
