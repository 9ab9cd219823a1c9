"""``smartpick ranklist``: build, check and show."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PREFS, RANKS, LOG = EXAMPLES / "rank-preferences.toml", EXAMPLES / "ranklist.toml", EXAMPLES / "messages.toml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")


def test_build_writes_a_ranklist_in_preference_order(tmp_path: Path) -> None:
    out = tmp_path / "ranklist.toml"
    result = runner.invoke(
        app,
        [
            "ranklist",
            "build",
            "--preferences",
            str(PREFS),
            "--log",
            str(LOG),
            "--out",
            str(out),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [r["program"] for r in doc["rank"]] == ["1147340", "1548340", "1295340", "1339340"]
    assert doc["rank"][2]["supplemental"] == ["TY-ADVOCATE-IL", "IM-PRELIM-DMC-MI"]
    assert doc["rank"][0]["chance"] == 0.2 and doc["rank"][0]["chance_source"].startswith("your estimate")
    assert 0 < doc["probability"] < 1 and doc["probability"] == doc["rank"][-1]["cumulative"]
    written = tomllib.loads(out.read_text(encoding="utf-8"))
    assert [r["program"] for r in written["rank"]] == [r["program"] for r in doc["rank"]]
    again = runner.invoke(app, ["ranklist", "check", "--rank-list", str(out), "--preferences", str(PREFS)])
    assert again.exit_code == 0


def test_check_example_and_missing_supplemental_is_exit_1(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["ranklist", "check", "--rank-list", str(RANKS), "--log", str(LOG)])
    assert ok.exit_code == 0, ok.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rank]]\nprogram = "1295340"\n', encoding="utf-8")
    result = runner.invoke(app, ["ranklist", "check", "--rank-list", str(bad), "--format", "json"])
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["supplemental.missing"]


def test_check_reports_missing_interviewed_programs(tmp_path: Path) -> None:
    short = tmp_path / "short.toml"
    short.write_text('[[rank]]\nprogram = "1147340"\n', encoding="utf-8")
    result = runner.invoke(
        app, ["ranklist", "check", "--rank-list", str(short), "--log", str(LOG), "--format", "json"]
    )
    codes = [(p["code"], p["program"]) for p in json.loads(result.stdout)["problems"]]
    assert codes == [("ranklist.missing-interviewed", "1295340"), ("ranklist.missing-interviewed", "1548340")]


def test_show_and_bad_inputs(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["ranklist", "show", "--rank-list", str(RANKS)])
    assert shown.exit_code == 0 and "P(match somewhere on this list)" in shown.stdout
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[[rank]]\nprogram = "NOPE"\n', encoding="utf-8")
    result = runner.invoke(app, ["ranklist", "check", "--rank-list", str(unknown)])
    assert result.exit_code == 2 and "rank[0].program" in result.stderr
    dup = tmp_path / "dup.toml"
    dup.write_text('[[rank]]\nprogram = "1147340"\n[[rank]]\nprogram = "1147340"\n', encoding="utf-8")
    assert runner.invoke(app, ["ranklist", "show", "--rank-list", str(dup)]).exit_code == 2
    empty_supp = tmp_path / "empty.toml"
    empty_supp.write_text('[[rank]]\nprogram = "1295340"\nsupplemental = [""]\n', encoding="utf-8")
    assert runner.invoke(app, ["ranklist", "show", "--rank-list", str(empty_supp)]).exit_code == 2
