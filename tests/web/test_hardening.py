"""Issue 16 regressions on the web: every listed 500 is now a 4xx naming the field, pages keep the styled
error page with the signed-in header, and the login limit cannot be turned against an account's owner."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import create_profile, csrf, example_document, make_app, page, parse_html, signup
from smartpick.web.settings import Mode

PASSWORD = "correct horse battery"
JSON = {"content-type": "application/json"}


def _detail(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    item: dict[str, Any] = response.json()["detail"][0]
    assert set(item) == {"field", "value", "allowed", "message"}
    json.dumps(item, allow_nan=False)  # the body serialises as strict JSON
    return item


# ---- server errors that were ----


def test_rank_list_with_nothing_marked_would_attend_is_422_not_500(client: TestClient) -> None:
    body = {"preferences": {"program": [{"id": "1631340", "score": 80, "would_attend": False}]}}
    assert _detail(client.put("/api/v1/ranklist/preferences", json=body))["field"] == "program.would_attend"
    token = csrf(page(client, "/profiles/new"))
    response = client.post(
        "/ranklist", data={"csrf_token": token, "program": "1631340", "score.1631340": "80"}
    )
    assert response.status_code == 422
    assert "would attend" in parse_html(response.text).one("div", class_="error-summary").text()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("POST", "/api/v1/tracker/interviews", '{"program":"1631340","date":%s}'),
        ("PUT", "/api/v1/ranklist/preferences", '{"preferences":{"program":[{"id":"1631340","score":%s}]}}'),
        ("POST", "/api/v1/plan", '{"profile":{"exams":{"step2_ck":%s}}}'),
        ("POST", "/api/v1/profiles", '{"name":"x","profile":%s}'),
    ],
)
def test_nan_and_infinity_in_json_bodies_are_422_with_a_serialisable_body(
    client: TestClient, method: str, path: str, template: str, literal: str
) -> None:
    response = client.request(method, path, content=(template % literal).encode(), headers=JSON)
    assert _detail(response)["value"] == literal


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01", "1900-01-01"])
def test_plan_with_today_out_of_range_is_422(client: TestClient, today: str) -> None:
    pid = create_profile(client, "p")
    assert _detail(client.get(f"/api/v1/profiles/{pid}/plan", params={"today": today}))["field"] == "today"
    for path in (f"/profiles/{pid}/plan", f"/profiles/{pid}/plan.ics"):
        response = client.get(path, params={"today": today})
        assert response.status_code == 422 and "error-summary" in response.text
    assert _detail(client.post("/api/v1/plan", json={"profile": example_document(), "today": today}))


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_plan_with_rotation_dates_out_of_range_is_422(client: TestClient, start: str) -> None:
    doc = example_document()
    doc["rotations"] = [{"site": "Somewhere", "kind": "hands_on", "start": start, "weeks": 4}]
    assert (
        _detail(client.post("/api/v1/plan", json={"profile": doc}))["field"] == "profile.rotations[0].start"
    )


@pytest.mark.parametrize("name", ["a/b", "../../x", "", "."])
def test_fellowship_upload_with_a_path_like_name_is_422(client: TestClient, name: str) -> None:
    token = csrf(page(client, "/fellowship"))
    files = {"file": ("portfolio.toml", b'[resident]\nname = "A"\n', "application/toml")}
    response = client.post("/fellowship/upload", data={"csrf_token": token, "name": name}, files=files)
    assert (
        response.status_code == 422
        and "name" in parse_html(response.text).one("div", class_="error-summary").text()
    )


def test_toml_upload_nested_2000_levels_is_422(client: TestClient) -> None:
    token = csrf(page(client, "/fellowship"))
    deep = ("a = " + "[" * 2000 + "]" * 2000 + "\n").encode()
    files = {"file": ("portfolio.toml", deep, "application/toml")}
    response = client.post("/fellowship/upload", data={"csrf_token": token, "name": "deep"}, files=files)
    assert response.status_code == 422 and "nested" in response.text


def test_deeply_nested_json_is_422(client: TestClient) -> None:
    body = b'{"profile":' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert _detail(client.post("/api/v1/plan", content=body, headers=JSON))["allowed"].startswith("at most")


def test_one_hospital_tracked_under_two_ids_is_one_row(client: TestClient) -> None:
    for ref in ("1104340", "3401121107", "1104340A0"):
        response = client.post("/api/v1/tracker/interviews", json={"program": ref, "date": "2026-11-03"})
        assert response.status_code == 201, response.text
    assert [r["program"] for r in client.get("/api/v1/tracker").json()["programs"]] == ["1104340"]
    assert client.get("/tracker").status_code == 200


def test_rank_preferences_naming_one_hospital_twice_are_rejected(client: TestClient) -> None:
    body = {"preferences": {"program": [{"id": "1104340", "score": 80}, {"id": "3401121107", "score": 70}]}}
    item = _detail(client.put("/api/v1/ranklist/preferences", json=body))
    assert item["field"] == "program[1].id" and "once" in item["allowed"]
    check = {"rank_list": {"rank": [{"program": "1104340"}, {"program": "1104340A0"}]}}
    assert _detail(client.post("/api/v1/ranklist/check", json=check))["field"] == "rank_list.rank[1].program"


# ---- request size ----


def test_a_body_over_the_limit_is_413_without_being_read() -> None:
    client = TestClient(make_app(max_body_bytes=1000))
    assert (
        _detail(client.post("/api/v1/plan", content=b"x" * 5000, headers=JSON), 413)["field"] == "(request)"
    )
    token = csrf(page(client, "/fellowship"))
    files = {"file": ("portfolio.toml", b"x" * 5000, "application/toml")}
    response = client.post("/fellowship/upload", data={"csrf_token": token, "name": "big"}, files=files)
    assert response.status_code == 413 and "error-summary" in response.text


def test_the_styled_error_page_keeps_the_signed_in_header(multi_app: FastAPI) -> None:
    client = TestClient(multi_app)
    signup(client, "alice")
    pid = create_profile(client, "p")
    response = client.get(f"/profiles/{pid}/plan", params={"today": "9999-12-31"})
    assert response.status_code == 422 and "Signed in as" in response.text and "alice" in response.text


# ---- login ----


def _login(client: TestClient, password: str, username: str = "alice") -> int:
    return client.post("/api/v1/session", json={"username": username, "password": password}).status_code


def test_failed_logins_from_one_address_never_lock_the_owner_out_elsewhere() -> None:
    app = make_app(Mode.MULTI, login_account_limit=3, login_ip_limit=100)
    signup(TestClient(app), "alice")
    attacker = TestClient(app, client=("203.0.113.9", 5000))
    assert [_login(attacker, "wrong password!") for _ in range(5)] == [401, 401, 401, 429, 429]
    owner = TestClient(app, client=("198.51.100.7", 5000))
    assert _login(owner, PASSWORD) == 200


def test_successful_logins_do_not_count_against_the_address() -> None:
    app = make_app(Mode.MULTI, login_account_limit=100, login_ip_limit=2)
    signup(TestClient(app), "alice")
    office = TestClient(app)
    assert all(_login(office, PASSWORD) == 200 for _ in range(10))


def test_the_failure_message_is_the_same_for_unknown_and_known_accounts(multi_app: FastAPI) -> None:
    signup(TestClient(multi_app), "alice")
    client = TestClient(multi_app)
    known = client.post("/api/v1/session", json={"username": "alice", "password": "wrong password!"})
    unknown = client.post("/api/v1/session", json={"username": "nobody", "password": "wrong password!"})
    assert known.status_code == unknown.status_code == 401 and known.json() == unknown.json()


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted() -> None:
    app = make_app(Mode.MULTI, login_account_limit=100, login_ip_limit=2)
    client = TestClient(app)
    codes = [
        client.post(
            "/api/v1/session",
            json={"username": "u", "password": "x"},
            headers={"x-forwarded-for": f"10.0.0.{i}"},
        ).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 429, 429]


def test_forwarded_for_is_read_from_a_trusted_proxy() -> None:
    app = make_app(Mode.MULTI, login_account_limit=100, login_ip_limit=2, trusted_proxies=("127.0.0.1/32",))
    proxy = TestClient(app, client=("127.0.0.1", 5000))
    codes = [
        proxy.post(
            "/api/v1/session",
            json={"username": "u", "password": "x"},
            headers={"x-forwarded-for": f"6.6.6.6, 10.0.0.{i // 2}"},
        ).status_code
        for i in range(6)
    ]
    assert codes == [401, 401, 401, 401, 401, 401]  # each client address gets its own two failures


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "password123", "alice-is-my-name-2026"])
def test_weak_passwords_and_ones_containing_the_username_are_refused(
    multi_app: FastAPI, password: str
) -> None:
    response = TestClient(multi_app).post("/api/v1/users", json={"username": "alice", "password": password})
    assert _detail(response)["field"] == "password"


def test_advisors_are_invited_not_self_declared(multi_app: FastAPI) -> None:
    alice, lookalike = TestClient(multi_app), TestClient(multi_app)
    signup(alice, "alice")
    pid = create_profile(alice, "mine")
    refused = lookalike.post(
        "/api/v1/users", json={"username": "dr-smith", "password": PASSWORD, "role": "advisor"}
    )
    assert _detail(refused)["field"] == "role"
    signup(lookalike, "dr-smith")
    assert alice.post("/api/v1/shares", json={"advisor": "dr-smith"}).status_code in (404, 405)
    assert lookalike.get("/api/v1/shares").json()["applicants"] == []
    assert lookalike.get(f"/api/v1/profiles/{pid}").status_code == 404


# ---- OpenAPI and docs ----


def test_openapi_declares_the_error_body_the_api_returns(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(doc)
    item = doc["components"]["schemas"]["ErrorItem"]
    assert set(item["required"]) == {"field", "value", "allowed", "message"}
    answer = doc["paths"]["/api/v1/plan"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ErrorBody"}


def test_the_api_docs_page_uses_only_self_hosted_assets(client: TestClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200 and "default-src 'self'" in response.headers["content-security-policy"]
    doc = parse_html(response.text)
    sources = [s.get("src") or "" for s in doc.find_all("script")] + [
        link.get("href") or "" for link in doc.find_all("link")
    ]
    assert sources and all(s.startswith("/") for s in sources)
    assert all(not (s.text() or "").strip() for s in doc.find_all("script"))  # no inline script
    assert all(client.get(s).status_code == 200 for s in sources)
