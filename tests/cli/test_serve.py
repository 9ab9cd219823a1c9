"""``smartpick serve``: options reach uvicorn, migrations run once before the workers start."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.store.db import make_engine


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda target, **kw: calls.append({"target": target, **kw}))
    for name in ("SMARTPICK_WEB_MODE", "SMARTPICK_SECRET_KEY", "SMARTPICK_WEB_MIGRATE"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_serve_migrates_then_starts_uvicorn_with_the_options(
    uvicorn_calls: list[dict[str, Any]], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--workers", "2", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    [call] = uvicorn_calls
    assert call["target"] == "smartpick.web.app:app_from_env" and call["factory"] is True
    assert (call["host"], call["port"], call["workers"]) == ("0.0.0.0", 8123, 2)
    assert "web_users" in inspect(make_engine(url)).get_table_names()
    assert os.environ["SMARTPICK_WEB_MIGRATE"] == "0"  # the workers skip migrating
    assert os.environ["SMARTPICK_SECRET_KEY"]  # one key shared by every worker


def test_multi_mode_needs_a_secret_key(
    uvicorn_calls: list[dict[str, Any]], tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = CliRunner().invoke(app, ["serve", "--mode", "multi"])
    assert result.exit_code == 2 and "SMARTPICK_SECRET_KEY" in result.output
    assert uvicorn_calls == []


def test_in_memory_database_cannot_have_several_workers(uvicorn_calls: list[Any], monkeypatch: Any) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", "sqlite://")
    result = CliRunner().invoke(app, ["serve", "--workers", "3"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_serve_has_help() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--mode"):
        assert option in result.output
