"""Fellowship planner: resident portfolios (TOML upload or edit) and the dated plan with statuses and ICS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from smartpick.data.fellowships import bundled_fellowships
from smartpick.domain.fellowship.planner import FellowshipPlan
from smartpick.domain.fellowship.portfolio import Portfolio
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, NotFoundError
from smartpick.services import fellowship as svc
from smartpick.services.files import parse_toml_text
from smartpick.store import fellowship_repo
from smartpick.web.deps import CurrentUserDep, OptionalUserDep, SessionDep, Viewer
from smartpick.web.pages import Feature, Link, Page, flash, render
from smartpick.web.profile_views import MAX_UPLOAD_BYTES
from smartpick.web.routes.plan import TodayQuery, parse_today

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/fellowship", tags=["fellowship"])
PortfolioName = Annotated[str, Path(min_length=1, max_length=100, description="A stored portfolio's name.")]


@dataclass(frozen=True)
class PortfolioListPage(Page):
    """``/fellowship``: the viewer's portfolios and the upload form."""

    template = "fellowship.html"
    names: tuple[str, ...]


@dataclass(frozen=True)
class FellowshipPage(Page):
    """``/fellowship/{portfolio}``: the plan of one portfolio, and its TOML to edit."""

    template = "fellowship_plan.html"
    name: str
    today: dt.date
    today_given: bool
    plan: dict[str, Any]
    toml: str


def _document(text: str, source: str) -> Portfolio:
    return parse_model(Portfolio, parse_toml_text(text, source, field="file"), source=source)


def _stored(session: Session, viewer: Viewer, name: str) -> Portfolio:
    found = fellowship_repo.get_portfolio(session=session, name=name, owner_id=viewer.user_id)
    if found is None:
        raise NotFoundError("portfolio", name, "the name of one of your portfolios")
    return found


@pages.get("/fellowship", name="fellowship")
def fellowship_page(request: Request, viewer: CurrentUserDep, session: SessionDep) -> Response:
    """The viewer's portfolios; upload a ``portfolio.toml``."""
    names = fellowship_repo.list_portfolios(session=session, owner_id=viewer.user_id)
    return render(request, PortfolioListPage(title="Fellowship planner", names=tuple(names)))


@dataclass(frozen=True)
class FellowshipProgramsPage(Page):
    """``/fellowship/programs``: real fellowship programs, filtered by track and state."""

    template = "fellowship_programs.html"
    filters: dict[str, str]
    tracks: tuple[tuple[str, str], ...]
    states: tuple[str, ...]
    programs: tuple[dict[str, Any], ...]
    total: int
    version: str
    date: str


TrackQuery = Annotated[str | None, Query(max_length=40, description="A fellowship track id.")]
StateQuery = Annotated[str | None, Query(max_length=10, description="A two-letter US state code.")]


def _filters(track: str | None, state: str | None) -> tuple[str | None, str | None]:
    return (track or None), (state or None)


@pages.get("/fellowship/programs", name="fellowship_programs")
def fellowship_programs_page(
    request: Request, _: OptionalUserDep, track: TrackQuery = None, state: StateQuery = None
) -> Response:
    """Fellowship programs of the planner's tracks: city, positions, route, timeline, each with its source."""
    track, state = _filters(track, state)
    doc = svc.programs_doc(svc.fellowship_programs(track, state))
    everything = svc.fellowship_programs()
    page = FellowshipProgramsPage(
        title="Fellowship programs",
        filters={k: v for k, v in (("track", track), ("state", state.upper() if state else None)) if v},
        tracks=tuple((t.id.value, t.name) for t in bundled_fellowships().track),
        states=tuple(sorted({p.state.value for p in everything if p.state.value})),
        programs=tuple(doc["programs"]), total=len(everything), version=doc["version"], date=doc["date"],
    )  # fmt: skip
    return render(request, page)


