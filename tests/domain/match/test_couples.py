"""Couples (Roth & Peranson 1999): pairs held only together, withdrawal on displacement, cycles."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings

from smartpick.domain.match.algorithm import CONVERGED, CYCLE, ITERATION_LIMIT, MatchOutcome, run_match
from smartpick.domain.match.arrays import MatchMarket, build_market
from smartpick.domain.match.checks import find_nrmp_blocking_pairs
from smartpick.domain.match.columnar import run_instance

from .strategies import couples_markets, synthetic_nrmp_market


def _assert_couples_hold_whole_pairs(market: MatchMarket, outcome: MatchOutcome) -> None:
    for couple in range(market.n_couples):
        members, held = market.couple_members[couple], int(outcome.couple_pair[couple])
        expected = market.couple_pairs(couple)[held] if held >= 0 else np.array([-1, -1])
        assert outcome.assignment[members].tolist() == expected.tolist()
    filled = np.bincount(outcome.assignment[outcome.assignment >= 0], minlength=market.n_programs)
    assert (filled <= market.capacity).all()


def _displaced_couple_market() -> MatchMarket:
    # Applicants: single A0; couple X = (1, 2); couple Y = (3, 4). Programs P0..P5, one seat each.
    # A0 ranks P0 then P5. X ranks (P0, P1) then (P2, P3). Y ranks (P1, P4).
    # P0 prefers X's first member to A0; P1 prefers Y's first member to X's second member.
    return build_market(
        [[0, 5], [], [], [], []],
        [[1, 0], [3, 2], [1], [2], [4], [0]],
        [1] * 6,
        couples=[((1, 2), [(0, 1), (2, 3)]), ((3, 4), [(1, 4)])],
    )


def test_displaced_couple_withdraws_partner_and_moves_to_next_pair() -> None:
    # A0 takes P0. X enters: (P0, P1) accepted, A0 falls to P5. Y enters: (P1, P4) accepted, displacing
    # X's second member; X withdraws its first member from P0 and takes (P2, P3). P0's freed seat
    # lets A0 come back up from P5.
    market = _displaced_couple_market()
    outcome = run_match(market)
    assert outcome.status == CONVERGED
    assert outcome.assignment.tolist() == [0, 2, 3, 1, 4]
    assert outcome.couple_pair.tolist() == [1, 0]
    assert find_nrmp_blocking_pairs(market, outcome) == []
    assert outcome.assignment.tolist() in _stable_matchings_by_brute_force(market)


def test_no_stable_matching_is_reported_as_a_cycle() -> None:
    # Klaus & Klijn style: single S ranks P0 > P1; couple ranks only (P0, P1);
    # P0 prefers the couple's first member to S, P1 prefers S to the couple's second member.
    # Every matching has a blocking pair, so the procedure cycles and must say so.
    market = build_market([[0, 1], [], []], [[1, 0], [0, 2]], [1, 1], couples=[((1, 2), [(0, 1)])])
    outcome = run_match(market)
    assert outcome.status == CYCLE and outcome.cycle_detected
    _assert_couples_hold_whole_pairs(market, outcome)


def test_iteration_limit_is_reported() -> None:
    market = build_market([[0, 1], [], []], [[1, 0], [0, 2]], [1, 1], couples=[((1, 2), [(0, 1)])])
    assert run_match(market, max_proposals=3).status == ITERATION_LIMIT


def test_couple_with_null_side_needs_one_seat() -> None:
    data = {
        "programs": [
            {"id": "P1", "capacity": 1, "rank": ["A5", "A6"]},
            {"id": "P2", "capacity": 0, "rank": []},
        ],
        "applicants": [],
        "couples": [{"members": ["A5", "A6"], "rank": [["P1", "P2"], ["P1", None]]}],
    }
    result = run_instance(data).to_json_dict()
    assert result["matches"] == {"A5": "P1", "A6": None}
    assert result["stats"]["couples_matched"] == 1 and result["stats"]["stable"]


def test_both_members_at_one_program_need_two_seats() -> None:
    market = build_market([[], []], [[0, 1]], [1], couples=[((0, 1), [(0, 0), (0, -1)])])
    outcome = run_match(market)
    assert outcome.assignment.tolist() == [0, -1]
    assert outcome.couple_pair.tolist() == [1]


@settings(max_examples=150, deadline=None)
@given(couples_markets())
def test_random_couples_hold_whole_pairs_and_converged_results_are_stable(market: MatchMarket) -> None:
    outcome = run_match(market)
    _assert_couples_hold_whole_pairs(market, outcome)
    assert outcome.status in (CONVERGED, CYCLE)
    if outcome.status == CONVERGED:
        assert find_nrmp_blocking_pairs(market, outcome) == []


@pytest.mark.parametrize("seed", [0, 15])
def test_pmr_sized_market_with_supplemental_lists_and_couples_converges_stably(seed: int) -> None:
    # Seed 15 never converged when rewound applicants were reprocessed last-in-first-out.
    market = synthetic_nrmp_market(seed, n_singles=1400, n_couples=30, n_programs=110)
    outcome = run_match(market)
    assert outcome.status == CONVERGED
    _assert_couples_hold_whole_pairs(market, outcome)
    assert find_nrmp_blocking_pairs(market, outcome) == []
    assert (outcome.pgy1_assignment >= 0).sum() > 0


def _rewound_then_displaced_market() -> MatchMarket:
    # Found by Hypothesis. Single 0 ranks P1 > P3; singles 4 (P3) and 5 (P0 > P1); couple (6, 7) ranks
    # (P1, P0) then (P3, P1); couple (8, 9) ranks (P1, P3). P0 has no seats.
    i32 = np.int32
    return MatchMarket(
        rol_indptr=np.array([0, 2, 2, 2, 2, 3, 5, 5, 5, 5, 5], dtype=i32),
        rol_indices=np.array([1, 3, 3, 0, 1], dtype=i32),
        rol_program_rank=np.array([6, 6, 3, 5, 4], dtype=i32),
        capacity=np.array([0, 2, 0, 2], dtype=i32),
        track=np.zeros(4, dtype=np.int8),
        program_indptr=np.array([0, 10, 20, 30, 40], dtype=i32),
        program_indices=np.array(
            [*range(10), 8, 1, 2, 3, 5, 6, 0, 7, 4, 9, *range(10), 1, 2, 3, 4, 5, 6, 0, 7, 8, 9], dtype=i32
        ),
        supplemental_indptr=np.zeros(6, dtype=i32),
        supplemental_indices=np.zeros(0, dtype=i32),
        couple_members=np.array([[6, 7], [8, 9]], dtype=i32),
        pair_indptr=np.array([0, 2, 3], dtype=i32),
        pair_programs=np.array([[1, 0], [3, 1], [1, 3]], dtype=i32),
    )


def _stable_matchings_by_brute_force(market: MatchMarket) -> list[list[int]]:
    """Every couple-respecting matching without an NRMP blocking pair (tiny markets, no supplements)."""
    n = market.n_applicants
    members = {int(m) for m in market.couple_members.ravel()}
    singles = [a for a in range(n) if a not in members]
    single_options = [[*map(int, market.rol(a)), -1] for a in singles]
    couple_options = [[*range(len(market.couple_pairs(c))), -1] for c in range(market.n_couples)]
    stable = []
    for chosen in itertools.product(*single_options, *couple_options):
        assignment = np.full(n, -1, dtype=np.int32)
        assignment[singles] = chosen[: len(singles)]
        held = np.asarray(chosen[len(singles) :], dtype=np.int32)
        for couple, pair in enumerate(held):
            if pair >= 0:
                assignment[market.couple_members[couple]] = market.couple_pairs(couple)[pair]
        seated = assignment >= 0
        if (np.bincount(assignment[seated], minlength=market.n_programs) > market.capacity).any():
            continue
        if any(a not in market.program_rol(int(p)) for a, p in enumerate(assignment) if p >= 0):
            continue
        outcome = MatchOutcome(assignment, np.full(n, -1, dtype=np.int32), held, 0, CONVERGED)
        if not find_nrmp_blocking_pairs(market, outcome):
            stable.append(assignment.tolist())
    return stable


def test_applicant_rewound_by_a_vacancy_keeps_the_rewind_when_displaced_before_proposing() -> None:
    # Couple (8, 9) takes P1's seat from single 0, who drops to P3; the couple is then displaced from P3
    # and withdraws from P1, so 0 is queued to re-propose to P1. Before 0 proposes, couple (6, 7) takes
    # 0's seat at P3. Losing the seat used to discard the pending re-proposal to P1, and the procedure
    # reported "converged" with 0 unmatched while P1 (which ranks 0 above couple member 7) held 7: a
    # blocking pair. Retrying P1 shows the market has no stable matching at all, which must be reported.
    market = _rewound_then_displaced_market()
    outcome = run_match(market)
    _assert_couples_hold_whole_pairs(market, outcome)
    assert _stable_matchings_by_brute_force(market) == []
    assert outcome.status == CYCLE
