"""Time loading and querying the bundled catalogue, and validating a profile.

Usage: python benchmarks/bench_catalogue.py [--repeat N]
Prints one JSON line of medians in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from smartpick.data import bundled_catalogue, read_json
from smartpick.domain.catalogue.geography import Region
from smartpick.domain.catalogue.programs import Catalogue, CatalogueFilter
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.profile.standing import assess

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "strong-us-img.toml"


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    raw = read_json("catalogue.json")
    cat = bundled_catalogue()
    flt = CatalogueFilter(region=Region.SOUTH)
    doc = tomllib.loads(EXAMPLE.read_text())
    print(
        json.dumps(
            {
                "programs": len(cat),
                "load_validate_ms": _median_ms(lambda: Catalogue.model_validate(raw), args.repeat),
                "filter_ms": _median_ms(lambda: cat.select(flt), args.repeat),
                "profile_ms": _median_ms(lambda: assess(Profile.model_validate(doc)), args.repeat),
            }
        )
    )


if __name__ == "__main__":
    main()
