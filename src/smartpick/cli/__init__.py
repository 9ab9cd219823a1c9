"""The ``smartpick`` command line: a thin shell over the services.

Exit codes: 0 success; 1 the command ran and found problems; 2 bad input (one line naming the field);
130 interrupted (Ctrl-C).

Start-up stays quick because the top-level group is lazy: :data:`COMMANDS` names every sub-command
with its one-line help, and a sub-command's module (with its heavy imports: numpy, SQLAlchemy,
FastAPI, ...) is imported only when that sub-command runs (or its own ``--help`` is asked for).
Add a sub-command by adding a row to :data:`COMMANDS`.
"""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import dataclass
from importlib import import_module, resources
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from smartpick import __version__
from smartpick.errors import InputErrors, SmartPickError


@dataclass(frozen=True)
class LazyCommand:
    """Where a sub-command lives: ``module:attribute`` (a ``typer.Typer`` or a command function)."""

    target: str
    help: str


def _bundled() -> tuple[dict[str, Any], dict[str, Any]]:
    """The bundled catalogue document and the figures' ``[meta]`` table, read without validation."""
    data = resources.files("smartpick").joinpath("data")  # not the package: it imports pydantic models
    catalogue = json.loads(data.joinpath("catalogue.json").read_text(encoding="utf-8"))
    figures = tomllib.loads(data.joinpath("figures.toml").read_text(encoding="utf-8")).get("meta", {})
    return catalogue, figures


def version_text() -> str:
    """``smartpick X, catalogue V (date), figures V (date)`` (what ``smartpick --version`` prints)."""
    catalogue, figures = _bundled()
    return (
        f"smartpick {__version__}, catalogue {catalogue.get('version', '?')} ({catalogue.get('date', '?')}), "
        f"figures {figures.get('version', '?')} ({figures.get('date', '?')})"
    )


COMMANDS: dict[str, LazyCommand] = {
    "programs": LazyCommand(
        "smartpick.cli.programs:app",
        "Browse, search and update the PM&R program catalogue.",
    ),
    "profile": LazyCommand("smartpick.cli.profile:app", "Validate, summarise and store applicant profiles."),
    "recommend": LazyCommand(
        "smartpick.cli.recommend:recommend",
        "Recommend the PM&R programs to apply to: list size, tiers, chances with reasons, signals, cost.",
    ),
    "plan": LazyCommand(
        "smartpick.cli.plan:plan",
        "Dated plan for the target start year: Step 2 CK, rotations, letters, ERAS, interviews, Match.",
    ),
    "exam": LazyCommand(
        "smartpick.cli.exam:app", "Step 2 CK strategy: when to test and what score to expect."
    ),
    "rotations": LazyCommand(
        "smartpick.cli.rotations:app", "Plan PM&R away rotations: count, sites, months, documents."
    ),
    "track": LazyCommand(
        "smartpick.cli.track:app", "Track applications, interviews and messages with programs."
    ),
    "messages": LazyCommand(
        "smartpick.cli.messages:app", "Check messages with programs against NRMP rules; write drafts."
    ),
    "ranklist": LazyCommand("smartpick.cli.ranklist:app", "Build, check and show your rank order list."),
    "fellowship": LazyCommand(
        "smartpick.cli.fellowship:app",
        "Plan a PM&R fellowship: tracks, dated milestones, letters, list size.",
    ),
    "serve": LazyCommand(
        "smartpick.cli.serve:serve",
        "Serve the web app: pages, the JSON API under /api/v1 and OpenAPI at /openapi.json.",
    ),
    "match": LazyCommand(
        "smartpick.cli.match:app", "Run the NRMP match algorithm and simulate your rank list."
    ),
    "model": LazyCommand(
        "smartpick.cli.model:app",
        "Calibrate and validate the market model behind every chance (fit and hold-out figures).",
    ),
    "advise": LazyCommand(
        "smartpick.cli.advise:advise",
        "What moves your chance of matching most: actions still possible, ranked by gain, and a plan.",
    ),
}


def load_command(name: str) -> Any:
    """Import one sub-command's module and return its click command (a group or a single command)."""
    module_name, attribute = COMMANDS[name].target.split(":")
    target = getattr(import_module(module_name), attribute)
    command: Any
    if isinstance(target, typer.Typer):  # a group, even with one sub-command (as add_typer makes it)
        target.rich_markup_mode = None  # help text is plain: Rich markup would eat "[tasks]" or "[]"
        command = typer.main.get_group(target)
    else:  # a plain command function
        single = typer.Typer(rich_markup_mode=None)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class _Group(TyperGroup):
    """Lazy sub-commands; every SmartPick error becomes a one-line message and exit code 2."""

    _listing = False  # while the top-level help lists commands: placeholders, no imports

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=entry.help, short_help=entry.help)
        return load_command(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        from smartpick.cli.render import PlainConsole, words

        PlainConsole.wide = False  # each run starts compact; --wide sets it for that run only
        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            for line in exc.lines()[:50]:
                typer.echo(f"error: {words(line)}", err=True)
            if len(exc.errors) > 50:
                typer.echo(f"error: ... {len(exc.errors) - 50} more", err=True)
            ctx.exit(2)
        except SmartPickError as exc:
            typer.echo(f"error: {words(str(exc))}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            typer.echo("stopped (Ctrl-C); nothing was written.", err=True)
            ctx.exit(130)


def _version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
    help="SmartPick: where to apply, how many programs, when, what to say and how to rank (PM&R residency).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Show the versions of SmartPick, its program catalogue and its figures.",
    ),
) -> None:
    """SmartPick: where to apply, how many programs, when, what to say and how to rank (PM&R residency)."""


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="smartpick")
    except KeyboardInterrupt:  # raised outside a command (e.g. while a module imports)
        sys.stderr.write("stopped (Ctrl-C); nothing was written.\n")
        raise SystemExit(130) from None
