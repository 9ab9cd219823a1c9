"""Fellowship planner speed and plan shape over synthetic portfolios.

Run: PYTHONPATH=src python benchmarks/bench_fellowship.py [--portfolios N] [--seed S]
Prints plans per second, milestones per plan, and the share of late/missing milestones by PGY year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter

import numpy as np

from smartpick.data.fellowships import bundled_fellowships
from smartpick.domain.fellowship.planner import pgy_on, plan
from smartpick.domain.fellowship.portfolio import Portfolio, TrackId
from smartpick.domain.validation import parse_model

TRACKS = list(TrackId)


def synthetic(rng: np.random.Generator, today: dt.date) -> Portfolio:
    start = int(rng.integers(today.year - 4, today.year + 1))
    picks = rng.choice(len(TRACKS), size=int(rng.integers(1, 3)), replace=False)
    interests = [TRACKS[i].value for i in picks]
    meetings = [
        dt.date(start, 9, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 700, rng.integers(0, 3))
    ]
    mentors = [{"name": f"M{i}", "subspecialty": interests[0], "letter": str(rng.choice(["none", "asked"]))}
               for i in range(int(rng.integers(0, 3)))]  # fmt: skip
    resident = {"name": "R", "pgy": max(1, min(8, pgy_on(start, today))), "residency_start_year": start,
                "interests": interests}  # fmt: skip
    return parse_model(Portfolio, {"resident": resident, "mentors": mentors,
                                   "progress": {"faculty_meetings": meetings}})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--portfolios", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng, today, data = np.random.default_rng(args.seed), dt.date(2026, 11, 23), bundled_fellowships()
    portfolios = [synthetic(rng, today) for _ in range(args.portfolios)]
    began = time.perf_counter()
    plans = [plan(p, data, today) for p in portfolios]
    elapsed = time.perf_counter() - began
    sizes = [len(x.milestones) for x in plans]
    print(f"plans: {len(plans)} in {elapsed:.3f} s ({len(plans) / elapsed:,.0f} plans/s)")
    print(f"milestones per plan: mean {np.mean(sizes):.1f}, min {min(sizes)}, max {max(sizes)}")
    by_pgy: dict[int, Counter[str]] = {}
    for x in plans:
        by_pgy.setdefault(x.pgy_now, Counter()).update(m.status.value for m in x.milestones)
    for pgy in sorted(by_pgy):
        c = by_pgy[pgy]
        total = sum(c.values())
        shares = ", ".join(f"{k} {c[k] / total:.0%}" for k in ("done", "on_track", "late", "missing"))
        print(f"PGY-{pgy}: {shares}")


if __name__ == "__main__":
    main()
