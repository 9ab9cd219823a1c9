"""The NRMP procedure with supplemental PGY-1 lists, compiled (markets without couples).

This is a line-for-line port of :func:`smartpick.domain.match.algorithm.run_nrmp_procedure` (the
reference implementation, kept for couples and for checking this one) to flat arrays, so numba can
compile it. Same steps, same queue order, same proposals, same outcome:

* agent ``a`` (``0 <= a < n``) proposes down applicant ``a``'s primary ROL; agent ``n + a`` walks the
  supplemental list attached to the advanced program ``a`` holds (``source`` = that ROL edge + 1,
  0 = inactive); an agent holds at most one entry (``hold``), ``next`` is where it resumes and
  ``scan`` how far up a vacancy asked it to look again;
* a program's seats are kept sorted by ``(rank, applicant, agent)`` in its own slice of three
  arrays (``capacity + 1`` slots: a seat is inserted, then the worst one popped if over capacity);
* the queue is FIFO and holds each agent at most once; applicants arrive in id order and each
  arrival is drained before the next;
* cycle detection: a 64-bit hash of the full state (every agent's ``hold``/``next``/``source``,
  the queue in order and the ``scan`` of queued agents) is recorded each time an agent is taken off
  the queue; a repeat within one arrival stops with status cycle. A budget of proposals stops with
  status iteration limit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from smartpick.domain.match.kernel import _compiled, _jitable

STATUS_CONVERGED, STATUS_CYCLE, STATUS_ITERATION_LIMIT = 0, 1, 2
_NONE = 1 << 60


@_jitable
def _mix64(x: Any) -> Any:
    """SplitMix64 finaliser on a uint64 (a well-spread 64-bit hash)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@_jitable
def _agent_mix(agent: int, hold: int, nxt: int, source: int) -> Any:
    h = _mix64(np.uint64(agent) + np.uint64(0x9E3779B97F4A7C15))
    h = _mix64(h ^ np.uint64(hold + 2))
    h = _mix64(h ^ np.uint64(nxt + 2))
    return _mix64(h ^ np.uint64(source + 2))


@_jitable
def _set_pointers(
    st_hold: Any, st_next: Any, st_source: Any, hsh: Any, agent: int, hold: int, nxt: int
) -> None:
    src = st_source[agent]
    hsh[0] ^= _agent_mix(agent, st_hold[agent], st_next[agent], src) ^ _agent_mix(agent, hold, nxt, src)
    st_hold[agent] = hold
    st_next[agent] = nxt


@_jitable
def _set_source(st_hold: Any, st_next: Any, st_source: Any, hsh: Any, agent: int, source: int) -> None:
    hold, nxt = st_hold[agent], st_next[agent]
    hsh[0] ^= _agent_mix(agent, hold, nxt, st_source[agent]) ^ _agent_mix(agent, hold, nxt, source)
    st_source[agent] = source


@_jitable
def _push(queue: Any, qstate: Any, queued: Any, agent: int) -> None:
    """Append ``agent`` to the FIFO ring buffer unless queued (qstate = [head, size])."""
    if not queued[agent]:
        queued[agent] = True
        cap = len(queue)
        queue[(qstate[0] + qstate[1]) % cap] = agent
        qstate[1] += 1


