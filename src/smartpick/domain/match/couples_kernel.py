"""The full NRMP procedure with couples (and supplemental PGY-1 lists), compiled.

A port of :func:`smartpick.domain.match.algorithm.run_nrmp_procedure` (the pure-Python reference,
kept for checking this one) to flat arrays, beside :mod:`.procedure_kernel` (which serves markets
without couples and is left as it is). Same steps, queue order, proposals and outcome:

* agents: ``a`` (``0 <= a < n``) walks applicant ``a``'s primary ROL, ``n + a`` the supplemental list
  of the advanced program ``a`` holds, ``2n + c`` couple ``c``'s ranked pairs; the helpers shared with
  :mod:`.procedure_kernel` (FIFO queue, sorted seats, pointers, state hash, rewinds) serve all three;
* a couple's pair is held only if every program in it takes its member at once (a single demand: a
  free seat or a worse-ranked holder; two demands: each member among the program's best ``capacity``
  of its current holders, the couple's own included, plus the pair's demands; a ``[null, null]`` pair
  needs nothing);
* a displaced couple member makes the couple withdraw the partner's seat and re-enter the queue from
  its next pair; every seat given up without a better applicant taking it is a *vacancy*: every
  agent whose list has that program above what it holds (for a couple: the first pair giving that
  member the program) is rewound and queued (Roth & Peranson 1999);
* arrivals: single applicants in id order, then couples in id order, each drained before the next;
  the state hash is checked on every pop during a couple's arrival (and during every arrival when
  supplemental lists exist): a repeat stops with status cycle, the proposal budget with status
  iteration limit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.match.arrays import NO_PROGRAM, MatchMarket
from smartpick.domain.match.jit import compiled, jitable
from smartpick.domain.match.kernel import applicant_of_edge
from smartpick.domain.match.procedure_kernel import (
    _NONE,
    I64,
    STATUS_CONVERGED,
    STATUS_CYCLE,
    STATUS_ITERATION_LIMIT,
    Agents,
    Fifo,
    Freed,
    ProcedureMarket,
    SortedSeats,
    _cycle_key,
    _deactivate,
    _entry,
    _find_slot,
    _grown,
    _insert,
    _list_length,
    _new_seats,
    _pop,
    _push,
    _release,
    _rewind,
    _Seen,
    _set_pointers,
    _set_source,
    _would_take,
    int64_array,
    positions_in_rows,
    procedure_market,
)

__all__ = ["CouplesMarket", "couples_market", "run_couples_procedure"]


class CouplesMarket(NamedTuple):
    """The market as the compiled couples procedure reads it (every array int64).

    Attributes:
        base: Singles' lists, programs and supplemental lists (:class:`ProcedureMarket`).
        couple_members: ``2c + slot`` -> applicant id of that member.
        pair_indptr: Couples' ranked pairs as CSR rows.
        pair_programs: ``2k + slot`` -> program of pair ``k`` for that member (-1 = no position).
        pair_ranks: ``2k + slot`` -> that program's rank of the member (-1 = unranked).
        couple_of: Per applicant, the couple it belongs to (-1 = single).
        couple_first: Per program ROL edge of a couple member, the first of its couple's pairs giving
            that member the program (-1 = none).
        detect_all: 1 when supplemental lists exist (every arrival is watched for cycles).
    """

    base: ProcedureMarket
    couple_members: I64
    pair_indptr: I64
    pair_programs: I64
    pair_ranks: I64
    couple_of: I64
    couple_first: I64
    detect_all: int


class CouplesOutput(NamedTuple):
    """Filled by the procedure: program per applicant, pair per couple, ``counters`` = [proposals, status]."""

    assignment: NDArray[np.int32]
    pgy1: NDArray[np.int32]
    couple_pair: NDArray[np.int32]
    counters: I64


@jitable
def _n_applicants(cm: CouplesMarket) -> int:
    return len(cm.base.rol_indptr) - 1


@jitable
def _length(cm: CouplesMarket, agents: Agents, agent: int) -> int:
    """Entries on ``agent``'s current list (pairs for a couple)."""
    n = _n_applicants(cm)
    if agent < 2 * n:
        return _list_length(cm.base, agents, agent)
    c = agent - 2 * n
    return int(cm.pair_indptr[c + 1] - cm.pair_indptr[c])


