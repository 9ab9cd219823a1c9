"""The NRMP procedure with supplemental PGY-1 lists, compiled (markets without couples).

This is a line-for-line port of :func:`smartpick.domain.match.algorithm.run_nrmp_procedure` (the
reference implementation, kept for couples and for checking this one) to flat arrays, so numba can
compile it. Same steps, same queue order, same proposals, same outcome:

* agent ``a`` (``0 <= a < n``) proposes down applicant ``a``'s primary ROL; agent ``n + a`` walks the
  supplemental list attached to the advanced program ``a`` holds (``source`` = that ROL edge + 1,
  0 = inactive); an agent holds at most one entry (``hold``), ``next`` is where it resumes and
  ``scan`` how far up a vacancy asked it to look again (:class:`Agents`);
* a program's seats are kept sorted by ``(rank, applicant, agent)`` in its own slice of three
  arrays (``capacity + 1`` slots: a seat is inserted, then the worst one popped if over capacity;
  :class:`SortedSeats`);
* the queue is FIFO and holds each agent at most once; applicants arrive in id order and each
  arrival is drained before the next;
* cycle detection: a 64-bit hash of the full state (every agent's ``hold``/``next``/``source``,
  the queue in order and the ``scan`` of queued agents) is recorded each time an agent is taken off
  the queue; a repeat within one arrival stops with status cycle. A budget of proposals stops with
  status iteration limit.

The inputs travel as one :class:`ProcedureMarket` of int64 arrays (one compiled signature, cached on
disk), the outputs as one :class:`ProcedureOutput`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from smartpick.domain.match.arrays import ADVANCED, MatchMarket
from smartpick.domain.match.jit import compiled, jitable
from smartpick.domain.match.kernel import applicant_of_edge

STATUS_CONVERGED, STATUS_CYCLE, STATUS_ITERATION_LIMIT = 0, 1, 2
_NONE = 1 << 60

I64 = NDArray[np.int64]


class ProcedureMarket(NamedTuple):
    """A market without couples as the compiled procedure reads it (every array int64).

    Attributes:
        rol_indptr: Applicants' primary ROL row pointers.
        rol_programs: Program ids on the primary ROLs, best first.
        rol_ranks: Per ROL edge, the program's rank of the applicant (-1 = unranked).
        capacity: Seats per program.
        track: Track code per program.
        program_indptr: Programs' ROL row pointers.
        program_applicants: Applicant ids on the programs' ROLs, best first.
        rol_position: Per program ROL edge, where the program sits on the applicant's ROL (-1 = absent).
        supp_indptr: Supplemental lists as CSR rows over primary ROL edges.
        supp_programs: PGY-1 program ids on the supplemental lists.
        supp_ranks: Per supplemental entry, the PGY-1 program's rank of the list's owner (-1 = unranked).
        advanced: The track code of advanced programs.
        budget: Proposals after which the procedure stops (status iteration limit).
    """

    rol_indptr: I64
    rol_programs: I64
    rol_ranks: I64
    capacity: I64
    track: I64
    program_indptr: I64
    program_applicants: I64
    rol_position: I64
    supp_indptr: I64
    supp_programs: I64
    supp_ranks: I64
    advanced: int
    budget: int


class ProcedureOutput(NamedTuple):
    """What the procedure fills: programs per applicant; ``counters`` = [proposals, status]."""

    assignment: NDArray[np.int32]
    pgy1: NDArray[np.int32]
    counters: I64


class Agents(NamedTuple):
    """Per agent: held entry, next entry, rewind mark, supplemental source, queued flag; the state hash."""

    hold: I64
    next: I64
    scan: I64
    source: I64
    queued: NDArray[np.bool_]
    hash: NDArray[np.uint64]


class Fifo(NamedTuple):
    """A ring buffer of agents; ``state`` = [head, size]."""

    items: I64
    state: I64


class SortedSeats(NamedTuple):
    """Per program, its seats sorted by (rank, applicant, agent) in slots ``start[p]:start[p + 1]``."""

    start: I64
    filled: I64
    rank: I64
    applicant: I64
    agent: I64


class Freed(NamedTuple):
    """Programs that lost a seat during one take (at most three: own, supplemental, displaced's)."""

    programs: I64
    size: I64


@jitable
def _mix64(x: np.uint64) -> np.uint64:
    """SplitMix64 finaliser on a uint64 (a well-spread 64-bit hash)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@jitable
def _agent_mix(agent: int, hold: int, nxt: int, source: int) -> np.uint64:
    h = _mix64(np.uint64(agent) + np.uint64(0x9E3779B97F4A7C15))
    h = _mix64(h ^ np.uint64(hold + 2))
    h = _mix64(h ^ np.uint64(nxt + 2))
    return _mix64(h ^ np.uint64(source + 2))


@jitable
def _set_pointers(agents: Agents, agent: int, hold: int, nxt: int) -> None:
    src = agents.source[agent]
    old = _agent_mix(agent, agents.hold[agent], agents.next[agent], src)
    agents.hash[0] ^= old ^ _agent_mix(agent, hold, nxt, src)
    agents.hold[agent] = hold
    agents.next[agent] = nxt


@jitable
def _set_source(agents: Agents, agent: int, source: int) -> None:
    hold, nxt = agents.hold[agent], agents.next[agent]
    old = _agent_mix(agent, hold, nxt, agents.source[agent])
    agents.hash[0] ^= old ^ _agent_mix(agent, hold, nxt, source)
    agents.source[agent] = source


@jitable
def _push(queue: Fifo, agents: Agents, agent: int) -> None:
    """Append ``agent`` to the FIFO unless it is queued already."""
    if not agents.queued[agent]:
        agents.queued[agent] = True
        cap = len(queue.items)
        queue.items[(queue.state[0] + queue.state[1]) % cap] = agent
        queue.state[1] += 1


@jitable
def _pop(queue: Fifo, agents: Agents) -> int:
    agent = queue.items[queue.state[0]]
    queue.state[0] = (queue.state[0] + 1) % len(queue.items)
    queue.state[1] -= 1
    agents.queued[agent] = False
    return int(agent)


@jitable
def _cycle_key(agents: Agents, queue: Fifo, agent: int) -> np.uint64:
    """State hash, then the popped agent and the queue in order, each with its ``scan``."""
    key = _mix64(agents.hash[0] ^ np.uint64(0x2545F4914F6CDD1D))
    key = _mix64(key ^ np.uint64(agent + 1))
    key = _mix64(key ^ np.uint64(agents.scan[agent] + 1))
    for i in range(queue.state[1]):
        other = queue.items[(queue.state[0] + i) % len(queue.items)]
        key = _mix64(key ^ np.uint64(other + 1))
        key = _mix64(key ^ np.uint64(agents.scan[other] + 1))
    return key


class _Seen(NamedTuple):
    """Open-addressing set of cycle keys; a slot belongs to the current arrival when its stamp says so."""

    keys: NDArray[np.uint64]
    stamp: I64


@jitable
def _grown(seen: _Seen, arrival: int) -> _Seen:
    """Twice the table, with the current arrival's keys re-inserted."""
    bigger = _Seen(
        np.zeros(2 * len(seen.keys), dtype=np.uint64), np.full(2 * len(seen.keys), -1, dtype=np.int64)
    )
    for s in range(len(seen.keys)):
        if seen.stamp[s] == arrival:
            _store(bigger, seen.keys[s], arrival)
    return bigger


@jitable
def _find_slot(seen: _Seen, key: np.uint64, arrival: int) -> np.int64:
    """The slot holding ``key`` for this arrival, or the free slot where it would go."""
    mask = np.uint64(len(seen.keys) - 1)
    slot = np.int64(key & mask)
    while seen.stamp[slot] == arrival and seen.keys[slot] != key:
        slot = (slot + np.int64(1)) & np.int64(len(seen.keys) - 1)
    return slot


@jitable
def _store(seen: _Seen, key: np.uint64, arrival: int) -> None:
    slot = _find_slot(seen, key, arrival)
    seen.keys[slot], seen.stamp[slot] = key, arrival


@jitable
def _entry(m: ProcedureMarket, agents: Agents, agent: int, index: int) -> tuple[int, int]:
    """(program, program's rank of the applicant) of entry ``index`` on ``agent``'s current list."""
    n = len(m.rol_indptr) - 1
    if agent < n:
        edge = m.rol_indptr[agent] + index
        return m.rol_programs[edge], m.rol_ranks[edge]
    k = m.supp_indptr[agents.source[agent] - 1] + index
    return m.supp_programs[k], m.supp_ranks[k]


@jitable
def _list_length(m: ProcedureMarket, agents: Agents, agent: int) -> int:
    n = len(m.rol_indptr) - 1
    if agent < n:
        return int(m.rol_indptr[agent + 1] - m.rol_indptr[agent])
    return int(m.supp_indptr[agents.source[agent]] - m.supp_indptr[agents.source[agent] - 1])


@jitable
def _would_take(m: ProcedureMarket, seats: SortedSeats, program: int, rank: int) -> bool:
    """A program takes a demand when it ranks the applicant and has room or a worse-ranked seat."""
    if rank < 0 or m.capacity[program] <= 0:
        return False
    count = seats.filled[program]
    return bool(count < m.capacity[program] or seats.rank[seats.start[program] + count - 1] >= rank)


@jitable
def _release(
    m: ProcedureMarket, agents: Agents, seats: SortedSeats, who: int, applicant: int, freed: Freed
) -> None:
    """Remove the seat ``who`` holds for ``applicant`` (if any) and record its program as freed."""
    if agents.hold[who] < 0:
        return
    p = _entry(m, agents, who, agents.hold[who])[0]
    base, count = seats.start[p], seats.filled[p]
    for i in range(count):
        if seats.applicant[base + i] == applicant and seats.agent[base + i] == who:
            for j in range(i, count - 1):
                seats.rank[base + j] = seats.rank[base + j + 1]
                seats.applicant[base + j] = seats.applicant[base + j + 1]
                seats.agent[base + j] = seats.agent[base + j + 1]
            seats.filled[p] = count - 1
            freed.programs[freed.size[0]] = p
            freed.size[0] += 1
            return


@jitable
def _deactivate(m: ProcedureMarket, agents: Agents, seats: SortedSeats, applicant: int, freed: Freed) -> None:
    """Stop the supplemental proposer of ``applicant`` (if active), giving up its PGY-1 seat."""
    supp = applicant + len(m.rol_indptr) - 1
    if agents.source[supp] == 0:
        return
    _release(m, agents, seats, supp, applicant, freed)
    _set_pointers(agents, supp, -1, 0)
    _set_source(agents, supp, 0)


@jitable
def _insert(seats: SortedSeats, program: int, rank: int, applicant: int, agent: int) -> int:
    """Seat ``(rank, applicant, agent)`` in order; return the new number of seats taken."""
    base, count = seats.start[program], seats.filled[program]
    pos = count
    while pos > 0:
        r, a, g = seats.rank[base + pos - 1], seats.applicant[base + pos - 1], seats.agent[base + pos - 1]
        if r < rank or (r == rank and (a < applicant or (a == applicant and g <= agent))):
            break
        seats.rank[base + pos], seats.applicant[base + pos], seats.agent[base + pos] = r, a, g
        pos -= 1
    seats.rank[base + pos], seats.applicant[base + pos], seats.agent[base + pos] = rank, applicant, agent
    seats.filled[program] = count + 1
    return int(count + 1)


@jitable
def _rewind(agents: Agents, queue: Fifo, agent: int, position: int) -> None:
    """Make ``agent`` reconsider its list from ``position`` (above what it holds) and queue it."""
    if agents.hold[agent] >= 0:
        if position < agents.hold[agent]:
            agents.scan[agent] = min(agents.scan[agent], position)
            _push(queue, agents, agent)
    elif position < agents.next[agent]:
        _set_pointers(agents, agent, -1, position)
        _push(queue, agents, agent)


@jitable
def _vacancy(m: ProcedureMarket, agents: Agents, queue: Fifo, p: int) -> None:
    """Everyone who ranks the freed program ``p`` above what they hold looks again."""
    n = len(m.rol_indptr) - 1
    for j in range(m.program_indptr[p], m.program_indptr[p + 1]):
        app = m.program_applicants[j]
        if m.rol_position[j] >= 0:
            _rewind(agents, queue, app, m.rol_position[j])
        supp = n + app
        if agents.hold[app] >= 0 and agents.source[supp] != 0:
            lo = m.supp_indptr[agents.source[supp] - 1]
            for k in range(m.supp_indptr[agents.source[supp]] - lo):
                if m.supp_programs[lo + k] == p:
                    _rewind(agents, queue, supp, k)


@jitable
def _take(
    m: ProcedureMarket, agents: Agents, seats: SortedSeats, queue: Fifo, agent: int, taken: int
) -> None:
    """Hold entry ``taken``: give up old seats, start a supplemental list, seat, displace, fill vacancies."""
    n = len(m.rol_indptr) - 1
    freed = Freed(np.zeros(4, dtype=np.int64), np.zeros(1, dtype=np.int64))
    applicant = agent if agent < n else agent - n
    _release(m, agents, seats, agent, applicant, freed)
    _set_pointers(agents, agent, taken, taken + 1)
    if agent < n:
        _deactivate(m, agents, seats, agent, freed)
        edge = m.rol_indptr[agent] + taken
        if m.track[m.rol_programs[edge]] == m.advanced and m.supp_indptr[edge + 1] > m.supp_indptr[edge]:
            _set_source(agents, agent + n, edge + 1)
            _set_pointers(agents, agent + n, -1, 0)
            _push(queue, agents, agent + n)
    program, rank = _entry(m, agents, agent, taken)
    if _insert(seats, program, rank, applicant, agent) > m.capacity[program]:
        last = seats.start[program] + seats.filled[program] - 1
        seats.filled[program] -= 1
        b_app, b_agent = seats.applicant[last], seats.agent[last]
        # displaced: a primary agent loses its supplemental seat; both re-enter the queue
        if b_agent < n:
            _deactivate(m, agents, seats, b_app, freed)
        _set_pointers(agents, b_agent, -1, min(agents.next[b_agent], agents.scan[b_agent]))
        agents.scan[b_agent] = _NONE
        _push(queue, agents, b_agent)
    for f in range(freed.size[0]):
        _vacancy(m, agents, queue, freed.programs[f])


@jitable
def _propose(m: ProcedureMarket, agents: Agents, seats: SortedSeats, queue: Fifo, agent: int) -> int:
    """Walk the list above the held entry, or onward from the pointer; return the proposals made."""
    h = agents.hold[agent]
    if h >= 0:
        start, stop = agents.scan[agent], h
    else:
        start, stop = agents.next[agent], _list_length(m, agents, agent)
    agents.scan[agent] = _NONE
    for index in range(start, stop):
        program, rank = _entry(m, agents, agent, index)
        if _would_take(m, seats, program, rank):
            _take(m, agents, seats, queue, agent, index)
            return int(index - start + 1)
    if h < 0:
        _set_pointers(agents, agent, -1, stop)
    return int(max(stop - start, 0))


@jitable
def _new_seats(capacity: I64) -> SortedSeats:
    n_prog = len(capacity)
    start = np.zeros(n_prog + 1, dtype=np.int64)
    for p in range(n_prog):
        start[p + 1] = start[p] + max(capacity[p], 0) + 1
    size = start[n_prog]
    return SortedSeats(
        start,
        np.zeros(n_prog, dtype=np.int64),
        np.zeros(size, dtype=np.int64),
        np.zeros(size, dtype=np.int64),
        np.zeros(size, dtype=np.int64),
    )


def _procedure(m: ProcedureMarket, out: ProcedureOutput) -> None:
    """Run the procedure; fill ``out`` (assignment, pgy1, counters = [proposals, status])."""
    n = len(m.rol_indptr) - 1
    n_agents = 2 * n
    agents = Agents(
        np.full(n_agents, -1, dtype=np.int64),
        np.zeros(n_agents, dtype=np.int64),
        np.full(n_agents, _NONE, dtype=np.int64),
        np.zeros(n_agents, dtype=np.int64),
        np.zeros(n_agents, dtype=np.bool_),
        np.zeros(1, dtype=np.uint64),
    )
    queue = Fifo(np.zeros(max(n_agents, 1), dtype=np.int64), np.zeros(2, dtype=np.int64))
    seats = _new_seats(m.capacity)
    seen = _Seen(np.zeros(1024, dtype=np.uint64), np.full(1024, -1, dtype=np.int64))
    used, proposals, status = 0, 0, STATUS_CONVERGED
    for arrival in range(n):
        if status != STATUS_CONVERGED:
            break
        _push(queue, agents, arrival)
        used = 0
        while queue.state[1] > 0:
            agent = _pop(queue, agents)
            if agent >= n and agents.source[agent] == 0:
                continue  # a supplemental proposer whose advanced program was lost meanwhile
            key = _cycle_key(agents, queue, agent)
            if 4 * (used + 1) > 3 * len(seen.keys):
                seen = _grown(seen, arrival)
            slot = _find_slot(seen, key, arrival)
            if seen.stamp[slot] == arrival:
                status = STATUS_CYCLE
                break
            seen.keys[slot], seen.stamp[slot] = key, arrival
            used += 1
            proposals += _propose(m, agents, seats, queue, agent)
            if proposals > m.budget:
                status = STATUS_ITERATION_LIMIT
                break
    for a in range(n):
        if agents.hold[a] >= 0:
            out.assignment[a] = _entry(m, agents, a, agents.hold[a])[0]
        if agents.hold[n + a] >= 0 and agents.source[n + a] != 0:
            out.pgy1[a] = _entry(m, agents, n + a, agents.hold[n + a])[0]
    out.counters[0] = proposals
    out.counters[1] = status


_procedure_jit = compiled(_procedure)


def int64_array(values: ArrayLike) -> I64:
    """A contiguous int64 copy (or view) of ``values``: what the compiled entry points take."""
    return np.ascontiguousarray(values, dtype=np.int64)


def procedure_market(market: MatchMarket, budget: int) -> ProcedureMarket:
    """The compiled procedure's view of a market without couples (rank alignments in linear time).

    Per program ROL edge: the program's position on the applicant's ROL; per supplemental entry: the
    PGY-1 program's rank of the list's owner (what ``_engine.new_state`` computes).
    """
    program_of_edge = applicant_of_edge(market.program_indptr)
    rol_position = positions_in_rows(
        market.rol_indptr, market.rol_indices, market.n_programs, market.program_indices, program_of_edge
    )
    supp_owner = np.repeat(applicant_of_edge(market.rol_indptr), np.diff(market.supplemental_indptr))
    supp_ranks = positions_in_rows(
        market.program_indptr,
        market.program_indices,
        market.n_applicants,
        market.supplemental_indices,
        supp_owner,
    )
    return ProcedureMarket(
        rol_indptr=int64_array(market.rol_indptr),
        rol_programs=int64_array(market.rol_indices),
        rol_ranks=int64_array(market.rol_program_rank),
        capacity=int64_array(market.capacity),
        track=int64_array(market.track),
        program_indptr=int64_array(market.program_indptr),
        program_applicants=int64_array(market.program_indices),
        rol_position=int64_array(rol_position),
        supp_indptr=int64_array(market.supplemental_indptr),
        supp_programs=int64_array(market.supplemental_indices),
        supp_ranks=int64_array(supp_ranks),
        advanced=int(ADVANCED),
        budget=int(budget),
    )


def run_supplemental_procedure(
    market: ProcedureMarket,
) -> tuple[NDArray[np.int32], NDArray[np.int32], int, int]:
    """Run the compiled procedure; return (assignment, pgy1 assignment, proposals, status code)."""
    n = len(market.rol_indptr) - 1
    out = ProcedureOutput(
        np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int32), np.zeros(2, dtype=np.int64)
    )
    _procedure_jit(market, out)
    return out.assignment, out.pgy1, int(out.counters[0]), int(out.counters[1])


