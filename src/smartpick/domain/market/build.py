"""The market's fixed arrays (programs from the catalogue, the cohort's make-up) and its parameter vector.

Programs: one per catalogue program with its categorical and advanced positions (reserved tracks are for
physicians already in training and are left out unless a program has nothing else); unknown positions use
``programs.default_positions`` and are flagged. Interview slots are the fitted interviews per position x
positions. A program's interview terms per applicant type are
:func:`smartpick.domain.chances.individual.program_terms`
for a plain applicant of that type (program type, IMG openness), so the user and the cohort share one model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.geography import Region
from smartpick.domain.catalogue.programs import Catalogue, Program, TrackType
from smartpick.domain.chances.individual import program_terms
from smartpick.domain.market import layout as L
from smartpick.domain.market.spec import TYPES, MarketSpec
from smartpick.domain.profile.applicant import (
    Applicant,
    ApplicantType,
    ExamResult,
    Exams,
    Profile,
    ProgramType,
)

REGIONS = tuple(Region)
NO_REGION = len(REGIONS)
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class MarketArrays:
    """Programs ``0..P-1`` and competitors ``0..N-1`` (sorted by type) as the kernel's arrays."""

    program_ids: tuple[str, ...]
    capacity: IntArray
    positions_estimated: NDArray[np.bool_]
    slots: IntArray
    region: IntArray
    region_cum: FloatArray
    pterm: FloatArray
    visa_status: NDArray[np.int8]
    desirability: FloatArray
    app_type: IntArray
    advanced: IntArray
    """Advanced (PGY-2 start) positions among each program's positions."""
    pgy1_capacity: IntArray
    """Seats of each program of the PGY-1 pool."""
    other_type: IntArray
    """Applicant type of each PGY-1 applicant of another specialty."""

    @property
    def fixed(self) -> tuple[object, ...]:
        """The tuple the kernel takes."""
        return (
            self.app_type,
            self.capacity,
            self.slots,
            self.region,
            self.region_cum,
            self.pterm,
            self.visa_status,
            self.desirability,
            self.advanced,
            self.pgy1_capacity,
            self.other_type,
        )

    @property
    def n_programs(self) -> int:
        """Number of programs."""
        return len(self.capacity)

    @property
    def n_competitors(self) -> int:
        """Number of simulated applicants besides the user."""
        return len(self.app_type)

    def index_of(self, program_id: str) -> int:
        """Index of a catalogue program id (ValueError when absent)."""
        return self.program_ids.index(program_id)


def program_positions(program: Program, default: int) -> tuple[int, bool]:
    """Categorical + advanced positions (reserved only if nothing else), and whether estimated."""
    main = [t for t in program.tracks if t.type is not TrackType.RESERVED] or list(program.tracks)
    known = [t.positions.value for t in main if t.positions.value is not None]
    if not main or len(known) < len(main):
        return sum(known) + default * (len(main) - len(known) if main else 1), True
    return sum(known), any(t.positions.is_estimate for t in main)


def advanced_positions(program: Program, default: int) -> int:
    """Positions of the program's advanced tracks (``default`` for each one whose positions are unknown)."""
    advanced = [t for t in program.tracks if t.type is TrackType.ADVANCED]
    return sum(t.positions.value if t.positions.value is not None else default for t in advanced)


