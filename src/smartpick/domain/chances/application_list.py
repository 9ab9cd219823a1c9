"""Which programs to apply to: the exact outcome of a list and the list that maximises expected utility.

Model (the college application problem, Kapur & Hong 2022, "The College Application Problem"): program j
gives an interview with probability p_j, independently of the others, and then ranks the applicant high enough
to match with probability q_j; write f_j = p_j * q_j. The NRMP algorithm is applicant-proposing (Roth &
Peranson 1999), so ranking in true preference order is safe: the applicant matches at the most preferred
program whose "would match" event occurs. With utilities u_j (unmatched = 0):

    P(match) = 1 - prod_j (1 - f_j)
    E[utility] = sum_j u_j f_j prod_{k preferred to j} (1 - f_k)

Because ERAS fees depend only on the number of programs per specialty, a budget is a limit on the count, and
for count limits the optimal lists are nested: the greedy algorithm that adds the program with the largest
marginal gain is exact (Kapur & Hong, Theorem on nestedness; checked against brute force in the tests).
Marginal gains are kept in O(1) per candidate per step (A = product of (1 - f) above, B = utility below), so
building lists of every size up to h over m programs costs O(h m).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
_F_MAX = 1.0 - 1e-12


class Tier(StrEnum):
    """Seed 002's list tiers, on the applicant's absolute chances at the program."""

    REACH = "reach"
    CORE = "core"
    SAFETY = "safety"


@dataclass(frozen=True)
class ListOutcome:
    """Exact outcome of applying to a list (all values are model estimates)."""

    p_any_interview: float
    interview_pmf: tuple[float, ...]
    expected_interviews: float
    p_match: float
    expected_utility: float

    def to_json_dict(self) -> dict[str, object]:
        """JSON form (the distribution as a list indexed by interview count)."""
        return {
            "p_any_interview": round(self.p_any_interview, 4),
            "interview_distribution": [round(x, 4) for x in self.interview_pmf],
            "expected_interviews": round(self.expected_interviews, 2),
            "p_match": round(self.p_match, 4),
            "expected_utility": round(self.expected_utility, 4),
            "estimate": True,
        }


def poisson_binomial(p: ArrayLike) -> FloatArray:
    """Distribution of the number of successes of independent Bernoulli(p_j) events (exact, O(n^2))."""
    pmf = np.zeros(1)
    pmf[0] = 1.0
    for pj in np.asarray(p, dtype=float):
        nxt = np.zeros(pmf.size + 1)
        nxt[:-1] += pmf * (1.0 - pj)
        nxt[1:] += pmf * pj
        pmf = nxt
    return pmf


def preference_order(u: ArrayLike) -> NDArray[np.intp]:
    """Indices by utility, most preferred first; ties by index (the applicant's rank order list)."""
    arr = np.asarray(u, dtype=float)
    return np.lexsort((np.arange(arr.size), -arr))


def expected_utility(f: ArrayLike, u: ArrayLike) -> float:
    """E[utility] when ranking the programs in true preference order."""
    fa, ua = np.asarray(f, dtype=float), np.asarray(u, dtype=float)
    order = preference_order(ua)
    fs, us = fa[order], ua[order]
    above = np.concatenate(([1.0], np.cumprod(1.0 - fs)[:-1]))
    return float(np.sum(us * fs * above))


def p_match(f: ArrayLike) -> float:
    """P(at least one program would match)."""
    return float(1.0 - np.prod(1.0 - np.asarray(f, dtype=float)))


def list_outcome(
    p_interview: ArrayLike, p_match_if_interviewed: ArrayLike, utility: ArrayLike
) -> ListOutcome:
    """Exact outcome of one list: interview count distribution, P(match), expected utility."""
    p = np.asarray(p_interview, dtype=float)
    f = p * np.asarray(p_match_if_interviewed, dtype=float)
    pmf = poisson_binomial(p)
    return ListOutcome(
        p_any_interview=float(1.0 - np.prod(1.0 - p)),
        interview_pmf=tuple(float(x) for x in pmf),
        expected_interviews=float(p.sum()),
        p_match=p_match(f),
        expected_utility=expected_utility(f, utility),
    )


@dataclass(frozen=True)
class GreedyResult:
    """Programs in the order they join the list, and the expected utility after each addition."""

    order: tuple[int, ...]
    eu: tuple[float, ...]
    binding: tuple[str, ...] = ()


def greedy_lists(
    f: ArrayLike,
    u: ArrayLike,
    limit: int,
    *,
    tiers: Sequence[Tier] | None = None,
    reach_max: float = 1.0,
    safety_min: float = 0.0,
    reach_min: float = 0.0,
    safety_max: float = 1.0,
) -> GreedyResult:
    """Nested lists of every size up to ``limit``: the first k of ``order`` is the list of size k.

    Without ``tiers`` this is Kapur & Hong's exact greedy. With ``tiers``, each step only considers programs
    that keep the list within the tier shares (reach at most ``reach_max`` and, while reach programs remain,
    at least ``reach_min`` of the list; safety at least ``safety_min`` and at most ``safety_max``, each only
    while programs of the needed tier remain); the lists stay nested, so more programs never lower P(match)
    or expected utility. ``binding`` records which rule changed a choice at each step ("" when none).

    Steps: (1) every candidate starts with A = 1, B = 0, gain = u f; (2) pick the eligible candidate with the
    largest gain; (3) update A and B of every remaining candidate (above the pick: B += gain; below it:
    A and B times 1 - f); repeat.
    """
    fa, ua = np.minimum(np.asarray(f, dtype=float), _F_MAX), np.asarray(u, dtype=float)
    m = fa.size
    limit = max(0, min(limit, m))
    rank = np.empty(m, dtype=np.intp)
    rank[preference_order(ua)] = np.arange(m)
    a, b = np.ones(m), np.zeros(m)
    free = np.ones(m, dtype=bool)
    codes = None if tiers is None else np.array([list(Tier).index(t) for t in tiers])
    order: list[int] = []
    eus: list[float] = []
    binding: list[str] = []
    total = 0.0
    counts = [0, 0, 0]
    for k in range(limit):
        gain = fa * (ua * a - b)
        best_any = _argmax_masked(gain, free)
        pick, rule = best_any, ""
        if codes is not None:
            shares = _Shares(reach_max, safety_min, reach_min, safety_max)
            mask, rule = _eligible(codes, free, counts, k + 1, shares)
            pick = _argmax_masked(gain, mask)
            rule = rule if pick != best_any else ""
            counts[codes[pick]] += 1
        g = float(gain[pick])
        total += g
        above = rank < rank[pick]
        b = np.where(above, b + g, b * (1.0 - fa[pick]))
        a = np.where(above, a, a * (1.0 - fa[pick]))
        free[pick] = False
        order.append(int(pick))
        eus.append(total)
        binding.append(rule)
    return GreedyResult(tuple(order), tuple(eus), tuple(binding))


def _argmax_masked(values: FloatArray, mask: NDArray[np.bool_]) -> int:
    return int(np.argmax(np.where(mask, values, -np.inf)))


@dataclass(frozen=True)
class _Shares:
    reach_max: float
    safety_min: float
    reach_min: float
    safety_max: float


def _eligible(
    codes: NDArray[np.intp],
    free: NDArray[np.bool_],
    counts: list[int],
    size: int,
    shares: _Shares,
) -> tuple[NDArray[np.bool_], str]:
    """Which free programs keep a list of ``size`` within the tier shares, and the rule that binds.

    Upper bounds exclude a tier once it is full; lower bounds require a tier while it is short. A bound
    is dropped when no free program could satisfy it, so the list can always grow.
    """
    reach, _, safety = (list(Tier).index(t) for t in Tier)
    mask, rule = free.copy(), ""

    def floor(share: float) -> int:
        return math.floor(share * size + 1e-9)

    for tier, share, name in ((reach, shares.reach_max, "reach"), (safety, shares.safety_max, "safety")):
        if counts[tier] + 1 > max(floor(share), 0) and share < 1 and np.any(mask & (codes != tier)):
            mask &= codes != tier
            rule = f"{name} at most {share:.0%} of the list"
    for tier, share, name in ((safety, shares.safety_min, "safety"), (reach, shares.reach_min, "reach")):
        if counts[tier] < floor(share) and np.any(mask & (codes == tier)):
            mask &= codes == tier
            rule = f"{name} at least {share:.0%} of the list"
    return mask, rule


def brute_force_best(f: ArrayLike, u: ArrayLike, size: int) -> tuple[float, tuple[int, ...]]:
    """The best list of at most ``size`` programs by exhaustive search (for tests and benchmarks)."""
    fa, ua = np.asarray(f, dtype=float), np.asarray(u, dtype=float)
    best, best_set = 0.0, tuple[int, ...]()
    for k in range(1, min(size, fa.size) + 1):
        for subset in itertools.combinations(range(fa.size), k):
            idx = list(subset)
            value = expected_utility(fa[idx], ua[idx])
            if value > best + 1e-12:
                best, best_set = value, subset
    return best, best_set


def assign_tiers(
    p_interview: ArrayLike,
    p_match: ArrayLike,
    *,
    reach_interview_max: float,
    safety_interview_min: float,
    safety_match_min: float,
) -> tuple[Tier, ...]:
    """Tier of each program on the applicant's absolute chances there (bands from the data file).

    Reach: P(interview) below ``reach_interview_max``. Safety: P(interview) at least ``safety_interview_min``
    and P(interview and match) at least ``safety_match_min``. Core otherwise.
    """
    p = np.asarray(p_interview, dtype=float)
    f = np.asarray(p_match, dtype=float)
    return tuple(
        Tier.REACH
        if pi < reach_interview_max
        else Tier.SAFETY
        if pi >= safety_interview_min and fi >= safety_match_min
        else Tier.CORE
        for pi, fi in zip(p, f, strict=True)
    )


def signal_gains(
    f: FloatArray,
    f_signalled: FloatArray,
    u: FloatArray,
    chosen: NDArray[np.bool_],
    order: NDArray[np.intp] | None = None,
) -> FloatArray:
    """Exact E[utility] gain of signalling each program of the list, given the current f (linear in f_j).

    ``f``, ``f_signalled`` and ``chosen`` may also be 2-D: one list per row (the same programs and ``u``),
    each row computed exactly as on its own. ``order``: ``preference_order(u)`` when the caller has it.
    """
    order = preference_order(u) if order is None else order
    fs = np.where(chosen, np.minimum(f, _F_MAX), 0.0)[..., order]
    us = u[order]
    above = _shifted(np.cumprod(1.0 - fs, axis=-1), 1.0, right=True)
    contrib = us * fs * above
    below = _shifted(np.cumsum(contrib[..., ::-1], axis=-1)[..., ::-1], 0.0, right=False) / (1.0 - fs)
    delta = (f_signalled - f)[..., order]
    gains_sorted = np.where(chosen[..., order], delta * (us * above - below), -np.inf)
    out = np.empty_like(gains_sorted)
    out[..., order] = gains_sorted
    return out


def _shifted(values: NDArray[np.floating[Any]], fill: float, *, right: bool) -> FloatArray:
    """``values`` moved one place along the last axis (right: [fill, v0, ...]; left: [v1, ..., fill])."""
    pad = np.full((*values.shape[:-1], 1), fill)
    parts = (pad, values[..., :-1]) if right else (values[..., 1:], pad)
    return np.concatenate(parts, axis=-1)


def place_signals(
    f: ArrayLike, f_signalled: ArrayLike, u: ArrayLike, chosen: ArrayLike, count: int
) -> tuple[int, ...]:
    """Greedy placement of ``count`` signals on the chosen programs to maximise expected utility.

    Each round signals the program with the largest exact marginal gain (a program's interview chance rises
    from f to f_signalled; near-certain and hopeless programs gain little), the first in index order on a
    tie. Wasted signals (gain <= 0) are not placed.
    """
    fa, fsig, ua = (np.asarray(x, dtype=float) for x in (f, f_signalled, u))
    mask = np.asarray(chosen, dtype=bool)[np.newaxis, :]
    return _place_rows(fa[np.newaxis, :], fsig[np.newaxis, :], ua, mask, count)[0]


def _place_rows(
    f: FloatArray, f_signalled: FloatArray, u: FloatArray, chosen: NDArray[np.bool_], count: int
) -> list[tuple[int, ...]]:
    """`place_signals` on each row of ``chosen`` (rows of ``f`` and ``f_signalled``), all rows in one pass.

    A row stops at its first round whose best gain is <= 0, as `place_signals` does.
    """
    current, order = f.copy(), preference_order(u)
    rows = np.arange(chosen.shape[0])
    active = np.ones(rows.size, dtype=bool)
    placed: list[list[int]] = [[] for _ in rows]
    for _ in range(count if rows.size else 0):
        gains = signal_gains(current, f_signalled, u, chosen, order)
        best = np.argmax(gains, axis=1)
        top = gains[rows, best]
        active &= np.isfinite(top) & (top > 0)
        if not active.any():
            break
        live, picks = rows[active], best[active]
        current[live, picks] = f_signalled[live, picks]
        for r, j in zip(live.tolist(), picks.tolist(), strict=True):
            placed[r].append(j)
    return [tuple(row) for row in placed]


def with_signals(f: ArrayLike, f_signalled: ArrayLike, signals: Sequence[int]) -> FloatArray:
    """The f vector once the given programs are signalled."""
    out = np.asarray(f, dtype=float).copy()
    idx = list(signals)
    out[idx] = np.asarray(f_signalled, dtype=float)[idx]
    return out


def signals_for_list(
    order: Sequence[int], f: ArrayLike, f_signalled: ArrayLike, u: ArrayLike, size: int, count: int
) -> tuple[tuple[int, ...], float]:
    """Signals for the list ``order[:size]`` and its E[utility]: never worse than for any shorter prefix.

    Greedy placement is not guaranteed optimal, so the placement for each prefix ``order[:k + 1]`` is the
    better of its own greedy placement (`place_signals`; all prefixes are placed at once, one row each) and
    the previous prefix's placement (still valid on the longer list). This keeps the signalled outcome
    monotone in list size, hence in budget. Two placements of the same programs have the same E[utility],
    so the previous one stays.
    """
    fa, fsig, ua = (np.asarray(x, dtype=float) for x in (f, f_signalled, u))
    k = min(size, len(order))
    prefixes = np.zeros((k, fa.size), dtype=bool)
    for row, j in enumerate(order[:k]):
        prefixes[row:, j] = True
    greedy = _place_rows(np.tile(fa, (k, 1)), np.tile(fsig, (k, 1)), ua, prefixes, count)
    best: tuple[int, ...] = ()
    for row, fresh_signals in enumerate(greedy):
        if set(fresh_signals) != set(best):
            idx = np.flatnonzero(prefixes[row])
            kept = expected_utility(with_signals(fa, fsig, best)[idx], ua[idx])
            fresh = expected_utility(with_signals(fa, fsig, fresh_signals)[idx], ua[idx])
            best = fresh_signals if fresh > kept + 1e-12 else best
    idx = np.flatnonzero(prefixes[-1]) if k else np.zeros(0, dtype=np.intp)
    return best, expected_utility(with_signals(fa, fsig, best)[idx], ua[idx])
