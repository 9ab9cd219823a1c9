"""Sharing with advisors (multi-user mode): applicants grant and revoke read access to their profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from smartpick.errors import InputError, NotFoundError
from smartpick.store import web_repo
from smartpick.store.web_repo import Role, User
from smartpick.web.deps import CurrentUserDep, SessionDep, Viewer
from smartpick.web.pages import Feature, Link, Page, flash, render

router = APIRouter()
AdvisorName = Annotated[str, Form(max_length=100)]


@dataclass(frozen=True)
class SharingPage(Page):
    """``/sharing``: who can read the viewer's profiles, or whose profiles the viewer can read."""

    template = "sharing.html"
    role: str
    advisors: tuple[str, ...]
    applicants: tuple[str, ...]


def _advisor(session: Session, viewer: Viewer, username: str) -> User:
    user = web_repo.find_user(session=session, username=username.strip().lower())
    if user is None or user.role is not Role.ADVISOR or user.id == viewer.user_id:
        raise InputError("advisor", username, "the username of an advisor's account")
    return user


def grant(session: Session, viewer: Viewer, username: str) -> User:
    """Share all the viewer's profiles with an advisor."""
    if viewer.user_id is None or viewer.is_advisor:
        raise InputError("advisor", username, "sharing is for applicants' accounts")
    advisor = _advisor(session, viewer, username)
    web_repo.grant_share(session=session, applicant_id=viewer.user_id, advisor_id=advisor.id)
    return advisor


def revoke(session: Session, viewer: Viewer, username: str) -> None:
    """Withdraw an advisor's access.

    Raises:
        NotFoundError: the viewer does not share with this advisor.
    """
    user = web_repo.find_user(session=session, username=username.strip().lower())
    removed = (
        user is not None
        and viewer.user_id is not None
        and web_repo.revoke_share(session=session, applicant_id=viewer.user_id, advisor_id=user.id)
    )
    if not removed:
        raise NotFoundError("advisor", username, "an advisor you share with")


def sharing_page(session: Session, viewer: Viewer) -> SharingPage:
    """The sharing page for the viewer."""
    uid = viewer.user_id
    advisors = web_repo.advisors_of(session=session, applicant_id=uid) if uid is not None else []
    applicants = web_repo.applicants_of(session=session, advisor_id=uid) if uid is not None else []
    return SharingPage(
        title="Sharing", role=viewer.role.value,
        advisors=tuple(a.username for a in advisors), applicants=tuple(a.username for a in applicants),
    )  # fmt: skip


@router.get("/sharing", name="sharing", include_in_schema=False)
def sharing(request: Request, viewer: CurrentUserDep, session: SessionDep) -> Response:
    """Who can read your profiles."""
    return render(request, sharing_page(session, viewer))


@router.post("/sharing", name="sharing_grant", include_in_schema=False)
def sharing_grant(
    request: Request, viewer: CurrentUserDep, session: SessionDep, advisor: AdvisorName = ""
) -> Response:
    """Share with an advisor."""
    user = grant(session, viewer, advisor)
    flash(request, f"{user.username} can now read your profiles.")
    return RedirectResponse(str(request.app.url_path_for("sharing")), status_code=303)


@router.post("/sharing/revoke", name="sharing_revoke", include_in_schema=False)
def sharing_revoke(
    request: Request, viewer: CurrentUserDep, session: SessionDep, advisor: AdvisorName = ""
) -> Response:
    """Stop sharing with an advisor."""
    revoke(session, viewer, advisor)
    flash(request, f"{advisor} can no longer read your profiles.")
    return RedirectResponse(str(request.app.url_path_for("sharing")), status_code=303)


class ShareRequest(BaseModel):
    """An advisor to share with."""

    model_config = ConfigDict(extra="forbid")
    advisor: Annotated[str, Field(min_length=1, max_length=64, description="The advisor's username.")]


@router.get("/api/v1/shares", tags=["sharing"])
def api_shares(viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Advisors you share with, and applicants who share with you."""
    page = sharing_page(session, viewer)
    return {"advisors": list(page.advisors), "applicants": list(page.applicants)}


@router.post("/api/v1/shares", status_code=201, tags=["sharing"])
def api_grant(body: ShareRequest, viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Share all your profiles with an advisor."""
    return {"advisor": grant(session, viewer, body.advisor).username}


@router.delete("/api/v1/shares/{advisor}", status_code=204, tags=["sharing"])
def api_revoke(
    viewer: CurrentUserDep, session: SessionDep, advisor: Annotated[str, Path(min_length=1, max_length=64)]
) -> Response:
    """Stop sharing with an advisor."""
    revoke(session, viewer, advisor)
    return Response(status_code=204)


FEATURE = Feature("sharing", router, nav=(Link("Sharing", "sharing"),), multi_only=True)
