"""The ``smartpick`` command line: a thin shell over the services.

Exit codes: 0 success; 1 the command ran and found problems; 2 bad input (one line naming the field).
"""

from __future__ import annotations

from typing import Any

import click
import typer
from typer.core import TyperGroup

from smartpick.errors import InputErrors, SmartPickError


class _Group(TyperGroup):
    """Turns every SmartPick error into a one-line message and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            for line in exc.lines()[:50]:
                click.echo(f"error: {line}", err=True)
            if len(exc.errors) > 50:
                click.echo(f"error: ... {len(exc.errors) - 50} more", err=True)
            ctx.exit(2)
        except SmartPickError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


app = typer.Typer(
    cls=_Group,
    help="SmartPick: where to apply, how many programs, when, what to say and how to rank (PM&R residency).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    from smartpick.cli import (
        exam,
        fellowship,
        match,
        messages,
        model,
        plan,
        profile,
        programs,
        ranklist,
        recommend,
        rotations,
        serve,
        track,
    )

    app.add_typer(programs.app, name="programs")
    app.add_typer(profile.app, name="profile")
    app.command("recommend")(recommend.recommend)
    app.command("plan")(plan.plan)
    app.add_typer(exam.app, name="exam")
    app.add_typer(rotations.app, name="rotations")
    app.add_typer(track.app, name="track")
    app.add_typer(messages.app, name="messages")
    app.add_typer(ranklist.app, name="ranklist")
    app.add_typer(fellowship.app, name="fellowship")
    app.add_typer(serve.app, name="serve")
    app.add_typer(match.app, name="match")
    app.add_typer(model.app, name="model")
    app.command("advise")(__import__("smartpick.cli.advise", fromlist=["advise"]).advise)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="smartpick")
