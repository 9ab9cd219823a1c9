"""Where a value comes from: one provenance type and one confidence vocabulary for the whole domain.

Every number or date SmartPick shows from data is either *sourced* (``source``: an address, a dataset
reference or the key of a cited `Source`) or *estimated* (``estimate``: the rule that produced it), with an
optional ``note``, the ISO date the source was ``seen`` and a `Confidence` in plain words.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Generic, Self, TypeVar

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from smartpick.domain.base import FrozenModel

T = TypeVar("T")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class Confidence(StrEnum):
    """How far a value can be trusted (the tags of PUBLIC_FIGURES.md), in the words shown to users."""

    OFFICIAL = "official"
    """Published by the body that sets it (NRMP, AAMC, ACGME, a program's own page)."""
    SECONDARY = "secondary"
    """Reported by a guide, survey, vendor, blog or forum."""
    UNCONFIRMED = "unconfirmed"
    """Seen once and not cross-checked: check before use."""
    ESTIMATE = "estimate"
    """Produced by a stated rule, not observed."""


class Source(FrozenModel):
    """A cited document: its title, address, the date it was read and how far it is trusted."""

    title: str
    url: str | None = None
    retrieved: str | None = Field(default=None, pattern=ISO_DATE)
    confidence: Confidence | None = None

    def cite(self, confidence: Confidence | None = None) -> str:
        """One line: ``title <address> [confidence]`` (the value's own confidence when given)."""
        url = f" <{self.url}>" if self.url else ""
        tag = confidence or self.confidence
        return f"{self.title}{url}" + (f" [{tag.value}]" if tag else "")


def _absent(value: object) -> bool:
    return value is None


class Provenance(FrozenModel):
    """Where a value comes from: a ``source`` or an ``estimate`` (never both), note, date seen, confidence.

    One of ``source`` and ``estimate`` is required unless a subclass whose value may be unknown clears
    ``provenance_required``.
    """

    provenance_required: ClassVar[bool] = True
    dump_order: ClassVar[tuple[str, ...]] = ()
    """Keys written first, in this order (the data files' order); the others follow."""

    source: str | None = None
    estimate: str | None = None
    note: str | None = None
    seen: str | None = Field(default=None, pattern=ISO_DATE, exclude_if=_absent)
    confidence: Confidence | None = Field(default=None, exclude_if=_absent)

    @model_validator(mode="after")
    def _one_provenance(self) -> Self:
        if self.source and self.estimate:
            raise ValueError("a value is either sourced or estimated, not both")
        if self.provenance_required and not (self.source or self.estimate):
            raise ValueError("give exactly one of `source` or `estimate`")
        return self

    @model_serializer(mode="wrap")
    def _in_file_order(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if not self.dump_order or not isinstance(data, dict):
            return data
        first = {key: data[key] for key in self.dump_order if key in data}
        return first | {key: value for key, value in data.items() if key not in first}

    @property
    def is_estimate(self) -> bool:
        """True unless the value was read from an official or secondary source."""
        return bool(self.estimate) or self.confidence in (Confidence.ESTIMATE, Confidence.UNCONFIRMED)

    @property
    def provenance(self) -> str:
        """``source: ...`` or ``estimate: ...``, as shown to users."""
        return f"source: {self.source}" if self.source else f"estimate: {self.estimate}"


class PastValue(Provenance):
    """An older figure for the same fact (e.g. an earlier year's NRMP quota), kept for the record."""

    provenance_required: ClassVar[bool] = False
    dump_order: ClassVar[tuple[str, ...]] = ("value", "year", "source", "estimate", "note")

    value: Any = None
    year: int | None = Field(default=None, ge=1950, le=2100)


class Fact(Provenance, Generic[T]):
    """A value that may be unknown (``None``, then without provenance) and says where it comes from.

    ``year`` is the year the figure describes (e.g. the Match year of a quota), ``seen`` the ISO
    date the source was read; ``history`` keeps older figures when a later year replaced them.
    """

    provenance_required: ClassVar[bool] = False
    dump_order: ClassVar[tuple[str, ...]] = ("value", "source", "estimate", "note", "year", "seen", "history")

    seen: str | None = Field(default=None, pattern=ISO_DATE)
    value: T | None = None
    year: int | None = Field(default=None, ge=1950, le=2100)
    history: tuple[PastValue, ...] = ()

    @model_validator(mode="after")
    def _known_needs_provenance(self) -> Self:
        if self.value is not None and not (self.source or self.estimate):
            raise ValueError("a known value needs a `source` or an `estimate` method")
        return self

    @property
    def known(self) -> bool:
        """True when the value is not missing."""
        return self.value is not None

    @property
    def is_estimate(self) -> bool:
        """True when the value was estimated rather than observed."""
        return self.value is not None and self.estimate is not None


class Sourced(Provenance, Generic[T]):
    """A known value with where it comes from."""

    value: T
