"""``smartpick ranklist``: build a rank list in true preference order, check it, show its chances."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartpick.cli.common import db_session
from smartpick.cli.render import DocFormat, console, echo, print_json, print_table
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.messages import Severity
from smartpick.present.ranklist import report_doc
from smartpick.services import catalogue as cat_svc
from smartpick.services import ranking as svc
from smartpick.services.files import write_text_file
from smartpick.services.profiles import load_profile

app = typer.Typer(help="Build, check and show your rank order list.", no_args_is_help=True)

FormatOpt = Annotated[DocFormat, typer.Option("--format", help="Output format.")]
PrefsOpt = Annotated[
    Path | None,
    typer.Option("--preferences", help="rank-preferences.toml (format: docs/formats.md#preferences)."),
]
LogOpt = Annotated[
    Path | None,
    typer.Option(
        "--log",
        help="messages.toml with interview dates (default: tracker; format: docs/formats.md#messages).",
    ),
]
ProfileOpt = Annotated[
    Path | None,
    typer.Option("--profile", help="profile.toml, for default chances (format: docs/formats.md#profile)."),
]
RankOpt = Annotated[
    Path, typer.Option("--rank-list", help="ranklist.toml (format: docs/formats.md#rank-list).")
]


def _emit(report: svc.RankReport, catalogue: Catalogue, fmt: DocFormat, title: str) -> None:
    doc = report_doc(report, catalogue)
    if fmt is DocFormat.JSON:
        print_json(doc)
    else:
        rows = [
            (
                r["position"],
                r["program"],
                r["name"],
                ", ".join(r["supplemental"]),
                f"{r['chance']:.3f}{'*' if r['chance_estimate'] else ''}",
                f"{r['cumulative']:.3f}",
            )
            for r in doc["rank"]
        ]
        print_table(
            title,
            ("#", "program", "name", "supplemental PGY-1", "P(here|reached)", "cumulative"),
            rows,
            caption="* estimate; see `chance_source` in --format json",
        )
        console.print(
            f"P(match somewhere on this list) = {doc['probability']:.3f} ({doc['method']})",
            markup=False,
            highlight=False,
        )
        for p in report.problems:
            console.print(
                f"[{p.severity.value}] {p.code} {p.program or ''}: {p.message}", markup=False, highlight=False
            )
    if any(p.severity is Severity.ERROR for p in report.problems):
        raise typer.Exit(1)


@app.command("build")
def build(
    preferences: Annotated[
        Path,
        typer.Option("--preferences", help="rank-preferences.toml (format: docs/formats.md#preferences)."),
    ],
    log: LogOpt = None,
    profile: ProfileOpt = None,
    out: Annotated[Path | None, typer.Option(help="Write the list as ranklist.toml here.")] = None,
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Build the list in true preference order (exit 1 if it has error-level problems)."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        report = svc.build(preferences, session, catalogue, log_path=log, profile_path=profile)
    if out is not None:
        write_text_file(out, svc.rank_list_to_toml(report.rank_list))
        echo(f"wrote {out}", err=True)
    _emit(report, catalogue, fmt, "Rank order list (true preference order)")


@app.command("check")
def check(
    rank_list: RankOpt,
    preferences: PrefsOpt = None,
    log: LogOpt = None,
    profile: ProfileOpt = None,
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Check a rank list: supplemental lists, geography, missing programs, order; exit 1 on errors."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        report = svc.check(
            rank_list, session, catalogue, prefs_path=preferences, log_path=log, profile_path=profile
        )
    _emit(report, catalogue, fmt, "Rank order list")


@app.command("show")
def show(
    rank_list: RankOpt,
    preferences: PrefsOpt = None,
    profile: ProfileOpt = None,
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Show a rank list with each program's chance and the probability of matching."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        rl = svc.load_rank_list(rank_list, catalogue)
        prefs = svc.load_preferences(preferences, catalogue) if preferences else None
        prof = load_profile(profile, catalogue) if profile else None
    report = svc.report(rl, catalogue, prefs=prefs, log=None, profile=prof)
    _emit(report, catalogue, fmt, "Rank order list")
