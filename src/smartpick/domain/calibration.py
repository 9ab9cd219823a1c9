"""Calibration of the chance model against the published match rates (figures.toml).

Targets:
    1. P(match) of each applicant type (``match_rates``) for a synthetic population whose Step 2 CK follows
       ``score_distribution`` and who each apply to ``typical_applications`` reference programs.
    2. Per Step 2 CK band: the type's rate spread over the bands by a logistic-normal model whose slope makes
       matched applicants outscore unmatched ones by ``score_gradient.matched_minus_unmatched_step2`` points
       (derived targets, estimates).
    3. The shape of P(match | k contiguous ranks) (``ranks_shape``) for a US senior at the US MD mean score.

The synthetic population is a deterministic weighted grid of reference applicants (integer scores 180-290;
two US physiatrist letters, 3 months of hands-on USCE, no flags) applying to reference programs (every fact
unknown, so only the applicant's terms and the visa factor matter). Every number goes through
`smartpick.domain.chances`, so the test exercises the model the user sees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq, minimize_scalar

from smartpick.domain import chances
from smartpick.domain.figures import Figures, Intercepts
from smartpick.domain.profile import (
    Applicant,
    ApplicantType,
    ExamResult,
    Exams,
    Experience,
    Letter,
    LetterStrength,
    Profile,
    ScoreBand,
    Specialty,
)
from smartpick.domain.programs import Program, Track, TrackType

SCORES = np.arange(180, 291, dtype=float)
BAND_RANGES: dict[ScoreBand, tuple[float, float]] = {
    ScoreBand.LOW: (0, 220),
    ScoreBand.VIABLE: (220, 235),
    ScoreBand.SOLID: (235, 245),
    ScoreBand.STRONG: (245, 301),
}
CALIBRATED_BANDS = tuple(BAND_RANGES)


@dataclass(frozen=True)
class BandCheck:
    """Model vs target P(match) for one applicant type and band."""

    applicant_type: ApplicantType
    band: ScoreBand | None
    target: float
    model: float

    @property
    def error_pp(self) -> float:
        """Absolute difference in percentage points."""
        return abs(self.model - self.target) * 100


def reference_profile(applicant_type: ApplicantType, score: int, *, needs_visa: bool = False) -> Profile:
    """The calibration's reference applicant of a type with a given Step 2 CK."""
    pmr = Letter(writer_specialty=Specialty.PMR, us=True, strength=LetterStrength.GOOD)
    return Profile(
        applicant=Applicant(
            type=applicant_type, needs_visa=needs_visa, graduation_year=2026, target_start_year=2027
        ),
        exams=Exams(step1=ExamResult.PASS, step2_ck=score),
        experience=Experience(us_clinical_months_hands_on=3),
        letters=(pmr, pmr),
    )


@lru_cache(maxsize=1)
def reference_program() -> Program:
    """A program whose every fact is unknown: contributes nothing but uncertainty."""
    track = Track(code="0000340C0", type=TrackType.CATEGORICAL)
    return Program(id="REFERENCE", name="Reference program", institution="Reference", tracks=(track,))


def _weights(figures: Figures, applicant_type: ApplicantType, band: ScoreBand | None) -> NDArray[np.float64]:
    dist = figures.score_distribution[applicant_type]
    w = np.exp(-0.5 * ((SCORES - dist.mean) / dist.sd) ** 2)
    if band is not None:
        lo, hi = BAND_RANGES[band]
        w = w * ((lo <= SCORES) & (hi > SCORES))
    out: NDArray[np.float64] = w / w.sum()
    return out


def individual_p_match(figures: Figures, applicant_type: ApplicantType) -> NDArray[np.float64]:
    """P(match) of the reference applicant at each grid score, applying the typical number of programs."""
    n = figures.typical_applications[applicant_type].value
    share = figures.visa_need_share.get(applicant_type)
    mixes = [(False, 1.0)] if share is None else [(True, share.value), (False, 1.0 - share.value)]
    out = np.zeros_like(SCORES)
    for needs_visa, weight in mixes:
        f = np.array([_f_ref(figures, applicant_type, int(s), needs_visa) for s in SCORES])
        out += weight * (1.0 - (1.0 - f) ** n)
    return out


def _f_ref(figures: Figures, applicant_type: ApplicantType, score: int, needs_visa: bool) -> float:
    profile = reference_profile(applicant_type, score, needs_visa=needs_visa)
    return chances.program_chances(profile, reference_program(), figures).p_match


def population_rate(figures: Figures, applicant_type: ApplicantType, band: ScoreBand | None = None) -> float:
    """P(match) of the synthetic population of one type (and band)."""
    return float(_weights(figures, applicant_type, band) @ individual_p_match(figures, applicant_type))


def matched_minus_unmatched(figures: Figures, applicant_type: ApplicantType) -> float:
    """Mean Step 2 CK of matched minus unmatched applicants in the synthetic population."""
    w, p = _weights(figures, applicant_type, None), individual_p_match(figures, applicant_type)
    return float((w * p) @ SCORES / (w @ p) - (w * (1 - p)) @ SCORES / (w @ (1 - p)))


def _logistic_slope(figures: Figures) -> float:
    """Slope b of P(match|s) = sigmoid(a + b s) giving the published matched-unmatched gap for US MDs."""
    gap = figures.score_gradient["matched_minus_unmatched_step2"].value
    w = _weights(figures, ApplicantType.US_MD, None)
    target = figures.match_rates[ApplicantType.US_MD].value

    def gap_for(b: float) -> float:
        a = _intercept_for(w, b, target)
        p = 1 / (1 + np.exp(-(a + b * (SCORES - 230))))
        return float((w * p) @ SCORES / (w @ p) - (w * (1 - p)) @ SCORES / (w @ (1 - p))) - gap

    return float(brentq(gap_for, 1e-4, 1.0))


