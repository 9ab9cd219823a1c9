"""``smartpick fellowship``: tracks, plan (table, JSON, ICS), portfolio storage, and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue
from smartpick.data.fellowships import (
    bundled_fellowship_programs,
    bundled_fellowships,
    load_fellowship_programs,
)
from smartpick.domain.fellowship.portfolio import Portfolio, TrackId
from smartpick.domain.validation import parse_model
from smartpick.errors import InputErrors
from smartpick.services.fellowship import load_portfolio

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SPINE = str(EXAMPLES / "resident-portfolio.toml")
PAIN = str(EXAMPLES / "resident-portfolio-pain.toml")
runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["fellowship", *args])


def test_tracks_json_has_every_track_with_sources() -> None:
    result = invoke("tracks", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    ids = [t["id"] for t in doc["tracks"]]
    assert ids[:3] == ["spine_msk", "pain", "sports"] and len(ids) == 11
    pain = doc["tracks"][1]
    assert pain["typical_applications"] == "15-30" and pain["route"]["value"] == "eras_nrmp"
    assert "source" in pain["applications"] and doc["letters"]["subspecialty_min"] == 2


def test_tracks_table() -> None:
    result = invoke("tracks")
    assert result.exit_code == 0
    assert "spine_msk" in result.stdout and "PGY-3" in result.stdout and "15-30" in result.stdout


def test_plan_json_for_the_spine_example_in_pgy3_september() -> None:
    result = invoke("plan", "--portfolio", SPINE, "--today", "2026-09-15", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["pgy_now"], doc["fellowship_start_year"]) == (3, 2028)
    status = {m["id"]: m["status"] for m in doc["milestones"]}
    assert status["2028.spine_msk.letters"] == "late" and status["2028.spine_msk.submit"] == "on_track"
    assert status["2028.sports.letters"] == "on_track"
    assert doc["summary"] == {"done": 10, "on_track": 8, "late": 4, "missing": 0}
    first = doc["milestones"][0]
    assert set(first) == {"id", "title", "category", "start", "due", "status", "why", "source"}
    assert doc["windows"][0]["opens"] == {"date": "2026-07-01", "provenance": first_source(doc)}


def first_source(doc: dict[str, Any]) -> str:
    return "source: seeds/000 (some interventional spine programs accept applications in early PGY-3)"


def test_plan_table_for_the_pain_example() -> None:
    result = invoke("plan", "--portfolio", PAIN, "--today", "2026-11-23")
    assert result.exit_code == 0
    assert "Maria Gonzalez: PGY-2 on 2026-11-23, fellowship start July 2029" in result.stdout
    assert "LATE" in result.stdout and "List (pain, building): 30 programs" in result.stdout


def test_bad_portfolio_is_one_line_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[resident]\nname = "X"\npgy = 2\nresidency_start_year = 2025\ninterests = ["spine"]\n')
    result = invoke("plan", "--portfolio", str(bad), "--today", "2026-01-01")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: {bad}: resident.interests[0]: got 'spine'; allowed:"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (("plan", "--portfolio", SPINE, "--today", "2026-13-01"), "error: --today: got '2026-13-01'"),
        (("plan",), "error: --portfolio: missing; give exactly one of"),
        (("plan", "--portfolio", "/nonexistent.toml"), "error: file: got '/nonexistent.toml'"),
        (("plan", "--saved", "ghost"), "error: portfolio: got 'ghost'"),
    ],
)
def test_input_errors_exit_2(args: tuple[str, ...], start: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and result.stderr.startswith(start)
    assert len(result.stderr.strip().splitlines()) == 1


def test_ics_goes_through_the_calendar_writer_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    result = invoke(
        "plan", "--portfolio", PAIN, "--today", "2026-11-23", "--ics", str(out), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    plan_doc = json.loads(result.stdout)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert str(cal["x-wr-calname"]) == "SmartPick fellowship plan: Maria Gonzalez"
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(plan_doc["milestones"]) == 14
    summaries = {str(e["summary"]) for e in events.values()}
    assert {m["title"] for m in plan_doc["milestones"]} <= {
        s.split("] ", 1)[-1] for s in summaries
    } | summaries
    dues = sorted(e.decoded("dtstart") for e in events.values())
    assert dues == sorted(dt.date.fromisoformat(m["due"]) for m in plan_doc["milestones"])
    assert "wrote 14 milestones" in result.stderr


def test_portfolio_save_show_export_round_trip(tmp_path: Path) -> None:
    assert invoke("portfolio", "save", SPINE, "--name", "jordan").stdout == "saved portfolio 'jordan'\n"
    assert invoke("portfolio", "list").stdout == "jordan\n"
    shown = invoke("portfolio", "show", "jordan")
    assert shown.exit_code == 0
    original = load_portfolio(Path(SPINE))
    assert parse_model(Portfolio, tomllib.loads(shown.stdout)) == original
    out = tmp_path / "back.toml"
    assert invoke("portfolio", "export", "jordan", "--output", str(out)).exit_code == 0
    assert load_portfolio(out) == original
    as_json = json.loads(invoke("portfolio", "show", "jordan", "--format", "json").stdout)
    assert as_json["resident"]["interests"] == ["spine_msk", "sports"]
    planned = invoke("plan", "--saved", "jordan", "--today", "2026-09-15", "--format", "json")
    assert json.loads(planned.stdout)["summary"]["late"] == 4


def test_an_applicant_profile_is_not_a_portfolio() -> None:
    result = invoke("portfolio", "check", str(EXAMPLES / "strong-us-img.toml"))
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and lines[0].endswith("strong-us-img.toml: resident: missing; required")
    assert all(line.startswith("error: ") for line in lines)


def test_portfolio_check() -> None:
    result = invoke("portfolio", "check", PAIN)
    assert result.exit_code == 0 and result.stdout == "portfolio valid: Maria Gonzalez (pain)\n"


def test_every_fellowship_command_has_help() -> None:
    commands = ["tracks", "plan", "portfolio save", "portfolio show", "portfolio export", "portfolio list"]
    for args in (c.split() for c in [*commands, "portfolio check"]):
        result = invoke(*args, "--help")
        assert result.exit_code == 0 and len(result.stdout) > 100


# ``smartpick fellowship programs`` and the bundled fellowship program list.

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
