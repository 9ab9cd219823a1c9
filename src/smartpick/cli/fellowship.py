"""``smartpick fellowship``: fellowship tracks, the resident's dated plan, and stored portfolios."""

from __future__ import annotations

import calendar
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session, parse_today
from smartpick.cli.render import DocFormat, console, echo, print_json, print_table
from smartpick.domain.fellowship.planner import FellowshipPlan
from smartpick.domain.fellowship.portfolio import Portfolio
from smartpick.errors import InputError
from smartpick.present.labels import label
from smartpick.services import fellowship as svc
from smartpick.services.files import write_text_file

app = typer.Typer(
    help="Plan a PM&R fellowship: tracks, dated milestones, letters, list size.", no_args_is_help=True
)
portfolio_app = typer.Typer(help="Validate, store and export resident portfolios.", no_args_is_help=True)
app.add_typer(portfolio_app, name="portfolio")

FormatOpt = Annotated[DocFormat, typer.Option("--format", help="Output format.")]
MARK = {"done": "done", "on_track": "on track", "late": "LATE", "missing": "MISSING"}


class PortfolioFormat(StrEnum):
    """How a stored portfolio is printed."""

    TOML = "toml"
    JSON = "json"


@app.command("tracks")
def tracks(fmt: FormatOpt = DocFormat.TABLE) -> None:
    """List fellowship tracks: accreditation, route, application window and typical list size."""
    doc = svc.tracks_doc()
    if fmt is DocFormat.JSON:
        print_json(doc)
        return
    rows = [_track_row(t) for t in doc["tracks"]]
    cols = ("id", "track", "accreditation", "route", "opens", "deadline", "applications")
    print_table(f"PM&R fellowship tracks (data {doc['version']})", cols, rows,
                caption="* estimate. `--format json` shows every value's source.")  # fmt: skip


def _track_row(t: dict[str, Any]) -> tuple[str, ...]:
    count = t["typical_applications"] + ("*" if "estimate" in t["applications"] else "")
    route = t["route"]["value"]
    return (
        t["id"],
        t["name"],
        t["accreditation"]["value"],
        route,
        _when(t["opens"]),
        _when(t["deadline"]),
        count,
    )


def _when(timing: dict[str, Any]) -> str:
    return f"{calendar.month_abbr[timing['month']]} PGY-{timing['pgy']}"


ROUTE_TEXT = {
    "eras_nrmp": "ERAS + NRMP",
    "other_match": "separate match (not ERAS)",
    "direct": "apply directly",
}


