"""``smartpick programs``: list, show, search, import and the catalogue version."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_programs_list_json_has_every_program_with_schema() -> None:
    code, out, _ = _run("programs", "list", "--format", "json")
    assert code == 0
    programs = json.loads(out)["programs"]
    assert len(programs) == len(bundled_catalogue())
    first = programs[0]
    for key in (
        "id",
        "name",
        "institution",
        "city",
        "state",
        "region",
        "latitude",
        "longitude",
        "program_type",
        "visa_j1",
        "visa_h1b",
        "img_present",
        "us_img_present",
        "strengths",
        "visiting_channel",
        "tracks",
    ):
        assert key in first
    assert set(first["state"]) >= {"value", "source", "estimate"}


def test_programs_list_filters_and_csv() -> None:
    code, out, _ = _run("programs", "list", "--state", "FL", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["state"] == "FL" for r in rows)
    code, out, _ = _run("programs", "list", "--track", "advanced", "--format", "json")
    assert all(any(t["type"] == "advanced" for t in p["tracks"]) for p in json.loads(out)["programs"])


def test_bad_filter_value_exits_2() -> None:
    code, _, err = _run("programs", "list", "--region", "Moon")
    assert code == 2 and "Moon" in err


def test_programs_show_unknown_id_exits_2_with_one_line() -> None:
    code, out, err = _run("programs", "show", "0000340")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "error: program: got '0000340'; a catalogue id, ACGME number or NRMP code (try `programs search`)"
    ]


def test_programs_show_by_track_code_lists_sources() -> None:
    code, out, _ = _run("programs", "show", "1892340A0", "--format", "csv")
    assert code == 0
    rows = {r["field"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["city"]["value"] == "Deerfield Beach" and rows["city"]["source"].startswith("https://")
    assert rows["track.1892340A0.positions"]["value"] == "4"


def test_programs_search_finds_by_alias_or_city_text() -> None:
    code, out, _ = _run("programs", "search", "broward", "--format", "json")
    assert code == 0 and [p["id"] for p in json.loads(out)["programs"]] == ["1892340"]


def test_version_shows_data_version_and_date() -> None:
    cat = bundled_catalogue()
    code, out, _ = _run("programs", "--version")
    assert code == 0 and out.strip() == f"catalogue {cat.version} ({cat.date}), {len(cat)} programs"


def test_import_is_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "program_id,field,value,source\n1007340,city,Birmingham,https://a.example\n"
        "1007340,visa_j1,maybe,https://a.example\n"
    )
    code, _, err = _run("programs", "import", str(path))
    assert code == 2 and "line 3" in err and "maybe" in err
    code, out, _ = _run("programs", "show", "1007340", "--format", "json")
    bundled = bundled_catalogue().get("1007340")
    assert bundled is not None
    # The good row of the rejected file was not stored either.
    assert json.loads(out)["city"] == bundled.city.model_dump(mode="json")
    path.write_text("program_id,field,value,source\n1007340,visa_j1,true,https://a.example\n")
    code, out, _ = _run("programs", "import", str(path))
    assert (code, out.strip()) == (0, "imported 1 facts for 1 programs (0 new) from f.csv")
    code, out, _ = _run("programs", "list", "--visa", "--format", "json")
    assert "1007340" in [p["id"] for p in json.loads(out)["programs"]]
