"""Validate a JSON match instance and build its arrays in one vectorised pass (the fast path).

:func:`parse_market` gives exactly what ``instance_to_market(parse_instance(data))`` gives, in
linear time with a few C-level passes per list instead of Python work per id: ids are mapped to
integers with dict lookups inside ``map``, repeats are found by sorting flat keys, ranks are
aligned in linear time. Anything unusual (a wrong type, an unknown or repeated id, a bad
supplemental list, couples) is not explained here: the fast path gives up and the contract's own
checker (:func:`smartpick.domain.match.instance.parse_instance`) runs, so every error keeps its
one-line message naming the JSON path, the value and what is allowed.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from smartpick.domain.match.adapter import IdMaps, instance_to_market, solve_market
from smartpick.domain.match.arrays import ADVANCED, PGY1, TRACK_NAMES, MatchMarket
from smartpick.domain.match.instance import parse_instance
from smartpick.domain.match.jit import NUMBA_AVAILABLE, compiled
from smartpick.domain.match.kernel import IntArray, applicant_of_edge, program_rank_lookup
from smartpick.domain.match.result import MatchResult

_TRACK_CODE = {name: code for code, name in enumerate(TRACK_NAMES)}
_PROGRAM_KEYS = frozenset({"id", "capacity", "rank", "track"})
_APPLICANT_KEYS = frozenset({"id", "rank", "supplemental"})
_INT32_MAX = np.iinfo(np.int32).max


class _GiveUp(Exception):
    """The fast path does not handle this input; the full checker will (and name any error)."""


def parse_market(data: Any) -> tuple[MatchMarket, IdMaps]:
    """Validate ``data`` (the JSON contract) and return its arrays and id order.

    Raises:
        InstanceError: When ``data`` does not follow the contract (the full checker's message).
    """
    fast = fast_market(data)
    return fast if fast is not None else instance_to_market(parse_instance(data))


def run_instance(data: Any) -> MatchResult:
    """Validate ``data`` (the JSON contract), run the NRMP algorithm and verify stability.

    Raises:
        InstanceError: When ``data`` does not follow the contract.
    """
    return solve_market(*parse_market(data))


def fast_market(data: Any) -> tuple[MatchMarket, IdMaps] | None:
    """The fast path alone: the arrays of a valid instance, or None when the full checker must look.

    A valid instance here has only ints, strings, lists and objects, at most five levels deep.
    """
    try:
        return _fast(data)
    except (_GiveUp, KeyError, TypeError, ValueError, AttributeError):
        return None


def _ids(items: list[Any]) -> list[str]:
    ids = [item["id"] for item in items]
    if set(map(type, ids)) - {str} or not all(map(str.strip, ids)) or len(set(ids)) != len(ids):
        raise _GiveUp
    return ids


def _flat_index(rows: list[Any], index: dict[str, int]) -> tuple[IntArray, IntArray]:
    """Map lists of ids to a CSR pair; give up on a non-list, an unknown or a repeated id."""
    if set(map(type, rows)) - {list}:
        raise _GiveUp
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    total = int(indptr[-1])
    if total > _INT32_MAX:
        raise _GiveUp
    # KeyError (unknown id) or TypeError (unhashable) -> give up
    ids = map(index.__getitem__, itertools.chain.from_iterable(rows))
    flat = np.fromiter(ids, dtype=np.int32, count=total)
    if total and _rows_have_repeats(indptr, flat, len(index)):
        raise _GiveUp
    return indptr.astype(np.int32), flat


def _repeats_in_rows(indptr: Any, flat: Any, n_values: int) -> bool:
    """True when some CSR row holds a value twice (linear time: one mark per value, the row's number)."""
    mark = np.full(max(n_values, 1), -1, dtype=np.int64)
    for row in range(len(indptr) - 1):
        for k in range(indptr[row], indptr[row + 1]):
            if mark[flat[k]] == row:
                return True
            mark[flat[k]] = row
    return False


_repeats_in_rows_jit = compiled(_repeats_in_rows)


def _rows_have_repeats(indptr: np.ndarray, flat: IntArray, n_values: int) -> bool:
    if NUMBA_AVAILABLE:
        return bool(_repeats_in_rows_jit(indptr, flat, n_values))
    keys = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr)) * max(n_values, 1) + flat
    keys.sort()
    return bool((keys[1:] == keys[:-1]).any())


