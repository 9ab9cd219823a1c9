"""Privacy in multi-user mode, over EVERY route of the app (new routes are covered automatically).

Alice owns a profile. Bob (another applicant) and Carol (an advisor Alice does not share with) try
every method of every route with Alice's ids; none may read or change Alice's data. Dave, an advisor
Alice shares with, may read but not change it, until Alice revokes the share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel

from conftest import create_profile, csrf, example_document, login, page, portfolio_document, share, signup
from smartpick.web.app import SESSION_COOKIE
from smartpick.web.deps import owned_profile, readable_profile

SECRET_NAME = "alice-secret-7f3a"
SECRET_APPLICANT = "Alicia Zzyzx"
# What each path parameter is replaced with; a new parameter must be added here (the test says so).
PATH_VALUES = {"profile_id": "{pid}", "program_id": "1007340", "advisor": "dave", "portfolio": "alice-plan"}
# Routes anyone may use without signing in.
PUBLIC = {
    "/login", "/signup", "/logout", "/healthz", "/programs", "/programs/{program_id}", "/api/docs",
    "/api/v1/session", "/api/v1/users", "/api/v1/programs", "/api/v1/programs/{program_id}",
    "/fellowship/programs", "/api/v1/fellowship/programs",  # public reference data, like the catalogue
}  # fmt: skip
SAMPLE_BODY: dict[str, Any] = {
    "name": "taken-over",
    "advisor": "bob",
    "username": "nobody",
    "password": "wrong password!",
    "role": "applicant",
}


@dataclass(frozen=True)
class Endpoint:
    path: str
    route: APIRoute


def _routes(app: FastAPI) -> Iterator[tuple[Endpoint, str]]:
    """Every (route, method) the app serves, however its routers were included."""
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if isinstance(route, APIRoute) and ctx.path:
            for method in sorted((ctx.methods or set()) - {"HEAD"}):
                yield Endpoint(ctx.path, route), method


def _path(route: Endpoint, pid: int) -> str:
    params = re.findall(r"{(\w+)}", route.path)
    unknown = [p for p in params if p not in PATH_VALUES]
    assert not unknown, f"{route.path}: add a value for {unknown} to PATH_VALUES in this test"
    path = route.path
    for name in params:
        path = path.replace("{" + name + "}", PATH_VALUES[name].format(pid=pid))
    return path


def _calls(dependant: Any) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _calls(dep)


def _guard(route: Endpoint) -> Any:
    """The ownership dependency a profile route uses (None when it uses neither)."""
    calls = set(_calls(route.route.dependant))
    return (
        owned_profile if owned_profile in calls else (readable_profile if readable_profile in calls else None)
    )


def _body(route: Endpoint) -> dict[str, Any] | None:
    field = route.route.body_field
    if field is None:
        return None
    model = field.field_info.annotation
    if isinstance(model, type) and issubclass(model, BaseModel):
        sample = {**SAMPLE_BODY, "profile": example_document("non-us-img-visa.toml")}
        return {k: sample[k] for k in model.model_fields if k in sample}
    return None


def _form(client: TestClient) -> dict[str, Any]:
    """A complete, valid profile form plus every other form field the app reads, with a valid token."""
    doc = page(client, "/profiles/new")
    return {
        "csrf_token": csrf(doc),
        "action": "save",
        **{k: v for k, v in SAMPLE_BODY.items() if k != "role"},
        "applicant.type": "us_md",
        "applicant.needs_visa": "false",
        "applicant.graduation_year": "2026",
        "applicant.target_start_year": "2027",
        "exams.step1": "pass",
    }


def _call(client: TestClient, route: Endpoint, method: str, path: str) -> Any:
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        return client.request(method, path, json=_body(route), follow_redirects=False)
    return client.request(method, path, data=_form(client), follow_redirects=False)


@pytest.fixture
def world(multi_app: FastAPI) -> dict[str, Any]:
    clients = {name: TestClient(multi_app) for name in ("alice", "bob", "carol", "dave", "anon")}
    signup(clients["alice"], "alice")
    signup(clients["bob"], "bob")
    signup(clients["carol"], "carol")
    signup(clients["dave"], "dave")
    doc = example_document()
    doc["applicant"]["name"] = SECRET_APPLICANT
    pid = create_profile(clients["alice"], SECRET_NAME, doc)
    share(clients["alice"], clients["dave"])
    portfolio = portfolio_document()
    portfolio["resident"]["name"] = SECRET_APPLICANT
    saved = clients["alice"].put("/api/v1/fellowship/portfolios/alice-plan", json={"portfolio": portfolio})
    assert saved.status_code == 200, saved.text
    interview = {"program": "1007340", "date": "2026-11-03"}
    assert clients["alice"].post("/api/v1/tracker/interviews", json=interview).status_code == 201
    message = {"program": "1007340", "date": "2026-11-04", "direction": "sent", "kind": "thank_you",
               "text": f"Thank you. {SECRET_APPLICANT}"}  # fmt: skip
    assert clients["alice"].post("/api/v1/tracker/messages", json=message).status_code == 201
    return {"app": multi_app, "pid": pid, **clients}


def _alice_state(world: dict[str, Any]) -> Any:
    alice = world["alice"]
    return alice.get(f"/api/v1/profiles/{world['pid']}").json(), alice.get("/api/v1/shares").json()


SHARED_LISTINGS = ("/", "/profiles", "/api/v1/profiles")
"""Pages that list the profiles shared with an advisor, by applicant name (issue 18): readable when shared."""


def _attack(world: dict[str, Any], who: str, *, may_read: bool) -> list[str]:
    """Every route as `who`; returns the routes checked."""
    client, pid, checked = world[who], world["pid"], []
    login(client, who)
    for route, method in _routes(world["app"]):
        session = client.cookies.get(SESSION_COOKIE)
        path = _path(route, pid)
        response = _call(client, route, method, path)
        if client.cookies.get(SESSION_COOKIE) != session:  # signed out (or session changed): sign in again
            login(client, who)
        label = f"{method} {route.path} as {who} -> {response.status_code}"
        if "{profile_id}" in route.path:
            assert _guard(route) is not None, f"{route.path}: use ReadableProfileDep or OwnedProfileDep"
        if may_read and (
            _guard(route) is readable_profile or (method == "GET" and route.path in SHARED_LISTINGS)
        ):
            assert response.status_code == 200, label
        else:
            assert SECRET_APPLICANT not in response.text, label
            if "{profile_id}" in route.path:
                assert response.status_code == 404, label
        checked.append(label)
    return checked


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_nobody_else_can_read_or_change_a_profile_through_any_route(world: dict[str, Any], who: str) -> None:
    before = _alice_state(world)
    checked = _attack(world, who, may_read=False)
    assert len(checked) >= 20
    assert _alice_state(world) == before
    login(world[who], who)
    listing = world[who].get("/api/v1/profiles").json()["profiles"]
    assert all(p["name"] != SECRET_NAME for p in listing)


def test_the_owner_reaches_every_profile_route(world: dict[str, Any]) -> None:
    alice, pid = world["alice"], world["pid"]
    for route, method in _routes(world["app"]):
        if "{profile_id}" in route.path and method == "GET":
            assert _guard(route) is not None
            response = alice.get(_path(route, pid))
            assert response.status_code == 200, f"{method} {route.path}"


def test_a_shared_advisor_reads_but_cannot_change(world: dict[str, Any]) -> None:
    before = _alice_state(world)
    _attack(world, "dave", may_read=True)
    assert _alice_state(world) == before
    login(world["dave"], "dave")
    listed = world["dave"].get("/api/v1/profiles").json()["profiles"]
    assert [p["name"] for p in listed if p["owner"] == "alice"] == [SECRET_NAME]


def test_revoking_a_share_ends_the_advisors_access(world: dict[str, Any]) -> None:
    alice, dave, pid = world["alice"], world["dave"], world["pid"]
    assert dave.get(f"/api/v1/profiles/{pid}").status_code == 200
    assert alice.delete("/api/v1/shares/dave").status_code == 204
    assert dave.get(f"/api/v1/profiles/{pid}").status_code == 404
    assert dave.get(f"/profiles/{pid}").status_code == 404
    assert dave.get("/api/v1/profiles").json() == {"profiles": []}
    assert alice.delete("/api/v1/shares/dave").status_code == 404


def test_signed_out_visitors_are_sent_to_login(world: dict[str, Any]) -> None:
    anon, pid = world["anon"], world["pid"]
    for route, method in _routes(world["app"]):
        if route.path in PUBLIC:
            continue
        path = _path(route, pid)
        response = _call(anon, route, method, path) if method == "GET" or path.startswith("/api/") else None
        if response is None:  # pages: a signed-out visitor still has a session token
            response = anon.request(
                method, path, data={"csrf_token": csrf(page(anon, "/login"))}, follow_redirects=False
            )
        label = f"{method} {route.path} -> {response.status_code}"
        assert SECRET_APPLICANT not in response.text, label
        if path.startswith("/api/"):
            assert response.status_code in (401, 422), label
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), (
                label
            )


def test_every_form_route_rejects_a_missing_or_wrong_csrf_token(world: dict[str, Any]) -> None:
    bob, pid = world["bob"], world["pid"]
    checked = 0
    for route, method in _routes(world["app"]):
        path = _path(route, pid)
        if method == "GET" or path.startswith("/api/"):
            continue
        login(bob, "bob")
        for token in (None, "forged"):
            data = {k: v for k, v in _form(bob).items() if k != "csrf_token"}
            if token:
                data["csrf_token"] = token
            response = bob.request(method, path, data=data, follow_redirects=False)
            assert response.status_code == 403, f"{method} {route.path} token={token}"
        checked += 1
    assert checked >= 8
