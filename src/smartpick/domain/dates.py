"""Shared date helpers: whole-month arithmetic and the plausible window of dates a user types.

The window applies to profiles, rotations, exams, the tracker and ``--today``.
Dates outside 1990-01-01 .. 2100-12-31 are typing slips (``1900``, ``3000``, ``9999-12-31``); accepting
them would mark decades-old tasks as done or overflow date arithmetic, so every input format rejects them.
"""

from __future__ import annotations

import calendar
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


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's last day (31 Aug - 6 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def end_of_month(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])