def _procedure(
    rol_indptr: Any,
    rol_indices: Any,
    rol_rank: Any,
    capacity: Any,
    track: Any,
    advanced: int,
    program_indptr: Any,
    program_indices: Any,
    rol_pos: Any,
    supp_indptr: Any,
    supp_indices: Any,
    supp_ranks: Any,
    budget: int,
    assignment: Any,
    pgy1: Any,
    counters: Any,
) -> None:
    """Run the procedure; fill ``assignment``/``pgy1``; ``counters`` = [proposals, status]."""
    n = len(rol_indptr) - 1
    n_prog = len(capacity)
    n_agents = 2 * n
    none = _NONE
    hold = np.full(n_agents, -1, dtype=np.int64)
    nxt = np.zeros(n_agents, dtype=np.int64)
    scan = np.full(n_agents, none, dtype=np.int64)
    source = np.zeros(n_agents, dtype=np.int64)
    queued = np.zeros(n_agents, dtype=np.bool_)
    queue = np.zeros(max(n_agents, 1), dtype=np.int64)
    qstate = np.zeros(2, dtype=np.int64)
    hsh = np.zeros(1, dtype=np.uint64)
    seat_start = np.zeros(n_prog + 1, dtype=np.int64)
    for p in range(n_prog):
        seat_start[p + 1] = seat_start[p] + max(capacity[p], 0) + 1
    seat_rank = np.zeros(seat_start[n_prog], dtype=np.int64)
    seat_app = np.zeros(seat_start[n_prog], dtype=np.int64)
    seat_agent = np.zeros(seat_start[n_prog], dtype=np.int64)
    seat_count = np.zeros(n_prog, dtype=np.int64)
    freed = np.zeros(16, dtype=np.int64)
    table_keys = np.zeros(1024, dtype=np.uint64)
    table_stamp = np.full(1024, -1, dtype=np.int64)
    table_used = 0
    proposals = 0
    status = 0

    for arrival in range(n):
        if status != 0:
            break
        _push(queue, qstate, queued, arrival)
        table_used = 0
        while qstate[1] > 0:
            agent = queue[qstate[0]]
            qstate[0] = (qstate[0] + 1) % len(queue)
            qstate[1] -= 1
            queued[agent] = False
            if agent >= n and source[agent] == 0:
                continue  # a supplemental proposer whose advanced program was lost meanwhile
            # cycle key: state hash, then the popped agent and the queue in order with their scans
            key = _mix64(hsh[0] ^ np.uint64(0x2545F4914F6CDD1D))
            key = _mix64(key ^ np.uint64(agent + 1))
            key = _mix64(key ^ np.uint64(scan[agent] + 1))
            for i in range(qstate[1]):
                other = queue[(qstate[0] + i) % len(queue)]
                key = _mix64(key ^ np.uint64(other + 1))
                key = _mix64(key ^ np.uint64(scan[other] + 1))
            if 4 * (table_used + 1) > 3 * len(table_keys):  # grow the open-addressing table
                old_keys, old_stamp = table_keys, table_stamp
                table_keys = np.zeros(2 * len(old_keys), dtype=np.uint64)
                table_stamp = np.full(2 * len(old_keys), -1, dtype=np.int64)
                mask = np.uint64(len(table_keys) - 1)
                for s in range(len(old_keys)):
                    if old_stamp[s] == arrival:
                        slot = np.int64(old_keys[s] & mask)
                        while table_stamp[slot] == arrival:
                            slot = (slot + np.int64(1)) & np.int64(len(table_keys) - 1)
                        table_keys[slot], table_stamp[slot] = old_keys[s], arrival
            mask = np.uint64(len(table_keys) - 1)
            slot = np.int64(key & mask)
            repeated = False
            while table_stamp[slot] == arrival:
                if table_keys[slot] == key:
                    repeated = True
                    break
                slot = (slot + np.int64(1)) & np.int64(len(table_keys) - 1)
            if repeated:
                status = 1
                break
            table_keys[slot], table_stamp[slot] = key, arrival
            table_used += 1

            # propose: walk the list above the held entry, or onward from the pointer
            h = hold[agent]
            if agent < n:
                lo = rol_indptr[agent]
                length = rol_indptr[agent + 1] - lo
            else:
                lo = supp_indptr[source[agent] - 1]
                length = supp_indptr[source[agent]] - lo
            if h >= 0:
                start, stop = scan[agent], h
            else:
                start, stop = nxt[agent], length
            scan[agent] = none
            taken = -1
            index = start
            while index < stop:
                proposals += 1
                if agent < n:
                    program, rank = rol_indices[lo + index], rol_rank[lo + index]
                else:
                    program, rank = supp_indices[lo + index], supp_ranks[lo + index]
                if rank >= 0 and capacity[program] > 0:
                    count = seat_count[program]
                    last = seat_start[program] + count - 1
                    if count < capacity[program] or seat_rank[last] >= rank:
                        taken = index
                        break
                index += 1
            if taken < 0:
                if h < 0:
                    _set_pointers(hold, nxt, source, hsh, agent, -1, stop)
            else:
                # take: give up the old seat, drop/start the supplemental list, seat, displace
                n_freed = 0
                applicant = agent if agent < n else agent - n
                for side in range(2):
                    # side 0: the agent's own held seat; side 1: the supplemental seat (primary agents)
                    who = agent if side == 0 else agent + n
                    if side == 1 and (agent >= n or source[who] == 0):
                        break
                    if hold[who] >= 0:
                        if who < n:
                            p = rol_indices[rol_indptr[who] + hold[who]]
                        else:
                            p = supp_indices[supp_indptr[source[who] - 1] + hold[who]]
                        base, count = seat_start[p], seat_count[p]
                        for i in range(count):
                            if seat_app[base + i] == applicant and seat_agent[base + i] == who:
                                for j in range(i, count - 1):
                                    seat_rank[base + j] = seat_rank[base + j + 1]
                                    seat_app[base + j] = seat_app[base + j + 1]
                                    seat_agent[base + j] = seat_agent[base + j + 1]
                                seat_count[p] = count - 1
                                if n_freed == len(freed):
                                    freed = np.concatenate((freed, np.zeros(len(freed), dtype=np.int64)))
                                freed[n_freed] = p
                                n_freed += 1
                                break
                    if side == 0:
                        _set_pointers(hold, nxt, source, hsh, agent, taken, taken + 1)
                    else:  # deactivate the supplemental proposer
                        _set_pointers(hold, nxt, source, hsh, who, -1, 0)
                        _set_source(hold, nxt, source, hsh, who, 0)
                if agent < n:
                    edge = rol_indptr[agent] + taken
                    if track[rol_indices[edge]] == advanced and supp_indptr[edge + 1] > supp_indptr[edge]:
                        supp = agent + n
                        _set_source(hold, nxt, source, hsh, supp, edge + 1)
                        _set_pointers(hold, nxt, source, hsh, supp, -1, 0)
                        _push(queue, qstate, queued, supp)
                # insert the seat (sorted by rank, applicant, agent); pop the worst if over capacity
                if agent < n:
                    program, rank = rol_indices[lo + taken], rol_rank[lo + taken]
                else:
                    program, rank = supp_indices[lo + taken], supp_ranks[lo + taken]
                base, count = seat_start[program], seat_count[program]
                pos = count
                while pos > 0:
                    r, a, g = seat_rank[base + pos - 1], seat_app[base + pos - 1], seat_agent[base + pos - 1]
                    if r < rank or (r == rank and (a < applicant or (a == applicant and g <= agent))):
                        break
                    seat_rank[base + pos] = r
                    seat_app[base + pos] = a
                    seat_agent[base + pos] = g
                    pos -= 1
                seat_rank[base + pos], seat_app[base + pos], seat_agent[base + pos] = rank, applicant, agent
                count += 1
                seat_count[program] = count
                if count > capacity[program]:
                    count -= 1
                    seat_count[program] = count
                    b_app, b_agent = seat_app[base + count], seat_agent[base + count]
                    # displaced: a primary agent loses its supplemental seat; both re-enter the queue
                    if b_agent < n:
                        supp = b_agent + n
                        if source[supp] != 0:
                            if hold[supp] >= 0:
                                p = supp_indices[supp_indptr[source[supp] - 1] + hold[supp]]
                                sbase, scount = seat_start[p], seat_count[p]
                                for i in range(scount):
                                    if seat_app[sbase + i] == b_app and seat_agent[sbase + i] == supp:
                                        for j in range(i, scount - 1):
                                            seat_rank[sbase + j] = seat_rank[sbase + j + 1]
                                            seat_app[sbase + j] = seat_app[sbase + j + 1]
                                            seat_agent[sbase + j] = seat_agent[sbase + j + 1]
                                        seat_count[p] = scount - 1
                                        if n_freed == len(freed):
                                            freed = np.concatenate(
                                                (freed, np.zeros(len(freed), dtype=np.int64))
                                            )
                                        freed[n_freed] = p
                                        n_freed += 1
                                        break
                            _set_pointers(hold, nxt, source, hsh, supp, -1, 0)
                            _set_source(hold, nxt, source, hsh, supp, 0)
                    _set_pointers(hold, nxt, source, hsh, b_agent, -1, min(nxt[b_agent], scan[b_agent]))
                    scan[b_agent] = none
                    _push(queue, qstate, queued, b_agent)
                # vacancies: everyone who ranks a freed program above what they hold looks again
                for f in range(n_freed):
                    p = freed[f]
                    for j in range(program_indptr[p], program_indptr[p + 1]):
                        app = program_indices[j]
                        position = rol_pos[j]
                        if position >= 0:  # rewind the primary agent
                            if hold[app] >= 0:
                                if position < hold[app]:
                                    scan[app] = min(scan[app], position)
                                    _push(queue, qstate, queued, app)
                            elif position < nxt[app]:
                                _set_pointers(hold, nxt, source, hsh, app, -1, position)
                                _push(queue, qstate, queued, app)
                        supp = n + app
                        if hold[app] >= 0 and source[supp] != 0:
                            slo = supp_indptr[source[supp] - 1]
                            for k in range(supp_indptr[source[supp]] - slo):
                                if supp_indices[slo + k] == p:
                                    if hold[supp] >= 0:
                                        if k < hold[supp]:
                                            scan[supp] = min(scan[supp], k)
                                            _push(queue, qstate, queued, supp)
                                    elif k < nxt[supp]:
                                        _set_pointers(hold, nxt, source, hsh, supp, -1, k)
                                        _push(queue, qstate, queued, supp)
            if proposals > budget:
                status = 2
                break

    for a in range(n):
        if hold[a] >= 0:
            assignment[a] = rol_indices[rol_indptr[a] + hold[a]]
        supp = n + a
        if hold[supp] >= 0 and source[supp] != 0:
            pgy1[a] = supp_indices[supp_indptr[source[supp] - 1] + hold[supp]]
    counters[0] = proposals
    counters[1] = status


