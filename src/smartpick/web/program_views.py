"""Programs as the pages show them: rows for the list, every fact with its source for the detail.

Unknown values stay unknown ("unknown", never a guess); estimates are marked as estimates with
the method that produced them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from smartpick.domain.catalogue.geography import US_STATE_CODES, Region
from smartpick.domain.catalogue.programs import Catalogue, CatalogueFilter, Program, Strength, TrackType
from smartpick.domain.profile.applicant import ProgramType
from smartpick.domain.provenance import Fact

UNKNOWN = "unknown"


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _state(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if code not in US_STATE_CODES:
        raise ValueError("a two-letter US state code such as IL, NY or PR")
    return code


Blank = BeforeValidator(_blank)
SearchText = Annotated[str, Field(max_length=100)]  # inside the Optional: an empty box becomes None first


class ProgramQuery(BaseModel):
    """Catalogue filters as query parameters; empty means any."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    state: Annotated[
        str | None, Blank, AfterValidator(_state), Field(description="Two-letter state code.")
    ] = None
    region: Annotated[Region | None, Blank, Field(description="US census region.")] = None
    type: Annotated[ProgramType | None, Blank, Field(description="Program type.")] = None
    track: Annotated[TrackType | None, Blank, Field(description="Offers this NRMP track type.")] = None
    visa: Annotated[bool | None, Blank, Field(description="Sponsors a J-1 or H-1B (known yes).")] = None
    img_friendly: Annotated[bool | None, Blank, Field(description="IMG-friendliness high or medium.")] = None
    strength: Annotated[Strength | None, Blank, Field(description="Known clinical strength.")] = None
    q: Annotated[SearchText | None, Blank, Field(description="Part of a name, city, id or code.")] = None

    def to_filter(self) -> CatalogueFilter:
        """The domain filter."""
        return CatalogueFilter(
            state=self.state, region=self.region, program_type=self.type, track=self.track,
            visa=self.visa, img_friendly=self.img_friendly, strength=self.strength, text=self.q,
        )  # fmt: skip

    def active(self) -> dict[str, str]:
        """The filters in use, as query-string values."""
        out = {}
        for key, value in self.model_dump(exclude_none=True).items():
            out[key] = (
                ("yes" if value else "no") if isinstance(value, bool) else str(getattr(value, "value", value))
            )
        return out


@dataclass(frozen=True)
class ProgramRow:
    """One program in the list."""

    id: str
    name: str
    city: str
    state: str
    region: str
    program_type: str
    tracks: str
    positions: str
    positions_estimated: bool
    visa: str
    img_friendliness: str


@dataclass(frozen=True)
class SourceRef:
    """A cited data source."""

    key: str
    title: str
    url: str | None
    retrieved: str | None


@dataclass(frozen=True)
class FactView:
    """One fact: its value, and where it comes from or how it was estimated."""

    field: str
    label: str
    value: str
    known: bool
    estimate: str | None
    source: SourceRef | None
    note: str | None


def text(value: Any) -> str:
    """A fact value as text; ``None`` is "unknown"."""
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "value", value))


def program_row(p: Program) -> ProgramRow:
    """The list row of a program."""
    positions = p.positions
    tracks = ", ".join(sorted({t.type.value for t in p.tracks}))
    return ProgramRow(
        id=p.id, name=p.name, city=text(p.city.value), state=text(p.state.value),
        region=text(p.region.value), program_type=text(p.program_type.value), tracks=tracks,
        positions=UNKNOWN if positions is None else str(positions),
        positions_estimated=p.positions_estimated,
        visa={True: "yes", False: "no", None: UNKNOWN}[p.sponsors_visa],
        img_friendliness=p.img_friendliness.value,
    )  # fmt: skip


_LABELS = {
    "acgme_id": "ACGME id",
    "img_share": "Share of IMG residents",
    "img_present": "IMG residents present",
    "us_img_present": "US-citizen IMG residents present",
    "visa_j1": "Sponsors J-1 visas",
    "visa_h1b": "Sponsors H-1B visas",
    "program_type": "Program type",
    "visiting_channel": "Visiting-student channel",
}


def _label(field: str) -> str:
    if field.startswith("track."):
        return f"Positions, track {field.split('.')[1]}"
    if field.startswith("strength."):
        return f"Strength: {field.split('.', 1)[1].upper()}"
    return _LABELS.get(field, field.replace("_", " ").capitalize())


def source_ref(catalogue: Catalogue, key: str) -> SourceRef:
    """A source by its catalogue key (or a URL/reference given inline)."""
    src = catalogue.sources.get(key)
    if src is None:
        return SourceRef(key, key, key if key.startswith(("http://", "https://")) else None, None)
    return SourceRef(key, src.title, src.url, src.retrieved)


def fact_views(catalogue: Catalogue, p: Program) -> tuple[FactView, ...]:
    """Every fact of a program with its provenance, unknown ones included."""
    return tuple(_fact_view(catalogue, name, fact) for name, fact in p.facts())


def _fact_view(catalogue: Catalogue, name: str, fact: Fact[Any]) -> FactView:
    source = source_ref(catalogue, fact.source) if fact.source else None
    shown = f"{fact.value:.0%}" if name == "img_share" and fact.value is not None else text(fact.value)
    return FactView(name, _label(name), shown, fact.known, fact.estimate, source, fact.note)


def catalogue_sources(catalogue: Catalogue) -> tuple[SourceRef, ...]:
    """Every source the catalogue cites."""
    return tuple(source_ref(catalogue, key) for key in catalogue.sources)


def states_in(catalogue: Catalogue) -> tuple[str, ...]:
    """State codes that occur in the catalogue, sorted."""
    return tuple(sorted({p.state.value for p in catalogue.programs if p.state.value}))
