"""Loader of the bundled figures file (``figures.toml``), validated on read."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from smartpick.data.calendar import bundled_calendar
from smartpick.domain.catalogue.figures import Figures

FIGURES_FILE = "figures.toml"


def read_figures_toml(name: str = FIGURES_FILE) -> dict[str, Any]:
    """Parse a bundled TOML file of figures."""
    text = resources.files("smartpick.data").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def figures_document() -> dict[str, Any]:
    """``figures.toml`` plus the Step 2 CK pace rule of ``calendar.toml`` (one projection everywhere)."""
    pace = bundled_calendar().figure("step2_gain").model_dump()
    return {**read_figures_toml(), "step2_pace": pace}


@lru_cache(maxsize=1)
def bundled_figures() -> Figures:
    """The figures shipped with this version (sources, fees, signals, model coefficients, strategy)."""
    return Figures.model_validate(figures_document())
