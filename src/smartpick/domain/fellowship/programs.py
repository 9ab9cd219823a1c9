"""PM&R fellowship programs: real programs per fellowship track, every value with its provenance.

The content of ``smartpick/data/fellowship_programs.toml`` validated into these models. A program belongs
to one track (``TrackId``); city, state, positions, application route and timeline are `Fact` values
(``source`` or ``estimate``), unknown ones stay empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Self

from pydantic import Field, field_validator, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.catalogue.geography import US_STATE_CODES
from smartpick.domain.fellowship.portfolio import TrackId
from smartpick.domain.fellowship.tracks import Route
from smartpick.domain.provenance import Fact


class FellowshipProgram(FrozenModel):
    """One fellowship program a PM&R graduate can apply to."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=3)
    track: TrackId
    institution: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")
    residency: str | None = Field(default=None, pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]*$")
    """The sponsoring department's PM&R residency in the program catalogue, when there is one."""
    city: Fact[str] = Fact()
    state: Fact[str] = Fact()
    positions: Fact[int] = Fact()
    route: Fact[Route] = Fact()
    timeline: Fact[str] = Fact()

    @field_validator("state")
    @classmethod
    def _us_state(cls, state: Fact[str]) -> Fact[str]:
        if state.value is not None and state.value not in US_STATE_CODES:
            raise ValueError(f"state {state.value!r} is not a two-letter US state code such as IL")
        return state

    @field_validator("positions")
    @classmethod
    def _positions(cls, positions: Fact[int]) -> Fact[int]:
        if positions.value is not None and not 0 <= positions.value <= 50:
            raise ValueError(f"positions {positions.value} is outside 0 to 50 a year")
        return positions

    @property
    def place(self) -> str:
        """``City, ST`` (``unknown`` parts shown as such)."""
        return f"{self.city.value or 'city unknown'}, {self.state.value or 'state unknown'}"


class FellowshipPrograms(FrozenModel):
    """The bundled fellowship program list."""

    version: str
    date: dt.date
    program: tuple[FellowshipProgram, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for p in self.program:
            if p.id in seen:
                raise ValueError(f"duplicate fellowship program id {p.id!r}")
            seen.add(p.id)
        return self

    def select(self, track: TrackId | None = None, state: str | None = None) -> tuple[FellowshipProgram, ...]:
        """Programs of one track and/or state, in file order."""
        wanted = state.strip().upper() if state else None
        return tuple(
            p
            for p in self.program
            if (track is None or p.track is track) and (wanted is None or p.state.value == wanted)
        )

    def for_tracks(self, tracks: Iterable[TrackId]) -> dict[TrackId, tuple[FellowshipProgram, ...]]:
        """The programs of each given track (an empty tuple where none is listed)."""
        return {t: self.select(track=t) for t in tracks}
