"""``smartpick messages``: check the communication log against the NRMP rules, and write drafts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartpick.cli.common import db_session, parse_today
from smartpick.cli.render import DocFormat, console, echo, print_json, print_table
from smartpick.domain.communication.drafts import DraftKind
from smartpick.domain.communication.messages import RULES, has_errors
from smartpick.present.messages import finding_doc
from smartpick.services import catalogue as cat_svc
from smartpick.services import messages as svc

app = typer.Typer(help="Check messages with programs against NRMP rules; write drafts.", no_args_is_help=True)

FINDING_COLUMNS = ("severity", "rule", "program", "date", "message")
FormatOpt = Annotated[DocFormat, typer.Option("--format", help="Output format.")]
LogOpt = Annotated[
    Path | None,
    typer.Option(
        "--log", help="messages.toml or tracker CSV (default: stored log; format: docs/formats.md#messages)."
    ),
]
RankOpt = Annotated[
    Path | None,
    typer.Option(
        "--rank-list", help="ranklist.toml, for its #1 program (format: docs/formats.md#rank-list)."
    ),
]


@app.command("check")
def check(
    log: LogOpt = None,
    rank_list: RankOpt = None,
    today: Annotated[str | None, typer.Option(help="Today's date, for thank-you reminders.")] = None,
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Check a communication log; exits 1 when any finding is an error."""
    day = parse_today(today) if today else None
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        findings = svc.check_messages(session, catalogue, log_path=log, rank_list_path=rank_list, today=day)
    if fmt is DocFormat.JSON:
        print_json({"findings": [finding_doc(f) for f in findings]})
    elif findings:
        rows = [(f.severity.value, f.rule, f.program, f.date, f.message) for f in findings]
        print_table("Communication findings", FINDING_COLUMNS, rows)
        for rule_id in dict.fromkeys(f.rule for f in findings):
            reason = next(f.reason for f in findings if f.rule == rule_id)
            console.print(f"{rule_id}: {reason}", markup=False, highlight=False)
    else:
        echo("no findings: the log follows the communication rules")
    if has_errors(findings):
        raise typer.Exit(1)


@app.command("draft")
def draft(
    kind: Annotated[DraftKind, typer.Option(help="What to write.")],
    program: Annotated[str, typer.Option(help="Catalogue program id.")],
    profile: Annotated[Path, typer.Option(help="profile.toml (format: docs/formats.md#profile).")],
    rank_list: RankOpt = None,
    log: LogOpt = None,
    today: Annotated[str | None, typer.Option(help="The date the draft is written (default: today).")] = None,
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Write a short draft; a letter of intent is refused (exit 1) unless the program is your #1."""
    day = parse_today(today)
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
        result = svc.draft(
            session, catalogue, kind, program, profile_path=profile, rank_list_path=rank_list, log_path=log,
            today=day,
        )  # fmt: skip
    if result.refused:
        echo(f"refused: {result.refused}", err=True)
        if fmt is DocFormat.JSON:
            print_json({"kind": kind.value, "program": result.program, "refused": result.refused})
        raise typer.Exit(1)
    if fmt is DocFormat.JSON:
        print_json(
            {
                "kind": kind.value,
                "program": result.program,
                "subject": result.subject,
                "body": result.body,
                "words": result.words,
            }
        )
        return
    echo(f"Subject: {result.subject}\n\n{result.body}")
    echo(f"({result.words} words; fill in the [bracketed] parts before sending)", err=True)


@app.command("rules")
def rules(fmt: FormatOpt = DocFormat.TABLE) -> None:
    """List the communication rules with their severity and reason."""
    if fmt is DocFormat.JSON:
        print_json({"rules": [{"id": r.id, "severity": r.severity.value, "reason": r.reason} for r in RULES]})
        return
    print_table(
        "Communication rules",
        ("id", "severity", "reason"),
        [(r.id, r.severity.value, r.reason) for r in RULES],
    )
