"""Mutable working state of the full NRMP procedure (private; see :mod:`.algorithm` for the steps).

An *agent* proposes down one list and holds at most one entry of it at a time:

* the primary agent of a single applicant ``a`` (id ``a``): entries are their primary ROL;
* the supplemental agent of ``a`` (id ``n + a``): active only while ``a`` holds an advanced program
  with a supplemental list attached; entries are that list's PGY-1 programs;
* couple ``c`` (id ``2n + c``): entries are the couple's ranked pairs.

An entry is a tuple of *demands* ``(program, applicant, program's rank of applicant)``: one for
single lists, up to two for a couple's pair (none for ``[null, null]``). A program holds seats as a
sorted list of ``(rank, applicant, agent)``. When a seat is given up without being taken by a
better applicant (a couple withdrawing, a supplemental seat released, an agent moving up), the
program gets a *vacancy*: every agent whose list has that program above what it holds is rewound
so it proposes there again (Roth & Peranson 1999, section on couples: displaced applicants and
those affected by withdrawn positions re-enter the applicant queue).
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from smartpick.domain.match.arrays import ADVANCED, NO_PROGRAM, MatchMarket
from smartpick.domain.match.kernel import IntArray, applicant_of_edge, program_rank_of

Demand = tuple[int, int, int]
Entry = tuple[Demand, ...]
Seat = tuple[int, int, int]
_NONE = 1 << 60


@dataclass
class EngineState:
    """Everything the procedure mutates; built once per run by :func:`new_state`."""

    market: MatchMarket
    entries: list[list[Entry]]
    hold: list[int]
    next: list[int]
    scan: list[int]
    source: list[int]
    queued: list[bool]
    seats: list[list[Seat]]
    rol_pos_of_program_edge: list[int]
    supp_ranks: list[int]
    supp_owner_edge: dict[int, int]
    couple_first: list[list[dict[int, int]]]
    couple_of_member: dict[int, tuple[int, int]]
    capacity: list[int] = field(default_factory=list)
    n: int = 0  # number of applicants
    queue: deque[int] = field(default_factory=deque)
    proposals: int = 0
    state_hash: int = 0


def _primary_entries(market: MatchMarket) -> list[list[Entry]]:
    """Every applicant's primary ROL as entries (plain Python ints, one pass over the arrays)."""
    indptr = market.rol_indptr.tolist()
    programs, ranks = market.rol_indices.tolist(), market.rol_program_rank.tolist()
    return [
        list(zip(zip(programs[lo:hi], itertools.repeat(a, hi - lo), ranks[lo:hi], strict=True), strict=True))
        for a, (lo, hi) in enumerate(itertools.pairwise(indptr))
    ]


def _couple_entries(market: MatchMarket, couple: int, ranks: np.ndarray) -> list[Entry]:
    members = [int(m) for m in market.couple_members[couple]]
    lo = int(market.pair_indptr[couple])
    pairs = market.couple_pairs(couple)
    return [
        tuple((int(pair[m]), members[m], int(ranks[lo + i, m])) for m in (0, 1) if pair[m] != NO_PROGRAM)
        for i, pair in enumerate(pairs)
    ]


def _couple_ranks(market: MatchMarket) -> np.ndarray:
    members = np.repeat(market.couple_members, np.diff(market.pair_indptr), axis=0)
    ranks = program_rank_of(
        market.program_indptr,
        market.program_indices,
        market.n_applicants,
        np.maximum(market.pair_programs, 0).ravel(),
        members.ravel(),
    )
    return ranks.reshape(-1, 2)


def _couple_first_index(pairs: np.ndarray) -> list[dict[int, int]]:
    """Per member slot: program -> index of the couple's first pair giving that member the program."""
    first: list[dict[int, int]] = [{}, {}]
    for index, pair in enumerate(pairs):
        for slot in (0, 1):
            if pair[slot] != NO_PROGRAM:
                first[slot].setdefault(int(pair[slot]), index)
    return first


def supplemental_ranks(market: MatchMarket) -> IntArray:
    """Per supplemental-list entry: the PGY-1 program's rank of the list's owner (-1 = unranked)."""
    owners = applicant_of_edge(market.rol_indptr)
    supp_owner = np.repeat(owners, np.diff(market.supplemental_indptr))
    return program_rank_of(
        market.program_indptr,
        market.program_indices,
        market.n_applicants,
        market.supplemental_indices,
        supp_owner,
    )


def rol_positions(market: MatchMarket) -> IntArray:
    """Per program ROL edge: where that program sits on the applicant's primary ROL (-1 = absent)."""
    owners = applicant_of_edge(market.program_indptr)
    return program_rank_of(
        market.rol_indptr, market.rol_indices, market.n_programs, market.program_indices, owners
    )


def new_state(market: MatchMarket) -> EngineState:
    """Build the initial state: everyone unmatched, every pointer at the top of its list."""
    n, n_couples = market.n_applicants, market.n_couples
    entries: list[list[Entry]] = _primary_entries(market) + [[] for _ in range(n)]
    pair_ranks = _couple_ranks(market)
    couple_first: list[list[dict[int, int]]] = []
    couple_of_member: dict[int, tuple[int, int]] = {}
    for c in range(n_couples):
        entries.append(_couple_entries(market, c, pair_ranks))
        couple_first.append(_couple_first_index(market.couple_pairs(c)))
        for m in (0, 1):
            couple_of_member[int(market.couple_members[c, m])] = (c, m)
    rol_pos = rol_positions(market)
    n_agents = 2 * n + n_couples
    return EngineState(
        market=market,
        entries=entries,
        hold=[-1] * n_agents,
        next=[0] * n_agents,
        scan=[_NONE] * n_agents,
        source=[0] * n_agents,
        queued=[False] * n_agents,
        seats=[[] for _ in range(market.n_programs)],
        rol_pos_of_program_edge=[int(x) for x in rol_pos],
        supp_ranks=supplemental_ranks(market).tolist(),
        supp_owner_edge={},
        couple_first=couple_first,
        couple_of_member=couple_of_member,
        capacity=market.capacity.tolist(),
        n=n,
    )


