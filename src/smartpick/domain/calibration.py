"""Calibration of the chance model against the published match figures (figures.toml).

Targets, for each applicant type (a synthetic population whose Step 2 CK follows ``score_distribution``
and who each apply to ``typical_applications`` reference programs):
    1. P(match) (``match_rates``).
    2. The mean number of interviews, i.e. contiguous ranks, of MATCHED applicants (``ranks_matched``: 12.7
       for US MD seniors, Charting Outcomes 2014; openly estimated ratios for the other types). Targets 1
       and 2 fix the type's two intercepts: the rate fixes the product P(interview) x P(match | interviewed),
       the ranks its split.
    3. Per Step 2 CK band: the type's rate spread over the bands by a logistic-normal model whose slope makes
       matched applicants outscore unmatched ones by ``score_gradient.matched_minus_unmatched_step2`` points
       (derived targets, estimates); the Step 2 CK slopes are fitted to that gap.
Checks: P(match | k contiguous ranks) for a US senior at the US MD mean score has the published shape
(``ranks_shape``), and matched applicants' lists are longer than unmatched ones' by no more than the published
maximum (``rank_list_gap``).

The synthetic population is a deterministic weighted grid of reference applicants (integer scores 180-290;
two US physiatrist letters, 3 months of hands-on USCE, no flags) applying to reference programs (every fact
unknown, so only the applicant's terms and the visa factor matter). Every number goes through
`smartpick.domain.chances`, so the test exercises the model the user sees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

from smartpick.domain import chances
from smartpick.domain.figures import Figures, Intercepts, RanksShape
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


@dataclass(frozen=True)
class Population:
    """The reference applicants of one type on the score grid, as logit offsets of the chance model.

    ``interview[m, i]`` and ``rank[m, i]`` are the interview and rank logits of the reference applicant with
    score ``SCORES[i]`` in visa mix ``m``, minus the type's intercepts (computed through `chances`), so the
    intercepts can be refitted without recomputing the model. ``visa[m]`` is that mix's visa factor.
    """

    mix_weights: NDArray[np.float64]
    visa: NDArray[np.float64]
    interview: NDArray[np.float64]
    rank: NDArray[np.float64]
    applications: int

    def per_score(self, a: float, r: float) -> tuple[NDArray[np.float64], ...]:
        """P(match), E[interviews; matched] and E[interviews; unmatched] per score, intercepts ``a``, ``r``.

        Interviews are independent (the portfolio model), so the count K is binomial(n, p) and, ranking
        every interview, P(match | K = k) = 1 - (1 - q)^k; the partial means follow from
        E[K x^K] = n p x (1 - p + p x)^(n-1).
        """
        n = self.applications
        p = self.visa[:, None] / (1 + np.exp(-(a + self.interview)))
        q = 1 / (1 + np.exp(-(r + self.rank)))
        miss = (1 - q) * (1 - p * q) ** (n - 1)
        w = self.mix_weights[:, None]
        return (
            (w * (1 - (1 - p * q) ** n)).sum(0),
            (w * n * p * (1 - miss)).sum(0),
            (w * n * p * miss).sum(0),
        )


def population(figures: Figures, applicant_type: ApplicantType) -> Population:
    """The type's reference applicants (visa mix from ``visa_need_share``) through the chance model."""
    share = figures.visa_need_share.get(applicant_type)
    mixes = [(False, 1.0)] if share is None else [(True, share.value), (False, 1.0 - share.value)]
    icpt = figures.model.intercepts[applicant_type]
    inter, rank, visa = [], [], []
    for needs_visa, _ in mixes:
        rows = [_chance_ref(figures, applicant_type, int(s), needs_visa) for s in SCORES]
        inter.append([c.interview_logit - icpt.interview for c in rows])
        rank.append([_logit(c.p_match_if_interviewed) - icpt.rank for c in rows])
        visa.append(rows[0].visa_factor)
    return Population(
        mix_weights=np.array([w for _, w in mixes]),
        visa=np.array(visa),
        interview=np.array(inter),
        rank=np.array(rank),
        applications=int(figures.typical_applications[applicant_type].value),
    )


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _chance_ref(
    figures: Figures, applicant_type: ApplicantType, score: int, needs_visa: bool
) -> chances.ProgramChance:
    profile = reference_profile(applicant_type, score, needs_visa=needs_visa)
    return chances.program_chances(profile, reference_program(), figures)


def individual_p_match(figures: Figures, applicant_type: ApplicantType) -> NDArray[np.float64]:
    """P(match) of the reference applicant at each grid score, applying the typical number of programs."""
    icpt = figures.model.intercepts[applicant_type]
    return population(figures, applicant_type).per_score(icpt.interview, icpt.rank)[0]


