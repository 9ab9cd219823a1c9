"""PM&R fellowship tracks as data: accreditation, route, dated windows, typical list size, with provenance.

The content of ``smartpick/data/fellowships.toml`` validated into these models. Timings are relative to
residency years (PGY = postgraduate year): PGY-1 starts in July of the residency start year and a fellowship
starts in July after PGY-4 (the "cycle year"). Every value carries a ``source`` or an ``estimate``.
Also here: how many programs to apply to per track, split into reach/target/safety by portfolio strength.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Self, TypeVar

from pydantic import Field, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.fellowship.portfolio import Outcome, Portfolio, Skill, TrackId
from smartpick.domain.provenance import Provenance, Sourced

T = TypeVar("T")
STRENGTH_RULE = (
    "strength is a SmartPick rule: SAE >=70th (+1) or <=30th (-1) percentile, scholarship in the track"
    " (+1/-1), 2+ subspecialty letters asked (+1), an unmatched cycle in the track (-1);"
    " >=2 strong, <=-1 building"
)


class Accreditation(StrEnum):
    """Whether a track's programs are ACGME-accredited."""

    ACGME = "acgme"
    NON_ACGME = "non_acgme"
    MIXED = "mixed"


class Route(StrEnum):
    """How positions are filled."""

    ERAS_NRMP = "eras_nrmp"
    OTHER_MATCH = "other_match"
    DIRECT = "direct"


class Competitiveness(StrEnum):
    """How hard a track is to enter, as far as the sources say."""

    VERY_HIGH = "very_high"
    HIGH = "high"
    MODERATE = "moderate"
    UNKNOWN = "unknown"


class Timing(Provenance):
    """A date relative to residency: ``pgy = 3, month = 12`` is December of PGY-3."""

    pgy: Annotated[int, Field(ge=1, le=4)]
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)] = 1

    def on(self, cycle_year: int) -> dt.date:
        """The date for a fellowship starting in July of ``cycle_year`` (PGY-4 ends in June of it)."""
        year = cycle_year - 5 + self.pgy + (0 if self.month >= 7 else 1)
        return dt.date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))


class CountRange(Provenance):
    """A typical number of applications (``open_ended``: "20+")."""

    low: Annotated[int, Field(ge=1, le=200)]
    high: Annotated[int, Field(ge=1, le=200)]
    open_ended: bool = False

    @property
    def text(self) -> str:
        """``10-20+``."""
        return f"{self.low}-{self.high}{'+' if self.open_ended else ''}"


class Point(FrozenModel):
    """A sourced statement (what directors weigh)."""

    text: str
    source: str


