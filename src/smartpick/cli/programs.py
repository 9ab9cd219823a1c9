"""``smartpick programs``: browse, search and update the program catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session
from smartpick.cli.render import Format, PlainConsole, echo, print_csv, print_json, print_table
from smartpick.domain.catalogue.geography import US_STATE_CODES, Region
from smartpick.domain.catalogue.programs import (
    CatalogueFilter,
    Program,
    RosterCount,
    Strength,
    TrackType,
)
from smartpick.domain.profile.applicant import ProgramType
from smartpick.domain.provenance import Fact
from smartpick.errors import InputError, NotFoundError
from smartpick.services import catalogue as svc

app = typer.Typer(help="Browse, search and update the PM&R program catalogue.", no_args_is_help=True)

WIDE = typer.Option("--wide/--compact", help="Wide: every column; compact: fit the terminal.")
COLUMNS = ("id", "name", "city", "state", "region", "type", "tracks", "positions", "visa", "img")


def _version(value: bool) -> None:
    if value:
        with db_session() as session:
            cat = svc.current_catalogue(session)
        echo(f"catalogue {cat.version} ({cat.date}), {len(cat)} programs")
        raise typer.Exit()


def _state(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if code not in US_STATE_CODES:
        raise InputError(
            "--state", value, f"a two-letter US state code: one of {', '.join(sorted(US_STATE_CODES))}"
        )
    return code


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the data file's version."),
    ] = False,
) -> None:
    """Browse, search and update the PM&R program catalogue."""


def _row(p: Program) -> tuple[Any, ...]:
    positions = p.positions
    pos = "" if positions is None else f"{positions}{'*' if p.positions_estimated else ''}"
    visa = {True: "yes", False: "no", None: "?"}[p.sponsors_visa]
    tracks = "/".join(sorted(t.type.value[0].upper() for t in p.tracks))
    ptype = p.program_type.value.value if p.program_type.value else ""
    region = p.region.value.value if p.region.value else ""
    return (
        p.id,
        p.name,
        p.city.value,
        p.state.value,
        region,
        ptype,
        tracks,
        pos,
        visa,
        p.img_friendliness.value,
    )


def _emit(programs: tuple[Program, ...], fmt: Format, title: str) -> None:
    if fmt is Format.JSON:
        print_json({"programs": [p.model_dump(mode="json") for p in programs]})
    elif fmt is Format.CSV:
        print_csv(COLUMNS, (_row(p) for p in programs))
    else:
        print_table(
            title,
            COLUMNS,
            (_row(p) for p in programs),
            caption="* positions estimated; ? unknown",
            optional=("region", "tracks", "positions", "city", "type"),
        )


@app.command("list")
def list_programs(
    state: Annotated[str | None, typer.Option(help="Two-letter state code.")] = None,
    region: Annotated[Region | None, typer.Option(help="US census region.")] = None,
    program_type: Annotated[ProgramType | None, typer.Option("--type", help="Program type.")] = None,
    track: Annotated[TrackType | None, typer.Option(help="Offers this NRMP track type.")] = None,
    visa: Annotated[
        bool | None, typer.Option("--visa/--no-visa", help="Sponsors a J-1 or H-1B visa.")
    ] = None,
    img_friendly: Annotated[
        bool | None,
        typer.Option(
            "--img-friendly/--not-img-friendly",
            help="IMG-friendly: more than 10% of residents are IMGs (Match A Resident tiers) or, where the "
            "share is unknown, IMG residents are known to be present; --not-img-friendly lists the others.",
        ),
    ] = None,
    strength: Annotated[Strength | None, typer.Option(help="Known clinical strength.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    wide: Annotated[
        bool, typer.Option("--wide/--compact", help="Wide: every column; compact: fit the terminal.")
    ] = False,
) -> None:
    """List programs, optionally filtered."""
    PlainConsole.wide = wide
    flt = CatalogueFilter(
        state=_state(state), region=region, program_type=program_type, track=track,
        visa=visa, img_friendly=img_friendly, strength=strength,
    )  # fmt: skip
    with db_session() as session:
        cat = svc.current_catalogue(session)
    _emit(cat.select(flt), fmt, f"PM&R programs (catalogue {cat.version})")


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Part of a name, alias, city, id or NRMP code.")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    wide: Annotated[
        bool, typer.Option("--wide/--compact", help="Wide: every column; compact: fit the terminal.")
    ] = False,
) -> None:
    """Find programs by name, alias, city, id or NRMP code."""
    PlainConsole.wide = wide
    with db_session() as session:
        cat = svc.current_catalogue(session)
    _emit(cat.select(CatalogueFilter(text=text)), fmt, f"Programs matching {text!r}")


@app.command("show")
def show(
    program_id: Annotated[str, typer.Argument(help="Program id, ACGME number or NRMP track code.")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """Show every fact about one program with its source."""
    with db_session() as session:
        cat = svc.current_catalogue(session)
    prog = cat.get(program_id)
    if prog is None:
        raise NotFoundError(
            "program", program_id, "a catalogue id, ACGME number or NRMP code (try `programs search`)"
        )
    if fmt is Format.JSON:
        print_json(prog.model_dump(mode="json"))
        return
    rows = [
        (
            name,
            _value(f.value),
            _year(f),
            f.source or (f"estimate: {f.estimate}" if f.estimate else ""),
            _note(f),
        )
        for name, f in prog.facts()
    ]
    cols = ("field", "value", "year", "source", "note")
    if fmt is Format.CSV:
        print_csv(cols, rows)
    else:
        caption = "year: the year a figure describes; earlier years are listed in the note."
        print_table(f"{prog.name} [{prog.id}]", cols, rows, caption=caption)


def _year(fact: Fact[Any]) -> str:
    return str(fact.year) if fact.year is not None else ""


def _note(fact: Fact[Any]) -> str:
    """The fact's note, when its source was read, and the figures of earlier years."""
    parts = [fact.note or ""]
    if fact.seen:
        parts.append(f"seen {fact.seen}")
    if fact.history:
        earlier = ", ".join(f"{h.year}: {_value(h.value)}" for h in fact.history if h.year is not None)
        parts.append(f"earlier years {earlier}" if earlier else "")
    return "; ".join(p for p in parts if p)


def _value(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, RosterCount):
        return (f"{value.us_md} US MD, {value.us_do} US DO, {value.international} international "
                f"(IMG share {value.img_share:.0%})")  # fmt: skip
    return str(getattr(value, "value", value))


@app.command("import")
def import_csv(
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV with columns program_id,field,value,source,note (format: docs/formats.md#facts)."
        ),
    ],
) -> None:
    """Merge a CSV of newer facts: all rows are validated and nothing is stored if any is bad."""
    with db_session() as session:
        summary = svc.import_facts(path, session)
    echo(
        f"imported {summary.rows} facts for {summary.programs} programs "
        f"({summary.new_programs} new) from {summary.filename}"
    )
