"""Monte Carlo of a user's rank list on synthetic PM&R markets (pure; randomness is an ``rng`` parameter).

One run (:func:`_one_run`, numba-compiled, no Python objects):

1. Seed the run's own generator with its 32-bit seed (seeds are drawn in the parent from ``rng``, so a run's
   result does not depend on how runs are split across processes).
2. Competitors draw Step 2 CK from their type's distribution; interview weight and rank logit follow the
   chance model (see :mod:`.market`). Programs draw a shared desirability.
3. Interviews: each program fills its interview slots by weighted sampling without replacement among all
   competitors (group totals, then a binary search within the group); the user is interviewed at every
   program on their list.
4. Rank lists: each competitor ranks their interviews by desirability + home-region bonus + taste noise and
   keeps ``max_ranks``; each program orders its interviewees by rank logit + standard logistic noise (the
   kernel needs only the order, so the score is passed straight as an integer, no per-program sort).
5. The compiled deferred-acceptance kernel runs once per user list (the list as given, and reordered), on the
   very same market (common random numbers): competitors draw nothing that depends on the user's order.

Competitors have no supplemental lists and no couples (their PGY-1 year is outside this market), so the
match is deferred acceptance, strategy-proof for the user: reordering the same programs never changes
*whether* they match, and truthful order never gives a worse program.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.match.kernel import NUMBA_AVAILABLE, _jitable, _propose_chain
from smartpick.domain.match.market import IntArray, SyntheticMarket
from smartpick.domain.match.random_streams import (
    NOISE_TABLES,
    _alias_draw,
    _build_alias,
    _seed_state,
    _two_draws,
    _uniform,
)

_SCORE_SPAN = 60.0
_SCORE_SCALE = 1000.0
UNMATCHED = -1

if NUMBA_AVAILABLE:
    from numba import prange
else:  # pragma: no cover - the interpreted fallback
    prange = range  # type: ignore[misc,unused-ignore]


@_jitable
def _program_rank_value(score: float) -> int:
    """Integer the kernel orders by (smaller = better); scores are clipped to +-``_SCORE_SPAN``."""
    return int((_SCORE_SPAN - min(max(score, -_SCORE_SPAN), _SCORE_SPAN)) * _SCORE_SCALE)


@_jitable
def _draw_competitors(m: Any, tables: Any, s: Any, weight: Any, group_total: Any, rank_logit: Any) -> None:
    """Step 2 CK per competitor -> interview weights (and their group totals) and rank logits."""
    (group_start, group_type, score_mean, score_sd, i_icpt, i_slope, r_icpt, r_slope, ref) = m
    for g in range(len(group_type)):
        t = group_type[g]
        total = 0.0
        for i in range(group_start[g], group_start[g + 1]):
            delta = score_mean[t] + score_sd[t] * _two_draws(tables, s)[0] - ref
            weight[i] = math.exp(i_icpt[t] + i_slope[t] * delta)
            total += weight[i]
            rank_logit[i] = r_icpt[t] + r_slope[t] * delta
        group_total[g] = total


@_jitable
def _sample_interviews(
    j: int, slots: int, group_start: Any, tables: Any, s: Any, last: Any, out: Any, k: int
) -> int:
    """Fill program ``j``'s slots without replacement; write competitor ids to ``out[k:]``; return new k.

    ``tables`` = (group prob, group alias, member prob, member alias): program ``j``'s table over the
    groups (group total weight x program factor), then the group's table over its members.
    """
    g_prob, g_alias, m_prob, m_alias = tables
    n_groups = len(group_start) - 1
    if g_alias[j, 0] < 0:
        return k
    drawn, tries = 0, 0
    while drawn < slots and tries < 30 * slots + 100:
        tries += 1
        x = _uniform(s) * n_groups
        g = min(int(x), n_groups - 1)
        if x - g >= g_prob[j, g]:
            g = g_alias[j, g]
        lo = group_start[g]
        i = _alias_draw(m_prob, m_alias, lo, group_start[g + 1] - lo, s)
        if last[i] != j:
            last[i] = j
            out[k] = i
            k += 1
            drawn += 1
    return k


@_jitable
def _interview_tables(
    group_start: Any, factor: Any, weight: Any, group_total: Any
) -> tuple[Any, Any, Any, Any]:
    """Alias tables of one run: per program over groups, per group over its members."""
    n_groups, n_prog = factor.shape
    n = group_start[-1]
    stack = np.empty(max(n, n_groups), dtype=np.int32)
    m_prob, m_alias = np.empty(n), np.empty(n, dtype=np.int32)
    for g in range(n_groups):
        _build_alias(weight, group_start[g], group_start[g + 1], m_prob, m_alias, stack)
    g_prob, g_alias = np.empty((n_prog, n_groups)), np.empty((n_prog, n_groups), dtype=np.int32)
    w = np.empty(n_groups)
    for j in range(n_prog):
        total = 0.0
        for g in range(n_groups):
            w[g] = group_total[g] * factor[g, j]
            total += w[g]
        if total > 0:
            _build_alias(w, 0, n_groups, g_prob[j], g_alias[j], stack)
        else:
            g_prob[j, :], g_alias[j, :] = 1.0, -1  # no weight anywhere: program draws nobody
    return g_prob, g_alias, m_prob, m_alias


@_jitable
def _keep_best(progs: Any, util: Any, ranks: Any, lo: int, hi: int, keep: int) -> int:
    """Order a rank list segment by utility (largest first) keeping only the best ``keep``; return count.

    An insertion sort bounded to ``keep`` entries: strong competitors hold dozens of interviews, of which
    only ``max_ranks`` are ranked, so a full sort of their list is wasted work. Same order as a stable sort.
    """
    size = 0
    for a in range(lo, hi):
        p, u, r = progs[a], util[a], ranks[a]
        if size == keep:
            if keep == 0 or util[lo + keep - 1] >= u:
                continue
            b = lo + keep - 2  # the worst kept entry drops off
        else:
            b = lo + size - 1
            size += 1
        while b >= lo and util[b] < u:
            progs[b + 1], util[b + 1], ranks[b + 1] = progs[b], util[b], ranks[b]
            b -= 1
        progs[b + 1], util[b + 1], ranks[b + 1] = p, u, r
    return size


@_jitable
def _one_run(
    seed: int,
    m: Any,
    group_start: Any,
    group_region: Any,
    factor: Any,
    interviews: Any,
    capacity: Any,
    program_region: Any,
    desirability: Any,
    prefs: Any,
    user_logit: Any,
    user_lists: Any,
    user_lengths: Any,
    out: Any,
) -> None:
    """Generate one market and solve it once per user list; ``out[l]`` = user's list position or -1."""
    s = _seed_state(seed)
    desirability_sd, preference_sd, home_bonus, max_ranks = prefs
    tables = NOISE_TABLES
    n, n_prog = group_start[-1], len(capacity)
    weight, rank_logit = np.empty(n), np.empty(n)
    group_total = np.empty(len(group_region))
    _draw_competitors(m, tables, s, weight, group_total, rank_logit)
    shared = np.empty(n_prog)
    user_value = np.empty(n_prog, dtype=np.int32)
    for j in range(n_prog):
        normal, logistic = _two_draws(tables, s)
        shared[j] = desirability[j] + desirability_sd * normal
        user_value[j] = _program_rank_value(user_logit[j] + logistic)
    alias = _interview_tables(group_start, factor, weight, group_total)
    edge_app = np.empty(interviews.sum(), dtype=np.int32)
    edge_prog = np.empty(interviews.sum(), dtype=np.int32)
    last = np.full(n, -1, dtype=np.int32)
    k = 0
    for j in range(n_prog):
        start = k
        k = _sample_interviews(j, interviews[j], group_start, alias, s, last, edge_app, k)
        edge_prog[start:k] = j
    region = np.empty(n, dtype=np.int32)
    for g in range(len(group_region)):
        region[group_start[g] : group_start[g + 1]] = group_region[g]
    noise = (rank_logit, shared, program_region, preference_sd, home_bonus, max_ranks)
    indptr, progs, ranks = _competitor_lists(
        n, k, edge_app, edge_prog, region, noise, tables, s, user_lists.shape[1]
    )
    _solve_user_lists(indptr, progs, ranks, capacity, user_value, user_lists, user_lengths, out)


