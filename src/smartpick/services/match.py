"""Match services: run a JSON match instance, and simulate a user's rank list on synthetic markets."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.data.figures import bundled_figures
from smartpick.domain.chances import applicant_terms, sigmoid
from smartpick.domain.match.market import SyntheticMarket, build_synthetic_market, user_rank_logits
from smartpick.domain.match.simulate import UserLists, chunks, run_seeds, spawn_seeds
from smartpick.domain.match.summary import ListOutcome, Reordering, compare_orders, list_outcome
from smartpick.domain.programs import Catalogue
from smartpick.errors import InputError
from smartpick.services.match_instance import InstanceInputError, MatchRun, run_instance_file
from smartpick.services.profiles import load_profile
from smartpick.services.ranking import load_rank_list

MAX_RUNS = 200_000
"""Simulated markets per command (about 30 s on two cores): more adds no precision worth the wait."""
MAX_WORKERS = 64
MAX_SEED = 2**63 - 1
"""Seeds are non-negative 63-bit integers (NumPy's SeedSequence takes no negative entropy)."""


__all__ = ["InstanceInputError", "MatchRun", "run_instance_file"]  # re-exported (``match run``)


@dataclass(frozen=True)
class SimulationSetup:
    """Everything a simulation needs, resolved from the user's files."""

    market: SyntheticMarket
    user: UserLists
    true_order: tuple[str, ...]
    safest_first: tuple[str, ...]
    supplemental: dict[str, int]
    pgy1_each: float
    merged: tuple[str, ...]


@dataclass(frozen=True)
class SimulationReport:
    """``match simulate`` results: the list as ranked, the list reordered safest first, and PGY-1 odds."""

    setup: SimulationSetup
    runs: int
    seed: int | None
    ranked: ListOutcome
    safest: ListOutcome
    reordering: Reordering


def prepare_simulation(profile_path: Path, rank_list_path: Path, catalogue: Catalogue) -> SimulationSetup:
    """Read the profile and rank list and build the synthetic market and the user's two lists.

    Ranks naming two tracks of one catalogue program are merged into the first (the market has one
    position pool per program); they are listed in ``merged``.
    """
    profile = load_profile(profile_path, catalogue)
    rank_list = load_rank_list(rank_list_path, catalogue)
    figures = bundled_figures()
    market = build_synthetic_market(catalogue, figures, profile)
    order: list[str] = []
    supplemental: dict[str, int] = {}
    merged: list[str] = []
    for entry in rank_list.rank:
        program = catalogue.get(entry.program)
        assert program is not None  # load_rank_list checked every id
        if program.id in order:
            merged.append(entry.program)
            continue
        order.append(program.id)
        if entry.supplemental:
            supplemental[program.id] = len(entry.supplemental)
    logits = user_rank_logits(market, catalogue, figures, profile)
    index = [market.index_of(p) for p in order]
    safest = sorted(range(len(order)), key=lambda k: -logits[index[k]])
    base = applicant_terms(profile, figures)
    return SimulationSetup(
        market=market,
        user=UserLists((tuple(index), tuple(index[k] for k in safest)), logits),
        true_order=tuple(order),
        safest_first=tuple(order[k] for k in safest),
        supplemental=supplemental,
        pgy1_each=sigmoid(base.rank_base + figures.pgy1.logit_offset),
        merged=tuple(merged),
    )


def _run_batches(
    setup: SimulationSetup,
    batches: Sequence[NDArray[np.uint32]],
    workers: int,
    engine: str,
    progress: Callable[[int], None],
) -> list[NDArray[np.int32]]:
    if engine == "ray":
        return _run_ray(setup, batches, progress)
    with _numba_threads(workers):
        results = []
        for batch in batches:
            results.append(run_seeds(setup.market, setup.user, batch))
            progress(len(batch))
        return results


@contextmanager
def _numba_threads(workers: int) -> Iterator[None]:
    """Run the compiled runs on ``workers`` threads (capped at numba's pool size) in this process.

    Threads instead of spawned processes: no start-up cost, and every run owns its random stream, so
    the outcomes are the same for any thread count.
    """
    try:
        import numba
    except ImportError:  # pragma: no cover - the interpreted fallback runs on one thread
        yield
        return
    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(workers, numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        numba.set_num_threads(before)


def _run_ray(
    setup: SimulationSetup, batches: Sequence[NDArray[np.uint32]], progress: Callable[[int], None]
) -> list[NDArray[np.int32]]:
    try:
        import ray  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise InputError(
            "--engine", "ray", "an installed Ray (pip install 'smartpick[ray]'), or --engine local"
        ) from None
    if not ray.is_initialized():
        ray.init(ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(run_seeds)
    market, user = ray.put(setup.market), ray.put(setup.user)
    refs = [remote.remote(market, user, batch) for batch in batches]
    results = []
    for ref, batch in zip(refs, batches, strict=True):
        results.append(ray.get(ref))
        progress(len(batch))
    return results


def simulate(
    profile_path: Path,
    rank_list_path: Path,
    *,
    catalogue: Catalogue,
    runs: int = 2000,
    seed: int | None = None,
    workers: int = 1,
    engine: str = "local",
    progress: Callable[[int], None] | None = None,
) -> SimulationReport:
    """Simulate ``runs`` PM&R markets and the user's rank list in each (as ranked and safest first).

    Per-run seeds are drawn here from ``seed`` and split into batches, so the result is the same for
    any ``workers`` and for both engines.

    Raises:
        InputError: Bad files, ``runs``, ``workers`` or ``seed`` out of range, or Ray asked for but not
            installed.
    """
    if not 1 <= runs <= MAX_RUNS:
        raise InputError("--runs", runs, f"a whole number from 1 to {MAX_RUNS:,}")
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError("--workers", workers, f"a whole number from 1 to {MAX_WORKERS}")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise InputError("--seed", seed, f"a whole number from 0 to {MAX_SEED}")
    if engine not in ("local", "ray"):
        raise InputError("--engine", engine, "local or ray")
    setup = prepare_simulation(profile_path, rank_list_path, catalogue)
    seeds = spawn_seeds(seed, runs)
    if engine == "ray":
        batches = chunks(seeds, max(1, min(runs // 250, 40), workers))
    else:  # batches only pace the progress bar; the threads split each batch
        batches = chunks(seeds, max(1, min(runs // 500, 20)))
    outcomes = np.concatenate(_run_batches(setup, batches, workers, engine, progress or (lambda _: None)))
    ranked = list_outcome(setup.true_order, outcomes[:, 0])
    safest = list_outcome(setup.safest_first, outcomes[:, 1])
    reordering = compare_orders(setup.true_order, setup.safest_first, outcomes[:, 0], outcomes[:, 1])
    return SimulationReport(setup, runs, seed, ranked, safest, reordering)
