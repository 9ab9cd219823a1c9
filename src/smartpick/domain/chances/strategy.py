"""The seed's list strategy as explained rules: utility, list size, PGY-1 applications and backup plans.

Sources: shared/seeds/002 (tiers, 50+ programs with red flags, 60-80+ with a low score, backup when Step 2 CK
< 220, exam failures or little US clinical experience); shared/data/PUBLIC_FIGURES.md §2.4 (ERAS fees per
specialty; transitional year (TY) and internal-medicine preliminary (IM-prelim) are separate ladders).
PGY-1 = first postgraduate year; advanced (PGY-2 start) PM&R tracks need one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Program, Strength, TrackType
from smartpick.domain.chances.individual import sigmoid
from smartpick.domain.market.pgy1 import pgy1_applications
from smartpick.domain.profile.applicant import Interest, Profile, ScoreBand
from smartpick.domain.profile.standing import Standing
from smartpick.domain.wording import plural, plural_word

_INTEREST_STRENGTH = {i: Strength(i.value) for i in Interest if i.value in set(Strength)}


@dataclass(frozen=True)
class Utility:
    """How much the applicant would value matching at a program, and why."""

    value: float
    reasons: tuple[str, ...]
    overridden: bool = False


def program_utility(
    profile: Profile, program: Program, figures: Figures, overrides: Mapping[str, float] | None = None
) -> Utility:
    """Utility of a match at ``program`` from the preferences (or the user's override for its id)."""
    if overrides and program.id in overrides:
        return Utility(float(overrides[program.id]), ("set by the user",), overridden=True)
    w, prefs = figures.utility, profile.preferences
    value, reasons = w.base, []
    if program.region.value is not None and program.region.value in prefs.regions:
        value += w.region
        reasons.append(f"preferred region {program.region.value}")
    if program.state.value is not None and program.state.value in prefs.states_with_ties:
        value += w.state_ties
        reasons.append(f"ties to {program.state.value}")
    if program.program_type.value is not None and program.program_type.value in prefs.program_types:
        value += w.program_type
        reasons.append(f"preferred type {program.program_type.value.value}")
    hits = [
        i.value
        for i in prefs.interests
        if i in _INTEREST_STRENGTH and program.has_strength(_INTEREST_STRENGTH[i])
    ]
    if hits:
        value += min(w.interest_max, w.interest * len(hits))
        reasons.append("strengths: " + ", ".join(hits))
    return Utility(value, tuple(reasons))


def strategy_row(band: ScoreBand, standing: Standing) -> ScoreBand:
    """Which tier-share row applies: red flags use the low-score row (seed 002)."""
    return ScoreBand.LOW if standing.red_flags and _has_flag(standing) else band


def _has_flag(standing: Standing) -> bool:
    return any(f.severity.value in ("major", "minor") for f in standing.red_flags)


def diminishing_returns(p_match_curve: Sequence[float], figures: Figures) -> int:
    """Fewest programs whose P(match) reaches ``diminishing_returns_share`` of the longest list's.

    A relative rule: the curve 1 - prod(1 - f) flattens later for applicants with small per-program chances,
    so weaker profiles are told to apply more broadly, as the source article advises.
    """
    if not p_match_curve:
        return 0
    best = p_match_curve[-1] * figures.strategy.diminishing_returns_share
    return next(k + 1 for k, p in enumerate(p_match_curve) if p >= best)


@dataclass(frozen=True)
class ListSize:
    """How many programs to apply to, and why."""

    count: int
    needed: int
    cap: int
    diminishing_returns: int
    limited_by: str
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


def list_size(
    *,
    band: ScoreBand,
    standing: Standing,
    figures: Figures,
    affordable: int | None,
    max_programs: int | None,
    candidates: int,
    diminishing_returns: int,
) -> ListSize:
    """Size of the list: the point of diminishing returns, raised to the seed's minimums, within limits."""
    mins = figures.strategy.min_programs
    share = figures.strategy.diminishing_returns_share
    needed = 0
    reasons = [
        f"{plural(diminishing_returns, 'program')} {'reaches' if diminishing_returns == 1 else 'reach'} "
        f"{share:.0%} of the P(match) of applying everywhere"
    ]
    if _has_flag(standing):
        needed = mins.red_flags
        reasons.append(
            f"red flags: apply to {mins.red_flags}+ programs (Residency Advisor Step score strategy)"
        )
    if band is ScoreBand.LOW:
        needed = max(needed, mins.low_score)
        reasons.append(
            f"low Step 2 CK band: {mins.low_score}-{mins.low_score_upper}+ programs if finances permit"
        )
    limits = {"the catalogue": candidates}
    if affordable is not None:
        limits["the budget"] = affordable
    if max_programs is not None:
        limits["your most programs setting"] = max_programs
    limited_by = min(limits, key=lambda k: limits[k])
    cap = limits[limited_by]
    count = min(cap, max(diminishing_returns, needed))
    warnings = []
    if cap < needed:
        warnings.append(
            f"{limited_by} allows {plural(cap, 'program')} but this profile calls for {needed}+: "
            "P(match) is lower than it could be"
        )
    return ListSize(count, needed, cap, diminishing_returns, limited_by, tuple(reasons), tuple(warnings))


@dataclass(frozen=True)
class Pgy1Plan:
    """PGY-1 (TY / IM-prelim) applications needed because the list holds advanced tracks."""

    advanced_programs: int
    applications: int
    transitional: int
    preliminary: int
    cost_usd: float
    p_interview_each: float
    reason: str
    p_secured_if_advanced: float | None = None
    """P(a PGY-1 seat on the supplemental list | matched an advanced program), from the simulated market."""

    def to_json_dict(self) -> dict[str, object]:
        """JSON form."""
        secured = self.p_secured_if_advanced
        return {
            **self.__dict__,
            "p_interview_each": round(self.p_interview_each, 3),
            "p_secured_if_advanced": None if secured is None else round(secured, 3),
            "estimate": True,
        }

    def secured_line(self) -> str | None:
        """The PGY-1 chance in words (None when the market gave none)."""
        if self.p_secured_if_advanced is None:
            return None
        return (
            f"if you match an advanced (PGY-2 start) program, chance of also securing a PGY-1 year on its "
            f"supplemental list with these {self.applications} PGY-1 applications: "
            f"{self.p_secured_if_advanced:.0%} (estimate from the simulated market; you keep the advanced "
            "position either way)"
        )


def pgy1_plan(
    programs: list[Program], median_logit: float, visa_factor: float, figures: Figures
) -> Pgy1Plan | None:
    """How many PGY-1 applications an applicant with advanced tracks on the list needs, and their cost.

    The PGY-1 interview chance is the applicant's median PM&R interview chance raised by
    ``pgy1.logit_offset``; applications are sized for ``pgy1.target_interviews`` expected interviews
    and split over the TY and IM-prelim ladders so each stays in its cheapest band.
    """
    advanced = sum(1 for p in programs if TrackType.ADVANCED in p.track_types)
    if advanced == 0:
        return None
    cfg = figures.pgy1
    p_each = visa_factor * sigmoid(median_logit + cfg.logit_offset)
    # Past two ladders each extra application costs the top fee; the cap keeps the advice within reason.
    need = pgy1_applications(p_each, cfg.target_interviews, 2 * cfg.max_per_ladder)
    ty = min(need, cfg.max_per_ladder)
    prelim = need - ty
    ladder = figures.residency_fees
    reason = (
        f"{plural(advanced, 'program')} on the list {plural_word(advanced, 'has')} advanced (PGY-2 start) "
        "tracks: a matched applicant needs a "
        f"PGY-1 year, ranked on supplemental lists; aim for about {cfg.target_interviews} PGY-1 interviews "
        f"(expected with this plan: {need * p_each:.1f}, estimate)"
    )
    return Pgy1Plan(advanced, need, ty, prelim, ladder.cost(ty) + ladder.cost(prelim), p_each, reason)


@dataclass(frozen=True)
class Backup:
    """A backup plan with its cost, and why it is recommended."""

    reasons: tuple[str, ...]
    options: tuple[tuple[str, int, float], ...]

    def to_json_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "reasons": list(self.reasons),
            "options": [{"option": o, "programs": n, "cost_usd": c} for o, n, c in self.options],
        }


