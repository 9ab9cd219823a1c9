"""Checks on a matching, as functions that return data (used by tests and a ``--verify`` flag).

A *blocking pair* is a proposer and an entry on its list, ranked above what it holds, whose
program(s) would accept it: the program ranks the applicant and has a free seat or holds someone
it ranks lower (Gale & Shapley 1962). Kinds: ``"single"`` (primary ROL), ``"supplemental"`` (a
PGY-1 program on the supplemental list of the advanced program the applicant holds) and
``"couple"`` (a ranked pair both of whose programs would accept the members together: each member
already sits there or is among the program's best ``capacity`` of its current assignees, partner
included, plus the pair's demands; Kojima, Pathak & Roth 2013, QJE 128(4)). Brute-force checks
enumerate every matching, so they are for tiny markets only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from smartpick.domain.match.algorithm import MatchOutcome
from smartpick.domain.match.arrays import ADVANCED, NO_PROGRAM, MatchMarket
from smartpick.domain.match.kernel import IntArray, ProgramRankIndex, applicant_of_edge

BRUTE_FORCE_MAX_APPLICANTS = 8


@dataclass(frozen=True)
class BlockingPair:
    """A proposer that prefers an entry whose program(s) would accept it.

    Attributes:
        kind: ``"single"``, ``"supplemental"`` or ``"couple"``.
        proposer: Applicant id, or couple id when ``kind == "couple"``.
        entry: Position of the preferred entry on the proposer's list.
        programs: The program(s) of that entry (a couple's pair may contain -1).
    """

    kind: str
    proposer: int
    entry: int
    programs: tuple[int, ...]


def _rank_index(market: MatchMarket) -> ProgramRankIndex:
    return ProgramRankIndex.build(market.program_indptr, market.program_indices, market.n_applicants)


def _seated(
    market: MatchMarket, assignment: IntArray, pgy1: IntArray, index: ProgramRankIndex | None = None
) -> tuple[IntArray, IntArray, IntArray]:
    """Every seat held: (program, applicant, program's rank of applicant) arrays."""
    apps = np.concatenate([np.flatnonzero(assignment >= 0), np.flatnonzero(pgy1 >= 0)]).astype(np.int32)
    progs = np.concatenate([assignment[assignment >= 0], pgy1[pgy1 >= 0]]).astype(np.int32)
    return progs, apps, (index or _rank_index(market)).rank_of(progs, apps)


def _held_ranks(
    market: MatchMarket, assignment: IntArray, pgy1: IntArray, index: ProgramRankIndex | None = None
) -> tuple[IntArray, IntArray]:
    """Per program: seats filled and the rank of the worst applicant held (-1 if none)."""
    progs, _, ranks = _seated(market, assignment, pgy1, index)
    filled = np.bincount(progs, minlength=market.n_programs).astype(np.int32)
    worst = np.full(market.n_programs, -1, dtype=np.int32)
    np.maximum.at(worst, progs, ranks)
    return filled, worst


def _would_accept(market: MatchMarket, filled: IntArray, worst: IntArray, program: int, rank: int) -> bool:
    cap = int(market.capacity[program])
    return rank >= 0 and cap > 0 and (int(filled[program]) < cap or rank < int(worst[program]))


def find_blocking_pairs(
    market: MatchMarket, assignment: IntArray, pgy1_assignment: IntArray | None = None
) -> list[BlockingPair]:
    """Return every single applicant's blocking pair on the primary ROL (vectorised).

    Args:
        market: The match as arrays.
        assignment: Primary program per applicant (-1 = unmatched), couple members included.
        pgy1_assignment: PGY-1 seats held through supplemental lists (they fill seats too).

    Returns:
        ``BlockingPair(kind="single", ...)`` items, ordered by applicant then ROL position.
    """
    pgy1 = np.full_like(assignment, -1) if pgy1_assignment is None else pgy1_assignment
    return _single_blocking(market, assignment, *_held_ranks(market, assignment, pgy1))


def _single_blocking(
    market: MatchMarket, assignment: IntArray, filled: IntArray, worst: IntArray
) -> list[BlockingPair]:
    owner = applicant_of_edge(market.rol_indptr)
    position = np.arange(len(market.rol_indices)) - market.rol_indptr[owner]
    held_position = np.diff(market.rol_indptr).astype(np.int64)
    is_held = market.rol_indices == assignment[owner]
    held_position[owner[is_held]] = position[is_held]
    progs, ranks = market.rol_indices, market.rol_program_rank
    cap = market.capacity[progs]
    accepts = (ranks >= 0) & (cap > 0) & ((filled[progs] < cap) | (ranks < worst[progs]))
    edges = np.flatnonzero(accepts & (position < held_position[owner]))
    return [BlockingPair("single", int(owner[k]), int(position[k]), (int(progs[k]),)) for k in edges]


def _supplemental_blocking(
    market: MatchMarket, outcome: MatchOutcome, filled: IntArray, worst: IntArray, index: ProgramRankIndex
) -> list[BlockingPair]:
    """Supplemental blocking pairs, vectorised: ordered by applicant, then list position.

    For each applicant holding an advanced program (its first place on their ROL), the entries of
    the list attached there, above the PGY-1 program held through it, whose program would accept.
    """
    assignment, pgy1_held = outcome.assignment, outcome.pgy1_assignment
    if not market.has_supplemental:
        return []
    owner = applicant_of_edge(market.rol_indptr).astype(np.int64)
    held_edge = np.flatnonzero(
        (market.rol_indices == assignment[owner]) & (market.track[market.rol_indices] == ADVANCED)
    )
    # the first edge of each applicant holding that program (a program could be listed twice)
    held_edge = held_edge[np.unique(owner[held_edge], return_index=True)[1]]
    supp_indptr = market.supplemental_indptr.astype(np.int64)
    sizes = supp_indptr[held_edge + 1] - supp_indptr[held_edge]
    if not sizes.sum():
        return []
    starts = supp_indptr[held_edge]
    entry = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    list_of = np.repeat(np.arange(len(held_edge)), sizes)
    applicant = owner[held_edge][list_of]
    position = entry - starts[list_of]
    programs = market.supplemental_indices[entry]
    # entries above the first occurrence of the PGY-1 program held (all of them if none is)
    stop = sizes.copy()
    is_held = programs == pgy1_held[applicant]
    np.minimum.at(stop, list_of[is_held], position[is_held])
    ranks = index.rank_of(programs, applicant)
    cap = market.capacity[programs]
    accepts = (ranks >= 0) & (cap > 0) & ((filled[programs] < cap) | (ranks < worst[programs]))
    found = np.flatnonzero(accepts & (position < stop[list_of]))
    return [
        BlockingPair("supplemental", int(applicant[k]), int(position[k]), (int(programs[k]),)) for k in found
    ]


def _couple_accepts(
    market: MatchMarket,
    index: ProgramRankIndex,
    seats: dict[int, list[tuple[int, int]]],
    members: IntArray,
    pair: IntArray,
) -> bool:
    demands = [(int(pair[m]), int(members[m])) for m in (0, 1) if pair[m] != NO_PROGRAM]
    ranks = index.rank_of(np.asarray([p for p, _ in demands]), np.asarray([a for _, a in demands]))
    for (program, _), rank in zip(demands, ranks, strict=True):
        if rank < 0 or market.capacity[program] <= 0:
            return False
        held = seats.get(program, [])
        seated = {a for _, a in held}
        better = sum(1 for r, _ in held if r < rank)
        better += sum(
            1
            for (p, a), r in zip(demands, ranks, strict=True)
            if p == program and r < rank and a not in seated
        )
        if better >= market.capacity[program]:
            return False
    return True


def _couple_blocking(market: MatchMarket, outcome: MatchOutcome) -> Iterator[BlockingPair]:
    if not market.n_couples:
        return
    index = _rank_index(market)
    seats: dict[int, list[tuple[int, int]]] = {}
    for program, applicant, rank in zip(
        *_seated(market, outcome.assignment, outcome.pgy1_assignment), strict=True
    ):
        seats.setdefault(int(program), []).append((int(rank), int(applicant)))
    for couple in range(market.n_couples):
        pairs, held = market.couple_pairs(couple), int(outcome.couple_pair[couple])
        for position in range(held if held >= 0 else len(pairs)):
            if _couple_accepts(market, index, seats, market.couple_members[couple], pairs[position]):
                yield BlockingPair("couple", couple, position, tuple(int(p) for p in pairs[position]))


def find_nrmp_blocking_pairs(market: MatchMarket, outcome: MatchOutcome) -> list[BlockingPair]:
    """Return blocking pairs of all kinds: singles, supplemental PGY-1 lists and couples.

    Args:
        market: The match as arrays.
        outcome: A result of :func:`smartpick.domain.match.algorithm.run_match`.

    Returns:
        Singles first, then supplemental, then couple blocking pairs; empty means stable.
    """
    index = _rank_index(market)  # built once: each build sorts every program ROL entry
    filled, worst = _held_ranks(market, outcome.assignment, outcome.pgy1_assignment, index)
    found = _single_blocking(market, outcome.assignment, filled, worst)
    found += _supplemental_blocking(market, outcome, filled, worst, index)
    return found + list(_couple_blocking(market, outcome))


def _choices(market: MatchMarket, applicant: int) -> list[int]:
    rol = market.rol(applicant)
    lo = int(market.rol_indptr[applicant])
    return [int(p) for k, p in enumerate(rol) if market.rol_program_rank[lo + k] >= 0] + [NO_PROGRAM]


def _assignments(
    market: MatchMarket, applicant: int, current: list[int], left: list[int]
) -> Iterator[list[int]]:
    if applicant == market.n_applicants:
        yield list(current)
        return
    for program in _choices(market, applicant):
        if program == NO_PROGRAM or left[program] > 0:
            if program != NO_PROGRAM:
                left[program] -= 1
            current.append(program)
            yield from _assignments(market, applicant + 1, current, left)
            current.pop()
            if program != NO_PROGRAM:
                left[program] += 1


def enumerate_stable_matchings(market: MatchMarket) -> list[IntArray]:
    """Return every stable matching of a tiny market without couples or supplemental lists.

    Steps: enumerate every capacity-respecting assignment of applicants to mutually acceptable
    programs (or nothing) by backtracking, and keep those with no blocking pair.

    Raises:
        ValueError: For couples, supplemental lists or more than ``BRUTE_FORCE_MAX_APPLICANTS``.
    """
    if market.n_couples or market.has_supplemental or market.n_applicants > BRUTE_FORCE_MAX_APPLICANTS:
        raise ValueError("brute force needs a tiny market of singles without supplemental lists")
    stable = []
    for candidate in _assignments(market, 0, [], [int(c) for c in market.capacity]):
        assignment = np.asarray(candidate, dtype=np.int32)
        if not find_blocking_pairs(market, assignment):
            stable.append(assignment)
    return stable


def _rol_position(market: MatchMarket, applicant: int, program: int) -> int:
    rol = market.rol(applicant)
    hits = np.flatnonzero(rol == program)
    return int(hits[0]) if program >= 0 and len(hits) else len(rol)


def is_applicant_optimal(market: MatchMarket, assignment: IntArray) -> bool:
    """Return True when ``assignment`` is the applicant-optimal stable matching (brute force).

    Steps: enumerate all stable matchings (:func:`enumerate_stable_matchings`, tiny markets only);
    require ``assignment`` to be one of them and every applicant to like it at least as much as
    every other one.
    """
    stable = enumerate_stable_matchings(market)
    if not any(np.array_equal(assignment, other) for other in stable):
        return False
    return all(
        _rol_position(market, a, int(assignment[a])) <= _rol_position(market, a, int(other[a]))
        for other in stable
        for a in range(market.n_applicants)
    )
