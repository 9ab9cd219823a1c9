"""Step 2 CK strategy: from dated practice scores, when to test and what score to expect.

Method: (1) fit a least-squares line through the practice scores dated on or before ``today``; with 3
or more scores the residuals give an 80% prediction interval (Student t, n-2 degrees of freedom) for one
new score. (2) Extrapolate the trend from the last practice score no further ahead than the scores reach back,
cap the gain at the published realistic pace (15 points in 4 weeks, 20 in 6 at best, 30+ unlikely:
shared/seeds/002), and centre the interval on the capped value. (3) Project onto candidate test dates
(the planned date or today, then +2 ... +8 weeks).
(4) Recommend: test as planned, move the date earlier (when the score would come back after programs
start reviewing), or delay N weeks; delay only when the score is well below goal (<215), 4-8 more weeks
reach a better band, the score still comes back in time, and ERAS is more than 3 months away (seeds/002).

`projected_step2` is the one Step 2 CK projection every command shows and the chance model uses: the
reported score, or the trend of all practice scores projected onto the planned test date (practice
scores dated after today are rejected as input, so it does not depend on the date of the advice).

Abbreviations: CK = Clinical Knowledge; ERAS = Electronic Residency Application Service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from scipy import stats

from smartpick.domain.dates import add_months, end_of_month
from smartpick.domain.planning.calendar import (
    Basis,
    CalendarData,
    Cycle,
    CycleEvent,
    Figure,
    Task,
    TaskStatus,
)
from smartpick.domain.profile.applicant import Exams, PracticeTest, ScoreBand, score_band, step2_band

PREDICTION_LEVEL = 0.80  # two-sided level of the prediction interval: a planning band, not a guarantee
CANDIDATE_DELAYS_WEEKS = (0, 2, 4, 6, 8)
_BAND_ORDER = (ScoreBand.LOW, ScoreBand.VIABLE, ScoreBand.SOLID, ScoreBand.STRONG)


class Decision(StrEnum):
    """What the advice says to do."""

    SCORED = "scored"
    NO_PRACTICE = "no_practice"
    TEST_AS_PLANNED = "test_as_planned"
    DELAY = "delay"
    MOVE_EARLIER = "move_earlier"  # the planned score would come back too late: test by the safe date
    TEST_ASAP = "test_asap"


@dataclass(frozen=True)
class Trend:
    """The fitted practice-score trend; ``t_mean``/``sxx`` (in weeks) feed the prediction interval."""

    n: int
    slope_per_week: float | None = None
    residual_sd: float | None = None
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    last_level: float | None = None
    t_mean: float = 0.0
    sxx: float = 0.0
    ignored_future: int = 0


@dataclass(frozen=True)
class Projection:
    """The expected Step 2 CK score if tested on ``test_date``."""

    test_date: dt.date
    delay_weeks: int
    expected: float
    low: float
    high: float
    capped: bool
    score_back: dt.date
    in_time: bool

    @property
    def band(self) -> ScoreBand:
        """Band of the expected score."""
        return score_band(round(self.expected))


@dataclass(frozen=True)
class Step2Estimate:
    """The Step 2 CK score the model uses: reported, or projected for ``test_date`` from practice scores."""

    score: float
    estimated: bool
    test_date: dt.date | None = None
    practice: int = 0


@dataclass(frozen=True)
class Step2Advice:
    """The Step 2 CK recommendation, with the evidence behind it.

    ``chosen`` is the projection for the recommended test date (``None`` when already scored or
    when there are no practice scores); ``band`` is the band to plan the program list for.
    """

    decision: Decision
    score: int | None
    trend: Trend
    latest_safe_date: dt.date
    goal: int
    practice_at_goal: int
    sources: tuple[str, ...]
    reasons: tuple[str, ...]
    chosen: Projection | None = None
    band: ScoreBand = ScoreBand.PENDING
    interval: str = "no practice scores"
    projections: tuple[Projection, ...] = ()
    list_strategy: str = ""
    projected: Step2Estimate | None = None

    @property
    def recommended_date(self) -> dt.date | None:
        """The test date to book, if a test is still to take."""
        return self.chosen.test_date if self.chosen else None

    @property
    def delay_weeks(self) -> int:
        """Weeks added to the planned date (0 unless the decision is a delay)."""
        return self.chosen.delay_weeks if self.chosen and self.decision is Decision.DELAY else 0


def max_gain(weeks: float, data: CalendarData) -> float:
    """Best realistic gain after ``weeks`` of study (the ``step2_gain`` figure, see `pace_cap`)."""
    return pace_cap(weeks, data.figure("step2_gain"))


def pace_cap(weeks: float, fig: Figure) -> float:
    """Best realistic gain after ``weeks`` of study: 15 by week 4, 20 by week 6, never past 30.

    Beyond 6 weeks the pace of the 4-to-6-week segment continues until the "30+ is unlikely" ceiling.
    """
    wl, wh = fig.num("weeks_low"), fig.num("weeks_high")
    gl, gh, ceiling = fig.num("gain_low"), fig.num("gain_high"), fig.num("unlikely")
    rate = (gh - gl) / (wh - wl)
    xp = [0.0, wl, wh, wh + (ceiling - gh) / rate]
    return float(np.interp(max(weeks, 0.0), xp, [0.0, gl, gh, ceiling]))


def fit_trend(practice: tuple[PracticeTest, ...], today: dt.date) -> Trend:
    """Least-squares line through the practice scores dated on or before ``today``."""
    used = sorted((p for p in practice if p.date <= today), key=lambda p: p.date)
    ignored = len(practice) - len(used)
    if not used:
        return Trend(0, ignored_future=ignored)
    first, last = used[0].date, used[-1].date
    y = np.array([p.score for p in used], dtype=float)
    if first == last:
        return Trend(len(used), None, None, first, last, float(y.mean()), ignored_future=ignored)
    t = np.array([(p.date - first).days / 7 for p in used], dtype=float)
    slope, intercept = (float(v) for v in np.polyfit(t, y, 1))
    if len(used) < 3:
        return Trend(len(used), slope, None, first, last, float(y[-1]), ignored_future=ignored)
    resid = y - (slope * t + intercept)
    resid_sd = float(np.sqrt(np.sum(resid**2) / (len(used) - 2)))
    level = slope * float(t[-1]) + intercept
    sxx = float(np.sum((t - t.mean()) ** 2))
    return Trend(len(used), slope, resid_sd, first, last, level, float(t.mean()), sxx, ignored)


def project(
    trend: Trend, test_date: dt.date, data: CalendarData, *, delay_weeks: int, review: dt.date
) -> Projection:
    """Project the score on ``test_date`` from the trend, the pace cap and the prediction interval."""
    if trend.last_date is None or trend.last_level is None:
        raise ValueError("no practice scores to project from")
    expected, cap, capped = _trend_at(trend, test_date, data.figure("step2_gain"))
    if trend.residual_sd is not None:
        half = _half_width(trend, test_date)
        low, high = expected - half, expected + half
    else:
        low, high = min(trend.last_level, expected), trend.last_level + cap
    back = test_date + dt.timedelta(weeks=data.figure("step2_report_weeks").whole("value"))
    return Projection(
        test_date=test_date,
        delay_weeks=delay_weeks,
        expected=_clip_score(expected),
        low=_clip_score(low),
        high=_clip_score(high),
        capped=capped,
        score_back=back,
        in_time=back <= review,
    )


def _trend_at(trend: Trend, test_date: dt.date, pace: Figure) -> tuple[float, float, bool]:
    """The trend's score on ``test_date``, the pace cap, and whether the cap applied."""
    assert trend.last_date is not None and trend.last_level is not None
    weeks = (test_date - trend.last_date).days / 7
    cap = pace_cap(weeks, pace)
    # Extrapolate no further ahead than the practice scores reach back: scores plateau, and a short
    # run of scores says little about the pace months later.
    span = (trend.last_date - (trend.first_date or trend.last_date)).days / 7
    raw = (trend.slope_per_week or 0.0) * min(weeks, span)
    return trend.last_level + float(np.clip(raw, -cap, cap)), cap, abs(raw) > cap


