"""The compiled procedure with supplemental lists agrees with the Python reference, step for step."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.domain.match import _engine as eng
from smartpick.domain.match.algorithm import (
    CONVERGED,
    MatchOutcome,
    run_compiled_procedure,
    run_match,
    run_nrmp_procedure,
)
from smartpick.domain.match.arrays import ADVANCED, PGY1, MatchMarket, build_market
from smartpick.domain.match.checks import find_nrmp_blocking_pairs
from smartpick.domain.match.kernel import NUMBA_AVAILABLE, applicant_of_edge
from smartpick.domain.match.procedure_kernel import positions_in_rows

from .strategies import supplemental_markets, synthetic_nrmp_market

pytestmark = pytest.mark.skipif(not NUMBA_AVAILABLE, reason="the compiled procedure needs numba")


def _unfilled(market: MatchMarket, outcome: MatchOutcome) -> np.ndarray:
    held = np.concatenate([outcome.assignment, outcome.pgy1_assignment])
    return market.capacity - np.bincount(held[held >= 0], minlength=market.n_programs)


def _assert_same(market: MatchMarket, budget: int | None = None) -> MatchOutcome:
    reference = run_nrmp_procedure(market, max_proposals=budget)
    compiled = run_compiled_procedure(market, max_proposals=budget)
    assert compiled.assignment.tolist() == reference.assignment.tolist()
    assert compiled.pgy1_assignment.tolist() == reference.pgy1_assignment.tolist()
    assert _unfilled(market, compiled).tolist() == _unfilled(market, reference).tolist()
    assert (compiled.status, compiled.proposals) == (reference.status, reference.proposals)
    if compiled.status == CONVERGED:
        assert find_nrmp_blocking_pairs(market, compiled) == []
    return compiled


@settings(max_examples=300, deadline=None)
@given(supplemental_markets(max_applicants=10))
def test_small_markets_match_the_reference(market: MatchMarket) -> None:
    _assert_same(market)


@st.composite
def _medium_markets(draw: st.DrawFn) -> MatchMarket:
    seed = draw(st.integers(0, 2**32 - 1))
    singles = draw(st.integers(20, 200))
    programs = draw(st.integers(5, 30))
    return synthetic_nrmp_market(seed, n_singles=singles, n_couples=0, n_programs=programs)


@settings(max_examples=40, deadline=None)
@given(_medium_markets())
def test_medium_markets_match_the_reference(market: MatchMarket) -> None:
    _assert_same(market)


@settings(max_examples=60, deadline=None)
@given(supplemental_markets(max_applicants=10), st.integers(0, 30))
def test_a_small_budget_stops_at_the_same_proposal(market: MatchMarket, budget: int) -> None:
    _assert_same(market, budget)


def test_run_match_uses_it_and_keeps_the_supplemental_semantics() -> None:
    # the released-seat example of test_supplemental: A1 loses ADV1, its PGY-1 seat goes back to A0
    market = build_market(
        [[2, 3], [0, 1], [0]],
        [[2, 1], [1], [1, 0], [0]],
        [1, 1, 1, 1],
        tracks=[ADVANCED, ADVANCED, PGY1, 0],
        supplemental={(1, 0): [2]},
    )
    outcome = run_match(market)
    assert outcome.assignment.tolist() == [2, 1, 0]
    assert outcome.pgy1_assignment.tolist() == [-1, -1, -1]


def test_cycles_are_detected_like_the_reference() -> None:
    market = build_market(
        [[1, 0], [0]], [[0, 1], [1, 0]], [1, 1], tracks=[ADVANCED, PGY1], supplemental={(1, 0): [1]}
    )
    assert _assert_same(market).status == "cycle"


def test_couples_are_refused() -> None:
    market = build_market([[], []], [[0, 1]], [2], couples=[((0, 1), [(0, 0)])])
    with pytest.raises(ValueError, match="without couples"):
        run_compiled_procedure(market)


@settings(max_examples=100, deadline=None)
@given(supplemental_markets(max_applicants=10))
def test_linear_rank_lookup_matches_the_sorted_index(market: MatchMarket) -> None:
    owners = applicant_of_edge(market.program_indptr)
    linear = positions_in_rows(
        market.rol_indptr, market.rol_indices, market.n_programs, market.program_indices, owners
    )
    assert linear.tolist() == eng.rol_positions(market).tolist()
    assert (
        positions_in_rows(
            market.program_indptr,
            market.program_indices,
            market.n_applicants,
            market.supplemental_indices,
            np.repeat(applicant_of_edge(market.rol_indptr), np.diff(market.supplemental_indptr)),
        ).tolist()
        == eng.supplemental_ranks(market).tolist()
    )
