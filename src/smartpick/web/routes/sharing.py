"""Sharing with advisors (multi-user mode): applicants invite advisors and revoke their read access.

An applicant creates a one-time invitation code (or link) and gives it to the advisor they mean; the
advisor's account redeems it. Nobody gains access by choosing a role or a look-alike username.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from smartpick.services import sharing as sharing_svc
from smartpick.web.deps import CurrentUserDep, SessionDep, Viewer
from smartpick.web.pages import Feature, Link, Page, flash, render

router = APIRouter()
AdvisorName = Annotated[str, Form(max_length=100)]
CodeField = Annotated[str, Form(max_length=200)]


@dataclass(frozen=True)
class SharingPage(Page):
    """``/sharing``: who can read the viewer's profiles, and whose profiles the viewer can read."""

    template = "sharing.html"
    role: str
    advisors: tuple[str, ...]
    applicants: tuple[str, ...]
    invite_code: str = ""
    invite_link: str = ""
    invite_expires: str = ""
    code: str = ""


@dataclass(frozen=True)
class Invite:
    """A new invitation: the code (shown once), the link that carries it, and when it expires."""

    code: str
    link: str
    expires: dt.datetime


def invite(request: Request, session: Session, viewer: Viewer) -> Invite:
    """Create a one-time code that lets one advisor read all the viewer's profiles."""
    code, expires = sharing_svc.create_invite(session, viewer.user_id, dt.datetime.now(dt.UTC))
    link = str(request.url_for("sharing_redeem_page").include_query_params(code=code))
    return Invite(code, link, expires)


def sharing_page(session: Session, viewer: Viewer, **extra: str) -> SharingPage:
    """The sharing page for the viewer."""
    advisors = sharing_svc.advisors_of(session, viewer.user_id)
    applicants = sharing_svc.applicants_of(session, viewer.user_id)
    return SharingPage(
        title="Sharing", role=viewer.role.value,
        advisors=tuple(a.username for a in advisors), applicants=tuple(a.username for a in applicants),
        **extra,
    )  # fmt: skip


@router.get("/sharing", name="sharing", include_in_schema=False)
def sharing(request: Request, viewer: CurrentUserDep, session: SessionDep) -> Response:
    """Who can read your profiles."""
    return render(request, sharing_page(session, viewer))


@router.post("/sharing/invite", name="sharing_invite", include_in_schema=False)
def sharing_invite(request: Request, viewer: CurrentUserDep, session: SessionDep) -> Response:
    """Create an invitation code to give to an advisor."""
    new = invite(request, session, viewer)
    page = sharing_page(
        session,
        viewer,
        invite_code=new.code,
        invite_link=new.link,
        invite_expires=new.expires.date().isoformat(),
    )
    return render(request, page, status_code=201)


@router.get("/sharing/redeem", name="sharing_redeem_page", include_in_schema=False)
def sharing_redeem_page(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    code: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The sharing page with an invitation code ready to accept (nothing changes until it is sent)."""
    return render(request, sharing_page(session, viewer, code=code.strip()))


@router.post("/sharing/redeem", name="sharing_redeem", include_in_schema=False)
def sharing_redeem(
    request: Request, viewer: CurrentUserDep, session: SessionDep, code: CodeField = ""
) -> Response:
    """Accept an applicant's invitation."""
    applicant = sharing_svc.redeem(session, viewer.user_id, code, dt.datetime.now(dt.UTC))
    flash(request, f"You can now read {applicant.username}'s profiles.")
    return RedirectResponse(str(request.app.url_path_for("sharing")), status_code=303)


@router.post("/sharing/revoke", name="sharing_revoke", include_in_schema=False)
def sharing_revoke(
    request: Request, viewer: CurrentUserDep, session: SessionDep, advisor: AdvisorName = ""
) -> Response:
    """Stop sharing with an advisor."""
    sharing_svc.revoke(session, viewer.user_id, advisor)
    flash(request, f"{advisor} can no longer read your profiles.")
    return RedirectResponse(str(request.app.url_path_for("sharing")), status_code=303)


class RedeemRequest(BaseModel):
    """An invitation code to accept."""

    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, Field(min_length=1, max_length=200, description="The code an applicant gave you.")]


@router.get("/api/v1/shares", tags=["sharing"])
def api_shares(viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Advisors you share with, and applicants who share with you."""
    page = sharing_page(session, viewer)
    return {"advisors": list(page.advisors), "applicants": list(page.applicants)}


@router.post("/api/v1/shares/invites", status_code=201, tags=["sharing"])
def api_invite(request: Request, viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Create a one-time invitation code (valid 7 days) that lets one advisor read your profiles."""
    new = invite(request, session, viewer)
    return {"code": new.code, "link": new.link, "expires": new.expires.isoformat()}


@router.post("/api/v1/shares/redeem", tags=["sharing"])
def api_redeem(body: RedeemRequest, viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """Accept an applicant's invitation code; returns the applicant whose profiles you can now read."""
    applicant = sharing_svc.redeem(session, viewer.user_id, body.code, dt.datetime.now(dt.UTC))
    return {"applicant": applicant.username}


@router.delete("/api/v1/shares/{advisor}", status_code=204, tags=["sharing"])
def api_revoke(
    viewer: CurrentUserDep, session: SessionDep, advisor: Annotated[str, Path(min_length=1, max_length=64)]
) -> Response:
    """Stop sharing with an advisor."""
    sharing_svc.revoke(session, viewer.user_id, advisor)
    return Response(status_code=204)


FEATURE = Feature("sharing", router, nav=(Link("Sharing", "sharing"),), multi_only=True)
