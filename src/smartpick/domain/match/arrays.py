"""Flat, id-indexed array form of a Main Residency Match (what the algorithms consume).

Applicants and programs are integers ``0..n-1``. Lists of lists are CSR pairs ``(indptr, indices)``
(see :mod:`smartpick.domain.match.kernel`). Tracks: ``CATEGORICAL`` (PGY-1 start, full training),
``ADVANCED`` (PGY-2 start; needs a separate PGY-1 year) and ``PGY1`` (preliminary or transitional
year). A supplemental list is attached to one edge of an applicant's primary ROL (an advanced
program) and lists PGY1 programs. A couple ranks pairs of programs; -1 in a pair means that member
needs no position. Couple members have empty primary ROLs.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.match.kernel import IntArray, program_rank_lookup

CATEGORICAL, ADVANCED, PGY1 = 0, 1, 2
TRACK_NAMES = ("categorical", "advanced", "pgy1")
NO_PROGRAM = -1


@dataclass(frozen=True, eq=False)
class MatchMarket:
    """All rank order lists of one match as flat arrays (immutable by convention)."""

    rol_indptr: IntArray
    rol_indices: IntArray
    rol_program_rank: IntArray
    capacity: IntArray
    track: NDArray[np.int8]
    program_indptr: IntArray
    program_indices: IntArray
    supplemental_indptr: IntArray
    supplemental_indices: IntArray
    couple_members: IntArray
    pair_indptr: IntArray
    pair_programs: IntArray

    @property
    def n_applicants(self) -> int:
        """Number of applicants (singles and couple members)."""
        return len(self.rol_indptr) - 1

    @property
    def n_programs(self) -> int:
        """Number of programs."""
        return len(self.capacity)

    @property
    def n_couples(self) -> int:
        """Number of couples."""
        return len(self.couple_members)

    @property
    def has_supplemental(self) -> bool:
        """True when any applicant attached a supplemental PGY-1 list."""
        return len(self.supplemental_indices) > 0

    def rol(self, applicant: int) -> IntArray:
        """Return one applicant's primary ROL (program ids, best first)."""
        return self.rol_indices[self.rol_indptr[applicant] : self.rol_indptr[applicant + 1]]

    def program_rol(self, program: int) -> IntArray:
        """Return one program's ROL (applicant ids, best first)."""
        return self.program_indices[self.program_indptr[program] : self.program_indptr[program + 1]]

    def supplemental(self, edge: int) -> IntArray:
        """Return the supplemental PGY-1 list attached to primary ROL edge ``edge`` (maybe empty)."""
        return self.supplemental_indices[self.supplemental_indptr[edge] : self.supplemental_indptr[edge + 1]]

    def couple_pairs(self, couple: int) -> IntArray:
        """Return a couple's ranked pairs as an ``(n, 2)`` array (-1 = no position for that member)."""
        return self.pair_programs[self.pair_indptr[couple] : self.pair_indptr[couple + 1]]


def _csr(rows: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    indptr[1:] = np.cumsum([len(row) for row in rows], dtype=np.int64)
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(indptr[-1]))
    if flat.size and (flat.min() < np.iinfo(np.int32).min or flat.max() > np.iinfo(np.int32).max):
        raise ValueError("an id does not fit in 32 bits")
    return indptr, flat.astype(np.int32)


def _check_ids(values: IntArray, upper: int, what: str, allow_null: bool = False) -> None:
    low = NO_PROGRAM if allow_null else 0
    if len(values) and (values.min() < low or values.max() >= upper):
        raise ValueError(f"{what} contains an id outside 0..{upper - 1}")


def _supplemental_csr(
    rol_indptr: IntArray, rol_indices: IntArray, supplemental: Mapping[tuple[int, int], Sequence[int]]
) -> tuple[IntArray, IntArray]:
    rows: list[Sequence[int]] = [()] * len(rol_indices)
    if not supplemental:
        return _csr(rows)
    indptr, programs = rol_indptr.tolist(), rol_indices.tolist()
    for (applicant, program), pgy1_list in supplemental.items():
        inside = 0 <= applicant < len(indptr) - 1
        rol = programs[indptr[applicant] : indptr[applicant + 1]] if inside else []
        if rol.count(program) != 1:
            raise ValueError(f"supplemental list for applicant {applicant} is attached to unranked {program}")
        rows[indptr[applicant] + rol.index(program)] = pgy1_list
    return _csr(rows)


def build_market(
    applicant_rols: Sequence[Sequence[int]],
    program_rols: Sequence[Sequence[int]],
    capacity: Sequence[int],
    *,
    tracks: Sequence[int] | None = None,
    supplemental: Mapping[tuple[int, int], Sequence[int]] | None = None,
    couples: Sequence[tuple[tuple[int, int], Sequence[tuple[int, int]]]] = (),
) -> MatchMarket:
    """Build a :class:`MatchMarket` from plain id lists.

    Args:
        applicant_rols: Per applicant, program ids best first (couple members: empty).
        program_rols: Per program, applicant ids best first.
        capacity: Seats per program.
        tracks: Per program ``CATEGORICAL``/``ADVANCED``/``PGY1`` (default all categorical).
        supplemental: ``{(applicant, advanced_program): [pgy1 programs]}``.
        couples: ``((member_a, member_b), [(program_a, program_b), ...])``; -1 = no position.

    Returns:
        The market with the program-rank lookup precomputed.

    Raises:
        ValueError: On out-of-range ids or mismatched lengths.
    """
    rol_indptr, rol_indices = _csr(applicant_rols)
    program_indptr, program_indices = _csr(program_rols)
    n_app, n_prog = len(applicant_rols), len(program_rols)
    if len(capacity) != n_prog:
        raise ValueError("capacity needs one entry per program")
    _check_ids(rol_indices, n_prog, "applicant_rols")
    _check_ids(program_indices, n_app, "program_rols")
    supp_indptr, supp_indices = _supplemental_csr(rol_indptr, rol_indices, supplemental or {})
    _check_ids(supp_indices, n_prog, "supplemental")
    pair_indptr, pair_flat = _csr([[p for pair in pairs for p in pair] for _, pairs in couples])
    _check_ids(pair_flat, n_prog, "couple pairs", allow_null=True)
    members = np.asarray([m for m, _ in couples], dtype=np.int32).reshape(len(couples), 2)
    _check_ids(members.ravel(), n_app, "couple members")
    return MatchMarket(
        rol_indptr=rol_indptr,
        rol_indices=rol_indices,
        rol_program_rank=program_rank_lookup(rol_indptr, rol_indices, program_indptr, program_indices, n_app),
        capacity=np.asarray(capacity, dtype=np.int32).reshape(n_prog),
        track=np.asarray(tracks if tracks is not None else [CATEGORICAL] * n_prog, dtype=np.int8),
        program_indptr=program_indptr,
        program_indices=program_indices,
        supplemental_indptr=supp_indptr,
        supplemental_indices=supp_indices,
        couple_members=members,
        pair_indptr=pair_indptr // 2,
        pair_programs=pair_flat.reshape(-1, 2),
    )
