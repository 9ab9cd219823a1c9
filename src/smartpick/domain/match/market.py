"""A synthetic PM&R Main Match market built from the catalogue and the bundled figures (pure, no I/O).

The market is the *fixed* part of every simulated match; :mod:`.simulate` draws the random part per run.

* Programs: one per catalogue program, with its categorical and advanced positions (reserved tracks are for
  physicians already in training and are left out; a program offering only reserved positions keeps them).
  Unknown positions use ``market.default_positions`` and are flagged in ``positions_estimated``.
* Competitors: ``market.applicants`` per applicant type, split over the four census regions in proportion to
  the positions there (their home region). Each run draws their Step 2 CK from ``score_distribution``.
* The chance model's factors decide who gets interviews and how programs rank (one model, not two):
  a competitor's interview weight is ``exp(intercept[type] + Step 2 CK terms)`` times ``exp(program terms)``
  (size, program type, IMG-friendliness, visa) of :func:`smartpick.domain.chances.program_terms` for a
  reference applicant of the type, times ``exp(model.interview.region_ties)`` in the home region. Programs
  rank interviewees by ``rank intercept[type] + Step 2 CK rank term`` plus standard logistic noise, so a
  program with a cut-off at 0 ranks the applicant high enough with exactly the chance model's
  ``P(match | interviewed)``.
* The user: their rank logit at each program is the chance model's (``p_match_if_interviewed``, their own
  profile: letters, rotations, flags), and their ranked programs are taken as interviewed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.chances import applicant_terms, program_chances, program_terms, visa_factor
from smartpick.domain.figures import Figures, MarketFigures
from smartpick.domain.geography import Region
from smartpick.domain.profile import ApplicantType, Profile
from smartpick.domain.programs import Catalogue, Program, TrackType

REGIONS = tuple(Region)
NO_REGION = len(REGIONS)
TYPES = tuple(ApplicantType)
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class SyntheticMarket:
    """The fixed arrays of a simulated PM&R match (programs ``0..P-1``, competitor groups ``0..G-1``).

    Competitors are stored contiguously by group; group ``g`` = (applicant type, home region).

    Attributes:
        program_ids: Catalogue id per program.
        capacity: Positions per program.
        positions_estimated: True where positions are an estimate (or unknown and defaulted).
        interviews: Interview slots per program (``interviews_per_position * capacity``).
        program_region: Census region index per program (``NO_REGION`` when unknown).
        desirability: Fixed part of the shared desirability (the chance model's size term).
        group_start: Row pointers of the groups over competitor ids (length ``G + 1``).
        group_type: Applicant type index (``TYPES``) per group.
        group_region: Home region index per group.
        interview_factor: ``exp`` of each group's program terms, shape ``(G, P)``.
        score_mean: Step 2 CK mean per type; ``score_sd`` the spread.
        interview_intercept: Interview logit at the reference score per type; ``interview_slope`` per point.
        rank_intercept: Rank logit at the reference score per type; ``rank_slope`` per point.
        score_reference: The model's reference Step 2 CK.
        desirability_sd: Spread of the per-run shared desirability.
        preference_sd: Individual taste noise.
        home_bonus: Preference for the home region.
        max_ranks: Longest competitor rank list.
    """

    program_ids: tuple[str, ...]
    capacity: IntArray
    positions_estimated: NDArray[np.bool_]
    interviews: IntArray
    program_region: IntArray
    desirability: FloatArray
    group_start: IntArray
    group_type: IntArray
    group_region: IntArray
    interview_factor: FloatArray
    score_mean: FloatArray
    score_sd: FloatArray
    interview_intercept: FloatArray
    interview_slope: FloatArray
    rank_intercept: FloatArray
    rank_slope: FloatArray
    score_reference: float
    desirability_sd: float
    preference_sd: float
    home_bonus: float
    max_ranks: int

    @property
    def n_programs(self) -> int:
        """Number of programs."""
        return len(self.capacity)

    @property
    def n_competitors(self) -> int:
        """Number of simulated competitors (the user is one more)."""
        return int(self.group_start[-1])

    def index_of(self, program_id: str) -> int:
        """Index of a catalogue program id (ValueError when absent)."""
        return self.program_ids.index(program_id)


def market_figures(figures: Figures) -> MarketFigures:
    """The ``[market]`` table (ValueError when the figures file has none)."""
    if figures.market is None:
        raise ValueError("the figures file has no [market] table")
    return figures.market


def program_positions(program: Program, default: int) -> tuple[int, bool]:
    """Categorical + advanced positions (reserved only if nothing else), and whether estimated."""
    main = [t for t in program.tracks if t.type is not TrackType.RESERVED] or list(program.tracks)
    known = [t.positions.value for t in main if t.positions.value is not None]
    if not main or len(known) < len(main):
        return sum(known) + default * (len(main) - len(known) if main else 1), True
    return sum(known), any(t.positions.is_estimate for t in main)


def reference_profile(profile: Profile, applicant_type: ApplicantType, needs_visa: bool) -> Profile:
    """A competitor of ``applicant_type``: the user's profile without ties, rotations or languages."""
    applicant = profile.applicant.model_copy(
        update={"type": applicant_type, "needs_visa": needs_visa, "languages": ()}
    )
    preferences = profile.preferences.model_copy(update={"states_with_ties": ()})
    return profile.model_copy(update={"applicant": applicant, "rotations": (), "preferences": preferences})


def _type_program_terms(
    profile: Profile, programs: tuple[Program, ...], figures: Figures, applicant_type: ApplicantType
) -> FloatArray:
    """Log interview factor of a reference competitor of one type at each program (visa mix included)."""
    plain = reference_profile(profile, applicant_type, needs_visa=False)
    share = (
        figures.visa_need_share[applicant_type].value if applicant_type in figures.visa_need_share else 0.0
    )
    visa = reference_profile(profile, applicant_type, needs_visa=True)
    out = np.empty(len(programs))
    for j, program in enumerate(programs):
        terms, _ = program_terms(plain, program, figures)
        mix = (1 - share) + share * visa_factor(visa, program, figures)
        out[j] = sum(c.logit for c in terms) + math.log(max(mix, 1e-9))
    return out


def _group_sizes(counts: dict[ApplicantType, int], region_share: FloatArray) -> list[tuple[int, int, int]]:
    groups = []
    for t, applicant_type in enumerate(TYPES):
        n = counts[applicant_type]
        sizes = np.floor(region_share * n).astype(int)
        sizes[np.argmax(region_share)] += n - int(sizes.sum())
        groups += [(t, r, int(size)) for r, size in enumerate(sizes) if size > 0]
    return groups


def build_synthetic_market(catalogue: Catalogue, figures: Figures, profile: Profile) -> SyntheticMarket:
    """Build the fixed market from the catalogue and the figures (see the module docstring).

    Args:
        catalogue: Programs (positions, region, type, IMG share, visa).
        figures: The bundled figures, with a ``[market]`` table.
        profile: The user, only as the template of the competitors' reference profiles.

    Returns:
        The market; competitors per type are ``market.applicants`` (rounded) split by region.
    """
    mf = market_figures(figures)
    programs = tuple(catalogue.programs)
    default = int(mf.default_positions.value)
    positions = [program_positions(p, default) for p in programs]
    capacity = np.asarray([max(n, 0) for n, _ in positions], dtype=np.int32)
    region = np.asarray(
        [REGIONS.index(p.region.value) if p.region.value is not None else NO_REGION for p in programs],
        dtype=np.int32,
    )
    by_region = np.bincount(region, weights=capacity, minlength=NO_REGION + 1)[:NO_REGION]
    groups = _group_sizes(
        {t: round(mf.applicants[t].value) for t in TYPES}, by_region / max(by_region.sum(), 1.0)
    )
    type_terms = np.stack([_type_program_terms(profile, programs, figures, t) for t in TYPES])
    tie = figures.model.interview["region_ties"].value
    factor = np.stack([np.exp(type_terms[t] + tie * (region == r)) for t, r, _ in groups])
    model = figures.model
    md_slope = model.interview["step2_per_10"].value / 10
    extra = model.interview["step2_per_10_non_md"].value / 10
    size_coef = model.interview["log_positions"].value
    return SyntheticMarket(
        program_ids=tuple(p.id for p in programs),
        capacity=capacity,
        positions_estimated=np.asarray([e for _, e in positions], dtype=np.bool_),
        interviews=np.round(capacity * mf.interviews_per_position.value).astype(np.int32),
        program_region=region,
        desirability=size_coef * np.log(np.maximum(capacity, 1) / model.positions_reference),
        group_start=np.concatenate([[0], np.cumsum([n for _, _, n in groups])]).astype(np.int32),
        group_type=np.asarray([t for t, _, _ in groups], dtype=np.int32),
        group_region=np.asarray([r for _, r, _ in groups], dtype=np.int32),
        interview_factor=np.ascontiguousarray(factor),
        score_mean=np.asarray([figures.score_distribution[t].mean for t in TYPES]),
        score_sd=np.asarray([figures.score_distribution[t].sd for t in TYPES]),
        interview_intercept=np.asarray([model.intercepts[t].interview for t in TYPES]),
        interview_slope=np.asarray([md_slope + (0 if t is ApplicantType.US_MD else extra) for t in TYPES]),
        rank_intercept=np.asarray([model.intercepts[t].rank for t in TYPES]),
        rank_slope=np.full(len(TYPES), model.rank["step2_per_10"].value / 10),
        score_reference=model.score_reference,
        desirability_sd=mf.desirability_sd.value,
        preference_sd=mf.preference_noise_sd.value,
        home_bonus=mf.home_region_bonus.value,
        max_ranks=int(mf.max_ranks.value),
    )


def user_rank_logits(
    market: SyntheticMarket, catalogue: Catalogue, figures: Figures, profile: Profile
) -> FloatArray:
    """The user's rank logit at every program (the chance model's P(match | interviewed), as a logit)."""
    base = applicant_terms(profile, figures)
    out = np.empty(market.n_programs)
    for j, program_id in enumerate(market.program_ids):
        program = catalogue.get(program_id)
        assert program is not None  # the market is built from this catalogue
        p = program_chances(profile, program, figures, base=base).p_match_if_interviewed
        out[j] = math.log(p / (1 - p)) if 0 < p < 1 else (50.0 if p >= 1 else -50.0)
    return out
