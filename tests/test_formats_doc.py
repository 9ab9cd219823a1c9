"""docs/formats.md stays true: its examples are the files in examples/, and every one of them is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "formats.md"
BLOCK = re.compile(r"```\w+ file=(\S+)\n(.*?)\n```", re.S)


def test_every_example_in_the_document_is_the_example_file() -> None:
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert {Path(p).name for p, _ in blocks} >= {
        "strong-us-img.toml", "status.toml", "messages.toml", "ranklist.toml", "rank-preferences.toml",
        "resident-portfolio.toml", "instance.json", "facts.csv",
    }  # fmt: skip
    for path, text in blocks:
        assert text == (ROOT / path).read_text(encoding="utf-8").rstrip(), (
            f"{path} differs from docs/formats.md"
        )


def test_every_anchor_linked_from_the_help_exists() -> None:
    doc = DOC.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([\w-]+)"></a>', doc))
    links = set()
    for source in (ROOT / "src" / "smartpick" / "cli").glob("*.py"):
        links |= set(re.findall(r"docs/formats\.md#([\w-]+)", source.read_text(encoding="utf-8")))
    assert links and links <= anchors, links - anchors
    assert "docs/formats.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "FORMATS contract" not in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["profile", "check", "examples/strong-us-img.toml"],
        [
            "plan",
            "--profile",
            "examples/strong-us-img.toml",
            "--status",
            "examples/status.toml",
            "--today",
            "2026-06-01",
        ],
        ["messages", "check", "--log", "examples/messages.toml", "--rank-list", "examples/ranklist.toml"],
        [
            "ranklist",
            "build",
            "--preferences",
            "examples/rank-preferences.toml",
            "--log",
            "examples/messages.toml",
        ],
        ["fellowship", "portfolio", "check", "examples/resident-portfolio.toml"],
        ["match", "run", "--instance", "examples/instance.json"],
    ],
)
def test_the_documented_examples_are_accepted(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
