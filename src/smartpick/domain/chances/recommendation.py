"""The recommendation pipeline: from chances per program to the list, its tiers, signals, plan and warnings.

Pure (no I/O): the caller passes the profile, the catalogue, the model figures, the market tables and the tier
bands; the service (:mod:`smartpick.services.recommend`) loads them and calls :func:`recommend`, so the CLI,
the web app, the advice and the market simulation share this one path. Steps: chances per program (the
market model, :mod:`smartpick.domain.market.chances`) -> utility per program (:mod:`.strategy`) -> tiers on
absolute chances -> nested optimal lists under the tier-share rules (:mod:`.application_list`) -> list size
from the curve, the seed's minimums and the budget, widened when the tier mix cannot be met -> signals, PGY-1
and backup -> explanations, warnings and sources. Every probability is a model estimate and is labelled so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue, Program
from smartpick.domain.chances import application_list as portfolio
from smartpick.domain.chances import individual as chances
from smartpick.domain.chances import strategy
from smartpick.domain.chances.application_list import FloatArray, ListOutcome, Tier
from smartpick.domain.market import chances as market_chances
from smartpick.domain.market.chances import ApplicantInMarket, MarketTables
from smartpick.domain.market.spec import Tiers
from smartpick.domain.profile.applicant import Profile, ScoreBand, step2_band
from smartpick.domain.profile.standing import Standing, assess
from smartpick.domain.wording import plural, plural_word


@dataclass(frozen=True)
class ChosenProgram:
    """One program on the recommended list."""

    program: Program
    tier: Tier
    chance: chances.ProgramChance
    utility: strategy.Utility
    signal: bool
    p_interview_signalled: float

    def to_json_dict(self) -> dict[str, object]:
        """JSON form (probabilities are model estimates)."""
        p = self.program
        return {
            "id": p.id,
            "name": p.name,
            "city": p.city.value,
            "state": p.state.value,
            "region": p.region.value.value if p.region.value else None,
            "latitude": p.latitude.value,
            "longitude": p.longitude.value,
            "tracks": sorted(t.value for t in p.track_types),
            "tier": self.tier.value,
            "p_interview": round(self.chance.p_interview, 4),
            "p_interview_if_signalled": round(self.p_interview_signalled, 4),
            "p_match_if_interviewed": round(self.chance.p_match_if_interviewed, 4),
            "signal": self.signal,
            "utility": round(self.utility.value, 3),
            "utility_reasons": list(self.utility.reasons),
            "reasons": [c.to_json_dict() for c in self.chance.reasons(4)],
            "unknown_facts": list(self.chance.unknowns),
            "estimate": True,
        }


@dataclass(frozen=True)
class CurvePoint:
    """P(match) and fee for the first ``applications`` programs of the nested list."""

    applications: int
    p_match: float
    expected_utility: float
    cost_usd: float


@dataclass(frozen=True)
class Recommendation:
    """The recommended application strategy for one profile."""

    applicant_type: str
    step2_band: str
    step2_used: float
    step2_is_estimate: bool
    programs: tuple[ChosenProgram, ...]
    outcome: ListOutcome
    outcome_with_signals: ListOutcome
    optimum_expected_utility: float
    cost_usd: float
    size: strategy.ListSize
    tier_counts: dict[str, int]
    signals: tuple[str, ...]
    curve: tuple[CurvePoint, ...]
    pgy1: strategy.Pgy1Plan | None
    backup: strategy.Backup | None
    excluded: tuple[tuple[str, str], ...]
    explanations: tuple[str, ...]
    warnings: tuple[str, ...]
    sources: tuple[str, ...]
    figures_version: str
    catalogue_version: str
    market_p_match: float = float("nan")
    p_match_interval: tuple[float, float] = (float("nan"), float("nan"))
    market_version: str = ""

    @property
    def p_match(self) -> float:
        """P(match) of the list with the recommended signals, over the simulated markets (estimate).

        The market's common swings are kept (see :mod:`smartpick.domain.market.chances`);
        ``outcome_with_signals`` is the same list under independence, used for the interview counts and
        expected utility.
        """
        if self.market_p_match == self.market_p_match:  # not NaN
            return self.market_p_match
        return self.outcome_with_signals.p_match

    @property
    def expected_utility(self) -> float:
        """Expected utility of the list with the recommended signals (estimate)."""
        return self.outcome_with_signals.expected_utility

    def to_json_dict(self) -> dict[str, object]:
        """The JSON document of ``smartpick recommend --format json``."""
        return {
            "applicant_type": self.applicant_type,
            "step2_band": self.step2_band,
            "step2_used": {"value": self.step2_used, "estimate": self.step2_is_estimate},
            "programs": [p.to_json_dict() for p in self.programs],
            "p_match": round(self.p_match, 4),
            "p_match_interval": [round(self.p_match_interval[0], 4), round(self.p_match_interval[1], 4)],
            "p_match_interval_note": (
                "range of P(match) over refits of the market model on resampled published figures (80%)"
            ),
            "market_version": self.market_version,
            "expected_utility": round(self.expected_utility, 4),
            "estimate": True,
            "without_signals": self.outcome.to_json_dict(),
            "with_signals": self.outcome_with_signals.to_json_dict(),
            "optimum_expected_utility_without_tier_rules": round(self.optimum_expected_utility, 4),
            "cost_usd": self.cost_usd,
            "cost_note": "ERAS PM&R program fees (2025/2026 ladder); PGY-1 and backup costs are separate",
            "list_size": {k: v for k, v in self.size.__dict__.items() if k not in ("warnings",)},
            "tier_counts": self.tier_counts,
            "signals": list(self.signals),
            "curve": [p.__dict__ | {"estimate": True} for p in self.curve],
            "pgy1": self.pgy1.to_json_dict() if self.pgy1 else None,
            "backup": self.backup.to_json_dict() if self.backup else None,
            "excluded": [{"id": i, "reason": r} for i, r in self.excluded],
            "explanations": list(self.explanations),
            "warnings": list(self.warnings),
            "sources": list(self.sources),
            "figures_version": self.figures_version,
            "catalogue_version": self.catalogue_version,
        }


@dataclass(frozen=True, eq=False)
class ChanceModel:
    """What a recommendation reads besides the profile and the catalogue (loaded by the service)."""

    figures: Figures
    tables: MarketTables
    """The calibrated market's per-program tables covering the catalogue's programs."""
    tiers: Tiers
    """Absolute tier bands (``market.toml``)."""


def recommend(
    profile: Profile,
    catalogue: Catalogue,
    model: ChanceModel,
    *,
    budget: float | None = None,
    max_programs: int | None = None,
    utility_overrides: Mapping[str, float] | None = None,
) -> Recommendation:
    """The budget-optimal PM&R application list for ``profile`` over ``catalogue``.

    Args:
        profile: the applicant.
        catalogue: the programs to choose from.
        model: the figures, market tables and tier bands.
        budget: USD for ERAS PM&R program fees; defaults to ``preferences.budget_usd`` (None = no limit).
        max_programs: most programs; defaults to ``preferences.max_programs`` (None = no limit).
        utility_overrides: per-program utility set by the user (program id -> value > 0).
    """
    chosen = choose_list(
        profile,
        catalogue,
        model,
        budget=budget,
        max_programs=max_programs,
        utility_overrides=utility_overrides,
    )
    logit = market_chances.pgy1_interview_logit(chosen.applicant, model.tables.central.params)
    rec = _assemble(profile, catalogue, model.figures, chosen, logit)
    return _with_market_p_match(rec, chosen, model.tables, model.figures)


@dataclass(frozen=True, eq=False)
class ChosenList:
    """The list the recommendation chooses and its signals, before explanations, warnings and sources.

    ``pool`` holds the programs the applicant can be invited to (``applicant`` is scored at exactly them);
    ``lists`` the nested lists under the tier rules, ``curve`` their prefixes, ``size`` the chosen size;
    ``signals`` the signalled programs (indices into the pool).
    """

    pool: _Pool
    applicant: ApplicantInMarket
    lists: portfolio.GreedyResult
    curve: tuple[CurvePoint, ...]
    size: strategy.ListSize
    signals: tuple[int, ...]
    standing: Standing
    band: ScoreBand

    @property
    def indices(self) -> list[int]:
        """The chosen programs (indices into the pool) in the list's order: by tier, then chance to match."""
        tiers, pool = list(Tier), self.pool
        return sorted(
            self.lists.order[: self.size.count], key=lambda i: (tiers.index(pool.tiers[i]), -pool.f[i])
        )

    @property
    def signalled(self) -> tuple[bool, ...]:
        """Whether each program of :attr:`indices` gets a signal."""
        sig = set(self.signals)
        return tuple(i in sig for i in self.indices)

    def market_p_match(self, tables: MarketTables) -> tuple[float, tuple[float, float]]:
        """P(match) of the list with its signals over the simulated markets, and its interval (estimates)."""
        chosen, signalled = self.indices, self.signalled
        centre = market_chances.list_p_match(self.applicant, tables, chosen, signalled)
        interval = market_chances.list_p_match_interval(
            self.applicant, tables, chosen, signalled, centre=centre
        )
        return centre, interval


