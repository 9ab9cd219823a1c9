"""``smartpick plan``: the dated plan of one application cycle, with an optional calendar export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartpick.cli.common import db_session, parse_today
from smartpick.cli.render import DocFormat, console, echo, print_json, print_table
from smartpick.domain.planning.calendar import CycleEvent, TaskStatus
from smartpick.services import catalogue as cat_svc
from smartpick.services import plan as svc
from smartpick.services.ics import write_ics

PROFILE_OPT = typer.Option("--profile", help="profile.toml (format: docs/formats.md#profile).")
TODAY_OPT = typer.Option("--today", help="Plan as of this date (YYYY-MM-DD); default: today.")
STATUS_OPT = typer.Option(
    "--status",
    help="Progress file: [tasks] id = done or skipped, [documents] key = ready "
    "(format: docs/formats.md#status).",
)


def plan(
    profile: Annotated[Path, PROFILE_OPT],
    today: Annotated[str | None, TODAY_OPT] = None,
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
    ics: Annotated[Path | None, typer.Option("--ics", help="Also write the tasks to this .ics file.")] = None,
    status: Annotated[Path | None, STATUS_OPT] = None,
) -> None:
    """Dated plan for the target start year: Step 2 CK, rotations, letters, ERAS, interviews, Match."""
    day = parse_today(today)
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
    result = svc.plan_from_files(profile, catalogue, day, status)
    if ics is not None:
        count = write_ics(ics, result.tasks, f"SmartPick plan, July {result.match_year} start")
        echo(f"wrote {count} events to {ics}", err=True)
    if fmt is DocFormat.JSON:
        print_json(svc.plan_doc(result))
        return
    _print_plan(result)


def _print_plan(result: svc.CyclePlan) -> None:
    match_day = result.cycle.dated(CycleEvent.MATCH_DAY)
    title = f"Plan for a July {result.match_year} start, as of {result.today} (Match Day {match_day.date})"
    rows = [(t.due, t.start, t.status.value, t.category, t.title, t.basis.value) for t in result.tasks]
    print_table(title, ("due", "start", "status", "category", "task", "dates"), rows)
    late = [t for t in result.tasks if t.status is TaskStatus.LATE]
    if late:
        console.print("[bold]Late: what to do instead[/bold]")
        for t in late:
            console.print(f"  - {t.title}: {t.instead}", highlight=False, markup=False)
    step2 = result.step2
    console.print(
        f"Step 2 CK: {step2.decision.value} (band {step2.band.value}). "
        f"{svc.projection_text(step2.projected)}",
        highlight=False,
        markup=False,
    )
    rot = result.rotations
    console.print(f"Away rotations: {rot.existing} in person, {rot.recommended} recommended", highlight=False)
    missing = ", ".join(result.letters.missing) or "none"
    console.print(f"Letters missing: {missing}", highlight=False, markup=False)
    counts = {s.value: sum(1 for t in result.tasks if t.status is s) for s in TaskStatus}
    console.print("Tasks: " + ", ".join(f"{n} {k}" for k, n in counts.items()), highlight=False)