@_jitable
def _solve_user_lists(
    indptr: Any, progs: Any, ranks: Any, capacity: Any, user_value: Any, lists: Any, lengths: Any, out: Any
) -> None:
    """Solve the competitors once, then let the user (applicant ``n``) propose from a copy per list.

    Deferred acceptance does not depend on the order of proposals (McVitie & Wilson 1971), so adding the
    user's chain to the competitors' matching gives exactly the matching of the whole market.
    """
    n, n_prog = len(indptr) - 2, len(capacity)
    seat_start = np.zeros(n_prog + 1, dtype=np.int64)
    for p in range(n_prog):
        seat_start[p + 1] = seat_start[p] + max(capacity[p], 0)
    heap_rank = np.empty(seat_start[n_prog], dtype=np.int32)
    heap_app = np.empty(seat_start[n_prog], dtype=np.int32)
    held = np.zeros(n_prog, dtype=np.int32)
    next_pos = indptr[: n + 1].copy()
    assignment = np.full(n + 1, -1, dtype=np.int32)
    for app in range(n):
        if assignment[app] < 0 and next_pos[app] < indptr[app + 1]:
            _propose_chain(
                app,
                indptr,
                progs,
                ranks,
                capacity,
                seat_start,
                held,
                heap_rank,
                heap_app,
                next_pos,
                assignment,
            )
    base = indptr[n]
    for li in range(lists.shape[0]):
        length = lengths[li]
        for e in range(length):
            progs[base + e], ranks[base + e] = lists[li, e], user_value[lists[li, e]]
        indptr[n + 1] = base + length
        h_rank, h_app, h_held = heap_rank.copy(), heap_app.copy(), held.copy()
        pos, where = next_pos.copy(), assignment.copy()
        _propose_chain(n, indptr, progs, ranks, capacity, seat_start, h_held, h_rank, h_app, pos, where)
        out[li] = UNMATCHED
        for e in range(length):
            if lists[li, e] == where[n]:
                out[li] = e


