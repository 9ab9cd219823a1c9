"""Check functions return the blocking pairs they find, of every kind."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.domain.match.algorithm import CONVERGED, MatchOutcome
from smartpick.domain.match.arrays import ADVANCED, PGY1, MatchMarket, build_market
from smartpick.domain.match.checks import (
    BlockingPair,
    enumerate_stable_matchings,
    find_blocking_pairs,
    find_nrmp_blocking_pairs,
)

from .strategies import supplemental_markets


def _outcome(assignment: list[int], pgy1: list[int], couple_pair: list[int]) -> MatchOutcome:
    return MatchOutcome(
        np.asarray(assignment, dtype=np.int32),
        np.asarray(pgy1, dtype=np.int32),
        np.asarray(couple_pair, dtype=np.int32),
        0,
        CONVERGED,
    )


def test_single_blocking_pairs_listed_with_rol_position() -> None:
    # A0 is at P1 but prefers P0, and P0 prefers A0 to the A1 it holds: (A0, ROL position 0) blocks.
    market = build_market([[0, 1], [0]], [[0, 1], [0]], [1, 1])
    assert find_blocking_pairs(market, np.array([1, 0], dtype=np.int32)) == [
        BlockingPair("single", 0, 0, (0,))
    ]
    assert find_blocking_pairs(market, np.array([0, -1], dtype=np.int32)) == []


def test_free_seat_blocks_an_unmatched_applicant() -> None:
    market = build_market([[0]], [[0]], [1])
    assert find_blocking_pairs(market, np.array([-1], dtype=np.int32)) == [BlockingPair("single", 0, 0, (0,))]


def test_supplemental_blocking_pair() -> None:
    # A0 holds advanced P0 with supplemental list [T1, T2] but no PGY-1, while T1 has a free seat.
    market = build_market(
        [[0]], [[0], [0], [0]], [1, 1, 1], tracks=[ADVANCED, PGY1, PGY1], supplemental={(0, 0): [1, 2]}
    )
    found = find_nrmp_blocking_pairs(market, _outcome([0], [2], []))
    assert found == [BlockingPair("supplemental", 0, 0, (1,))]
    assert find_nrmp_blocking_pairs(market, _outcome([0], [1], [])) == []


def test_couple_blocking_pair_and_partner_seat_counts_as_taken() -> None:
    # Couple (0, 1) ranks (P0, P1) then (P1, P0); it holds the second pair. Both programs are full with
    # the couple itself. P0 prefers member 0; P1 prefers member 1, so the first pair blocks.
    market = build_market([[], []], [[0, 1], [1, 0]], [1, 1], couples=[((0, 1), [(0, 1), (1, 0)])])
    assert find_nrmp_blocking_pairs(market, _outcome([1, 0], [-1, -1], [1])) == [
        BlockingPair("couple", 0, 0, (0, 1))
    ]
    # With P0 preferring member 1, member 0 is not chosen over the partner already there: no block.
    market = build_market([[], []], [[1, 0], [1, 0]], [1, 1], couples=[((0, 1), [(0, 1), (1, 0)])])
    assert find_nrmp_blocking_pairs(market, _outcome([1, 0], [-1, -1], [1])) == []


def test_brute_force_refuses_markets_it_cannot_handle() -> None:
    market = build_market([[], []], [[0, 1]], [1], couples=[((0, 1), [(0, -1)])])
    with pytest.raises(ValueError, match="tiny market"):
        enumerate_stable_matchings(market)


def _supplemental_blocking_loop(market: MatchMarket, outcome: MatchOutcome) -> list[BlockingPair]:
    """The straightforward per-applicant definition (the vectorised check must agree)."""
    found = []
    seats = np.concatenate([outcome.assignment, outcome.pgy1_assignment])
    apps = np.concatenate([np.arange(market.n_applicants)] * 2)
    for applicant in range(market.n_applicants):
        program = int(outcome.assignment[applicant])
        rol = market.rol(applicant).tolist()
        if program < 0 or market.track[program] != ADVANCED or program not in rol:
            continue
        listed = market.supplemental(int(market.rol_indptr[applicant]) + rol.index(program)).tolist()
        for position, pgy1 in enumerate(listed):
            if pgy1 == outcome.pgy1_assignment[applicant]:
                break
            prol = market.program_rol(pgy1).tolist()
            if applicant not in prol or market.capacity[pgy1] <= 0:
                continue
            held = [prol.index(a) if a in prol else -1 for a in apps[seats == pgy1]]
            if len(held) < market.capacity[pgy1] or prol.index(applicant) < max(held):
                found.append(BlockingPair("supplemental", applicant, position, (pgy1,)))
    return found


@settings(max_examples=150, deadline=None)
@given(supplemental_markets(max_applicants=8), st.randoms(use_true_random=False))
def test_vectorised_supplemental_check_matches_the_definition(market: MatchMarket, rnd: Any) -> None:
    # any assignment, stable or not: each applicant gets a random ROL program and list entry (or none)
    assignment = np.full(market.n_applicants, -1, dtype=np.int32)
    pgy1 = np.full(market.n_applicants, -1, dtype=np.int32)
    for a in range(market.n_applicants):
        rol = market.rol(a).tolist()
        if rol and rnd.random() < 0.8:
            k = rnd.randrange(len(rol))
            assignment[a] = rol[k]
            listed = market.supplemental(int(market.rol_indptr[a]) + k).tolist()
            if listed and rnd.random() < 0.7:
                pgy1[a] = rnd.choice(listed)
    outcome = MatchOutcome(assignment, pgy1, np.zeros(0, dtype=np.int32), 0, "converged")
    found = [p for p in find_nrmp_blocking_pairs(market, outcome) if p.kind == "supplemental"]
    assert found == _supplemental_blocking_loop(market, outcome)
