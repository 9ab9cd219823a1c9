"""Advisor shares: invitations by code, who shares with whom, revoking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from smartpick.store.accounts import User, get_user, user_record
from smartpick.store.models import utcnow
from smartpick.store.web_models import ShareInviteRow, ShareRow, UserRow


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


def _users(session: Session, user_column: Any, where: Any) -> list[User]:
    """The accounts on the ``user_column`` side of the shares matching ``where``, by username."""
    rows = session.scalars(
        select(UserRow).join(ShareRow, user_column == UserRow.id).where(where).order_by(UserRow.username)
    )
    return [user_record(r) for r in rows]


def advisors_of(*, session: Session, applicant_id: int) -> list[User]:
    """Advisors the applicant shares with, by username."""
    return _users(session, ShareRow.advisor_id, ShareRow.applicant_id == applicant_id)


def applicants_of(*, session: Session, advisor_id: int) -> list[User]:
    """Applicants who share with the advisor, by username."""
    return _users(session, ShareRow.applicant_id, ShareRow.advisor_id == advisor_id)


def is_shared(*, session: Session, applicant_id: int, advisor_id: int) -> bool:
    """True when the applicant currently shares with the advisor."""
    found = session.scalar(
        select(ShareRow.id).where(ShareRow.applicant_id == applicant_id, ShareRow.advisor_id == advisor_id)
    )
    return found is not None
