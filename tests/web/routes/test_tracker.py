"""Tracker, communication checks, drafts and the rank-list builder through pages and the API."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks
from typer.testing import CliRunner

from conftest import create_profile, csrf, example_document, page, signup
from smartpick.cli import app
from smartpick.data import bundled_catalogue
from smartpick.domain.communication.messages import check_log
from smartpick.domain.communication.ranking import RankPreferences, build_rank_list, match_probability
from smartpick.domain.communication.tracker import CommunicationLog
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.validation import parse_model
from smartpick.services.ranking import chance_function

A, B = "1631340", "1007340"
NUMBER_ONE = "Thank you for the interview. You are my number one choice."


def _form(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf(page(client, "/tracker"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _season(client: TestClient) -> None:
    assert _form(client, "/tracker/interviews", {"program": A, "date": "2026-11-03"}).status_code == 303
    assert _form(client, "/tracker/interviews", {"program": B, "date": "2026-11-10"}).status_code == 303
    message = {
        "program": A,
        "date": "2026-11-04",
        "direction": "sent",
        "kind": "thank_you",
        "text": NUMBER_ONE,
    }
    assert _form(client, "/tracker/messages", message).status_code == 303


def test_logging_interviews_and_messages_updates_statuses_and_checks(client: TestClient) -> None:
    _season(client)
    doc = client.get("/api/v1/tracker").json()
    assert {r["program"]: r["status"] for r in doc["programs"]} == {A: "interviewed", B: "interviewed"}
    log = CommunicationLog.model_validate(doc["log"])
    expected = check_log(log, today=dt.date(2026, 11, 20))
    checks = client.get("/api/v1/tracker/checks?today=2026-11-20").json()["findings"]
    assert [(f["rule"], f["severity"]) for f in checks] == [(f.rule, f.severity.value) for f in expected]
    assert {"claim.in-thank-you", "thank-you.missing"} <= {f["rule"] for f in checks}
    html = page(client, "/tracker?today=2026-11-20")
    assert_landmarks(html)
    assert_labelled(html)
    rules = [c.text() for c in html.one("table", class_="findings").find_all("code")]
    assert rules == [f.rule for f in expected]


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/tracker/interviews", {"program": "no-such-program", "date": "2026-11-03"}, "program"),
        ("/tracker/interviews", {"program": A, "date": ""}, "date"),
        ("/tracker/messages", {"program": A, "date": "2026-11-04", "direction": "sent", "kind": "nope",
                               "text": "x"}, "kind"),
        ("/tracker/status", {"program": A, "status": "interviewed", "date": ""}, "date"),
    ],
)  # fmt: skip
def test_bad_tracker_forms_are_refused_naming_the_field(
    client: TestClient, path: str, data: dict, field: str
) -> None:
    response = _form(client, path, data)
    assert response.status_code == 422
    assert field in response.text
    assert client.get("/api/v1/tracker").json()["programs"] == []


def test_a_thank_you_draft_and_a_refused_letter_of_intent(client: TestClient) -> None:
    pid = create_profile(client, "me")
    _season(client)
    doc = page(client, f"/tracker/draft?kind=thank-you&program={A}&profile={pid}")
    assert "2026-11-03" in doc.by_id("draft-body").text() or doc.by_id("draft-subject").text()
    refused = client.post("/api/v1/drafts", json={"kind": "intent", "program": A, "profile_id": pid}).json()
    assert "rank list" in refused["refused"]


def test_the_rank_list_follows_scores_and_carries_pgy1_lists(client: TestClient) -> None:
    create_profile(client, "me")
    _season(client)
    form = {
        "program": [A, B], f"score.{A}": "60", f"score.{B}": "90",
        f"attend.{A}": "true", f"attend.{B}": "true",
        "pgy1": "TY-LOCAL-1, 80, PA\nIM-PRELIM-2, 70",
    }  # fmt: skip
    assert _form(client, "/ranklist", form).status_code == 303
    doc = client.get("/api/v1/ranklist").json()
    prefs = RankPreferences.model_validate(doc["preferences"])
    built = build_rank_list(prefs, bundled_catalogue())
    assert [r["program"] for r in doc["rank"]] == [e.program for e in built.rank] == [B, A]
    assert [r["position"] for r in doc["rank"]] == [1, 2]
    assert doc["rank"][1]["supplemental"] == ["TY-LOCAL-1", "IM-PRELIM-2"]  # A is advanced-only
    assert doc["rank"][1]["advanced"] is True
    profile = parse_model(Profile, example_document())  # the user's only profile sets the default chances
    expected = match_probability(built, chance_function(prefs, profile, bundled_catalogue()))
    assert all(r["chance_estimate"] for r in doc["rank"])
    assert doc["probability"] == round(expected.probability, 4)
    html = page(client, "/ranklist")
    assert html.by_id("rank-pmatch").text() == f"{expected.probability * 100:.0f}%"
    ranked = [th.text() for th in html.one("table", class_="ranks").find_all("th", scope="row")]
    assert B in ranked[0] and A in ranked[1]
    toml = tomllib.loads(client.get("/ranklist/ranklist.toml").text)
    assert [r["program"] for r in toml["rank"]] == [B, A]


def test_the_rank_one_unlocks_one_letter_of_intent(client: TestClient) -> None:
    pid = create_profile(client, "me")
    for program, day in ((A, "2026-11-03"), (B, "2026-11-10")):
        assert (
            client.post("/api/v1/tracker/interviews", json={"program": program, "date": day}).status_code
            == 201
        )
    prefs = {"program": [{"id": A, "score": 95}, {"id": B, "score": 50}]}
    assert client.put("/api/v1/ranklist/preferences", json={"preferences": prefs}).status_code == 200
    draft = client.post("/api/v1/drafts", json={"kind": "intent", "program": A, "profile_id": pid}).json()
    assert "refused" not in draft and draft["words"] > 0
    elsewhere = client.post("/api/v1/drafts", json={"kind": "intent", "program": B, "profile_id": pid}).json()
    assert A in elsewhere["refused"]
    sent = {"program": A, "date": "2027-02-01", "direction": "sent", "kind": "intent", "text": draft["body"]}
    assert client.post("/api/v1/tracker/messages", json=sent).status_code == 201
    again = client.post("/api/v1/drafts", json={"kind": "intent", "program": A, "profile_id": pid}).json()
    assert "already went" in again["refused"]


def test_a_rank_list_that_misses_an_interview_is_flagged(client: TestClient) -> None:
    _season(client)
    body = {"rank_list": {"rank": [{"program": A}]}}
    doc = client.post("/api/v1/ranklist/check", json=body).json()
    assert "ranklist.missing-interviewed" in {p["code"] for p in doc["problems"]}
    assert "supplemental.missing" in {p["code"] for p in doc["problems"]}  # A offers only advanced positions


def test_contradicting_preferences_are_a_422(client: TestClient) -> None:
    prefs = {
        "program": [{"id": A, "score": 90}, {"id": B, "score": 50}],
        "pairwise": [{"prefer": B, "over": A}],
    }
    response = client.put("/api/v1/ranklist/preferences", json={"preferences": prefs})
    assert response.status_code == 422
    assert client.get("/api/v1/ranklist").json() == {"preferences": None}


def test_each_user_has_their_own_tracker_and_rank_list(multi_app: FastAPI) -> None:
    alice, bob = TestClient(multi_app), TestClient(multi_app)
    signup(alice, "alice")
    signup(bob, "bob")
    _season(alice)
    alice.put("/api/v1/ranklist/preferences", json={"preferences": {"program": [{"id": A, "score": 9}]}})
    bob_pid = create_profile(bob, "bob-profile")
    alice_pid = create_profile(alice, "alice-profile")
    assert bob.get("/api/v1/tracker").json()["programs"] == []
    assert bob.get("/api/v1/tracker/checks").json() == {"findings": []}
    assert bob.get("/api/v1/ranklist").json() == {"preferences": None}
    assert NUMBER_ONE not in bob.get("/tracker").text
    stolen = bob.post("/api/v1/drafts", json={"kind": "thank-you", "program": A, "profile_id": alice_pid})
    assert stolen.status_code == 422
    assert bob.get(f"/tracker/draft?kind=thank-you&program={A}&profile={alice_pid}").status_code == 422
    assert bob.get(f"/ranklist?profile={alice_pid}").status_code == 422
    assert bob.get(f"/ranklist?profile={bob_pid}").status_code == 200


def test_the_api_and_the_cli_give_one_rank_list_report(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "ranklist.toml"
    path.write_text(f'[[rank]]\nprogram = "{B}"\n\n[[rank]]\nprogram = "{A}"\n')
    body = {"rank_list": {"rank": [{"program": B}, {"program": A}]}}
    api = client.post("/api/v1/ranklist/check", json=body)
    cli = CliRunner().invoke(app, ["ranklist", "show", "--rank-list", str(path), "--format", "json"])
    assert api.status_code == 200 and cli.exit_code in (0, 1), cli.output
    assert api.json() == json.loads(cli.stdout)
    assert [r["position"] for r in api.json()["rank"]] == [1, 2]
