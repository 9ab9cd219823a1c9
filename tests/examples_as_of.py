"""Example profiles as they stood on an earlier day (tests that plan for a day before today use them).

Practice tests dated after today are rejected as input, so a test that plans for an earlier day uses the
profile the applicant had then: the same file without the practice tests taken later.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from pathlib import Path

import tomli_w

_DIR = Path(tempfile.mkdtemp(prefix="smartpick-as-of-"))


def as_of(profile: Path, today: str) -> Path:
    """A copy of ``profile`` without the practice tests dated after ``today``."""
    doc = tomllib.loads(profile.read_text(encoding="utf-8"))
    day = dt.date.fromisoformat(today)
    exams = doc.get("exams", {})
    exams["practice"] = [t for t in exams.get("practice", []) if t["date"] <= day]
    out = _DIR / f"{profile.stem}-{today}.toml"
    out.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return out