@jitable
def _better_than(seats: SortedSeats, program: int, rank: int) -> int:
    """Seats at ``program`` whose holder the program ranks above ``rank``."""
    base, count = seats.start[program], seats.filled[program]
    better = 0
    while better < count and seats.rank[base + better] < rank:
        better += 1
    return better


@jitable
def _is_seated(seats: SortedSeats, program: int, applicant: int) -> bool:
    base, i = seats.start[program], 0
    while i < seats.filled[program] and seats.applicant[base + i] != applicant:
        i += 1
    return bool(i < seats.filled[program])


@jitable
def _couple_accepts(cm: CouplesMarket, seats: SortedSeats, c: int, index: int) -> bool:
    """Would every program of couple ``c``'s pair ``index`` take its member (Kojima et al. 2013)?"""
    k = cm.pair_indptr[c] + index
    first, second = cm.pair_programs[2 * k], cm.pair_programs[2 * k + 1]
    if first == NO_PROGRAM and second == NO_PROGRAM:
        return True
    if first == NO_PROGRAM or second == NO_PROGRAM:
        s = 0 if second == NO_PROGRAM else 1
        return _would_take(cm.base, seats, cm.pair_programs[2 * k + s], cm.pair_ranks[2 * k + s])
    return _joint_takes(cm, seats, c, k, 0) and _joint_takes(cm, seats, c, k, 1)


@jitable
def _joint_takes(cm: CouplesMarket, seats: SortedSeats, c: int, k: int, s: int) -> bool:
    """Member slot ``s`` of two-sided pair ``k`` is among its program's best beside the partner's demand."""
    program, rank = cm.pair_programs[2 * k + s], cm.pair_ranks[2 * k + s]
    if rank < 0 or cm.base.capacity[program] <= 0:
        return False
    better = _better_than(seats, program, rank)
    t = 1 - s
    partner_rank = cm.pair_ranks[2 * k + t]
    same_program = cm.pair_programs[2 * k + t] == program and partner_rank < rank
    if same_program and not _is_seated(seats, program, cm.couple_members[2 * c + t]):
        better += 1
    return bool(better < cm.base.capacity[program])


@jitable
def _accepts(cm: CouplesMarket, agents: Agents, seats: SortedSeats, agent: int, index: int) -> bool:
    n = _n_applicants(cm)
    if agent >= 2 * n:
        return _couple_accepts(cm, seats, agent - 2 * n, index)
    program, rank = _entry(cm.base, agents, agent, index)
    return _would_take(cm.base, seats, program, rank)


@jitable
def _remove_seat(seats: SortedSeats, program: int, applicant: int, who: int) -> bool:
    """Delete the seat ``who`` holds at ``program`` for ``applicant``; False when there is none."""
    base, count = seats.start[program], seats.filled[program]
    for i in range(count):
        if seats.applicant[base + i] == applicant and seats.agent[base + i] == who:
            for j in range(i, count - 1):
                seats.rank[base + j] = seats.rank[base + j + 1]
                seats.applicant[base + j] = seats.applicant[base + j + 1]
                seats.agent[base + j] = seats.agent[base + j + 1]
            seats.filled[program] = count - 1
            return True
    return False


@jitable
def _add_freed(freed: Freed, program: int) -> None:
    freed.programs[freed.size[0]] = program
    freed.size[0] += 1


@jitable
def _couple_release(
    cm: CouplesMarket, agents: Agents, seats: SortedSeats, who: int, skip: int, freed: Freed
) -> None:
    """Give up the seats of the pair couple agent ``who`` holds (except ``skip``'s), member order."""
    hold = agents.hold[who]
    if hold < 0:
        return
    c = who - 2 * _n_applicants(cm)
    k = cm.pair_indptr[c] + hold
    for s in range(2):
        program, member = cm.pair_programs[2 * k + s], cm.couple_members[2 * c + s]
        if program != NO_PROGRAM and member != skip and _remove_seat(seats, program, member, who):
            _add_freed(freed, program)


