"""``smartpick profile``: check, save and show, with one-line errors naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


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
