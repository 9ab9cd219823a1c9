"""Catalogue pages (``/programs``) and API (``/api/v1/programs``): filters, and each fact's source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from smartpick.domain.catalogue.geography import Region
from smartpick.domain.catalogue.programs import Catalogue, Program, Strength, TrackType
from smartpick.domain.profile.applicant import ProgramType
from smartpick.errors import InputError, NotFoundError
from smartpick.web.deps import CatalogueDep, OptionalUserDep
from smartpick.web.pages import Feature, Link, Page, cached_json, render, render_cached
from smartpick.web.profile_form import choices
from smartpick.web.program_views import (
    FactView,
    ProgramQuery,
    ProgramRow,
    SourceRef,
    catalogue_sources,
    fact_views,
    program_row,
    source_ref,
    states_in,
)

router = APIRouter()
ProgramIdPath = Annotated[
    str, Path(min_length=1, max_length=40, description="Program id, ACGME number or NRMP track code.")
]
QueryDep = Annotated[ProgramQuery, Query()]


@dataclass(frozen=True)
class FilterOptions:
    """Choices of the filter form."""

    states: tuple[str, ...]
    regions: tuple[tuple[str, str], ...]
    types: tuple[tuple[str, str], ...]
    tracks: tuple[tuple[str, str], ...]
    strengths: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ProgramListPage(Page):
    """``/programs``: the catalogue, filtered."""

    template = "programs.html"
    filters: dict[str, str]
    options: FilterOptions
    programs: tuple[ProgramRow, ...]
    total: int
    sort: str
    version: str
    date: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class ProgramPage(Page):
    """``/programs/{id}``: one program, every fact with its source."""

    template = "program.html"
    program: ProgramRow
    institution: str
    aliases: tuple[str, ...]
    track_codes: tuple[str, ...]
    facts: tuple[FactView, ...]
    version: str
    date: str


def _options(catalogue: Catalogue) -> FilterOptions:
    return FilterOptions(
        states_in(catalogue), choices(Region), choices(ProgramType), choices(TrackType), choices(Strength)
    )


def _program(catalogue: Catalogue, ref: str) -> Program:
    program = catalogue.get(ref)
    if program is None:
        raise NotFoundError("program_id", ref, "a catalogue id, ACGME number or NRMP track code")
    return program


SORTS: dict[str, Any] = {
    "state": lambda r: (r.state == "unknown", r.state, r.name.casefold()),
    "name": lambda r: r.name.casefold(),
    "city": lambda r: (r.city == "unknown", r.city, r.name.casefold()),
    "type": lambda r: (r.program_type == "unknown", r.program_type, r.name.casefold()),
    "positions": lambda r: (
        not r.positions.isdigit(),
        -int(r.positions) if r.positions.isdigit() else 0,
        r.name,
    ),
    "visa": lambda r: ({"yes": 0, "no": 1}.get(r.visa, 2), r.state, r.name.casefold()),
    "img": lambda r: (
        {"high": 0, "medium": 1, "low": 2}.get(r.img_friendliness, 3),
        r.state,
        r.name.casefold(),
    ),
}
"""Column sorts of the catalogue page; the default is by state, then name (unknown values last)."""
SortQuery = Annotated[
    str | None, Query(max_length=16, description="Sort by: " + ", ".join(SORTS) + " (default state).")
]


def list_page(catalogue: Catalogue, query: ProgramQuery, sort: str | None = None) -> ProgramListPage:
    """The catalogue page for these filters, sorted by ``sort`` (default: state, then name)."""
    if sort is not None and sort not in SORTS:
        raise InputError("sort", sort, "one of " + ", ".join(SORTS))
    rows = sorted((program_row(p) for p in catalogue.select(query.to_filter())), key=SORTS[sort or "state"])
    return ProgramListPage(
        title="Program catalogue", filters=query.active(), options=_options(catalogue),
        programs=tuple(rows), total=len(catalogue), sort=sort or "state",
        version=catalogue.version, date=catalogue.date, sources=catalogue_sources(catalogue),
    )  # fmt: skip


def program_page(catalogue: Catalogue, program: Program) -> ProgramPage:
    """The detail page of one program."""
    return ProgramPage(
        title=program.name, program=program_row(program), institution=program.institution,
        aliases=program.aliases, track_codes=tuple(t.code for t in program.tracks if t.code),
        facts=fact_views(catalogue, program), version=catalogue.version, date=catalogue.date,
    )  # fmt: skip


@router.get("/programs", name="programs", include_in_schema=False)
def programs_page(
    request: Request, _: OptionalUserDep, catalogue: CatalogueDep, query: QueryDep, sort: SortQuery = None
) -> Response:
    """Browse the catalogue with filters, sorted by a column (rendered once per filters and sort)."""
    key = ("programs", tuple(sorted(query.active().items())), sort)
    return render_cached(request, key, (catalogue,), lambda: list_page(catalogue, query, sort))


@router.get("/programs/{program_id}", name="program", include_in_schema=False)
def program_detail_page(
    request: Request, _: OptionalUserDep, catalogue: CatalogueDep, program_id: ProgramIdPath
) -> Response:
    """One program, every fact with its source."""
    return render(request, program_page(catalogue, _program(catalogue, program_id)))


def programs_document(catalogue: Catalogue, query: ProgramQuery) -> dict[str, Any]:
    """The ``/api/v1/programs`` answer: programs matching the filters, every fact with its provenance."""
    programs = catalogue.select(query.to_filter())
    return {
        "catalogue": {"version": catalogue.version, "date": catalogue.date},
        "filters": query.active(),
        "programs": [p.model_dump(mode="json") for p in programs],
    }


@router.get("/api/v1/programs", tags=["programs"], response_model=dict[str, Any])
def api_programs(request: Request, catalogue: CatalogueDep, query: QueryDep) -> Response:
    """Programs matching the filters, every fact with its provenance.

    The answer carries an ``ETag``; a request whose ``If-None-Match`` names it gets ``304 Not Modified``.
    """
    key = ("api_programs", tuple(sorted(query.active().items())))
    return cached_json(request, key, (catalogue,), lambda: programs_document(catalogue, query))


@router.get("/api/v1/programs/{program_id}", tags=["programs"])
def api_program(catalogue: CatalogueDep, program_id: ProgramIdPath) -> dict[str, Any]:
    """One program with its facts and the sources they cite."""
    program = _program(catalogue, program_id)
    keys = sorted({f.source for _, f in program.facts() if f.source})
    return {
        "catalogue": {"version": catalogue.version, "date": catalogue.date},
        "program": program.model_dump(mode="json"),
        "sources": {k: vars(source_ref(catalogue, k)) for k in keys},
    }


FEATURE = Feature("programs", router, nav=(Link("Programs", "programs"),))
