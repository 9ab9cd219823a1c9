"""Fixtures of the web tests: apps on in-memory SQLite, clients, and page helpers."""

from __future__ import annotations

import sys
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")


def pytest_configure(config: pytest.Config) -> None:
    # Starlette nudges towards httpx2, which is not a dependency of this project.
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from html_tree import Element, parse_html  # noqa: E402

from smartpick.web.app import create_app  # noqa: E402
from smartpick.web.settings import Mode, WebSettings  # noqa: E402

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
SECRET = "test-secret-key-" + "x" * 32


def example_document(name: str = "strong-us-img.toml") -> dict[str, Any]:
    """An example profile's content as JSON-ready values."""
    data = tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return _jsonable(data)


def portfolio_document(name: str = "resident-portfolio.toml") -> dict[str, Any]:
    """An example resident portfolio's content as JSON-ready values."""
    return _jsonable(tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def make_app(mode: Mode = Mode.LOCAL, **overrides: Any) -> FastAPI:
    settings = WebSettings(database_url="sqlite://", secret_key=SECRET, mode=mode, **overrides)
    return create_app(settings)


@pytest.fixture
def app() -> FastAPI:
    return make_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def multi_app() -> FastAPI:
    return make_app(Mode.MULTI, login_ip_limit=1000, login_account_limit=1000)


def page(client: TestClient, path: str, status: int = 200) -> Element:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    return parse_html(response.text)


def csrf(doc: Element) -> str:
    token = doc.find("input", name="csrf_token")
    assert token is not None, "page has no CSRF token"
    value = token.get("value")
    assert value
    return value


def signup(client: TestClient, username: str) -> dict[str, Any]:
    """Create an account through the API (signs the client in)."""
    response = client.post("/api/v1/users", json={"username": username, "password": "correct horse battery"})
    assert response.status_code == 201, response.text
    return response.json()


def share(applicant: TestClient, advisor: TestClient) -> None:
    """The applicant invites the advisor: creates a one-time code that the advisor redeems."""
    created = applicant.post("/api/v1/shares/invites")
    assert created.status_code == 201, created.text
    redeemed = advisor.post("/api/v1/shares/redeem", json={"code": created.json()["code"]})
    assert redeemed.status_code == 200, redeemed.text


def login(client: TestClient, username: str, password: str = "correct horse battery") -> None:
    response = client.post("/api/v1/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.text


def create_profile(client: TestClient, name: str, document: dict[str, Any] | None = None) -> int:
    response = client.post("/api/v1/profiles", json={"name": name, "profile": document or example_document()})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the smallest cost in tests: the same code path, milliseconds instead of ~0.1 s a hash.

    Verification reads the cost from each stored hash, so production hashes are unaffected.
    """
    from argon2 import PasswordHasher

    from smartpick.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
