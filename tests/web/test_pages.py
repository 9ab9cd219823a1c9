"""Pages render valid, accessible HTML and show what the services compute (parsed, not grepped)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks, parse_html

from conftest import create_profile, csrf, example_document, page
from smartpick.data import bundled_catalogue
from smartpick.domain.catalogue.geography import Region
from smartpick.domain.catalogue.programs import CatalogueFilter, Strength, TrackType

PAGES = ["/", "/profiles", "/profiles/new", "/programs", "/programs?region=South&track=advanced"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_landmarks_labels_and_the_data_version(client: TestClient, path: str) -> None:
    doc = page(client, path)
    assert_landmarks(doc)
    assert_labelled(doc)
    footer = doc.one("footer").text()
    cat = bundled_catalogue()
    assert f"catalogue version {cat.version}" in footer and cat.date in footer


def test_ids_are_unique_and_described_by_points_at_real_elements(client: TestClient) -> None:
    doc = page(client, "/profiles/new")
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for e in doc.iter():
        for ref in (e.get("aria-describedby") or "").split():
            assert ref in ids, f"aria-describedby={ref} has no element"


def test_navigation_marks_the_current_page(client: TestClient) -> None:
    doc = page(client, "/programs")
    current = [a for a in doc.one("nav").find_all("a") if a.get("aria-current") == "page"]
    assert [a.text() for a in current] == ["Programs"]


@pytest.mark.parametrize(
    ("query", "flt"),
    [
        ("state=FL", CatalogueFilter(state="FL")),
        ("region=South", CatalogueFilter(region=Region.SOUTH)),
        ("track=advanced", CatalogueFilter(track=TrackType.ADVANCED)),
        ("visa=yes", CatalogueFilter(visa=True)),
        ("img_friendly=no", CatalogueFilter(img_friendly=False)),
        ("strength=sci", CatalogueFilter(strength=Strength.SCI)),
        ("q=miami", CatalogueFilter(text="miami")),
        ("state=CA&track=categorical", CatalogueFilter(state="CA", track=TrackType.CATEGORICAL)),
    ],
)
def test_catalogue_filters_list_what_the_domain_selects(
    client: TestClient, query: str, flt: CatalogueFilter
) -> None:
    expected = [p.id for p in bundled_catalogue().select(flt)]
    doc = page(client, f"/programs?{query}")
    table = doc.find("table", class_="programs")
    rows = table.one("tbody").find_all("tr") if table else []
    links = [r.one("th").one("a").get("href") for r in rows]
    assert sorted(links) == sorted(f"/programs/{pid}" for pid in expected)  # the same set; order: by state
    assert doc.by_id("results-title").text().startswith(f"{len(expected)} of {len(bundled_catalogue())}")
    json = client.get(f"/api/v1/programs?{query}").json()
    assert [p["id"] for p in json["programs"]] == expected


def test_filter_form_keeps_the_chosen_values(client: TestClient) -> None:
    doc = page(client, "/programs?state=FL&visa=no&q=tampa")
    assert doc.by_id("q").get("value") == "tampa"
    assert doc.by_id("state").one("option", value="FL").has("selected")
    assert doc.by_id("visa").one("option", value="no").has("selected")


def test_bad_filter_is_a_422_page_naming_the_field(client: TestClient) -> None:
    doc = page(client, "/programs?state=ZZ&track=sideways", status=422)
    items = [li.text() for li in doc.one("div", class_="error-summary").find_all("li")]
    assert any(i.startswith("state: got 'ZZ'") for i in items)
    assert any(i.startswith("track: got 'sideways'") and "categorical" in i for i in items)


def test_program_page_shows_every_fact_with_its_source_or_estimate(client: TestClient) -> None:
    cat = bundled_catalogue()
    program = next(p for p in cat.programs if any(f.source for _, f in p.facts()))
    doc = page(client, f"/programs/{program.id}")
    rows = doc.one("table", class_="facts-table").one("tbody").find_all("tr")
    facts = list(program.facts())
    assert len(rows) == len(facts)
    for row, (_, fact) in zip(rows, facts, strict=True):
        value, source = row.find_all("td")
        if fact.value is None:
            assert value.text() == "unknown" and "no source yet" in source.text()
        elif fact.source:
            ref = cat.sources.get(fact.source)
            assert (ref.title if ref else fact.source) in source.text()
        else:
            assert "estimate" in value.text() and fact.estimate in source.text()


def test_program_can_be_found_by_nrmp_code_and_unknown_is_404(client: TestClient) -> None:
    program = bundled_catalogue().programs[0]
    doc = page(client, f"/programs/{program.tracks[0].code}")
    assert doc.one("h1").text() == program.name
    page(client, "/programs/no-such-program", status=404)
    assert client.get("/api/v1/programs/no-such-program").status_code == 404


def test_pages_render_as_json_too(client: TestClient) -> None:
    data = client.get("/programs?state=FL&format=json").json()
    assert data["title"] == "Program catalogue" and data["filters"] == {"state": "FL"}
    assert all(p["state"] == "FL" for p in data["programs"])
    accept = client.get("/programs/1007340", headers={"Accept": "application/json"}).json()
    assert accept["program"]["id"] == "1007340"


def test_dashboard_lists_profiles_with_their_band(client: TestClient) -> None:
    create_profile(client, "mine")
    doc = page(client, "/")
    row = doc.one("table").one("tbody").one("tr")
    assert row.one("a").text() == "mine"
    assert row.one("span", class_="badge").text() == "strong"


def test_profile_page_shows_standing_and_owner_actions(client: TestClient) -> None:
    pid = create_profile(client, "main", example_document("us-img-228-step1-fail.toml"))
    doc = page(client, f"/profiles/{pid}")
    standing = doc.one("section", class_="standing")
    assert standing.one("span", class_="badge").text() == "low"
    flags = [li.text() for li in standing.one("ul", class_="flags").find_all("li")]
    assert any("Step 1 passed on attempt 2" in f for f in flags)
    hrefs = {a.get("href") for a in doc.find_all("a")}
    assert f"/profiles/{pid}/edit" in hrefs and f"/profiles/{pid}/profile.toml" in hrefs
    form = doc.one("form", action=f"/profiles/{pid}/delete")
    assert csrf(form)


def test_security_headers_are_sent(client: TestClient) -> None:
    response = client.get("/programs")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_static_files_are_served(client: TestClient) -> None:
    doc = parse_html(client.get("/").text)
    css = doc.one("link", rel="stylesheet").get("href")
    assert client.get(css).status_code == 200


def test_empty_filter_boxes_mean_any(client: TestClient) -> None:
    """Regression (found by schemathesis): an empty search box was checked for length after becoming None."""
    query = "q=&state=&region=&type=&track=&visa=&img_friendly=&strength="
    doc = page(client, f"/programs?{query}")
    assert doc.by_id("results-title").text().startswith(f"{len(bundled_catalogue())} of")
    assert client.get(f"/api/v1/programs?{query}").status_code == 200
