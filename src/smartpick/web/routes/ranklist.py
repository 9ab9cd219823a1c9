"""Rank-list builder: scores -> true preference order, supplemental PGY-1 lists, checks, P(match)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.ranking import RankList, RankPreferences, build_rank_list
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError
from smartpick.present.ranklist import report_doc
from smartpick.services import profiles as profiles_svc
from smartpick.services import ranking as ranking_svc
from smartpick.services import tracker as tracker_svc
from smartpick.services.ranking import catalogue_id
from smartpick.web.deps import CatalogueDep, CurrentUserDep, FormDep, SessionDep, Viewer
from smartpick.web.pages import Feature, Link, Page, flash, render
from smartpick.web.routes.api_profiles import ProfileDocument, validated_profile
from smartpick.web.tracker_views import PROGRAM_ALLOWED, program_id

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["rank list"])
ProfileQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Profile for default chances.")]


@dataclass(frozen=True)
class PreferenceRow:
    """One program in the preferences form."""

    id: str
    name: str
    interviewed: bool
    score: float | None
    chance: float | None
    would_attend: bool
    supplemental: str


@dataclass(frozen=True)
class RankRow:
    """One rank with its share of the match probability (estimates)."""

    rank: int
    program: str
    name: str
    supplemental: tuple[str, ...]
    chance: float
    chance_source: str
    p_match_here: float
    cumulative: float


@dataclass(frozen=True)
class ProblemView:
    """One check result."""

    code: str
    severity: str
    program: str | None
    message: str


@dataclass(frozen=True)
class RankListPage(Page):
    """``/ranklist``: the preferences form and the list built from it."""

    template = "ranklist.html"
    preferences: tuple[PreferenceRow, ...]
    pgy1: str
    ranks: tuple[RankRow, ...]
    problems: tuple[ProblemView, ...]
    probability: float | None
    method: str
    profile_name: str | None


def _profile(session: Session, viewer: Viewer, profile_id: int | None) -> tuple[Profile | None, str | None]:
    """The chosen (or first) own profile: its applicant type sets the default chances."""
    own = profiles_svc.own_profiles(session, viewer.user_id)
    chosen = next((p for p in own if p.id == profile_id), None) if profile_id else (own[0] if own else None)
    if profile_id and chosen is None:
        raise InputError("profile", profile_id, "the id of one of your profiles")
    return (chosen.profile, chosen.name) if chosen else (None, None)


def _preference_rows(session: Session, viewer: Viewer, catalogue: Catalogue) -> tuple[PreferenceRow, ...]:
    prefs = ranking_svc.stored_preferences(session, viewer.user_id)
    log = tracker_svc.stored_log(session, viewer.user_id, catalogue)
    interviewed = [catalogue_id(p, catalogue) for p in log.interviewed_programs()]
    listed = [p.id for p in prefs.program] if prefs else []
    rows = []
    for ref in dict.fromkeys([*listed, *interviewed]):
        pref = prefs.get(ref) if prefs else None
        found = catalogue.get(ref)
        rows.append(PreferenceRow(
            ref, found.name if found else "", ref in interviewed, pref.score if pref else None,
            pref.chance if pref else None, pref.would_attend if pref else True,
            ", ".join(pref.supplemental or ()) if pref else "",
        ))  # fmt: skip
    return tuple(rows)


@pages.get("/ranklist", name="ranklist")
def ranklist_page(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    profile: ProfileQuery = None,
) -> Response:
    """Score the interviewed programs; see the list in true preference order, its checks and P(match)."""
    chosen, name = _profile(session, viewer, profile)
    report = ranking_svc.stored_report(session, viewer.user_id, catalogue, chosen)
    doc = report_doc(report, catalogue) if report else None
    prefs = ranking_svc.stored_preferences(session, viewer.user_id)
    ranks = tuple(
        RankRow(r["position"], r["program"], r["name"] or "", tuple(r["supplemental"]), r["chance"],
                r["chance_source"], r["p_match_here"], r["cumulative"])
        for r in (doc["rank"] if doc else ())
    )  # fmt: skip
    page = RankListPage(
        title="Rank list", preferences=_preference_rows(session, viewer, catalogue),
        pgy1="\n".join(_pgy1_line(p.id, p.score, p.state) for p in (prefs.pgy1 if prefs else ())),
        ranks=ranks, problems=tuple(ProblemView(**p) for p in (doc["problems"] if doc else ())),
        probability=report.estimate.probability if report else None,
        method=report.estimate.method if report else "", profile_name=name,
    )  # fmt: skip
    return render(request, page)


def _pgy1_line(ref: str, score: float | None, state: str | None) -> str:
    """A PGY-1 program as the textarea shows it: ``id, score, state``."""
    parts = [ref, f"{score:g}" if score is not None else "", state or ""]
    while not parts[-1]:  # keep positions: "id, , IL" when only the state is known
        parts.pop()
    return ", ".join(parts)


def _number(text: str, field: str, lo: float, hi: float) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not lo <= value <= hi:
        raise InputError(field, text, f"a number from {lo:g} to {hi:g}, or empty")
    return value


def preferences_from_form(form: dict[str, list[str]], catalogue: Catalogue) -> dict[str, Any]:
    """A ``rank-preferences`` document from the builder form (``score.<id>``, ``chance.<id>``, ...)."""
    programs = []
    for ref in form.get("program", []):
        pid = program_id(ref, catalogue, field=f"program {ref}")
        entry: dict[str, Any] = {"id": pid, "would_attend": f"attend.{ref}" in form}
        for key, lo, hi in (("score", 0, 100), ("chance", 0, 1)):
            value = _number((form.get(f"{key}.{ref}") or [""])[0], f"{key}.{ref}", lo, hi)
            if value is not None:
                entry[key] = value
        supplemental = [
            s.strip() for s in (form.get(f"supplemental.{ref}") or [""])[0].split(",") if s.strip()
        ]
        if supplemental:
            entry["supplemental"] = supplemental
        programs.append(entry)
    pgy1 = []
    for n, line in enumerate((form.get("pgy1") or [""])[0].splitlines(), start=1):
        parts = [p.strip() for p in line.split(",")]
        if not parts[0]:
            continue
        item: dict[str, Any] = {"id": parts[0]}
        if len(parts) > 1 and parts[1]:
            item["score"] = _number(parts[1], f"pgy1 line {n}", 0, 100)
        if len(parts) > 2 and parts[2]:
            item["state"] = parts[2].upper()
        pgy1.append(item)
    return {"program": programs, "pgy1": pgy1}


def save_preferences(
    session: Session, viewer: Viewer, catalogue: Catalogue, document: dict[str, Any]
) -> RankList:
    """Validate and store the viewer's preferences; returns the list they build.

    Raises:
        InputErrors: the preferences do not validate (or contradict themselves).
    """
    return ranking_svc.save_preferences(session, viewer.user_id, catalogue, document, PROGRAM_ALLOWED)


@pages.post("/ranklist", name="ranklist_save")
def ranklist_save(
    request: Request, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, form: FormDep
) -> Response:
    """Store the scores and PGY-1 programs; show the list built from them."""
    if not form.get("program"):
        raise InputError("program", None, "at least one interviewed program (log interviews on the tracker)")
    save_preferences(session, viewer, catalogue, preferences_from_form(form, catalogue))
    flash(request, "Rank list rebuilt from your scores.")
    return RedirectResponse(str(request.app.url_path_for("ranklist")) + "#list-title", status_code=303)


@pages.get("/ranklist/ranklist.toml", name="ranklist_download")
def ranklist_download(viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep) -> Response:
    """The built list as ``ranklist.toml``."""
    prefs = ranking_svc.stored_preferences(session, viewer.user_id)
    if prefs is None:
        raise InputError(
            "preferences", None, "scores for your interviewed programs (save the builder form first)"
        )
    body = ranking_svc.rank_list_to_toml(build_rank_list(prefs, catalogue))
    headers = {"Content-Disposition": 'attachment; filename="ranklist.toml"'}
    return Response(body, media_type="application/toml", headers=headers)


# ---- API ----


@api.get("/ranklist")
def api_ranklist(
    viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep, profile: ProfileQuery = None
) -> dict[str, Any]:
    """The viewer's stored preferences and the list, checks and P(match) estimate built from them."""
    chosen, _ = _profile(session, viewer, profile)
    report = ranking_svc.stored_report(session, viewer.user_id, catalogue, chosen)
    prefs = ranking_svc.preferences_document(session, viewer.user_id)
    return {"preferences": prefs, **(report_doc(report, catalogue) if report else {})}