def choose_list(
    profile: Profile,
    catalogue: Catalogue,
    model: ChanceModel,
    *,
    budget: float | None = None,
    max_programs: int | None = None,
    utility_overrides: Mapping[str, float] | None = None,
) -> ChosenList:
    """The programs and signals :func:`recommend` chooses (same arguments), without the rest of its report."""
    figs, prefs = model.figures, profile.preferences
    budget = prefs.budget_usd if budget is None else budget
    max_programs = prefs.max_programs if max_programs is None else max_programs
    pool, applicant = _Pool.of(profile, catalogue, model, utility_overrides)
    standing, band = assess(profile), step2_band(profile.exams)
    row = figs.strategy.tiers[strategy.strategy_row(band, standing)]
    constrained = portfolio.greedy_lists(
        pool.f,
        pool.u,
        len(pool.programs),
        tiers=pool.tiers,
        reach_max=row.reach_max,
        safety_min=row.safety_min,
        reach_min=row.reach_min,
        safety_max=row.safety_max,
    )
    curve = _curve(constrained, pool.f, figs)
    size = _size(curve, pool, figs, band, standing, budget, max_programs)
    size = _widen_for_tier_mix(size, pool, row.safety_min)
    signals, _ = portfolio.signals_for_list(
        constrained.order, pool.f, pool.f_signalled, pool.u, size.count, figs.signal_count()
    )
    return ChosenList(pool, applicant, constrained, curve, size, signals, standing, band)


