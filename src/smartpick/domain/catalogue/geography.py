"""US states and census regions (US Census Bureau regions and divisions, census.gov)."""

from __future__ import annotations

from enum import StrEnum


class Region(StrEnum):
    """The four US census regions."""

    NORTHEAST = "Northeast"
    MIDWEST = "Midwest"
    SOUTH = "South"
    WEST = "West"


_REGION_STATES: dict[Region, tuple[str, ...]] = {
    Region.NORTHEAST: ("CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"),
    Region.MIDWEST: ("IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"),
    Region.SOUTH: (
        "DE",
        "DC",
        "FL",
        "GA",
        "MD",
        "NC",
        "SC",
        "VA",
        "WV",
        "AL",
        "KY",
        "MS",
        "TN",
        "AR",
        "LA",
        "OK",
        "TX",
    ),
    Region.WEST: ("AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA"),
}

STATE_REGION: dict[str, Region] = {s: r for r, states in _REGION_STATES.items() for s in states}
"""Two-letter state (and DC) code to census region; Puerto Rico is outside the four regions."""

TERRITORIES = ("PR", "GU", "VI")
US_STATE_CODES = frozenset(STATE_REGION) | frozenset(TERRITORIES)

REGION_SOURCE = "US Census Bureau, Census Regions and Divisions of the United States"


def region_of(state: str) -> Region | None:
    """Census region of a state code, ``None`` for territories."""
    return STATE_REGION.get(state.upper())
