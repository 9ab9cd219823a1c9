"""Cycle dates (published vs computed), task statuses and the plannability check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.data.calendar import bundled_calendar
from smartpick.domain.dates import add_months, end_of_month
from smartpick.domain.planning.calendar import (
    Basis,
    CalendarData,
    CycleEvent,
    Task,
    TaskStatus,
    check_plannable,
    cycle_dates,
    cycle_tasks,
    finalize,
    match_day_rule,
    nth_weekday,
)
from smartpick.errors import InputError

D = dt.date
DATA = bundled_calendar()
RULES_ONLY: CalendarData = DATA.model_copy(update={"published": ()})


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2023, D(2023, 3, 17)),
        (2024, D(2024, 3, 15)),
        (2026, D(2026, 3, 20)),
        (2027, D(2027, 3, 19)),
        (2028, D(2028, 3, 17)),
        (2029, D(2029, 3, 16)),
        (2032, D(2032, 3, 19)),
    ],
)
def test_match_day_is_third_friday_of_march(year: int, day: dt.date) -> None:
    assert match_day_rule(year) == day
    assert cycle_dates(year, DATA)[CycleEvent.MATCH_DAY] == day


def test_2026_cycle_uses_the_published_dates() -> None:
    cycle = cycle_dates(2026, DATA)
    published = {
        CycleEvent.ERAS_OPENS: D(2025, 6, 4),
        CycleEvent.ERAS_SUBMISSION_OPENS: D(2025, 9, 3),
        CycleEvent.NRMP_REGISTRATION_OPENS: D(2025, 9, 15),
        CycleEvent.PROGRAMS_REVIEW: D(2025, 9, 24),
        CycleEvent.MATCH_WEEK_STARTS: D(2026, 3, 16),
        CycleEvent.MATCH_DAY: D(2026, 3, 20),
    }
    for event, day in published.items():
        assert cycle[event] == day
        assert cycle.dated(event).basis is Basis.PUBLISHED
        assert cycle.dated(event).source.startswith("published: ")
    assert cycle.dated(CycleEvent.ROL_DEADLINE).basis is Basis.COMPUTED
    assert "computed: " in cycle.dated(CycleEvent.ROL_DEADLINE).source


def test_2027_cycle_is_computed_and_pinned() -> None:
    cycle = cycle_dates(2027, DATA)
    assert {e.value: cycle[e].isoformat() for e in CycleEvent} == {
        "eras_opens": "2026-06-03",
        "eras_submission_opens": "2026-09-02",
        "programs_review": "2026-09-23",
        "nrmp_registration_opens": "2026-09-15",
        "nrmp_late_fee": "2026-11-30",
        "interviews_start": "2026-10-01",
        "interviews_end": "2027-01-31",
        "ranking_opens": "2027-02-01",
        "match_day": "2027-03-19",
        "rol_deadline": "2027-03-03",
        "match_week_starts": "2027-03-15",
    }
    assert all(cycle.dated(e).basis is Basis.COMPUTED for e in CycleEvent)


def test_leap_year_2028_rank_deadline_falls_after_feb_29() -> None:
    cycle = cycle_dates(2028, DATA)
    assert cycle[CycleEvent.MATCH_DAY] == D(2028, 3, 17)
    assert cycle[CycleEvent.ROL_DEADLINE] == D(2028, 3, 1)  # 16 days back crosses 29 February
    assert cycle[CycleEvent.ERAS_OPENS] == D(2027, 6, 2)
    assert cycle_dates(2029, DATA)[CycleEvent.ROL_DEADLINE] == D(2029, 2, 28)


def test_rules_reproduce_every_published_date() -> None:
    """The computed rules are checked against the dates AAMC/NRMP actually published."""
    for pub in DATA.published:
        assert cycle_dates(pub.cycle, RULES_ONLY)[pub.event] == pub.date, (pub.cycle, pub.event)


def test_every_rule_and_figure_cites_a_known_source() -> None:
    for rule in DATA.rules.values():
        assert rule.source in DATA.sources
    for fig in DATA.figures.values():
        assert fig.source in DATA.sources
    assert "[official]" in DATA.cite("eras_timeline")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2028, 8, 31), -6, D(2028, 2, 29)),
        (D(2027, 8, 31), -6, D(2027, 2, 28)),
        (D(2026, 9, 2), -18, D(2025, 3, 2)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_end_of_month_in_leap_years() -> None:
    assert end_of_month(2028, 2) == D(2028, 2, 29)
    assert end_of_month(2100, 2) == D(2100, 2, 28)


@given(st.dates(D(1990, 1, 1), D(2090, 12, 31)), st.integers(-60, 60))
def test_add_months_round_trip_and_bounds(day: dt.date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    if day.day <= 28:
        assert add_months(moved, -months) == day


@given(st.integers(1990, 2090), st.integers(1, 12), st.integers(0, 6), st.integers(1, 4))
def test_nth_weekday_lands_on_the_weekday_in_its_week(year: int, month: int, weekday: int, n: int) -> None:
    day = nth_weekday(year, month, weekday, n)
    assert day.weekday() == weekday and day.month == month
    assert 7 * (n - 1) < day.day <= 7 * n


@given(st.integers(2000, 2090))
def test_cycle_invariants_for_any_year(year: int) -> None:
    c = cycle_dates(year, DATA)
    assert c[CycleEvent.MATCH_DAY].weekday() == 4 and 15 <= c[CycleEvent.MATCH_DAY].day <= 21
    assert c[CycleEvent.ROL_DEADLINE].weekday() == 2
    order = [
        CycleEvent.ERAS_OPENS,
        CycleEvent.ERAS_SUBMISSION_OPENS,
        CycleEvent.PROGRAMS_REVIEW,
        CycleEvent.INTERVIEWS_START,
        CycleEvent.RANKING_OPENS,
        CycleEvent.ROL_DEADLINE,
        CycleEvent.MATCH_WEEK_STARTS,
        CycleEvent.MATCH_DAY,
    ]
    days = [c[e] for e in order]
    assert days == sorted(days)
    for task in cycle_tasks(c, DATA, is_img=True):
        assert task.start <= task.due
        assert D(year - 3, 1, 1) < task.start and task.due <= c[CycleEvent.MATCH_DAY]


def test_cycle_tasks_basis_follows_the_due_date() -> None:
    tasks = {t.id: t for t in cycle_tasks(cycle_dates(2026, DATA), DATA, is_img=False)}
    assert tasks["eras-submit"].basis is Basis.PUBLISHED
    assert tasks["eras-submit"].due == D(2025, 9, 24)
    assert tasks["match-day"].basis is Basis.PUBLISHED
    assert tasks["rank-list"].basis is Basis.COMPUTED  # the 2026 deadline was not published
    assert tasks["letters-reminder"].basis is Basis.COMPUTED  # offset from a published date
    assert tasks["letters-reminder"].due == D(2025, 9, 10)
    assert "early-observership" not in tasks  # IMGs only


def test_early_observership_is_12_to_18_months_before_applying() -> None:
    tasks = {t.id: t for t in cycle_tasks(cycle_dates(2027, DATA), DATA, is_img=True)}
    task = tasks["early-observership"]
    assert (task.start, task.due) == (D(2025, 3, 2), D(2025, 9, 2))


def _task(task_id: str, due: dt.date, status: TaskStatus = TaskStatus.TODO) -> Task:
    return Task(task_id, task_id, "test", due - dt.timedelta(days=7), due, status, "why", "src")


def test_finalize_flags_late_applies_overrides_and_sorts() -> None:
    today = D(2026, 10, 1)
    tasks = [
        _task("b-future", D(2026, 11, 1)),
        _task("a-past", D(2026, 9, 1)),
        _task("c-past-done", D(2026, 8, 1), TaskStatus.DONE),
        _task("d-user-skipped", D(2026, 7, 1)),
        _task("e-due-today", today),
    ]
    out = finalize(tasks, today, {"d-user-skipped": TaskStatus.SKIPPED, "b-future": TaskStatus.LATE})
    assert [(t.id, t.status) for t in out] == [
        ("d-user-skipped", TaskStatus.SKIPPED),
        ("c-past-done", TaskStatus.DONE),
        ("a-past", TaskStatus.LATE),
        ("e-due-today", TaskStatus.TODO),
        ("b-future", TaskStatus.TODO),  # "late" is derived from the date, not set by hand
    ]


def test_finalize_rejects_unknown_task_ids() -> None:
    with pytest.raises(InputError) as err:
        finalize([_task("a", D(2026, 1, 1))], D(2026, 1, 1), {"nope": TaskStatus.DONE})
    assert err.value.field == "tasks" and "nope" in err.value.message


def test_task_due_before_start_is_a_bug() -> None:
    with pytest.raises(ValueError, match="before start"):
        Task("x", "x", "c", D(2026, 2, 1), D(2026, 1, 1), TaskStatus.TODO, "w", "s")


def test_plan_for_a_finished_match_is_an_input_error() -> None:
    cycle = cycle_dates(2027, DATA)
    check_plannable(2027, D(2027, 3, 19), cycle)  # Match Day itself is still plannable
    with pytest.raises(InputError) as err:
        check_plannable(2027, D(2027, 3, 20), cycle)
    assert err.value.field == "applicant.target_start_year"
    assert "use 2028 or later" in err.value.message
    with pytest.raises(InputError, match="use 2030 or later"):
        check_plannable(2027, D(2029, 6, 1), cycle)
