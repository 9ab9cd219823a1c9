"""Applicant-proposing deferred acceptance over flat CSR arrays (the fast match kernel).

Abbreviations used in this package: ROL = rank order list; CSR = compressed sparse rows, a list of
lists stored as ``(indptr, indices)`` where row ``i`` is ``indices[indptr[i]:indptr[i + 1]]``.

The kernel solves the college-admissions (hospital/residents) problem with strict preferences: it
returns the applicant-optimal stable matching (Gale & Shapley 1962), computed the way the NRMP has
since 1998 (Roth & Peranson 1999, "The Redesign of the Matching Market for American Physicians",
AER 89(4)). Program preferences are given *aligned with the applicant ROL edges*: for edge ``k``
(applicant ``a`` ranks program ``rol_indices[k]``), ``rol_program_rank[k]`` is that program's rank
position of ``a`` (0 = best), or -1 when the program did not rank ``a`` (not acceptable).

The numba-compiled kernel is used when numba imports; otherwise the very same Python source runs
interpreted (``NUMBA_AVAILABLE`` tells which). It is the one deferred-acceptance implementation of the
project: the market model (:mod:`smartpick.domain.market.kernel`) compiles :func:`propose_all` and
:func:`propose_chain` into its simulated markets, with the state passed as typed bundles
(:class:`ApplicantLists`, :class:`Seats`, :class:`Walk`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.match.jit import NUMBA_AVAILABLE, compiled, jitable

__all__ = [
    "NUMBA_AVAILABLE",
    "ApplicantLists",
    "IntArray",
    "ProgramRankIndex",
    "Seats",
    "Walk",
    "applicant_of_edge",
    "copy_seats",
    "deferred_acceptance",
    "deferred_acceptance_counted",
    "new_seats",
    "program_rank_lookup",
    "program_rank_lookup_dense",
    "program_rank_of",
    "propose_all",
    "propose_chain",
]

IntArray = NDArray[np.int32]


class ApplicantLists(NamedTuple):
    """The applicants' ROLs as CSR rows, with each program's rank of the applicant on the same edge.

    Attributes:
        indptr: Row pointers (length ``n_applicants + 1``).
        programs: Program ids, most preferred first within each row.
        ranks: Per edge, the program's rank position of the applicant (0 = best, -1 = unacceptable).
    """

    indptr: IntArray
    programs: IntArray
    ranks: IntArray


class Seats(NamedTuple):
    """The applicants each program holds: one max-heap by rank (worst on top) per program.

    Program ``p`` owns slots ``start[p]:start[p + 1]`` (its capacity) of ``rank``/``applicant``;
    ``held[p]`` of them are in use.
    """

    start: NDArray[np.int64]
    held: IntArray
    rank: IntArray
    applicant: IntArray


class Walk(NamedTuple):
    """Each applicant's progress down their ROL: the next edge to propose to, and the program held."""

    next_edge: IntArray
    assignment: IntArray


@jitable
def new_seats(capacity: IntArray) -> Seats:
    """Empty seats for every program (a negative capacity counts as 0)."""
    n_prog = len(capacity)
    start = np.zeros(n_prog + 1, dtype=np.int64)
    for prog in range(n_prog):
        start[prog + 1] = start[prog] + max(capacity[prog], 0)
    return Seats(
        start,
        np.zeros(n_prog, dtype=np.int32),
        np.empty(start[n_prog], dtype=np.int32),
        np.empty(start[n_prog], dtype=np.int32),
    )


@jitable
def copy_seats(seats: Seats) -> Seats:
    """A copy to propose into without changing ``seats`` (the slot layout is shared)."""
    return Seats(seats.start, seats.held.copy(), seats.rank.copy(), seats.applicant.copy())


@jitable
def _sift_up(seats: Seats, base: int, pos: int) -> None:
    """Move heap slot ``pos`` up while its rank is worse (larger) than its parent's."""
    ranks, apps = seats.rank, seats.applicant
    rank, app = ranks[base + pos], apps[base + pos]
    while pos > 0:
        parent = (pos - 1) >> 1
        if ranks[base + parent] >= rank:
            break
        ranks[base + pos], apps[base + pos] = ranks[base + parent], apps[base + parent]
        pos = parent
    ranks[base + pos], apps[base + pos] = rank, app


@jitable
def _sift_down(seats: Seats, base: int, size: int) -> None:
    """Restore the max-heap (worst held applicant on top) after the top slot was replaced."""
    ranks, apps = seats.rank, seats.applicant
    rank, app = ranks[base], apps[base]
    pos = 0
    while True:
        child = 2 * pos + 1
        if child >= size:
            break
        if child + 1 < size and ranks[base + child + 1] > ranks[base + child]:
            child += 1
        if ranks[base + child] <= rank:
            break
        ranks[base + pos], apps[base + pos] = ranks[base + child], apps[base + child]
        pos = child
    ranks[base + pos], apps[base + pos] = rank, app