@_jitable
def _competitor_lists(
    n: int, k: int, edge_app: Any, edge_prog: Any, region: Any, noise: Any, tables: Any, s: Any, spare: int
) -> tuple[Any, Any, Any]:
    """Group interview edges by competitor, order each list by utility, keep ``max_ranks``; CSR out.

    The CSR has one more (empty) row, ``n``, for the user, with ``spare`` free entries after the end.
    """
    rank_logit, shared, program_region, preference_sd, home_bonus, max_ranks = noise
    count = np.zeros(n + 1, dtype=np.int32)
    for e in range(k):
        count[edge_app[e] + 1] += 1
    for i in range(n):
        count[i + 1] += count[i]
    fill = count[:n].copy()
    progs = np.empty(k + spare, dtype=np.int32)
    util = np.empty(k)
    ranks = np.empty(k + spare, dtype=np.int32)
    for e in range(k):
        i, j = edge_app[e], edge_prog[e]
        slot = fill[i]
        fill[i] += 1
        progs[slot] = j
        bonus = home_bonus if program_region[j] == region[i] else 0.0
        normal, logistic = _two_draws(tables, s)
        util[slot] = shared[j] + bonus + preference_sd * normal
        ranks[slot] = _program_rank_value(rank_logit[i] + logistic)
    indptr = np.zeros(n + 2, dtype=np.int32)
    w = 0
    for i in range(n):
        lo, hi = count[i], count[i + 1]
        keep = _keep_best(progs, util, ranks, lo, hi, max_ranks)
        for a in range(keep):
            progs[w + a], ranks[w + a] = progs[lo + a], ranks[lo + a]
        w += keep
        indptr[i + 1] = w
    indptr[n + 1] = w
    return indptr, progs, ranks