def projected_step2(exams: Exams, pace: Figure) -> Step2Estimate | None:
    """The one Step 2 CK projection: the reported score, else the practice trend on the planned test date.

    Without a planned date (or with one before the last practice score) the projection is for the day of
    the last practice score. ``None`` when the score is pending and there are no practice scores.
    """
    if exams.step2_ck is not None:
        return Step2Estimate(float(exams.step2_ck), False)
    trend = fit_trend(exams.practice, dt.date.max)
    if trend.last_date is None:
        return None
    on = max(exams.step2_planned_date or trend.last_date, trend.last_date)
    return Step2Estimate(_clip_score(_trend_at(trend, on, pace)[0]), True, on, trend.n)


def _half_width(trend: Trend, test_date: dt.date) -> float:
    """Half-width of the prediction interval for one new score at ``test_date`` (OLS, t quantile)."""
    assert trend.first_date is not None and trend.residual_sd is not None
    t_new = (test_date - trend.first_date).days / 7
    tq = float(stats.t.ppf(0.5 + PREDICTION_LEVEL / 2, trend.n - 2))
    spread = 1 + 1 / trend.n + (t_new - trend.t_mean) ** 2 / trend.sxx
    return tq * trend.residual_sd * float(np.sqrt(spread))


def _clip_score(value: float) -> float:
    return round(float(np.clip(value, 1.0, 300.0)), 1)


