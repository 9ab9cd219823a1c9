"""The recommendations page and ``/api/v1/recommend`` show what the recommendation service computes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from html_tree import assert_labelled, assert_landmarks
from hypothesis import given
from hypothesis import strategies as st

from conftest import create_profile, example_document, page
from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError
from smartpick.services.recommend import recommend
from smartpick.web.charts import line_chart, stacked_bars
from smartpick.web.recommend_views import optional_number


def _service(name: str = "strong-us-img.toml", **kw: float | int | None) -> dict:
    profile = parse_model(Profile, example_document(name))
    doc = recommend(profile, bundled_catalogue(), **kw).to_json_dict()  # type: ignore[arg-type]
    return json.loads(json.dumps(doc))  # as it travels: tuples become lists


@pytest.mark.parametrize("name", ["strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml"])
def test_the_api_returns_the_service_document(client: TestClient, name: str) -> None:
    response = client.post("/api/v1/recommend", json={"profile": example_document(name)})
    assert response.status_code == 200, response.text
    assert response.json() == _service(name)


def test_the_api_passes_budget_and_max_programs(client: TestClient) -> None:
    body = {"profile": example_document(), "budget": 300, "max_programs": 20}
    doc = client.post("/api/v1/recommend", json=body).json()
    assert doc == _service(budget=300, max_programs=20)
    assert doc["cost_usd"] <= 300 and len(doc["programs"]) <= 20


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"budget": -1}, "budget"),
        ({"max_programs": 0}, "max_programs"),
        ({"surprise": 1}, "surprise"),
        ({"profile": {"applicant": {"type": "martian"}}}, "profile.applicant.type"),
    ],
)
def test_bad_api_input_is_a_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/api/v1/recommend", json={"profile": example_document(), **body})
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["detail"]]


def test_the_page_lists_the_services_programs_with_estimate_labels(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    doc = page(client, f"/profiles/{pid}/recommendations")
    assert_landmarks(doc)
    assert_labelled(doc)
    expected = _service()
    tables = doc.find_all("table", class_="recs")
    rows = [tr for t in tables for tr in t.one("tbody").find_all("tr")]
    assert len(rows) == len(expected["programs"])
    names = [tr.find("th", scope="row").one("a").text() for tr in rows]
    assert sorted(names) == sorted(p["name"] for p in expected["programs"])
    # Grouped by tier (reach, core, safety) under headings; the first 25 shown, the rest behind "show all".
    headings = [h.text().lower() for h in doc.find_all("h3", class_="tier-heading")]
    assert headings and all(any(t in h for t in ("reach", "core", "safety")) for h in headings)
    visible = [t for t in tables if not any(a.tag == "details" for a in t.ancestors())]
    assert sum(len(t.one("tbody").find_all("tr")) for t in visible) == min(25, len(rows))
    if len(rows) > 25:
        assert "Show all" in doc.one("details", class_="show-all").one("summary").text()
    heads = [th.text() for th in tables[0].find_all("th", scope="col")]
    assert any("P(interview)" in h and "est." in h for h in heads)
    assert any("P(match | interviewed)" in h and "est." in h for h in heads)
    assert doc.by_id("rec-count").text() == str(len(expected["programs"]))
    assert len(doc.find_all("svg")) == 2  # the curve and the region chart
    assert all(s.get("role") == "img" and s.find("title") for s in doc.find_all("svg"))


def test_a_lower_budget_reoptimizes_the_list(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    full = page(client, f"/profiles/{pid}/recommendations")
    cheap = page(client, f"/profiles/{pid}/recommendations?budget=200&max_programs=")
    assert int(cheap.by_id("rec-count").text()) < int(full.by_id("rec-count").text())
    assert cheap.by_id("f-budget").get("value") == "200"
    expected = _service(budget=200)
    assert int(cheap.by_id("rec-count").text()) == len(expected["programs"])
    assert "200" in (cheap.by_id("csv-link").get("href") or "")


@pytest.mark.parametrize("query", ["budget=abc", "budget=-5", "max_programs=2.5", "budget=nan", "budget=1e9"])
def test_bad_budget_input_is_a_422_page(client: TestClient, query: str) -> None:
    pid = create_profile(client, "strong")
    response = client.get(f"/profiles/{pid}/recommendations?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.text


def test_csv_export_has_the_cli_columns_and_one_row_per_program(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    response = client.get(f"/profiles/{pid}/recommendations.csv?budget=400")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = _service(budget=400)["programs"]
    assert [r["id"] for r in rows] == [p["id"] for p in expected]
    assert all(r["estimate"] == "True" for r in rows)
    assert float(rows[0]["p_interview"]) == expected[0]["p_interview"]


def test_the_page_as_json_carries_the_same_numbers(client: TestClient) -> None:
    pid = create_profile(client, "strong")
    doc = client.get(f"/profiles/{pid}/recommendations?format=json&budget=500").json()
    expected = _service(budget=500)
    assert doc["recommendation"]["count"] == len(expected["programs"])
    assert round(doc["recommendation"]["p_match"], 4) == expected["p_match"]
    api = client.get(f"/api/v1/profiles/{pid}/recommendation?budget=500").json()
    assert api == expected


@given(st.lists(st.floats(0, 1), min_size=1, max_size=150))
def test_the_curve_stays_inside_the_plot(ys: list[float]) -> None:
    xs = list(range(1, len(ys) + 1))
    chart = line_chart(xs, ys, marker=len(ys), marker_label="")
    pts = [tuple(map(float, p.split(","))) for p in chart.points.split()]
    assert len(pts) == len(ys)
    assert all(chart.left <= x <= chart.width - chart.right for x, _ in pts)
    assert all(chart.top <= y <= chart.height - chart.bottom for _, y in pts)
    assert [x for x, _ in pts] == sorted(x for x, _ in pts)
    assert chart.x_ticks and chart.x_ticks[0].label == "0"


def test_stacked_bars_scale_to_the_largest_total() -> None:
    chart = stacked_bars(
        {"South": {"reach": 2, "core": 2}, "West": {"safety": 1}}, ("reach", "core", "safety")
    )
    south, west = chart.bars
    assert south.total == 4 and west.total == 1
    assert sum(s.width for s in south.segments) == pytest.approx(4 * sum(s.width for s in west.segments))


@pytest.mark.parametrize(("raw", "expected"), [("", None), (" 250 ", 250.0), ("0", 0.0), (None, None)])
def test_optional_number_reads_blank_as_default(raw: str | None, expected: float | None) -> None:
    assert optional_number(raw, "budget", lo=0, hi=1000) == expected


@pytest.mark.parametrize("raw", ["x", "-1", "1001", "inf", "nan"])
def test_optional_number_rejects_out_of_range(raw: str) -> None:
    with pytest.raises(InputError, match="budget"):
        optional_number(raw, "budget", lo=0, hi=1000)
