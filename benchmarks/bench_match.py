"""Time the match kernel on a PM&R-sized and (``--national``) a national-sized market.

Markets are synthetic with correlated preferences: each program has a shared desirability, each
applicant ranks the programs with the highest desirability + personal noise; programs rank every
applicant who ranked them by a shared applicant strength + program-specific noise. The seed is
fixed. Our kernel is timed as the median of many solves after JIT warm-up; the `matching`
package's resident-optimal algorithm (its player objects built beforehand, its input checks and
deep copies skipped) is timed on the same market, and the two assignments must be identical.

Usage: ``PYTHONPATH=src python benchmarks/bench_match.py [--national] [--seed N]``.
Prints one JSON line: ``{"pmr_ms", "national_ms", "matching_pmr_ms", "ratio_pmr", ...}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from smartpick.domain.match.algorithm import run_nrmp_procedure
from smartpick.domain.match.arrays import MatchMarket, build_market
from smartpick.domain.match.kernel import NUMBA_AVAILABLE, IntArray, deferred_acceptance


@dataclass(frozen=True)
class MarketSize:
    """Shape of a synthetic market."""

    applicants: int
    programs: int
    seats: int
    ranks: int


PMR = MarketSize(applicants=1_400, programs=110, seats=480, ranks=12)
NATIONAL = MarketSize(applicants=45_000, programs=5_000, seats=40_000, ranks=12)


def _applicant_rols(size: MarketSize, rng: np.random.Generator) -> IntArray:
    """Per applicant, the ``ranks`` programs with the highest desirability + noise (chunked)."""
    desirability = rng.normal(size=size.programs)
    rols = np.empty((size.applicants, size.ranks), dtype=np.int32)
    for start in range(0, size.applicants, 2_000):
        stop = min(start + 2_000, size.applicants)
        utility = desirability + rng.normal(scale=1.5, size=(stop - start, size.programs))
        top = np.argpartition(-utility, size.ranks, axis=1)[:, : size.ranks]
        order = np.argsort(-np.take_along_axis(utility, top, axis=1), axis=1)
        rols[start:stop] = np.take_along_axis(top, order, axis=1)
    return rols


def build_synthetic_market(size: MarketSize, rng: np.random.Generator) -> MatchMarket:
    """Build a market of the given size with correlated preferences on both sides."""
    rols = _applicant_rols(size, rng)
    capacity = 1 + rng.multinomial(size.seats - size.programs, np.full(size.programs, 1 / size.programs))
    strength = rng.normal(size=size.applicants)
    applicants = np.repeat(np.arange(size.applicants), size.ranks)
    score = strength[applicants] + rng.normal(scale=0.5, size=applicants.size)
    order = np.lexsort((-score, rols.ravel()))
    program_of = rols.ravel()[order]
    bounds = np.searchsorted(program_of, np.arange(size.programs + 1))
    ranked = applicants[order]
    program_rols = [ranked[bounds[p] : bounds[p + 1]].tolist() for p in range(size.programs)]
    return build_market(rols.tolist(), program_rols, capacity.tolist())


def _solve(market: MatchMarket) -> IntArray:
    return deferred_acceptance(
        market.rol_indptr, market.rol_indices, market.rol_program_rank, market.capacity
    )


def median_ms(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``run`` in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1e3)


def matching_package_run(market: MatchMarket, repeats: int) -> tuple[float, IntArray]:
    """Time `matching`'s resident-optimal HR algorithm alone; return (median ms, assignment)."""
    from matching.algorithms.hospital_resident import hospital_resident
    from matching.games.hospital_resident import _make_players

    residents = {a: market.rol(a).tolist() for a in range(market.n_applicants)}
    hospitals = {p: market.program_rol(p).tolist() for p in range(market.n_programs)}
    capacities = {p: int(market.capacity[p]) for p in range(market.n_programs)}
    times, assignment = [], np.full(market.n_applicants, -1, dtype=np.int32)
    for _ in range(repeats):
        players = _make_players(residents, hospitals, capacities)  # fresh objects: the run mutates them
        start = time.perf_counter()
        result = hospital_resident(*players, optimal="resident")
        times.append(time.perf_counter() - start)
    for hospital, matched in result.items():
        assignment[[r.name for r in matched]] = hospital.name
    return float(np.median(times) * 1e3), assignment


def bench(
    size: MarketSize, rng: np.random.Generator, repeats: int, matching_repeats: int
) -> dict[str, float]:
    """Time our kernel, the pure-Python procedure and `matching` on one market; check they agree."""
    market = build_synthetic_market(size, rng)
    ours = _solve(market)  # JIT warm-up (compiled code is cached on disk after the first run)
    kernel_ms = median_ms(lambda: _solve(market), repeats)
    procedure_ms = median_ms(lambda: run_nrmp_procedure(market), max(1, matching_repeats))
    if not np.array_equal(run_nrmp_procedure(market).assignment, ours):
        raise SystemExit("pure-Python procedure and kernel disagree")
    theirs_ms, theirs = matching_package_run(market, matching_repeats)
    if not np.array_equal(theirs, ours):
        raise SystemExit("kernel and the matching package disagree")
    return {
        "kernel_ms": kernel_ms,
        "procedure_ms": procedure_ms,
        "matching_ms": theirs_ms,
        "matched": int((ours >= 0).sum()),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", action="store_true", help="also time a national-sized market")
    parser.add_argument("--seed", type=int, default=20260320, help="random seed (default: Match Day 2026)")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(10_000)
    rng = np.random.default_rng(args.seed)
    pmr = bench(PMR, rng, repeats=2_000, matching_repeats=5)
    out: dict[str, object] = {
        "pmr_ms": round(pmr["kernel_ms"], 4),
        "national_ms": None,
        "matching_pmr_ms": round(pmr["matching_ms"], 3),
        "ratio_pmr": round(pmr["matching_ms"] / pmr["kernel_ms"], 1),
        "procedure_pmr_ms": round(pmr["procedure_ms"], 3),
        "pmr_matched": pmr["matched"],
        "numba": NUMBA_AVAILABLE,
        "seed": args.seed,
    }
    if args.national:
        national = bench(NATIONAL, rng, repeats=100, matching_repeats=1)
        out |= {
            "national_ms": round(national["kernel_ms"], 3),
            "matching_national_ms": round(national["matching_ms"], 1),
            "ratio_national": round(national["matching_ms"] / national["kernel_ms"], 1),
            "procedure_national_ms": round(national["procedure_ms"], 1),
            "national_matched": national["matched"],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
