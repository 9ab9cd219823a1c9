"""A small, thread-safe memo of recommendations for servers that show the same list many times.

A recommendation is a pure function of (profile, catalogue, figures, budget, max_programs), so a result
can be reused until any of them changes. Profiles are frozen (hashable) models compared by value, so an
edited profile is a new key at once; a catalogue and the figures are identified by the objects themselves
(a new import builds a new catalogue), kept alive by the entry so ids never repeat.

Concurrent requests for the same missing key compute it once: the others wait for that result instead of
running the same multi-second computation side by side (which, under load, starved every request).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from smartpick.data.figures import bundled_figures
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.services.recommend import Recommendation, recommend

_Key = tuple[Profile, int, int, float | None, int | None]


class RecommendationCache:
    """Least-recently-used memo of `recommend` results, one computation per key at a time."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[_Key, tuple[Catalogue, Figures, Recommendation]] = OrderedDict()
        self._flights: dict[_Key, tuple[threading.Lock, int]] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(
        self, profile: Profile, catalogue: Catalogue, *, budget: float | None, max_programs: int | None
    ) -> Recommendation:
        """The recommendation, computed once per distinct input."""
        figures = bundled_figures()
        key = (profile, id(catalogue), id(figures), budget, max_programs)
        hit = self._lookup(key, catalogue, figures)
        if hit is not None:
            return hit
        with self._single_flight(key):
            hit = self._lookup(key, catalogue, figures)  # another request computed it while we waited
            if hit is not None:
                return hit
            rec = recommend(profile, catalogue, budget=budget, max_programs=max_programs)
            self._store(key, (catalogue, figures, rec))
            return rec

    def _lookup(self, key: _Key, catalogue: Catalogue, figures: Figures) -> Recommendation | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or hit[0] is not catalogue or hit[1] is not figures:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return hit[2]

    def _store(self, key: _Key, entry: tuple[Catalogue, Figures, Recommendation]) -> None:
        with self._lock:
            self.misses += 1
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    @contextmanager
    def _single_flight(self, key: _Key) -> Iterator[None]:
        """Hold the key's own lock (made on first use, dropped when its last waiter leaves)."""
        with self._lock:
            lock, users = self._flights.get(key, (threading.Lock(), 0))
            self._flights[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._lock:
                lock, users = self._flights[key]
                if users == 1:
                    del self._flights[key]
                else:
                    self._flights[key] = (lock, users - 1)
