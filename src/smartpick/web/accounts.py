"""Accounts for multi-user mode: sign-up, login with rate limits, sessions in a signed cookie.

The session cookie (Starlette ``SessionMiddleware``: itsdangerous-signed, HttpOnly, SameSite=Lax,
Secure when configured) holds the user id, the account's session version and the CSRF token.
Signing out bumps the session version, which ends every copy of the cookie on every device.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from smartpick.errors import HIDDEN, InputError
from smartpick.store import web_repo
from smartpick.store.web_repo import Role, User
from smartpick.web.deps import SESSION_USER, SESSION_VERSION
from smartpick.web.errors import RateLimited
from smartpick.web.security import (
    SlidingWindowLimiter,
    csrf_token,
    hash_password,
    needs_rehash,
    verify_password,
)
from smartpick.web.settings import WebSettings

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 200


@dataclass(frozen=True)
class LoginLimits:
    """Sliding-window limits on login attempts, per client IP and per account."""

    ip: SlidingWindowLimiter
    account: SlidingWindowLimiter

    @classmethod
    def from_settings(cls, settings: WebSettings) -> LoginLimits:
        """Limits as configured."""
        window = settings.login_window_seconds
        return cls(
            SlidingWindowLimiter(settings.login_ip_limit, window),
            SlidingWindowLimiter(settings.login_account_limit, window),
        )


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


def check_password(password: str) -> str:
    """A new password.

    Raises:
        InputError: too short or too long.
    """
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InputError("password", HIDDEN, f"{PASSWORD_MIN} to {PASSWORD_MAX} characters")
    return password


def client_ip(request: Request) -> str:
    """The client's address (behind a proxy, run uvicorn with ``--forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"


def _limits(request: Request) -> LoginLimits:
    limits: LoginLimits = request.app.state.login_limits
    return limits


def authenticate(request: Request, session: Session, username: str, password: str) -> User | None:
    """The account if the password is right; counts the attempt against both limits.

    Raises:
        RateLimited: too many attempts from this IP or on this account.
    """
    limits, ip, account = _limits(request), client_ip(request), username.strip().lower()[:64]
    wait = max(limits.ip.retry_after(ip), limits.account.retry_after(account))
    if wait:
        raise RateLimited(wait)
    limits.ip.hit(ip)
    found = web_repo.credentials(session=session, username=account)
    # Unknown users are checked against a dummy hash: the same cost whether or not the user exists.
    valid = verify_password(found[1] if found else None, password)
    if found is None or not valid:
        limits.account.hit(account)
        return None
    user, password_hash = found
    limits.account.reset(account)
    if needs_rehash(password_hash):
        web_repo.set_password_hash(session=session, user_id=user.id, password_hash=hash_password(password))
    return user


def sign_up(request: Request, session: Session, username: str, password: str, role: Role) -> User:
    """Create an account (rate-limited per IP like logins).

    Raises:
        InputError: a bad or taken username, or a bad password.
        RateLimited: too many attempts from this IP.
    """
    limits, ip = _limits(request), client_ip(request)
    wait = limits.ip.retry_after(ip)
    if wait:
        raise RateLimited(wait)
    limits.ip.hit(ip)
    name = clean_username(username)
    return web_repo.create_user(
        session=session, username=name, password_hash=hash_password(check_password(password)), role=role
    )


def start_session(request: Request, user: User) -> None:
    """Sign the user in with a fresh session (new CSRF token: no session fixation)."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_VERSION] = user.session_version
    csrf_token(request.session)


def end_session(request: Request, session: Session, user_id: int | None) -> None:
    """Sign out here and everywhere else."""
    if user_id is not None:
        web_repo.end_sessions(session=session, user_id=user_id)
    request.session.clear()
