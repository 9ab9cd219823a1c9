"""The JSON API: profiles CRUD, the profile check (same answer as the CLI), programs, error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import EXAMPLES, create_profile, example_document
from smartpick.cli import app as cli_app
from smartpick.data import bundled_catalogue

PROFILES = sorted(p.name for p in EXAMPLES.glob("*.toml") if "[applicant]" in p.read_text())


@pytest.mark.parametrize("example", PROFILES)
def test_profile_check_answers_like_the_cli(
    client: TestClient, example: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    result = CliRunner().invoke(cli_app, ["profile", "check", str(EXAMPLES / example), "--format", "json"])
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/profile/check", json={"profile": example_document(example)})
    assert response.status_code == 200
    assert response.json() == json.loads(result.stdout)


def _detail(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert set(body) == {"detail"}
    for item in body["detail"]:
        assert set(item) == {"field", "value", "allowed", "message"}
        assert item["message"].startswith(item["field"] + ": ")
    return body["detail"]


def test_invalid_profile_is_422_naming_each_field(client: TestClient) -> None:
    doc = example_document()
    doc["exams"]["step2_ck"] = 999
    doc["rotations"][0]["weeks"] = 0
    doc["applicant"]["colour"] = "blue"
    response = client.post("/api/v1/profile/check", json={"profile": doc})
    assert response.status_code == 422
    by_field = {d["field"]: d for d in _detail(response)}
    assert by_field["profile.exams.step2_ck"]["value"] == 999
    assert "from 1 to 300" in by_field["profile.exams.step2_ck"]["allowed"]
    assert "from 1 to 8" in by_field["profile.rotations[0].weeks"]["allowed"]
    assert "allowed keys here" in by_field["profile.applicant.colour"]["allowed"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "profile"),
        ({"profile": [1, 2]}, "profile"),
        ({"profile": {}, "extra": 1}, "extra"),
        ({"profile": {"applicant": "x"}}, "profile.applicant"),
    ],
)
def test_malformed_bodies_name_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    response = client.post("/api/v1/profile/check", json=body)
    assert response.status_code == 422
    assert field in [d["field"] for d in _detail(response)]


def test_non_json_body_is_a_clear_4xx(client: TestClient) -> None:
    response = client.post(
        "/api/v1/profile/check", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    _detail(response)
    form = client.post("/api/v1/profile/check", data={"profile": "x"})
    assert form.status_code == 403  # a form post to the API could be cross-site: refused
    _detail(form)


def test_profiles_crud(client: TestClient) -> None:
    assert client.get("/api/v1/profiles").json() == {"profiles": []}
    pid = create_profile(client, "main")
    listed = client.get("/api/v1/profiles").json()["profiles"]
    assert [(p["id"], p["name"], p["band"]) for p in listed] == [(pid, "main", "strong")]
    got = client.get(f"/api/v1/profiles/{pid}").json()
    assert got["standing"]["step2_band"] == "strong" and got["profile"]["exams"]["step2_ck"] == 251
    doc = example_document("us-img-228-step1-fail.toml")
    put = client.put(f"/api/v1/profiles/{pid}", json={"profile": doc})
    assert put.status_code == 200 and put.json()["standing"]["step2_band"] == "low"
    toml = client.get(f"/api/v1/profiles/{pid}/toml")
    assert toml.status_code == 200 and "step2_ck = 228" in toml.text.splitlines()
    assert client.delete(f"/api/v1/profiles/{pid}").status_code == 204
    assert client.get(f"/api/v1/profiles/{pid}").status_code == 404
    assert client.delete(f"/api/v1/profiles/{pid}").status_code == 404


def test_duplicate_name_is_an_error_on_name(client: TestClient) -> None:
    create_profile(client, "main")
    response = client.post("/api/v1/profiles", json={"name": "main", "profile": example_document()})
    assert response.status_code == 422
    assert [d["field"] for d in _detail(response)] == ["name"]


def test_bad_put_keeps_the_stored_profile(client: TestClient) -> None:
    pid = create_profile(client, "main")
    before = client.get(f"/api/v1/profiles/{pid}").json()
    response = client.put(f"/api/v1/profiles/{pid}", json={"profile": {"applicant": {}}})
    assert response.status_code == 422
    assert client.get(f"/api/v1/profiles/{pid}").json() == before


@pytest.mark.parametrize(
    "path", ["/api/v1/profiles/0", "/api/v1/profiles/abc", "/api/v1/profiles/99999999999"]
)
def test_bad_profile_ids_are_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert [d["field"] for d in _detail(response)] == ["profile_id"]


def test_program_detail_cites_its_sources(client: TestClient) -> None:
    cat = bundled_catalogue()
    program = next(p for p in cat.programs if sum(1 for _, f in p.facts() if f.source) >= 2)
    data = client.get(f"/api/v1/programs/{program.id}").json()
    assert data["program"] == program.model_dump(mode="json")
    assert data["catalogue"] == {"version": cat.version, "date": cat.date}
    keys = {f.source for _, f in program.facts() if f.source}
    assert set(data["sources"]) == keys
    for key, source in data["sources"].items():
        assert source["title"] == (cat.sources[key].title if key in cat.sources else key)


def test_openapi_documents_the_api_and_not_the_pages(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/profiles",
        "/api/v1/profiles/{profile_id}",
        "/api/v1/profile/check",
        "/api/v1/programs",
    } <= paths
    assert all(p.startswith("/api/v1/") for p in paths)