def _size(
    curve: tuple[CurvePoint, ...],
    pool: _Pool,
    figs: Figures,
    band: ScoreBand,
    standing: Standing,
    budget: float | None,
    max_programs: int | None,
) -> strategy.ListSize:
    """List size from the curve's diminishing returns, the seed's minimums, the budget and the user's cap."""
    affordable = None if budget is None else figs.residency_fees.max_affordable(budget, len(pool.programs))
    return strategy.list_size(
        band=band,
        standing=standing,
        figures=figs,
        affordable=affordable,
        max_programs=max_programs,
        candidates=len(pool.programs),
        diminishing_returns=strategy.diminishing_returns([pt.p_match for pt in curve], figs),
    )


def _with_market_p_match(
    rec: Recommendation, chosen: ChosenList, tables: MarketTables, figs: Figures
) -> Recommendation:
    """The list's P(match) and its interval over the simulated markets (their common swings kept).

    With advanced tracks on the list, also the chance of a PGY-1 seat on the supplemental list when matched
    to one of them.
    """
    centre, interval = chosen.market_p_match(tables)
    return replace(
        rec,
        market_p_match=centre,
        p_match_interval=interval,
        market_version=tables.version,
        pgy1=None
        if rec.pgy1 is None
        else replace(
            rec.pgy1, p_secured_if_advanced=market_chances.pgy1_chance(chosen.applicant, tables, figs)
        ),
    )