def pgy1_pool(spec: MarketSpec, advanced: int) -> tuple[IntArray, IntArray]:
    """Seats of the PGY-1 pool's programs and the other specialties' applicants (types, sorted)."""
    cfg = spec.pgy1
    seats = round(cfg["seats_per_advanced_position"].value * advanced)
    size = max(int(cfg["seats_per_program"].value), 1)
    n_prog = -(-seats // size)
    capacity = np.full(n_prog, size, dtype=np.int32)
    if n_prog:
        capacity[-1] = seats - size * (n_prog - 1)
    others = round(cfg["other_applicants_per_seat"].value * seats)
    counts = [round(spec.pgy1_other_share[t].value * others) for t in TYPES]
    return capacity, np.repeat(np.arange(len(TYPES), dtype=np.int32), counts)


def plain_profile(applicant_type: ApplicantType) -> Profile:
    """An applicant of a type with nothing program-specific (no ties, rotations, languages)."""
    return Profile(
        applicant=Applicant(
            type=applicant_type, needs_visa=False, graduation_year=2026, target_start_year=2027
        ),
        exams=Exams(step1=ExamResult.PASS, step2_ck=230),
    )


def type_program_terms(program: Program, figures: Figures, applicant_type: ApplicantType) -> float:
    """Interview score shift of program ``program`` for a plain applicant of ``applicant_type``."""
    terms, _ = program_terms(plain_profile(applicant_type), program, figures)
    return sum(c.logit for c in terms)


def visa_status(program: Program) -> int:
    """0 = sponsors no visa, 1 = sponsors, 2 = unknown."""
    sponsors = program.sponsors_visa
    return 2 if sponsors is None else int(bool(sponsors))


def build_arrays(
    catalogue: Catalogue, figures: Figures, spec: MarketSpec, params: Mapping[str, float]
) -> MarketArrays:
    """Programs from the catalogue and a cohort of ``applicants_per_position`` x positions applicants."""
    programs = tuple(catalogue.programs)
    default = int(spec.programs["default_positions"].value)
    positions = [program_positions(p, default) for p in programs]
    capacity = np.asarray([max(n, 0) for n, _ in positions], dtype=np.int32)
    ipp = params["interviews_per_position"]
    region = np.asarray(
        [REGIONS.index(p.region.value) if p.region.value is not None else NO_REGION for p in programs],
        dtype=np.int32,
    )
    by_region = np.bincount(region, weights=capacity, minlength=NO_REGION + 1)[:NO_REGION]
    region_cum = np.cumsum(by_region / max(by_region.sum(), 1.0))
    pterm = np.asarray([[type_program_terms(p, figures, t) for p in programs] for t in TYPES])
    mean_cap = max(float(capacity.mean()), 1.0) if len(capacity) else 1.0
    univ = np.asarray([p.program_type.value is ProgramType.UNIVERSITY for p in programs], dtype=float)
    desirability = spec.programs["size_desirability"].value * np.log(np.maximum(capacity, 1) / mean_cap)
    desirability += spec.programs["university_desirability"].value * univ
    n = round(params["applicants_per_position"] * int(capacity.sum()))
    counts = [round(spec.share[t].value * n) for t in TYPES]
    advanced = np.minimum([advanced_positions(p, default) for p in programs], capacity).astype(np.int32)
    pgy1_capacity, other_type = pgy1_pool(spec, int(advanced.sum()))
    return MarketArrays(
        program_ids=tuple(p.id for p in programs),
        capacity=capacity,
        positions_estimated=np.asarray([e for _, e in positions], dtype=np.bool_),
        slots=np.maximum(np.round(capacity * ipp), 0).astype(np.int32),
        region=region,
        region_cum=np.ascontiguousarray(region_cum, dtype=np.float64),
        pterm=np.ascontiguousarray(pterm, dtype=np.float64),
        visa_status=np.asarray([visa_status(p) for p in programs], dtype=np.int8),
        desirability=np.ascontiguousarray(desirability, dtype=np.float64),
        app_type=np.repeat(np.arange(len(TYPES), dtype=np.int32), counts),
        advanced=np.ascontiguousarray(advanced, dtype=np.int32),
        pgy1_capacity=pgy1_capacity,
        other_type=other_type,
    )


def type_offsets(params: Mapping[str, float]) -> dict[ApplicantType, float]:
    """Score offset per type from the fitted non-negative gaps (US MD = 0)."""
    do = -params["gap_md_do"]
    us_img = do - params["gap_do_us_img"]
    return {
        ApplicantType.US_MD: 0.0,
        ApplicantType.US_DO: do,
        ApplicantType.US_IMG: us_img,
        ApplicantType.NON_US_IMG: us_img - params["gap_us_img_non_us_img"],
    }


def low_score_extra_slope(figures: Figures, applicant_type: ApplicantType) -> float:
    """Extra interview score per Step 2 CK point *below* the reference for a DO or IMG (0 for a US MD).

    Programs scrutinise a DO's or IMG's low score more; a high score does not lift them above an otherwise
    identical US MD.
    """
    if applicant_type is ApplicantType.US_MD:
        return 0.0
    return figures.model.interview["step2_per_10_non_md"].value / 10


def parameter_vector(figures: Figures, spec: MarketSpec, params: Mapping[str, float]) -> FloatArray:
    """The flat vector of every figure the kernel reads (positions in :mod:`.layout`)."""
    pv = np.zeros(L.SIZE)
    offsets = type_offsets(params)
    model = figures.model
    for t, kind in enumerate(TYPES):
        pv[L.OFFSET + t] = offsets[kind]
        pv[L.SCORE_MEAN + t] = figures.score_distribution[kind].mean
        pv[L.SCORE_SD + t] = figures.score_distribution[kind].sd
        pv[L.I_EXTRA + t] = low_score_extra_slope(figures, kind)
        pv[L.APPS_MEAN + t] = spec.applications[kind].value
        pv[L.FAIL_SHARE + t] = spec.exam_failure_share[kind].value
        pv[L.USCE_NONE + t] = spec.usce_none_share[kind].value
        pv[L.USCE_LITTLE + t] = spec.usce_little_share[kind].value
        need = figures.visa_need_share.get(kind)
        pv[L.VISA_NEED + t] = need.value if need is not None else 0.0
        pv[L.AWAY_SHARE + t] = spec.away_rotation_share[kind].value
    pv[L.R_SLOPE] = model.rank["step2_per_10"].value / 10
    pv[L.I_SLOPE] = model.interview["step2_per_10"].value / 10
    pv[L.SCORE_REF] = model.score_reference
    pv[L.APPS_SD] = spec.applications_spread.value
    pv[L.FAIL_I] = model.interview["step1_repeat"].value
    pv[L.FAIL_R] = model.rank["exam_failure"].value
    pv[L.USCE_NONE_COEF] = model.interview["usce_none_img"].value
    pv[L.USCE_LITTLE_COEF] = model.interview["usce_little_img"].value
    pv[L.UNKNOWN_SPONSOR] = figures.visa["sponsor_share_when_unknown"].value
    pv[L.AWAY_I] = model.interview["away_hands_on"].value
    pv[L.AWAY_R] = model.rank["away_hands_on"].value
    pv[L.TIE_I] = model.interview["region_ties"].value
    pv[L.SIGNAL_I] = math.log(figures.signals["interview_odds_multiplier"].value)
    pv[L.N_SIGNALS] = figures.signals["pmr_count"].value
    pv[L.DESIR_SD] = spec.programs["desirability_sd"].value
    pv[L.PREF_SD] = spec.applicants["preference_noise_sd"].value
    pv[L.HOME_BONUS] = spec.applicants["home_region_bonus"].value
    pv[L.P1_OFFSET] = figures.pgy1.logit_offset
    pv[L.P1_TARGET] = figures.pgy1.target_interviews
    pv[L.P1_MAX_APPS] = 2 * figures.pgy1.max_per_ladder
    pv[L.P1_SPONSOR] = figures.visa["sponsor_share_when_unknown"].value
    return pv
