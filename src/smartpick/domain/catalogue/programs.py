"""PM&R programs and the catalogue that holds them, every value with its provenance.

A *program* is one residency program (one ACGME accreditation); it offers one or more NRMP
*tracks*: categorical (PGY-1 start, 4 years), advanced (PGY-2 start, needs a separate PGY-1 year),
or reserved (PGY-2 start for physicians already in graduate medical education).
NRMP track codes read ``IIII340Tn``: institution number, specialty 340 (PM&R), track letter, digit.

Each fact is a `smartpick.domain.provenance.Fact`: the value plus either a ``source`` (URL or dataset
reference) or an ``estimate`` (the rule that produced it). Unknown facts are ``None`` without provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any, Self, TypeVar

from pydantic import Field, PrivateAttr, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.catalogue.geography import Region
from smartpick.domain.profile.applicant import ProgramType, VisaType
from smartpick.domain.provenance import Fact, Source

T = TypeVar("T")


class TrackType(StrEnum):
    """NRMP PM&R track kinds (the letter in the NRMP code)."""

    CATEGORICAL = "categorical"
    ADVANCED = "advanced"
    RESERVED = "reserved"

    @property
    def letter(self) -> str:
        """The letter used in NRMP codes."""
        return {"categorical": "C", "advanced": "A", "reserved": "R"}[self.value]


class Track(FrozenModel):
    """One NRMP track of a program."""

    code: str | None = Field(default=None, pattern=r"^\d{4}340[ACR]\d$")
    """NRMP code; ``None`` for a new program not yet seen in an NRMP list."""
    type: TrackType
    positions: Fact[int] = Fact()


class Strength(StrEnum):
    """Clinical strengths users weigh programs by."""

    SCI = "sci"
    TBI = "tbi"
    VA = "va"
    SPORTS = "sports"
    PAIN = "pain"
    PEDS = "peds"
    CANCER = "cancer"


class VisitingChannel(StrEnum):
    """How visiting students apply for an elective."""

    VSLO = "vslo"
    DIRECT = "direct"


class ProgramStatus(StrEnum):
    """Whether a program is known to run: ``unconfirmed`` when a list names it but its own pages do not."""

    ACTIVE = "active"
    UNCONFIRMED = "unconfirmed"
    CLOSED = "closed"


class ImgFriendliness(StrEnum):
    """Match A Resident's tiers by IMG share: high >=50%, medium 11-49%, low <=10% (PUBLIC_FIGURES §1.2)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    UNKNOWN = "unknown"


class RosterCount(FrozenModel):
    """Current residents on a program's roster page, counted by the medical school they graduated from.

    ``caribbean`` counts the graduates of Caribbean offshore schools among ``international``
    (most are US citizens, so they signal US-IMGs).
    """

    us_md: int = Field(ge=0, le=200)
    us_do: int = Field(ge=0, le=200)
    international: int = Field(ge=0, le=200)
    caribbean: int | None = Field(default=None, ge=0, le=200)

    @model_validator(mode="after")
    def _subset(self) -> Self:
        if self.caribbean is not None and self.caribbean > self.international:
            raise ValueError("caribbean graduates are counted among international ones")
        if self.total == 0:
            raise ValueError("a roster lists at least one resident")
        return self

    @property
    def total(self) -> int:
        """Residents counted."""
        return self.us_md + self.us_do + self.international

    @property
    def img_share(self) -> float:
        """Share of international graduates among the residents counted."""
        return self.international / self.total


class Program(FrozenModel):
    """A PM&R residency program."""

    id: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]*$")
    name: str
    aliases: tuple[str, ...] = ()
    institution: str
    acgme_id: Fact[str] = Fact()
    city: Fact[str] = Fact()
    state: Fact[str] = Fact()
    region: Fact[Region] = Fact()
    latitude: Fact[float] = Fact()
    longitude: Fact[float] = Fact()
    program_type: Fact[ProgramType] = Fact()
    visa_j1: Fact[bool] = Fact()
    visa_h1b: Fact[bool] = Fact()
    img_present: Fact[bool] = Fact()
    us_img_present: Fact[bool] = Fact()
    img_share: Fact[float] = Fact()
    roster: Fact[RosterCount] = Fact()
    img_statement: Fact[str] = Fact()
    strengths: dict[Strength, Fact[bool]] = Field(default_factory=dict)
    visiting_channel: Fact[VisitingChannel] = Fact()
    status: Fact[ProgramStatus] = Fact()
    tracks: tuple[Track, ...] = Field(min_length=1)

    @property
    def track_types(self) -> frozenset[TrackType]:
        """The kinds of tracks offered."""
        return frozenset(t.type for t in self.tracks)

    @property
    def positions(self) -> int | None:
        """Entering positions per year over all tracks, ``None`` if any track's count is unknown."""
        counts = [t.positions.value for t in self.tracks]
        return None if any(c is None for c in counts) else sum(c for c in counts if c is not None)

    @property
    def positions_estimated(self) -> bool:
        """True when any track's positions are an estimate."""
        return any(t.positions.is_estimate for t in self.tracks)

    @property
    def sponsors_visa(self) -> bool | None:
        """Sponsors a J-1 or an H-1B; ``None`` when unknown."""
        values = [self.visa_j1.value, self.visa_h1b.value]
        if any(v is True for v in values):
            return True
        return None if any(v is None for v in values) else False

    def accepts_visa(self, visa: VisaType) -> bool | None:
        """Whether a resident needing ``visa`` (J-1, H-1B or either) can train here.

        ``False`` only when every usable type is known not to be sponsored; ``None`` when unknown.
        """
        return visa.usable(j1=self.visa_j1.value, h1b=self.visa_h1b.value)

    @property
    def img_friendliness(self) -> ImgFriendliness:
        """Tier from the IMG share, else from presence of IMG residents."""
        share = self.img_share.value
        if share is not None:
            if share >= 0.5:
                return ImgFriendliness.HIGH
            return ImgFriendliness.MEDIUM if share > 0.10 else ImgFriendliness.LOW
        if self.img_present.value is True or self.us_img_present.value is True:
            return ImgFriendliness.MEDIUM
        if self.img_present.value is False:
            return ImgFriendliness.LOW
        return ImgFriendliness.UNKNOWN

    def has_strength(self, strength: Strength) -> bool:
        """True only when the strength is known to be present."""
        fact = self.strengths.get(strength)
        return bool(fact and fact.value)

    def facts(self) -> Iterator[tuple[str, Fact[Any]]]:
        """Every (field path, fact) pair, for provenance checks and exports."""
        for name, value in self:
            if isinstance(value, Fact):
                yield name, value
        for strength, fact in self.strengths.items():
            yield f"strength.{strength.value}", fact
        for i, track in enumerate(self.tracks):
            yield f"track.{track.code or i}.positions", track.positions


