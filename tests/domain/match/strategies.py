"""Hypothesis strategies for random match markets (small enough for brute-force checks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from smartpick.domain.match.arrays import ADVANCED, CATEGORICAL, PGY1, MatchMarket, build_market


@dataclass(frozen=True)
class Lists:
    """A market as plain lists (handy for re-building with one applicant's list changed)."""

    applicant_rols: list[list[int]]
    program_rols: list[list[int]]
    capacity: list[int]

    def market(self) -> MatchMarket:
        """Build the array form."""
        return build_market(self.applicant_rols, self.program_rols, self.capacity)


@st.composite
def _ordered_subset(draw: st.DrawFn, n: int, max_size: int) -> list[int]:
    return draw(st.lists(st.integers(0, n - 1), unique=True, max_size=min(n, max_size)))


@st.composite
def singles_lists(
    draw: st.DrawFn, max_applicants: int = 8, max_programs: int = 5, max_rank: int = 4, max_capacity: int = 3
) -> Lists:
    """Random singles-only market; programs may rank applicants who did not rank them and vice versa."""
    n_app = draw(st.integers(1, max_applicants))
    n_prog = draw(st.integers(1, max_programs))
    rols = [draw(_ordered_subset(n_prog, max_rank)) for _ in range(n_app)]
    program_rols = [draw(st.permutations(range(n_app))) for _ in range(n_prog)]
    keep = [draw(st.floats(0.5, 1.0)) for _ in range(n_prog)]
    program_rols = [rol[: max(1, round(len(rol) * k))] for rol, k in zip(program_rols, keep, strict=True)]
    capacity = [draw(st.integers(0, max_capacity)) for _ in range(n_prog)]
    return Lists(rols, program_rols, capacity)


def singles_markets(**kwargs: int) -> st.SearchStrategy[MatchMarket]:
    """Random singles-only :class:`MatchMarket` (see :func:`singles_lists`)."""
    return singles_lists(**kwargs).map(Lists.market)


@st.composite
def supplemental_markets(draw: st.DrawFn, max_applicants: int = 8) -> MatchMarket:
    """Markets with categorical, advanced and pgy1 programs and supplemental lists on advanced ranks."""
    extra = draw(st.lists(st.sampled_from([CATEGORICAL, ADVANCED, PGY1]), max_size=2))
    tracks = [CATEGORICAL, ADVANCED, ADVANCED, PGY1, PGY1, PGY1, *extra]
    n_prog, n_app = len(tracks), draw(st.integers(1, max_applicants))
    pgy1 = [p for p, t in enumerate(tracks) if t == PGY1]
    rols = [draw(_ordered_subset(n_prog, 4)) for _ in range(n_app)]
    supplemental = {}
    for a, rol in enumerate(rols):
        for p in rol:
            if tracks[p] == ADVANCED and draw(st.booleans()):
                supplemental[(a, p)] = draw(
                    st.lists(st.sampled_from(pgy1), unique=True, min_size=1, max_size=3)
                )
    program_rols = [draw(st.permutations(range(n_app))) for _ in range(n_prog)]
    capacity = [draw(st.integers(0, 2)) for _ in range(n_prog)]
    return build_market(rols, program_rols, capacity, tracks=tracks, supplemental=supplemental)


@st.composite
def couples_markets(draw: st.DrawFn, max_singles: int = 6, max_couples: int = 2) -> MatchMarket:
    """Singles plus a few couples ranking pairs (null allowed on one side)."""
    n_single = draw(st.integers(0, max_singles))
    n_couples = draw(st.integers(1, max_couples))
    n_app, n_prog = n_single + 2 * n_couples, draw(st.integers(2, 5))
    rols = [draw(_ordered_subset(n_prog, 3)) for _ in range(n_single)] + [[] for _ in range(2 * n_couples)]
    side = st.one_of(st.just(-1), st.integers(0, n_prog - 1))
    couples = []
    for c in range(n_couples):
        pairs = draw(st.lists(st.tuples(side, side), unique=True, min_size=1, max_size=5))
        couples.append(((n_single + 2 * c, n_single + 2 * c + 1), pairs))
    program_rols = [draw(st.permutations(range(n_app))) for _ in range(n_prog)]
    capacity = [draw(st.integers(0, 2)) for _ in range(n_prog)]
    return build_market(rols, program_rols, capacity, couples=couples)


def synthetic_nrmp_market(
    rng: np.random.Generator | int | None, n_singles: int = 300, n_couples: int = 10, n_programs: int = 40
) -> MatchMarket:
    """A seeded PM&R-like market: a third of programs advanced (with PGY-1 programs beside them),
    correlated preferences, supplemental lists on most advanced ranks, and couples ranking pairs.
    """
    rng = np.random.default_rng(rng)
    tracks = rng.choice([CATEGORICAL, ADVANCED, PGY1], size=n_programs, p=[0.4, 0.3, 0.3])
    desirability = rng.normal(size=n_programs)
    pgy1 = np.flatnonzero(tracks == PGY1)
    n_app = n_singles + 2 * n_couples

    def top(k: int, pool: np.ndarray) -> list[int]:
        utility = desirability[pool] + rng.normal(size=len(pool))
        return [int(p) for p in pool[np.argsort(-utility)[:k]]]

    primary = np.flatnonzero(tracks != PGY1)
    rols = [top(8, primary) + top(2, pgy1) for _ in range(n_singles)] + [[] for _ in range(2 * n_couples)]
    supplemental = {
        (a, p): top(3, pgy1)
        for a in range(n_singles)
        for p in rols[a]
        if tracks[p] == ADVANCED and rng.random() < 0.8
    }
    couples = [
        (
            (n_singles + 2 * c, n_singles + 2 * c + 1),
            list(dict.fromkeys(zip(top(6, primary), top(6, primary), strict=False))),
        )
        for c in range(n_couples)
    ]
    strength = rng.normal(size=n_app)
    program_rols = [
        [int(a) for a in np.argsort(-(strength + rng.normal(scale=0.7, size=n_app)))[: int(n_app * 0.6)]]
        for _ in range(n_programs)
    ]
    capacity = rng.integers(1, 8, size=n_programs).tolist()
    return build_market(
        rols, program_rols, capacity, tracks=tracks.tolist(), supplemental=supplemental, couples=couples
    )


@st.composite
def couples_supplemental_markets(draw: st.DrawFn, max_singles: int = 6, max_couples: int = 3) -> MatchMarket:
    """Singles with supplemental lists on advanced ranks, plus couples ranking pairs of any track."""
    extra = draw(st.lists(st.sampled_from([CATEGORICAL, ADVANCED, PGY1]), max_size=2))
    tracks = [CATEGORICAL, ADVANCED, PGY1, PGY1, *extra]
    n_prog, n_single = len(tracks), draw(st.integers(0, max_singles))
    n_couples = draw(st.integers(1, max_couples))
    n_app = n_single + 2 * n_couples
    pgy1 = [p for p, t in enumerate(tracks) if t == PGY1]
    rols = [draw(_ordered_subset(n_prog, 4)) for _ in range(n_single)] + [[] for _ in range(2 * n_couples)]
    supplemental = {
        (a, p): draw(st.lists(st.sampled_from(pgy1), unique=True, min_size=1, max_size=2))
        for a, rol in enumerate(rols)
        for p in rol
        if tracks[p] == ADVANCED and draw(st.booleans())
    }
    side = st.one_of(st.just(-1), st.integers(0, n_prog - 1))
    couples = [
        (
            (n_single + 2 * c, n_single + 2 * c + 1),
            draw(st.lists(st.tuples(side, side), unique=True, min_size=1, max_size=5)),
        )
        for c in range(n_couples)
    ]
    program_rols = [draw(st.permutations(range(n_app))) for _ in range(n_prog)]
    keep = [draw(st.floats(0.5, 1.0)) for _ in range(n_prog)]
    program_rols = [rol[: max(1, round(len(rol) * k))] for rol, k in zip(program_rols, keep, strict=True)]
    capacity = [draw(st.integers(0, 2)) for _ in range(n_prog)]
    return build_market(
        rols, program_rols, capacity, tracks=tracks, supplemental=supplemental, couples=couples
    )
