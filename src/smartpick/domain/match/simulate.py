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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.match.kernel import _compiled, _deferred_acceptance_jit, _jitable
from smartpick.domain.match.market import IntArray, SyntheticMarket

_SCORE_SPAN = 60.0
_SCORE_SCALE = 1000.0
UNMATCHED = -1
TABLE_BITS = 12
_TABLE_SIZE = 1 << TABLE_BITS


def _quantile_tables() -> NDArray[np.float64]:
    """Standard normal (row 0) and standard logistic (row 1) quantiles at ``(k + 0.5) / 4096``.

    Drawing noise by indexing these tables with random bits costs a few nanoseconds instead of a
    logarithm per draw; 4,096 levels (tails to +-3.5 sd) are ample for a market simulation.
    """
    from scipy.special import ndtri

    p = (np.arange(_TABLE_SIZE) + 0.5) / _TABLE_SIZE
    return np.stack([ndtri(p), np.log(p / (1 - p))]).astype(np.float64)


NOISE_TABLES = _quantile_tables()


@_jitable
def _two_draws(tables: Any) -> tuple[float, float]:
    """One uniform -> a standard normal and a standard logistic draw (two 12-bit table indexes)."""
    u = np.random.random() * _TABLE_SIZE
    first = int(u)
    second = int((u - first) * _TABLE_SIZE)
    return tables[0, first], tables[1, second]


@_jitable
def _program_rank_value(score: float) -> int:
    """Integer the kernel orders by (smaller = better); scores are clipped to +-``_SCORE_SPAN``."""
    return int((_SCORE_SPAN - min(max(score, -_SCORE_SPAN), _SCORE_SPAN)) * _SCORE_SCALE)


@_jitable
def _draw_competitors(m: Any, tables: Any, cum: Any, group_total: Any, rank_logit: Any) -> None:
    """Step 2 CK per competitor -> cumulative interview weights per group and rank logits."""
    (group_start, group_type, score_mean, score_sd, i_icpt, i_slope, r_icpt, r_slope, ref) = m
    for g in range(len(group_type)):
        t = group_type[g]
        total = 0.0
        for i in range(group_start[g], group_start[g + 1]):
            delta = score_mean[t] + score_sd[t] * _two_draws(tables)[0] - ref
            total += math.exp(i_icpt[t] + i_slope[t] * delta)
            cum[i] = total
            rank_logit[i] = r_icpt[t] + r_slope[t] * delta
        group_total[g] = total


@_jitable
def _sample_interviews(
    j: int, slots: int, group_start: Any, factor: Any, cum: Any, group_total: Any, last: Any, out: Any, k: int
) -> int:
    """Fill program ``j``'s slots without replacement; write competitor ids to ``out[k:]``; return new k."""
    n_groups = len(group_total)
    weights = np.empty(n_groups)
    total = 0.0
    for g in range(n_groups):
        weights[g] = group_total[g] * factor[g, j]
        total += weights[g]
    drawn, tries = 0, 0
    while drawn < slots and tries < 30 * slots + 100 and total > 0:
        tries += 1
        target = np.random.random() * total
        g = 0
        while g < n_groups - 1 and target >= weights[g]:
            target -= weights[g]
            g += 1
        lo, hi = group_start[g], group_start[g + 1] - 1
        # the leftover of the same uniform is uniform within group g (saves a draw)
        inside = min(target / weights[g], 1.0) * group_total[g]
        while lo < hi:
            mid = (lo + hi) >> 1
            if cum[mid] < inside:
                lo = mid + 1
            else:
                hi = mid
        if last[lo] != j:
            last[lo] = j
            out[k] = lo
            k += 1
            drawn += 1
    return k


