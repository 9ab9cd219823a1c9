"""Profiles as pages and API answers show them, and the one way to validate a submitted profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.profile.as_of import check_as_of
from smartpick.domain.profile.standing import assess
from smartpick.domain.validation import parse_model
from smartpick.services import profiles as profiles_svc
from smartpick.services.profiles import StoredProfile, check_references, current_date
from smartpick.services.standing import BAND_TEXT, standing_doc
from smartpick.web.deps import Viewer


def validate_profile(document: Mapping[str, Any], catalogue: Catalogue) -> Profile:
    """A profile document validated like ``smartpick profile check`` does (model, program ids, dates).

    Raises:
        InputErrors: every problem, each naming its key path (a practice test dated after today too).
    """
    profile = parse_model(Profile, document)
    check_references(profile, catalogue)
    return check_as_of(profile, current_date())


def standing_json(profile: Profile) -> dict[str, Any]:
    """The standing as ``smartpick profile check --format json`` prints it."""
    return {"valid": True, "applicant_type": profile.applicant.type.value, **standing_doc(assess(profile))}


@dataclass(frozen=True)
class FlagView:
    """A red flag."""

    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class StandingView:
    """Where the applicant stands."""

    band: str
    band_meaning: str
    step2_ck: int | None
    red_flags: tuple[FlagView, ...]
    missing: tuple[str, ...]
    strengths: tuple[str, ...]


def standing_view(profile: Profile) -> StandingView:
    """The standing of a profile, for a page."""
    s = assess(profile)
    flags = tuple(FlagView(f.code, f.severity.value, f.message) for f in s.red_flags)
    return StandingView(s.band.value, BAND_TEXT[s.band.value], s.step2_ck, flags, s.missing, s.strengths)


@dataclass(frozen=True)
class ProfileCard:
    """A stored profile in a list."""

    id: int
    name: str
    owner: str | None
    applicant_type: str
    step2_ck: int | None
    band: str
    red_flags: int
    missing: int
    updated_at: dt.datetime
    person: str | None = None
    """The applicant's own name from the profile (``applicant.name``), when given."""


def profile_card(stored: StoredProfile, owner: str | None = None) -> ProfileCard:
    """A list entry for a stored profile."""
    s = assess(stored.profile)
    return ProfileCard(
        stored.id, stored.name, owner, stored.profile.applicant.type.value, s.step2_ck, s.band.value,
        len(s.red_flags), len(s.missing), stored.updated_at, stored.profile.applicant.name,
    )  # fmt: skip


def api_profile(stored: StoredProfile, owner: str | None = None) -> dict[str, Any]:
    """A stored profile as the API returns it."""
    return {
        "id": stored.id,
        "name": stored.name,
        "owner": owner,
        "updated_at": stored.updated_at.isoformat(),
        "profile": stored.profile.model_dump(mode="json", exclude_none=True),
        "standing": standing_json(stored.profile),
    }


@dataclass(frozen=True)
class SharedGroup:
    """Profiles an applicant shares with the viewing advisor."""

    username: str
    profiles: tuple[ProfileCard, ...]


def visible_profiles(
    session: Session, viewer: Viewer
) -> tuple[tuple[ProfileCard, ...], tuple[SharedGroup, ...]]:
    """The viewer's own profiles, and those shared with the viewer (as an advisor), grouped by applicant."""
    own = tuple(profile_card(p) for p in profiles_svc.own_profiles(session, viewer.user_id))
    groups = tuple(
        SharedGroup(g.applicant.username, tuple(profile_card(p, g.applicant.username) for p in g.profiles))
        for g in profiles_svc.shared_profiles(session, viewer.user_id)
    )
    return own, groups
