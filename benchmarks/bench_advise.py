"""Speed of ``smartpick advise``: the whole advice for one profile (target: at most 1 s).

Run: PYTHONPATH=src python benchmarks/bench_advise.py [--repeat N]
Prints, per profile: median and worst wall time and CPU time of `advise` (the profile as it is gets one
whole recommendation; every changed profile, one re-chosen list and its P(match), plus the list it keeps; a
Step 2 CK delay three more, the plan one), the number of actions scored, the time of one whole model run,
and the load average (on a shared machine wall time mostly measures the other jobs; CPU time is this
process's own, all threads).
The profiles are the example applicants on a date when every action is still open, plus one with Step 2 CK
pending and a rising practice trend (the most model runs: a delay, its reference and its range).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path

from smartpick.data import bundled_catalogue
from smartpick.data.figures import bundled_figures
from smartpick.domain.profile.applicant import PracticeTest, Profile
from smartpick.services import advise as svc
from smartpick.services.profiles import load_profile

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASES = (
    ("strong-us-img.toml", dt.date(2026, 3, 1)),
    ("us-img-228-step1-fail.toml", dt.date(2026, 3, 1)),
    ("non-us-img-visa.toml", dt.date(2027, 4, 1)),
)
TARGET_MS = 1000.0


def pending(base: Profile) -> Profile:
    """Step 2 CK not yet taken, practice scores rising well below goal, test planned mid-May."""
    scores = ((1, 5, 190), (2, 2, 199), (3, 2, 204), (3, 30, 212))
    practice = tuple(PracticeTest(date=dt.date(2026, m, d), score=s) for m, d, s in scores)
    update = {"step2_ck": None, "step1_attempts": 1, "step2_planned_date": dt.date(2026, 5, 15)}
    return base.model_copy(update={"exams": base.exams.model_copy(update=update | {"practice": practice})})


def _time(profile: Profile, today: dt.date, repeat: int) -> tuple[float, float, float, float, int]:
    """Median and worst wall time, median and worst CPU time (ms), actions scored."""
    cat = bundled_catalogue()
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = svc.advise(profile, cat, today=today, budget=3000)
        runs.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    scored = sum(1 for a in result.actions if a.delta is not None)
    return statistics.median(runs), max(runs), statistics.median(cpu), max(cpu), scored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cat, figs = bundled_catalogue(), bundled_figures()
    svc.advise(load_profile(EXAMPLES / CASES[0][0], cat), cat, today=CASES[0][1])  # warm the data caches
    profiles = [(name, load_profile(EXAMPLES / name, cat), day) for name, day in CASES]
    low = profiles[1][1]
    profiles.append(("Step 2 CK pending, rising trend", pending(low), dt.date(2026, 4, 1)))
    for name, profile, day in profiles:
        median, worst, cpu, cpu_worst, actions = _time(profile, day, args.repeat)
        start = time.perf_counter()
        svc.run_model(profile, cat, figs, day)
        one = (time.perf_counter() - start) * 1000
        verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
        print(
            f"advise {name:32s} median {median:7.1f} ms (CPU {cpu:7.1f} ms), worst {worst:7.1f} ms "
            f"(CPU {cpu_worst:7.1f} ms) ({actions} actions scored; one model run {one:5.1f} ms) {verdict}"
        )
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
