"""The market's figures (cohort, programs, free parameters, targets, fitted values) as plain frozen data.

Parsed from the bundled TOML/JSON documents by :mod:`smartpick.data.market`; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from smartpick.domain.profile.applicant import ApplicantType

TYPES = tuple(ApplicantType)
FREE_NAMES = (
    "applicants_per_position",
    "interviews_per_position",
    "gap_md_do",
    "gap_do_us_img",
    "gap_us_img_non_us_img",
)


class SpecError(ValueError):
    """A market data document breaks its contract (message names the field)."""


@dataclass(frozen=True)
class Labelled:
    """A number with its provenance: a source key, or the estimate's rule."""

    value: float
    source: str | None
    estimate: str | None

    @property
    def is_estimate(self) -> bool:
        """True when the figure is SmartPick's own estimate."""
        return self.source is None


@dataclass(frozen=True)
class FreeParameter:
    """A parameter the calibration fits: start value and bounds."""

    name: str
    start: float
    low: float
    high: float
    note: str


@dataclass(frozen=True)
class Tiers:
    """Absolute tier bands on the applicant's chances at a program."""

    reach_interview_max: float
    safety_interview_min: float
    safety_match_min: float


@dataclass(frozen=True)
class MarketSpec:
    """Everything set by hand (sourced or labelled estimate) in ``market.toml``."""

    version: str
    share: Mapping[ApplicantType, Labelled]
    applications: Mapping[ApplicantType, Labelled]
    applications_spread: Labelled
    exam_failure_share: Mapping[ApplicantType, Labelled]
    usce_none_share: Mapping[ApplicantType, Labelled]
    usce_little_share: Mapping[ApplicantType, Labelled]
    away_rotation_share: Mapping[ApplicantType, Labelled]
    programs: Mapping[str, Labelled]
    applicants: Mapping[str, Labelled]
    free: tuple[FreeParameter, ...]
    tiers: Tiers
    pgy1: Mapping[str, Labelled]
    """The PGY-1 side: pool size, competition from other specialties (``[pgy1]``)."""
    pgy1_other_share: Mapping[ApplicantType, Labelled]
    """Applicant types of the other specialties' PGY-1 applicants."""


@dataclass(frozen=True)
class Target:
    """One published figure: fit or hold-out, with its tolerance and uncertainty."""

    name: str
    """Stable id (JSON, reports)."""
    title: str
    """What the figure is, in words (what ``model validate`` prints)."""
    set: str
    statistic: str
    value: float
    tolerance: float
    se: float
    source: str
    note: str


@dataclass(frozen=True)
class Reported:
    """A figure the market reports without a published value to fit or check (``[[reported]]``)."""

    name: str
    title: str
    statistic: str
    note: str


@dataclass(frozen=True)
class Fitted:
    """The calibrated free parameters (and the refits on resampled figures behind the intervals)."""

    version: str
    params: Mapping[str, float]
    runs: int
    seed: int
    resampled: tuple[Mapping[str, float], ...] = ()
    objective: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=dict)


def _labelled(raw: Mapping[str, Any], where: str) -> Labelled:
    if "value" not in raw:
        raise SpecError(f"{where}: missing 'value'")
    source, estimate = raw.get("source"), raw.get("estimate")
    if not source and not estimate:
        raise SpecError(f"{where}: needs a 'source' or an 'estimate' saying how it was set")
    return Labelled(float(raw["value"]), source, estimate)


def _per_type(raw: Mapping[str, Any], where: str) -> dict[ApplicantType, Labelled]:
    out = {}
    for t in TYPES:
        if t.value not in raw:
            raise SpecError(f"{where}.{t.value}: missing (one figure per applicant type)")
        out[t] = _labelled(raw[t.value], f"{where}.{t.value}")
    return out


