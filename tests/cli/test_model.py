"""``smartpick model validate`` / ``calibrate``: columns, JSON shape, exit codes."""

import json

from typer.testing import CliRunner

from smartpick.cli import app

runner = CliRunner()
COLUMNS = {"id", "name", "set", "published", "model", "error", "tolerance", "source", "source_id", "ok"}


def test_validate_json_lists_fit_and_hold_out_figures() -> None:
    result = runner.invoke(app, ["model", "validate", "--format", "json"])
    doc = json.loads(result.stdout)
    rows = doc["figures"]
    assert {r["set"] for r in rows} == {"fit", "holdout"}
    assert all(set(r) == COLUMNS for r in rows)
    assert sum(1 for r in rows if r["set"] == "holdout") >= 3
    for r in rows:
        assert r["name"] != r["id"] and " " in r["name"]  # a title in words, the id beside it
        assert "<https://" in r["source"] and r["source_id"] not in r["source"]
        assert r["ok"] == (abs(r["model"] - r["published"]) <= r["tolerance"])
    missed = any(r["set"] == "holdout" and not r["ok"] for r in rows)
    assert result.exit_code == (1 if missed else 0)
    reported = doc["reported"]  # reported, never fitted or checked: P(PGY-1 | matched advanced) per type
    assert len(reported) == 4 and all(set(r) == {"id", "name", "model", "basis"} for r in reported)
    assert all(0 < r["model"] < 1 and "estimate" in r["basis"] for r in reported)
    by_id = {r["id"]: r["model"] for r in reported}
    assert by_id["pgy1_if_advanced_us_md"] > by_id["pgy1_if_advanced_non_us_img"]


def test_validate_table_has_the_columns() -> None:
    result = runner.invoke(app, ["model", "validate"], env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1)
    for word in (
        "figure",
        "published",
        "tolerance",
        "held out",
        "Step 2 CK gap between matched and unmatched",
        "https://pubmed.ncbi.nlm.nih.gov/",
        "Reported by the market model",
        "secure a PGY-1 seat on their supplemental list",
    ):
        assert word in result.stdout, word
    for internal in ("holdout", "step2_gap_us_md", "pmr_trend_2020", "True"):  # words, titles and addresses
        assert internal not in result.stdout, internal


def test_calibrate_bad_options_exit_2() -> None:
    for extra in (["--runs", "0"], ["--workers", "0"], ["--engine", "spark"], ["--resamples", "-1"]):
        result = runner.invoke(app, ["model", "calibrate", *extra])
        assert result.exit_code == 2 and result.stderr.startswith("error: "), extra


def test_the_readme_table_is_what_validate_prints_now() -> None:
    from pathlib import Path

    from smartpick.services.catalogue import current_catalogue
    from smartpick.services.market import validate, validation_markdown

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- validate:start -->\n", 1)[1].split("\n<!-- validate:end -->", 1)[0]
    assert block == validation_markdown(validate(current_catalogue(None))), (
        "README's fit/hold-out table is stale: run scripts/readme_validate_table.py"
    )