@jitable
def _displaced(
    cm: CouplesMarket,
    agents: Agents,
    seats: SortedSeats,
    queue: Fifo,
    applicant: int,
    agent: int,
    freed: Freed,
) -> None:
    """``agent`` lost ``applicant``'s seat: a couple withdraws the partner, a single its PGY-1 seat."""
    n = _n_applicants(cm)
    if agent >= 2 * n:
        _couple_release(cm, agents, seats, agent, applicant, freed)
    elif agent < n:
        _deactivate(cm.base, agents, seats, applicant, freed)
    # a rewind recorded while it still held the lost entry must survive the loss
    _set_pointers(agents, agent, -1, min(agents.next[agent], agents.scan[agent]))
    agents.scan[agent] = _NONE
    _push(queue, agents, agent)


@jitable
def _seat(
    cm: CouplesMarket,
    agents: Agents,
    seats: SortedSeats,
    queue: Fifo,
    demand: tuple[int, int, int, int],
    freed: Freed,
) -> None:
    """Seat ``demand`` = (program, rank, applicant, agent); the worst holder over capacity is displaced."""
    program, rank, applicant, agent = demand
    if _insert(seats, program, rank, applicant, agent) > cm.base.capacity[program]:
        last = seats.start[program] + seats.filled[program] - 1
        seats.filled[program] -= 1
        _displaced(cm, agents, seats, queue, seats.applicant[last], seats.agent[last], freed)


@jitable
def _take_single(
    cm: CouplesMarket, agents: Agents, seats: SortedSeats, queue: Fifo, agent: int, taken: int, freed: Freed
) -> None:
    """A primary or supplemental agent holds entry ``taken`` (as in :mod:`.procedure_kernel`)."""
    m, n = cm.base, _n_applicants(cm)
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
    _seat(cm, agents, seats, queue, (program, rank, applicant, agent), freed)


@jitable
def _take_pair(
    cm: CouplesMarket, agents: Agents, seats: SortedSeats, queue: Fifo, agent: int, taken: int, freed: Freed
) -> None:
    """A couple holds pair ``taken``: its old seats go, then each member is seated in member order."""
    c = agent - 2 * _n_applicants(cm)
    _couple_release(cm, agents, seats, agent, -1, freed)
    _set_pointers(agents, agent, taken, taken + 1)
    k = cm.pair_indptr[c] + taken
    for s in range(2):
        program = cm.pair_programs[2 * k + s]
        if program != NO_PROGRAM:
            demand = (program, cm.pair_ranks[2 * k + s], cm.couple_members[2 * c + s], agent)
            _seat(cm, agents, seats, queue, demand, freed)


@jitable
def _vacancy(cm: CouplesMarket, agents: Agents, queue: Fifo, p: int) -> None:
    """Everyone who ranks the freed program ``p`` above what they hold looks again (per ROL edge)."""
    m, n = cm.base, _n_applicants(cm)
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
        if cm.couple_of[app] >= 0 and cm.couple_first[j] >= 0:
            _rewind(agents, queue, 2 * n + cm.couple_of[app], cm.couple_first[j])


@jitable
def _take(cm: CouplesMarket, agents: Agents, seats: SortedSeats, queue: Fifo, agent: int, taken: int) -> None:
    """Hold entry ``taken``, displace whoever falls out, then fill the vacancies left."""
    # own seats (2), a supplemental seat, and per displacement one partner's or PGY-1 seat
    freed = Freed(np.zeros(8, dtype=np.int64), np.zeros(1, dtype=np.int64))
    if agent >= 2 * _n_applicants(cm):
        _take_pair(cm, agents, seats, queue, agent, taken, freed)
    else:
        _take_single(cm, agents, seats, queue, agent, taken, freed)
    for f in range(freed.size[0]):
        _vacancy(cm, agents, queue, freed.programs[f])


