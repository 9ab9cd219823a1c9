"""Signal placement for a list: every prefix placed at once gives exactly the one-prefix-at-a-time rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.domain.chances import application_list as al


@st.composite
def lists(draw: st.DrawFn) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray, int, int]:
    m = draw(st.integers(1, 40))
    unit = st.floats(0.0, 1.0, allow_nan=False)
    f = np.array(draw(st.lists(unit, min_size=m, max_size=m)))
    lift = np.array(draw(st.lists(st.floats(1.0, 3.0), min_size=m, max_size=m)))
    digits = draw(st.integers(0, 3))  # few digits: tied utilities, tied gains
    u = np.round(np.array(draw(st.lists(unit, min_size=m, max_size=m))), digits)
    order = draw(st.permutations(list(range(m))))
    return order, f, np.minimum(1.0, f * lift), u, draw(st.integers(0, m)), draw(st.integers(0, 9))


def _one_program_at_a_time(
    f: np.ndarray, fs: np.ndarray, u: np.ndarray, chosen: np.ndarray, count: int
) -> list[int]:
    """The greedy rule written out: signal the first largest exact E[utility] gain while it is positive."""
    current, placed = f.copy(), []
    for _ in range(count):
        base = al.expected_utility(current[chosen], u[chosen])
        gains = [
            al.expected_utility(np.where(np.arange(f.size) == j, fs, current)[chosen], u[chosen]) - base
            if chosen[j] and j not in placed
            else -np.inf
            for j in range(f.size)
        ]
        j = int(np.argmax(gains))
        if not gains[j] > 1e-12:
            break
        placed.append(j)
        current[j] = fs[j]
    return placed


def _one_prefix_at_a_time(
    order: Sequence[int], f: np.ndarray, fs: np.ndarray, u: np.ndarray, size: int, count: int
) -> tuple[tuple[int, ...], float]:
    """The rule as stated: each prefix keeps the better of its own greedy placement and the previous one."""
    chosen = np.zeros(f.size, dtype=bool)
    best: tuple[int, ...] = ()
    best_eu = 0.0
    for k in range(min(size, len(order))):
        chosen[order[k]] = True
        idx = np.flatnonzero(chosen)
        kept = al.expected_utility(al.with_signals(f, fs, best)[idx], u[idx])
        greedy = al.place_signals(f, fs, u, chosen, count)
        fresh = al.expected_utility(al.with_signals(f, fs, greedy)[idx], u[idx])
        best, best_eu = (greedy, fresh) if fresh > kept + 1e-12 else (best, kept)
    return best, best_eu


@settings(max_examples=300, deadline=None)
@given(lists())
def test_all_prefixes_at_once_place_what_one_prefix_at_a_time_places(
    case: tuple[list[int], np.ndarray, np.ndarray, np.ndarray, int, int],
) -> None:
    order, f, f_sig, u, size, count = case
    assert al.signals_for_list(order, f, f_sig, u, size, count) == _one_prefix_at_a_time(
        order, f, f_sig, u, size, count
    )


@settings(max_examples=200, deadline=None)
@given(lists())
def test_each_round_signals_the_largest_exact_gain(
    case: tuple[list[int], np.ndarray, np.ndarray, np.ndarray, int, int],
) -> None:
    order, f, f_sig, u, size, count = case
    chosen = np.zeros(f.size, dtype=bool)
    chosen[order[:size]] = True
    placed = al.place_signals(f, f_sig, u, chosen, count)
    expected = _one_program_at_a_time(f, f_sig, u, chosen, count)
    # the closed-form gains and the brute-force differences agree to rounding: same picks, or a near-tie
    assert len(placed) <= count and set(placed) <= set(np.flatnonzero(chosen).tolist())
    value = al.expected_utility(al.with_signals(f, f_sig, placed)[chosen], u[chosen])
    best = al.expected_utility(al.with_signals(f, f_sig, expected)[chosen], u[chosen])
    assert abs(value - best) <= 1e-9 or tuple(expected) == placed
