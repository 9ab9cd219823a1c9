"""Synthetic PM&R market and the rank-list Monte Carlo: determinism, strategy-proofness, consistency."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartpick.data import bundled_catalogue
from smartpick.data.figures import bundled_figures
from smartpick.domain.chances import catalogue_chances
from smartpick.domain.match.market import SyntheticMarket, build_synthetic_market, user_rank_logits
from smartpick.domain.match.simulate import UserLists, chunks, run_seeds, spawn_seeds
from smartpick.domain.match.summary import compare_orders, list_outcome, wilson
from smartpick.domain.profile import Profile
from smartpick.services.files import load_model

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PROFILES = ["strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml"]


def _setup(name: str) -> tuple[SyntheticMarket, Profile, np.ndarray]:
    catalogue, figures = bundled_catalogue(), bundled_figures()
    profile = load_model(Profile, EXAMPLES / name)
    market = build_synthetic_market(catalogue, figures, profile)
    return market, profile, user_rank_logits(market, catalogue, figures, profile)


@pytest.fixture(scope="module")
def strong() -> tuple[SyntheticMarket, UserLists]:
    market, _, logits = _setup(PROFILES[0])
    true = (0, 5, 10, 20, 30, 40)
    safest = tuple(sorted(true, key=lambda j: -logits[j]))
    return market, UserLists((true, safest), logits)


def test_market_uses_catalogue_positions_and_flags_estimates() -> None:
    market, _, _ = _setup(PROFILES[0])
    catalogue = bundled_catalogue()
    assert market.n_programs == len(catalogue.programs)
    assert market.n_competitors == sum(round(f.value) for f in bundled_figures().market.applicants.values())
    assert (market.capacity > 0).all() and market.positions_estimated.any()
    assert (market.interviews >= market.capacity).all()


def test_same_seed_same_result_and_any_split_agrees(strong: tuple[SyntheticMarket, UserLists]) -> None:
    market, user = strong
    seeds = spawn_seeds(7, 300)
    whole = run_seeds(market, user, seeds)
    split = np.concatenate([run_seeds(market, user, c) for c in chunks(seeds, 4)])
    assert np.array_equal(whole, split)
    assert np.array_equal(whole, run_seeds(market, user, spawn_seeds(7, 300)))
    assert not np.array_equal(whole, run_seeds(market, user, spawn_seeds(8, 300)))


def test_safest_first_never_helps_on_common_random_numbers(strong: tuple[SyntheticMarket, UserLists]) -> None:
    market, user = strong
    out = run_seeds(market, user, spawn_seeds(3, 1500))
    true, safest = user.lists
    # Strategy-proofness: same programs, so matched-or-not is identical run by run, and the truthful
    # order never ends at a program the user likes less.
    assert np.array_equal(out[:, 0] >= 0, out[:, 1] >= 0)
    names = tuple(str(p) for p in true)
    cmp = compare_orders(names, tuple(str(p) for p in safest), out[:, 0], out[:, 1])
    assert cmp.reordered_better.p == 0.0


def test_golden_outcome_counts(strong: tuple[SyntheticMarket, UserLists]) -> None:
    # Pinned: guards the generator (seeding, noise tables, interview allocation) against silent changes.
    market, user = strong
    out = run_seeds(market, user, spawn_seeds(2026, 200))
    counts = np.bincount(out[:, 0] + 1, minlength=7).tolist()
    assert counts == GOLDEN_COUNTS


GOLDEN_COUNTS = [
    40,
    50,
    43,
    26,
    16,
    11,
    14,
]  # regenerated for catalogue round 3b (19 new sourced visa/position rows change the market); same generator


def test_wilson_interval_contains_estimate_and_narrows() -> None:
    small, large = wilson(30, 100), wilson(300, 1000)
    assert small.low < 0.3 < small.high and large.high - large.low < small.high - small.low
    assert wilson(0, 10).low == 0.0 and wilson(10, 10).high == pytest.approx(1.0)


@pytest.mark.parametrize("name", PROFILES)
def test_two_seeds_agree_within_their_intervals(name: str) -> None:
    market, _, logits = _setup(name)
    user = UserLists(((3, 8, 15, 22, 50, 60, 70, 80),), logits)
    a = list_outcome(("x",) * 8, run_seeds(market, user, spawn_seeds(1, 800))[:, 0])
    b = list_outcome(("x",) * 8, run_seeds(market, user, spawn_seeds(2, 800))[:, 0])
    assert a.p_match.low <= b.p_match.high and b.p_match.low <= a.p_match.high


# Measured gaps (600 runs): strong 0.955 vs 0.949, 228/Step 1 repeat 0.875 vs 0.821, visa 0.905 vs 0.849.
# The analytic model treats each interview as an independent chance of ranking the applicant high enough;
# the market sets shared cut-offs through competition, so the two may differ in either direction.
CONSISTENCY_TOLERANCE = 0.10
"""Absolute gap allowed between simulated and analytic P(match) given interviews at the 10 likeliest programs.

The analytic estimate (chance model) treats programs as independent, each ranking the user high enough with
``P(match | interviewed)`` (a cut-off at logit 0). In the market the cut-offs come from competition for ~560
positions among ~850 competitors and are shared across programs, so the simulation is lower (measured: 0.89
vs 0.997, 0.74 vs 0.97, 0.83 vs 0.99 for the three examples at 1,000 runs)."""


@pytest.mark.parametrize("name", PROFILES)
def test_simulation_is_consistent_with_the_chance_model(name: str) -> None:
    market, profile, logits = _setup(name)
    chances = catalogue_chances(profile, bundled_catalogue().programs, bundled_figures())
    top = sorted(range(len(chances)), key=lambda j: -chances[j].p_interview)[:10]
    analytic = 1 - float(np.prod([1 - chances[j].p_match_if_interviewed for j in top]))
    simulated = (run_seeds(market, UserLists((tuple(top),), logits), spawn_seeds(0, 600))[:, 0] >= 0).mean()
    assert abs(simulated - analytic) <= CONSISTENCY_TOLERANCE