@jitable
def _propose(cm: CouplesMarket, agents: Agents, seats: SortedSeats, queue: Fifo, agent: int) -> int:
    """Walk the list above the held entry, or onward from the pointer; return the proposals made."""
    h = agents.hold[agent]
    if h >= 0:
        start, stop = agents.scan[agent], h
    else:
        start, stop = agents.next[agent], _length(cm, agents, agent)
    agents.scan[agent] = _NONE
    for index in range(start, stop):
        if _accepts(cm, agents, seats, agent, index):
            _take(cm, agents, seats, queue, agent, index)
            return int(index - start + 1)
    if h < 0:
        _set_pointers(agents, agent, -1, stop)
    return int(max(stop - start, 0))


@jitable
def _new_agents(n_agents: int) -> Agents:
    return Agents(
        np.full(n_agents, -1, dtype=np.int64),
        np.zeros(n_agents, dtype=np.int64),
        np.full(n_agents, _NONE, dtype=np.int64),
        np.zeros(n_agents, dtype=np.int64),
        np.zeros(n_agents, dtype=np.bool_),
        np.zeros(1, dtype=np.uint64),
    )


class _Run(NamedTuple):
    """The mutable state of one run: agents, queue, seats; ``counters`` = [proposals, status]."""

    agents: Agents
    queue: Fifo
    seats: SortedSeats
    counters: I64


@jitable
def _drain(cm: CouplesMarket, run: _Run, seen: _Seen, arrival: int, detect: bool) -> _Seen:
    """Process the queue until it empties, a state repeats (``detect``) or the budget runs out."""
    agents, queue, n = run.agents, run.queue, _n_applicants(cm)
    used = 0
    while queue.state[1] > 0:
        agent = _pop(queue, agents)
        if n <= agent < 2 * n and agents.source[agent] == 0:
            continue  # a supplemental proposer whose advanced program was lost meanwhile
        if detect:
            key = _cycle_key(agents, queue, agent)
            if 4 * (used + 1) > 3 * len(seen.keys):
                seen = _grown(seen, arrival)
            slot = _find_slot(seen, key, arrival)
            if seen.stamp[slot] == arrival:
                run.counters[1] = STATUS_CYCLE
                return seen
            seen.keys[slot], seen.stamp[slot] = key, arrival
            used += 1
        run.counters[0] += _propose(cm, agents, run.seats, queue, agent)
        if run.counters[0] > cm.base.budget:
            run.counters[1] = STATUS_ITERATION_LIMIT
            return seen
    return seen


@jitable
def _arrive(cm: CouplesMarket, run: _Run, seen: _Seen, agent: int, arrival: int) -> _Seen:
    detect = cm.detect_all != 0 or agent >= 2 * _n_applicants(cm)
    _push(run.queue, run.agents, agent)
    return _drain(cm, run, seen, arrival, detect)


@jitable
def _fill_output(cm: CouplesMarket, agents: Agents, out: CouplesOutput) -> None:
    m, n = cm.base, _n_applicants(cm)
    for a in range(n):
        if agents.hold[a] >= 0 and cm.couple_of[a] < 0:
            out.assignment[a] = _entry(m, agents, a, agents.hold[a])[0]
        if agents.hold[n + a] >= 0 and agents.source[n + a] != 0:
            out.pgy1[a] = _entry(m, agents, n + a, agents.hold[n + a])[0]
    for c in range(len(cm.pair_indptr) - 1):
        hold = agents.hold[2 * n + c]
        out.couple_pair[c] = hold
        if hold >= 0:
            k = cm.pair_indptr[c] + hold
            for s in range(2):
                if cm.pair_programs[2 * k + s] != NO_PROGRAM:
                    out.assignment[cm.couple_members[2 * c + s]] = cm.pair_programs[2 * k + s]


