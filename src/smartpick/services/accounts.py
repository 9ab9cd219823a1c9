"""Account use-cases: sign up, check a password, sign out everywhere (multi-user mode).

Rate limits and the session cookie are the web's part (``smartpick.web.accounts``); the rules on
usernames and passwords and the hashes live here. Passwords are hashed with Argon2id (argon2-cffi
defaults, RFC 9106 low-memory profile).
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from smartpick.errors import HIDDEN, InputError
from smartpick.store import accounts as store
from smartpick.store.accounts import Role, User

__all__ = [
    "Role",
    "User",
    "check_password",
    "clean_username",
    "find_user",
    "get_user",
    "login",
    "register",
    "sign_out_everywhere",
]

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 200
PASSWORD_MIN_SCORE = 3
"""zxcvbn score (0-4) a new password needs: 3 is "safely unguessable" (about 10^8 guesses or more)."""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("smartpick-dummy-password")


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; unknown users still pay one hash so timing does not tell."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)


def clean_username(username: str) -> str:
    """A username, lower-cased.

    Raises:
        InputError: not 3-32 letters, digits, dots, dashes or underscores.
    """
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InputError(
            "username", username, "3 to 32 letters, digits, '.', '-' or '_', starting with a letter or digit"
        )
    return name


def check_password(password: str, username: str = "") -> str:
    """A new password: long enough, not common or guessable (zxcvbn), not built on the username.

    Raises:
        InputError: too short or too long, containing the username, or easy to guess.
    """
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InputError("password", HIDDEN, f"{PASSWORD_MIN} to {PASSWORD_MAX} characters")
    name = username.strip().casefold()
    if len(name) >= 3 and name in password.casefold():
        raise InputError("password", HIDDEN, "a password that does not contain your username")
    result = zxcvbn(password[:100], user_inputs=[name] if name else [])
    if result["score"] < PASSWORD_MIN_SCORE:
        hint = result["feedback"].get("warning") or "it is easy to guess"
        raise InputError("password", HIDDEN, f"a password that is hard to guess ({hint.rstrip('.')})")
    return password


def register(session: Session, username: str, password: str, role: Role) -> User:
    """Create an account with a checked username and password.

    Raises:
        InputError: a bad or taken username, or a bad password.
    """
    name = clean_username(username)
    password_hash = hash_password(check_password(password, name))
    return store.create_user(session=session, username=name, password_hash=password_hash, role=role)


def login(session: Session, username: str, password: str) -> User | None:
    """The account if the password is right (its hash is renewed when the parameters got stronger)."""
    found = store.credentials(session=session, username=username)
    # Unknown users are checked against a dummy hash: the same cost whether or not the user exists.
    valid = verify_password(found[1] if found else None, password)
    if found is None or not valid:
        return None
    user, password_hash = found
    if needs_rehash(password_hash):
        store.set_password_hash(session=session, user_id=user.id, password_hash=hash_password(password))
    return user


def get_user(session: Session, user_id: int) -> User | None:
    """The account with this id, or ``None``."""
    return store.get_user(session=session, user_id=user_id)


def find_user(session: Session, username: str) -> User | None:
    """The account with this username (any case), or ``None``."""
    return store.find_user(session=session, username=username.strip().lower())


def sign_out_everywhere(session: Session, user_id: int) -> None:
    """Invalidate every session cookie issued to this account so far."""
    store.end_sessions(session=session, user_id=user_id)
