"""The window of plausible dates for anything a user types (profiles, rotations, exams, tracker, ``--today``).

Dates outside 1990-01-01 .. 2100-12-31 are typing slips (``1900``, ``3000``, ``9999-12-31``); accepting
them would mark decades-old tasks as done or overflow date arithmetic, so every input format rejects them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from smartpick.errors import InputError

DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
DATE_ALLOWED = f"a date from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"

PlausibleDate = Annotated[dt.date, Field(ge=DATE_MIN, le=DATE_MAX, description=DATE_ALLOWED)]
"""A date a user gave, within the plausible window."""


def check_date(value: dt.date, field: str) -> dt.date:
    """``value`` when it lies in the plausible window.

    Raises:
        InputError: outside 1990..2100.
    """
    if not DATE_MIN <= value <= DATE_MAX:
        raise InputError(field, value.isoformat(), DATE_ALLOWED)
    return value


def parse_date(text: str, field: str) -> dt.date:
    """An ISO date (``2026-11-03``) in the plausible window.

    Raises:
        InputError: not an ISO date, or outside the window.
    """
    try:
        value = dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise InputError(field, text, f"a date like 2026-11-03 ({DATE_ALLOWED})") from None
    return check_date(value, field)
