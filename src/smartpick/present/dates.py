"""The ``today`` override every dated command and page takes: the clock is read here, at the edge."""

from __future__ import annotations

import datetime as dt

from smartpick.domain.dates import parse_date


def parse_today(raw: str | None, field: str = "today") -> tuple[dt.date, bool]:
    """The ``today`` override (and whether it was given); default: the current UTC date.

    Raises:
        InputError: not an ISO date in the plausible window (names ``field``).
    """
    text = (raw or "").strip()
    if not text:
        return dt.datetime.now(dt.UTC).date(), False
    return parse_date(text, field), True
