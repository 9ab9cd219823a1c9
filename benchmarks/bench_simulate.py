"""Time ``match simulate --rank-list`` (whole simulated PM&R matches, both orders) and print one JSON line.

Usage: ``PYTHONPATH=src python benchmarks/bench_simulate.py [--runs N] [--workers W]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from smartpick.services.catalogue import current_catalogue
from smartpick.services.match import simulate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    """Warm the compiled code, then time ``--runs`` markets."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    catalogue = current_catalogue(None)
    files = (EXAMPLES / "strong-us-img.toml", EXAMPLES / "ranklist.toml")
    simulate(*files, catalogue=catalogue, runs=50, seed=0)
    start = time.perf_counter()
    report = simulate(*files, catalogue=catalogue, runs=args.runs, seed=0, workers=args.workers)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "runs": args.runs,
                "workers": args.workers,
                "seconds": round(seconds, 3),
                "markets": report.markets,
                "ms_per_run": round(1000 * seconds / args.runs, 4),
                "p_match": round(report.ranked.p_match.p, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
