"""``smartpick fellowship programs`` and the bundled fellowship program list."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue
from smartpick.data.fellowships import (
    bundled_fellowship_programs,
    bundled_fellowships,
    load_fellowship_programs,
)
from smartpick.domain.fellowship.portfolio import TrackId
from smartpick.errors import InputErrors

PLANNER_TRACKS = {
    "sci",
    "brain_injury",
    "pain",
    "sports",
    "peds_rehab",
    "neuromuscular",
    "hospice_palliative",
}


def _run(*args: str) -> Any:
    # A wide terminal, so whole names sit on one line of the table (tables fit the terminal's width).
    return CliRunner().invoke(app, ["fellowship", "programs", *args], env={"COLUMNS": "200"})


def test_every_planner_track_has_real_programs_with_place_and_provenance() -> None:
    listing = bundled_fellowship_programs()
    assert {p.track.value for p in listing.program} >= PLANNER_TRACKS
    for p in listing.program:
        assert p.city.value and p.state.value, p.id
        for name in ("city", "state", "positions", "route", "timeline"):
            fact = getattr(p, name)
            assert fact.value is None or bool(fact.source) != bool(fact.estimate), (p.id, name)


def test_json_filters_by_track_and_state_with_sources() -> None:
    result = _run("--track", "sci", "--state", "md", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["programs"] and all(
        p["track"] == "sci" and p["state"]["value"] == "MD" for p in doc["programs"]
    )
    assert all("source" in p["city"] or "estimate" in p["city"] for p in doc["programs"])


def test_table_names_programs_and_marks_estimates() -> None:
    result = _run("--track", "hospice_palliative")
    assert result.exit_code == 0
    assert "Mayo Clinic Hospice" in result.output and "estimate" in result.output


@pytest.mark.parametrize(
    ("flag", "value", "field"), [("--track", "yoga", "track"), ("--state", "ZZ", "state")]
)
def test_bad_filters_exit_2_naming_the_field(flag: str, value: str, field: str) -> None:
    result = _run(flag, value)
    assert result.exit_code == 2
    assert f"{field}: got '{value}'" in result.output and "Traceback" not in result.output


def test_loader_rejects_an_unknown_residency_and_a_program_without_a_place() -> None:
    base = {"version": "t", "date": "2026-12-02"}
    prog = {
        "id": "x",
        "name": "X fellowship",
        "track": "sci",
        "institution": "Somewhere",
        "url": "https://x.example",
    }
    with pytest.raises(InputErrors) as info:
        load_fellowship_programs({**base, "program": [{**prog, "residency": "0000340"}]},
                                 bundled_catalogue(), bundled_fellowships(), source="t.toml")  # fmt: skip
    assert info.value.lines()[0].startswith("t.toml: program[0].residency: got '0000340'")
    with pytest.raises(InputErrors) as info:
        load_fellowship_programs(
            {**base, "program": [prog]}, bundled_catalogue(), bundled_fellowships(), source="t.toml"
        )
    assert "program[0].city" in info.value.lines()[0]


def test_a_linked_residency_gives_city_and_state_and_a_missing_route_is_an_open_estimate() -> None:
    listing = bundled_fellowship_programs()
    northwestern = next(p for p in listing.program if p.id == "northwestern-sci")
    residency = bundled_catalogue().get(northwestern.residency or "")
    assert residency is not None and northwestern.city.value == residency.city.value
    assert "residency" in (northwestern.city.note or "")
    assert (
        northwestern.route.is_estimate
        and northwestern.route.value is bundled_fellowships().get(TrackId.SCI).route.value
    )