def _intercept_for(w: NDArray[np.float64], b: float, target: float) -> float:
    def rate(a: float) -> float:
        return float(w @ (1 / (1 + np.exp(-(a + b * (SCORES - 230)))))) - target

    return float(brentq(rate, -30, 30))


def band_targets(figures: Figures) -> dict[tuple[ApplicantType, ScoreBand], float]:
    """Derived per-band targets: each type's published rate spread over the bands (estimates)."""
    b = _logistic_slope(figures)
    out = {}
    for t in ApplicantType:
        a = _intercept_for(_weights(figures, t, None), b, figures.match_rates[t].value)
        p = 1 / (1 + np.exp(-(a + b * (SCORES - 230))))
        for band in CALIBRATED_BANDS:
            out[(t, band)] = float(_weights(figures, t, band) @ p)
    return out


def calibration_report(figures: Figures) -> tuple[BandCheck, ...]:
    """Model vs target for every type overall and for every (type, band)."""
    targets = band_targets(figures)
    rows = []
    for t in ApplicantType:
        rows.append(BandCheck(t, None, figures.match_rates[t].value, population_rate(figures, t)))
        rows.extend(
            BandCheck(t, b, targets[(t, b)], population_rate(figures, t, b)) for b in CALIBRATED_BANDS
        )
    return tuple(rows)


def ranks_curve(figures: Figures, applicant_type: ApplicantType = ApplicantType.US_MD) -> tuple[float, ...]:
    """Model P(match | k interviews) at the type's mean score, for each k of ``ranks_shape``."""
    score = round(figures.score_distribution[applicant_type].mean)
    q = chances.program_chances(reference_profile(applicant_type, score), reference_program(), figures)
    return tuple(1.0 - (1.0 - q.p_match_if_interviewed) ** k for k in figures.ranks_shape.ranks)


def fit_intercepts(figures: Figures) -> dict[ApplicantType, Intercepts]:
    """Refit every type's intercepts: rank from the k-ranks shape, interview from the match rate.

    Steps: (1) q for a US senior at the US MD mean score minimising squared error to ``ranks_shape``;
    (2) rank intercepts = logit(q) minus the score term, IMGs shifted by ``rank_img_offset``;
    (3) for each type, the interview intercept solving population_rate = match rate (Brent's method).
    """
    shape = figures.ranks_shape
    ks, target = np.array(shape.ranks, dtype=float), np.array(shape.p_match)
    q = float(
        minimize_scalar(
            lambda x: float(((1 - (1 - x) ** ks - target) ** 2).sum()), bounds=(0.01, 0.99), method="bounded"
        ).x
    )
    slope = figures.model.rank["step2_per_10"].value
    us_mean = figures.score_distribution[ApplicantType.US_MD].mean
    rank_us = math.log(q / (1 - q)) - slope * (us_mean - figures.model.score_reference) / 10
    fitted = dict(figures.model.intercepts)
    for t in ApplicantType:
        rank = rank_us + (figures.model.rank_img_offset.value if t.is_img else 0.0)

        def gap(a: float, t: ApplicantType = t, rank: float = rank) -> float:
            icpt = fitted[t].model_copy(update={"interview": a, "rank": rank})
            return (
                population_rate(with_intercepts(figures, {**fitted, t: icpt}), t)
                - figures.match_rates[t].value
            )

        a = float(brentq(gap, -8.0, 4.0, xtol=1e-4))
        fitted[t] = fitted[t].model_copy(update={"interview": a, "rank": rank})
    return fitted


def with_intercepts(figures: Figures, intercepts: dict[ApplicantType, Intercepts]) -> Figures:
    """A copy of the figures with other intercepts."""
    model = figures.model.model_copy(update={"intercepts": intercepts})
    return figures.model_copy(update={"model": model})


def with_slopes(figures: Figures, interview_per_10: float, rank_per_10: float) -> Figures:
    """A copy of the figures with other Step 2 CK slopes."""
    m = figures.model
    interview = {
        **m.interview,
        "step2_per_10": m.interview["step2_per_10"].model_copy(update={"value": interview_per_10}),
    }
    rank = {**m.rank, "step2_per_10": m.rank["step2_per_10"].model_copy(update={"value": rank_per_10})}
    return figures.model_copy(update={"model": m.model_copy(update={"interview": interview, "rank": rank})})


def fit_model(figures: Figures) -> Figures:
    """Refit the Step 2 CK slopes (keeping their ratio) and then every intercept.

    The slopes are scaled until matched US MDs outscore unmatched ones by the published gap; the
    intercepts are refitted at each step by `fit_intercepts`.
    """
    m = figures.model
    ratio = m.rank["step2_per_10"].value / m.interview["step2_per_10"].value
    gap = figures.score_gradient["matched_minus_unmatched_step2"].value

    def refit(slope: float) -> Figures:
        f = with_slopes(figures, slope, slope * ratio)
        return with_intercepts(f, fit_intercepts(f))

    slope = float(
        brentq(lambda s: matched_minus_unmatched(refit(s), ApplicantType.US_MD) - gap, 0.05, 1.5, xtol=1e-3)
    )
    return refit(slope)
