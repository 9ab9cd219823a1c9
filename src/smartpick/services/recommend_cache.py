"""A small, thread-safe memo of recommendations for servers that show the same list many times.

A recommendation is a pure function of (profile, catalogue, budget, max_programs) with the bundled figures,
so a result can be reused until any of them changes. Profiles are frozen (hashable) models; a catalogue is
identified by the object itself (a new import builds a new one), kept alive by the entry so ids never repeat.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.services.recommend import Recommendation, recommend

_Key = tuple[Profile, int, float | None, int | None]


class RecommendationCache:
    """Least-recently-used memo of `recommend` results."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[_Key, tuple[Catalogue, Recommendation]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(
        self, profile: Profile, catalogue: Catalogue, *, budget: float | None, max_programs: int | None
    ) -> Recommendation:
        """The recommendation, computed once per distinct input."""
        key = (profile, id(catalogue), budget, max_programs)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] is catalogue:
                self._entries.move_to_end(key)
                self.hits += 1
                return hit[1]
        rec = recommend(profile, catalogue, budget=budget, max_programs=max_programs)
        with self._lock:
            self.misses += 1
            self._entries[key] = (catalogue, rec)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return rec
