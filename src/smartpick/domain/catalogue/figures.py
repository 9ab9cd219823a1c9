"""The figures the recommendation engine uses, as a validated, loader-free model.

The bundled values live in ``smartpick/data/figures.toml`` (loaded by `smartpick.data.figures`); every figure
carries either a ``source`` (a key of ``sources``) or an ``estimate`` (the rule that produced it) and a
``confidence`` tag, so what the engine shows can say where a number comes from and whether it is estimated.

``step2_pace`` is the Step 2 CK pace rule of ``calendar.toml`` (``figures.step2_gain``), carried here so the
chance model projects a pending score exactly as the exam advisor does
(`smartpick.domain.planning.exams.projected_step2`).

ERAS = Electronic Residency Application Service; its per-program fee restarts for each specialty.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.planning.calendar import Figure as PlanningFigure
from smartpick.domain.profile.applicant import ApplicantType, ScoreBand
from smartpick.domain.provenance import Confidence, Provenance, Source


class Figure(Provenance):
    """A single number with provenance."""

    value: float


class ListFigure(Provenance):
    """A list of codes with provenance."""

    value: tuple[str, ...]


class ScoreDistribution(Provenance):
    """Step 2 CK centre and spread among applicants of one type."""

    mean: float
    sd: float = Field(gt=0)


class RanksShape(Provenance):
    """The published shape of P(match | k contiguous ranks): a steep rise over the first ranks, a plateau.

    By ``steep_ranks`` ranks the curve must reach between ``steep_share_min`` and ``steep_share_max`` of
    its ``plateau_ranks`` value (steep, but not yet flat), be at least ``plateau_p_match_min`` at
    ``plateau_ranks``, and gain at most ``plateau_gain_per_rank_max`` per extra rank from there on.
    """

    steep_ranks: int = Field(ge=1)
    steep_share_min: float = Field(gt=0, le=1)
    steep_share_max: float = Field(gt=0, le=1)
    plateau_ranks: int = Field(ge=1)
    plateau_p_match_min: float = Field(gt=0, le=1)
    plateau_gain_per_rank_max: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _steep_before_plateau(self) -> Self:
        if self.steep_ranks >= self.plateau_ranks:
            raise ValueError("steep_ranks must be below plateau_ranks")
        return self


class FeeBand(FrozenModel):
    """Programs ``first``..``last`` (inclusive; open-ended without ``last``) at ``each`` or a ``flat`` fee."""

    first: int = Field(ge=1)
    last: int | None = None
    each: float | None = None
    flat: float | None = None


class FeeLadder(Provenance):
    """A per-specialty ERAS fee schedule."""

    season: str
    bands: tuple[FeeBand, ...] = Field(min_length=1)

    def cost(self, count: int) -> float:
        """Fee in USD for applying to ``count`` programs in one specialty."""
        total = 0.0
        for band in self.bands:
            if count < band.first:
                break
            top = count if band.last is None else min(count, band.last)
            total += band.flat if band.flat is not None else (band.each or 0.0) * (top - band.first + 1)
        return total

    def max_affordable(self, budget: float, limit: int = 10_000) -> int:
        """The largest number of programs whose fee fits within ``budget`` (fees rise with count)."""
        lo, hi = 0, limit
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.cost(mid) <= budget + 1e-9:
                lo = mid
            else:
                hi = mid - 1
        return lo


class Model(FrozenModel):
    """Score terms of the market model: named coefficients and the reference Step 2 CK.

    The applicant types' offsets are fitted by the market calibration (``market_fit.json``), not set here.
    """

    score_reference: float
    interview: dict[str, Figure]
    rank: dict[str, Figure]


class TierShares(FrozenModel):
    """Most reach and least safety share of a list for one band."""

    reach_max: float = Field(ge=0, le=1)
    safety_min: float = Field(ge=0, le=1)
    reach_min: float = Field(default=0.0, ge=0, le=1)
    safety_max: float = Field(default=1.0, ge=0, le=1)


class MinPrograms(Provenance):
    """Minimum list sizes from the source article."""

    red_flags: int
    low_score: int
    low_score_upper: int


class Strategy(Provenance):
    """List-building rules (seed 002) and SmartPick's thresholds."""

    diminishing_returns_share: float = Field(gt=0, le=1)
    usce_little_months: float
    gap_major_months: int = Field(gt=0)
    years_since_graduation_flag: int = Field(gt=0)
    step2_scored_by_month: int = Field(ge=1, le=12)
    step2_scored_by_day: int = Field(ge=1, le=31)
    tiers: dict[ScoreBand, TierShares]
    min_programs: MinPrograms


