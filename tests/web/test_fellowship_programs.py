"""``/fellowship/programs`` and ``/api/v1/fellowship/programs``: real fellowship programs with sources."""

from __future__ import annotations

from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks

from conftest import page
from smartpick.services import fellowship as svc


def test_page_lists_programs_of_a_track_with_their_sources(client: TestClient) -> None:
    doc = page(client, "/fellowship/programs?track=brain_injury")
    assert_landmarks(doc)
    assert_labelled(doc)
    text = doc.text()
    expected = svc.fellowship_programs("brain_injury")
    assert f"{len(expected)} of" in text
    assert all(p.name in text for p in expected)
    assert "source" in text and "Pain medicine" not in doc.one("tbody").text()


def test_api_filters_by_state(client: TestClient) -> None:
    body = client.get("/api/v1/fellowship/programs", params={"state": "oh"}).json()
    assert body["programs"] and {p["state"]["value"] for p in body["programs"]} == {"OH"}


def test_bad_filter_is_a_4xx_naming_the_field(client: TestClient) -> None:
    response = client.get("/api/v1/fellowship/programs", params={"track": "yoga"})
    assert 400 <= response.status_code < 500
    assert "track" in response.text and "yoga" in response.text
    assert 400 <= client.get("/fellowship/programs?state=ZZ").status_code < 500
