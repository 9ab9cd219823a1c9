"""The profile editor: what the form shows is what gets saved, and each error lands by its field."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from html_tree import Element, form_values, parse_html
from hypothesis import HealthCheck, given, settings
from strategies import profiles

from conftest import EXAMPLES, create_profile, csrf, example_document, page
from smartpick.domain.profile.applicant import Profile
from smartpick.web.profile_form import parse_form, values_from_document


def _stored(client: TestClient, pid: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/profiles/{pid}")
    assert response.status_code == 200
    return response.json()["profile"]


def _edit_form(client: TestClient, pid: int) -> tuple[Element, dict[str, list[str]]]:
    doc = page(client, f"/profiles/{pid}/edit")
    form = doc.one("form", class_="profile-form")
    return form, form_values(form)


def _normal(document: dict[str, Any]) -> dict[str, Any]:
    return Profile.model_validate(document).model_dump(mode="json", exclude_none=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=profiles)
def test_saving_the_edit_form_unchanged_keeps_the_profile(
    client: TestClient, document: dict[str, Any]
) -> None:
    pid = create_profile(client, "p", document)
    before = _stored(client, pid)
    form, values = _edit_form(client, pid)
    response = client.post(form.get("action") or "", data=values, follow_redirects=False)
    assert response.status_code == 303, parse_html(response.text).find("div", class_="error-summary")
    assert _stored(client, pid) == before == _normal(document)
    client.delete(f"/api/v1/profiles/{pid}")


@given(document=profiles)
def test_form_values_parse_back_to_the_same_document(document: dict[str, Any]) -> None:
    values, _ = values_from_document(document)
    form = {k: v if isinstance(v, list) else [v] for k, v in values.items()}
    assert _normal(parse_form(form).document) == _normal(document)


def _new_form(client: TestClient, **fields: str) -> dict[str, Any]:
    doc = page(client, "/profiles/new")
    return {"csrf_token": csrf(doc), "action": "save", **fields}


BASE = {
    "name": "main",
    "applicant.type": "us_img",
    "applicant.needs_visa": "false",
    "applicant.graduation_year": "2025",
    "applicant.target_start_year": "2027",
    "exams.step1": "pass",
}


def test_each_error_is_shown_next_to_its_field_and_in_the_summary(client: TestClient) -> None:
    data = _new_form(client, **BASE, **{"exams.step2_ck": "400", "rotations[0].weeks": "4"})
    response = client.post("/profiles/new", data=data)
    assert response.status_code == 422
    doc = parse_html(response.text)
    score = doc.by_id("f-exams-step2_ck")
    assert score.get("aria-invalid") == "true" and score.get("value") == "400"
    error = doc.by_id("f-exams-step2_ck-error")
    assert "f-exams-step2_ck-error" in (score.get("aria-describedby") or "").split()
    assert "got 400" in error.text() and "from 1 to 300" in error.text()
    summary = doc.one("div", class_="error-summary")
    targets = [a.get("href") for a in summary.find_all("a")]
    assert "#f-exams-step2_ck" in targets
    assert "#f-rotations-0-kind" in targets and "#f-rotations-0-start" in targets  # the row's required fields
    assert client.get("/api/v1/profiles").json()["profiles"] == []


def test_a_blank_row_in_the_middle_does_not_shift_errors_to_another_row(client: TestClient) -> None:
    rows = {
        "rotations[0].site": "A", "rotations[0].kind": "hands_on", "rotations[0].start": "2026-05-04",
        "rotations[0].weeks": "4",
        "rotations[2].site": "B", "rotations[2].kind": "hands_on", "rotations[2].start": "2026-06-01",
        "rotations[2].weeks": "12",
    }  # fmt: skip
    response = client.post("/profiles/new", data=_new_form(client, **BASE, **rows))
    doc = parse_html(response.text)
    assert doc.by_id("f-rotations-2-weeks").get("aria-invalid") == "true"
    assert doc.by_id("f-rotations-0-weeks").get("aria-invalid") is None
    assert "from 1 to 8" in doc.by_id("f-rotations-2-weeks-error").text()


def test_whole_section_errors_show_on_the_section(client: TestClient) -> None:
    data = _new_form(client, **{**BASE, "applicant.target_start_year": "2020"})
    doc = parse_html(client.post("/profiles/new", data=data).text)
    section = doc.by_id("f-applicant")
    assert "before graduation_year" in section.one("p", class_="field-error").text()
    row = {"rotations[0].kind": "virtual", "rotations[0].start": "2026-01-05", "rotations[0].weeks": "2"}
    row_data = _new_form(client, **BASE, **row)
    fieldset = parse_html(client.post("/profiles/new", data=row_data).text).by_id("f-rotations-0")
    assert "exactly one of" in fieldset.one("p", class_="field-error").text()


def test_unknown_catalogue_id_is_an_error_on_that_rotation(client: TestClient) -> None:
    rows = {
        "rotations[0].program": "nope",
        "rotations[0].kind": "hands_on",
        "rotations[0].start": "2026-05-04",
        "rotations[0].weeks": "4",
    }
    doc = parse_html(client.post("/profiles/new", data=_new_form(client, **BASE, **rows)).text)
    assert "catalogue program id" in doc.by_id("f-rotations-0-program-error").text()


def test_name_and_profile_errors_are_reported_together(client: TestClient) -> None:
    create_profile(client, "main")
    data = _new_form(client, **{**BASE, "exams.step1": "maybe"})
    doc = parse_html(client.post("/profiles/new", data=data).text)
    assert "none of your profiles" in doc.by_id("f-name-error").text()
    assert doc.by_id("f-exams-step1").get("aria-invalid") == "true"


def test_valid_form_saves_and_redirects_to_the_profile(client: TestClient) -> None:
    data = _new_form(client, **BASE, **{"exams.step2_ck": "241", "preferences.states_with_ties": "il, ny",
                                        "preferences.regions": "Midwest"})  # fmt: skip
    response = client.post("/profiles/new", data=data, follow_redirects=False)
    assert response.status_code == 303
    doc = page(client, response.headers["location"])
    assert doc.one("p", class_="flash").text() == "Saved profile main."
    pid = int(response.headers["location"].rsplit("/", 1)[1])
    stored = _stored(client, pid)
    assert stored["exams"]["step2_ck"] == 241 and stored["preferences"]["states_with_ties"] == ["IL", "NY"]


def test_add_another_row_keeps_values_and_saves_nothing(client: TestClient) -> None:
    data = _new_form(client, **BASE, **{"letters[0].writer_specialty": "pmr", "letters[0].us": "true"})
    data["action"] = "add:letters"
    doc = parse_html(client.post("/profiles/new", data=data).text)
    rows = doc.by_id("f-letters").find_all("fieldset", class_="row")
    assert len(rows) == 3  # the filled one, the usual blank one and the added one
    assert doc.by_id("f-letters-0-writer_specialty").one("option", value="pmr").has("selected")
    assert doc.by_id("f-applicant-graduation_year").get("value") == "2025"
    assert client.get("/api/v1/profiles").json()["profiles"] == []


def test_remove_checkbox_drops_the_row(client: TestClient) -> None:
    pid = create_profile(client, "main")
    form, values = _edit_form(client, pid)
    assert len(_stored(client, pid)["letters"]) == 3
    values["letters[1]._remove"] = ["true"]
    client.post(form.get("action") or "", data=values)
    letters = _stored(client, pid)["letters"]
    assert [x["writer_specialty"] for x in letters] == ["pmr", "internal_medicine"]


def _upload(client: TestClient, path: str, content: bytes, **fields: str) -> Any:
    doc = page(client, "/profiles/new")
    files = {"file": ("profile.toml", io.BytesIO(content), "application/toml")}
    return client.post(path, data={"csrf_token": csrf(doc), **fields}, files=files, follow_redirects=False)


PROFILES = sorted(p.name for p in EXAMPLES.glob("*.toml") if "[applicant]" in p.read_text())


@pytest.mark.parametrize("example", PROFILES)
def test_upload_then_download_gives_the_same_profile(client: TestClient, example: str) -> None:
    response = _upload(client, "/profiles/upload", (EXAMPLES / example).read_bytes(), name="up")
    assert response.status_code == 303
    pid = int(response.headers["location"].rsplit("/", 1)[1])
    download = client.get(f"/profiles/{pid}/profile.toml")
    assert download.headers["content-type"].startswith("application/toml")
    assert 'filename="up.toml"' in download.headers["content-disposition"]
    assert _normal(tomllib.loads(download.text)) == _normal(example_document(example))


def test_upload_with_bad_values_fills_the_form_and_marks_the_field(client: TestClient) -> None:
    bad = (EXAMPLES / "strong-us-img.toml").read_text().replace("step2_ck = 251", "step2_ck = 999")
    response = _upload(client, "/profiles/upload", bad.encode(), name="up")
    assert response.status_code == 422
    doc = parse_html(response.text)
    assert doc.by_id("f-exams-step2_ck").get("value") == "999"
    assert doc.by_id("f-exams-step2_ck").get("aria-invalid") == "true"
    assert doc.by_id("f-applicant-name").get("value") == "Alex Rivera"


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"[applicant\n", "valid TOML"), (b"\xff\xfe", "UTF-8"), (b"x" * 300_000, "at most 256 KB")],
)
def test_unreadable_upload_is_an_error_on_the_file(client: TestClient, content: bytes, expected: str) -> None:
    response = _upload(client, "/profiles/upload", content, name="up")
    assert response.status_code == 422
    assert expected in parse_html(response.text).by_id("f-file-error").text()


def test_upload_replaces_an_existing_profile(client: TestClient) -> None:
    pid = create_profile(client, "main")
    content = (EXAMPLES / "non-us-img-visa.toml").read_bytes()
    response = _upload(client, f"/profiles/{pid}/upload", content)
    assert response.headers["location"] == f"/profiles/{pid}"
    assert _stored(client, pid) == _normal(example_document("non-us-img-visa.toml"))


def test_delete_removes_the_profile(client: TestClient) -> None:
    pid = create_profile(client, "main")
    doc = page(client, f"/profiles/{pid}")
    form = doc.one("form", action=f"/profiles/{pid}/delete")
    response = client.post(form.get("action") or "", data=form_values(form), follow_redirects=False)
    assert response.status_code == 303
    assert client.get(f"/profiles/{pid}").status_code == 404


def test_visa_type_is_saved_and_a_type_without_needs_visa_lands_on_its_field(client: TestClient) -> None:
    ok = {**BASE, "applicant.needs_visa": "true", "applicant.visa": "h1b"}
    response = client.post("/profiles/new", data=_new_form(client, **ok), follow_redirects=False)
    assert response.status_code in (302, 303)
    (listed,) = client.get("/api/v1/profiles").json()["profiles"]
    saved = client.get(f"/api/v1/profiles/{listed['id']}").json()
    assert saved["profile"]["applicant"]["visa"] == "h1b"
    bad = {**BASE, "name": "other", "applicant.visa": "j1"}
    response = client.post("/profiles/new", data=_new_form(client, **bad))
    assert response.status_code == 422
    doc = parse_html(response.text)
    assert doc.by_id("f-applicant-visa").get("aria-invalid") == "true"
    assert "needs_visa is false" in doc.by_id("f-applicant-visa-error").text()


def test_a_practice_test_dated_after_today_is_an_error_beside_its_date(client: TestClient) -> None:
    today = dt.datetime.now(dt.UTC).date()
    later = (today + dt.timedelta(days=1)).isoformat()
    rows = {
        "exams.practice[0].date": today.isoformat(), "exams.practice[0].score": "230",
        "exams.practice[1].date": later, "exams.practice[1].score": "240",
    }  # fmt: skip
    response = client.post("/profiles/new", data=_new_form(client, **BASE, **rows))
    assert response.status_code == 422
    doc = parse_html(response.text)
    assert doc.by_id("f-exams-practice-1-date").get("aria-invalid") == "true"
    assert doc.by_id("f-exams-practice-0-date").get("aria-invalid") is None
    error = doc.by_id("f-exams-practice-1-date-error").text()
    assert later in error and f"on or before today ({today.isoformat()})" in error
    assert "Practice test 2 · Date" in doc.one("div", class_="error-summary").text()
    document = {**example_document(), "exams": {"step1": "pass", "practice": [{"date": later, "score": 240}]}}
    api = client.post("/api/v1/profiles", json={"name": "later", "profile": document})
    assert api.status_code == 422 and "exams.practice[0].date" in api.text
    assert client.get("/api/v1/profiles").json()["profiles"] == []