class CatalogueFilter(FrozenModel):
    """Filters for listing programs; ``None`` means any."""

    state: str | None = None
    region: Region | None = None
    program_type: ProgramType | None = None
    track: TrackType | None = None
    visa: bool | None = None
    img_friendly: bool | None = None
    strength: Strength | None = None
    text: str | None = None


NRMP_CODE = re.compile(r"^(\d{4}340)[A-Z]\d$")
"""An NRMP PM&R program code: institution (4 digits), specialty 340, track letter and digit."""


class Catalogue(FrozenModel):
    """The programs SmartPick knows, with the data file's version, date and sources."""

    version: str
    date: str
    sources: dict[str, Source] = Field(default_factory=dict)
    programs: tuple[Program, ...]
    _lookup: dict[str, Program] | None = PrivateAttr(default=None)
    """Id, ACGME number and NRMP code -> program, built on first lookup."""

    @model_validator(mode="after")
    def _unique(self) -> Self:
        seen: set[str] = set()
        for p in self.programs:
            if p.id in seen:
                raise ValueError(f"duplicate program id {p.id!r}")
            seen.add(p.id)
        return self

    def __len__(self) -> int:
        return len(self.programs)

    def get(self, ref: str) -> Program | None:
        """A program by id, ACGME number, NRMP code (``IIII340Tn``) or alias, case-insensitive."""
        key = ref.strip().casefold()
        index = self._index()
        found = index.get(key)
        if found is None:
            code = NRMP_CODE.match(key.upper())
            found = index.get(code.group(1).casefold()) if code else None
        return found

    def canonical_id(self, ref: str) -> str | None:
        """The catalogue id of a program reference (id, ACGME number, NRMP code or alias)."""
        found = self.get(ref)
        return found.id if found else None

    def _index(self) -> dict[str, Program]:
        if self._lookup is None:
            lookup: dict[str, Program] = {}
            for p in self.programs:
                lookup[p.id.casefold()] = p
            for p in self.programs:
                refs = [p.acgme_id.value, *(t.code for t in p.tracks), *p.aliases]
                for ref in refs:
                    if ref:
                        lookup.setdefault(ref.strip().casefold(), p)
            self._lookup = lookup
        return self._lookup

    def select(self, flt: CatalogueFilter) -> tuple[Program, ...]:
        """Programs matching every given filter, in catalogue order."""
        return tuple(p for p in self.programs if _matches(p, flt))

    def with_programs(self, programs: Iterable[Program]) -> Catalogue:
        """A copy with another program list (same version and sources)."""
        return Catalogue(version=self.version, date=self.date, sources=self.sources, programs=tuple(programs))


def _matches(p: Program, f: CatalogueFilter) -> bool:
    checks = (
        f.state is None or p.state.value == f.state.upper(),
        f.region is None or p.region.value == f.region,
        f.program_type is None or p.program_type.value == f.program_type,
        f.track is None or f.track in p.track_types,
        f.visa is None or (p.sponsors_visa is True) == f.visa,
        f.img_friendly is None
        or (p.img_friendliness in (ImgFriendliness.HIGH, ImgFriendliness.MEDIUM)) == f.img_friendly,
        f.strength is None or p.has_strength(f.strength),
        f.text is None or _text_hit(p, f.text),
    )
    return all(checks)


def _text_hit(p: Program, text: str) -> bool:
    needle = text.casefold().strip()
    hay = [p.id, p.name, p.institution, p.city.value or "", *p.aliases, *(t.code or "" for t in p.tracks)]
    return any(needle in h.casefold() for h in hay)
