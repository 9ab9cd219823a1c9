from __future__ import annotations

from pathlib import Path

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
