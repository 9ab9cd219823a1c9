"""Supplemental PGY-1 lists attached to advanced programs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from smartpick.domain.match.algorithm import CONVERGED, CYCLE, MatchOutcome, run_match
from smartpick.domain.match.arrays import ADVANCED, CATEGORICAL, PGY1, MatchMarket, build_market
from smartpick.domain.match.checks import find_nrmp_blocking_pairs

from .strategies import supplemental_markets


def _supplemental_of(market: MatchMarket, applicant: int, program: int) -> list[int]:
    rol = market.rol(applicant).tolist()
    if program not in rol:
        return []
    return market.supplemental(int(market.rol_indptr[applicant]) + rol.index(program)).tolist()


def _assert_supplemental_invariants(market: MatchMarket, outcome: MatchOutcome) -> None:
    for applicant in range(market.n_applicants):
        pgy1, primary = int(outcome.pgy1_assignment[applicant]), int(outcome.assignment[applicant])
        if pgy1 >= 0:  # a PGY-1 seat only through the advanced program actually held, from its list
            assert primary >= 0 and market.track[primary] == ADVANCED
            assert pgy1 in _supplemental_of(market, applicant, primary)
    filled = np.bincount(
        np.concatenate([outcome.assignment, outcome.pgy1_assignment]) + 1, minlength=market.n_programs + 1
    )[1:]
    assert (filled <= market.capacity).all()


@settings(max_examples=150, deadline=None)
@given(supplemental_markets())
def test_supplemental_invariants_and_stability(market: MatchMarket) -> None:
    outcome = run_match(market)
    _assert_supplemental_invariants(market, outcome)
    assert outcome.status in (CONVERGED, CYCLE)
    if outcome.status == CONVERGED:
        assert find_nrmp_blocking_pairs(market, outcome) == []


def test_supplemental_list_tried_from_top_and_advanced_kept_without_pgy1() -> None:
    # Programs: 0 advanced (A), 1 pgy1 (T1), 2 pgy1 (T2). A0 ranks A with list [T1, T2];
    # T1 is full of a better applicant (A1 ranks T1 directly); T2 does not rank A0.
    market = build_market(
        [[0], [1]],
        [[0], [1, 0], [1]],
        [1, 1, 1],
        tracks=[ADVANCED, PGY1, PGY1],
        supplemental={(0, 0): [1, 2]},
    )
    outcome = run_match(market)
    assert outcome.assignment.tolist() == [0, 1]
    assert outcome.pgy1_assignment.tolist() == [-1, -1]  # kept the advanced program, no PGY-1


def test_supplemental_seat_released_when_advanced_lost() -> None:
    # Programs: 0 advanced ADV1 (1 seat), 1 advanced ADV2, 2 pgy1 T (1 seat), 3 categorical C.
    # A0 ranks T directly then C. A1 ranks ADV1 (supplemental list [T]) then ADV2. A2 ranks ADV1.
    # ADV1 prefers A2 to A1; T prefers A1 to A0. In id order: A0 takes T; A1 takes ADV1 and,
    # through it, T (A0 falls to C); A2 takes ADV1 from A1. The T seat A1 held through ADV1 must be
    # released (A0 moves back up to T) and A1 continues to ADV2 with no PGY-1.
    market = build_market(
        [[2, 3], [0, 1], [0]],
        [[2, 1], [1], [1, 0], [0]],
        [1, 1, 1, 1],
        tracks=[ADVANCED, ADVANCED, PGY1, CATEGORICAL],
        supplemental={(1, 0): [2]},
    )
    outcome = run_match(market)
    assert outcome.assignment.tolist() == [2, 1, 0]
    assert outcome.pgy1_assignment.tolist() == [-1, -1, -1]
    assert find_nrmp_blocking_pairs(market, outcome) == []


def test_new_advanced_program_starts_its_own_supplemental_list() -> None:
    # A0: ADV1 (list [T1]) then ADV2 (list [T2]); A1 takes ADV1. A0 should end at ADV2 + T2.
    market = build_market(
        [[0, 1], [0]],
        [[1, 0], [0], [0], [0]],
        [1, 1, 1, 1],
        tracks=[ADVANCED, ADVANCED, PGY1, PGY1],
        supplemental={(0, 0): [2], (0, 1): [3]},
    )
    outcome = run_match(market)
    assert outcome.assignment.tolist() == [1, 0]
    assert outcome.pgy1_assignment.tolist() == [3, -1]


def test_supplemental_lists_can_leave_no_stable_matching_and_the_cycle_is_detected() -> None:
    # ADV (advanced, 1 seat) prefers A0 to A1; T (pgy1, 1 seat) prefers A1 to A0.
    # A0 ranks T directly, then ADV. A1 ranks ADV with supplemental list [T].
    # A1 at ADV+T pushes A0 to ADV, which bumps A1 and frees T, so A0 returns to T and frees ADV...
    # Every outcome has a blocking pair, so the procedure must stop on a repeated state.
    market = build_market(
        [[1, 0], [0]], [[0, 1], [1, 0]], [1, 1], tracks=[ADVANCED, PGY1], supplemental={(1, 0): [1]}
    )
    outcome = run_match(market)
    assert outcome.status == CYCLE and outcome.cycle_detected
    _assert_supplemental_invariants(market, outcome)
