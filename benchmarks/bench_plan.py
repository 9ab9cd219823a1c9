"""Time to plan one profile: ``build_plan`` (cycle dates, Step 2 CK advice, rotations, letters, tasks)
and the ICS export, on each example profile against the bundled catalogue.

Run: ``PYTHONPATH=src python benchmarks/bench_plan.py [--runs 200]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from smartpick.data import bundled_catalogue
from smartpick.data.calendar import bundled_calendar
from smartpick.domain.profile.applicant import Profile
from smartpick.services.files import load_model
from smartpick.services.ics import tasks_to_ics
from smartpick.services.plan import build_plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TODAY = dt.date(2026, 1, 15)


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e3, max(samples) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    catalogue = bundled_catalogue()
    start = time.perf_counter()
    bundled_calendar()
    print(f"load calendar.toml (first call): {(time.perf_counter() - start) * 1e3:.2f} ms")
    for path in sorted(p for p in EXAMPLES.glob("*.toml") if "[applicant]" in p.read_text()):
        profile = load_model(Profile, path)
        plan = build_plan(profile, catalogue, TODAY)
        med, worst = _time(partial(build_plan, profile, catalogue, TODAY), args.runs)
        ics_med, _ = _time(partial(tasks_to_ics, plan.tasks, "bench"), args.runs)
        print(
            f"{path.name:32s} tasks={len(plan.tasks):3d}  build_plan median {med:6.2f} ms (max {worst:6.2f})"
            f"  ics median {ics_med:5.2f} ms"
        )


if __name__ == "__main__":
    main()
