"""Speed of the market model: whole-match simulation of an application list, and calibration vs workers.

Usage: ``PYTHONPATH=src python benchmarks/bench_market.py [--runs 20000] [--workers 1 2]
[--calibration-runs 60]``. Prints one JSON line per measurement: ``simulate_applications`` (20,000 runs
by default, the recommended list of an example profile) and ``calibration_evaluation`` (one objective
evaluation, i.e. ``--calibration-runs`` whole markets, per worker count; a full ``model calibrate`` makes
about 90 + 30 per refit of them).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from smartpick.data import market as store
from smartpick.data.figures import bundled_figures
from smartpick.domain.market.build import build_arrays, parameter_vector
from smartpick.domain.market.run import spawn_seeds
from smartpick.services.catalogue import current_catalogue
from smartpick.services.market import fitted_params, simulate_markets
from smartpick.services.match import simulate_applications
from smartpick.services.profiles import load_profile
from smartpick.services.recommend import recommend

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    """Warm the compiled code, then time each measurement."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--calibration-runs", type=int, default=60)
    args = parser.parse_args()
    catalogue = current_catalogue(None)
    profile = load_profile(EXAMPLES / "strong-us-img.toml", catalogue)
    rec = recommend(profile, catalogue)
    ids = tuple(c.program.id for c in rec.programs)
    signals = tuple(c.program.id for c in rec.programs if c.signal)
    simulate_applications(profile, ids, signals, catalogue=catalogue, runs=20, seed=0)
    for workers in args.workers:
        start, cpu = time.perf_counter(), time.process_time()
        report = simulate_applications(
            profile, ids, signals, catalogue=catalogue, runs=args.runs, seed=0, workers=workers
        )
        seconds = time.perf_counter() - start
        print(
            json.dumps(
                {
                    "measure": "simulate_applications",
                    "runs": args.runs,
                    "markets": report.markets,
                    "workers": workers,
                    "seconds": round(seconds, 2),
                    "cpu_seconds": round(time.process_time() - cpu, 2),
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                    "p_match": round(report.p_match, 4),
                    "recommend_p_match": round(rec.p_match, 4),
                }
            )
        )
    figures, spec, params = bundled_figures(), store.bundled_spec(), fitted_params()
    arrays = build_arrays(catalogue, figures, spec, params)
    pv = parameter_vector(figures, spec, params)
    seeds = spawn_seeds(1, args.calibration_runs)
    for workers in args.workers:
        start, cpu = time.perf_counter(), time.process_time()
        simulate_markets(arrays, pv, seeds, workers=workers)
        seconds = time.perf_counter() - start
        print(
            json.dumps(
                {
                    "measure": "calibration_evaluation",
                    "markets": args.calibration_runs,
                    "workers": workers,
                    "seconds": round(seconds, 2),
                    "cpu_seconds": round(time.process_time() - cpu, 2),
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                    "ms_per_market": round(1000 * seconds / args.calibration_runs, 2),
                }
            )
        )


if __name__ == "__main__":
    main()