@_jitable
def _sort_by_utility(progs: Any, util: Any, ranks: Any, lo: int, hi: int) -> None:
    """Insertion sort of one rank list segment, most preferred (largest utility) first."""
    for a in range(lo + 1, hi):
        p, u, r = progs[a], util[a], ranks[a]
        b = a - 1
        while b >= lo and util[b] < u:
            progs[b + 1], util[b + 1], ranks[b + 1] = progs[b], util[b], ranks[b]
            b -= 1
        progs[b + 1], util[b + 1], ranks[b + 1] = p, u, r


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
    np.random.seed(seed)
    desirability_sd, preference_sd, home_bonus, max_ranks = prefs
    tables = NOISE_TABLES
    n, n_prog = group_start[-1], len(capacity)
    cum, rank_logit = np.empty(n), np.empty(n)
    group_total = np.empty(len(group_region))
    _draw_competitors(m, tables, cum, group_total, rank_logit)
    shared = np.empty(n_prog)
    user_value = np.empty(n_prog, dtype=np.int32)
    for j in range(n_prog):
        normal, logistic = _two_draws(tables)
        shared[j] = desirability[j] + desirability_sd * normal
        user_value[j] = _program_rank_value(user_logit[j] + logistic)
    edge_app = np.empty(interviews.sum(), dtype=np.int32)
    edge_prog = np.empty(interviews.sum(), dtype=np.int32)
    last = np.full(n, -1, dtype=np.int32)
    k = 0
    for j in range(n_prog):
        start = k
        k = _sample_interviews(j, interviews[j], group_start, factor, cum, group_total, last, edge_app, k)
        edge_prog[start:k] = j
    region = np.empty(n, dtype=np.int32)
    for g in range(len(group_region)):
        region[group_start[g] : group_start[g + 1]] = group_region[g]
    indptr, progs, ranks = _competitor_lists(
        n,
        k,
        edge_app,
        edge_prog,
        region,
        rank_logit,
        shared,
        program_region,
        preference_sd,
        home_bonus,
        max_ranks,
        tables,
    )
    for li in range(user_lists.shape[0]):
        length = user_lengths[li]
        full_progs = np.concatenate((progs, user_lists[li, :length]))
        full_ranks = np.empty(len(full_progs), dtype=np.int32)
        full_ranks[: len(ranks)] = ranks
        for e in range(length):
            full_ranks[len(ranks) + e] = user_value[user_lists[li, e]]
        full_indptr = np.empty(n + 2, dtype=np.int32)
        full_indptr[: n + 1] = indptr
        full_indptr[n + 1] = indptr[n] + length
        assignment = np.full(n + 1, -1, dtype=np.int32)
        _deferred_acceptance_jit(full_indptr, full_progs, full_ranks, capacity, assignment)
        out[li] = UNMATCHED
        for e in range(length):
            if user_lists[li, e] == assignment[n]:
                out[li] = e


@_jitable
def _competitor_lists(
    n: int,
    k: int,
    edge_app: Any,
    edge_prog: Any,
    region: Any,
    rank_logit: Any,
    shared: Any,
    program_region: Any,
    preference_sd: float,
    home_bonus: float,
    max_ranks: int,
    tables: Any,
) -> tuple[Any, Any, Any]:
    """Group interview edges by competitor, order each list by utility, keep ``max_ranks``; CSR out."""
    count = np.zeros(n + 1, dtype=np.int32)
    for e in range(k):
        count[edge_app[e] + 1] += 1
    for i in range(n):
        count[i + 1] += count[i]
    fill = count[:n].copy()
    progs = np.empty(k, dtype=np.int32)
    util = np.empty(k)
    ranks = np.empty(k, dtype=np.int32)
    for e in range(k):
        i, j = edge_app[e], edge_prog[e]
        slot = fill[i]
        fill[i] += 1
        progs[slot] = j
        bonus = home_bonus if program_region[j] == region[i] else 0.0
        normal, logistic = _two_draws(tables)
        util[slot] = shared[j] + bonus + preference_sd * normal
        ranks[slot] = _program_rank_value(rank_logit[i] + logistic)
    indptr = np.zeros(n + 1, dtype=np.int32)
    w = 0
    for i in range(n):
        lo, hi = count[i], count[i + 1]
        _sort_by_utility(progs, util, ranks, lo, hi)
        keep = min(hi - lo, max_ranks)
        for a in range(keep):
            progs[w + a], ranks[w + a] = progs[lo + a], ranks[lo + a]
        w += keep
        indptr[i + 1] = w
    return indptr, progs[:w].copy(), ranks[:w].copy()


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
    """Run :func:`_one_run` for every seed; ``out[r, l]`` = the user's outcome in run r with list l."""
    for r in range(len(seeds)):
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


_many_runs_jit = _compiled(_many_runs)


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
