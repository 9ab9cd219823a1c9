"""Stored profiles by owner: names unique per owner, reading by id checked once (owner or shared advisor)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError, NotFoundError
from smartpick.services import profiles, sharing
from smartpick.services.files import load_model
from smartpick.store import accounts as account_store
from smartpick.store.accounts import Role

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)


@pytest.fixture
def profile() -> Profile:
    return load_model(Profile, EXAMPLES / "strong-us-img.toml")


def test_owners_read_theirs_advisors_read_what_is_shared_nobody_else(
    session: Session, profile: Profile
) -> None:
    alice, adv = (account_store.create_user(session=session, username=n, password_hash="h", role=r)
                  for n, r in (("alice", Role.APPLICANT), ("adv", Role.ADVISOR)))  # fmt: skip
    stored = profiles.save_profile(session, "main", profile, alice.id)
    assert profiles.readable_profile(session, stored.id, alice.id) == stored
    for viewer in (adv.id, None):
        with pytest.raises(NotFoundError):
            profiles.readable_profile(session, stored.id, viewer)
    sharing.redeem(session, adv.id, sharing.create_invite(session, alice.id, NOW)[0], NOW)
    assert profiles.readable_profile(session, stored.id, adv.id) == stored
    assert profiles.owner_name(session, stored, adv.id) == "alice"
    assert profiles.owner_name(session, stored, alice.id) is None
    with pytest.raises(NotFoundError):
        profiles.owned_profile(session, stored.id, adv.id)  # advisors read, never change
    [group] = profiles.shared_profiles(session, adv.id)
    assert group.applicant == alice and group.profiles == (stored,)


def test_names_are_unique_per_owner_and_deleting_removes_the_profile(
    session: Session, profile: Profile
) -> None:
    local = profiles.save_profile(session, "main", profile)
    assert profiles.new_profile_name(session, " main ", 7, "x") == "main"  # another owner's name is free
    with pytest.raises(InputError) as err:
        profiles.new_profile_name(session, " main ", None, "a new name")
    assert err.value.field == "name" and err.value.allowed == "a new name"
    assert profiles.saved_names(session) == ["main"] and profiles.saved_profile(session, "main") == profile
    assert [p.id for p in profiles.own_profiles(session, None)] == [local.id]
    profiles.delete_profile(session, local)
    assert profiles.saved_profile(session, "main") is None and profiles.own_summaries(session, None) == []
