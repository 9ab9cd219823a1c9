"""Orderings that always hold (issue 14 item 6), as property tests on the shipped market tables."""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.data import market as store
from smartpick.data.figures import bundled_figures
from smartpick.domain.chances.individual import visa_usable
from smartpick.domain.market.build import build_arrays, parameter_vector, type_program_terms
from smartpick.domain.market.chances import (
    ApplicantInMarket,
    MarketTables,
    TableSet,
    list_p_match,
    program_chances,
)
from smartpick.domain.market.run import run_markets, spawn_seeds
from smartpick.domain.profile.applicant import (
    Applicant,
    ApplicantType,
    ExamResult,
    Exams,
    Experience,
    Letter,
    LetterStrength,
    Profile,
    Rotation,
    RotationKind,
    Specialty,
    VisaType,
)

CAT, FIGS, TABLES = bundled_catalogue(), bundled_figures(), store.bundled_tables()
PMR = Letter(writer_specialty=Specialty.PMR, us=True, strength=LetterStrength.GOOD)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _profile(
    t: ApplicantType,
    score: int,
    months: int,
    visa: bool,
    rotation: int | None = None,
    *,
    kind: RotationKind = RotationKind.HANDS_ON,
    visa_type: VisaType | None = None,
) -> Profile:
    rotations = ()
    if rotation is not None:
        rotations = (
            Rotation.model_validate(
                {"program": CAT.programs[rotation].id, "kind": kind.value, "start": "2026-06-01", "weeks": 4}
            ),
        )
    return Profile(
        applicant=Applicant(
            type=t,
            needs_visa=visa,
            visa=visa_type if visa else None,
            graduation_year=2026,
            target_start_year=2027,
        ),
        exams=Exams(step1=ExamResult.PASS, step2_ck=score),
        experience=Experience(us_clinical_months_hands_on=months),
        letters=(PMR, PMR),
        rotations=rotations,
    )


