"""Stored applicant profiles: by name for an owner (the CLI), by id with their owner (the web)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartpick.domain.profile.applicant import Profile
from smartpick.store.documents import NamedDocuments
from smartpick.store.models import ProfileRow


def _key_columns(profile: Profile) -> dict[str, Any]:
    return {
        "applicant_type": profile.applicant.type.value,
        "needs_visa": profile.applicant.needs_visa,
        "target_start_year": profile.applicant.target_start_year,
        "step2_ck": profile.exams.step2_ck,
    }


PROFILES = NamedDocuments(ProfileRow, Profile, _key_columns)


@dataclass(frozen=True)
class ProfileSummary:
    """A stored profile's key columns, for lists."""

    id: int
    owner_id: int | None
    name: str
    applicant_type: str
    step2_ck: int | None
    updated_at: dt.datetime


@dataclass(frozen=True)
class StoredProfile:
    """A stored profile with its identity and owner."""

    id: int
    owner_id: int | None
    name: str
    profile: Profile
    updated_at: dt.datetime


def save_profile(*, session: Session, name: str, profile: Profile, owner_id: int | None = None) -> int:
    """Insert or replace the profile called ``name`` for ``owner_id``; returns its id."""
    return PROFILES.save(session=session, name=name, value=profile, owner_id=owner_id)


def get_profile(*, session: Session, name: str, owner_id: int | None = None) -> Profile | None:
    """The profile called ``name`` for ``owner_id``, or ``None``."""
    return PROFILES.get(session=session, name=name, owner_id=owner_id)


def list_profiles(*, session: Session, owner_id: int | None = None) -> list[str]:
    """Names of the owner's profiles, sorted."""
    return PROFILES.names(session=session, owner_id=owner_id)


def delete_profile(*, session: Session, name: str, owner_id: int | None = None) -> bool:
    """Delete a profile; True when one was deleted."""
    return PROFILES.delete(session=session, name=name, owner_id=owner_id)


def _stored(row: ProfileRow) -> StoredProfile:
    return StoredProfile(row.id, row.owner_id, row.name, PROFILES.to_domain(row), row.updated_at)


def get_stored_profile(*, session: Session, profile_id: int) -> StoredProfile | None:
    """A profile by id, whoever owns it: callers check access (see ``smartpick.services.profiles``)."""
    row = session.get(ProfileRow, profile_id)
    return _stored(row) if row is not None else None


def profile_id_of(*, session: Session, name: str, owner_id: int | None) -> int | None:
    """The id of the owner's profile called ``name``."""
    row = PROFILES.row(session, name, owner_id)
    return int(row.id) if row is not None else None


def _of_owners(owner_ids: Sequence[int | None]) -> Any:
    ids = [o for o in owner_ids if o is not None]
    clauses = [ProfileRow.owner_id.in_(ids)] if ids else []
    if None in owner_ids:
        clauses.append(ProfileRow.owner_id.is_(None))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else clauses[0] | clauses[1]


def _rows_of(session: Session, owner_ids: Sequence[int | None]) -> list[ProfileRow]:
    condition = _of_owners(owner_ids)
    if condition is None:
        return []
    query = select(ProfileRow).where(condition).order_by(ProfileRow.owner_id, ProfileRow.name)
    return list(session.scalars(query))


def list_stored_profiles(*, session: Session, owner_ids: Sequence[int | None]) -> list[ProfileSummary]:
    """Profiles of the given owners (``None`` = the local single user), by owner then name."""
    return [
        ProfileSummary(r.id, r.owner_id, r.name, r.applicant_type, r.step2_ck, r.updated_at)
        for r in _rows_of(session, owner_ids)
    ]


def load_profiles(*, session: Session, owner_ids: Sequence[int | None]) -> list[StoredProfile]:
    """Full stored profiles of the given owners, by owner then name."""
    return [_stored(r) for r in _rows_of(session, owner_ids)]
