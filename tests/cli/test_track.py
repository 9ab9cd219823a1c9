"""``smartpick track``: statuses, messages, import/export through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue

LOG = Path(__file__).resolve().parents[2] / "examples" / "messages.toml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")


def run(*args: str) -> object:
    return runner.invoke(app, ["track", *args])


def test_add_set_log_list_show() -> None:
    assert run("add", "1147340", "--status", "applied").exit_code == 0  # type: ignore[attr-defined]
    again = run("add", "1147340")
    assert again.exit_code == 2 and "already" in again.stderr  # type: ignore[attr-defined]
    assert run("set", "1147340", "interviewed").exit_code == 2  # type: ignore[attr-defined]
    assert run("set", "1147340", "interviewed", "--date", "2026-11-03").exit_code == 0  # type: ignore[attr-defined]
    logged = run("log", "1147340", "--kind", "thank_you", "--date", "2026-11-05", "--text", "Thank you!")
    assert logged.exit_code == 0, logged.output  # type: ignore[attr-defined]
    listed = json.loads(run("list", "--format", "json").stdout)["programs"]  # type: ignore[attr-defined]
    assert listed == [
        {
            "program": "1147340",
            "name": bundled_catalogue().get("1147340").name,  # type: ignore[union-attr]
            "status": "interviewed",
            "since": "2026-11-03",
            "interviews": ["2026-11-03"],
            "sent": 1,
            "received": 0,
            "last_contact": "2026-11-05",
        }
    ]
    shown = json.loads(run("show", "1147340", "--format", "json").stdout)  # type: ignore[attr-defined]
    assert shown["interviews"] == ["2026-11-03"] and shown["messages"][0]["kind"] == "thank_you"


def test_bad_values_exit_2() -> None:
    assert run("add", "NOPE").exit_code == 2  # type: ignore[attr-defined]
    bad_kind = run("log", "1147340", "--kind", "love", "--date", "2026-11-05", "--text", "x")
    assert bad_kind.exit_code == 2  # type: ignore[attr-defined]
    bad_date = run("log", "1147340", "--kind", "update", "--date", "2026-13-05", "--text", "x")
    assert bad_date.exit_code == 2 and "date" in bad_date.stderr  # type: ignore[attr-defined]
    no_text = run("log", "1147340", "--kind", "update", "--date", "2026-11-05")
    assert no_text.exit_code == 2 and "--text" in no_text.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["toml", "csv"])
def test_import_export_round_trip(tmp_path: Path, fmt: str) -> None:
    assert run("import", str(LOG)).exit_code == 0  # type: ignore[attr-defined]
    out = tmp_path / f"export.{fmt}"
    assert run("export", "--format", fmt, "--out", str(out)).exit_code == 0  # type: ignore[attr-defined]
    first = run("export", "--format", "json").stdout  # type: ignore[attr-defined]
    assert run("import", str(out), "--replace").exit_code == 0  # type: ignore[attr-defined]
    assert run("export", "--format", "json").stdout == first  # type: ignore[attr-defined]


def test_malformed_line_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record,program,date,status,direction,kind,reason,note,text\n"
        "interview,1147340,2026-11-03,,,,,,\n"
        "message,1147340,2026-11-05,,sideways,thank_you,,,Thanks\n",
        encoding="utf-8",
    )
    result = run("import", str(bad))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "bad.csv:3: direction" in result.stderr  # type: ignore[attr-defined]
    assert json.loads(run("list", "--format", "json").stdout) == {"programs": []}  # type: ignore[attr-defined]
