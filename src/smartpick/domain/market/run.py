"""Run many simulated markets (numba threads, one random stream per run) and collect what they produced."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.market import layout as L
from smartpick.domain.market.build import FloatArray, MarketArrays
from smartpick.domain.market.kernel import UNMATCHED, many_runs


@dataclass(frozen=True, eq=False)
class UserEntry:
    """The user in the simulated markets: lists over program indices and their scores.

    Attributes:
        lists: Program indices per list, in the user's rank order.
        interview_score: The user's interview score (without noise) per list entry (signal included).
        rank_score: The user's rank score (without noise) per program.
        forced: True when every listed program interviews the user (a rank list after interviews).
        visa: Per program: 1 = no visa needed or a usable one sponsored, 0 = none usable (the program passes
            the user over), 2 = unknown (sponsors in a market with the share the market draws).
        shared: Consecutive lists that share the user's noise (2 to compare two orders of one list).
    """

    lists: tuple[tuple[int, ...], ...]
    interview_score: tuple[tuple[float, ...], ...]
    rank_score: FloatArray
    forced: bool
    visa: NDArray[np.int8]
    shared: int = 1

    def arrays(self) -> tuple[object, ...]:
        """The tuple the kernel takes."""
        width = max([len(x) for x in self.lists] + [1])
        lists = np.full((max(len(self.lists), 1), width), -1, dtype=np.int32)
        score = np.zeros((max(len(self.lists), 1), width))
        for i, (lst, xs) in enumerate(zip(self.lists, self.interview_score, strict=True)):
            lists[i, : len(lst)] = lst
            score[i, : len(xs)] = xs
        lengths = np.asarray([len(x) for x in self.lists] or [0], dtype=np.int32)
        return (
            lists,
            lengths,
            score,
            np.asarray(self.rank_score, dtype=np.float64),
            self.forced,
            np.asarray(self.visa, dtype=np.int8),
            max(self.shared, 1),
        )


def no_user(n_programs: int) -> UserEntry:
    """A market without the user."""
    return UserEntry((), (), np.zeros(n_programs), False, np.ones(n_programs, dtype=np.int8))


@dataclass(frozen=True, eq=False)
class MarketRuns:
    """Per run: statistics, each program's threshold and cutoff, the user's outcome, and visa sponsorship.

    ``sponsors[r, j]`` says whether program ``j`` sponsored a visa in run ``r``; ``pgy1_cutoffs[r, k]`` is the
    rank score of the last applicant PGY-1 program ``k`` of the pool holds (open when it has a free seat).
    """

    stats: FloatArray
    thresholds: NDArray[np.float32]
    cutoffs: NDArray[np.float32]
    user: NDArray[np.int32]
    sponsors: NDArray[np.bool_]
    pgy1_cutoffs: NDArray[np.float32]


def run_markets(
    arrays: MarketArrays,
    pv: FloatArray,
    seeds: NDArray[np.uint32],
    user: UserEntry | None = None,
    *,
    chains: bool = False,
) -> MarketRuns:
    """Simulate one market per seed (see :mod:`.kernel`); the same seed gives the same market anywhere.

    With ``chains`` the cutoffs include the rejection chains a newcomer sets off (what the per-program
    tables need; slower).
    """
    user = user or no_user(arrays.n_programs)
    runs, n_prog = len(seeds), arrays.n_programs
    stats = np.zeros((runs, L.N_STATS))
    thr = np.zeros((runs, n_prog))
    cut = np.zeros((runs, n_prog))
    out = np.full((runs, max(len(user.lists), 1)), UNMATCHED, dtype=np.int32)
    spon = np.zeros((runs, n_prog), dtype=np.bool_)
    p1cut = np.zeros((runs, len(arrays.pgy1_capacity)))
    many_runs(
        np.asarray(seeds, dtype=np.int64),
        arrays.fixed,
        pv,
        user.arrays(),
        stats,
        thr,
        cut,
        out,
        spon,
        p1cut,
        chains,
    )
    return MarketRuns(
        stats,
        thr.astype(np.float32),
        cut.astype(np.float32),
        out[:, : len(user.lists)],
        spon,
        p1cut.astype(np.float32),
    )


def spawn_seeds(rng: np.random.Generator | int | None, runs: int) -> NDArray[np.uint32]:
    """Per-run 32-bit seeds drawn in the parent, so any split of runs across workers is identical."""
    return np.random.default_rng(rng).integers(0, 2**32 - 1, size=runs, dtype=np.uint32)


def chunks(seeds: NDArray[np.uint32], parts: int) -> Sequence[NDArray[np.uint32]]:
    """Split seeds into ``parts`` contiguous batches (order kept)."""
    return [c for c in np.array_split(seeds, max(parts, 1)) if len(c)]