def backup_plan(
    profile: Profile, standing: Standing, score: float, score_is_estimate: bool, figures: Figures
) -> Backup | None:
    """Backup (prelim/TY year or a second specialty) when the profile calls for one (seed 002).

    Triggers: Step 2 CK below 220, an exam failure, or an IMG with little hands-on US clinical experience.
    """
    cfg, reasons = figures.backup, []
    if score < cfg.step2_below:
        what = "projected Step 2 CK" if score_is_estimate else "Step 2 CK"
        reasons.append(f"{what} {score:.0f} is below {cfg.step2_below}")
    if standing.has_exam_failure:
        reasons.append("an exam failure is on record")
    months = profile.experience.us_clinical_months_hands_on
    if profile.applicant.type.is_img and months < figures.strategy.usce_little_months:
        reasons.append(
            "no hands-on US clinical experience"
            if months == 0
            else f"only {plural(months, 'month')} of hands-on US clinical experience"
        )
    if not reasons:
        return None
    ladder = figures.residency_fees
    options = (
        (
            "preliminary / transitional year (IM, surgery or TY)",
            cfg.prelim_ty_programs,
            ladder.cost(cfg.prelim_ty_programs),
        ),
        (cfg.second_specialty, cfg.second_specialty_programs, ladder.cost(cfg.second_specialty_programs)),
    )
    return Backup(tuple(reasons), options)
