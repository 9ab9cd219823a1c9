"""Speed of the recommendation engine.

Run: PYTHONPATH=src python benchmarks/bench_recommend.py
Prints: full recommendation per example profile over the bundled catalogue (curve included), the optimizer on
1,000 synthetic programs with a 100-program limit, and the greedy vs brute-force time where brute force runs.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from smartpick.data import bundled_catalogue
from smartpick.domain.chances import application_list as portfolio
from smartpick.services.profiles import load_profile
from smartpick.services.recommend import recommend

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# The example applicant profiles (examples/ also holds rank lists, messages and portfolios).
PROFILES = ("strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml")


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time in milliseconds."""
    return timed_both(fn, repeat)[0]


def timed_both(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + sys of this process) in milliseconds."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    cat = bundled_catalogue()
    print(f"catalogue: {len(cat)} programs")
    for path in (EXAMPLES / name for name in PROFILES):
        profile = load_profile(path, cat)
        ms, cpu = timed_both(lambda p=profile: recommend(p, cat), 20)
        rec = recommend(profile, cat)
        size = f"{len(rec.programs)} programs, curve {len(rec.curve)} points"
        print(f"recommend {path.name:32s} {ms:7.1f} ms wall, {cpu:7.1f} ms CPU  ({size})")
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")
    rng = np.random.default_rng(2026)
    f, u = rng.random(1000) * 0.3, 1 + rng.random(1000)
    ms = timed(lambda: portfolio.greedy_lists(f, u, 100), 10)
    print(f"optimizer 1,000 programs, limit 100:        {ms:7.1f} ms")
    p_interview = rng.random(1000)
    tiers = portfolio.assign_tiers(
        p_interview,
        p_interview * 0.35,
        reach_interview_max=0.25,
        safety_interview_min=0.6,
        safety_match_min=0.3,
    )
    ms = timed(lambda: portfolio.greedy_lists(f, u, 100, tiers=tiers, reach_max=0.15, safety_min=0.25), 10)
    print(f"optimizer 1,000 programs, limit 100, tiers: {ms:7.1f} ms")
    for m in (8, 10, 12):
        fs, us = rng.random(m), 1 + rng.random(m)
        greedy = timed(lambda fs=fs, us=us, m=m: portfolio.greedy_lists(fs, us, m), 20)
        brute = timed(lambda fs=fs, us=us, m=m: portfolio.brute_force_best(fs, us, m // 2), 3)
        times = f"greedy {greedy:8.3f} ms, brute force {brute:9.1f} ms, ratio {brute / greedy:8.0f}x"
        print(f"m={m:2d}, size {m // 2}: {times}")


if __name__ == "__main__":
    main()
