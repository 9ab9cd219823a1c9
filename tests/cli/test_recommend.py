import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["recommend", *args], env={"COLUMNS": "160"})


def test_tables_fit_the_terminal_and_keep_words_whole() -> None:
    for columns in ("80", "120"):
        res = runner.invoke(
            app, ["recommend", "--profile", str(EXAMPLES / "strong-us-img.toml")], env={"COLUMNS": columns}
        )
        assert res.exit_code == 0, res.output
        assert max(len(line) for line in res.output.splitlines()) <= int(columns)
    wide = runner.invoke(
        app, ["recommend", "--profile", str(EXAMPLES / "strong-us-img.toml"), "--wide"], env={"COLUMNS": "80"}
    )
    assert max(len(line) for line in wide.output.splitlines()) > 80
    # No word cut across lines inside the table: every program name appears whole.
    narrow = runner.invoke(
        app, ["recommend", "--profile", str(EXAMPLES / "strong-us-img.toml"), "--format", "json"]
    )
    import json

    names = [p["name"] for p in json.loads(narrow.output)["programs"]]
    table = runner.invoke(
        app, ["recommend", "--profile", str(EXAMPLES / "strong-us-img.toml")], env={"COLUMNS": "80"}
    ).output
    words = {w for line in table.splitlines() for w in line.replace("│", " ").split()}
    for name in names:
        for word in name.split():
            if len(word) <= 18 and word.isalpha():
                assert word in words, f"{word!r} of {name!r} broken across lines"


def test_table_shows_tiers_chances_and_estimates() -> None:
    res = _run("--profile", str(EXAMPLES / "strong-us-img.toml"), "--wide")
    assert res.exit_code == 0, res.output
    count = int(re.search(r"Apply to (\d+) programs", res.output).group(1))  # type: ignore[union-attr]
    assert 30 <= count <= 45  # preferences.max_programs = 45
    assert "P(interview) est." in res.output
    assert "model estimate" in res.output
    assert "Miami, FL" in res.output  # the rotation site, a safety for this applicant
    assert "hands-on rotation here" in res.output  # the rotation site's own term (wrapped in the table)
    doc = json.loads(_run("--profile", str(EXAMPLES / "strong-us-img.toml"), "--format", "json").stdout)
    site = next(p for p in doc["programs"] if p["id"] == "1104340")
    assert any(r["factor"] == "away_hands_on" and r["logit"] > 0 for r in site["reasons"])
    signals = re.search(r"Signals \(8\): (.*)", res.output)
    assert signals and len(signals.group(1).split("; ")) >= 2 and not re.search(r"\d{7}", signals.group(1))
    assert "University of Miami" in res.output.split("Signals (8):")[1].splitlines()[0]


def test_json_contract() -> None:
    res = _run(
        "--profile", str(EXAMPLES / "us-img-228-step1-fail.toml"), "--format", "json", "--budget", "700"
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["step2_band"] == "low"
    assert len(doc["programs"]) == 42 and doc["cost_usd"] == 690  # 30 x $11 + 12 x $30
    assert sum(doc["tier_counts"].values()) == 42
    assert len(doc["signals"]) == 8
    assert doc["backup"]["options"][0]["cost_usd"] == 275
    assert any("calls for 60+" in w for w in doc["warnings"])
    assert all(p["estimate"] is True for p in doc["programs"])
    assert doc["curve"][9] == {"applications": 10, "p_match": doc["curve"][9]["p_match"],
                               "expected_utility": doc["curve"][9]["expected_utility"], "cost_usd": 110.0,
                               "estimate": True}  # fmt: skip


def test_csv_rows() -> None:
    res = _run("--profile", str(EXAMPLES / "non-us-img-visa.toml"), "--format", "csv", "--max-programs", "10")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert len(rows) == 10
    assert rows[0]["estimate"] == "True"
    assert set(rows[0]) == {
        "id",
        "name",
        "city",
        "state",
        "tier",
        "p_interview",
        "p_interview_if_signalled",
        "p_match_if_interviewed",
        "signal",
        "utility",
        "reasons",
        "estimate",
    }
    catalogue = bundled_catalogue()
    for row in rows:  # the applicant needs a visa: unknown sponsorship must be said, known "no" excluded
        sponsors = catalogue.get(row["id"]).sponsors_visa  # type: ignore[union-attr]
        assert sponsors is not False
        assert (sponsors is None) == ("visa sponsorship unknown" in row["reasons"])


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_written(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"chart{suffix}"
    res = _run("--profile", str(EXAMPLES / "strong-us-img.toml"), "--plot", str(out), "--format", "json")
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--profile", "missing.toml"], "file"),
        (["--profile", str(EXAMPLES / "strong-us-img.toml"), "--plot", "chart.pdf"], "--plot"),
        (["--profile", str(EXAMPLES / "strong-us-img.toml"), "--utility", "1104340=abc"], "--utility"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str) -> None:
    res = _run(*args)
    assert res.exit_code == 2
    assert needle in res.output


def test_negative_budget_is_rejected() -> None:
    res = _run("--profile", str(EXAMPLES / "strong-us-img.toml"), "--budget", "-5")
    assert res.exit_code == 2


def test_help_text() -> None:
    res = runner.invoke(app, ["recommend", "--help"])
    assert res.exit_code == 0
    assert "Recommend the PM&R programs" in res.output
    for option in ("--profile", "--budget", "--max-programs", "--format", "--plot"):
        assert option in res.output


def test_advanced_tracks_on_the_list_give_the_pgy1_chance_in_words() -> None:
    res = _run("--profile", str(EXAMPLES / "strong-us-img.toml"))
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    line = re.search(r"PGY-1: if you match an advanced \(PGY-2 start\) program, (.*?)either way\)", text)
    assert line, text
    assert "estimate" in line.group(1) and re.search(r"\d+%", line.group(1))
    doc = json.loads(_run("--profile", str(EXAMPLES / "strong-us-img.toml"), "--format", "json").stdout)
    secured = doc["pgy1"]["p_secured_if_advanced"]
    assert 0 < secured < 1 and f"{secured:.0%}" in text
