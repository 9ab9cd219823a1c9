"""What commands share: the database session and option types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from smartpick.errors import InputError
from smartpick.present.dates import parse_today as today_or_now
from smartpick.services.database import engine_for, session_scope


@contextmanager
def db_session() -> Iterator[Session]:
    """A transaction on the configured database (SMARTPICK_DATABASE_URL or the user's SQLite file)."""
    with session_scope(engine_for()) as session:
        yield session


def parse_today(value: str | None) -> dt.date:
    """``--today`` as a date; defaults to the real current date (UTC) when the option is left out.

    Raises:
        InputError: the option was given but empty, or is not a plausible ISO date.
    """
    if value is not None and not value.strip():
        raise InputError("--today", value, "a date as YYYY-MM-DD, or leave the option out for today's date")
    return today_or_now(value, "--today")[0]
