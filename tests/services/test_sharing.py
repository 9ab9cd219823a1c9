"""Sharing: a one-time code gives one advisor read access; the owner can take it back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from smartpick.errors import InputError, NotFoundError
from smartpick.services import sharing
from smartpick.store import accounts as account_store
from smartpick.store.accounts import Role, User

NOW = dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC)


def _user(session: Session, name: str, role: Role) -> User:
    return account_store.create_user(session=session, username=name, password_hash="h", role=role)


def test_an_invite_is_used_once_and_revoked_by_name(session: Session) -> None:
    alice = _user(session, "alice", Role.APPLICANT)
    adv, other = _user(session, "adv", Role.ADVISOR), _user(session, "other", Role.ADVISOR)
    code, expires = sharing.create_invite(session, alice.id, NOW)
    assert expires == NOW + dt.timedelta(days=sharing.INVITE_DAYS)
    assert not sharing.can_read(session, adv.id, alice.id)
    assert sharing.redeem(session, adv.id, code, NOW) == alice
    assert sharing.can_read(session, adv.id, alice.id) and not sharing.can_read(session, other.id, alice.id)
    with pytest.raises(InputError):
        sharing.redeem(session, other.id, code, NOW)  # used
    assert [u.username for u in sharing.advisors_of(session, alice.id)] == ["adv"]
    assert [u.username for u in sharing.applicants_of(session, adv.id)] == ["alice"]
    sharing.revoke(session, alice.id, " ADV ")
    assert not sharing.can_read(session, adv.id, alice.id)
    with pytest.raises(NotFoundError):
        sharing.revoke(session, alice.id, "adv")


def test_an_expired_or_own_invite_gives_nothing(session: Session) -> None:
    alice, adv = _user(session, "alice", Role.APPLICANT), _user(session, "adv", Role.ADVISOR)
    code, expires = sharing.create_invite(session, alice.id, NOW)
    with pytest.raises(InputError):
        sharing.redeem(session, alice.id, code, NOW)
    with pytest.raises(InputError):
        sharing.redeem(session, adv.id, code, expires)
    assert not sharing.can_read(session, adv.id, alice.id)


def test_the_local_user_reads_only_its_own_and_cannot_invite(session: Session) -> None:
    assert sharing.can_read(session, None, None) and not sharing.can_read(session, None, 1)
    assert sharing.advisors_of(session, None) == [] and sharing.applicants_of(session, None) == []
    with pytest.raises(InputError):
        sharing.create_invite(session, None, NOW)