def population_rate(figures: Figures, applicant_type: ApplicantType, band: ScoreBand | None = None) -> float:
    """P(match) of the synthetic population of one type (and band)."""
    return float(_weights(figures, applicant_type, band) @ individual_p_match(figures, applicant_type))


def mean_interviews(figures: Figures, applicant_type: ApplicantType) -> tuple[float, float]:
    """Mean number of interviews (= programs ranked) of matched and of unmatched synthetic applicants."""
    icpt = figures.model.intercepts[applicant_type]
    return _mean_interviews(
        population(figures, applicant_type),
        _weights(figures, applicant_type, None),
        icpt.interview,
        icpt.rank,
    )


def _mean_interviews(pop: Population, w: NDArray[np.float64], a: float, r: float) -> tuple[float, float]:
    matched, k_matched, k_unmatched = pop.per_score(a, r)
    return float(w @ k_matched / (w @ matched)), float(w @ k_unmatched / (w @ (1 - matched)))


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


def ranks_curve(
    figures: Figures, ranks: Sequence[int], applicant_type: ApplicantType = ApplicantType.US_MD
) -> tuple[float, ...]:
    """Model P(match | k interviews, all ranked) at the type's mean score, for each k of ``ranks``."""
    score = round(figures.score_distribution[applicant_type].mean)
    q = chances.program_chances(reference_profile(applicant_type, score), reference_program(), figures)
    return tuple(1.0 - (1.0 - q.p_match_if_interviewed) ** k for k in ranks)


@dataclass(frozen=True)
class ShapeCheck:
    """P(match | k ranks) of the model against the published shape (``ranks_shape``)."""

    steep_share: float
    plateau_p_match: float
    plateau_gain_per_rank: float

    def failures(self, shape: RanksShape) -> tuple[str, ...]:
        """What does not follow the shape (empty when it does)."""
        out = []
        if self.steep_share < shape.steep_share_min:
            out.append(f"rise too slow: {self.steep_share:.2f} of the plateau by {shape.steep_ranks} ranks")
        if self.steep_share > shape.steep_share_max:
            out.append(f"flat too early: {self.steep_share:.2f} of the plateau by {shape.steep_ranks} ranks")
        if self.plateau_p_match < shape.plateau_p_match_min:
            out.append(f"plateau too low: {self.plateau_p_match:.3f} at {shape.plateau_ranks} ranks")
        if self.plateau_gain_per_rank > shape.plateau_gain_per_rank_max:
            out.append(f"no plateau: +{self.plateau_gain_per_rank:.3f} per rank past {shape.plateau_ranks}")
        return tuple(out)


def ranks_shape_check(figures: Figures) -> ShapeCheck:
    """Measure the US MD model curve at the points ``ranks_shape`` names."""
    shape = figures.ranks_shape
    steep, plateau, after = ranks_curve(
        figures, (shape.steep_ranks, shape.plateau_ranks, shape.plateau_ranks + 1)
    )
    return ShapeCheck(
        steep_share=steep / plateau, plateau_p_match=plateau, plateau_gain_per_rank=after - plateau
    )


def fit_intercepts(figures: Figures) -> dict[ApplicantType, Intercepts]:
    """Refit every type's two intercepts to its two targets.

    For each type, the interview and rank intercepts are the unique pair with which the synthetic
    population (1) matches at the type's published rate (``match_rates``) and (2) gives matched applicants
    the mean number of interviews, i.e. contiguous ranks, of ``ranks_matched``. The rate fixes the product
    of the interview and rank chances; the ranks fix how it splits between them (more interviews, each less
    likely to end in a match). Nested Brent's method: the rank intercept outside, the interview one inside.
    """
    fitted = dict(figures.model.intercepts)
    for t in ApplicantType:
        pop, w = population(figures, t), _weights(figures, t, None)
        rate, ranks = figures.match_rates[t].value, figures.ranks_matched[t].value

        def interview_for(
            r: float, pop: Population = pop, w: NDArray[np.float64] = w, rate: float = rate
        ) -> float:
            return float(brentq(lambda a: float(w @ pop.per_score(a, r)[0]) - rate, -15.0, 15.0, xtol=1e-6))

        def excess_ranks(
            r: float, pop: Population = pop, w: NDArray[np.float64] = w, ranks: float = ranks
        ) -> float:
            return _mean_interviews(pop, w, interview_for(r), r)[0] - ranks

        r = float(brentq(excess_ranks, -3.0, 6.0, xtol=1e-6))
        icpt = {"interview": round(interview_for(r), 4), "rank": round(r, 4)}
        fitted[t] = fitted[t].model_copy(update=icpt)
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
        brentq(lambda s: matched_minus_unmatched(refit(s), ApplicantType.US_MD) - gap, 0.05, 0.8, xtol=1e-4)
    )
    return refit(slope)
