"""The one adapter between the JSON-level :class:`MatchInstance` and the array-level algorithms.

Applicant ids become ``0..n-1`` (singles in input order, then couple members couple by couple),
program ids ``0..m-1`` in input order; the outcome's arrays are mapped back to ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from smartpick.domain.match.algorithm import MatchOutcome, run_match
from smartpick.domain.match.arrays import NO_PROGRAM, TRACK_NAMES, MatchMarket, build_market
from smartpick.domain.match.checks import find_nrmp_blocking_pairs
from smartpick.domain.match.instance import MatchInstance
from smartpick.domain.match.result import MatchResult, MatchStats


@dataclass(frozen=True)
class IdMaps:
    """Applicant and program ids in array order."""

    applicants: tuple[str, ...]
    programs: tuple[str, ...]


def instance_to_market(instance: MatchInstance) -> tuple[MatchMarket, IdMaps]:
    """Convert a validated instance to CSR arrays; return them with the id order used."""
    applicants = tuple(a.id for a in instance.applicants) + tuple(
        m for c in instance.couples for m in c.members
    )
    programs = tuple(p.id for p in instance.programs)
    app_index = {a: i for i, a in enumerate(applicants)}
    prog_index = {p: i for i, p in enumerate(programs)}
    supplemental = {
        (app_index[a.id], prog_index[advanced]): [prog_index[p] for p in pgy1_list]
        for a in instance.applicants
        for advanced, pgy1_list in a.supplemental
    }
    couples = [
        (
            (app_index[c.members[0]], app_index[c.members[1]]),
            [tuple(NO_PROGRAM if p is None else prog_index[p] for p in pair) for pair in c.rank],
        )
        for c in instance.couples
    ]
    market = build_market(
        [[prog_index[p] for p in a.rank] for a in instance.applicants]
        + [[] for _ in range(2 * len(couples))],
        [[app_index[a] for a in p.rank] for p in instance.programs],
        [p.capacity for p in instance.programs],
        tracks=[TRACK_NAMES.index(p.track) for p in instance.programs],
        supplemental=supplemental,
        couples=[(members, [(pair[0], pair[1]) for pair in pairs]) for members, pairs in couples],
    )
    return market, IdMaps(applicants, programs)


def outcome_to_result(
    market: MatchMarket, ids: IdMaps, outcome: MatchOutcome, blocking_pairs: int
) -> MatchResult:
    """Map an array outcome back to ids and compute the run's statistics."""
    assignment, pgy1 = outcome.assignment, outcome.pgy1_assignment
    filled = np.bincount(
        np.concatenate([assignment[assignment >= 0], pgy1[pgy1 >= 0]]), minlength=market.n_programs
    )
    empty = market.capacity - filled
    stats = MatchStats(
        applicants=market.n_applicants,
        matched=int((assignment >= 0).sum()),
        unmatched=int((assignment < 0).sum()),
        seats=int(market.capacity.sum()),
        filled=int(filled.sum()),
        unfilled_seats=int(empty.sum()),
        couples=market.n_couples,
        couples_matched=int((outcome.couple_pair >= 0).sum()),
        pgy1_matched=int((pgy1 >= 0).sum()),
        iterations=outcome.proposals,
        stable=blocking_pairs == 0 and not outcome.cycle_detected,
        blocking_pairs=blocking_pairs,
        cycle_detected=outcome.cycle_detected,
        status=outcome.status,
    )
    return MatchResult(
        matches=MappingProxyType(
            {
                a: (ids.programs[p] if p >= 0 else None)
                for a, p in zip(ids.applicants, assignment, strict=True)
            }
        ),
        pgy1_matches=MappingProxyType(
            {a: ids.programs[p] for a, p in zip(ids.applicants, pgy1, strict=True) if p >= 0}
        ),
        unfilled=MappingProxyType({ids.programs[p]: int(e) for p, e in enumerate(empty) if e > 0}),
        stats=stats,
    )


def solve_instance(instance: MatchInstance) -> MatchResult:
    """Run the NRMP algorithm on a validated instance and verify the result has no blocking pair."""
    return solve_market(*instance_to_market(instance))


def solve_market(market: MatchMarket, ids: IdMaps) -> MatchResult:
    """Run the NRMP algorithm on an instance's arrays and verify the result has no blocking pair."""
    outcome = run_match(market)
    return outcome_to_result(market, ids, outcome, len(find_nrmp_blocking_pairs(market, outcome)))
