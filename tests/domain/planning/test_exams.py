"""Step 2 CK advice: trend fit, pace cap, prediction interval and the test-now-or-delay rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from smartpick.data.calendar import bundled_calendar
from smartpick.domain.planning.calendar import cycle_dates
from smartpick.domain.planning.exams import (
    Decision,
    Step2Estimate,
    advise_step2,
    fit_trend,
    latest_safe_test_date,
    max_gain,
    project,
    projected_step2,
    step2_tasks,
    step2_test_by_date,
)
from smartpick.domain.profile.applicant import ExamResult, Exams, PracticeTest, ScoreBand

D = dt.date
DATA = bundled_calendar()
CYCLE_2027 = cycle_dates(2027, DATA)  # programs review 2026-09-23, ERAS submission opens 2026-09-02


def _exams(scores: list[tuple[dt.date, int]], **kw: object) -> Exams:
    practice = tuple(PracticeTest(date=d, score=s) for d, s in scores)
    return Exams.model_validate({"step1": ExamResult.PASS, "practice": practice, **kw})


RISING_LOW = [(D(2026, 2, 2), 200), (D(2026, 2, 23), 207), (D(2026, 3, 16), 214)]  # +7 every 3 weeks


@pytest.mark.parametrize(
    ("weeks", "gain"), [(0, 0), (2, 7.5), (4, 15), (5, 17.5), (6, 20), (8, 25), (10, 30), (30, 30)]
)
def test_max_gain_follows_the_published_pace(weeks: float, gain: float) -> None:
    assert max_gain(weeks, DATA) == pytest.approx(gain)


def test_fit_trend_on_an_exact_line() -> None:
    trend = fit_trend(_exams(RISING_LOW).practice, D(2026, 4, 1))
    assert trend.n == 3
    assert trend.slope_per_week == pytest.approx(7 / 3)
    assert trend.residual_sd == pytest.approx(0, abs=1e-9)
    assert trend.last_level == pytest.approx(214)


def test_fit_trend_ignores_scores_dated_after_today() -> None:
    trend = fit_trend(_exams(RISING_LOW).practice, D(2026, 2, 24))
    assert (trend.n, trend.ignored_future, trend.residual_sd) == (2, 1, None)
    assert trend.last_level == 207


def test_prediction_interval_matches_the_ols_formula() -> None:
    scores = [(D(2026, 3, 1), 220), (D(2026, 3, 15), 231), (D(2026, 3, 29), 226), (D(2026, 4, 12), 238)]
    trend = fit_trend(_exams(scores).practice, D(2026, 4, 12))
    test_day = D(2026, 4, 26)
    p = project(trend, test_day, DATA, delay_weeks=0, review=D(2026, 9, 23))
    t = np.array([0.0, 2, 4, 6])
    y = np.array([220.0, 231, 226, 238])
    slope, intercept = np.polyfit(t, y, 1)
    s = np.sqrt(np.sum((y - (slope * t + intercept)) ** 2) / 2)
    half = stats.t.ppf(0.9, 2) * s * np.sqrt(1 + 1 / 4 + (8 - t.mean()) ** 2 / np.sum((t - t.mean()) ** 2))
    expected = slope * 6 + intercept + slope * 2  # 2 weeks past the last score, within the 6-week span
    assert p.expected == pytest.approx(expected, abs=0.06)
    assert p.high - p.low == pytest.approx(2 * half, abs=0.2)
    assert not p.capped and p.in_time


def test_steep_trend_is_capped_at_the_realistic_pace() -> None:
    scores = [(D(2026, 1, 5), 190), (D(2026, 1, 12), 200), (D(2026, 1, 19), 210), (D(2026, 1, 26), 220)]
    trend = fit_trend(_exams(scores).practice, D(2026, 1, 26))
    p = project(trend, D(2026, 2, 23), DATA, delay_weeks=4, review=D(2026, 9, 23))
    assert p.capped
    assert p.expected == pytest.approx(220 + 15)  # 4 weeks: at most 15 points, not 40


def test_delay_when_well_below_goal_and_time_allows() -> None:
    advice = advise_step2(_exams(RISING_LOW), CYCLE_2027, DATA, D(2026, 3, 16))
    assert advice.decision is Decision.DELAY
    assert advice.delay_weeks == 4
    assert advice.recommended_date == D(2026, 4, 13)
    assert advice.chosen is not None and advice.chosen.band is ScoreBand.VIABLE
    assert advice.chosen.expected == pytest.approx(214 + 4 * 7 / 3, abs=0.06)
    assert advice.band is ScoreBand.VIABLE
    assert "220-234" in advice.list_strategy


def test_no_delay_when_eras_is_less_than_three_months_away() -> None:
    late = [(D(2026, 5, 20), 200), (D(2026, 6, 10), 207), (D(2026, 7, 1), 214)]
    advice = advise_step2(_exams(late), CYCLE_2027, DATA, D(2026, 7, 1))
    assert advice.decision is Decision.TEST_AS_PLANNED
    assert advice.recommended_date == D(2026, 7, 1)
    assert any("too close to delay" in r for r in advice.reasons)


def test_no_delay_when_not_well_below_goal() -> None:
    scores = [(D(2026, 2, 2), 224), (D(2026, 2, 23), 227), (D(2026, 3, 16), 229)]
    advice = advise_step2(_exams(scores, step2_planned_date=D(2026, 5, 1)), CYCLE_2027, DATA, D(2026, 3, 16))
    assert advice.decision is Decision.TEST_AS_PLANNED
    assert advice.recommended_date == D(2026, 5, 1)
    assert advice.delay_weeks == 0


def test_planned_date_too_late_moves_to_latest_safe_date() -> None:
    exams = _exams(RISING_LOW, step2_planned_date=D(2026, 9, 10))
    advice = advise_step2(exams, CYCLE_2027, DATA, D(2026, 6, 1))
    assert latest_safe_test_date(CYCLE_2027, DATA) == D(2026, 8, 26)
    assert advice.decision is Decision.MOVE_EARLIER
    assert advice.recommended_date == D(2026, 8, 26)
    assert advice.chosen is not None and advice.chosen.score_back <= D(2026, 9, 23)


def test_after_the_safe_date_test_asap_with_consequences() -> None:
    advice = advise_step2(_exams(RISING_LOW), CYCLE_2027, DATA, D(2026, 9, 1))
    assert advice.decision is Decision.TEST_ASAP
    assert any("without the score" in r for r in advice.reasons)


def test_scored_and_no_practice() -> None:
    scored = advise_step2(_exams([], step2_ck=251), CYCLE_2027, DATA, D(2026, 3, 1))
    assert (scored.decision, scored.band, scored.recommended_date) == (
        Decision.SCORED,
        ScoreBand.STRONG,
        None,
    )
    empty = advise_step2(_exams([]), CYCLE_2027, DATA, D(2026, 3, 1))
    assert (empty.decision, empty.band) == (Decision.NO_PRACTICE, ScoreBand.PENDING)
    assert "baseline" in empty.reasons[0]


def test_exam_failure_means_low_score_strategy_whatever_the_projection() -> None:
    scores = [(D(2026, 2, 2), 240), (D(2026, 2, 23), 244), (D(2026, 3, 16), 246)]
    exams = Exams(
        step1=ExamResult.PASS,
        step1_attempts=2,
        practice=tuple(PracticeTest(date=d, score=s) for d, s in scores),
    )
    advice = advise_step2(exams, CYCLE_2027, DATA, D(2026, 3, 16))
    assert advice.band is ScoreBand.LOW


def test_test_by_task_only_while_pending() -> None:
    assert step2_test_by_date(CYCLE_2027, DATA) == D(2026, 7, 31)
    (task,) = step2_tasks(_exams([], step2_planned_date=D(2026, 8, 20)), CYCLE_2027, DATA)
    assert (task.id, task.start, task.due) == ("step2-test-by", D(2026, 6, 1), D(2026, 7, 31))
    assert "move it earlier" in task.why
    (early,) = step2_tasks(_exams([], step2_planned_date=D(2026, 4, 20)), CYCLE_2027, DATA)
    assert early.start == D(2026, 4, 20) and "in time" in early.why
    assert step2_tasks(_exams([], step2_ck=230), CYCLE_2027, DATA) == ()


practice_sets = st.lists(
    st.tuples(st.dates(D(2026, 1, 1), D(2026, 6, 30)), st.integers(150, 270)), min_size=1, max_size=8
)


@settings(max_examples=60, deadline=None)
@given(practice_sets, st.dates(D(2026, 1, 1), D(2026, 9, 20)))
def test_advice_invariants(scores: list[tuple[dt.date, int]], today: dt.date) -> None:
    advice = advise_step2(_exams(scores), CYCLE_2027, DATA, today)
    for p in advice.projections:
        assert 1 <= p.low <= p.expected <= p.high <= 300
        level = advice.trend.last_level
        assert level is not None and advice.trend.last_date is not None
        weeks = (p.test_date - advice.trend.last_date).days / 7
        assert abs(p.expected - level) <= max_gain(weeks, DATA) + 0.06
    if advice.decision is Decision.DELAY:
        assert advice.chosen is not None and advice.chosen.in_time
        assert advice.projections[0].expected < 215
        assert 4 <= advice.delay_weeks <= 8


PACE = DATA.figure("step2_gain")


def test_projection_is_the_score_when_reported_and_none_without_practice() -> None:
    assert projected_step2(_exams([], step2_ck=244), PACE) == Step2Estimate(244.0, False)
    assert projected_step2(_exams([]), PACE) is None


def test_projection_is_for_the_planned_date_or_the_last_practice_score() -> None:
    booked = projected_step2(_exams(RISING_LOW, step2_planned_date=D(2026, 6, 1)), PACE)
    assert booked is not None and (booked.test_date, booked.practice, booked.estimated) == (
        D(2026, 6, 1), 3, True
    )  # fmt: skip
    unbooked = projected_step2(_exams(RISING_LOW), PACE)
    assert unbooked is not None and unbooked.test_date == D(2026, 3, 16)
    level = fit_trend(_exams(RISING_LOW).practice, D(2026, 3, 16)).last_level
    assert unbooked.score == pytest.approx(level, abs=0.1)


@settings(max_examples=60, deadline=None)
@given(practice_sets, st.dates(D(2026, 7, 1), D(2026, 9, 20)))
def test_exam_advice_carries_the_one_projection_and_matches_it_on_the_planned_date(
    scores: list[tuple[dt.date, int]], planned: dt.date
) -> None:
    exams = _exams(scores, step2_planned_date=planned)
    # Every practice score is in the past (input rule), so "today" is any day after the last one.
    today = max(d for d, _ in scores)
    advice = advise_step2(exams, CYCLE_2027, DATA, today)
    shared = projected_step2(exams, PACE)
    assert advice.projected == shared and shared is not None
    base = advice.projections[0]
    if base.test_date == planned:  # not moved earlier: the advice's own projection is the shared one
        assert base.expected == shared.score