def _chances(profile: Profile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    odds = program_chances(ApplicantInMarket.of(profile, CAT.programs, FIGS), TABLES)
    p = np.array([c.p_interview for c in odds])
    return p, np.array([c.p_match for c in odds]), np.array([c.p_interview_if_signalled for c in odds])


types = st.sampled_from(list(ApplicantType))
scores = st.integers(190, 280)
months = st.integers(0, 12)
EPS = 1e-9


@FAST
@given(score=scores, m=months, visa=st.booleans())
def test_us_img_never_below_an_otherwise_identical_non_us_img(score: int, m: int, visa: bool) -> None:
    us, non_us = (
        _chances(_profile(ApplicantType.US_IMG, score, m, visa)),
        _chances(_profile(ApplicantType.NON_US_IMG, score, m, visa)),
    )
    assert np.all(us[0] >= non_us[0] - EPS)
    assert np.all(us[1] >= non_us[1] - EPS)


def _img_data_bonus() -> np.ndarray:
    """Per program: how much its own data (type, IMG share, recent US-IMG residents) lifts a US IMG's
    interview score above a DO's (the model's program terms for each applicant type)."""
    return np.array(
        [
            type_program_terms(p, FIGS, ApplicantType.US_IMG)
            - type_program_terms(p, FIGS, ApplicantType.US_DO)
            for p in CAT.programs
        ]
    )


@FAST
@given(score=scores, m=st.integers(0, 12))
def test_us_md_then_do_then_us_img_at_every_program_unless_its_own_data_says_otherwise(
    score: int, m: int
) -> None:
    """US MD >= DO everywhere. DO >= US IMG everywhere, except exactly where the program's own data lift a
    US IMG by more than the fitted DO-US IMG gap (with enough US clinical experience, the US IMG is then
    ahead there, and only there). Rank chances (P(match | interviewed)) carry no IMG data: ordered everywhere.
    """
    md, do, img = (
        _chances(_profile(t, score, m, False))
        for t in (ApplicantType.US_MD, ApplicantType.US_DO, ApplicantType.US_IMG)
    )
    assert np.all(md[0] >= do[0] - EPS) and np.all(md[1] >= do[1] - EPS)
    favoured = _img_data_bonus() > TABLES.central.params["gap_do_us_img"] + EPS
    assert np.all(do[0][~favoured] >= img[0][~favoured] - EPS)
    if m >= FIGS.strategy.usce_little_months:  # no experience penalty: the exception is exact
        assert np.all(img[0][favoured] > do[0][favoured])
    q = [
        np.array([c.p_match_if_interviewed for c in program_chances(_applicant(p), TABLES)])
        for p in (_profile(t, score, m, False) for t in (ApplicantType.US_DO, ApplicantType.US_IMG))
    ]
    assert np.all(q[0] >= q[1] - EPS)


def test_the_img_data_exception_is_real_data_not_a_blanket_exemption() -> None:
    """The programs whose data favour IMGs exist (community type, IMG share), yet today none lifts a US IMG
    past the fitted gap, so DO >= US IMG is checked at every program of the catalogue."""
    bonus = _img_data_bonus()
    assert bonus.max() > 0  # some programs' data do favour IMGs
    assert np.sum(bonus > TABLES.central.params["gap_do_us_img"] + EPS) == 0


def _applicant(profile: Profile) -> ApplicantInMarket:
    return ApplicantInMarket.of(profile, CAT.programs, FIGS)


@FAST
@given(t=types, score=scores, m=months, visa_type=st.sampled_from(list(VisaType)))
def test_a_visa_need_never_raises_a_chance_and_zero_where_no_usable_visa_is_sponsored(
    t: ApplicantType, score: int, m: int, visa_type: VisaType
) -> None:
    free = _chances(_profile(t, score, m, False))
    needing = _profile(t, score, m, True, visa_type=visa_type)
    needs = _chances(needing)
    assert np.all(needs[0] <= free[0] + EPS) and np.all(needs[1] <= free[1] + EPS)
    assert np.all(needs[2] <= free[2] + EPS)
    none = np.array([visa_usable(needing, p) is False for p in CAT.programs])
    # the catalogue knows no program that sponsors no visa at all, but 23 that sponsor J-1 only: H-1B-only
    # applicants meet the zero there
    assert none.any() or visa_type is not VisaType.H1B
    assert np.all(needs[0][none] == 0) and np.all(needs[1][none] == 0) and np.all(needs[2][none] == 0)


@FAST
@given(t=types, score=st.integers(190, 270), bump=st.integers(1, 30), m=months, visa=st.booleans())
def test_more_step2_never_lowers_a_programs_chance(
    t: ApplicantType, score: int, bump: int, m: int, visa: bool
) -> None:
    low, high = _chances(_profile(t, score, m, visa)), _chances(_profile(t, score + bump, m, visa))
    assert np.all(high[0] >= low[0] - EPS) and np.all(high[1] >= low[1] - EPS)


@FAST
@given(t=types, score=scores, m=st.integers(0, 6), more=st.integers(1, 6), visa=st.booleans())
def test_more_us_clinical_months_never_lower_a_chance(
    t: ApplicantType, score: int, m: int, more: int, visa: bool
) -> None:
    few, many = _chances(_profile(t, score, m, visa)), _chances(_profile(t, score, m + more, visa))
    assert np.all(many[0] >= few[0] - EPS) and np.all(many[1] >= few[1] - EPS)


@FAST
@given(
    t=types,
    score=scores,
    k=st.integers(0, len(CAT.programs) - 1),
    kind=st.sampled_from(list(RotationKind)),
    visa=st.booleans(),
)
def test_an_away_rotation_and_a_signal_there_never_lower_that_programs_chance(
    t: ApplicantType, score: int, k: int, kind: RotationKind, visa: bool
) -> None:
    plain = _profile(t, score, 3, visa)
    base, rotated = _chances(plain), _chances(_profile(t, score, 3, visa, rotation=k, kind=kind))
    assert rotated[0][k] >= base[0][k] - EPS and rotated[1][k] >= base[1][k] - EPS
    assert np.all(base[2] >= base[0] - EPS)  # signalled P(interview) >= unsignalled everywhere
    applicant = _applicant(plain)
    others = [j for j in range(0, len(CAT.programs), 7) if j != k]
    chosen = [k, *others]
    without = list_p_match(applicant, TABLES, chosen, [False] * len(chosen))
    signalled = list_p_match(applicant, TABLES, chosen, [True] + [False] * len(others))
    assert signalled >= without - EPS  # and the list's P(match) never falls for a signal there


SEEDS = spawn_seeds(11, 60)


def _tables_with_interviews_per_position(k: int, per_position: float) -> MarketTables:
    """Tables simulated with program ``k`` interviewing ``per_position`` applicants per position."""
    params = dict(store.bundled_fitted().params)
    spec = store.bundled_spec()
    arrays = build_arrays(CAT, FIGS, spec, params)
    slots = arrays.slots.copy()
    slots[k] = max(1, round(arrays.capacity[k] * per_position))
    runs = run_markets(
        dataclasses.replace(arrays, slots=slots), parameter_vector(FIGS, spec, params), SEEDS, chains=True
    )
    table = TableSet(params, runs.thresholds, runs.cutoffs, runs.sponsors)
    return MarketTables("test", CAT.version, arrays.program_ids, table)


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    k=st.integers(0, len(CAT.programs) - 1),
    low=st.floats(3.0, 10.0),
    factor=st.floats(1.6, 3.0),
    t=types,
    score=scores,
)
def test_p_match_if_interviewed_falls_as_the_programs_interviews_per_position_rise(
    k: int, low: float, factor: float, t: ApplicantType, score: int
) -> None:
    """Simulated through the whole market: more interviewees per seat at a program -> a higher rank cutoff
    there -> a lower P(match | interviewed) for the same applicant."""
    applicant = _applicant(_profile(t, score, 6, False))
    few, many = (
        program_chances(applicant, _tables_with_interviews_per_position(k, ipp))[k].p_match_if_interviewed
        for ipp in (low, low * factor)
    )
    assert many < few


def test_p_match_if_interviewed_varies_across_programs() -> None:
    profile = _profile(ApplicantType.US_IMG, 235, 4, False)
    q = np.array(
        [
            c.p_match_if_interviewed
            for c in program_chances(ApplicantInMarket.of(profile, CAT.programs, FIGS), TABLES)
        ]
    )
    assert q.max() > 1.5 * q.min()  # the best program's chance is well above the worst's
    assert len(set(np.round(q, 3))) > len(q) // 3
