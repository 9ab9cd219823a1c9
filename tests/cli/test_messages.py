"""``smartpick messages``: exact exit codes and output shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LOG, RANKS, PROFILE = EXAMPLES / "messages.toml", EXAMPLES / "ranklist.toml", EXAMPLES / "strong-us-img.toml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")


def test_check_example_log_yields_exactly_the_three_findings_and_exit_1() -> None:
    result = runner.invoke(app, ["messages", "check", "--log", str(LOG), "--format", "json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["severity"], f["program"], f["date"]) for f in findings] == [
        ("thank-you.late", "warning", "1548340", "2026-12-11"),
        ("program.conditional-promise", "warning", "1548340", "2027-01-20"),
        ("intent.more-than-one", "error", "1295340", "2027-02-03"),
    ]
    assert set(findings[0]) == {"rule", "severity", "program", "date", "message", "reason"}


def test_check_with_rank_list_and_today(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "messages",
            "check",
            "--log",
            str(LOG),
            "--rank-list",
            str(RANKS),
            "--today",
            "2027-02-10",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert rules == ["thank-you.late", "program.conditional-promise", "intent.not-rank-one"]


def test_clean_log_exits_0_and_says_so(tmp_path: Path) -> None:
    clean = tmp_path / "clean.toml"
    clean.write_text(
        '[[interview]]\nprogram = "1147340"\ndate = 2026-11-03\n\n[[message]]\nprogram = "1147340"\n'
        'date = 2026-11-04\ndirection = "sent"\nkind = "thank_you"\ntext = "Thank you for the interview."\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["messages", "check", "--log", str(clean)])
    assert result.exit_code == 0 and "no findings" in result.stdout
    reminder = runner.invoke(app, ["messages", "check", "--log", str(clean), "--today", "2026-11-04"])
    assert reminder.exit_code == 0


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["messages", "check", "--log", str(tmp_path / "missing.toml")])
    assert result.exit_code == 2 and result.stderr.startswith("error: file")
    bad_today = runner.invoke(app, ["messages", "check", "--log", str(LOG), "--today", "soon"])
    assert bad_today.exit_code == 2 and "--today" in bad_today.stderr


def test_check_uses_the_stored_log_when_no_file_is_given() -> None:
    assert runner.invoke(app, ["track", "import", str(LOG)]).exit_code == 0
    result = runner.invoke(app, ["messages", "check", "--format", "json"])
    assert result.exit_code == 1 and len(json.loads(result.stdout)["findings"]) == 3


def test_draft_thank_you_and_json_shape() -> None:
    result = runner.invoke(
        app,
        [
            "messages",
            "draft",
            "--kind",
            "thank-you",
            "--program",
            "1147340",
            "--profile",
            str(PROFILE),
            "--log",
            str(LOG),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "thank-you" and "November 3" in doc["body"] and 60 <= doc["words"] <= 300


def _draft_intent(program: str, *extra: str):  # type: ignore[no-untyped-def]
    args = ["messages", "draft", "--kind", "intent", "--program", program, "--profile", str(PROFILE)]
    return runner.invoke(app, [*args, "--rank-list", str(RANKS), *extra])


def test_intent_refused_when_not_rank_one_or_already_sent() -> None:
    not_first = _draft_intent("1548340")
    assert not_first.exit_code == 1 and "refused: University of Cincinnati PM&R is not #1" in not_first.stderr
    assert "Rush University Medical Center PM&R (1147340) is" in not_first.stderr
    already = _draft_intent("1147340", "--log", str(LOG))
    assert already.exit_code == 1 and "already went to" in already.stderr
    fine = _draft_intent("1147340")
    assert fine.exit_code == 0 and "#1 choice" in fine.stdout


def test_draft_unknown_program_is_exit_2() -> None:
    result = runner.invoke(
        app, ["messages", "draft", "--kind", "update", "--program", "NOPE", "--profile", str(PROFILE)]
    )
    assert result.exit_code == 2 and "--program" in result.stderr


def test_rules_lists_every_rule() -> None:
    doc = json.loads(runner.invoke(app, ["messages", "rules", "--format", "json"]).stdout)
    assert {"intent.more-than-one", "ask.forbidden", "program.asks-rank"} <= {r["id"] for r in doc["rules"]}


@pytest.mark.parametrize("group", ["messages", "track", "ranklist"])
def test_every_command_has_help(group: str) -> None:
    result = runner.invoke(app, [group, "--help"])
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        if line.startswith("│ ") and "  " in line.strip("│ "):
            assert len(line.strip("│ ").split("  ", 1)[1].strip()) > 5, line


def test_check_accepts_program_ids_outside_the_catalogue(tmp_path: Path) -> None:
    log = tmp_path / "ids.toml"
    log.write_text(
        '[[message]]\nprogram = "3401100001"\ndate = 2027-02-01\ndirection = "sent"\nkind = "intent"\n'
        'text = "I will rank you #1."\n\n[[message]]\nprogram = "B"\ndate = 2027-02-02\n'
        'direction = "sent"\nkind = "intent"\ntext = "You are my top choice."\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["messages", "check", "--log", str(log), "--format", "json"])
    assert result.exit_code == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["intent.more-than-one"]
