"""The "What helps most" panel on the profile page, and the plan page's links from tasks to their gains."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks

from conftest import create_profile, example_document, page
from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.validation import parse_model
from smartpick.services import advise as svc

TODAY = dt.date(2026, 4, 1)
LOW = "us-img-228-step1-fail.toml"


def _service(name: str = LOW) -> svc.AdviceResult:
    return svc.advise(parse_model(Profile, example_document(name)), bundled_catalogue(), today=TODAY)


def test_profile_page_shows_the_ranked_actions_with_a_bar_chart(client: TestClient) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    doc = page(client, f"/profiles/{pid}?today={TODAY}")
    assert_landmarks(doc)
    assert_labelled(doc)
    panel = doc.by_id("advice")
    assert "What helps most" in panel.text()
    expected = _service()
    rows = [tr for tr in panel.find_all("tr") if (tr.get("id") or "").startswith("advice-")]
    assert [tr.get("id") for tr in rows] == [f"advice-{a.candidate.id}" for a in expected.actions]
    first = expected.actions[0]
    assert first.delta is not None and f"{first.delta * 100:+.1f} points" in rows[0].text()
    svg = panel.one("svg")
    bars = svg.find_all("rect")
    assert len(bars) == sum(1 for a in expected.actions if a.delta is not None)
    widths = [float(b.get("width") or 0) for b in bars]
    assert widths == sorted(widths, reverse=True)  # ranked by gain, all gains positive here
    assert "Best plan:" in panel.text()


def test_profile_page_json_carries_the_panel(client: TestClient) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    doc = client.get(f"/profiles/{pid}?today={TODAY}&format=json").json()
    assert doc["advice"]["available"] is True
    assert [r["id"] for r in doc["advice"]["rows"]] == [a.candidate.id for a in _service().actions]


def test_a_finished_match_says_so_instead_of_failing(client: TestClient) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    panel = page(client, f"/profiles/{pid}?today=2027-06-01").by_id("advice")
    assert "No advice for this profile" in panel.text() and panel.find("svg") is None


def test_bad_today_is_a_4xx(client: TestClient) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    assert client.get(f"/profiles/{pid}?today=2026-02-30").status_code == 422


def test_plan_tasks_link_to_their_gain(client: TestClient) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    doc = page(client, f"/profiles/{pid}/plan?today={TODAY}")
    gains = {a.candidate.id: a.delta for a in _service().actions}
    task = doc.by_id("task-rotation-new-1-apply")
    link = task.one("a")
    assert link.get("href", "").endswith("#advice-away-rotation")
    assert f"{gains['away-rotation'] * 100:+.1f} points" in link.text()  # type: ignore[operator]
    submit = doc.by_id("task-eras-submit").one("a")
    # the application-list action with the larger gain in the market model (more programs or signals)
    assert submit.get("href", "").endswith(("#advice-more-programs", "#advice-program-signals"))
