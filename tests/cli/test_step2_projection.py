"""One Step 2 CK projection: recommend, exam advise, plan and advise show the same score for a profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartpick.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROFILES = sorted(p for p in EXAMPLES.glob("*.toml") if "[applicant]" in p.read_text(encoding="utf-8"))
TODAY = "2026-12-07"
runner = CliRunner()


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_example_profile_is_valid_for_today() -> None:
    assert len(PROFILES) >= 3
    for path in PROFILES:
        result = runner.invoke(app, ["exam", "advise", "--profile", str(path), "--today", TODAY])
        assert result.exit_code == 0, (path.name, result.output)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_same_projection_in_every_command(path: Path) -> None:
    used = _json("recommend", "--profile", str(path))["step2_used"]
    exam = _json("exam", "advise", "--profile", str(path), "--today", TODAY)["projected"]
    plan = _json("plan", "--profile", str(path), "--today", TODAY)["step2"]["projected"]
    advice = _json("advise", "--profile", str(path), "--today", TODAY)["projected_step2"]
    assert exam == plan == advice
    assert exam is not None and (used["value"], used["estimate"]) == (exam["score"], exam["estimate"])
    words = f"{exam['score']:.0f}"
    for command in (["exam", "advise"], ["plan"], ["advise"]):
        out = runner.invoke(app, [*command, "--profile", str(path), "--today", TODAY]).stdout
        assert f"Step 2 CK {'projected ' if exam['estimate'] else ''}{words}" in out, command
    assert f"Step 2 CK {words}" in runner.invoke(app, ["recommend", "--profile", str(path)]).stdout


def test_the_pending_example_still_demonstrates_a_pending_exam() -> None:
    doc = _json("exam", "advise", "--profile", str(EXAMPLES / "non-us-img-visa.toml"), "--today", TODAY)
    assert doc["score"] is None and doc["decision"] == "test_as_planned"
    assert doc["projected"] == {
        "score": 231.0,
        "estimate": True,
        "test_date": "2027-06-20",
        "practice_tests": 2,
    }
    assert doc["expected"] == doc["projected"]["score"]  # tested on the planned date
