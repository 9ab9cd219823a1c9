"""Hypothesis over every CLI file parser: no input file makes a command print a traceback, every
rejection is exit 2 with one ``error:`` line, and a rejected file writes nothing to the database.

Each parser gets valid example documents with hostile parts (see `strategies`); example counts are
bounded so the module stays quick.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smartpick.cli import app
from tests.fuzz.strategies import NASTY_SCALARS, mutated

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
runner = CliRunner()
BOUNDED = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
COUNTS: dict[str, int] = {}


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def _dumps(doc: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError, RecursionError):
        return None  # not representable as TOML (e.g. a list of mixed tables and values)


def _invoke(args: list[str]) -> Any:
    result = runner.invoke(app, args)
    shown = f"{args}: exit {result.exit_code}\n{result.output[-800:]}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
    assert "Traceback" not in result.output, shown
    assert result.exit_code in (0, 1, 2), shown
    if result.exit_code == 2:
        assert result.stderr.startswith(("error: ", "Usage: ")), shown
    return result


def _state() -> tuple[str, ...]:
    """What the database holds, as the commands show it."""
    return tuple(
        runner.invoke(app, args).stdout
        for args in (
            ["profile", "list"],
            ["track", "export"],
            ["fellowship", "portfolio", "list"],
            ["programs", "--version"],
        )
    )


# The state last read, keyed by the database files' (size, mtime): reading the state runs four commands, so a
# state read after a rejected file serves as the next file's "before" while no database file has changed.
_LAST_STATE: dict[tuple[tuple[int, int], ...], tuple[str, ...]] = {}


def _database_stamp() -> tuple[tuple[int, int], ...]:
    url = os.environ["SMARTPICK_DATABASE_URL"]
    main = Path(url.removeprefix("sqlite:///"))
    files = (main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-journal"))
    return tuple((f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else (-1, -1) for f in files)


def _state_now() -> tuple[str, ...]:
    stamp = _database_stamp()
    if stamp not in _LAST_STATE:
        state = _state()
        _LAST_STATE.clear()
        if _database_stamp() == stamp:  # reading did not touch the files: the stamp names this state
            _LAST_STATE[stamp] = state
        return state
    return _LAST_STATE[stamp]


def _run_file(tmp_path: Path, name: str, text: str, command: Callable[[Path], list[str]], kind: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = _state_now()
    result = _invoke(command(path))
    COUNTS[kind] = COUNTS.get(kind, 0) + 1
    if result.exit_code == 2:
        assert _state_now() == before, f"{kind}: a rejected file changed the database"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzzdb")


@pytest.fixture(autouse=True)
def _shared_database(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{db / 'fuzz.sqlite3'}")


TOML_CASES: list[tuple[str, str, Callable[[Path], list[str]]]] = [
    ("profile", "strong-us-img.toml", lambda p: ["profile", "save", str(p), "--name", "fz", "--force"]),
    ("profile-check", "us-img-228-step1-fail.toml", lambda p: ["profile", "check", str(p)]),
    ("messages-log", "messages.toml", lambda p: ["track", "import", str(p)]),
    ("messages-check", "messages.toml", lambda p: ["messages", "check", "--log", str(p)]),
    ("rank-list", "ranklist.toml", lambda p: ["ranklist", "check", "--rank-list", str(p)]),
    ("preferences", "rank-preferences.toml", lambda p: ["ranklist", "build", "--preferences", str(p)]),
    (
        "portfolio",
        "resident-portfolio.toml",
        lambda p: ["fellowship", "portfolio", "save", str(p), "--name", "fz"],
    ),
]


@pytest.mark.parametrize(("kind", "example", "command"), TOML_CASES, ids=[c[0] for c in TOML_CASES])
def test_toml_parsers_answer_hostile_files_cleanly(
    tmp_path: Path, kind: str, example: str, command: Any
) -> None:
    @BOUNDED
    @given(mutated(_toml(example)))
    def check(doc: dict[str, Any]) -> None:
        text = _dumps(doc)
        if text is not None:
            _run_file(tmp_path, "input.toml", text, command, kind)

    check()


@BOUNDED
@given(st.text(max_size=300))
def test_toml_parsers_answer_arbitrary_text_cleanly(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    tmp = tmp_path_factory.mktemp("text")
    for kind, _, command in TOML_CASES:
        _run_file(tmp, "input.toml", text, command, f"{kind}-text")


STATUS = {"tasks": {"eras_submit": "done"}, "documents": {"cv": "ready"}}


def test_status_file_parser_answers_hostile_files_cleanly(tmp_path: Path) -> None:
    profile = str(EXAMPLES / "strong-us-img.toml")

    @BOUNDED
    @given(mutated(STATUS))
    def check(doc: dict[str, Any]) -> None:
        text = _dumps(doc)
        if text is not None:
            cmd = lambda p: ["plan", "--profile", profile, "--status", str(p), "--today", "2026-06-01"]  # noqa: E731
            _run_file(tmp_path, "status.toml", text, cmd, "status")

    check()


def _json_text(doc: Any) -> str:
    return json.dumps(doc, allow_nan=True, default=str)


def test_match_instance_parser_answers_hostile_files_cleanly(tmp_path: Path) -> None:
    example = json.loads((EXAMPLES / "instance.json").read_text(encoding="utf-8"))

    @BOUNDED
    @given(mutated(example))
    def check(doc: dict[str, Any]) -> None:
        _run_file(
            tmp_path,
            "instance.json",
            _json_text(doc),
            lambda p: ["match", "run", "--instance", str(p)],
            "instance",
        )

    check()


FACT_FIELDS = [
    "name",
    "city",
    "state",
    "visa_j1",
    "img_share",
    "latitude",
    "track.1007340C0.positions",
    "strength.sci",
    "alias",
    "nonsense",
    "",
]
IDS = ["1007340", "3400121002", "1007340C0", "9990340", "", "x/y"]
SOURCES = ["https://example.org/p", "NRMP Program Results 2025", "census_regions", "", "my friend", "x" * 300]


@st.composite
def fact_rows(draw: st.DrawFn) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = draw(
        st.sampled_from(
            [
                ["program_id", "field", "value", "source", "note"],
                ["program_id", "field", "value", "source"],
                ["program_id", "field", "value", "source", "note", "extra"],
            ]
        )
    )
    writer.writerow(header)
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        value = draw(st.one_of(NASTY_SCALARS.map(str), st.sampled_from(["true", "0.5", "12", "TX", "null"])))
        row = [
            draw(st.sampled_from(IDS)),
            draw(st.sampled_from(FACT_FIELDS)),
            value,
            draw(st.sampled_from(SOURCES)),
            draw(st.sampled_from(["", "estimate: rule"])),
        ]
        writer.writerow(row[: len(header)] + ["x"] * (len(header) - 5))
    return out.getvalue()


def test_facts_csv_parser_answers_hostile_files_cleanly(tmp_path: Path) -> None:
    @BOUNDED
    @given(fact_rows())
    def check(text: str) -> None:
        _run_file(tmp_path, "facts.csv", text, lambda p: ["programs", "import", str(p)], "facts-csv")

    check()


def test_every_cli_parser_was_fuzzed() -> None:
    """Runs last in the module: every parser received inputs (counts are printed with ``-s``)."""
    if len(COUNTS) < 3:
        pytest.skip("run with the whole module")
    expected = {kind for kind, _, _ in TOML_CASES} | {"status", "instance", "facts-csv"}
    assert expected <= {k for k, n in COUNTS.items() if n > 0}
    print("CLI fuzz inputs per parser:", COUNTS, "total", sum(COUNTS.values()))
