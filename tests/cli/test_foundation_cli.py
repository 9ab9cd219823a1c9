from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import typer
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


@pytest.mark.parametrize("name", ["strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml"])
def test_profile_check_examples(name: str) -> None:
    code, out, _ = _run("profile", "check", str(EXAMPLES / name), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["valid"] and doc["step2_band"] in {"strong", "solid", "viable", "low", "pending"}


def test_profile_check_prints_band_and_flags() -> None:
    code, out, _ = _run("profile", "check", str(EXAMPLES / "us-img-228-step1-fail.toml"))
    assert code == 0
    assert "Step 2 CK: 228 -> band low" in out
    assert "[major] Step 1 passed on attempt 2" in out


def test_broken_profile_exits_2_naming_the_field(tmp_path: Path) -> None:
    text = (EXAMPLES / "strong-us-img.toml").read_text().replace("step2_ck = 251", "step2_ck = 400")
    path = tmp_path / "p.toml"
    path.write_text(text)
    code, out, err = _run("profile", "check", str(path))
    assert code == 2 and out == ""
    assert err.strip() == f"error: {path}: exams.step2_ck: got 400; allowed: an integer from 1 to 300"


def test_malformed_toml_and_missing_file_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[applicant\ntype = 1")
    code, _, err = _run("profile", "check", str(path))
    assert code == 2 and err.startswith("error: toml: got ") and "valid TOML" in err
    code, _, err = _run("profile", "check", str(tmp_path / "none.toml"))
    assert code == 2 and "an existing, readable TOML file" in err


def test_unknown_rotation_program_exits_2(tmp_path: Path) -> None:
    text = (
        (EXAMPLES / "strong-us-img.toml").read_text().replace('program = "1104340"', 'program = "3409999999"')
    )
    path = tmp_path / "p.toml"
    path.write_text(text)
    code, _, err = _run("profile", "check", str(path))
    assert code == 2 and "rotations[0].program: got '3409999999'; a catalogue program id" in err


def test_profile_save_and_show_round_trip() -> None:
    code, out, _ = _run("profile", "save", str(EXAMPLES / "strong-us-img.toml"), "--name", "alex")
    assert (code, out.strip()) == (0, "saved profile 'alex'")
    code, out, _ = _run("profile", "show", "alex")
    assert code == 0 and json.loads(out)["exams"]["step2_ck"] == 251
    code, _, err = _run("profile", "show", "nobody")
    assert code == 2 and "nobody" in err


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):  # the click API: the top-level group loads commands lazily
        cmd = group.get_command(ctx, name)
        out.append((prefix + name, cmd))
        if hasattr(cmd, "list_commands"):
            out.extend(_commands(cmd, prefix + name + " "))
    return out


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    assert len(_commands(root)) >= 8
    missing = [name for name, cmd in _commands(root) if not (cmd.help or "").strip()]
    assert missing == []
