"""CSRF tokens and login rate limits (passwords are hashed in ``smartpick.services.accounts``).

CSRF: each session holds a random token; every unsafe form request must echo it (synchroniser
token pattern, OWASP CSRF cheat sheet). Login attempts are limited per client IP and per account
with an in-memory sliding window (per worker process).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, MutableMapping
from typing import Any

CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_TRACKED_KEYS = 10_000


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def csrf_matches(session: MutableMapping[str, Any], sent: object) -> bool:
    """Constant-time comparison of the sent token with the session's."""
    expected = session.get(CSRF_KEY)
    if not isinstance(expected, str) or not isinstance(sent, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


class SlidingWindowLimiter:
    """At most ``limit`` events per key in any ``window`` seconds.

    Args:
        limit: events allowed per window.
        window: window length in seconds.
        clock: monotonic seconds (injectable for tests).
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]  # memory stays bounded by the keys active in the window
        return events

    def _sweep(self, now: float) -> None:
        if len(self._events) > MAX_TRACKED_KEYS:
            for key in list(self._events):
                self._prune(key, now)

    def retry_after(self, key: str) -> float:
        """Seconds until the key may act again; 0 when it may act now."""
        with self._lock:
            now = self._clock()
            events = self._prune(key, now)
            if len(events) < self.limit:
                return 0.0
            return max(events[0] + self.window - now, 0.001)

    def hit(self, key: str) -> None:
        """Record one event for the key."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            self._prune(key, now)
            self._events[key].append(now)

    def reset(self, key: str) -> None:
        """Forget the key's events (after a successful login)."""
        with self._lock:
            self._events.pop(key, None)
