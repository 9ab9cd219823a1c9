"""The fellowship planner pages and API show the fellowship service's plan for stored portfolios."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks
from icalendar import Calendar

from conftest import EXAMPLES, csrf, page, portfolio_document
from smartpick.services import fellowship as svc

TODAY = dt.date(2026, 11, 23)


def _expected() -> dict:
    return svc.plan_doc(svc.make_plan(svc.load_portfolio(EXAMPLES / "resident-portfolio.toml"), TODAY))


def _upload(client: TestClient, name: str, content: bytes) -> object:
    token = csrf(page(client, "/fellowship"))
    files = {"file": ("portfolio.toml", content, "application/toml")}
    return client.post(
        "/fellowship/upload", data={"csrf_token": token, "name": name}, files=files, follow_redirects=False
    )


def test_upload_then_the_plan_shows_every_milestone_with_its_status(client: TestClient) -> None:
    response = _upload(client, "mine", (EXAMPLES / "resident-portfolio.toml").read_bytes())
    assert response.status_code == 303  # type: ignore[attr-defined]
    doc = page(client, f"/fellowship/mine?today={TODAY}")
    assert_landmarks(doc)
    assert_labelled(doc)
    expected = _expected()
    for ms in expected["milestones"]:
        li = doc.by_id(f"ms-{ms['id']}")
        assert ms["title"] in li.text()
        assert li.one("span", class_=f"status-{ms['status']}").text() == ms["status"].replace("_", " ")
    assert client.get(f"/api/v1/fellowship/portfolios/mine/plan?today={TODAY}").json() == expected


def test_a_bad_upload_is_a_422_naming_the_key(client: TestClient) -> None:
    response = _upload(client, "bad", b'[resident]\nname = "x"\npgy = 9\n')
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "resident" in response.text  # type: ignore[attr-defined]
    assert client.get("/api/v1/fellowship/portfolios").json() == {"portfolios": []}


def test_editing_the_toml_replaces_the_portfolio(client: TestClient) -> None:
    _upload(client, "mine", (EXAMPLES / "resident-portfolio.toml").read_bytes())
    doc = page(client, "/fellowship/mine")
    assert 'name = "Jordan Lee"' in doc.by_id("fp-toml").text()  # the page shows the stored TOML to edit
    stored = svc.portfolio_toml(svc.load_portfolio(EXAMPLES / "resident-portfolio.toml"))
    text = stored.replace("Jordan Lee", "Jordan Q. Lee")
    saved = client.post(
        "/fellowship/mine/edit", data={"csrf_token": csrf(doc), "toml": text}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert client.get("/api/v1/fellowship/portfolios/mine/plan").json()["resident"] == "Jordan Q. Lee"
    broken = client.post("/fellowship/mine/edit", data={"csrf_token": csrf(doc), "toml": "[resident"})
    assert broken.status_code == 422


def test_the_ics_has_one_event_per_milestone(client: TestClient) -> None:
    client.put("/api/v1/fellowship/portfolios/mine", json={"portfolio": portfolio_document()})
    response = client.get(f"/fellowship/mine/plan.ics?today={TODAY}")
    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(m["title"] for m in _expected()["milestones"])


def test_the_stateless_plan_and_unknown_portfolios(client: TestClient) -> None:
    body = {"portfolio": portfolio_document(), "today": TODAY.isoformat()}
    assert client.post("/api/v1/fellowship/plan", json=body).json() == _expected()
    assert client.get("/fellowship/nobody").status_code == 404
    assert client.get("/api/v1/fellowship/tracks").json()["tracks"]


# ``/fellowship/programs`` and ``/api/v1/fellowship/programs``: real fellowship programs with sources.


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
