"""Profiles checked against the date they are used on: practice tests must not lie in the future."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.domain.profile.applicant import Profile
from smartpick.domain.profile.as_of import check_as_of, future_practice_errors
from smartpick.errors import InputErrors

D = dt.date


def _profile(*dates: dt.date) -> Profile:
    return Profile.model_validate({
        "applicant": {"type": "non_us_img", "needs_visa": False, "graduation_year": 2024,
                      "target_start_year": 2028},
        "exams": {"step1": "pass", "practice": [{"date": d, "score": 220} for d in dates]},
    })  # fmt: skip


def test_a_future_practice_test_is_one_error_naming_it_and_today() -> None:
    with pytest.raises(InputErrors) as caught:
        check_as_of(_profile(D(2026, 11, 2), D(2027, 1, 4)), D(2026, 12, 7), source="p.toml")
    (error,) = caught.value.errors
    assert error.field == "exams.practice[1].date" and error.value == "2027-01-04"
    assert "on or before today (2026-12-07)" in error.message and error.message.startswith("p.toml: ")


@given(
    st.lists(st.dates(D(2020, 1, 1), D(2030, 12, 31)), max_size=6), st.dates(D(2020, 1, 1), D(2030, 12, 31))
)
def test_errors_are_exactly_the_tests_after_today(dates: list[dt.date], today: dt.date) -> None:
    profile = _profile(*dates)
    flagged = [e.field for e in future_practice_errors(profile, today)]
    assert flagged == [f"exams.practice[{i}].date" for i, d in enumerate(dates) if d > today]
    if not flagged:
        assert check_as_of(profile, today) is profile