class Backup(Provenance):
    """When and how much backup to recommend."""

    step2_below: int
    prelim_ty_programs: int
    second_specialty: str
    second_specialty_programs: int


class Pgy1(Provenance):
    """How to size PGY-1 (transitional/preliminary) applications for advanced tracks."""

    target_interviews: int
    logit_offset: float
    max_per_ladder: int


class ImgTiers(Provenance):
    """IMG-share thresholds of the friendliness tiers."""

    high_share: float
    low_share: float


class UtilityWeights(Provenance):
    """Default utility of a match at a program, from the applicant's preferences."""

    base: float = Field(gt=0)
    region: float = Field(ge=0)
    state_ties: float = Field(ge=0)
    program_type: float = Field(ge=0)
    interest: float = Field(ge=0)
    interest_max: float = Field(ge=0)


class Meta(FrozenModel):
    """Version of the figures file."""

    version: str
    date: str


class Figures(FrozenModel):
    """Everything in ``figures.toml``."""

    meta: Meta
    sources: dict[str, Source]
    match_rates: dict[ApplicantType, Figure]
    match_rates_not_used: dict[str, Figure] = Field(default_factory=dict)
    score_distribution: dict[ApplicantType, ScoreDistribution]
    score_gradient: dict[str, Figure]
    typical_applications: dict[ApplicantType, Figure]
    visa_need_share: dict[ApplicantType, Figure]
    ranks_matched: dict[ApplicantType, Figure]
    rank_list_gap: dict[str, Figure]
    ranks_shape: RanksShape
    fees: dict[str, FeeLadder]
    signals: dict[str, Figure]
    visa: dict[str, Figure]
    img_tiers: ImgTiers
    spanish_speaking_states: ListFigure
    model: Model
    strategy: Strategy
    backup: Backup
    pgy1: Pgy1
    utility: UtilityWeights
    step2_pace: PlanningFigure
    """The realistic Step 2 CK gain by weeks of study (``calendar.toml``'s ``step2_gain``)."""

    @model_validator(mode="after")
    def _sources_exist(self) -> Self:
        for name, item in self.cited():
            if item.source is not None and item.source not in self.sources:
                raise ValueError(f"{name}: source {item.source!r} is not a key of [sources]")
            if item.confidence is None:
                raise ValueError(f"{name}: needs a `confidence` ({', '.join(Confidence)})")
        for key, src in self.sources.items():
            if src.url is None or src.confidence is None:
                raise ValueError(f"sources.{key}: needs a `url` and a `confidence`")
        missing = set(ApplicantType) - (set(self.match_rates) & set(self.ranks_matched))
        if missing:
            raise ValueError(
                f"every applicant type needs a match rate and matched ranks; missing {sorted(missing)}"
            )
        return self

    def cited(self) -> list[tuple[str, Provenance]]:
        """Every figure with provenance, named by its TOML path."""
        out: list[tuple[str, Provenance]] = []
        for section in (
            "match_rates",
            "match_rates_not_used",
            "score_distribution",
            "score_gradient",
            "typical_applications",
            "visa_need_share",
            "ranks_matched",
            "rank_list_gap",
            "fees",
            "signals",
            "visa",
        ):
            table: dict[str, Provenance] = getattr(self, section)
            out.extend((f"{section}.{key}", fig) for key, fig in table.items())
        out.extend((f"model.interview.{k}", f) for k, f in self.model.interview.items())
        out.extend((f"model.rank.{k}", f) for k, f in self.model.rank.items())
        for name in (
            "ranks_shape",
            "img_tiers",
            "spanish_speaking_states",
            "strategy",
            "backup",
            "pgy1",
            "utility",
        ):
            out.append((name, getattr(self, name)))
        return out

    def citations(self, prefixes: tuple[str, ...]) -> list[str]:
        """``name: citation`` for every figure whose TOML path equals or starts with one of ``prefixes``."""
        return [
            f"{name}: {self.source_line(item)}"
            for name, item in self.cited()
            if any(name == p or (p.endswith(".") and name.startswith(p)) for p in prefixes)
        ]

    def source_line(self, item: Provenance) -> str:
        """A one-line citation: the source's title and URL, or the estimate's method."""
        if item.source is not None:
            return self.sources[item.source].cite(item.confidence)
        return f"estimate: {item.estimate} [{item.confidence}]"

    @property
    def residency_fees(self) -> FeeLadder:
        """The current ERAS residency ladder (per specialty)."""
        return self.fees["eras_residency"]

    def signal_count(self) -> int:
        """PM&R program signals per ERAS season."""
        return int(self.signals["pmr_count"].value)