def _many_runs(
    seeds: Any,
    m: Any,
    group_start: Any,
    group_region: Any,
    factor: Any,
    interviews: Any,
    capacity: Any,
    program_region: Any,
    desirability: Any,
    prefs: Any,
    user_logit: Any,
    user_lists: Any,
    user_lengths: Any,
    out: Any,
) -> None:
    """Run :func:`_one_run` for every seed (in parallel threads); ``out[r, l]`` = outcome of run r, list l.

    Each run owns its generator seeded from its own seed, so the result is the same for any thread count.
    """
    for r in prange(len(seeds)):
        _one_run(
            seeds[r],
            m,
            group_start,
            group_region,
            factor,
            interviews,
            capacity,
            program_region,
            desirability,
            prefs,
            user_logit,
            user_lists,
            user_lengths,
            out[r],
        )


if NUMBA_AVAILABLE:
    import numba

    _many_runs_jit: Callable[..., None] = numba.njit(cache=True, parallel=True)(_many_runs)
else:  # pragma: no cover - the interpreted fallback
    _many_runs_jit = _many_runs


@dataclass(frozen=True, eq=False)
class UserLists:
    """The user's rank list(s) over market program indices and their rank logits at every program."""

    lists: tuple[tuple[int, ...], ...]
    rank_logit: NDArray[np.float64]

    def as_array(self) -> tuple[IntArray, IntArray]:
        """Pad the lists into an ``(L, max_len)`` int32 matrix plus lengths."""
        width = max((len(x) for x in self.lists), default=0)
        matrix = np.full((len(self.lists), max(width, 1)), -1, dtype=np.int32)
        for i, lst in enumerate(self.lists):
            matrix[i, : len(lst)] = lst
        return matrix, np.asarray([len(x) for x in self.lists], dtype=np.int32)


def run_seeds(market: SyntheticMarket, user: UserLists, seeds: NDArray[np.uint32]) -> NDArray[np.int32]:
    """Simulate one market per seed; return ``(runs, lists)`` user outcomes (list position or -1).

    The same seed always gives the same market, whichever process or batch runs it.
    """
    matrix, lengths = user.as_array()
    out = np.full((len(seeds), len(user.lists)), UNMATCHED, dtype=np.int32)
    m = (
        market.group_start,
        np.ascontiguousarray(market.group_type),
        market.score_mean,
        market.score_sd,
        market.interview_intercept,
        market.interview_slope,
        market.rank_intercept,
        market.rank_slope,
        float(market.score_reference),
    )
    prefs = (
        float(market.desirability_sd),
        float(market.preference_sd),
        float(market.home_bonus),
        int(market.max_ranks),
    )
    _many_runs_jit(
        np.asarray(seeds, dtype=np.int64),
        m,
        market.group_start,
        market.group_region,
        market.interview_factor,
        market.interviews,
        market.capacity,
        market.program_region,
        market.desirability,
        prefs,
        np.asarray(user.rank_logit, dtype=np.float64),
        matrix,
        lengths,
        out,
    )
    return out


def spawn_seeds(rng: np.random.Generator | int | None, runs: int) -> NDArray[np.uint32]:
    """Per-run 32-bit seeds drawn in the parent, so any split of runs across workers is identical."""
    return np.random.default_rng(rng).integers(0, 2**32 - 1, size=runs, dtype=np.uint32)


def chunks(seeds: NDArray[np.uint32], parts: int) -> Sequence[NDArray[np.uint32]]:
    """Split seeds into ``parts`` contiguous batches (order kept)."""
    return [c for c in np.array_split(seeds, max(parts, 1)) if len(c)]
