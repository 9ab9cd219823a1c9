"""The dashboard (``/``), the health check and ``/api/v1/me``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from smartpick.domain.catalogue.programs import Catalogue, ImgFriendliness
from smartpick.web.deps import CatalogueDep, CurrentUserDep, SessionDep
from smartpick.web.pages import Feature, Link, Page, render
from smartpick.web.profile_views import ProfileCard, SharedGroup, visible_profiles

router = APIRouter()


@dataclass(frozen=True)
class CatalogueSummary:
    """What the catalogue knows, and how much of it is still unknown."""

    version: str
    date: str
    programs: int
    states: int
    visa_yes: int
    visa_unknown: int
    img_friendly: int
    img_unknown: int
    positions_known: int
    positions_estimated: int


@dataclass(frozen=True)
class DashboardPage(Page):
    """``/``: the viewer's profiles and the state of the data."""

    template = "home.html"
    username: str
    is_advisor: bool
    profiles: tuple[ProfileCard, ...]
    shared: tuple[SharedGroup, ...]
    catalogue: CatalogueSummary


def catalogue_summary(catalogue: Catalogue) -> CatalogueSummary:
    """Counts of known, unknown and estimated facts."""
    ps = catalogue.programs
    friendly = (ImgFriendliness.HIGH, ImgFriendliness.MEDIUM)
    return CatalogueSummary(
        version=catalogue.version, date=catalogue.date, programs=len(ps),
        states=len({p.state.value for p in ps if p.state.value}),
        visa_yes=sum(p.sponsors_visa is True for p in ps),
        visa_unknown=sum(p.sponsors_visa is None for p in ps),
        img_friendly=sum(p.img_friendliness in friendly for p in ps),
        img_unknown=sum(p.img_friendliness is ImgFriendliness.UNKNOWN for p in ps),
        positions_known=sum(p.positions is not None for p in ps),
        positions_estimated=sum(p.positions is not None and p.positions_estimated for p in ps),
    )  # fmt: skip


@router.get("/", name="home", include_in_schema=False)
def home(request: Request, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep) -> Response:
    """The dashboard."""
    own, shared = visible_profiles(session, viewer)
    page = DashboardPage(
        title="Dashboard", username=viewer.username, is_advisor=viewer.is_advisor,
        profiles=own, shared=shared, catalogue=catalogue_summary(catalogue),
    )  # fmt: skip
    return render(request, page)


@router.get("/healthz", include_in_schema=False)
def health() -> dict[str, str]:
    """Liveness check for load balancers and test fixtures."""
    return {"status": "ok"}


@router.get("/api/v1/me", tags=["accounts"])
def api_me(viewer: CurrentUserDep) -> dict[str, Any]:
    """Who is signed in (the local user in single-user mode)."""
    return {"id": viewer.user_id, "username": viewer.username, "role": viewer.role.value}


FEATURE = Feature("home", router, nav=(Link("Dashboard", "home"),))