def _widen_for_tier_mix(size: strategy.ListSize, pool: _Pool, safety_min: float) -> strategy.ListSize:
    """The guides' tier shares are the target mix; when too few safeties exist, widen the list instead.

    Each missing safety program is replaced by one more program (within the budget and program limits).
    """
    safeties = sum(1 for t in pool.tiers if t is Tier.SAFETY)
    wanted = math.ceil(safety_min * size.count - 1e-9)
    if size.count == 0 or safeties >= wanted:
        return size
    count = min(size.cap, len(pool.programs), size.count + (wanted - safeties))
    if count == size.count:
        return replace(
            size,
            warnings=(
                *size.warnings,
                f"the guides' mix asks {safety_min:.0%} safety programs but {_safeties(safeties)} for "
                "you, and the list cannot grow within your limits",
            ),
        )
    return replace(
        size,
        count=count,
        reasons=(
            *size.reasons,
            f"widened by {count - size.count} because {_few_safeties(safeties)}",
        ),
        warnings=(
            *size.warnings,
            f"the guides' mix asks {safety_min:.0%} safety programs but {_safeties(safeties)} for you "
            "(an interview more likely than not and a real chance to match there), so the list was widened "
            f"by {plural(count - size.count, 'program')} to make up for it (estimate)",
        ),
    )


def _safeties(count: int) -> str:
    """``only 1 program is a safety``, ``no program is a safety``."""
    if count == 0:
        return "no program is a safety"
    what = "a safety" if count == 1 else "safeties"
    return f"only {plural(count, 'program')} {plural_word(count, 'is')} {what}"


def _few_safeties(count: int) -> str:
    """``no safety program exists``, ``only 2 safety programs exist``."""
    if count == 0:
        return "no safety program exists"
    return f"only {plural(count, 'safety program')} {'exists' if count == 1 else 'exist'}"


@dataclass(frozen=True)
class _Pool:
    """Candidate programs (those with a non-zero chance) as arrays for the optimizer."""

    programs: tuple[Program, ...]
    odds: tuple[chances.ProgramChance, ...]
    utilities: tuple[strategy.Utility, ...]
    tiers: tuple[Tier, ...]
    p: FloatArray
    p_signalled: FloatArray
    q: FloatArray
    u: FloatArray
    excluded: tuple[tuple[str, str], ...]

    @property
    def f(self) -> FloatArray:
        """P(interview and match) per program, no signal."""
        return self.p * self.q

    @property
    def f_signalled(self) -> FloatArray:
        """P(interview and match) per program with a signal."""
        return self.p_signalled * self.q

    @classmethod
    def of(
        cls,
        profile: Profile,
        catalogue: Catalogue,
        model: ChanceModel,
        overrides: Mapping[str, float] | None,
    ) -> tuple[_Pool, ApplicantInMarket]:
        """Chances (market model), utilities and tiers of every program the applicant can match at."""
        figs, tables, bands = model.figures, model.tables, model.tiers
        everyone = ApplicantInMarket.of(profile, catalogue.programs, figs)
        pairs = list(zip(catalogue.programs, market_chances.program_chances(everyone, tables), strict=True))
        excluded = tuple(
            (p.id, "needs a visa; the program sponsors none") for p, c in pairs if c.p_interview == 0
        )
        keep = [k for k, (_, c) in enumerate(pairs) if c.p_interview > 0]
        programs, chs = tuple(pairs[k][0] for k in keep), tuple(pairs[k][1] for k in keep)
        applicant = ApplicantInMarket(
            profile, programs, everyone.base, tuple(everyone.scores[k] for k in keep), everyone.signal
        )
        utils = tuple(strategy.program_utility(profile, p, figs, overrides) for p in programs)
        q = np.array([c.p_match_if_interviewed for c in chs])
        p_int = np.array([c.p_interview for c in chs])
        p_sig = np.array([c.p_interview_if_signalled for c in chs])
        tiers = portfolio.assign_tiers(
            p_int,
            p_int * q,
            reach_interview_max=bands.reach_interview_max,
            safety_interview_min=bands.safety_interview_min,
            safety_match_min=bands.safety_match_min,
        )
        u = np.array([x.value for x in utils])
        return cls(programs, chs, utils, tiers, p_int, p_sig, q, u, excluded), applicant


