"""Fellowship planner: resident portfolios (form, TOML upload, template) and the dated plan with its ICS.

Storage is reached only through `smartpick.services.fellowship`, every call scoped to the viewer.
"""

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
from smartpick.errors import InputError, InputErrors
from smartpick.services import fellowship as svc
from smartpick.services.files import MAX_UPLOAD_BYTES, read_toml_upload
from smartpick.web.deps import CurrentUserDep, FormDep, OptionalUserDep, SessionDep, Viewer
from smartpick.web.errors import ErrorItem, items_of
from smartpick.web.form_binding import BoundSection, SummaryError, bind, remap
from smartpick.web.pages import Feature, Link, Page, flash, render
from smartpick.web.portfolio_form import PORTFOLIO_SECTIONS
from smartpick.web.profile_form import parse_form, row_indices, values_from_document, values_from_form
from smartpick.web.routes.plan import TodayQuery, parse_today

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/fellowship", tags=["fellowship"])
PortfolioName = Annotated[str, Path(min_length=1, max_length=100, description="A stored portfolio's name.")]
WEB_HINT = "the name of one of your portfolios"
OUTSIDE = {"name": ("f-name", "Portfolio name"), "file": ("f-file", "Portfolio file")}


@dataclass(frozen=True)
class PortfolioListPage(Page):
    """``/fellowship``: the viewer's portfolios and the upload form."""

    template = "fellowship.html"
    names: tuple[str, ...]


@dataclass(frozen=True)
class FellowshipPage(Page):
    """``/fellowship/{portfolio}``: the plan of one portfolio."""

    template = "fellowship_plan.html"
    name: str
    today: dt.date
    today_given: bool
    plan: dict[str, Any]


@dataclass(frozen=True)
class PortfolioFormPage(Page):
    """The portfolio editor (new or stored portfolio), with a TOML upload."""

    template = "fellowship_form.html"
    action: str
    upload_action: str
    cancel: str
    portfolio_name: str
    name_locked: bool
    name_errors: tuple[str, ...]
    file_errors: tuple[str, ...]
    sections: tuple[BoundSection, ...]
    summary: tuple[SummaryError, ...]


def _stored(session: Session, viewer: Viewer, name: str) -> Portfolio:
    return svc.stored_portfolio(session, name, viewer.user_id, allowed=WEB_HINT)


@pages.get("/fellowship", name="fellowship")
def fellowship_page(request: Request, viewer: CurrentUserDep, session: SessionDep) -> Response:
    """The viewer's portfolios; start a new one, download the template or upload a ``portfolio.toml``."""
    names = svc.list_portfolios(session, viewer.user_id)
    return render(request, PortfolioListPage(title="Fellowship planner", names=tuple(names)))


@pages.get("/fellowship/new", name="fellowship_new")
def new_portfolio_page(request: Request, _: CurrentUserDep) -> Response:
    """An empty portfolio form."""
    return render(request, _form_page(request, None, "", {}, {}))


@pages.post("/fellowship/new", name="fellowship_create")
def create_portfolio(
    request: Request, viewer: CurrentUserDep, session: SessionDep, form: FormDep
) -> Response:
    """Validate the form and store a new portfolio, or show the form again with each error by its field."""
    return _submit(request, viewer, session, form, None, (form.get("name") or [""])[0])


@pages.get("/fellowship/template.toml", name="fellowship_template")
def portfolio_template(_: CurrentUserDep) -> Response:
    """A filled-in ``portfolio.toml`` to start from (every table of the format)."""
    headers = {"Content-Disposition": 'attachment; filename="portfolio.toml"'}
    return Response(svc.template_toml(), media_type="application/toml", headers=headers)


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
    return _upload(request, viewer, session, None, name, file)


@pages.get("/fellowship/{portfolio}", name="fellowship_plan")
def fellowship_plan(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    portfolio: PortfolioName,
    today: TodayQuery = None,
) -> Response:
    """The plan: milestones with statuses, windows, letters, list sizes."""
    stored = _stored(session, viewer, portfolio)
    day, given = parse_today(today)
    page = FellowshipPage(
        title=f"Fellowship plan {portfolio}", name=portfolio, today=day, today_given=given,
        plan=svc.plan_doc(svc.make_plan(stored, day)),
    )  # fmt: skip
    return render(request, page)


