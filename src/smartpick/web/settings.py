"""Web settings, read from the environment by the caller (never at import time).

Modes: ``local`` (default) serves one person on their own machine with no login; ``multi`` hosts many
users with accounts, owner-scoped data and advisors who see only what applicants shared with them.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from smartpick.errors import InputError
from smartpick.services.database import default_url

ENV_PREFIX = "SMARTPICK_"


class Mode(StrEnum):
    """How the server is hosted."""

    LOCAL = "local"
    MULTI = "multi"


@dataclass(frozen=True)
class WebSettings:
    """Everything the web app needs to start.

    Attributes:
        database_url: SQLAlchemy URL (SQLite file by default, PostgreSQL by URL).
        secret_key: signs session cookies; required in ``multi`` mode.
        mode: ``local`` (single user, no login) or ``multi`` (accounts).
        secure_cookies: mark the session cookie ``Secure`` (serve over HTTPS).
        session_max_age: seconds a login lasts.
        login_ip_limit: failed logins and sign-ups allowed per client address per window.
        login_account_limit: failed logins allowed per (account, client address) per window.
        trusted_proxies: addresses or networks (CIDR) of reverse proxies whose ``X-Forwarded-For`` is
            believed; none by default.
        login_window_seconds: the sliding window of both login limits.
        allow_signup: whether anyone may create an account in ``multi`` mode.
        max_body_bytes: the largest request body accepted (uploads included); larger ones get 413.
        migrate: run Alembic migrations when the app is created.
    """

    database_url: str
    secret_key: str
    mode: Mode = Mode.LOCAL
    secure_cookies: bool = False
    session_max_age: int = 8 * 3600
    login_ip_limit: int = 50
    login_account_limit: int = 5
    trusted_proxies: tuple[str, ...] = ()
    login_window_seconds: float = 300.0
    allow_signup: bool = True
    max_body_bytes: int = 2_000_000
    migrate: bool = True

    @property
    def multi_user(self) -> bool:
        """True when accounts and login are on."""
        return self.mode is Mode.MULTI

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WebSettings:
        """Settings from ``SMARTPICK_*`` variables (``os.environ`` unless ``env`` is given).

        Raises:
            InputError: a variable has a value that is not allowed.
        """
        env = os.environ if env is None else env
        mode = _mode(env.get(f"{ENV_PREFIX}WEB_MODE", "local"))
        secret = env.get(f"{ENV_PREFIX}SECRET_KEY", "")
        if not secret:
            if mode is Mode.MULTI:
                raise InputError(f"{ENV_PREFIX}SECRET_KEY", None, "a long random string in multi mode")
            secret = secrets.token_urlsafe(32)  # local mode: sessions only carry the CSRF token
        return cls(
            database_url=env.get(f"{ENV_PREFIX}DATABASE_URL") or default_url(),
            secret_key=secret,
            mode=mode,
            secure_cookies=_flag(env, "SECURE_COOKIES", False),
            session_max_age=_int(env, "SESSION_MAX_AGE", 8 * 3600),
            login_ip_limit=_int(env, "LOGIN_IP_LIMIT", 50),
            trusted_proxies=_networks(env.get(f"{ENV_PREFIX}TRUSTED_PROXIES", "")),
            login_account_limit=_int(env, "LOGIN_ACCOUNT_LIMIT", 5),
            login_window_seconds=float(_int(env, "LOGIN_WINDOW_SECONDS", 300)),
            allow_signup=_flag(env, "ALLOW_SIGNUP", True),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 2_000_000),
            migrate=_flag(env, "WEB_MIGRATE", True),
        )


def _networks(raw: str) -> tuple[str, ...]:
    out = []
    for item in (i.strip() for i in raw.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            allowed = "comma-separated IP addresses or networks, e.g. 10.0.0.5,192.168.0.0/24"
            raise InputError(f"{ENV_PREFIX}TRUSTED_PROXIES", item, allowed) from None
    return tuple(out)


def _mode(value: str) -> Mode:
    try:
        return Mode(value.strip().lower())
    except ValueError:
        raise InputError(f"{ENV_PREFIX}WEB_MODE", value, "one of local, multi") from None


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    if raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if raw.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise InputError(ENV_PREFIX + name, raw, "one of 1, 0, true, false, yes, no")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(ENV_PREFIX + name, raw, "a positive whole number") from None
    if value < 1:
        raise InputError(ENV_PREFIX + name, raw, "a positive whole number")
    return value
