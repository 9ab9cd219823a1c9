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
SENT: dict[str, int] = {"requests": 0, "5xx": 0}
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def _check(case: Any, response: Any) -> None:
    SENT["schemathesis"] = SENT.get("schemathesis", 0) + 1
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


HOSTILE_BODIES: list[tuple[str, bytes]] = [
    ("nan", b'{"a": NaN, "profile": {"exams": {"step2_ck": NaN}}, "date": NaN}'),
    ("infinity", b'{"a": [Infinity, -Infinity], "score": Infinity}'),
    ("huge-number", b'{"score": 1' + b"0" * 5000 + b', "id": 99999999999999999999999999999}'),
    ("huge-string", b'{"name": "' + b"x" * 1_500_000 + b'"}'),
    ("over-the-limit", b'{"name": "' + b"x" * 2_100_000 + b'"}'),
    ("deep-nesting", b'{"profile": ' + b"[" * 3000 + b"]" * 3000 + b"}"),
    ("deep-objects", b'{"preferences": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}"),
    ("not-json", b"{'profile': }"),
]


def _body_operations(app: Any) -> list[tuple[str, str]]:
    doc = TestClient(app).get("/openapi.json").json()
    ops = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if "requestBody" in op:
                ops.append((method.upper(), path.replace("{profile_id}", "1").replace("{portfolio}", "seed")))
    return ops


def _stored(client: TestClient) -> tuple[str, ...]:
    paths = ("/api/v1/profiles", "/api/v1/tracker", "/api/v1/ranklist", "/api/v1/fellowship/portfolios")
    return tuple(client.get(p).text for p in paths)


def test_hostile_json_bodies_never_cause_a_server_error_or_a_write() -> None:
    for app, cookies in ((LOCAL, {}), (MULTI, COOKIES)):
        client = TestClient(app, cookies=cookies)
        ops = _body_operations(app)
        assert len(ops) >= 10
        # Read once: every request is checked to leave the store as it was, so this is each one's "before".
        before = _stored(client)
        for method, path in ops:
            for label, body in HOSTILE_BODIES:
                response = client.request(
                    method, path, content=body, headers={"content-type": "application/json"}
                )
                SENT["requests"] += 1
                SENT["5xx"] += response.status_code >= 500
                where = f"{label}: {method} {path} -> {response.status_code} {response.text[:200]}"
                assert 400 <= response.status_code < 500, where
                detail = response.json()["detail"]
                assert detail and all(set(d) == {"field", "value", "allowed", "message"} for d in detail), (
                    where
                )
                assert _stored(client) == before, where
    print("API fuzz requests (schemathesis so far, hostile bodies):", SENT)