@pages.get("/fellowship/{portfolio}/edit", name="fellowship_edit_form")
def edit_portfolio_page(
    request: Request, viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName
) -> Response:
    """The form filled with a stored portfolio."""
    stored = _stored(session, viewer, portfolio)
    values, rows = values_from_document(_form_document(stored), PORTFOLIO_SECTIONS)
    return render(request, _form_page(request, portfolio, portfolio, values, rows))


@pages.post("/fellowship/{portfolio}/edit", name="fellowship_edit")
def fellowship_edit(
    request: Request, viewer: CurrentUserDep, session: SessionDep, form: FormDep, portfolio: PortfolioName
) -> Response:
    """Validate the form and replace the stored portfolio."""
    _stored(session, viewer, portfolio)
    return _submit(request, viewer, session, form, portfolio, portfolio)


@pages.post("/fellowship/{portfolio}/upload", name="fellowship_replace")
def fellowship_replace(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    portfolio: PortfolioName,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Replace a stored portfolio with an uploaded ``portfolio.toml``."""
    _stored(session, viewer, portfolio)
    return _upload(request, viewer, session, portfolio, portfolio, file)


@pages.get("/fellowship/{portfolio}/portfolio.toml", name="fellowship_download")
def download_portfolio(viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName) -> Response:
    """The stored portfolio as a ``portfolio.toml`` file (it reads back unchanged)."""
    text = svc.portfolio_toml(_stored(session, viewer, portfolio))
    filename = "".join(c if c.isalnum() or c in "-_." else "-" for c in portfolio)
    headers = {"Content-Disposition": f'attachment; filename="{filename}.toml"'}
    return Response(text, media_type="application/toml", headers=headers)


@pages.post("/fellowship/{portfolio}/delete", name="fellowship_delete")
def delete_portfolio(
    request: Request, viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName
) -> Response:
    """Delete a portfolio for good."""
    svc.delete_portfolio(session, portfolio, viewer.user_id, allowed=WEB_HINT)
    flash(request, f"Deleted portfolio {portfolio}.")
    return RedirectResponse(str(request.app.url_path_for("fellowship")), status_code=303)


def _form_document(portfolio: Portfolio) -> dict[str, Any]:
    return portfolio.model_dump(mode="json", exclude_none=True)


def _submit(
    request: Request,
    viewer: Viewer,
    session: Session,
    form: dict[str, list[str]],
    stored: str | None,
    name: str,
) -> Response:
    action = (form.get("action") or ["save"])[0]
    parsed = parse_form(form, PORTFOLIO_SECTIONS)
    values = values_from_form(form, PORTFOLIO_SECTIONS)
    if action.startswith("add:"):  # "Add another ..." without JavaScript: same form, one more blank row
        path = action.removeprefix("add:")
        blanks = len(row_indices(form, path)) - len(parsed.rows.get(path, ()))
        page = _form_page(request, stored, name, values, parsed.rows, extra={path: max(blanks, 1)})
        return render(request, page)
    clean, portfolio, errors = _validate(session, viewer, name, stored, parsed.document, replace=False)
    if errors or clean is None or portfolio is None:
        items = remap(errors, parsed.form_field)
        return render(request, _form_page(request, stored, name, values, parsed.rows, items), status_code=422)
    return _saved(request, session, viewer, clean, portfolio)


def _validate(
    session: Session,
    viewer: Viewer,
    name: str,
    stored: str | None,
    document: dict[str, Any],
    *,
    replace: bool,
) -> tuple[str | None, Portfolio | None, tuple[ErrorItem, ...]]:
    """The checked name and portfolio, or every error of both (the name's first)."""
    clean: str | None = None
    portfolio: Portfolio | None = None
    errors: list[ErrorItem] = []
    try:
        clean = stored or _new_name(session, viewer, name, replace=replace)
    except InputError as exc:
        errors.extend(items_of(exc))
    try:
        portfolio = svc.validate_portfolio(document, source=None)
    except (InputError, InputErrors) as exc:
        errors.extend(items_of(exc))
    return clean, portfolio, tuple(errors)


def _new_name(session: Session, viewer: Viewer, name: str, *, replace: bool) -> str:
    clean = svc.check_portfolio_name(name)
    if not replace and svc.portfolio_exists(session, clean, viewer.user_id):
        raise InputError("name", clean, "a name none of your portfolios has yet (or edit that portfolio)")
    return clean


def _upload(
    request: Request, viewer: Viewer, session: Session, stored: str | None, name: str, file: UploadFile | None
) -> Response:
    try:
        if file is None or not file.filename:
            raise InputError("file", None, "a portfolio.toml file")
        document = read_toml_upload(file.file.read(MAX_UPLOAD_BYTES + 1), file.filename)
    except InputError as exc:
        return render(request, _form_page(request, stored, name, {}, {}, items_of(exc)), status_code=422)
    clean, portfolio, errors = _validate(session, viewer, name, stored, document, replace=True)
    if errors or clean is None or portfolio is None:
        values, rows = values_from_document(document, PORTFOLIO_SECTIONS)
        return render(request, _form_page(request, stored, name, values, rows, errors), status_code=422)
    return _saved(request, session, viewer, clean, portfolio)


def _saved(request: Request, session: Session, viewer: Viewer, name: str, portfolio: Portfolio) -> Response:
    svc.save_portfolio(session, name, portfolio, viewer.user_id)
    flash(request, f"Saved portfolio {name}.")
    return RedirectResponse(str(request.app.url_path_for("fellowship_plan", portfolio=name)), status_code=303)


def _form_page(
    request: Request,
    stored: str | None,
    name: str,
    values: dict[str, Any],
    rows: dict[str, tuple[int, ...]],
    errors: tuple[ErrorItem, ...] = (),
    *,
    extra: dict[str, int] | None = None,
) -> PortfolioFormPage:
    sections, summary = bind(
        values, rows, errors, extra_rows=extra, outside=OUTSIDE, sections=PORTFOLIO_SECTIONS
    )
    url = request.app.url_path_for
    if stored is None:
        action, upload, cancel = url("fellowship_create"), url("fellowship_upload"), url("fellowship")
    else:
        action = url("fellowship_edit", portfolio=stored)
        upload = url("fellowship_replace", portfolio=stored)
        cancel = url("fellowship_plan", portfolio=stored)
    return PortfolioFormPage(
        title=f"Edit portfolio {stored}" if stored else "New portfolio", action=str(action),
        upload_action=str(upload), cancel=str(cancel), portfolio_name=name, name_locked=stored is not None,
        name_errors=tuple(e.message.removeprefix("name: ") for e in errors if e.field == "name"),
        file_errors=tuple(e.message.removeprefix("file: ") for e in errors if e.field == "file"),
        sections=sections, summary=summary,
    )  # fmt: skip


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
    return {"portfolios": svc.list_portfolios(session, viewer.user_id)}


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
    parsed = svc.validate_portfolio(body.portfolio)
    svc.save_portfolio(session, name, parsed, viewer.user_id)
    return {"name": name, "portfolio": parsed.model_dump(mode="json", exclude_none=True)}


@api.delete("/portfolios/{portfolio}")
def api_delete_portfolio(
    viewer: CurrentUserDep, session: SessionDep, portfolio: PortfolioName
) -> dict[str, Any]:
    """Delete a stored portfolio."""
    svc.delete_portfolio(session, portfolio, viewer.user_id, allowed=WEB_HINT)
    return {"deleted": portfolio}


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
    parsed = svc.validate_portfolio(body.portfolio)
    return svc.plan_doc(svc.make_plan(parsed, body.today or parse_today(None)[0]))


router = APIRouter()
router.include_router(pages)
router.include_router(api)
FEATURE = Feature("fellowship", router, nav=(Link("Fellowship", "fellowship"),))
