"""The lazy top-level command group: versions, help without heavy imports, every command loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from smartpick import __version__
from smartpick.cli import COMMANDS, app, load_command
from smartpick.data import bundled_catalogue
from smartpick.data.figures import bundled_figures

SRC = Path(__file__).resolve().parents[2] / "src"
runner = CliRunner()


def _fresh(*args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys, runpy; sys.argv = ['smartpick', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('smartpick', run_name='__main__')\n"
        "except SystemExit as e:\n    pass\n"
        "heavy = sorted(m for m in ('numpy', 'sqlalchemy', 'fastapi', 'numba', 'scipy', 'matplotlib')"
        " if m in sys.modules)\nprint('HEAVY=' + ','.join(heavy))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_version_names_package_catalogue_and_figures() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    cat, figures = bundled_catalogue(), bundled_figures()
    assert result.output.strip() == (
        f"smartpick {__version__}, catalogue {cat.version} ({cat.date}), figures {figures.meta.version}"
        f" ({figures.meta.date})"
    )


def test_programs_version_counts_the_catalogue() -> None:
    result = runner.invoke(app, ["programs", "--version"])
    cat = bundled_catalogue()
    assert result.exit_code == 0
    assert result.output.strip() == f"catalogue {cat.version} ({cat.date}), {len(cat)} programs"


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_start_up_commands_import_no_heavy_library(args: list[str]) -> None:
    result = _fresh(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("HEAVY="), result.stdout[-200:]


def test_help_lists_every_command_with_its_one_line_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_listed_command_loads_and_has_help(name: str) -> None:
    command = load_command(name)
    assert command.name == name and callable(command.main)
    assert (command.help or "").strip()
    assert runner.invoke(app, [name, "--help"]).exit_code == 0


def test_unknown_command_is_a_usage_error() -> None:
    result = runner.invoke(app, ["nope"])
    assert result.exit_code == 2 and "nope" in result.output


def test_ctrl_c_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import smartpick.cli.programs as programs_cli

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(programs_cli, "_emit", interrupted)
    result = runner.invoke(app, ["programs", "list"])
    assert result.exit_code == 130
    assert result.stderr.strip().count("\n") == 0 and "stopped" in result.stderr


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):  # the click API: the top-level group loads commands lazily
        cmd = group.get_command(ctx, name)
        out.append((prefix + name, cmd))
        if hasattr(cmd, "list_commands"):
            out.extend(_commands(cmd, prefix + name + " "))
    return out


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    assert len(_commands(root)) >= 8
    missing = [name for name, cmd in _commands(root) if not (cmd.help or "").strip()]
    assert missing == []