def _fast(data: Any) -> tuple[MatchMarket, IdMaps]:
    if type(data) is not dict or not data.keys() <= {"programs", "applicants", "couples"}:
        raise _GiveUp
    programs, applicants = data["programs"], data["applicants"]
    if type(programs) is not list or type(applicants) is not list or data.get("couples", []) != []:
        raise _GiveUp
    if set(map(type, programs)) - {dict} or set(map(type, applicants)) - {dict}:
        raise _GiveUp
    if not all(map(_PROGRAM_KEYS.issuperset, map(dict.keys, programs))):
        raise _GiveUp
    if not all(map(_APPLICANT_KEYS.issuperset, map(dict.keys, applicants))):
        raise _GiveUp
    program_ids, applicant_ids = _ids(programs), _ids(applicants)
    capacity = [p["capacity"] for p in programs]
    if set(map(type, capacity)) - {int}:
        raise _GiveUp  # also bool, whose type is not int
    track = np.fromiter(
        (_TRACK_CODE[p.get("track", "categorical")] for p in programs), dtype=np.int8, count=len(programs)
    )
    cap = np.asarray(capacity, dtype=np.int64)
    if len(cap) and (cap.min() < 0 or cap.max() > _INT32_MAX):
        raise _GiveUp
    prog_index = {p: i for i, p in enumerate(program_ids)}
    app_index = {a: i for i, a in enumerate(applicant_ids)}
    rol_indptr, rol_indices = _flat_index([a["rank"] for a in applicants], prog_index)
    program_indptr, program_indices = _flat_index([p["rank"] for p in programs], app_index)
    supp_indptr, supp_indices = _supplemental(applicants, rol_indptr, rol_indices, prog_index, track)
    market = MatchMarket(
        rol_indptr=rol_indptr,
        rol_indices=rol_indices,
        rol_program_rank=_rank_lookup(rol_indptr, rol_indices, program_indptr, program_indices),
        capacity=cap.astype(np.int32),
        track=track,
        program_indptr=program_indptr,
        program_indices=program_indices,
        supplemental_indptr=supp_indptr,
        supplemental_indices=supp_indices,
        couple_members=np.zeros((0, 2), dtype=np.int32),
        pair_indptr=np.zeros(1, dtype=np.int32),
        pair_programs=np.zeros((0, 2), dtype=np.int32),
    )
    return market, IdMaps(tuple(applicant_ids), tuple(program_ids))


def _rank_lookup(
    rol_indptr: IntArray, rol_indices: IntArray, program_indptr: IntArray, program_indices: IntArray
) -> IntArray:
    n_applicants = len(rol_indptr) - 1
    try:
        from smartpick.domain.match.kernel import NUMBA_AVAILABLE
        from smartpick.domain.match.procedure_kernel import positions_in_rows
    except ImportError:  # pragma: no cover - defensive
        NUMBA_AVAILABLE = False
    if not NUMBA_AVAILABLE:
        return program_rank_lookup(rol_indptr, rol_indices, program_indptr, program_indices, n_applicants)
    return positions_in_rows(
        program_indptr, program_indices, n_applicants, rol_indices, applicant_of_edge(rol_indptr)
    )


def _supplemental(
    applicants: list[dict[str, Any]],
    rol_indptr: IntArray,
    rol_indices: IntArray,
    prog_index: dict[str, int],
    track: np.ndarray,
) -> tuple[IntArray, IntArray]:
    """Supplemental lists as a CSR over primary ROL edges; give up on anything the checker must explain."""
    edges: list[int] = []
    lists: list[Any] = []
    starts = rol_indptr.tolist()
    for a in [a for a, applicant in enumerate(applicants) if "supplemental" in applicant]:
        applicant = applicants[a]
        value = applicant["supplemental"]
        if type(value) is not dict:
            raise _GiveUp  # also None
        rank, start = applicant["rank"], starts[a]
        edges.extend([start + rank.index(key) for key in value])  # ValueError (not ranked) -> give up
        lists.extend(value.values())
    n_edges = len(rol_indices)
    indptr = np.zeros(n_edges + 1, dtype=np.int32)
    if not edges:
        return indptr, np.zeros(0, dtype=np.int32)
    edge = np.asarray(edges, dtype=np.int64)
    if (track[rol_indices[edge]] != ADVANCED).any():
        raise _GiveUp
    list_ptr, flat = _flat_index(lists, prog_index)
    if len(flat) and (track[flat] != PGY1).any():
        raise _GiveUp
    lengths = np.diff(list_ptr).astype(np.int64)
    counts = np.zeros(n_edges, dtype=np.int64)
    counts[edge] = lengths
    indptr[1:] = np.cumsum(counts)
    order = np.argsort(edge, kind="stable")
    starts = list_ptr[:-1].astype(np.int64)[order]
    sizes = lengths[order]
    gather = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    return indptr, flat[gather]