def parse_spec(doc: Mapping[str, Any]) -> MarketSpec:
    """Validate and convert the ``market.toml`` document."""
    cohort = doc["cohort"]
    free = tuple(
        FreeParameter(
            name,
            float(doc["free"][name]["start"]),
            float(doc["free"][name]["low"]),
            float(doc["free"][name]["high"]),
            str(doc["free"][name].get("note", "")),
        )
        for name in FREE_NAMES
    )
    shares = _per_type(cohort["share"], "cohort.share")
    if abs(sum(x.value for x in shares.values()) - 1) > 1e-6:
        raise SpecError("cohort.share: the four shares must add up to 1")
    t = doc["tiers"]
    pgy1 = dict(doc["pgy1"])
    other = _per_type(pgy1.pop("other_share"), "pgy1.other_share")
    if abs(sum(x.value for x in other.values()) - 1) > 1e-6:
        raise SpecError("pgy1.other_share: the four shares must add up to 1")
    return MarketSpec(
        version=str(doc["meta"]["version"]),
        share=shares,
        applications=_per_type(cohort["applications"], "cohort.applications"),
        applications_spread=_labelled(cohort["applications_spread"], "cohort.applications_spread"),
        exam_failure_share=_per_type(cohort["exam_failure_share"], "cohort.exam_failure_share"),
        usce_none_share=_per_type(cohort["usce_none_share"], "cohort.usce_none_share"),
        usce_little_share=_per_type(cohort["usce_little_share"], "cohort.usce_little_share"),
        away_rotation_share=_per_type(cohort["away_rotation_share"], "cohort.away_rotation_share"),
        programs={k: _labelled(v, f"programs.{k}") for k, v in doc["programs"].items()},
        applicants={k: _labelled(v, f"applicants.{k}") for k, v in doc["applicants"].items()},
        free=free,
        tiers=Tiers(
            float(t["reach_interview_max"]), float(t["safety_interview_min"]), float(t["safety_match_min"])
        ),
        pgy1={k: _labelled(v, f"pgy1.{k}") for k, v in pgy1.items()},
        pgy1_other_share=other,
    )


def parse_targets(doc: Mapping[str, Any]) -> tuple[Target, ...]:
    """Validate and convert the ``market_targets.toml`` document (at least 3 hold-out figures)."""
    out = []
    for k, raw in enumerate(doc.get("figure", ())):
        where = f"figure[{k}]"
        if raw.get("set") not in ("fit", "holdout"):
            raise SpecError(f"{where}.set: got {raw.get('set')!r}; expected 'fit' or 'holdout'")
        if not raw.get("source"):
            raise SpecError(f"{where}.source: every target needs a source")
        if not str(raw.get("title", "")).strip():
            raise SpecError(f"{where}.title: every target needs a title in words")
        out.append(
            Target(
                str(raw["name"]),
                str(raw["title"]),
                raw["set"],
                str(raw["statistic"]),
                float(raw["value"]),
                float(raw["tolerance"]),
                float(raw["se"]),
                str(raw["source"]),
                str(raw.get("note", "")),
            )
        )
    if sum(1 for t in out if t.set == "holdout") < 3:
        raise SpecError("figure: at least 3 hold-out figures are needed")
    return tuple(out)


def parse_reported(doc: Mapping[str, Any]) -> tuple[Reported, ...]:
    """The ``[[reported]]`` figures of ``market_targets.toml`` (each with a title in words and its basis)."""
    out = []
    for k, raw in enumerate(doc.get("reported", ())):
        for key in ("name", "title", "statistic", "note"):
            if not str(raw.get(key, "")).strip():
                raise SpecError(f"reported[{k}].{key}: missing (every reported figure needs it)")
        out.append(Reported(str(raw["name"]), str(raw["title"]), str(raw["statistic"]), str(raw["note"])))
    return tuple(out)


def parse_fitted(doc: Mapping[str, Any]) -> Fitted:
    """Validate and convert the ``market_fit.json`` document."""
    params = {k: float(v) for k, v in doc["params"].items()}
    missing = [n for n in FREE_NAMES if n not in params]
    if missing:
        raise SpecError(f"params: missing fitted value(s) {', '.join(missing)}")
    return Fitted(
        version=str(doc["version"]),
        params=params,
        runs=int(doc["runs"]),
        seed=int(doc["seed"]),
        resampled=tuple({k: float(v) for k, v in p.items()} for p in doc.get("resampled", ())),
        objective=float(doc.get("objective", 0.0)),
        extra=dict(doc.get("extra", {})),
    )
