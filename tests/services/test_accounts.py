"""Account use-cases: usernames and passwords checked once, hashes never leave the service."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from smartpick.errors import InputError
from smartpick.services import accounts

GOOD = "violet-harbour-lantern-42"


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_register_then_login_with_the_right_password_only(session: Session) -> None:
    user = accounts.register(session, "  Alice ", GOOD, accounts.Role.APPLICANT)
    assert user.username == "alice" and user.role is accounts.Role.APPLICANT
    assert accounts.login(session, "alice", GOOD) == user
    assert accounts.login(session, "alice", GOOD + "x") is None
    assert accounts.login(session, "nobody", GOOD) is None


def test_a_taken_username_is_refused_naming_the_field(session: Session) -> None:
    accounts.register(session, "alice", GOOD, accounts.Role.APPLICANT)
    with pytest.raises(InputError) as err:
        accounts.register(session, "ALICE", GOOD, accounts.Role.ADVISOR)
    assert err.value.field == "username"


def test_signing_out_everywhere_bumps_the_session_version(session: Session) -> None:
    user = accounts.register(session, "alice", GOOD, accounts.Role.APPLICANT)
    accounts.sign_out_everywhere(session, user.id)
    again = accounts.get_user(session, user.id)
    assert again is not None and again.session_version == user.session_version + 1
    assert accounts.find_user(session, " ALICE ") == again


@given(st.text(max_size=40))
def test_clean_usernames_match_the_pattern_or_are_refused(name: str) -> None:
    try:
        clean = accounts.clean_username(name)
    except InputError as exc:
        assert exc.field == "username"
    else:
        assert accounts.USERNAME.match(clean) and clean == name.strip().lower()


@pytest.mark.parametrize(
    ("password", "hint"),
    [("short", "characters"), ("alice-" + GOOD, "username"), ("password1234", "hard to guess")],
)
def test_weak_passwords_are_refused_without_echoing_them(password: str, hint: str) -> None:
    with pytest.raises(InputError) as err:
        accounts.check_password(password, "alice")
    assert hint in err.value.message and password not in err.value.message
