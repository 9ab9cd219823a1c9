"""Repository of the web app: accounts, advisor shares, profiles by id, plan progress, rank preferences.

Keyword-only functions; plain frozen records out, ORM rows stay here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.store.models import FactImportRow, ProfileRow, utcnow
from smartpick.store.repo import profile_to_domain
from smartpick.store.web_models import RankPreferencesRow, ShareInviteRow, ShareRow, TaskStatusRow, UserRow


class Role(StrEnum):
    """What an account may do: applicants own profiles, advisors read what was shared with them."""

    APPLICANT = "applicant"
    ADVISOR = "advisor"


@dataclass(frozen=True)
class User:
    """An account (never carries the password hash)."""

    id: int
    username: str
    role: Role
    session_version: int


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


def _user(row: UserRow) -> User:
    return User(row.id, row.username, Role(row.role), row.session_version)


def create_user(*, session: Session, username: str, password_hash: str, role: Role) -> User:
    """Add an account; the username must be free.

    Raises:
        InputError: the username is taken.
    """
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise InputError("username", username, "a username nobody uses yet")
    row = UserRow(
        username=username,
        password_hash=password_hash,
        role=role.value,
        session_version=1,
        created_at=utcnow(),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # a concurrent sign-up took the name between the check and the insert
        session.rollback()
        raise InputError("username", username, "a username nobody uses yet") from None
    return _user(row)


def get_user(*, session: Session, user_id: int) -> User | None:
    """The account with this id, or ``None``."""
    row = session.get(UserRow, user_id)
    return _user(row) if row else None


def find_user(*, session: Session, username: str) -> User | None:
    """The account with this username, or ``None``."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return _user(row) if row else None


def credentials(*, session: Session, username: str) -> tuple[User, str] | None:
    """The account and its password hash, for login only."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return (_user(row), row.password_hash) if row else None


def set_password_hash(*, session: Session, user_id: int, password_hash: str) -> None:
    """Replace a password hash (after a rehash with newer parameters)."""
    row = session.get(UserRow, user_id)
    if row is not None:
        row.password_hash = password_hash


def end_sessions(*, session: Session, user_id: int) -> None:
    """Invalidate every session cookie issued to this account so far."""
    row = session.get(UserRow, user_id)
    if row is not None:
        row.session_version += 1


def grant_share(*, session: Session, applicant_id: int, advisor_id: int) -> bool:
    """Let an advisor read the applicant's profiles; False when already shared."""
    found = session.scalar(
        select(ShareRow.id).where(ShareRow.applicant_id == applicant_id, ShareRow.advisor_id == advisor_id)
    )
    if found is not None:
        return False
    session.add(ShareRow(applicant_id=applicant_id, advisor_id=advisor_id, created_at=utcnow()))
    session.flush()
    return True


def create_invite(*, session: Session, applicant_id: int, code_hash: str, expires_at: dt.datetime) -> None:
    """Store an advisor invitation (by the hash of its code)."""
    session.add(
        ShareInviteRow(
            applicant_id=applicant_id, code_hash=code_hash, created_at=utcnow(), expires_at=expires_at
        )
    )
    session.flush()


def redeem_invite(*, session: Session, code_hash: str, advisor_id: int, now: dt.datetime) -> User | None:
    """Use an open, unexpired invitation: the advisor may now read its applicant's profiles.

    Returns the applicant, or ``None`` when no such open invitation exists (or it is the advisor's own).
    """
    row = session.scalar(
        select(ShareInviteRow).where(
            ShareInviteRow.code_hash == code_hash, ShareInviteRow.redeemed_by.is_(None)
        )
    )
    if row is None or _aware(row.expires_at) <= now or row.applicant_id == advisor_id:
        return None
    row.redeemed_by, row.redeemed_at = advisor_id, now
    grant_share(session=session, applicant_id=row.applicant_id, advisor_id=advisor_id)
    return get_user(session=session, user_id=row.applicant_id)


def open_invites(*, session: Session, applicant_id: int, now: dt.datetime) -> int:
    """How many of the applicant's invitations are still unused and unexpired."""
    found = session.scalars(
        select(ShareInviteRow.expires_at).where(
            ShareInviteRow.applicant_id == applicant_id, ShareInviteRow.redeemed_by.is_(None)
        )
    )
    return sum(1 for expires in found if _aware(expires) > now)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def revoke_share(*, session: Session, applicant_id: int, advisor_id: int) -> bool:
    """Withdraw an advisor's access; True when a share was removed."""
    result: Any = session.execute(
        delete(ShareRow).where(ShareRow.applicant_id == applicant_id, ShareRow.advisor_id == advisor_id)
    )
    return bool(result.rowcount)


