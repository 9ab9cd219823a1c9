"""Loader of ``calendar.toml``: the cycle's published dates, date rules, figures and fixed tasks."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from smartpick.domain.planning.calendar import CalendarData

CALENDAR_FILE = "calendar.toml"


@lru_cache(maxsize=1)
def bundled_calendar() -> CalendarData:
    """The calendar data shipped with this version, validated on read."""
    text = resources.files(__package__).joinpath(CALENDAR_FILE).read_text(encoding="utf-8")
    return CalendarData.model_validate(tomllib.loads(text))