def _mix(agent: int, hold: int, nxt: int, source: int) -> int:
    return hash((agent, hold, nxt, source))


def set_pointers(state: EngineState, agent: int, hold: int, nxt: int) -> None:
    """Set an agent's held entry and next pointer, keeping the incremental state hash current."""
    src = state.source[agent]
    state.state_hash ^= _mix(agent, state.hold[agent], state.next[agent], src) ^ _mix(agent, hold, nxt, src)
    state.hold[agent], state.next[agent] = hold, nxt


def push(state: EngineState, agent: int) -> None:
    """Queue an agent (first in, first out) unless it is already queued.

    FIFO matters: on markets full of supplemental lists, last-in-first-out reprocessing of the
    applicants rewound by vacancies churned ~30x more proposals before converging, or never did.
    """
    if not state.queued[agent]:
        state.queued[agent] = True
        state.queue.append(agent)


def rewind(state: EngineState, agent: int, position: int) -> None:
    """Make an agent reconsider its list from ``position`` (above what it holds) and queue it."""
    if state.hold[agent] >= 0:
        if position < state.hold[agent]:
            state.scan[agent] = min(state.scan[agent], position)
            push(state, agent)
    elif position < state.next[agent]:
        set_pointers(state, agent, -1, position)
        push(state, agent)


def accepts(state: EngineState, entry: Entry, agent: int) -> bool:
    """Return True when every program in ``entry`` would take its demand simultaneously.

    A program takes applicant ``a`` if ``a`` already sits there, or if ``a`` is among its best
    ``capacity`` of (current seats, the couple's own included) plus the entry's demands on it
    (Kojima, Pathak & Roth 2013, couples' blocking condition).
    """
    capacity = state.capacity
    if len(entry) == 1:  # a single demand: compare with the worst seat (seats are sorted by rank)
        program, _, rank = entry[0]
        seats = state.seats[program]
        if rank < 0 or capacity[program] <= 0:
            return False
        # full: accept when the worst seat ranks below (or is this applicant, already seated here)
        return len(seats) < capacity[program] or seats[-1][0] >= rank
    for program, _, rank in entry:
        if rank < 0 or capacity[program] <= 0:
            return False
        seats = state.seats[program]
        seated = {applicant for _, applicant, _ in seats}
        better = sum(1 for r, _, _ in seats if r < rank)
        better += sum(1 for p, a, r in entry if p == program and r < rank and a not in seated)
        if better >= capacity[program]:
            return False
    return True


def release(state: EngineState, agent: int, skip_applicant: int = -1) -> list[int]:
    """Give up every seat ``agent`` holds (except ``skip_applicant``'s); return the programs affected."""
    hold = state.hold[agent]
    if hold < 0:
        return []
    affected = []
    for program, applicant, _ in state.entries[agent][hold]:
        seats = state.seats[program]
        for i, seat in enumerate(seats):
            if seat[1] == applicant and seat[2] == agent:
                if applicant != skip_applicant:
                    del seats[i]
                    affected.append(program)
                break
    return affected


def vacancy(state: EngineState, program: int) -> None:
    """Rewind every agent whose list ranks ``program`` above what it holds (the program freed room)."""
    market = state.market
    lo, hi = int(market.program_indptr[program]), int(market.program_indptr[program + 1])
    n = state.n
    for j in range(lo, hi):
        applicant = int(market.program_indices[j])
        position = state.rol_pos_of_program_edge[j]
        if position >= 0:
            rewind(state, applicant, position)
        supp = n + applicant
        if state.hold[applicant] >= 0 and supp in state.supp_owner_edge:
            for index, entry in enumerate(state.entries[supp]):
                if entry[0][0] == program:
                    rewind(state, supp, index)
        couple_slot = state.couple_of_member.get(applicant)
        if couple_slot is not None:
            couple, slot = couple_slot
            first = state.couple_first[couple][slot].get(program)
            if first is not None:
                rewind(state, 2 * n + couple, first)


def insert_seat(state: EngineState, program: int, seat: Seat) -> Seat | None:
    """Seat an applicant; return the displaced worst seat if the program went over capacity."""
    seats = state.seats[program]
    bisect.insort(seats, seat)
    if len(seats) > state.market.capacity[program]:
        return seats.pop()
    return None


def is_advanced_with_supplemental(state: EngineState, agent: int, index: int) -> int:
    """Return the primary ROL edge if entry ``index`` of ``agent`` is an advanced program with a list."""
    market = state.market
    if agent >= state.n or market.track[state.entries[agent][index][0][0]] != ADVANCED:
        return -1
    edge = int(market.rol_indptr[agent]) + index
    has_list = market.supplemental_indptr[edge + 1] > market.supplemental_indptr[edge]
    return edge if has_list else -1


def set_source(state: EngineState, agent: int, source: int) -> None:
    """Record which list a supplemental agent currently walks (part of the state hash)."""
    hold, nxt = state.hold[agent], state.next[agent]
    state.state_hash ^= _mix(agent, hold, nxt, state.source[agent]) ^ _mix(agent, hold, nxt, source)
    state.source[agent] = source


def cycle_key(state: EngineState, agent: int) -> int:
    """Hash of the full procedure state when ``agent`` is about to propose (for cycle detection)."""
    queued = (agent, *state.queue)
    return hash((state.state_hash, queued, tuple(state.scan[a] for a in queued)))
