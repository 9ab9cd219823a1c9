"""``smartpick match``: run the NRMP algorithm on an instance, or simulate your rank list's outcomes."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from smartpick.cli.render import DocFormat, console, print_json, print_table
from smartpick.domain.match import MatchResult
from smartpick.services import match as svc

app = typer.Typer(help="Run the NRMP match algorithm and simulate your rank list.", no_args_is_help=True)

FormatOpt = Annotated[DocFormat, typer.Option("--format", help="Output format.")]


@app.command("run")
def run(
    instance: Annotated[Path, typer.Option("--instance", help="Match instance JSON (see examples).")],
    fmt: FormatOpt = DocFormat.TABLE,
    verify: Annotated[
        bool, typer.Option("--verify", help="Exit 1 if the result has a blocking pair or cycled.")
    ] = False,
) -> None:
    """Run the NRMP algorithm (supplemental PGY-1 lists, couples) on a JSON match instance."""
    outcome = svc.run_instance_file(instance)
    if fmt is DocFormat.JSON:
        print_json(outcome.result.to_json_dict())
    else:
        _print_run_tables(outcome.result)
    if verify:
        for pair in outcome.blocking_pairs:
            typer.echo(f"blocking pair: {pair['kind']} {pair['proposer']} -> {pair['programs']}", err=True)
        if outcome.result.stats.cycle_detected:
            typer.echo(
                f"no stable matching found: the procedure stopped ({outcome.result.stats.status})", err=True
            )
        if outcome.blocking_pairs or outcome.result.stats.cycle_detected:
            raise typer.Exit(1)


def _print_run_tables(result: MatchResult) -> None:
    rows = [(a, p or "(unmatched)", result.pgy1_matches.get(a, "")) for a, p in result.matches.items()]
    print_table("Matches", ("applicant", "program", "PGY-1 (supplemental list)"), rows)
    if result.unfilled:
        print_table("Unfilled positions", ("program", "seats"), sorted(result.unfilled.items()))
    console.print(", ".join(f"{k}={v}" for k, v in asdict(result.stats).items()))
