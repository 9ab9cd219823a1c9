"""The recommendation's signal placement for every prefix of a list at once (same result, one pass per round).

`smartpick.domain.chances.application_list.signals_for_list` places signals greedily on each prefix of the
nested list, one prefix after another (``size`` prefixes x ``count`` rounds of `signal_gains`), and keeps a
prefix's placement only when it beats the previous one. The advice re-chooses lists for many changed
profiles, so here the greedy placement of every prefix runs as one ``(prefixes, programs)`` array per round:
the same element-wise arithmetic and the same sequential running products and sums along each row, the
first largest gain picked in each row, so the placements are the same (a test compares the two on random
lists and on the recommendations of real profiles). The choice between a prefix's own placement and the
previous one is then made exactly as there, with the same `expected_utility` (skipped when both place the
same signals, whose expected utility is then the same number, so the previous placement stays, as there).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.chances.application_list import (
    FloatArray,
    expected_utility,
    preference_order,
    with_signals,
)

_F_MAX = 1.0 - 1e-12  # the cap `signal_gains` puts on f (a sure match would divide by zero)


def _gains(current: FloatArray, fsig: FloatArray, us: FloatArray, chosen: NDArray[np.bool_]) -> FloatArray:
    """`signal_gains` of every row, all arrays already in preference order (rows = prefixes)."""
    fs = np.where(chosen, np.minimum(current, _F_MAX), 0.0)
    ones = np.ones((fs.shape[0], 1))
    above = np.concatenate((ones, np.cumprod(1.0 - fs, axis=1)[:, :-1]), axis=1)
    contrib = us * fs * above
    tail = np.cumsum(contrib[:, ::-1], axis=1)[:, ::-1][:, 1:]
    below = np.concatenate((tail, np.zeros((fs.shape[0], 1))), axis=1) / (1.0 - fs)
    return np.where(chosen, (fsig - current) * (us * above - below), -np.inf)


def greedy_placements(
    order: Sequence[int], f: FloatArray, f_signalled: FloatArray, u: FloatArray, size: int, count: int
) -> list[tuple[int, ...]]:
    """`place_signals` on each prefix ``order[:k + 1]`` (k < ``size``), all prefixes in one pass per round."""
    rank = preference_order(u)
    k = min(size, len(order))
    position = np.empty(f.size, dtype=np.intp)
    position[rank] = np.arange(f.size)
    chosen = np.zeros((k, f.size), dtype=bool)
    for row, j in enumerate(order[:k]):
        chosen[row:, position[j]] = True
    current = np.tile(f[rank], (k, 1))
    fsig = np.tile(f_signalled[rank], (k, 1))
    placed: list[list[int]] = [[] for _ in range(k)]
    _rounds(current, fsig, u[rank], chosen, count, (rank, position), placed)
    return [tuple(row) for row in placed]


def _rounds(
    current: FloatArray,
    fsig: FloatArray,
    us: FloatArray,
    chosen: NDArray[np.bool_],
    count: int,
    ranks: tuple[NDArray[np.intp], NDArray[np.intp]],
    placed: list[list[int]],
) -> None:
    """Each round: every row still placing signals its best program (a row stops at a gain <= 0).

    The best program is the first largest gain in catalogue order, as `place_signals` picks it; ``ranks``
    maps preference positions to program indices and back.
    """
    rank, position = ranks
    active = np.ones(current.shape[0], dtype=bool)
    rows = np.arange(current.shape[0])
    gains = np.empty_like(current)
    for _ in range(count):
        gains[:, rank] = _gains(current, fsig, us, chosen)
        best = np.argmax(gains, axis=1)
        top = gains[rows, best]
        active &= np.isfinite(top) & (top > 0)
        if not active.any():
            return
        live, picks = rows[active], best[active]
        current[live, position[picks]] = fsig[live, position[picks]]
        for r, j in zip(live.tolist(), picks.tolist(), strict=True):
            placed[r].append(j)


def signals_for_list(
    order: Sequence[int], f: FloatArray, f_signalled: FloatArray, u: FloatArray, size: int, count: int
) -> tuple[int, ...]:
    """The signals `application_list.signals_for_list` places on ``order[:size]`` (same rule, same result)."""
    greedy = greedy_placements(order, f, f_signalled, u, size, count)
    chosen = np.zeros(f.size, dtype=bool)
    best: tuple[int, ...] = ()
    for k, fresh_signals in enumerate(greedy):
        chosen[order[k]] = True
        if set(fresh_signals) == set(best):  # the same signals in another order: the same E[utility]
            continue
        idx = np.flatnonzero(chosen)
        kept = expected_utility(with_signals(f, f_signalled, best)[idx], u[idx])
        fresh = expected_utility(with_signals(f, f_signalled, fresh_signals)[idx], u[idx])
        best = fresh_signals if fresh > kept + 1e-12 else best
    return best
