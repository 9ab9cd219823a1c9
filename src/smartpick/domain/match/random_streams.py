"""Per-run random streams and O(1) weighted sampling for the market simulation (numba-compiled).

Each simulated market has its own xoshiro128** generator seeded from a 32-bit seed drawn in the parent, so
results do not depend on how runs are split across threads. Noise is drawn by indexing quantile tables with
random bits, and weighted choices use Walker's alias method (Vose's construction): one uniform per draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.match.jit import jitable

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


_M32 = 0xFFFFFFFF


@jitable
def _seed_state(seed: int) -> Any:
    """xoshiro128** state (four 32-bit words in int64) from a 32-bit seed, via a 32-bit integer hash."""
    state = np.empty(4, dtype=np.int64)
    for w in range(4):
        x = (seed + (w + 1) * 0x9E3779B9) & _M32
        x = (((x >> 16) ^ x) * 0x45D9F3B) & _M32
        x = (((x >> 16) ^ x) * 0x45D9F3B) & _M32
        state[w] = (x >> 16) ^ x
    if state[0] == 0 and state[1] == 0 and state[2] == 0 and state[3] == 0:
        state[0] = 1
    return state


@jitable
def _next32(s: Any) -> int:
    """Next 32-bit output of xoshiro128** (Blackman & Vigna); int64 words, so no overflow anywhere.

    Inline and per run (a few ns a draw): each run owns its stream, whichever thread runs it.
    """
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    x = (s1 * 5) & _M32
    result = ((((x << 7) | (x >> 25)) & _M32) * 9) & _M32
    t = (s1 << 9) & _M32
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s[0], s[1], s[2], s[3] = s0, s1, s2, ((s3 << 11) | (s3 >> 21)) & _M32
    return int(result)


@jitable
def _uniform(s: Any) -> float:
    """Uniform on [0, 1) with 32 random bits."""
    return _next32(s) * (1.0 / 4294967296.0)


@jitable
def _two_draws(tables: Any, s: Any) -> tuple[float, float]:
    """One 32-bit draw -> a standard normal and a standard logistic draw (two 12-bit table indexes)."""
    u = _next32(s)
    return tables[0, u >> 20], tables[1, (u >> 8) & (_TABLE_SIZE - 1)]


@jitable
def _build_alias(weight: Any, lo: int, hi: int, prob: Any, alias: Any, stack: Any) -> None:
    """Walker/Vose alias table over ``weight[lo:hi]`` (indices absolute), for O(1) weighted draws."""
    n = hi - lo
    total = 0.0
    for i in range(lo, hi):
        total += weight[i]
    small, large = 0, n  # small entries grow from stack[0], large ones down from stack[n - 1]
    for i in range(lo, hi):
        prob[i] = weight[i] * n / total if total > 0 else 1.0
        alias[i] = i
        if prob[i] < 1.0:
            stack[small] = i
            small += 1
        else:
            large -= 1
            stack[large] = i
    while small > 0 and large < n:
        small -= 1
        lo_i, hi_i = stack[small], stack[large]
        alias[lo_i] = hi_i
        prob[hi_i] += prob[lo_i] - 1.0
        if prob[hi_i] < 1.0:
            large += 1
            stack[small] = hi_i
            small += 1
    for a in range(small):
        prob[stack[a]] = 1.0  # rounding leftovers
    for a in range(large, n):
        prob[stack[a]] = 1.0


@jitable
def _alias_draw(prob: Any, alias: Any, lo: int, n: int, s: Any) -> int:
    """One draw from the alias table over ``[lo, lo + n)`` with one uniform (column, then coin)."""
    x = _uniform(s) * n
    col = min(int(x), n - 1)
    return lo + col if x - col < prob[lo + col] else alias[lo + col]
