"""Bundled data files and their validating loaders."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from smartpick.domain.catalogue.programs import Catalogue

CATALOGUE_FILE = "catalogue.json"


def read_json(name: str) -> Any:
    """Parse a bundled JSON file."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def bundled_catalogue() -> Catalogue:
    """The catalogue shipped with this version, validated on read."""
    return Catalogue.model_validate(read_json(CATALOGUE_FILE))
