"""``smartpick exam``: Step 2 CK strategy from dated practice scores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session, parse_today
from smartpick.cli.plan import PROFILE_OPT, TODAY_OPT
from smartpick.cli.render import DocFormat, console, print_json, print_table
from smartpick.domain.planning.exams import Step2Advice
from smartpick.services import catalogue as cat_svc
from smartpick.services import plan as svc

app = typer.Typer(help="Step 2 CK strategy: when to test and what score to expect.", no_args_is_help=True)


@app.command("advise")
def advise(
    profile: Annotated[Path, PROFILE_OPT],
    today: Annotated[str | None, TODAY_OPT] = None,
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
) -> None:
    """Fit the practice-score trend and recommend testing as planned or delaying N weeks."""
    day = parse_today(today)
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
    _, advice = svc.exam_advice(profile, catalogue, day)
    doc = svc.advice_doc(advice)
    if fmt is DocFormat.JSON:
        print_json(doc)
        return
    _print_advice(doc, advice)


def _print_advice(doc: dict[str, Any], advice: Step2Advice) -> None:
    when = doc["recommended_date"] or "-"
    console.print(f"[bold]Step 2 CK: {doc['decision']}[/bold], test date {when}", highlight=False)
    console.print(f"{svc.projection_text(advice.projected)}.", highlight=False, markup=False)
    if doc["expected"] is not None:
        console.print(
            f"Expected {doc['expected']} (range {doc['low']}-{doc['high']}; {doc['interval']}); "
            f"band to plan for: {doc['band']}",
            highlight=False,
        )
    if doc["projections"]:
        rows = [
            (
                p["test_date"],
                p["delay_weeks"],
                p["expected"],
                f"{p['low']}-{p['high']}",
                p["band"],
                p["score_back"],
                "yes" if p["in_time"] else "NO",
                "yes" if p["capped"] else "",
            )
            for p in doc["projections"]
        ]
        cols = (
            "test date",
            "delay (wk)",
            "expected",
            "range",
            "band",
            "score back",
            "in time",
            "pace-capped",
        )
        print_table("Projections", cols, rows, caption=f"latest safe test date {doc['latest_safe_date']}")
    for reason in doc["reasons"]:
        console.print(f"  - {reason}", highlight=False, markup=False)
    console.print(f"List strategy: {doc['list_strategy']}", highlight=False, markup=False)
