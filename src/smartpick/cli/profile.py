"""``smartpick profile``: validate, summarise and store applicant profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session
from smartpick.cli.render import DocFormat, console, echo, print_json
from smartpick.errors import InputError, NotFoundError
from smartpick.services import catalogue as cat_svc
from smartpick.services import profiles as svc
from smartpick.services.standing import standing_doc

app = typer.Typer(help="Validate, summarise and store applicant profiles.", no_args_is_help=True)


@app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="profile.toml (format: docs/formats.md#profile).")],
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
) -> None:
    """Validate a profile and summarise it: Step 2 CK band, red flags, what is missing."""
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
    profile, standing = svc.check_profile(path, catalogue)
    doc = standing_doc(standing)
    if fmt is DocFormat.JSON:
        print_json({"valid": True, "applicant_type": profile.applicant.type.value, **doc})
        return
    _print_standing(profile.applicant.type.value, doc)


def _print_standing(applicant_type: str, doc: dict[str, Any]) -> None:
    score = doc["step2_ck"] if doc["step2_ck"] is not None else "pending"
    console.print(f"[bold]Profile valid[/bold] ({applicant_type})")
    console.print(f"Step 2 CK: {score} -> band [bold]{doc['step2_band']}[/bold] ({doc['band_meaning']})")
    if doc["step2_score_range"] and doc["step2_score_range"] != doc["step2_band"]:
        rng = doc["step2_score_range"]
        console.print(f"  the score alone is in the {rng} range; an exam failure sets the strategy")
    sections = (("Red flags", [f"[{f['severity']}] {f['message']}" for f in doc["red_flags"]]),
                ("Missing", doc["missing"]), ("Strengths", doc["strengths"]))  # fmt: skip
    for title, items in sections:
        console.print(f"{title}: {'none' if not items else ''}")
        for item in items:
            console.print(f"  - {item}", highlight=False, markup=False)


@app.command("save")
def save(
    path: Annotated[Path, typer.Argument(help="profile.toml to store (format: docs/formats.md#profile).")],
    name: Annotated[str, typer.Option(help="Name to store it under.")] = "default",
    force: Annotated[
        bool, typer.Option("--force", help="Replace a stored profile of the same name.")
    ] = False,
) -> None:
    """Validate a profile file and store it in the database under a name (--force replaces one)."""
    clean = svc.check_profile_name(name)
    with db_session() as session:
        profile = svc.load_profile(path, cat_svc.current_catalogue(session))
        exists = svc.saved_profile(session, clean) is not None
        if exists and not force:
            raise InputError(
                "--name", clean, "a name not stored yet, or --force to replace the stored profile"
            )
        svc.save_profile(session, clean, profile)
    echo(f"{'replaced' if exists else 'saved'} profile {clean!r}")


@app.command("list")
def list_saved() -> None:
    """List stored profiles."""
    with db_session() as session:
        names = svc.saved_names(session)
    echo("\n".join(names) if names else "no stored profiles")


@app.command("show")
def show(name: Annotated[str, typer.Argument(help="Stored profile name.")] = "default") -> None:
    """Print a stored profile as JSON."""
    with db_session() as session:
        profile = svc.saved_profile(session, name)
    if profile is None:
        raise NotFoundError("profile", name, "the name of a stored profile (see `smartpick profile list`)")
    print_json(profile.model_dump(mode="json", exclude_none=True))
