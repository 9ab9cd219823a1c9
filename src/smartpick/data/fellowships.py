"""Loader of the bundled fellowship tracks (``fellowships.toml``), validated on read."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from smartpick.domain.fellowship_tracks import FellowshipData
from smartpick.domain.validation import parse_model

FELLOWSHIPS_FILE = "fellowships.toml"


@lru_cache(maxsize=1)
def bundled_fellowships() -> FellowshipData:
    """The fellowship track data shipped with this version; a bad file raises `InputErrors` naming the key."""
    text = resources.files(__package__).joinpath(FELLOWSHIPS_FILE).read_text(encoding="utf-8")
    return parse_model(FellowshipData, tomllib.loads(text), source=FELLOWSHIPS_FILE)
