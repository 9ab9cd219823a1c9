"""``smartpick advise``: the actions that move the applicant's chance of matching most, and a plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartpick.cli.common import db_session, parse_today
from smartpick.cli.render import DocFormat, console, print_json, print_table
from smartpick.domain.advice.advisor import Action, long_date
from smartpick.domain.wording import plural
from smartpick.services import advise as svc
from smartpick.services import catalogue as cat_svc
from smartpick.services import plan as plan_svc


def advise(
    profile: Annotated[Path, typer.Option("--profile", help="profile.toml (see README: Profile format).")],
    today: Annotated[str | None, typer.Option("--today", help="Advise as of this date (YYYY-MM-DD).")] = None,
    budget: Annotated[
        str | None,
        typer.Option("--budget", help="USD you can spend on the actions together (default: no limit)."),
    ] = None,
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
) -> None:
    """What moves your chance of matching most: actions still possible, ranked by gain, and a plan."""
    day = parse_today(today)
    limit = svc.parse_budget(budget)
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
    result = svc.advise_file(profile, catalogue, today=day, budget=limit)
    if fmt is DocFormat.JSON:
        print_json(svc.advice_doc(result))
    else:
        print_advice(result)


def points(x: float) -> str:
    """A change in P(match) in percentage points, signed."""
    return f"{x * 100:+.1f} pts"


def gain_text(action: Action) -> str:
    """The gain with its range, or why there is none."""
    if action.delta is None:
        return "not scored"
    text = points(action.delta)
    if action.interval is not None:
        text += f" ({action.interval[0] * 100:+.1f} to {action.interval[1] * 100:+.1f})"
    return text


def print_advice(result: svc.AdviceResult) -> None:
    """The terminal view: chance now, the ranked actions, the plan, what the numbers mean."""
    console.print(
        f"[bold]What moves your chances most[/bold] (July {result.match_year} start, "
        f"as of {long_date(result.today)})",
        highlight=False,
    )
    console.print(
        f"Chance of matching now: {result.now.p_match:.0%} with the recommended list and its program signals "
        f"(model estimate). {result.free_months:.1f} months remain before ERAS opens for submissions.",
        highlight=False,
    )
    console.print(f"{plan_svc.projection_text(result.step2.projected)}.", highlight=False, markup=False)
    none_left = svc.nothing_left(result)
    if none_left is not None:
        console.print(none_left, highlight=False, markup=False)
        return
    _print_actions(result)
    _print_plan(result)
    console.print(f"About the gains: {svc.GAIN_MEANING}", highlight=False, markup=False)
    console.print(f"About the ranges: {svc.INTERVAL_MEANING}", highlight=False, markup=False)


def _print_actions(result: svc.AdviceResult) -> None:
    rows = [
        (
            i,
            a.candidate.title,
            gain_text(a),
            f"${a.candidate.cost_usd:,.0f}" + (" est." if "estimate" in a.candidate.cost_note else ""),
            f"{a.candidate.months:g}",
            f"{a.candidate.deadline:%d %b %Y}",
        )
        for i, a in enumerate(result.actions, 1)
    ]
    print_table(
        "Actions, largest gain first",
        ("#", "action", "change in P(match)", "cost", "months", "deadline"),
        rows,
        caption="pts = percentage points (model estimates); est. = SmartPick cost estimate",
    )
    for i, a in enumerate(result.actions, 1):
        c = a.candidate
        console.print(
            f"{i}. {c.title}: {c.why}{_after(a)} Cost: {c.cost_note}.", highlight=False, markup=False
        )


def _after(action: Action) -> str:
    if action.p_after is None:
        return ""
    after = f"{action.p_after:.0%}, {svc.list_note(action.kept_list)}"
    return f" Chance of matching after it: {after} (model estimate)."


def _print_plan(result: svc.AdviceResult) -> None:
    plan = result.plan
    limit = "no budget limit" if result.budget is None else f"a budget of ${result.budget:,.0f}"
    if plan is None:
        fits = "the calendar" if result.budget is None else f"{limit} and the calendar"
        console.print(f"No action with a gain fits {fits}, so there is no plan.", highlight=False)
        return
    steps = "; ".join(a.candidate.title for a in plan.actions)
    console.print(
        f"Plan (best {len(plan.actions)} within {limit} and the months before ERAS): {steps}. "
        f"Chance of matching with the plan: {plan.p_match:.0%}, against {plan.p_before:.0%} without it"
        + (f" ({'; '.join(plan.before_notes)})" if plan.before_notes else "")
        + f": {points(plan.p_match - plan.p_before)} (model estimates; with the plan, "
        f"{svc.list_note(plan.kept_list)}). Cost ${plan.cost_usd:,.0f}, "
        f"{plural(round(plan.months, 1), 'month')} of your time.",
        highlight=False,
        markup=False,
    )
