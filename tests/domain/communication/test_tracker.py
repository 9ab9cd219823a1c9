"""The tracker's one rule on statuses: 'interviewed' needs an interview date (given, or already logged)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.domain.communication.tracker import (
    ApplicationStatus,
    CommunicationLog,
    Interview,
    with_status,
)
from smartpick.errors import InputError

DAY = dt.date(2026, 11, 3)


@pytest.mark.parametrize("field", ["date", "--date"])
def test_interviewed_without_any_date_is_refused_naming_the_callers_field(field: str) -> None:
    with pytest.raises(InputError) as err:
        with_status(CommunicationLog(), "P1", ApplicationStatus.INTERVIEWED, date_field=field)
    assert err.value.field == field and "interview date" in err.value.allowed


def test_interviewed_with_a_logged_interview_needs_no_new_date() -> None:
    log = CommunicationLog(interview=(Interview(program="P1", date=DAY),))
    updated = with_status(log, "P1", ApplicationStatus.INTERVIEWED)
    assert updated.application_for("P1").status is ApplicationStatus.INTERVIEWED  # type: ignore[union-attr]
    assert updated.interview == log.interview


@given(st.sampled_from([s for s in ApplicationStatus if s is not ApplicationStatus.INTERVIEWED]))
def test_other_statuses_need_no_date(status: ApplicationStatus) -> None:
    updated = with_status(CommunicationLog(), "P1", status)
    assert updated.application_for("P1").status is status  # type: ignore[union-attr]
    assert updated.interview == ()


def test_interviewed_with_a_date_records_the_interview_once() -> None:
    once = with_status(CommunicationLog(), "P1", ApplicationStatus.INTERVIEWED, date=DAY)
    twice = with_status(once, "P1", ApplicationStatus.INTERVIEWED, date=DAY)
    assert twice.interview == (Interview(program="P1", date=DAY),)