def latest_safe_test_date(cycle: Cycle, data: CalendarData) -> dt.date:
    """Last test date whose score is back (about 4 weeks later) when programs start reviewing."""
    weeks = data.figure("step2_report_weeks").whole("value")
    return cycle[CycleEvent.PROGRAMS_REVIEW] - dt.timedelta(weeks=weeks)


def step2_test_by_date(cycle: Cycle, data: CalendarData) -> dt.date:
    """Recommended test-by date: end of July before the Match year, or earlier if scores come back late."""
    month = data.figure("step2_test_by_month").whole("value")
    return min(end_of_month(cycle.match_year - 1, month), latest_safe_test_date(cycle, data))


def advise_step2(exams: Exams, cycle: Cycle, data: CalendarData, today: dt.date) -> Step2Advice:
    """The Step 2 CK recommendation for this cycle.

    Args:
        exams: the profile's exams (score, planned date, practice scores).
        cycle: the cycle's dates (programs review applications on ``programs_review``).
        data: bundled figures (pace, delay rule, report time, list strategy).
        today: the date the advice is for.

    Returns:
        The decision, the recommended test date, the projected band and the reasons.
    """
    trend = fit_trend(exams.practice, today)
    goal = data.figure("step2_goal").whole("value")
    at_goal = sum(1 for p in exams.practice if p.date <= today and p.score >= goal)
    notes = _notes(trend, at_goal, goal)
    figures = ("step2_gain", "step2_delay", "step2_report_weeks", "step2_goal")
    sources = tuple(data.figure_source(f) for f in figures)
    safe = latest_safe_test_date(cycle, data)
    advice = Step2Advice(Decision.NO_PRACTICE, exams.step2_ck, trend, safe, goal, at_goal, sources, notes)
    if exams.step2_ck is not None:
        band = step2_band(exams)
        why = f"Step 2 CK is already scored: {exams.step2_ck} ({band.value}); no test date to choose."
        advice = replace(
            advice, decision=Decision.SCORED, band=band, interval="reported score", reasons=(why,)
        )
    elif trend.n == 0:
        weeks = data.figure("practice_interval_weeks")
        why = (
            "No practice score dated on or before today: take a baseline practice exam now, then one every "
            f"{weeks.whole('low')}-{weeks.whole('high')} weeks, and run this advice again."
        )
        advice = replace(advice, reasons=(why, *notes))
    else:
        advice = _projected(advice, exams, cycle, data, today)
    projected = projected_step2(exams, data.figure("step2_gain"))
    return replace(advice, list_strategy=_strategy(advice.band, data), projected=projected)


def _projected(
    advice: Step2Advice, exams: Exams, cycle: Cycle, data: CalendarData, today: dt.date
) -> Step2Advice:
    trend, planned, safe = advice.trend, exams.step2_planned_date, advice.latest_safe_date
    base = planned if planned is not None and planned >= today else today
    moved = today <= safe < base  # the planned score would come back after programs start reviewing
    base = safe if moved else base
    review = cycle[CycleEvent.PROGRAMS_REVIEW]
    projections = tuple(
        project(trend, base + dt.timedelta(weeks=w), data, delay_weeks=w, review=review)
        for w in CANDIDATE_DELAYS_WEEKS
    )
    decision, chosen, reasons = _decide(projections, cycle, data, today)
    if moved and decision is Decision.TEST_AS_PLANNED:
        decision = Decision.MOVE_EARLIER
        reasons.insert(0, f"The planned date {planned} returns the score after programs start reviewing.")
    interval = (
        f"{round(PREDICTION_LEVEL * 100)}% prediction interval from {trend.n} practice scores"
        if trend.residual_sd is not None
        else f"pace rule only ({trend.n} practice score(s); 3 are needed for a statistical interval)"
    )
    band = _planning_band(chosen, exams)
    low_band = score_band(round(chosen.low))
    if band is not ScoreBand.LOW and _rank(low_band) < _rank(band):
        reasons.append(
            f"The low end ({chosen.low:.0f}) is in the {low_band.value} band: "
            "keep enough core and safety programs on the list to cover it."
        )
    reasons = [*reasons, *advice.reasons]
    return replace(
        advice,
        decision=decision,
        chosen=chosen,
        band=band,
        interval=interval,
        projections=projections,
        reasons=tuple(reasons),
    )


def _planning_band(p: Projection, exams: Exams) -> ScoreBand:
    """Band to plan for: the expected score's, but an exam failure always means the low-score strategy."""
    failed = exams.step1_attempts > 1 or exams.step2_attempts > 1
    return ScoreBand.LOW if failed else p.band


