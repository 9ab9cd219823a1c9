"""User accounts: usernames, password hashes, roles and the session version that signs everyone out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartpick.errors import InputError
from smartpick.store.models import utcnow
from smartpick.store.web_models import UserRow


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


def user_record(row: UserRow) -> User:
    """The account of a row (without its password hash)."""
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
    return user_record(row)


def get_user(*, session: Session, user_id: int) -> User | None:
    """The account with this id, or ``None``."""
    row = session.get(UserRow, user_id)
    return user_record(row) if row else None


def find_user(*, session: Session, username: str) -> User | None:
    """The account with this username, or ``None``."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return user_record(row) if row else None


def credentials(*, session: Session, username: str) -> tuple[User, str] | None:
    """The account and its password hash, for login only."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return (user_record(row), row.password_hash) if row else None


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
