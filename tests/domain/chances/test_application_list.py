import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.data.figures import bundled_figures
from smartpick.domain.chances import application_list as pf
from smartpick.domain.chances.application_list import Tier

FEES = bundled_figures().residency_fees


def _brute_force_by_size(f: np.ndarray, u: np.ndarray) -> list[float]:
    """Best E[utility] for each list size 0..m over every subset (independent of the module's brute force)."""
    best = [0.0] * (f.size + 1)
    for mask in range(1, 2**f.size):
        idx = [j for j in range(f.size) if mask >> j & 1]
        order = sorted(idx, key=lambda j: -u[j])
        value, none_yet = 0.0, 1.0
        for j in order:
            value += u[j] * f[j] * none_yet
            none_yet *= 1 - f[j]
        best[len(idx)] = max(best[len(idx)], value)
    return best


instances = st.integers(1, 12).flatmap(
    lambda m: st.tuples(
        st.lists(st.floats(0.0, 1.0), min_size=m, max_size=m),
        st.lists(st.one_of(st.floats(0.01, 5.0), st.sampled_from([1.0, 1.5, 2.0])), min_size=m, max_size=m),
    )
)


@settings(max_examples=120, deadline=None)
@given(instances)
def test_greedy_equals_brute_force_for_every_size(inst: tuple[list[float], list[float]]) -> None:
    f, u = np.array(inst[0]), np.array(inst[1])
    greedy = pf.greedy_lists(f, u, f.size)
    best = _brute_force_by_size(f, u)
    for k in range(1, f.size + 1):
        assert greedy.eu[k - 1] == pytest.approx(best[k], abs=1e-9)
        assert greedy.eu[k - 1] == pytest.approx(
            pf.expected_utility(f[list(greedy.order[:k])], u[list(greedy.order[:k])])
        )


