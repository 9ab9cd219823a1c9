"""Profiles API (``/api/v1/profiles``) and the stateless profile check (``/api/v1/profile/check``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError, InputErrors
from smartpick.present.toml import profile_toml
from smartpick.services import profiles as profiles_svc
from smartpick.web.deps import CatalogueDep, CurrentUserDep, OwnedProfileDep, ReadableProfileDep, SessionDep
from smartpick.web.errors import items_of
from smartpick.web.pages import Feature
from smartpick.web.profile_views import (
    api_profile,
    standing_json,
    validate_profile,
    visible_profiles,
)

router = APIRouter(prefix="/api/v1", tags=["profiles"])

EXAMPLE_PROFILE: dict[str, Any] = {
    "applicant": {"type": "us_img", "needs_visa": False, "graduation_year": 2025, "target_start_year": 2027},
    "exams": {"step1": "pass", "step2_ck": 238},
}
ProfileDocument = Annotated[
    dict[str, Any],
    Field(
        description="The content of a profile.toml file as JSON (see FORMATS.md).", examples=[EXAMPLE_PROFILE]
    ),
]


class ProfileEnvelope(BaseModel):
    """A profile document in a request."""

    model_config = ConfigDict(extra="forbid")
    profile: ProfileDocument


class NewProfile(ProfileEnvelope):
    """A profile to store under a name."""

    name: Annotated[str, Field(min_length=1, max_length=100, description="Name to store it under.")]


def validated_profile(document: dict[str, Any], catalogue: Any) -> Profile:
    """A profile document from a request body, with errors located inside the body (``profile.…``)."""
    try:
        return validate_profile(document, catalogue)
    except (InputError, InputErrors) as exc:  # locate each field inside the request body
        errors = [InputError(i.field, i.value, i.allowed) for i in items_of(exc, prefix="profile")]
        raise InputErrors(errors) from None


@router.post("/profile/check")
def check_profile(body: ProfileEnvelope, _: CurrentUserDep, catalogue: CatalogueDep) -> dict[str, Any]:
    """Validate a profile and summarise it, as ``smartpick profile check --format json``."""
    return standing_json(validated_profile(body.profile, catalogue))


@router.get("/profiles")
def list_profiles(viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """The viewer's profiles, and (for advisors) those shared with them."""
    own, shared = visible_profiles(session, viewer)
    cards = [*own, *(c for group in shared for c in group.profiles)]
    return {"profiles": [vars(c) | {"updated_at": c.updated_at.isoformat()} for c in cards]}


@router.post("/profiles", status_code=201)
def create_profile(
    body: NewProfile, viewer: CurrentUserDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Store a new profile; the name must be new for this user."""
    allowed = "a name none of your profiles has yet (PUT to replace that one)"
    name = profiles_svc.new_profile_name(session, body.name, viewer.user_id, allowed)
    profile = validated_profile(body.profile, catalogue)
    return api_profile(profiles_svc.save_profile(session, name, profile, viewer.user_id))


@router.get("/profiles/{profile_id}")
def get_profile(stored: ReadableProfileDep, viewer: CurrentUserDep, session: SessionDep) -> dict[str, Any]:
    """One profile with its standing."""
    return api_profile(stored, profiles_svc.owner_name(session, stored, viewer.user_id))


@router.put("/profiles/{profile_id}")
def replace_profile(
    body: ProfileEnvelope, stored: OwnedProfileDep, session: SessionDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Replace a profile's content (its name stays)."""
    profile = validated_profile(body.profile, catalogue)
    return api_profile(profiles_svc.save_profile(session, stored.name, profile, stored.owner_id))


@router.delete("/profiles/{profile_id}", status_code=204)
def delete_profile(stored: OwnedProfileDep, session: SessionDep) -> Response:
    """Delete a profile for good."""
    profiles_svc.delete_profile(session, stored)
    return Response(status_code=204)


@router.get("/profiles/{profile_id}/toml", response_class=Response)
def download_profile(stored: ReadableProfileDep) -> Response:
    """The profile as a ``profile.toml`` file."""
    return Response(profile_toml(stored.profile), media_type="application/toml")


FEATURE = Feature("api-profiles", router)