@pages.post("/fellowship/upload", name="fellowship_upload")
def fellowship_upload(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store an uploaded ``portfolio.toml`` under a name (replacing one of the same name)."""
    clean = svc.check_portfolio_name(name)
    if file is None or not file.filename:
        raise InputError("file", None, "a portfolio.toml file")
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError("file", file.filename, f"a TOML file of at most {MAX_UPLOAD_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("file", file.filename, "a UTF-8 text file") from None
    fellowship_repo.save_portfolio(
        session=session, name=clean, portfolio=_document(text, file.filename), owner_id=viewer.user_id
    )
    flash(request, f"Saved portfolio {clean}.")
    return RedirectResponse(
        str(request.app.url_path_for("fellowship_plan", portfolio=clean)), status_code=303
    )


@pages.get("/fellowship/{portfolio}", name="fellowship_plan")
def fellowship_plan(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    portfolio: PortfolioName,
    today: TodayQuery = None,
) -> Response:
    """The plan: milestones with statuses, windows, letters, list sizes; the portfolio to edit."""
    stored = _stored(session, viewer, portfolio)
    day, given = parse_today(today)
    page = FellowshipPage(
        title=f"Fellowship plan {portfolio}", name=portfolio, today=day, today_given=given,
        plan=svc.plan_doc(svc.make_plan(stored, day)), toml=svc.portfolio_toml(stored),
    )  # fmt: skip
    return render(request, page)


@pages.post("/fellowship/{portfolio}/edit", name="fellowship_edit")
def fellowship_edit(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    portfolio: PortfolioName,
    toml: Annotated[str, Form(max_length=MAX_UPLOAD_BYTES)] = "",
) -> Response:
    """Replace a portfolio with the edited TOML."""
    _stored(session, viewer, portfolio)
    updated = _document(toml, "portfolio.toml")
    fellowship_repo.save_portfolio(
        session=session, name=portfolio, portfolio=updated, owner_id=viewer.user_id
    )
    flash(request, f"Saved portfolio {portfolio}.")
    return RedirectResponse(
        str(request.app.url_path_for("fellowship_plan", portfolio=portfolio)), status_code=303
    )


@pages.get("/fellowship/{portfolio}/plan.ics", name="fellowship_ics")
def fellowship_ics(
    viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName, today: TodayQuery = None
) -> Response:
    """The milestones as an iCalendar file."""
    result: FellowshipPlan = svc.make_plan(_stored(session, viewer, portfolio), parse_today(today)[0])
    body = svc.ics_bytes(result)
    headers = {"Content-Disposition": 'attachment; filename="smartpick-fellowship.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


# ---- API ----


@api.get("/programs")
def api_fellowship_programs(track: TrackQuery = None, state: StateQuery = None) -> dict[str, Any]:
    """Fellowship programs (optionally of one track and/or state), every value with its provenance."""
    track, state = _filters(track, state)
    return svc.programs_doc(svc.fellowship_programs(track, state))


@api.get("/tracks")
def api_tracks(_: CurrentUserDep) -> dict[str, Any]:
    """Fellowship tracks with every value's source, as ``smartpick fellowship tracks --format json``."""
    return svc.tracks_doc()


@api.get("/portfolios")
def api_portfolios(viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Names of the viewer's portfolios."""
    return {"portfolios": fellowship_repo.list_portfolios(session=session, owner_id=viewer.user_id)}


class PortfolioBody(BaseModel):
    """A resident portfolio (the ``portfolio.toml`` content as JSON)."""

    model_config = ConfigDict(extra="forbid")
    portfolio: dict[str, Any]


@api.put("/portfolios/{portfolio}")
def api_save_portfolio(
    body: PortfolioBody, viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName
) -> dict[str, Any]:
    """Store (or replace) a portfolio under a name."""
    name = svc.check_portfolio_name(portfolio)
    parsed = parse_model(Portfolio, body.portfolio, source="portfolio")
    fellowship_repo.save_portfolio(session=session, name=name, portfolio=parsed, owner_id=viewer.user_id)
    return {"name": name, "portfolio": parsed.model_dump(mode="json", exclude_none=True)}


@api.get("/portfolios/{portfolio}/plan")
def api_portfolio_plan(
    viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName, today: TodayQuery = None
) -> dict[str, Any]:
    """The plan of a stored portfolio, as ``smartpick fellowship plan --format json``."""
    return svc.plan_doc(svc.make_plan(_stored(session, viewer, portfolio), parse_today(today)[0]))


class PlanBody(PortfolioBody):
    """A portfolio to plan for (nothing stored), as of ``today``."""

    today: dt.date | None = None


@api.post("/plan")
def api_plan(body: PlanBody, _: CurrentUserDep) -> dict[str, Any]:
    """The plan of a portfolio sent in the request."""
    parsed = parse_model(Portfolio, body.portfolio, source="portfolio")
    return svc.plan_doc(svc.make_plan(parsed, body.today or parse_today(None)[0]))


router = APIRouter()
router.include_router(pages)
router.include_router(api)
FEATURE = Feature("fellowship", router, nav=(Link("Fellowship", "fellowship"),))
