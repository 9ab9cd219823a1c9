"""List the tracks whose positions the builder has to estimate (no sourced row), per program.

Run from the worktree root: PYTHONPATH=src python data/raw/tools/track_cov.py
"""
import datetime as dt
from pathlib import Path

from smartpick.data.build import build_catalogue

RAW = Path(__file__).resolve().parents[1]
doc, rep = build_catalogue(RAW, today=dt.date(2026, 11, 23))
missing = []
for p in doc["programs"]:
    for t in p["tracks"]:
        pos = t.get("positions") or {}
        if "estimate" in pos:
            missing.append((p["id"] if "id" in p else p.get("program_id"), t["code"], t["type"]))
print(f"tracks {rep.tracks}; sourced {rep.tracks - rep.estimates}; estimated {rep.estimates}")
for m in missing:
    print(*m)