def _decide(
    projections: tuple[Projection, ...], cycle: Cycle, data: CalendarData, today: dt.date
) -> tuple[Decision, Projection, list[str]]:
    base = projections[0]
    if not base.in_time:
        return _late_choice(base, latest_safe_test_date(cycle, data))
    rule = data.figure("step2_delay")
    review, below = cycle[CycleEvent.PROGRAMS_REVIEW], rule.whole("below")
    reasons = [
        f"Testing on {base.test_date} puts the score back about {base.score_back}, "
        f"before programs review applications on {review}."
    ]
    if base.expected >= below:
        reasons.append(
            f"Projected {base.expected:.0f} is not well below goal (the delay rule needs <{below}), "
            "so a delay is not worth the risk: test as planned."
        )
        return Decision.TEST_AS_PLANNED, base, reasons
    eras = cycle[CycleEvent.ERAS_SUBMISSION_OPENS]
    if today > add_months(eras, -rule.whole("eras_months")):
        reasons.append(
            f"ERAS opens {eras}, less than {rule.whole('eras_months')} months away: "
            "too close to delay, test as planned."
        )
        return Decision.TEST_AS_PLANNED, base, reasons
    return _delay_choice(projections, rule.whole("weeks_low"), rule.whole("weeks_high"), reasons)


def _rank(band: ScoreBand) -> int:
    return _BAND_ORDER.index(band)


def _delay_choice(
    projections: tuple[Projection, ...], lo: int, hi: int, reasons: list[str]
) -> tuple[Decision, Projection, list[str]]:
    base = projections[0]
    options = [p for p in projections if lo <= p.delay_weeks <= hi and p.in_time]
    better = [p for p in options if _rank(p.band) > _rank(base.band)]
    if not better:
        why = (
            f"no {lo}-{hi} week delay keeps the score in time"
            if not options
            else (f"{lo}-{hi} more weeks do not reach a better band")
        )
        reasons.append(f"Projected {base.expected:.0f} is well below goal, but {why}: test as planned.")
        return Decision.TEST_AS_PLANNED, base, reasons
    best = max(_rank(p.band) for p in better)
    pick = min((p for p in better if _rank(p.band) == best), key=lambda p: p.delay_weeks)
    reasons.append(
        f"Projected {base.expected:.0f} is well below goal; {pick.delay_weeks} more weeks project "
        f"{pick.expected:.0f} ({pick.band.value}), and the score is still back by {pick.score_back}."
    )
    return Decision.DELAY, pick, reasons


def _late_choice(base: Projection, safe: dt.date) -> tuple[Decision, Projection, list[str]]:
    why = (
        f"The last test date with the score back in time was {safe}. Test as soon as you can, submit ERAS "
        "on time without the score and update it when the score arrives, apply more broadly, and expect "
        "some programs to screen you out without a number; if practice scores are low, weigh the next cycle."
    )
    return Decision.TEST_ASAP, base, [why]


def _notes(trend: Trend, at_goal: int, goal: int) -> tuple[str, ...]:
    notes = []
    if trend.ignored_future:
        notes.append(f"{trend.ignored_future} practice score(s) dated after today were ignored.")
    if trend.slope_per_week is not None:
        notes.append(f"Trend: {trend.slope_per_week:+.1f} points a week over {trend.n} practice scores.")
    if at_goal < 2:
        notes.append(f"Aim for 2 practice tests at or above {goal} before test day ({at_goal} so far).")
    return tuple(notes)


def _strategy(band: ScoreBand, data: CalendarData) -> str:
    return f"{data.list_strategy[band.value]} ({data.cite(data.list_strategy['source'])})"


def step2_tasks(exams: Exams, cycle: Cycle, data: CalendarData) -> tuple[Task, ...]:
    """The Step 2 CK test-by task, only while the score is pending."""
    if exams.step2_ck is not None:
        return ()
    due = step2_test_by_date(cycle, data)
    planned = exams.step2_planned_date
    june = dt.date(cycle.match_year - 1, 6, 1)
    why = "The score must be back (about 4 weeks after the test) before programs screen in September."
    if planned is not None:
        verdict = "after this test-by date: move it earlier" if planned > due else "in time"
        why += f" Your planned date {planned} is {verdict}."
    sources = (data.figure_source("step2_test_by_month"), data.figure_source("step2_report_weeks"))
    test_by = Task(
        id="step2-test-by",
        title="Take USMLE Step 2 CK",
        category="exam",
        start=min(planned or june, june, due),
        due=due,
        status=TaskStatus.TODO,
        why=why,
        source=" | ".join(sources),
        basis=Basis.COMPUTED,
        instead="Test as soon as possible and submit ERAS on time without the score; apply more broadly, "
        "update ERAS when the score arrives, and run `smartpick exam advise` for the trade-off.",
    )
    return (test_by,)
