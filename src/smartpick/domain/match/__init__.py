"""NRMP Main Residency Match algorithm: kernel, full procedure, checks and the JSON instance contract.

Abbreviations: ROL = rank order list; PGY-1 = first postgraduate year; CSR = compressed sparse
rows. See :mod:`.algorithm` for the algorithm's steps (Roth & Peranson 1999).
"""

from smartpick.domain.match.adapter import instance_to_market, solve_instance
from smartpick.domain.match.algorithm import MatchOutcome, run_match, run_nrmp_procedure
from smartpick.domain.match.arrays import ADVANCED, CATEGORICAL, PGY1, MatchMarket, build_market
from smartpick.domain.match.checks import (
    BlockingPair,
    enumerate_stable_matchings,
    find_blocking_pairs,
    find_nrmp_blocking_pairs,
    is_applicant_optimal,
)
from smartpick.domain.match.columnar import parse_market, run_instance
from smartpick.domain.match.instance import InstanceError, MatchInstance, parse_instance
from smartpick.domain.match.kernel import deferred_acceptance, program_rank_lookup
from smartpick.domain.match.result import MatchResult, MatchStats

__all__ = [
    "ADVANCED",
    "CATEGORICAL",
    "PGY1",
    "BlockingPair",
    "InstanceError",
    "MatchInstance",
    "MatchMarket",
    "MatchOutcome",
    "MatchResult",
    "MatchStats",
    "build_market",
    "deferred_acceptance",
    "enumerate_stable_matchings",
    "find_blocking_pairs",
    "find_nrmp_blocking_pairs",
    "instance_to_market",
    "is_applicant_optimal",
    "parse_instance",
    "parse_market",
    "program_rank_lookup",
    "run_instance",
    "run_match",
    "run_nrmp_procedure",
    "solve_instance",
]
