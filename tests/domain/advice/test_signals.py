"""The advice's all-prefixes signal placement places exactly the recommendation's signals."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.domain.advice import signals as fast
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


@settings(max_examples=300, deadline=None)
@given(lists())
def test_same_signals_as_the_recommendation(
    case: tuple[list[int], np.ndarray, np.ndarray, np.ndarray, int, int],
) -> None:
    order, f, f_sig, u, size, count = case
    expected, _ = al.signals_for_list(order, f, f_sig, u, size, count)
    assert fast.signals_for_list(order, f, f_sig, u, size, count) == expected
    greedy = fast.greedy_placements(order, f, f_sig, u, size, count)
    chosen = np.zeros(f.size, dtype=bool)
    for k, placed in enumerate(greedy):
        chosen[order[k]] = True
        assert placed == al.place_signals(f, f_sig, u, chosen, count)
