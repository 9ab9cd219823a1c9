"""The compiled procedure with couples agrees with the Python reference, step for step."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.domain.match.algorithm import (
    CONVERGED,
    CYCLE,
    MatchOutcome,
    run_compiled_couples_procedure,
    run_match,
    run_nrmp_procedure,
)
from smartpick.domain.match.arrays import MatchMarket, build_market
from smartpick.domain.match.checks import find_nrmp_blocking_pairs
from smartpick.domain.match.kernel import NUMBA_AVAILABLE

from .strategies import couples_markets, couples_supplemental_markets, synthetic_nrmp_market

pytestmark = pytest.mark.skipif(not NUMBA_AVAILABLE, reason="the compiled procedure needs numba")


def _assert_same(market: MatchMarket, budget: int | None = None) -> MatchOutcome:
    reference = run_nrmp_procedure(market, max_proposals=budget)
    compiled = run_compiled_couples_procedure(market, max_proposals=budget)
    assert compiled.assignment.tolist() == reference.assignment.tolist()
    assert compiled.pgy1_assignment.tolist() == reference.pgy1_assignment.tolist()
    assert compiled.couple_pair.tolist() == reference.couple_pair.tolist()
    assert (compiled.status, compiled.proposals) == (reference.status, reference.proposals)
    if compiled.status == CONVERGED:
        assert find_nrmp_blocking_pairs(market, compiled) == []
    _assert_couples_hold_whole_pairs(market, compiled)
    return compiled


def _assert_couples_hold_whole_pairs(market: MatchMarket, outcome: MatchOutcome) -> None:
    for couple in range(market.n_couples):
        members, held = market.couple_members[couple], int(outcome.couple_pair[couple])
        expected = market.couple_pairs(couple)[held] if held >= 0 else np.array([-1, -1])
        assert outcome.assignment[members].tolist() == expected.tolist()
    held = np.concatenate([outcome.assignment, outcome.pgy1_assignment])
    assert (np.bincount(held[held >= 0], minlength=market.n_programs) <= market.capacity).all()


@settings(max_examples=300, deadline=None)
@given(couples_markets(max_singles=6, max_couples=3))
def test_small_couples_markets_match_the_reference(market: MatchMarket) -> None:
    _assert_same(market)


@settings(max_examples=300, deadline=None)
@given(couples_supplemental_markets())
def test_couples_beside_supplemental_lists_match_the_reference(market: MatchMarket) -> None:
    _assert_same(market)


@settings(max_examples=80, deadline=None)
@given(couples_supplemental_markets(), st.integers(0, 30))
def test_a_small_budget_stops_at_the_same_proposal(market: MatchMarket, budget: int) -> None:
    _assert_same(market, budget)


@st.composite
def _medium_markets(draw: st.DrawFn) -> MatchMarket:
    seed = draw(st.integers(0, 2**32 - 1))
    singles, couples = draw(st.integers(20, 150)), draw(st.integers(1, 20))
    programs = draw(st.integers(5, 30))
    return synthetic_nrmp_market(seed, n_singles=singles, n_couples=couples, n_programs=programs)


@settings(max_examples=30, deadline=None)
@given(_medium_markets())
def test_medium_markets_match_the_reference(market: MatchMarket) -> None:
    _assert_same(market)


def test_no_stable_matching_is_a_cycle_like_the_reference() -> None:
    # single S ranks P0 > P1; the couple ranks only (P0, P1); P0 prefers the couple's first member
    # to S, P1 prefers S to the couple's second member: every matching is blocked
    market = build_market([[0, 1], [], []], [[1, 0], [0, 2]], [1, 1], couples=[((1, 2), [(0, 1)])])
    assert _assert_same(market).status == CYCLE


def test_run_match_uses_it_for_the_displaced_couple_example() -> None:
    # test_couples' worked example: Y displaces X's second member, X withdraws from P0 and moves on
    market = build_market(
        [[0, 5], [], [], [], []],
        [[1, 0], [3, 2], [1], [2], [4], [0]],
        [1] * 6,
        couples=[((1, 2), [(0, 1), (2, 3)]), ((3, 4), [(1, 4)])],
    )
    outcome = run_match(market)
    assert outcome.assignment.tolist() == [0, 2, 3, 1, 4]
    assert outcome.couple_pair.tolist() == [1, 0]
    assert _assert_same(market).proposals == outcome.proposals