@app.command("programs")
def programs(
    track: Annotated[
        str | None, typer.Option("--track", help="A track id of `fellowship tracks` (e.g. sci, pain).")
    ] = None,
    state: Annotated[str | None, typer.Option("--state", help="Two-letter US state code.")] = None,
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """List real fellowship programs: city, positions, application route and timeline, with sources."""
    found = svc.fellowship_programs(track, state)
    doc = svc.programs_doc(found)
    if fmt is DocFormat.JSON:
        print_json(doc)
        return
    if not found:
        console.print("No fellowship program in SmartPick's list matches; `fellowship programs` lists all.")
        return
    rows = [_program_row(p) for p in doc["programs"]]
    cols = ("program", "track", "city", "positions/yr", "route", "timeline")
    print_table(f"PM&R fellowship programs (list {doc['version']})", cols, rows,
                caption="* estimate; ? unknown. A starting list from public pages, not every program; "
                        "`--format json` shows every value's source and date seen.")  # fmt: skip


def _fact_text(fact: dict[str, Any], shown: str | None = None) -> str:
    if fact.get("value") is None:
        return "?"
    text = shown if shown is not None else str(fact["value"])
    return text + ("*" if "estimate" in fact else "")


def _program_row(p: dict[str, Any]) -> tuple[str, ...]:
    place = f"{_fact_text(p['city'])}, {_fact_text(p['state'])}"
    route = _fact_text(p["route"], ROUTE_TEXT.get(str(p["route"].get("value")), ""))
    if p["timeline"].get("value") is not None:
        when = _fact_text(p["timeline"]) + (
            f" ({p['timeline']['year']} cycle)" if "year" in p["timeline"] else ""
        )
    else:
        window = p["track_window"]
        when = f"track-wide: opens {_when(window['opens'])}, deadline {_when(window['deadline'])}"
    return (p["name"], p["track_name"], place, _fact_text(p["positions"]), route, when)


@app.command("plan")
def plan(
    portfolio: Annotated[
        Path | None, typer.Option(help="portfolio.toml (format: docs/formats.md#portfolio).")
    ] = None,
    saved: Annotated[
        str | None, typer.Option(help="Name of a stored portfolio, instead of --portfolio.")
    ] = None,
    today: Annotated[str | None, typer.Option(help="Plan as of this date (YYYY-MM-DD).")] = None,
    fmt: FormatOpt = DocFormat.TABLE,
    ics: Annotated[Path | None, typer.Option(help="Also write the milestones to this .ics file.")] = None,
) -> None:
    """Dated fellowship milestones with status (done, on track, late, missing), letters and list size."""
    when = parse_today(today)
    result = svc.make_plan(_portfolio(portfolio, saved), when)
    written = svc.write_ics(result, ics) if ics is not None else None
    if fmt is DocFormat.JSON:
        print_json(svc.plan_doc(result))
    else:
        _print_plan(result)
    if written is not None:
        echo(f"wrote {written} milestones to {ics}", err=True)


def _portfolio(path: Path | None, saved: str | None) -> Portfolio:
    if (path is None) == (saved is None):
        raise InputError("--portfolio", None, "give exactly one of --portfolio FILE or --saved NAME")
    if path is not None:
        return svc.load_portfolio(path)
    with db_session() as session:
        return svc.stored_portfolio(session, saved or "")


def _print_plan(result: FellowshipPlan) -> None:
    doc = svc.plan_doc(result)
    console.print(f"[bold]{result.resident}[/bold]: PGY-{result.pgy_now} on {result.today}, "
                  f"fellowship start July {result.cycle_year}", highlight=False)  # fmt: skip
    win_rows = [(w["track"], w["route"], w["opens"]["date"], w["deadline"]["date"], w["decision"]["date"])
                for w in doc["windows"]]  # fmt: skip
    print_table("Application windows", ("track", "route", "opens", "deadline", "decision"), win_rows)
    rows = [(m["due"], MARK[m["status"]], m["title"], m["why"]) for m in doc["milestones"]]
    counts = ", ".join(f"{v} {MARK[k]}" for k, v in doc["summary"].items())
    print_table("Milestones", ("due", "status", "milestone", "why"), rows, caption=counts)
    for lp in result.letters:
        writers = ", ".join(lp.subspecialty_writers) or "none yet"
        lead = lp.leadership_writer or "not asked"
        console.print(f"Letters ({lp.track.value}): {lp.needed}; asked: {writers}; PD/APD: {lead}; "
                      f"ask {lp.ask_from} to {lp.ask_by}", highlight=False, markup=False)  # fmt: skip
    for la in result.lists:
        console.print(f"List ({la.track.value}, {la.strength}): {la.programs} programs = {la.reach} reach + "
                      f"{la.target} target + {la.safety} safety (usual {la.typical_range}; {la.source})",
                      highlight=False, markup=False)  # fmt: skip
    if result.programs:
        console.print("Programs in your tracks (details and sources: `smartpick fellowship programs`):")
        for fp in result.programs:
            seats = f"; {fp.positions.value} a year" if fp.positions.value is not None else ""
            star = " (estimate)" if fp.positions.is_estimate else ""
            console.print(f"  - {fp.name}, {fp.place}{seats}{star}", highlight=False, markup=False)
    for title, items in (("Reapplication", [a.text for a in result.reapplication]), ("Notes", result.notes)):
        if items:
            console.print(f"{title}:")
            for item in items:
                console.print(f"  - {item}", highlight=False, markup=False)


@portfolio_app.command("check")
def check(
    path: Annotated[
        Path, typer.Argument(help="portfolio.toml to validate (format: docs/formats.md#portfolio).")
    ],
    fmt: FormatOpt = DocFormat.TABLE,
) -> None:
    """Validate a portfolio file; exit 2 with a one-line, field-named error when it is invalid."""
    found = svc.load_portfolio(path)
    doc = {
        "valid": True,
        "resident": found.resident.name,
        "interests": [t.value for t in found.resident.interests],
    }
    if fmt is DocFormat.JSON:
        print_json(doc)
    else:
        interests = ", ".join(label(t) for t in found.resident.interests)
        echo(f"portfolio valid: {found.resident.name} ({interests})")


@portfolio_app.command("save")
def save(
    path: Annotated[
        Path, typer.Argument(help="portfolio.toml to store (format: docs/formats.md#portfolio).")
    ],
    name: Annotated[str, typer.Option(help="Name to store it under.")] = "default",
) -> None:
    """Validate a portfolio file and store it in the database under a name."""
    found = svc.load_portfolio(path)
    with db_session() as session:
        svc.save_portfolio(session, name, found)
    echo(f"saved portfolio {name!r}")


@portfolio_app.command("list")
def list_saved() -> None:
    """List stored portfolios."""
    with db_session() as session:
        names = svc.list_portfolios(session)
    echo("\n".join(names) if names else "no stored portfolios")


@portfolio_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Stored portfolio name.")] = "default",
    fmt: Annotated[PortfolioFormat, typer.Option("--format", help="Output format.")] = PortfolioFormat.TOML,
) -> None:
    """Print a stored portfolio as TOML (the file format) or JSON."""
    with db_session() as session:
        found = svc.stored_portfolio(session, name)
    if fmt is PortfolioFormat.JSON:
        print_json(found.model_dump(mode="json", exclude_none=True))
    else:
        echo(svc.portfolio_toml(found), nl=False, raw=True)


@portfolio_app.command("export")
def export(
    name: Annotated[str, typer.Argument(help="Stored portfolio name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="TOML file to write.")],
) -> None:
    """Write a stored portfolio back to a TOML file (it reads back unchanged)."""
    with db_session() as session:
        found = svc.stored_portfolio(session, name)
    write_text_file(output, svc.portfolio_toml(found), field="--output")
    echo(f"exported portfolio {name!r} to {output}")