@jitable
def propose_chain(first: int, lists: ApplicantLists, capacity: IntArray, seats: Seats, walk: Walk) -> int:
    """Let ``first`` propose down their list; a displaced applicant goes on from their own place.

    A program under capacity holds the proposal; a full one holds it only if it ranks the proposer
    better than its worst held applicant, who is displaced and proposes next. Returns the number of
    proposals made (edges tried, unacceptable ones included).
    """
    indptr, programs, ranks = lists
    proposals = 0
    app = first
    while app >= 0:
        k, end, bumped = walk.next_edge[app], indptr[app + 1], -1
        while k < end:
            prog, rank = programs[k], ranks[k]
            k += 1
            proposals += 1
            if rank < 0:
                continue
            base, size = seats.start[prog], seats.held[prog]
            if size < capacity[prog]:
                seats.rank[base + size], seats.applicant[base + size] = rank, app
                seats.held[prog] = size + 1
                _sift_up(seats, base, size)
                walk.assignment[app] = prog
                break
            if size > 0 and rank < seats.rank[base]:
                bumped = seats.applicant[base]
                seats.rank[base], seats.applicant[base] = rank, app
                _sift_down(seats, base, size)
                walk.assignment[app], walk.assignment[bumped] = prog, -1
                break
        walk.next_edge[app] = k
        app = bumped
    return proposals


@jitable
def propose_all(
    lists: ApplicantLists, capacity: IntArray, seats: Seats, walk: Walk, n_applicants: int
) -> int:
    """Deferred acceptance for applicants ``0..n_applicants-1`` (McVitie-Wilson); returns proposals.

    Steps: (1) every applicant starts unmatched with a pointer at the top of their ROL (``walk``);
    (2) take applicants in id order; the current one proposes down the ROL (:func:`propose_chain`),
    skipping programs that did not rank them; (3) a full program holds a proposal only if it ranks
    the proposer better than its worst held applicant (top of its max-heap), who is displaced and
    continues from their own pointer; (4) stop when every chain ends. The outcome does not depend
    on the order (Gale & Shapley 1962; McVitie & Wilson 1971). Rows past ``n_applicants`` (e.g. a
    newcomer added later) are left for the caller.
    """
    proposals = 0
    for app in range(n_applicants):
        if walk.assignment[app] < 0 and walk.next_edge[app] < lists.indptr[app + 1]:
            proposals += propose_chain(app, lists, capacity, seats, walk)
    return proposals


def _deferred_acceptance(lists: ApplicantLists, capacity: IntArray, assignment: IntArray) -> int:
    """Run :func:`propose_all` on fresh seats; fills ``assignment``; returns the proposal count."""
    n_app = len(lists.indptr) - 1
    walk = Walk(lists.indptr[:n_app].copy(), assignment)
    return propose_all(lists, capacity, new_seats(capacity), walk, n_app)


_deferred_acceptance_jit = compiled(_deferred_acceptance)


def applicant_of_edge(rol_indptr: IntArray) -> IntArray:
    """Return, for every ROL edge, the applicant (row) it belongs to."""
    counts = np.diff(rol_indptr)
    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)


@dataclass(frozen=True, eq=False)
class ProgramRankIndex:
    """Sorted ``program * n_applicants + applicant`` keys with rank positions, for fast lookups."""

    keys: NDArray[np.int64]
    positions: NDArray[np.int64]
    stride: int

    @classmethod
    def build(
        cls, program_indptr: IntArray, program_indices: IntArray, n_applicants: int
    ) -> ProgramRankIndex:
        """Index the programs' ROLs (CSR rows of applicant ids, best first)."""
        stride = max(n_applicants, 1)
        prog_of = applicant_of_edge(program_indptr).astype(np.int64)
        keys = prog_of * stride + program_indices.astype(np.int64)
        positions = np.arange(len(program_indices), dtype=np.int64) - program_indptr[prog_of]
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], positions[order], stride)

    def rank_of(self, programs: NDArray[np.integer[Any]], applicants: NDArray[np.integer[Any]]) -> IntArray:
        """Return ``programs[i]``'s rank position of ``applicants[i]`` (-1 = unranked), vectorised."""
        queries = np.asarray(programs, dtype=np.int64) * self.stride + np.asarray(applicants, dtype=np.int64)
        if len(self.keys) == 0:
            return np.full(len(queries), -1, dtype=np.int32)
        found = np.minimum(np.searchsorted(self.keys, queries), len(self.keys) - 1)
        return np.where(self.keys[found] == queries, self.positions[found], -1).astype(np.int32)