def _curve(lists: portfolio.GreedyResult, f: FloatArray, figs: Figures) -> tuple[CurvePoint, ...]:
    """P(match), E[utility] and fee for every prefix of the nested list (no signals)."""
    ordered = f[list(lists.order)]
    p = 1.0 - np.cumprod(1.0 - ordered)
    fees = figs.residency_fees
    return tuple(
        CurvePoint(k + 1, round(float(p[k]), 4), round(lists.eu[k], 4), fees.cost(k + 1))
        for k in range(len(p))
    )


def _assemble(
    profile: Profile, catalogue: Catalogue, figs: Figures, chosen_list: ChosenList, pgy1_logit: float
) -> Recommendation:
    pool, lists, size = chosen_list.pool, chosen_list.lists, chosen_list.size
    base, standing, band = chosen_list.applicant.base, chosen_list.standing, chosen_list.band
    n, signal_idx = size.count, chosen_list.signals
    idx = list(lists.order[:n])
    sig = set(signal_idx)
    p_int, p_sig, q = pool.p, pool.p_signalled, pool.q
    p_with = np.where([i in sig for i in range(len(pool.programs))], p_sig, p_int)
    chosen = tuple(
        ChosenProgram(
            pool.programs[i], pool.tiers[i], pool.odds[i], pool.utilities[i], i in sig, float(p_sig[i])
        )
        for i in chosen_list.indices
    )
    optimum = portfolio.greedy_lists(pool.f, pool.u, n).eu[-1] if n else 0.0
    tier_counts = {t.value: sum(1 for c in chosen if c.tier is t) for t in Tier}
    return Recommendation(
        applicant_type=profile.applicant.type.value,
        step2_band=band.value,
        step2_used=round(base.score, 1),
        step2_is_estimate=base.score_is_estimate,
        programs=chosen,
        outcome=portfolio.list_outcome(p_int[idx], q[idx], pool.u[idx]),
        outcome_with_signals=portfolio.list_outcome(p_with[idx], q[idx], pool.u[idx]),
        optimum_expected_utility=optimum,
        cost_usd=figs.residency_fees.cost(n),
        size=size,
        tier_counts=tier_counts,
        signals=tuple(pool.programs[i].id for i in signal_idx),
        curve=chosen_list.curve,
        pgy1=_pgy1(profile, figs, pool, idx, pgy1_logit),
        backup=strategy.backup_plan(profile, standing, base.score, base.score_is_estimate, figs),
        excluded=pool.excluded,
        explanations=_explanations(size, lists, n, optimum, band, figs),
        warnings=_warnings(
            profile, pool, size, tier_counts, strategy.strategy_row(band, standing), base, figs, n
        ),
        sources=_sources(figs, catalogue, pool),
        figures_version=figs.meta.version,
        catalogue_version=catalogue.version,
    )


def _pgy1(
    profile: Profile, figs: Figures, pool: _Pool, idx: list[int], logit: float
) -> strategy.Pgy1Plan | None:
    """The PGY-1 plan at the market's PGY-1 interview chance (``logit``: interview base + type offset)."""
    visa = figs.visa["sponsor_share_when_unknown"].value if profile.applicant.needs_visa else 1.0
    return strategy.pgy1_plan([pool.programs[i] for i in idx], logit, visa, figs)


