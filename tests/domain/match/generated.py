"""Deterministic JSON match instances of moderate size (for regression digests, not brute force).

One generator covers every path of ``match run``: singles only (the deferred-acceptance kernel),
advanced programs with supplemental PGY-1 lists (the compiled procedure) and couples (the reference
procedure, and the full contract checker instead of the columnar fast path).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

TRACKS = ("categorical", "advanced", "pgy1")


def make_instance(
    seed: int, *, applicants: int, programs: int, ranks: int, supplemental: bool, couples: int
) -> dict[str, Any]:
    """A valid instance with correlated preferences on both sides (same seed, same instance)."""
    rng = np.random.default_rng(seed)
    weights = (0.7, 0.15, 0.15) if supplemental else (1.0, 0.0, 0.0)
    track = rng.choice(3, size=programs, p=weights)
    pgy1 = np.flatnonzero(track == 2)
    desirability = rng.normal(size=programs)
    strength = rng.normal(size=applicants + 2 * couples)
    wanted: list[set[int]] = [set() for _ in range(programs)]
    singles = []
    for a in range(applicants):
        utility = desirability + rng.normal(scale=1.0, size=programs)
        k = int(rng.integers(1, ranks + 1))
        rol = [int(p) for p in np.argsort(-utility)[:k]]
        doc: dict[str, Any] = {"id": f"A{a}", "rank": [f"P{p}" for p in rol]}
        lists = {}
        for p in rol:
            wanted[p].add(a)
            if track[p] == 1 and pgy1.size and rng.random() < 0.8:
                chosen = rng.choice(pgy1, size=min(int(rng.integers(1, 4)), pgy1.size), replace=False)
                lists[f"P{p}"] = [f"P{int(q)}" for q in chosen]
                for q in chosen:
                    wanted[int(q)].add(a)
        if lists:
            doc["supplemental"] = lists
        singles.append(doc)
    pairs_doc = []
    for c in range(couples):
        members = (applicants + 2 * c, applicants + 2 * c + 1)
        pairs: list[list[str | None]] = []
        seen = set()
        for _ in range(int(rng.integers(1, 7))):
            pair = tuple(int(p) if rng.random() < 0.9 else None for p in rng.integers(0, programs, size=2))
            if pair in seen:
                continue
            seen.add(pair)
            pairs.append([None if p is None else f"P{p}" for p in pair])
            for m, p in zip(members, pair, strict=True):
                if p is not None:
                    wanted[p].add(m)
        pairs_doc.append({"members": [f"A{m}" for m in members], "rank": pairs})
    program_docs = []
    for p in range(programs):
        pool = np.array(sorted(wanted[p]), dtype=np.int64)
        score = strength[pool] + rng.normal(scale=0.7, size=pool.size)
        keep = pool[np.argsort(-score, kind="stable")]
        keep = keep[: max(0, round(keep.size * rng.uniform(0.7, 1.0)))]
        program_docs.append(
            {
                "id": f"P{p}",
                "capacity": int(rng.integers(0, 5)),
                "track": TRACKS[int(track[p])],
                "rank": [f"A{int(a)}" for a in keep],
            }
        )
    data: dict[str, Any] = {"programs": program_docs, "applicants": singles}
    if couples:
        data["couples"] = pairs_doc
    return data


CASES: dict[str, dict[str, Any]] = {
    "singles": {"applicants": 3_000, "programs": 400, "ranks": 12, "supplemental": False, "couples": 0},
    "supplemental": {"applicants": 3_000, "programs": 400, "ranks": 12, "supplemental": True, "couples": 0},
    "couples": {"applicants": 400, "programs": 60, "ranks": 8, "supplemental": True, "couples": 20},
}


def digest(doc: Any) -> str:
    """SHA-256 of a JSON document in canonical form (sorted keys, no spaces)."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
