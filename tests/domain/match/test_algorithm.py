"""Procedure without couples/supplements: equals deferred acceptance, applicant-optimal, strategy-proof."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings

from smartpick.domain.match.algorithm import CONVERGED, run_match, run_nrmp_procedure
from smartpick.domain.match.arrays import MatchMarket, build_market
from smartpick.domain.match.checks import enumerate_stable_matchings, is_applicant_optimal

from .strategies import Lists, singles_lists, singles_markets


@settings(max_examples=100, deadline=None)
@given(singles_markets(max_applicants=12, max_programs=6))
def test_procedure_equals_kernel_on_singles(market: MatchMarket) -> None:
    kernel, procedure = run_match(market), run_nrmp_procedure(market)
    assert procedure.status == CONVERGED
    assert np.array_equal(kernel.assignment, procedure.assignment)
    assert (procedure.pgy1_assignment == -1).all()


@settings(max_examples=80, deadline=None)
@given(singles_markets(max_applicants=5, max_programs=3, max_rank=3, max_capacity=2))
def test_result_is_applicant_optimal_by_brute_force(market: MatchMarket) -> None:
    assert is_applicant_optimal(market, run_match(market).assignment)


def test_two_stable_matchings_and_the_applicant_optimal_one() -> None:
    # Classic 2x2 with opposed preferences: two stable matchings; applicants get their first choices.
    market = build_market([[0, 1], [1, 0]], [[1, 0], [0, 1]], [1, 1])
    assert sorted(m.tolist() for m in enumerate_stable_matchings(market)) == [[0, 1], [1, 0]]
    assert is_applicant_optimal(market, np.array([0, 1], dtype=np.int32))
    assert not is_applicant_optimal(market, np.array([1, 0], dtype=np.int32))


def _position(rol: list[int], program: int) -> int:
    return rol.index(program) if program in rol else len(rol)


def _reported_lists(rol: list[int]) -> list[list[int]]:
    return [list(p) for size in range(len(rol) + 1) for p in itertools.permutations(rol, size)]


@settings(max_examples=60, deadline=None)
@given(singles_lists(max_applicants=4, max_programs=3, max_rank=3, max_capacity=2))
def test_truthful_ranking_never_beaten_by_a_permuted_list(lists: Lists) -> None:
    true_rol = lists.applicant_rols[0]
    truthful = _position(true_rol, int(run_match(lists.market()).assignment[0]))
    for reported in _reported_lists(true_rol):
        rols = [reported, *lists.applicant_rols[1:]]
        market = build_market(rols, lists.program_rols, lists.capacity)
        assert _position(true_rol, int(run_match(market).assignment[0])) >= truthful