class FellowshipTrack(FrozenModel):
    """One fellowship track and how it is entered."""

    id: TrackId
    name: str
    related: tuple[TrackId, ...] = ()
    accreditation: Sourced[Accreditation]
    route: Sourced[Route]
    competitiveness: Sourced[Competitiveness]
    applications: CountRange
    opens: Timing
    deadline: Timing
    interviews: Timing
    decision: Timing
    gap_skills: tuple[Skill, ...] = ()
    gap_source: str
    weighs: tuple[Point, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        o, d, i, r = (t.on(2000) for t in (self.opens, self.deadline, self.interviews, self.decision))
        if not (o <= d and o <= r and i <= r):
            raise ValueError(
                f"{self.id}: opens must not follow the deadline or decision, nor interviews the decision"
            )
        return self


class LetterRule(FrozenModel):
    """How many letters, from whom, and how early to ask."""

    subspecialty_min: int
    subspecialty_max: int
    program_leadership: int
    ask_months_before_min: int
    ask_months_before_max: int
    source: str


class Goals(FrozenModel):
    """Counts behind the year goals."""

    pgy1_faculty_meetings: int
    pgy2_posters: int
    statement_reviewers: int
    mock_interviews: int
    source: str


class TierShares(FrozenModel):
    """Shares of the list in reach and safety programs (the rest is target)."""

    reach: Annotated[float, Field(ge=0, le=1)]
    safety: Annotated[float, Field(ge=0, le=1)]


class Tiers(FrozenModel):
    """Tier shares by portfolio strength."""

    estimate: str
    strong: TierShares
    typical: TierShares
    building: TierShares


class CatalogueNote(FrozenModel):
    """Whether program-level fellowship data is bundled."""

    programs_bundled: bool
    note: str
    source: str


class FellowshipData(FrozenModel):
    """The content of ``fellowships.toml``."""

    version: str
    date: dt.date
    catalogue: CatalogueNote
    letters: LetterRule
    goals: Goals
    tiers: Tiers
    directors_weigh: tuple[Point, ...]
    track: tuple[FellowshipTrack, ...]

    @model_validator(mode="after")
    def _every_track_once(self) -> Self:
        ids = [t.id for t in self.track]
        if sorted(ids) != sorted(TrackId):
            raise ValueError(f"tracks must list each of {', '.join(TrackId)} exactly once")
        return self

    def get(self, track_id: TrackId) -> FellowshipTrack:
        """The track with this id."""
        return next(t for t in self.track if t.id is track_id)


@dataclass(frozen=True)
class Window:
    """One track's application window for a given fellowship start year."""

    track: FellowshipTrack
    cycle_year: int
    opens: dt.date
    deadline: dt.date
    interviews: dt.date
    decision: dt.date


def window(track: FellowshipTrack, year: int) -> Window:
    """The track's dates for a fellowship starting in July of ``year``."""
    return Window(track, year, track.opens.on(year), track.deadline.on(year),
                  track.interviews.on(year), track.decision.on(year))  # fmt: skip


@dataclass(frozen=True)
class ListAdvice:
    """How many programs to apply to for a track, split into reach/target/safety."""

    track: TrackId
    strength: str
    programs: int
    reach: int
    target: int
    safety: int
    typical_range: str
    reasons: tuple[str, ...]
    source: str
    tier_source: str


def subspecialty_writers(portfolio: Portfolio, track: FellowshipTrack) -> tuple[str, ...]:
    """Physiatrists in the track (or a related one) who were asked for a letter."""
    fields = {track.id, *track.related}
    return tuple(m.name for m in portfolio.mentors
                 if m.physiatrist and m.writes_letter and m.subspecialty in fields)  # fmt: skip


def strength(
    portfolio: Portfolio, track: FellowshipTrack, rule: LetterRule, today: dt.date
) -> tuple[str, tuple[str, ...]]:
    """``strong``/``typical``/``building`` from SAE, scholarship in the track, letters and past cycles.

    The cut-offs (SAE >= 70th / <= 30th percentile) are SmartPick estimates, shown with the result.
    """
    points, reasons = 0, list[str]()
    latest = max(portfolio.in_service, key=lambda s: s.year, default=None)
    if latest is not None and latest.percentile >= 70:
        points, reasons = points + 1, [*reasons, f"SAE {latest.percentile}th percentile (>=70)"]
    elif latest is not None and latest.percentile <= 30:
        points, reasons = points - 1, [*reasons, f"SAE {latest.percentile}th percentile (<=30)"]
    fields = {track.id, *track.related}
    shown = [p for p in portfolio.presentations if p.date <= today and fields & set(p.tracks)]
    done = [p for p in portfolio.projects if p.status in ("accepted", "presented") and fields & set(p.tracks)]
    if shown or done:
        points, reasons = (
            points + 1,
            [*reasons, f"{len(shown) + len(done)} scholarly item(s) in {track.name}"],
        )
    else:
        points, reasons = points - 1, [*reasons, f"no accepted or presented scholarship in {track.name} yet"]
    if len(subspecialty_writers(portfolio, track)) >= rule.subspecialty_min:
        points, reasons = points + 1, [*reasons, "subspecialty letters asked"]
    if any(c.outcome is Outcome.UNMATCHED and track.id in c.tracks for c in portfolio.cycles):
        points, reasons = points - 1, [*reasons, "an earlier cycle in this track did not match"]
    label = "strong" if points >= 2 else "building" if points <= -1 else "typical"
    return label, tuple(reasons)


def list_advice(
    portfolio: Portfolio, track: FellowshipTrack, data: FellowshipData, today: dt.date
) -> ListAdvice:
    """Program count from the track's typical range, split by the residency tier idea."""
    label, reasons = strength(portfolio, track, data.letters, today)
    rng = track.applications
    count = {"strong": rng.low, "typical": math.ceil((rng.low + rng.high) / 2), "building": rng.high}[label]
    shares: TierShares = getattr(data.tiers, label)
    reach, safety = math.floor(count * shares.reach + 0.5), math.floor(count * shares.safety + 0.5)
    tier_source = f"estimate: {data.tiers.estimate}; {STRENGTH_RULE}"
    return ListAdvice(track.id, label, count, reach, count - reach - safety, safety, rng.text,
                      reasons, rng.provenance, tier_source)  # fmt: skip
