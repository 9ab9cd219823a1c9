"""The list ``smartpick recommend`` would choose for a profile, with its signals, to score changed profiles.

The advice needs, for each changed profile, only the recommended application (programs and signals) and
its P(match); `smartpick.domain.chances.recommendation.recommend` also builds every explanation, warning,
source, tier count and interview distribution, and places signals one prefix at a time. This module takes
the recommendation's steps with the same public functions, in the same order, on the same arrays:
chances per program from the market tables (programs the applicant cannot be invited to left out),
utilities, tiers, the tier-constrained nested lists, the size from the curve's diminishing returns, the
seed's minimums and the budget, widened when too few safeties exist, then the signals
(`smartpick.domain.advice.signals`, all prefixes at once) and the programs in the recommendation's order.
A test checks that the application and its P(match) are exactly the recommendation's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from smartpick.domain.advice.lists import Application
from smartpick.domain.advice.signals import signals_for_list
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue, Program
from smartpick.domain.chances import strategy
from smartpick.domain.chances.application_list import FloatArray, Tier, assign_tiers, greedy_lists
from smartpick.domain.chances.recommendation import ChanceModel
from smartpick.domain.market.chances import ApplicantInMarket, list_p_match, list_p_match_interval
from smartpick.domain.profile.applicant import Profile, step2_band
from smartpick.domain.profile.standing import assess


@dataclass(frozen=True, eq=False)
class _Pool:
    """The programs the applicant can be invited to, with their chances, utilities and tiers."""

    applicant: ApplicantInMarket
    p: FloatArray
    p_signalled: FloatArray
    q: FloatArray
    u: FloatArray
    tiers: tuple[Tier, ...]

    @property
    def f(self) -> FloatArray:
        """P(interview and match) per program, no signal."""
        return self.p * self.q


def _pool(profile: Profile, catalogue: Catalogue, model: ChanceModel) -> _Pool:
    figs, bands = model.figures, model.tiers
    everyone = ApplicantInMarket.of(profile, catalogue.programs, figs)
    p_int, p_sig, q = everyone.interview_and_rank(model.tables)
    keep = [k for k in range(len(catalogue.programs)) if float(p_int[k]) > 0]
    programs = tuple(catalogue.programs[k] for k in keep)
    applicant = ApplicantInMarket(
        profile, programs, everyone.base, tuple(everyone.scores[k] for k in keep), everyone.signal
    )
    u = np.array([strategy.program_utility(profile, p, figs).value for p in programs])
    p, f = p_int[keep], p_int[keep] * q[keep]
    tiers = assign_tiers(
        p,
        f,
        reach_interview_max=bands.reach_interview_max,
        safety_interview_min=bands.safety_interview_min,
        safety_match_min=bands.safety_match_min,
    )
    return _Pool(applicant, p, p_sig[keep], q[keep], u, tiers)


def _count(profile: Profile, pool: _Pool, order: tuple[int, ...], figs: Figures) -> int:
    """The recommended list size: the curve, the minimums and the limits, widened for missing safeties."""
    prefs, m = profile.preferences, len(pool.tiers)
    standing, band = assess(profile), step2_band(profile.exams)
    curve = 1.0 - np.cumprod(1.0 - pool.f[list(order)])
    budget = prefs.budget_usd
    size = strategy.list_size(
        band=band,
        standing=standing,
        figures=figs,
        affordable=None if budget is None else figs.residency_fees.max_affordable(budget, m),
        max_programs=prefs.max_programs,
        candidates=m,
        diminishing_returns=strategy.diminishing_returns([round(float(x), 4) for x in curve], figs),
    )
    safety_min = figs.strategy.tiers[strategy.strategy_row(band, standing)].safety_min
    safeties = sum(1 for t in pool.tiers if t is Tier.SAFETY)
    wanted = math.ceil(safety_min * size.count - 1e-9)
    if size.count == 0 or safeties >= wanted:
        return size.count
    return min(size.cap, m, size.count + (wanted - safeties))


def _order(profile: Profile, pool: _Pool, figs: Figures) -> tuple[int, ...]:
    row = figs.strategy.tiers[strategy.strategy_row(step2_band(profile.exams), assess(profile))]
    return greedy_lists(
        pool.f,
        pool.u,
        len(pool.tiers),
        tiers=pool.tiers,
        reach_max=row.reach_max,
        safety_min=row.safety_min,
        reach_min=row.reach_min,
        safety_max=row.safety_max,
    ).order


@dataclass(frozen=True, eq=False)
class Relisted:
    """The recommended application of a profile and the market model's P(match) of it, with signals."""

    application: Application
    p_match: float
    interval: tuple[float, float]
    scored: ApplicantInMarket | None = None
    """The profile scored at every program it can be invited to (reused to score other lists)."""


def recommended_application(profile: Profile, catalogue: Catalogue, model: ChanceModel) -> Relisted:
    """The application ``recommend`` chooses for ``profile`` (its own budget and limits), and its P(match)."""
    pool, figs = _pool(profile, catalogue, model), model.figures
    order = _order(profile, pool, figs)
    n = _count(profile, pool, order, figs)
    sig = set(signals_for_list(order, pool.f, pool.p_signalled * pool.q, pool.u, n, figs.signal_count()))
    tier_index = list(Tier)
    idx = sorted(order[:n], key=lambda i: (tier_index.index(pool.tiers[i]), -pool.f[i]))
    programs: tuple[Program, ...] = tuple(pool.applicant.programs[i] for i in idx)
    signalled = tuple(i in sig for i in idx)
    centre, interval = _p_match(pool.applicant, idx, signalled, model)
    return Relisted(Application(programs, signalled), centre, interval, pool.applicant)


def _p_match(
    applicant: ApplicantInMarket, idx: list[int], signalled: tuple[bool, ...], model: ChanceModel
) -> tuple[float, tuple[float, float]]:
    if not idx:
        return 0.0, (0.0, 0.0)
    centre = list_p_match(applicant, model.tables, idx, signalled)
    return centre, list_p_match_interval(applicant, model.tables, idx, signalled, centre=centre)
