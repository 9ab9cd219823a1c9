from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from smartpick.data import bundled_catalogue
from smartpick.services.profiles import load_profile
from smartpick.services.recommend import recommend
from smartpick.services.recommend_cache import RecommendationCache

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_cache_returns_the_same_result_and_recomputes_when_an_input_changes() -> None:
    catalogue = bundled_catalogue()
    profile = load_profile(EXAMPLES / "strong-us-img.toml", catalogue)
    cache = RecommendationCache(size=2)
    first = cache.get(profile, catalogue, budget=None, max_programs=None)
    assert first.to_json_dict() == recommend(profile, catalogue).to_json_dict()
    assert cache.get(profile, catalogue, budget=None, max_programs=None) is first
    smaller = cache.get(profile, catalogue, budget=200.0, max_programs=None)
    assert smaller is not first and smaller.cost_usd <= 200
    newer = catalogue.with_programs(catalogue.programs)  # e.g. after an import: a new catalogue object
    assert cache.get(profile, newer, budget=None, max_programs=None) is not first
    assert (cache.hits, cache.misses) == (1, 3)
    assert cache.get(profile, catalogue, budget=None, max_programs=None) is not first  # evicted (size 2)


def test_concurrent_requests_for_one_missing_key_compute_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartpick.services import recommend_cache

    catalogue = bundled_catalogue()
    profile = load_profile(EXAMPLES / "strong-us-img.toml", catalogue)
    calls: list[float | None] = []
    started = threading.Event()

    def slow(profile: object, catalogue: object, *, budget: float | None, max_programs: int | None) -> object:
        calls.append(budget)
        started.set()
        time.sleep(0.2)  # long enough for every other thread to arrive while this one computes
        return object()

    monkeypatch.setattr(recommend_cache, "recommend", slow)
    cache = RecommendationCache()
    with ThreadPoolExecutor(8) as pool:
        same = [pool.submit(cache.get, profile, catalogue, budget=None, max_programs=None) for _ in range(6)]
        assert started.wait(5)
        other = pool.submit(cache.get, profile, catalogue, budget=300.0, max_programs=None)
        results = [f.result() for f in same]
        assert other.result() is not results[0]  # another key is computed on its own
    assert all(r is results[0] for r in results)
    assert sorted(calls, key=str) == [300.0, None]
    assert cache._flights == {}  # no lock left behind
