"""Settings from the environment, password hashing, CSRF tokens and the sliding-window limiter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.errors import InputError
from smartpick.services.accounts import hash_password, verify_password
from smartpick.web.security import SlidingWindowLimiter, csrf_matches, csrf_token
from smartpick.web.settings import Mode, WebSettings


def test_settings_default_to_local_mode_with_a_random_key() -> None:
    a = WebSettings.from_env({"SMARTPICK_DATABASE_URL": "sqlite://"})
    b = WebSettings.from_env({"SMARTPICK_DATABASE_URL": "sqlite://"})
    assert a.mode is Mode.LOCAL and not a.multi_user
    assert len(a.secret_key) >= 32 and a.secret_key != b.secret_key


def test_settings_read_every_variable() -> None:
    env = {
        "SMARTPICK_DATABASE_URL": "postgresql://db/x",
        "SMARTPICK_SECRET_KEY": "k" * 40,
        "SMARTPICK_WEB_MODE": "MULTI",
        "SMARTPICK_SECURE_COOKIES": "yes",
        "SMARTPICK_LOGIN_IP_LIMIT": "7",
        "SMARTPICK_LOGIN_ACCOUNT_LIMIT": "3",
        "SMARTPICK_LOGIN_WINDOW_SECONDS": "60",
        "SMARTPICK_ALLOW_SIGNUP": "0",
        "SMARTPICK_WEB_MIGRATE": "false",
    }
    s = WebSettings.from_env(env)
    assert (s.mode, s.secure_cookies, s.login_ip_limit, s.login_account_limit) == (Mode.MULTI, True, 7, 3)
    assert (s.login_window_seconds, s.allow_signup, s.migrate) == (60.0, False, False)


@pytest.mark.parametrize(
    ("env", "field"),
    [
        ({"SMARTPICK_WEB_MODE": "multi"}, "SMARTPICK_SECRET_KEY"),
        ({"SMARTPICK_WEB_MODE": "cluster"}, "SMARTPICK_WEB_MODE"),
        ({"SMARTPICK_SECURE_COOKIES": "maybe"}, "SMARTPICK_SECURE_COOKIES"),
        ({"SMARTPICK_LOGIN_IP_LIMIT": "0"}, "SMARTPICK_LOGIN_IP_LIMIT"),
        ({"SMARTPICK_LOGIN_IP_LIMIT": "ten"}, "SMARTPICK_LOGIN_IP_LIMIT"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as err:
        WebSettings.from_env({"SMARTPICK_DATABASE_URL": "sqlite://", **env})
    assert err.value.field == field


def test_password_hash_verifies_only_the_right_password() -> None:
    hashed = hash_password("correct horse battery")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse batterx")
    assert not verify_password(None, "correct horse battery")
    assert not verify_password("not-a-hash", "x")


def test_csrf_token_is_stable_per_session_and_compared_exactly() -> None:
    session: dict[str, object] = {}
    token = csrf_token(session)
    assert csrf_token(session) == token and len(token) >= 32
    assert csrf_matches(session, token)
    assert not csrf_matches(session, token[:-1]) and not csrf_matches(session, None)
    assert not csrf_matches({}, token)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_blocks_after_the_limit_and_reopens_as_the_window_slides() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, 10.0, clock)
    limiter.hit("k")
    clock.now += 4
    limiter.hit("k")
    assert limiter.retry_after("k") == pytest.approx(6.0)
    assert limiter.retry_after("other") == 0
    clock.now += 6
    assert limiter.retry_after("k") == 0  # the first hit left the window
    limiter.reset("k")
    assert limiter.retry_after("k") == 0


@given(gaps=st.lists(st.floats(0, 5, allow_nan=False), min_size=1, max_size=60), limit=st.integers(1, 5))
def test_limiter_never_allows_more_than_the_limit_in_any_window(gaps: list[float], limit: int) -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit, 10.0, clock)
    allowed: list[float] = []
    for gap in gaps:
        clock.now += gap
        if limiter.retry_after("k") == 0:
            limiter.hit("k")
            allowed.append(clock.now)
    for t in allowed:
        assert sum(1 for u in allowed if t - 10.0 < u <= t) <= limit
