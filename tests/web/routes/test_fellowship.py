"""The fellowship planner pages and API show the fellowship service's plan for stored portfolios."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks, form_values, parse_html
from icalendar import Calendar

from conftest import EXAMPLES, csrf, page, portfolio_document
from smartpick.domain.fellowship.portfolio import (
    Cycle,
    InService,
    Leadership,
    Mentor,
    Portfolio,
    Presentation,
    Progress,
    Project,
    Resident,
    Rotation,
    Teaching,
)
from smartpick.services import fellowship as svc
from smartpick.web.portfolio_form import PORTFOLIO_SECTIONS
from smartpick.web.profile_form import parse_form, values_from_document
from smartpick.web.routes import fellowship as routes_fellowship

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


def _form(client: TestClient, path: str) -> tuple[str, dict[str, list[str]]]:
    form = page(client, path).one("form", class_="profile-form")
    return form.get("action") or "", form_values(form)


def _normal(document: dict[str, Any]) -> dict[str, Any]:
    return Portfolio.model_validate(document).model_dump(mode="json", exclude_none=True)


NEW = {
    "name": "mine",
    "resident.name": "Ana Ruiz",
    "resident.pgy": "2",
    "resident.residency_start_year": "2025",
    "resident.interests": ["pain", "sports"],
    "rotations[0].name": "Pain clinic",
    "rotations[0].start": "2026-01-05",
    "rotations[0].end": "2026-01-30",
    "rotations[0].tracks": ["pain"],
    "rotations[0].notable_cases": "Lumbar facet pain, treated with medial branch blocks\nCRPS of the hand",
    "mentors[0].name": "Dr. Lee",
    "mentors[0].letter": "asked",
    "mentors[0].letter_asked": "2026-02-01",
    "in_service[0].year": "2026",
    "in_service[0].pgy": "2",
    "in_service[0].percentile": "61",
    "progress.faculty_meetings": "2025-10-01, 2026-01-12",
}


def _new(client: TestClient, **fields: Any) -> dict[str, Any]:
    return {"csrf_token": csrf(page(client, "/fellowship/new")), "action": "save", **fields}


@pytest.mark.parametrize("name", ["resident-portfolio.toml", "resident-portfolio-pain.toml"])
def test_every_example_reads_into_the_form_and_back_unchanged(name: str) -> None:
    document = _normal(portfolio_document(name))
    values, _ = values_from_document(document, PORTFOLIO_SECTIONS)
    form = {k: v if isinstance(v, list) else [v] for k, v in values.items()}
    assert _normal(parse_form(form, PORTFOLIO_SECTIONS).document) == document


def test_the_form_has_an_input_for_every_field_of_the_portfolio() -> None:
    models = {"resident": Resident, "rotations": Rotation, "projects": Project, "presentations": Presentation,
              "leadership": Leadership, "teaching": Teaching, "mentors": Mentor, "in_service": InService,
              "cycles": Cycle, "progress": Progress}  # fmt: skip
    assert {s.path for s in PORTFOLIO_SECTIONS} == set(models) == set(Portfolio.model_fields)
    for section in PORTFOLIO_SECTIONS:
        assert {f.key for f in section.fields} == set(models[section.path].model_fields), section.path


def test_a_portfolio_built_in_the_form_is_stored_and_planned(client: TestClient) -> None:
    response = client.post("/fellowship/new", data=_new(client, **NEW), follow_redirects=False)
    assert response.status_code == 303, parse_html(response.text).find("div", class_="error-summary")
    assert response.headers["location"] == "/fellowship/mine"
    stored = client.get("/api/v1/fellowship/portfolios/mine/plan").json()
    assert stored["resident"] == "Ana Ruiz"
    doc = page(client, "/fellowship/mine")
    assert "Ana Ruiz" in doc.text() and doc.by_id("edit-link").get("href") == "/fellowship/mine/edit"
    saved = tomllib.loads(client.get("/fellowship/mine/portfolio.toml").text)
    assert saved["rotations"][0]["notable_cases"] == [
        "Lumbar facet pain, treated with medial branch blocks", "CRPS of the hand"
    ]  # fmt: skip
    assert saved["progress"]["faculty_meetings"] == [dt.date(2025, 10, 1), dt.date(2026, 1, 12)]
    assert saved["mentors"][0]["letter"] == "asked" and saved["in_service"][0]["percentile"] == 61


def test_saving_the_edit_form_unchanged_keeps_the_portfolio(client: TestClient) -> None:
    _upload(client, "mine", (EXAMPLES / "resident-portfolio.toml").read_bytes())
    before = svc.portfolio_toml(svc.load_portfolio(EXAMPLES / "resident-portfolio.toml"))
    action, values = _form(client, "/fellowship/mine/edit")
    assert values["resident.name"] == ["Jordan Lee"] and values["rotations[0].tracks"] == ["spine_msk"]
    response = client.post(action, data=values, follow_redirects=False)
    assert response.status_code == 303, parse_html(response.text).find("div", class_="error-summary")
    assert client.get("/fellowship/mine/portfolio.toml").text == before
    values["resident.name"] = ["Jordan Q. Lee"]
    values["rotations[1]._remove"] = ["true"]
    assert client.post(action, data=values, follow_redirects=False).status_code == 303
    after = tomllib.loads(client.get("/fellowship/mine/portfolio.toml").text)
    assert after["resident"]["name"] == "Jordan Q. Lee" and len(after["rotations"]) == 2


def test_add_another_row_keeps_what_was_typed(client: TestClient) -> None:
    data = _new(client, **{**NEW, "action": "add:rotations"})
    doc = parse_html(client.post("/fellowship/new", data=data).text)
    assert doc.by_id("f-rotations-0-name").get("value") == "Pain clinic"
    assert doc.by_id("f-rotations-1-name") is not None and doc.by_id("f-rotations-2-name") is not None
    assert client.get("/api/v1/fellowship/portfolios").json() == {"portfolios": []}


def test_each_error_is_beside_its_field_in_words(client: TestClient) -> None:
    bad = {**NEW, "resident.pgy": "9", "rotations[0].end": "2025-12-01", "resident.interests": []}
    response = client.post("/fellowship/new", data=_new(client, **bad))
    assert response.status_code == 422
    doc = parse_html(response.text)
    pgy = doc.by_id("f-resident-pgy")
    assert pgy.get("aria-invalid") == "true" and pgy.get("value") == "9"
    assert "1 to 8" in doc.by_id("f-resident-pgy-error").text()
    row_error = doc.by_id("f-rotations-0").one("p", class_="field-error").text()
    assert "must come after the start" in row_error and "a table" not in row_error
    assert doc.by_id("f-resident-interests-error") is not None
    summary = doc.one("div", class_="error-summary").text()
    assert "Resident · Postgraduate year (PGY)" in summary and "Rotation 1" in summary
    for internal in ("resident.pgy", "rotations[0]", "resident.interests"):
        assert internal not in summary, internal
    assert client.get("/api/v1/fellowship/portfolios").json() == {"portfolios": []}


def test_a_new_portfolio_may_not_take_an_existing_name(client: TestClient) -> None:
    client.put("/api/v1/fellowship/portfolios/mine", json={"portfolio": portfolio_document()})
    response = client.post("/fellowship/new", data=_new(client, **NEW))
    assert response.status_code == 422
    assert "none of your portfolios" in parse_html(response.text).by_id("f-name-error").text()


def test_the_template_is_the_complete_example_and_loads(client: TestClient) -> None:
    response = client.get("/fellowship/template.toml")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert response.text == (EXAMPLES / "resident-portfolio.toml").read_text(encoding="utf-8")
    assert svc.validate_portfolio(tomllib.loads(response.text)).resident.name
    assert page(client, "/fellowship").find("a", href="/fellowship/template.toml") is not None


def test_a_bad_file_is_shown_beside_the_upload_field(client: TestClient) -> None:
    response = _upload(client, "bad", b"[resident\n")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert parse_html(response.text).by_id("f-file-error") is not None  # type: ignore[attr-defined]


def test_replace_download_and_delete(client: TestClient) -> None:
    _upload(client, "mine", (EXAMPLES / "resident-portfolio.toml").read_bytes())
    token = csrf(page(client, "/fellowship/mine/edit"))
    files = {"file": ("p.toml", (EXAMPLES / "resident-portfolio-pain.toml").read_bytes(), "application/toml")}
    replaced = client.post("/fellowship/mine/upload", data={"csrf_token": token}, files=files,
                           follow_redirects=False)  # fmt: skip
    assert replaced.status_code == 303
    pain = svc.load_portfolio(EXAMPLES / "resident-portfolio-pain.toml")
    assert client.get("/fellowship/mine/portfolio.toml").text == svc.portfolio_toml(pain)
    deleted = client.post("/fellowship/mine/delete", data={"csrf_token": token}, follow_redirects=False)
    assert deleted.status_code == 303
    assert client.get("/fellowship/mine").status_code == 404
    assert client.post("/fellowship/mine/delete", data={"csrf_token": token}).status_code == 404


def test_the_fellowship_pages_reach_storage_only_through_the_service() -> None:
    source = Path(routes_fellowship.__file__).read_text(encoding="utf-8")
    assert "smartpick.store" not in source


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