def test_greedy_equals_brute_force_on_every_small_grid_instance() -> None:
    """Every instance of 3 programs on a coarse grid (ties included)."""
    grid = [0.0, 0.3, 0.7, 1.0]
    for fs in itertools.product(grid, repeat=3):
        for us in itertools.product([1.0, 2.0], repeat=3):
            f, u = np.array(fs), np.array(us)
            greedy = pf.greedy_lists(f, u, 3)
            best = _brute_force_by_size(f, u)
            assert greedy.eu == pytest.approx(best[1:], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(instances, st.floats(0, 400))
def test_budget_optimum_is_the_affordable_greedy_prefix(
    inst: tuple[list[float], list[float]], budget: float
) -> None:
    f, u = np.array(inst[0]), np.array(inst[1])
    n = FEES.max_affordable(budget, f.size)
    assert FEES.cost(n) <= budget and (n == f.size or FEES.cost(n + 1) > budget)
    best, subset = pf.brute_force_best(f, u, n)
    greedy = pf.greedy_lists(f, u, n)
    assert (greedy.eu[-1] if n else 0.0) == pytest.approx(best, abs=1e-9)
    assert len(subset) <= n


def test_expected_utility_pinned_example() -> None:
    # Preferred A (u=2, f=0.5), then B (u=1, f=0.8): 2*0.5 + 1*0.8*0.5 = 1.4
    assert pf.expected_utility([0.8, 0.5], [1.0, 2.0]) == pytest.approx(1.4)
    assert pf.p_match([0.8, 0.5]) == pytest.approx(0.9)


def test_poisson_binomial_matches_binomial() -> None:
    pmf = pf.poisson_binomial([0.3] * 5)
    expected = [math.comb(5, k) * 0.3**k * 0.7 ** (5 - k) for k in range(6)]
    assert pmf == pytest.approx(expected)
    assert pf.poisson_binomial([]).tolist() == [1.0]


def test_list_outcome_is_consistent() -> None:
    out = pf.list_outcome([0.5, 0.2, 0.9], [0.4, 0.5, 0.3], [1.0, 1.2, 1.1])
    assert sum(out.interview_pmf) == pytest.approx(1.0)
    assert out.p_any_interview == pytest.approx(1 - 0.5 * 0.8 * 0.1)
    assert out.expected_interviews == pytest.approx(1.6)
    assert out.p_match == pytest.approx(1 - (1 - 0.2) * (1 - 0.1) * (1 - 0.27))


@settings(max_examples=40, deadline=None)
@given(instances, st.floats(1.5, 4.0))
def test_signal_gains_are_exact_marginals(inst: tuple[list[float], list[float]], mult: float) -> None:
    f, u = np.array(inst[0]) * 0.9, np.array(inst[1])
    fs = np.minimum(f * mult, 0.95)
    gains = pf.signal_gains(f, fs, u, np.ones(f.size, dtype=bool))
    base = pf.expected_utility(f, u)
    for j in range(f.size):
        assert gains[j] == pytest.approx(pf.expected_utility(pf.with_signals(f, fs, [j]), u) - base, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(instances)
def test_signalled_outcome_is_monotone_in_list_size(inst: tuple[list[float], list[float]]) -> None:
    f, u = np.array(inst[0]) * 0.5, np.array(inst[1])
    fs = np.minimum(f * 2.5, 0.99)
    order = pf.greedy_lists(f, u, f.size).order
    values = [pf.signals_for_list(order, f, fs, u, n, 3)[1] for n in range(1, f.size + 1)]
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(values))
    placed, value = pf.signals_for_list(order, f, fs, u, f.size, 3)
    assert len(placed) <= 3 and value >= pf.expected_utility(f, u) - 1e-12


def test_signals_skip_hopeless_and_certain_programs() -> None:
    f = np.array([0.0, 0.2, 0.3, 0.5])
    fs = np.array([0.0, 0.45, 0.55, 0.502])  # 0: hopeless; 3: already saturated
    placed = pf.place_signals(f, fs, np.ones(4), np.ones(4, dtype=bool), 2)
    assert placed == (2, 1)
    assert 0 not in pf.place_signals(f, fs, np.ones(4), np.ones(4, dtype=bool), 4)


def test_tier_rules_hold_on_every_prefix_and_lists_stay_nested() -> None:
    rng = np.random.default_rng(7)
    f, u = rng.random(60) * 0.2, 1 + rng.random(60)
    p_int = rng.random(60)
    tiers = pf.assign_tiers(
        p_int, p_int * 0.5, reach_interview_max=0.25, safety_interview_min=0.5, safety_match_min=0.25
    )
    res = pf.greedy_lists(f, u, 60, tiers=tiers, reach_max=0.15, safety_min=0.25)
    assert sorted(res.order) == list(range(60))
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(res.eu))
    for k in range(1, 40):
        chosen = [tiers[i] for i in res.order[:k]]
        assert chosen.count(Tier.REACH) <= max(math.floor(0.15 * k + 1e-9), 0) or all(
            tiers[i] is Tier.REACH for i in range(60) if i not in res.order[:k]
        )
    free = pf.greedy_lists(f, u, 60)
    assert all(c <= o + 1e-12 for c, o in zip(res.eu, free.eu, strict=True))


BANDS = {"reach_interview_max": 0.25, "safety_interview_min": 0.5, "safety_match_min": 0.25}


def test_assign_tiers_on_absolute_chances() -> None:
    assert pf.assign_tiers([0.05, 0.3, 0.6, 0.6, 0.9], [0.04, 0.2, 0.2, 0.3, 0.6], **BANDS) == (
        Tier.REACH,
        Tier.CORE,
        Tier.CORE,
        Tier.SAFETY,
        Tier.SAFETY,
    )


def test_a_program_below_ten_percent_interview_is_never_safety() -> None:
    p = np.linspace(0, 0.099, 50)
    assert Tier.SAFETY not in pf.assign_tiers(p, p, **BANDS)