def _procedure(cm: CouplesMarket, out: CouplesOutput) -> None:
    """Run the procedure: singles arrive in id order, then couples; fill ``out``."""
    n, n_couples = _n_applicants(cm), len(cm.pair_indptr) - 1
    n_agents = 2 * n + n_couples
    agents = _new_agents(n_agents)
    queue = Fifo(np.zeros(max(n_agents, 1), dtype=np.int64), np.zeros(2, dtype=np.int64))
    run = _Run(agents, queue, _new_seats(cm.base.capacity), np.zeros(2, dtype=np.int64))
    seen = _Seen(np.zeros(1024, dtype=np.uint64), np.full(1024, -1, dtype=np.int64))
    arrival = 0
    for agent in range(n + n_couples):
        who = agent if agent < n else n + agent  # couple c is agent 2n + c
        if (agent < n and cm.couple_of[agent] >= 0) or run.counters[1] != STATUS_CONVERGED:
            continue
        seen = _arrive(cm, run, seen, who, arrival)
        arrival += 1
    _fill_output(cm, agents, out)
    out.counters[0], out.counters[1] = run.counters[0], run.counters[1]


_procedure_jit = compiled(_procedure)


def _member_rows(market: MatchMarket) -> tuple[I64, I64]:
    """CSR rows ``2c + slot``: that member's program on each of couple ``c``'s pairs (null -> n_programs)."""
    lengths = np.repeat(np.diff(market.pair_indptr).astype(np.int64), 2)
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    row = np.repeat(np.arange(2 * market.n_couples, dtype=np.int64), lengths)
    pair = market.pair_indptr[row // 2].astype(np.int64) + np.arange(len(row)) - indptr[row]
    programs = market.pair_programs[pair, row % 2].astype(np.int64)
    return indptr, np.where(programs == NO_PROGRAM, market.n_programs, programs)


def _couple_first(market: MatchMarket, couple_of: I64, slot_of: I64) -> I64:
    """Per program ROL edge: the first pair of the applicant's couple giving it that program (-1 = none)."""
    applicants = market.program_indices.astype(np.int64)
    member = couple_of[applicants] >= 0
    rows = 2 * couple_of[applicants[member]] + slot_of[applicants[member]]
    programs = applicant_of_edge(market.program_indptr)[member]
    indptr, indices = _member_rows(market)
    first = np.full(len(applicants), -1, dtype=np.int64)
    first[member] = positions_in_rows(indptr, indices, market.n_programs + 1, rows, programs)
    return first


def couples_market(market: MatchMarket, budget: int) -> CouplesMarket:
    """The compiled couples procedure's view of a market (rank alignments in linear time)."""
    members = market.couple_members.astype(np.int64).reshape(-1, 2)
    couple_of = np.full(market.n_applicants, -1, dtype=np.int64)
    slot_of = np.zeros(market.n_applicants, dtype=np.int64)
    couple_of[members.ravel()] = np.repeat(np.arange(market.n_couples, dtype=np.int64), 2)
    slot_of[members.ravel()] = np.tile(np.arange(2, dtype=np.int64), market.n_couples)
    pair_members = np.repeat(members, np.diff(market.pair_indptr), axis=0).ravel()
    pair_programs = market.pair_programs.astype(np.int64).ravel()
    pair_ranks = positions_in_rows(
        market.program_indptr,
        market.program_indices,
        market.n_applicants,
        np.maximum(pair_programs, 0),
        pair_members,
    )
    return CouplesMarket(
        base=procedure_market(market, budget),
        couple_members=int64_array(members.ravel()),
        pair_indptr=int64_array(market.pair_indptr),
        pair_programs=int64_array(pair_programs),
        pair_ranks=int64_array(pair_ranks),
        couple_of=couple_of,
        couple_first=_couple_first(market, couple_of, slot_of),
        detect_all=int(market.has_supplemental),
    )


def run_couples_procedure(
    market: CouplesMarket,
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32], int, int]:
    """Run the compiled procedure; return (assignment, pgy1, couple pair, proposals, status code)."""
    n, n_couples = len(market.base.rol_indptr) - 1, len(market.pair_indptr) - 1
    out = CouplesOutput(
        np.full(n, -1, dtype=np.int32),
        np.full(n, -1, dtype=np.int32),
        np.full(n_couples, -1, dtype=np.int32),
        np.zeros(2, dtype=np.int64),
    )
    _procedure_jit(market, out)
    return out.assignment, out.pgy1, out.couple_pair, int(out.counters[0]), int(out.counters[1])
