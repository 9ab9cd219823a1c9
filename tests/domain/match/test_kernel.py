"""Deferred-acceptance kernel: stability, agreement with the fallback and with the `matching` package."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
from hypothesis import given, settings

from smartpick.domain.match.arrays import MatchMarket, build_market
from smartpick.domain.match.checks import find_blocking_pairs
from smartpick.domain.match.kernel import (
    deferred_acceptance,
    deferred_acceptance_counted,
    program_rank_lookup_dense,
)

from .strategies import singles_markets

SRC = Path(__file__).resolve().parents[3] / "src"
sys.setrecursionlimit(5000)  # the `matching` package deep-copies linked player objects


def _solve(market: MatchMarket, *, use_numba: bool = True) -> np.ndarray:
    return deferred_acceptance(
        market.rol_indptr, market.rol_indices, market.rol_program_rank, market.capacity, use_numba=use_numba
    )


def test_worked_example_applicant_optimal() -> None:
    # Two applicants, two one-seat programs with opposite preferences: each applicant gets their first
    # choice in the applicant-optimal matching (programs would prefer the swap).
    market = build_market([[0, 1], [1, 0]], [[1, 0], [0, 1]], [1, 1])
    assert _solve(market).tolist() == [0, 1]


def test_displacement_chain() -> None:
    # A0 and A1 both want P0 (1 seat) which prefers A1; A0 falls to P1.
    market = build_market([[0, 1], [0]], [[1, 0], [0]], [1, 1])
    assignment, proposals = deferred_acceptance_counted(
        market.rol_indptr, market.rol_indices, market.rol_program_rank, market.capacity
    )
    assert assignment.tolist() == [1, 0]
    assert proposals == 3


def test_unranked_applicant_is_not_acceptable() -> None:
    market = build_market([[0]], [[]], [5])
    assert _solve(market).tolist() == [-1]


@settings(max_examples=150, deadline=None)
@given(singles_markets(max_applicants=12, max_programs=6))
def test_kernel_result_has_no_blocking_pair(market: MatchMarket) -> None:
    assignment = _solve(market)
    assert find_blocking_pairs(market, assignment) == []
    filled = np.bincount(assignment[assignment >= 0], minlength=market.n_programs)
    assert (filled <= market.capacity).all()


@settings(max_examples=100, deadline=None)
@given(singles_markets(max_applicants=12, max_programs=6))
def test_interpreted_fallback_agrees_with_numba(market: MatchMarket) -> None:
    assert np.array_equal(_solve(market, use_numba=False), _solve(market))


def test_dense_rank_lookup_matches_csr_lookup() -> None:
    market = build_market([[0, 1], [1], [1, 0]], [[2, 0], [1, 2, 0]], [1, 1])
    dense = np.full((2, 3), -1, dtype=np.int32)
    for program in range(2):
        for position, applicant in enumerate(market.program_rol(program)):
            dense[program, applicant] = position
    lookup = program_rank_lookup_dense(market.rol_indptr, market.rol_indices, dense)
    assert lookup.tolist() == market.rol_program_rank.tolist()


def test_runs_without_numba_installed() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["numba"] = None  # makes `import numba` raise ImportError
        from smartpick.domain.match import kernel
        from smartpick.domain.match.arrays import build_market
        assert not kernel.NUMBA_AVAILABLE
        m = build_market([[0, 1], [0]], [[1, 0], [0]], [1, 1])
        a = kernel.deferred_acceptance(m.rol_indptr, m.rol_indices, m.rol_program_rank, m.capacity)
        print(a.tolist())
        """
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "[1, 0]"


def _matching_package_assignment(market: MatchMarket) -> list[int]:
    """Resident-optimal HospitalResident from the `matching` package, on mutually acceptable pairs."""
    from matching.games import HospitalResident

    ranks = {}
    for program in range(market.n_programs):
        for position, applicant in enumerate(market.program_rol(program)):
            ranks[(program, int(applicant))] = position
    residents = {
        a: [p for p in map(int, market.rol(a)) if (p, a) in ranks and market.capacity[p] > 0]
        for a in range(market.n_applicants)
    }
    residents = {a: prefs for a, prefs in residents.items() if prefs}
    hospitals = {
        p: [a for a in map(int, market.program_rol(p)) if p in residents.get(a, [])]
        for p in range(market.n_programs)
        if market.capacity[p] > 0
    }
    hospitals = {p: prefs for p, prefs in hospitals.items() if prefs}
    result = [-1] * market.n_applicants
    if not residents:
        return result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {p: int(market.capacity[p]) for p in hospitals}
        )
        for hospital, matched in game.solve(optimal="resident").items():
            for resident in matched:
                result[resident.name] = hospital.name
    return result


@settings(max_examples=60, deadline=None)
@given(singles_markets(max_applicants=10, max_programs=5))
def test_equals_matching_package_resident_optimal(market: MatchMarket) -> None:
    assert _solve(market).tolist() == _matching_package_assignment(market)
