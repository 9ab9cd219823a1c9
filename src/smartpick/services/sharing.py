"""Sharing use-cases: applicants invite advisors by one-time code; advisors read what was shared with them.

Only the hash of a code is stored; the code itself is shown once, to the applicant who made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy.orm import Session

from smartpick.errors import InputError, NotFoundError
from smartpick.services.accounts import User, find_user
from smartpick.store import sharing as store

INVITE_DAYS = 7
CODE_ALLOWED = "an unused invitation code from an applicant (valid for 7 days, used once)"


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def create_invite(session: Session, applicant_id: int | None, now: dt.datetime) -> tuple[str, dt.datetime]:
    """A new one-time code that lets one advisor read all the applicant's profiles, and its expiry.

    Raises:
        InputError: no account (the local single user cannot share).
    """
    if applicant_id is None:
        raise InputError("invite", None, "an account (sign in first)")
    code = secrets.token_urlsafe(18)
    expires = now + dt.timedelta(days=INVITE_DAYS)
    store.create_invite(session=session, applicant_id=applicant_id, code_hash=_hash(code), expires_at=expires)
    return code, expires


def redeem(session: Session, advisor_id: int | None, code: str, now: dt.datetime) -> User:
    """Use an applicant's invitation: the advisor may now read that applicant's profiles.

    Raises:
        InputError: no open invitation has this code (unknown, used, expired, or the advisor's own).
    """
    if advisor_id is None or not code.strip():
        raise InputError("code", None, CODE_ALLOWED)
    applicant = store.redeem_invite(session=session, code_hash=_hash(code), advisor_id=advisor_id, now=now)
    if applicant is None:
        raise InputError("code", "(hidden)", CODE_ALLOWED)
    return applicant


def revoke(session: Session, applicant_id: int | None, advisor: str) -> None:
    """Withdraw an advisor's access.

    Raises:
        NotFoundError: the applicant does not share with this advisor.
    """
    user = find_user(session, advisor)
    removed = (
        user is not None
        and applicant_id is not None
        and store.revoke_share(session=session, applicant_id=applicant_id, advisor_id=user.id)
    )
    if not removed:
        raise NotFoundError("advisor", advisor, "an advisor you share with")


def advisors_of(session: Session, applicant_id: int | None) -> list[User]:
    """Advisors the applicant shares with, by username (none for the local user)."""
    return [] if applicant_id is None else store.advisors_of(session=session, applicant_id=applicant_id)


def applicants_of(session: Session, advisor_id: int | None) -> list[User]:
    """Applicants who share with the advisor, by username (none for the local user)."""
    return [] if advisor_id is None else store.applicants_of(session=session, advisor_id=advisor_id)


def can_read(session: Session, viewer_id: int | None, owner_id: int | None) -> bool:
    """Owners read their own profiles; an advisor reads those of applicants whose invitation it redeemed."""
    if owner_id == viewer_id:
        return True
    if owner_id is None or viewer_id is None:
        return False
    return store.is_shared(session=session, applicant_id=owner_id, advisor_id=viewer_id)
