"""Applicant profiles: load and check files, and the stored profiles of an owner (by name or by id).

Stored profiles are owner-aware: ``owner_id`` is a user id, or ``None`` for the local single user (the CLI).
Reading by id checks access here, once: owners, and advisors the owner shares with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.profile.as_of import check_as_of
from smartpick.domain.profile.standing import Standing, assess
from smartpick.errors import InputError, InputErrors, NotFoundError
from smartpick.services.accounts import User, get_user
from smartpick.services.files import load_model
from smartpick.services.sharing import applicants_of, can_read
from smartpick.store import profiles as store
from smartpick.store.profiles import ProfileSummary, StoredProfile

__all__ = ["ProfileSummary", "StoredProfile"]

PROFILE_NAME_MAX = 100


def check_profile_name(name: str, field: str = "--name") -> str:
    """A stored profile's name, trimmed.

    Raises:
        InputError: empty, longer than 100 characters, or with control characters.
    """
    clean = name.strip()
    if not clean or len(clean) > PROFILE_NAME_MAX or any(ord(c) < 32 or ord(c) == 127 for c in clean):
        raise InputError(field, name, f"1 to {PROFILE_NAME_MAX} printable characters")
    return clean


def load_profile(path: Path, catalogue: Catalogue, today: dt.date | None = None) -> Profile:
    """Read ``profile.toml``, validate it, and check its program references against the catalogue.

    Practice tests must be dated on or before ``today`` (default: the current UTC date).
    """
    profile = load_model(Profile, path)
    check_references(profile, catalogue, source=str(path))
    return check_as_of(profile, today or current_date(), source=str(path))


def current_date() -> dt.date:
    """Today's date in UTC: what "today" means when no ``--today`` is given."""
    return dt.datetime.now(dt.UTC).date()


def check_references(profile: Profile, catalogue: Catalogue, *, source: str | None = None) -> None:
    """Every rotation's ``program`` must be a catalogue id (or use ``site`` for others)."""
    errors = [
        InputError(
            f"rotations[{i}].program",
            r.program,
            'a catalogue program id (see `smartpick programs search`), or use `site = "name"`',
            source=source,
        )
        for i, r in enumerate(profile.rotations)
        if r.program is not None and catalogue.get(r.program) is None
    ]
    if errors:
        raise InputErrors(errors, source=source)


def check_profile(path: Path, catalogue: Catalogue) -> tuple[Profile, Standing]:
    """Validate a profile file and assess it."""
    profile = load_profile(path, catalogue)
    return profile, assess(profile)


def saved_profile(session: Session, name: str, owner_id: int | None = None) -> Profile | None:
    """The owner's profile called ``name``, or ``None``."""
    return store.get_profile(session=session, name=name, owner_id=owner_id)


def saved_names(session: Session, owner_id: int | None = None) -> list[str]:
    """Names of the owner's profiles, sorted."""
    return store.list_profiles(session=session, owner_id=owner_id)


def save_profile(session: Session, name: str, profile: Profile, owner_id: int | None = None) -> StoredProfile:
    """Store (or replace) the owner's profile called ``name``."""
    profile_id = store.save_profile(session=session, name=name, profile=profile, owner_id=owner_id)
    stored = store.get_stored_profile(session=session, profile_id=profile_id)
    assert stored is not None  # written just above, in this transaction
    return stored


def delete_profile(session: Session, stored: StoredProfile) -> None:
    """Delete a stored profile for good (its plan progress goes with it)."""
    store.delete_profile(session=session, name=stored.name, owner_id=stored.owner_id)


def new_profile_name(session: Session, name: str, owner_id: int | None, allowed: str) -> str:
    """A checked name that none of the owner's profiles has yet.

    Raises:
        InputError: a bad name, or one in use (``allowed`` says what to do instead).
    """
    clean = check_profile_name(name, field="name")
    if store.profile_id_of(session=session, name=clean, owner_id=owner_id) is not None:
        raise InputError("name", clean, allowed)
    return clean


def _missing(profile_id: int) -> NotFoundError:
    return NotFoundError("profile_id", profile_id, "the id of a profile you own or that was shared with you")


def readable_profile(session: Session, profile_id: int, viewer_id: int | None) -> StoredProfile:
    """The profile if the viewer may read it (owner, or an advisor shared with).

    Raises:
        NotFoundError: no such profile, or not readable by the viewer (the same answer, so ids do not leak).
    """
    stored = store.get_stored_profile(session=session, profile_id=profile_id)
    if stored is None or not can_read(session, viewer_id, stored.owner_id):
        raise _missing(profile_id)
    return stored


def owned_profile(session: Session, profile_id: int, owner_id: int | None) -> StoredProfile:
    """The profile if ``owner_id`` owns it (advisors cannot change shared profiles).

    Raises:
        NotFoundError: no such profile, or someone else's.
    """
    stored = store.get_stored_profile(session=session, profile_id=profile_id)
    if stored is None or stored.owner_id != owner_id:
        raise _missing(profile_id)
    return stored


def own_profiles(session: Session, owner_id: int | None) -> list[StoredProfile]:
    """The owner's stored profiles, by name."""
    return store.load_profiles(session=session, owner_ids=[owner_id])


def own_summaries(session: Session, owner_id: int | None) -> list[ProfileSummary]:
    """The owner's stored profiles' key columns, by name."""
    return store.list_stored_profiles(session=session, owner_ids=[owner_id])


@dataclass(frozen=True)
class SharedProfiles:
    """The profiles one applicant shares with an advisor."""

    applicant: User
    profiles: tuple[StoredProfile, ...]


def shared_profiles(session: Session, advisor_id: int | None) -> list[SharedProfiles]:
    """Profiles shared with the advisor, grouped by applicant (by username)."""
    applicants = applicants_of(session, advisor_id)
    stored = store.load_profiles(session=session, owner_ids=[a.id for a in applicants])
    return [SharedProfiles(a, tuple(p for p in stored if p.owner_id == a.id)) for a in applicants]


def owner_name(session: Session, stored: StoredProfile, viewer_id: int | None) -> str | None:
    """The owner's username when the viewer reads someone else's profile, else ``None``."""
    if stored.owner_id is None or stored.owner_id == viewer_id:
        return None
    user = get_user(session, stored.owner_id)
    return user.username if user else None