class PreferencesBody(BaseModel):
    """``rank-preferences.toml`` as JSON: ``program`` (id, score, chance, ...), ``pgy1``, ``pairwise``."""

    model_config = ConfigDict(extra="forbid")
    preferences: dict[str, Any]


@api.put("/ranklist/preferences")
def api_save_preferences(
    body: PreferencesBody, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Store the viewer's preferences; returns the built list, checks and P(match) estimate."""
    save_preferences(session, viewer, catalogue, body.preferences)
    return api_ranklist(viewer, session, catalogue)


class CheckBody(BaseModel):
    """A rank list to check (``ranklist.toml`` as JSON), optionally with preferences and a profile."""

    model_config = ConfigDict(extra="forbid")
    rank_list: dict[str, Any]
    preferences: dict[str, Any] | None = None
    profile: ProfileDocument | None = None


@api.post("/ranklist/check")
def api_check(
    body: CheckBody, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Check a rank list sent in the request against the viewer's interviews; nothing is stored."""
    rank_list = parse_model(RankList, body.rank_list, source="rank_list")
    ranking_svc.check_rank_list_refs(
        rank_list, catalogue, prefix="rank_list.", allowed="a catalogue program id"
    )
    prefs = parse_model(RankPreferences, body.preferences, source="preferences") if body.preferences else None
    profile = validated_profile(body.profile, catalogue) if body.profile else None
    log = tracker_svc.stored_log(session, viewer.user_id, catalogue)
    report = ranking_svc.report(rank_list, catalogue, prefs=prefs, log=log, profile=profile)
    return report_doc(report, catalogue)


router = APIRouter()
router.include_router(pages)
router.include_router(api)
FEATURE = Feature("ranklist", router, nav=(Link("Rank list", "ranklist"),))
