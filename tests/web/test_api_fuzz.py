"""Schemathesis against the OpenAPI schema, in-process: no input makes the API answer 5xx.

Both modes are fuzzed; in multi-user mode requests carry a signed-in session cookie so the
handlers behind the login check are reached. Examples are bounded to keep the module quick.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings

from conftest import example_document, make_app
from smartpick.web.settings import Mode

LOCAL = make_app()
MULTI = make_app(Mode.MULTI)
_client = TestClient(MULTI)
_client.post("/api/v1/users", json={"username": "fuzzer", "password": "correct horse battery"})
_client.post("/api/v1/users", json={"username": "adviser", "password": "correct horse battery"})
_client.post("/api/v1/session", json={"username": "fuzzer", "password": "correct horse battery"})
_client.post("/api/v1/profiles", json={"name": "seed", "profile": example_document()})
COOKIES = {"smartpick_session": _client.cookies["smartpick_session"]}
TestClient(LOCAL).post("/api/v1/profiles", json={"name": "seed", "profile": example_document()})

local_schema = schemathesis.openapi.from_asgi("/openapi.json", LOCAL)
multi_schema = schemathesis.openapi.from_asgi("/openapi.json", MULTI)
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def _check(case: Any, response: Any) -> None:
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if response.status_code in (400, 401, 404, 422, 429) and response.text:
        detail = response.json()["detail"]
        assert isinstance(detail, list) and detail and all(d["field"] and d["message"] for d in detail), where


@local_schema.parametrize()
@BOUNDED
def test_local_api_never_fails_with_a_server_error(case: Any) -> None:
    _check(case, case.call())


@multi_schema.parametrize()
@BOUNDED
def test_multi_user_api_never_fails_with_a_server_error(case: Any) -> None:
    if case.method == "DELETE" and case.path == "/api/v1/session":
        return  # signing out would end the shared session the other cases use
    _check(case, case.call(cookies=COOKIES))