def advisors_of(*, session: Session, applicant_id: int) -> list[User]:
    """Advisors the applicant shares with, by username."""
    rows = session.scalars(
        select(UserRow)
        .join(ShareRow, ShareRow.advisor_id == UserRow.id)
        .where(ShareRow.applicant_id == applicant_id)
        .order_by(UserRow.username)
    )
    return [_user(r) for r in rows]


def applicants_of(*, session: Session, advisor_id: int) -> list[User]:
    """Applicants who share with the advisor, by username."""
    rows = session.scalars(
        select(UserRow)
        .join(ShareRow, ShareRow.applicant_id == UserRow.id)
        .where(ShareRow.advisor_id == advisor_id)
        .order_by(UserRow.username)
    )
    return [_user(r) for r in rows]


def is_shared(*, session: Session, applicant_id: int, advisor_id: int) -> bool:
    """True when the applicant currently shares with the advisor."""
    found = session.scalar(
        select(ShareRow.id).where(ShareRow.applicant_id == applicant_id, ShareRow.advisor_id == advisor_id)
    )
    return found is not None


def get_stored_profile(*, session: Session, profile_id: int) -> StoredProfile | None:
    """A profile by id, whoever owns it: callers check access (see ``smartpick.web.deps``)."""
    row = session.get(ProfileRow, profile_id)
    if row is None:
        return None
    return StoredProfile(row.id, row.owner_id, row.name, profile_to_domain(row), row.updated_at)


def list_stored_profiles(*, session: Session, owner_ids: Sequence[int | None]) -> list[ProfileSummary]:
    """Profiles of the given owners (``None`` = the local single user), by owner then name."""
    ids = [o for o in owner_ids if o is not None]
    clauses = [ProfileRow.owner_id.in_(ids)] if ids else []
    if None in owner_ids:
        clauses.append(ProfileRow.owner_id.is_(None))
    if not clauses:
        return []
    stmt = select(ProfileRow).where(clauses[0] if len(clauses) == 1 else clauses[0] | clauses[1])
    rows = session.scalars(stmt.order_by(ProfileRow.owner_id, ProfileRow.name))
    return [
        ProfileSummary(r.id, r.owner_id, r.name, r.applicant_type, r.step2_ck, r.updated_at) for r in rows
    ]


def profile_id_of(*, session: Session, name: str, owner_id: int | None) -> int | None:
    """The id of the owner's profile called ``name``."""
    owner = ProfileRow.owner_id.is_(None) if owner_id is None else ProfileRow.owner_id == owner_id
    return session.scalar(select(ProfileRow.id).where(ProfileRow.name == name, owner))


def latest_fact_import_id(*, session: Session) -> int:
    """The newest fact import's id (0 when none): a cheap key for caching the merged catalogue."""
    return int(session.scalar(select(func.coalesce(func.max(FactImportRow.id), 0))) or 0)


def load_profiles(*, session: Session, owner_ids: Sequence[int | None]) -> list[StoredProfile]:
    """Full stored profiles of the given owners, by owner then name."""
    summaries = list_stored_profiles(session=session, owner_ids=owner_ids)
    rows = {
        r.id: r
        for r in session.scalars(select(ProfileRow).where(ProfileRow.id.in_([s.id for s in summaries])))
    }
    return [
        StoredProfile(s.id, s.owner_id, s.name, profile_to_domain(rows[s.id]), s.updated_at)
        for s in summaries
    ]


def task_statuses(*, session: Session, profile_id: int) -> dict[str, str]:
    """Task id -> status the user set on a profile's plan."""
    rows = session.execute(
        select(TaskStatusRow.task_id, TaskStatusRow.status).where(TaskStatusRow.profile_id == profile_id)
    )
    return {task: status for task, status in rows}


def set_task_status(*, session: Session, profile_id: int, task_id: str, status: str) -> None:
    """Record (or replace) the status of one task of a profile's plan."""
    row = session.scalar(
        select(TaskStatusRow).where(TaskStatusRow.profile_id == profile_id, TaskStatusRow.task_id == task_id)
    )
    if row is None:
        row = TaskStatusRow(profile_id=profile_id, task_id=task_id)
        session.add(row)
    row.status, row.updated_at = status, utcnow()
    session.flush()


def rank_preferences(*, session: Session, owner_id: int | None) -> dict[str, Any] | None:
    """The owner's stored ``rank-preferences`` document, if any."""
    row = session.scalar(select(RankPreferencesRow).where(_owned(RankPreferencesRow, owner_id)))
    return dict(row.document) if row else None


def save_rank_preferences(*, session: Session, owner_id: int | None, document: dict[str, Any]) -> None:
    """Store (replace) the owner's rank preferences."""
    session.execute(delete(RankPreferencesRow).where(_owned(RankPreferencesRow, owner_id)))
    session.add(RankPreferencesRow(owner_id=owner_id, document=document, updated_at=utcnow()))
    session.flush()


def _owned(table: Any, owner_id: int | None) -> Any:
    return table.owner_id.is_(None) if owner_id is None else table.owner_id == owner_id
