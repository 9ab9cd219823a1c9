"""Accounts for multi-user mode: sign-up, login with rate limits, sessions in a signed cookie.

Login limits count failures only, per (account, address) pair and per address: a wrong password
typed from one address never locks the account's owner out at another, successful sign-ins cost
nothing, and every failure gets the same message whether or not the account exists. The client's
address comes from ``X-Forwarded-For`` only when the connection comes from a proxy listed in
``SMARTPICK_TRUSTED_PROXIES`` (default: none).

The session cookie (Starlette ``SessionMiddleware``: itsdangerous-signed, HttpOnly, SameSite=Lax,
Secure when configured) holds the user id, the account's session version and the CSRF token.
Signing out bumps the session version, which ends every copy of the cookie on every device.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

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


PASSWORD_MIN_SCORE = 3
"""zxcvbn score (0-4) a new password needs: 3 is "safely unguessable" (about 10^8 guesses or more)."""


@dataclass(frozen=True)
class LoginLimits:
    """Sliding-window limits on failed attempts.

    Attributes:
        ip: failed logins and failed sign-ups per client address (any account).
        account: failed logins per (account, client address) pair.
    """

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


def client_ip(request: Request) -> str:
    """The client's address.

    ``X-Forwarded-For`` is read only when the connection itself comes from a trusted proxy
    (``SMARTPICK_TRUSTED_PROXIES``); then the right-most address that is not a trusted proxy is
    the client (earlier entries are whatever the client chose to send).
    """
    peer = request.client.host if request.client else "unknown"
    settings: WebSettings = request.app.state.settings
    trusted = settings.trusted_proxies
    if not trusted or not _in_networks(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in_networks(hop, trusted):
            return hop if _is_ip(hop) else peer
    return peer


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _in_networks(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def _limits(request: Request) -> LoginLimits:
    limits: LoginLimits = request.app.state.login_limits
    return limits


def authenticate(request: Request, session: Session, username: str, password: str) -> User | None:
    """The account if the password is right; a failure counts against this address and this pair.

    Raises:
        RateLimited: too many failures from this address, or on this account from this address.
    """
    limits, ip, account = _limits(request), client_ip(request), username.strip().lower()[:64]
    pair = f"{account}\x00{ip}"
    wait = max(limits.ip.retry_after(ip), limits.account.retry_after(pair))
    if wait:
        raise RateLimited(wait)
    found = web_repo.credentials(session=session, username=account)
    # Unknown users are checked against a dummy hash: the same cost whether or not the user exists.
    valid = verify_password(found[1] if found else None, password)
    if found is None or not valid:
        limits.ip.hit(ip)
        limits.account.hit(pair)
        return None
    user, password_hash = found
    limits.account.reset(pair)
    if needs_rehash(password_hash):
        web_repo.set_password_hash(session=session, user_id=user.id, password_hash=hash_password(password))
    return user


def sign_up(request: Request, session: Session, username: str, password: str, role: Role) -> User:
    """Create an account; a refused sign-up counts against the address like a failed login.

    Raises:
        InputError: a bad or taken username, or a bad password.
        RateLimited: too many failures from this address.
    """
    limits, ip = _limits(request), client_ip(request)
    wait = limits.ip.retry_after(ip)
    if wait:
        raise RateLimited(wait)
    try:
        name = clean_username(username)
        password_hash = hash_password(check_password(password, name))
        return web_repo.create_user(session=session, username=name, password_hash=password_hash, role=role)
    except InputError:
        limits.ip.hit(ip)
        raise


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
