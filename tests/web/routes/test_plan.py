"""The plan page, its stored statuses and the ICS download match the cycle planner's output."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks
from icalendar import Calendar

from conftest import create_profile, csrf, example_document, page
from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.validation import parse_model
from smartpick.services import plan as plan_svc

TODAY = dt.date(2026, 11, 23)


def _service_plan(name: str = "strong-us-img.toml", today: dt.date = TODAY) -> plan_svc.CyclePlan:
    return plan_svc.build_plan(parse_model(Profile, example_document(name)), bundled_catalogue(), today)


def test_the_timeline_shows_every_task_by_month_with_late_ones_flagged(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    doc = page(client, f"/profiles/{pid}/plan?today={TODAY}")
    assert_landmarks(doc)
    assert_labelled(doc)
    expected = _service_plan()
    items = doc.one("main").find_all("li", class_="late") + doc.one("main").find_all("li", class_="todo")
    shown = {
        li.get("id") for li in doc.one("main").find_all("li") if (li.get("id") or "").startswith("task-")
    }
    assert shown == {f"task-{t.id}" for t in expected.tasks}
    late = [t for t in expected.tasks if t.status.value == "late"]
    assert late, "the example has late tasks on this date"
    for task in late:
        li = doc.by_id(f"task-{task.id}")
        assert "late" in (li.get("class") or "")
        assert task.instead in li.text()
    months = [h.text() for h in doc.one("main").find_all("h3")]
    assert months[0] == min(t.due for t in expected.tasks).strftime("%B %Y")
    assert items


def test_a_status_update_is_stored_for_the_profile(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    other = create_profile(client, "other")
    doc = page(client, f"/profiles/{pid}/plan?today={TODAY}")
    late = next(t for t in _service_plan().tasks if t.status.value == "late")
    form = {"csrf_token": csrf(doc), "task": late.id, "status": "done", "today": TODAY.isoformat()}
    response = client.post(f"/profiles/{pid}/plan/status", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"#task-{late.id}")
    after = page(client, response.headers["location"].split("#")[0])
    assert "done" in (after.by_id(f"task-{late.id}").get("class") or "")
    untouched = client.get(f"/api/v1/profiles/{other}/plan?today={TODAY}").json()
    assert next(t for t in untouched["tasks"] if t["id"] == late.id)["status"] == "late"


@pytest.mark.parametrize(
    ("task", "status", "field"), [("nope", "done", "task"), ("eras-submit", "late", "status")]
)
def test_bad_status_updates_are_refused(client: TestClient, task: str, status: str, field: str) -> None:
    pid = create_profile(client, "strong")
    body = {"task": task, "status": status, "today": TODAY.isoformat()}
    response = client.put(f"/api/v1/profiles/{pid}/plan/status", json=body)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]


def test_the_api_sets_a_status_and_returns_the_plan(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    body = {"task": "nrmp-register", "status": "skipped", "today": TODAY.isoformat()}
    doc = client.put(f"/api/v1/profiles/{pid}/plan/status", json=body).json()
    assert next(t for t in doc["tasks"] if t["id"] == "nrmp-register")["status"] == "skipped"
    assert doc["summary"]["skipped"] == 1


def test_the_stateless_api_matches_the_service(client: TestClient) -> None:
    body = {"profile": example_document("non-us-img-visa.toml"), "today": TODAY.isoformat()}
    doc = client.post("/api/v1/plan", json=body).json()
    assert doc == plan_svc.plan_doc(_service_plan("non-us-img-visa.toml"))


def test_the_ics_download_is_a_calendar_of_the_plan(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    response = client.get(f"/profiles/{pid}/plan.ics?today={TODAY}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(t.title for t in _service_plan().tasks)


@pytest.mark.parametrize("today", ["yesterday", "2026-13-01"])
def test_a_bad_today_is_a_422(client: TestClient, today: str) -> None:
    pid = create_profile(client, "strong")
    assert client.get(f"/profiles/{pid}/plan?today={today}").status_code == 422


def test_a_finished_cycle_is_a_clear_422_not_a_crash(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    response = client.get(f"/api/v1/profiles/{pid}/plan?today=2030-01-01")
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"]


def test_the_plan_draws_its_tasks_on_a_timeline_with_late_ones_marked(client: TestClient) -> None:
    pid = create_profile(client, "timeline")
    doc = page(client, f"/profiles/{pid}/plan?today=2026-09-20")
    svg = doc.one("figure", class_="gantt").one("svg")
    assert svg.get("role") == "img" and svg.find("title") is not None
    bars = svg.find_all("rect")
    tasks = [li for li in doc.find_all("li") if (li.get("id") or "").startswith("task-")]
    assert len(bars) == len(tasks)
    late = [b for b in bars if b.get("stroke-dasharray")]
    assert len(late) == len(doc.find_all("li", class_="late")) > 0
    months = [t.text() for t in svg.find_all("text") if re_month(t.text())]
    assert len(months) >= 3


def re_month(text: str) -> bool:
    import re

    return re.fullmatch(r"[A-Z][a-z]{2} \d\d", text) is not None
