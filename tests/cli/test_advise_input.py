"""``smartpick advise`` on bad input: one line per problem naming it, exit 2, never a traceback; and a
profile with nothing left to do says so in words (exit 0)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.services import advise as svc

sys.path.insert(0, str(Path(__file__).parents[1]))
from examples_as_of import as_of
from plain_language import problems

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LOW = EXAMPLES / "us-img-228-step1-fail.toml"  # start 2027
runner = CliRunner()
BUDGET_RULE = "a number of US dollars from 0 to 1,000,000"


def _error_lines(args: list[str]) -> list[str]:
    result = runner.invoke(app, ["advise", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert lines and all(x.startswith("error: ") for x in lines), lines
    assert all(problems(x) == [] for x in lines), lines
    return lines


@pytest.mark.parametrize("budget", ["abc", "-5", "1e30", "nan", "inf", ""])
def test_a_budget_that_is_not_allowed_is_named_with_what_is_allowed(budget: str) -> None:
    profile = str(as_of(LOW, "2026-04-01"))
    (line,) = _error_lines(["--profile", profile, "--today", "2026-04-01", "--budget", budget])
    assert line == f"error: --budget: got {budget!r}; {BUDGET_RULE}"


def test_the_largest_budget_is_the_data_files_and_is_accepted() -> None:
    assert svc.bundled_advice_figures().value("budget_max") == 1_000_000  # the figure the rule states
    assert svc.parse_budget("1,000,000") == 1_000_000 and svc.parse_budget("$250") == 250
    assert svc.bundled_advice_figures().figures["budget_max"].estimate  # labelled as an estimate


def test_an_impossible_date_is_named() -> None:
    (line,) = _error_lines(["--profile", str(LOW), "--today", "2026-13-01"])
    assert line.startswith("error: --today: got '2026-13-01'; a date like 2026-11-03")


def test_a_day_far_before_the_season_names_each_practice_test_still_to_come() -> None:
    lines = _error_lines(["--profile", str(LOW), "--today", "1995-06-01"])
    assert len(lines) == 3  # the three practice tests of the file, one line each
    for day, line in zip(("2026-02-10", "2026-03-03", "2026-03-24"), lines, strict=True):
        assert day in line and "on or before today" in line


def test_a_day_after_the_match_names_the_start_year_and_what_is_allowed() -> None:
    (line,) = _error_lines(["--profile", str(LOW), "--today", "2090-01-01"])
    assert "2027" in line and "Match Day" in line and "use 2090 or later" in line


def test_a_profile_with_several_errors_names_each_on_its_own_line(tmp_path: Path) -> None:
    text = LOW.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace('type = "us_img"', 'type = "martian"')
        .replace("step2_ck = 228", "step2_ck = 400")
        .replace("weeks = 4", "weeks = -3"),
        encoding="utf-8",
    )
    lines = _error_lines(["--profile", str(bad), "--today", "2026-04-01"])
    assert len(lines) == 3
    expected = (("'martian'", "US MD graduate"), ("400", "from 1 to 300"), ("-3", "from 1 to 8"))
    for (value, allowed), line in zip(expected, lines, strict=True):
        assert f"got {value};" in line and allowed in line, line


def test_an_empty_file_says_what_is_missing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    lines = _error_lines(["--profile", str(empty), "--today", "2026-04-01"])
    assert len(lines) == 2 and all("missing" in x for x in lines)


@pytest.mark.parametrize(
    ("name", "kind"), [("ranklist.toml", "a rank list"), ("status.toml", "a status file")]
)
def test_a_file_of_another_kind_is_named_as_such(name: str, kind: str) -> None:
    (line,) = _error_lines(["--profile", str(EXAMPLES / name), "--today", "2026-04-01"])
    assert f"--profile: got '{EXAMPLES / name}'" in line and "a profile file" in line and kind in line


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_nothing_left_to_do_is_said_in_words_with_exit_0(fmt: str) -> None:
    result = runner.invoke(app, ["advise", "--profile", str(LOW), "--today", "2026-12-20", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        doc = json.loads(result.stdout)
        assert doc["actions"] == [] and doc["plan"] is None
        assert doc["no_actions_note"].startswith("No action is still possible as of 20 December 2026")
    else:
        assert "No action is still possible as of 20 December 2026" in result.stdout
        assert "Actions, largest gain first" not in result.stdout and problems(result.stdout) == []


def test_actions_left_means_no_nothing_left_note() -> None:
    profile = str(as_of(LOW, "2026-04-01"))
    result = runner.invoke(app, ["advise", "--profile", profile, "--today", "2026-04-01", "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["actions"] and doc["no_actions_note"] is None