def _positions_in_rows(
    indptr: I64, indices: I64, n_values: int, rows: I64, values: I64, out: NDArray[np.int32]
) -> None:
    """``out[i]`` = first position of ``values[i]`` in CSR row ``rows[i]``, or -1 (linear time)."""
    n_rows, n_queries = len(indptr) - 1, len(rows)
    # counting sort of the queries by row
    start = np.zeros(n_rows + 1, dtype=np.int64)
    for i in range(n_queries):
        start[rows[i] + 1] += 1
    for r in range(n_rows):
        start[r + 1] += start[r]
    fill = start[:n_rows].copy()
    order = np.empty(n_queries, dtype=np.int64)
    for i in range(n_queries):
        order[fill[rows[i]]] = i
        fill[rows[i]] += 1
    where = np.full(max(n_values, 1), -1, dtype=np.int64)
    for r in range(n_rows):
        if start[r + 1] == start[r]:
            continue
        lo, hi = indptr[r], indptr[r + 1]
        for k in range(hi - 1, lo - 1, -1):  # backwards, so the first occurrence wins
            where[indices[k]] = k - lo
        for q in range(start[r], start[r + 1]):
            i = order[q]
            out[i] = where[values[i]]
        for k in range(lo, hi):
            where[indices[k]] = -1


_positions_in_rows_jit = compiled(_positions_in_rows)


def positions_in_rows(
    indptr: ArrayLike, indices: ArrayLike, n_values: int, rows: ArrayLike, values: ArrayLike
) -> NDArray[np.int32]:
    """Return, per query ``i``, the first position of ``values[i]`` in CSR row ``rows[i]`` (-1 = absent).

    Used to align the two sides' rank positions (e.g. a program's rank of each applicant on each ROL
    edge) in linear time; gives the same numbers as
    :func:`smartpick.domain.match.kernel.program_rank_of`.
    """
    out = np.full(len(np.asarray(rows)), -1, dtype=np.int32)
    _positions_in_rows_jit(
        int64_array(indptr), int64_array(indices), int(n_values), int64_array(rows), int64_array(values), out
    )
    return out
