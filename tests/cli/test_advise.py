"""``smartpick advise`` through the CLI: the JSON contract, the table in plain words, exit 2 on bad input."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue
from smartpick.services import advise as svc

sys.path.insert(0, str(Path(__file__).parents[1]))
from examples_as_of import as_of
from plain_language import problems

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LOW = EXAMPLES / "us-img-228-step1-fail.toml"  # start 2027
runner = CliRunner()
FIELDS = {"id", "title", "delta_p_match", "delta_interval", "cost_usd", "months", "deadline"}
FIELDS |= {"why", "sources"}


def _json(*extra: str) -> dict[str, Any]:
    profile = as_of(LOW, extra[extra.index("--today") + 1])
    result = runner.invoke(app, ["advise", "--profile", str(profile), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_json_contract_ranked_by_gain_with_sources() -> None:
    doc = _json("--today", "2026-03-01", "--budget", "3500")
    actions = doc["actions"]
    assert actions and all(set(a) >= FIELDS for a in actions)
    gains = [a["delta_p_match"] for a in actions if a["delta_p_match"] is not None]
    assert gains == sorted(gains, reverse=True)
    assert all(a["deadline"] >= "2026-03-01" and a["sources"] and a["why"] for a in actions)
    assert all("estimate" in a["cost_note"] for a in actions if a["id"] in ("away-rotation", "usce-months"))
    plan = doc["plan"]
    assert plan is not None and plan["cost_usd"] <= 3500 and 1 <= len(plan["actions"]) <= 3
    assert set(plan["actions"]) <= {a["id"] for a in actions}
    assert doc["interval_meaning"]


def test_table_speaks_plain_words() -> None:
    result = runner.invoke(
        app, ["advise", "--profile", str(as_of(LOW, "2026-03-01")), "--today", "2026-03-01"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "What moves your chances most" in out and "Plan (best" in out
    # programs by name (which program depends on the catalogue's data, so any catalogue name will do)
    assert any(p.name in out for p in bundled_catalogue().programs)
    for internal in ("us_img", "step2_ck", "programs_review", "None", "hands_on", "[bold]"):
        assert internal not in out, internal
    assert problems(out) == []
    assert "About the gains:" in out and "Chance of matching after it:" in out


def test_json_says_which_list_each_chance_after_is_of() -> None:
    doc = _json("--today", "2026-03-01", "--budget", "3500")
    lists = {a["p_match_after_list"] for a in doc["actions"] if a["delta_p_match"] is not None}
    assert lists and lists <= {svc.KEPT_LIST, svc.NEW_LIST}
    assert doc["plan"]["p_match_list"] in (svc.KEPT_LIST, svc.NEW_LIST)
    assert doc["gain_meaning"] == svc.GAIN_MEANING
    assert all(a["delta_p_match"] is None or a["delta_p_match"] >= 0 for a in doc["actions"])


def test_nothing_left_after_programs_review() -> None:
    doc = _json("--today", "2026-10-01")
    assert doc["actions"] == [] and doc["plan"] is None


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--today", "2026-02-30"], "--today"),
        (["--today", "2026-04-01", "--budget", "-10"], "--budget"),
        (["--today", "2027-06-01"], "target_start_year"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], field: str) -> None:
    result = runner.invoke(app, ["advise", "--profile", str(LOW), *args])
    assert result.exit_code == 2
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and field in lines[0]


def test_a_practice_test_after_today_exits_2_naming_it() -> None:
    result = runner.invoke(app, ["advise", "--profile", str(LOW), "--today", "2026-03-10"])
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert (
        "exams.practice[2].date" in line
        and "2026-03-24" in line
        and "on or before today (2026-03-10)" in line
    )


def test_missing_profile_and_bad_format_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["advise", "--profile", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "error:" in missing.stderr
    bad = runner.invoke(app, ["advise", "--profile", str(LOW), "--format", "xml"])
    assert bad.exit_code == 2


def test_help_text() -> None:
    result = runner.invoke(app, ["advise", "--help"])
    assert result.exit_code == 0
    assert re.search(r"--budget", result.stdout) and "chance of matching" in result.stdout