_procedure_jit = _compiled(_procedure)


def run_supplemental_procedure(
    rol_indptr: Any,
    rol_indices: Any,
    rol_rank: Any,
    capacity: Any,
    track: Any,
    advanced: int,
    program_indptr: Any,
    program_indices: Any,
    rol_pos: Any,
    supp_indptr: Any,
    supp_indices: Any,
    supp_ranks: Any,
    budget: int,
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Run the compiled procedure; return (assignment, pgy1 assignment, proposals, status code)."""
    n = len(rol_indptr) - 1
    assignment = np.full(n, -1, dtype=np.int32)
    pgy1 = np.full(n, -1, dtype=np.int32)
    counters = np.zeros(2, dtype=np.int64)

    def i64(values: Any) -> np.ndarray:
        return np.ascontiguousarray(values, dtype=np.int64)

    _procedure_jit(
        i64(rol_indptr),
        i64(rol_indices),
        i64(rol_rank),
        i64(capacity),
        i64(track),
        int(advanced),
        i64(program_indptr),
        i64(program_indices),
        i64(rol_pos),
        i64(supp_indptr),
        i64(supp_indices),
        i64(supp_ranks),
        int(budget),
        assignment,
        pgy1,
        counters,
    )
    return assignment, pgy1, int(counters[0]), int(counters[1])


def _positions_in_rows(indptr: Any, indices: Any, n_values: int, rows: Any, values: Any, out: Any) -> None:
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


_positions_in_rows_jit = _compiled(_positions_in_rows)


def positions_in_rows(indptr: Any, indices: Any, n_values: int, rows: Any, values: Any) -> np.ndarray:
    """Return, per query ``i``, the first position of ``values[i]`` in CSR row ``rows[i]`` (-1 = absent).

    Used to align the two sides' rank positions (e.g. a program's rank of each applicant on each ROL
    edge) in linear time; gives the same numbers as
    :func:`smartpick.domain.match.kernel.program_rank_of`.
    """
    out = np.full(len(rows), -1, dtype=np.int32)
    _positions_in_rows_jit(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int64),
        int(n_values),
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(values, dtype=np.int64),
        out,
    )
    return out