def _explanations(
    size: strategy.ListSize,
    lists: portfolio.GreedyResult,
    n: int,
    optimum: float,
    band: ScoreBand,
    figs: Figures,
) -> tuple[str, ...]:
    out = [
        f"{plural(n, 'program')}: "
        + "; ".join(size.reasons)
        + f"; limited by {size.limited_by} ({plural(size.cap, 'program')})"
    ]
    rules = sorted({r for r in lists.binding[:n] if r})
    for rule in rules:
        times = sum(1 for r in lists.binding[:n] if r == rule)
        out.append(
            f"the guideline '{rule}' for score band {band.value} (Residency Advisor Step score strategy) "
            f"changed {plural(times, 'pick')}"
        )
    if n and rules:
        cost = optimum - lists.eu[n - 1]
        out.append(
            f"keeping the reach/core/safety balance costs {cost:.3f} points of the list's value (1 point = a "
            "sure match at a program you value 1) against the best list without it (estimate)"
        )
    return tuple(out)


def _warnings(
    profile: Profile,
    pool: _Pool,
    size: strategy.ListSize,
    tier_counts: dict[str, int],
    band: ScoreBand,
    base: chances.ApplicantTerms,
    figs: Figures,
    n: int,
) -> tuple[str, ...]:
    out = list(size.warnings)
    if base.score_is_estimate:
        out.append(
            f"Step 2 CK pending: chances use a projected {base.score:.0f} (estimate); redo this when scored"
        )
    if pool.excluded:
        left = len(pool.excluded)
        out.append(
            f"{plural(left, 'program')} left out: {plural_word(left, 'it')} "
            f"{'sponsor' if left != 1 else 'sponsors'} no visa"
        )
    unknown_visa = sum(1 for c in pool.odds if "visa sponsorship" in c.unknowns)
    if unknown_visa:
        share = figs.visa["sponsor_share_when_unknown"].value
        out.append(
            f"visa sponsorship unknown at {plural(unknown_visa, 'program')}: chances there assume a "
            f"{share:.0%} chance that they sponsor (estimate); confirm before applying"
        )
    unknown_img = sum(1 for c in pool.odds if "IMG share" in c.unknowns)
    if profile.applicant.type.is_img and unknown_img:
        out.append(f"IMG share unknown at {plural(unknown_img, 'program')}: chances there are less certain")
    blind = sum(1 for p in pool.programs if p.program_type.value is None and p.img_share.value is None)
    if blind > len(pool.programs) / 2:
        out.append(
            f"{blind} of {len(pool.programs)} programs lack type and IMG-share data, so reach and safety "
            "tiers rest only on size, ties and rotations"
        )
    return tuple(out)


_CITED_FOR = {  # what each group of cited figures supports, in the words shown beside its source
    "match_rates.": "match rates by applicant type",
    "ranks_matched.": "programs ranked by matched applicants",
    "fees.eras_residency": "ERAS application fees",
    "signals.": "program signals",
    "strategy": "reach, core and safety mix",
}


def _sources(figs: Figures, catalogue: Catalogue, pool: _Pool) -> tuple[str, ...]:
    lines = [
        f"chances: SmartPick's simulated PM&R Match, fitted to published NRMP figures (figures version "
        f"{figs.meta.version}); every chance is a model estimate"
    ]
    for prefix, what in _CITED_FOR.items():
        cites = dict.fromkeys(line.split(": ", 1)[1] for line in figs.citations((prefix,)))
        lines.extend(f"{what}: {cite}" for cite in cites)
    lines.extend(
        f"program catalogue: {v.title}" + (f" <{v.url}>" if v.url else "") for v in catalogue.sources.values()
    )
    return tuple(lines)