def program_rank_of(
    program_indptr: IntArray,
    program_indices: IntArray,
    n_applicants: int,
    programs: NDArray[np.integer[Any]],
    applicants: NDArray[np.integer[Any]],
) -> IntArray:
    """Look up, vectorised, program ``programs[i]``'s rank position of ``applicants[i]`` (-1 = unranked).

    Args:
        program_indptr: Program ROL row pointers (length ``n_programs + 1``).
        program_indices: Applicant ids in each program's preference order.
        n_applicants: Number of applicants (the key stride).
        programs: Program id per query.
        applicants: Applicant id per query.

    Returns:
        int32 rank positions, 0 = the program's first choice.
    """
    return ProgramRankIndex.build(program_indptr, program_indices, n_applicants).rank_of(programs, applicants)


def program_rank_lookup(
    rol_indptr: IntArray,
    rol_indices: IntArray,
    program_indptr: IntArray,
    program_indices: IntArray,
    n_applicants: int,
) -> IntArray:
    """Align program rank positions with applicant ROL edges (the kernel's ``rol_program_rank``).

    Args:
        rol_indptr: Applicant ROL row pointers (length ``n_applicants + 1``).
        rol_indices: Program ids in each applicant's preference order.
        program_indptr: Program ROL row pointers (length ``n_programs + 1``).
        program_indices: Applicant ids in each program's preference order.
        n_applicants: Number of applicants.

    Returns:
        ``rank[k]`` = position of edge ``k``'s applicant on edge ``k``'s program's ROL, or -1.
    """
    return program_rank_of(
        program_indptr, program_indices, n_applicants, rol_indices, applicant_of_edge(rol_indptr)
    )


def program_rank_lookup_dense(rol_indptr: IntArray, rol_indices: IntArray, rank_matrix: IntArray) -> IntArray:
    """Align a dense ``rank_matrix[program, applicant]`` (-1 = unranked) with the ROL edges."""
    return np.ascontiguousarray(rank_matrix[rol_indices, applicant_of_edge(rol_indptr)], dtype=np.int32)


def _as_int32(values: Any, name: str) -> IntArray:
    array = np.ascontiguousarray(values, dtype=np.int32)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def deferred_acceptance_counted(
    rol_indptr: IntArray,
    rol_indices: IntArray,
    rol_program_rank: IntArray,
    capacity: IntArray,
    *,
    use_numba: bool = True,
) -> tuple[IntArray, int]:
    """Solve like :func:`deferred_acceptance` and also return the number of proposals made."""
    indptr, indices = _as_int32(rol_indptr, "rol_indptr"), _as_int32(rol_indices, "rol_indices")
    prank, cap = _as_int32(rol_program_rank, "rol_program_rank"), _as_int32(capacity, "capacity")
    if len(indptr) == 0 or indptr[-1] != len(indices) or len(prank) != len(indices):
        raise ValueError("rol_indptr, rol_indices and rol_program_rank do not describe one CSR matrix")
    assignment = np.full(len(indptr) - 1, -1, dtype=np.int32)
    solver = _deferred_acceptance_jit if use_numba else _deferred_acceptance
    proposals = int(solver(ApplicantLists(indptr, indices, prank), cap, assignment))
    return assignment, proposals


def deferred_acceptance(
    rol_indptr: IntArray,
    rol_indices: IntArray,
    rol_program_rank: IntArray,
    capacity: IntArray,
    *,
    use_numba: bool = True,
) -> IntArray:
    """Return the applicant-optimal stable assignment (program id per applicant, -1 = unmatched).

    Steps (Roth & Peranson 1999, section "the applicant-proposing algorithm"): each applicant
    applies to the top program on their ROL; a program tentatively holds its best ``capacity``
    acceptable applications and rejects the rest; a rejected or displaced applicant applies to
    their next program; stop when no applications remain. Applicant-proposing deferred
    acceptance gives the applicant-optimal stable matching and is strategy-proof for applicants.

    Args:
        rol_indptr: int32 row pointers of the applicants' ROLs (length ``n_applicants + 1``).
        rol_indices: int32 program ids, most preferred first within each row.
        rol_program_rank: int32, per edge, the program's rank of the applicant (-1 = unacceptable);
            build it with :func:`program_rank_lookup` or :func:`program_rank_lookup_dense`.
        capacity: int32 seats per program.
        use_numba: False forces the interpreted fallback (same source, same result).

    Returns:
        int32 array of length ``n_applicants``: the matched program id, or -1.
    """
    return deferred_acceptance_counted(
        rol_indptr, rol_indices, rol_program_rank, capacity, use_numba=use_numba
    )[0]
