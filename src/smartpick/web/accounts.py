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
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from smartpick.errors import InputError
from smartpick.services import accounts as accounts_svc
from smartpick.services.accounts import Role, User
from smartpick.web.deps import SESSION_USER, SESSION_VERSION
from smartpick.web.errors import RateLimited
from smartpick.web.security import SlidingWindowLimiter, csrf_token
from smartpick.web.settings import WebSettings


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
    user = accounts_svc.login(session, account, password)
    if user is None:
        limits.ip.hit(ip)
        limits.account.hit(pair)
        return None
    limits.account.reset(pair)
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
        return accounts_svc.register(session, username, password, role)
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
        accounts_svc.sign_out_everywhere(session, user_id)
    request.session.clear()
