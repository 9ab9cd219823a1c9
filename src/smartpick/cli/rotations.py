"""``smartpick rotations``: how many away rotations, where, when, and the documents to prepare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session, parse_today
from smartpick.cli.plan import PROFILE_OPT, STATUS_OPT, TODAY_OPT
from smartpick.cli.render import DocFormat, console, print_json, print_table
from smartpick.services import catalogue as cat_svc
from smartpick.services import plan as svc

app = typer.Typer(help="Plan PM&R away rotations: count, sites, months, documents.", no_args_is_help=True)


@app.command("plan")
def plan(
    profile: Annotated[Path, PROFILE_OPT],
    today: Annotated[str | None, TODAY_OPT] = None,
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
    status: Annotated[Path | None, STATUS_OPT] = None,
) -> None:
    """Recommend how many away rotations, which sites and months, and a per-site document checklist."""
    day = parse_today(today)
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
    rotations, tasks = svc.rotation_plan(profile, catalogue, day, status)
    doc = svc.rotations_doc(rotations, tasks)
    if fmt is DocFormat.JSON:
        print_json(doc)
        return
    _print_rotations(doc)


def _print_rotations(doc: dict[str, Any]) -> None:
    console.print(
        f"[bold]Away rotations[/bold]: {doc['existing']} in person, {doc['recommended']} "
        f"recommended, {doc['new_needed']} to add",
        highlight=False,
    )
    for line in [*doc["count_reasons"], *doc["notes"]]:
        console.print(f"  - {line}", highlight=False, markup=False)
    slots = [
        (r["start"], r["finish"], r["kind"], r["label"], "yes" if r["letter"] else "")
        for r in doc["rotations"]
    ]
    print_table("Rotations", ("start", "end", "kind", "rotation", "letter"), slots)
    if doc["sites"]:
        sites = [
            (
                s["role"],
                s["program_id"],
                s["name"],
                s["channel"],
                s["access"],
                s["img_friendliness"],
                "; ".join(s["reasons"]),
            )
            for s in doc["sites"]
        ]
        print_table("Suggested sites", ("role", "id", "program", "channel", "access", "IMG", "why"), sites)
    names = list(doc["checklist"][0]["per_site"]) if doc["checklist"] else []
    docs = [(d["name"], d["status"], _per_site(d["status"], d["per_site"], names)) for d in doc["checklist"]]
    legend = "; ".join(f"S{i} = {s}" for i, s in enumerate(names, 1))
    print_table("Documents", ("document", "status", "per site"), docs, caption=legend)


def _per_site(status: str, per_site: dict[str, str], sites: list[str]) -> str:
    """Only the sites whose status differs from the overall one."""
    diff = [f"S{sites.index(s) + 1}: {v}" for s, v in per_site.items() if v != status]
    return "; ".join(diff) or "same for every site"
