"""Checks of a profile against the date it is used on (the caller passes ``today``; no clock here).

A practice test dated after today has no score yet: accepting it would let the Step 2 CK projection
change with the date of the advice, so it is an input error naming the test and the allowed dates.
"""

from __future__ import annotations

import datetime as dt

from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError, InputErrors


def future_practice_errors(
    profile: Profile, today: dt.date, *, source: str | None = None
) -> list[InputError]:
    """One error per practice test dated after ``today``."""
    allowed = (
        f"a date on or before today ({today.isoformat()}); a practice test still to come has no score yet"
    )
    return [
        InputError(f"exams.practice[{i}].date", test.date.isoformat(), allowed, source=source)
        for i, test in enumerate(profile.exams.practice)
        if test.date > today
    ]


def check_as_of(profile: Profile, today: dt.date, *, source: str | None = None) -> Profile:
    """The profile, when every date it reports as done lies on or before ``today``.

    Raises:
        InputErrors: a practice test dated after ``today``.
    """
    errors = future_practice_errors(profile, today, source=source)
    if errors:
        raise InputErrors(errors, source=source)
    return profile
