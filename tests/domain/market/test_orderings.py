"""Orderings that always hold (issue 14 item 6), as property tests on the shipped market tables."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.data import market as store
from smartpick.data.figures import bundled_figures
from smartpick.domain.catalogue.programs import ImgFriendliness, ProgramType
from smartpick.domain.market.chances import ApplicantInMarket, program_chances
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
    Specialty,
)

CAT, FIGS, TABLES = bundled_catalogue(), bundled_figures(), store.bundled_tables()
PMR = Letter(writer_specialty=Specialty.PMR, us=True, strength=LetterStrength.GOOD)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _profile(t: ApplicantType, score: int, months: int, visa: bool, rotation: int | None = None) -> Profile:
    rotations = ()
    if rotation is not None:
        rotations = (
            Rotation.model_validate(
                {"program": CAT.programs[rotation].id, "kind": "hands_on", "start": "2026-06-01", "weeks": 4}
            ),
        )
    return Profile(
        applicant=Applicant(type=t, needs_visa=visa, graduation_year=2026, target_start_year=2027),
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


def _img_favouring(k: int) -> bool:
    """Program data that says IMGs are favoured there (community type, or a medium/high IMG share)."""
    program = CAT.programs[k]
    kind = program.program_type.value
    return kind in (ProgramType.COMMUNITY, ProgramType.UNIVERSITY_AFFILIATED) or program.img_friendliness in (
        ImgFriendliness.MEDIUM,
        ImgFriendliness.HIGH,
    )


@FAST
@given(score=scores, m=st.integers(3, 12))
def test_us_md_then_do_then_us_img_at_every_program_without_img_favouring_data(score: int, m: int) -> None:
    md, do, img = (
        _chances(_profile(t, score, m, False))
        for t in (ApplicantType.US_MD, ApplicantType.US_DO, ApplicantType.US_IMG)
    )
    assert np.all(md[0] >= do[0] - EPS) and np.all(md[1] >= do[1] - EPS)
    plain = np.array([not _img_favouring(k) for k in range(len(CAT.programs))])
    assert np.all(do[0][plain] >= img[0][plain] - EPS)
    assert np.all(do[1][plain] >= img[1][plain] - EPS)


@FAST
@given(t=types, score=scores, m=months)
def test_a_visa_need_never_raises_a_chance_and_zero_where_none_is_sponsored(
    t: ApplicantType, score: int, m: int
) -> None:
    free, needs = _chances(_profile(t, score, m, False)), _chances(_profile(t, score, m, True))
    assert np.all(needs[0] <= free[0] + EPS) and np.all(needs[1] <= free[1] + EPS)
    none = np.array([p.sponsors_visa is False for p in CAT.programs])
    assert np.all(needs[0][none] == 0)


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
@given(t=types, score=scores, k=st.integers(0, len(CAT.programs) - 1))
def test_an_away_rotation_and_a_signal_there_never_lower_that_programs_chance(
    t: ApplicantType, score: int, k: int
) -> None:
    base, rotated = _chances(_profile(t, score, 3, False)), _chances(_profile(t, score, 3, False, rotation=k))
    assert rotated[0][k] >= base[0][k] - EPS and rotated[1][k] >= base[1][k] - EPS
    assert np.all(base[2] >= base[0] - EPS)  # signalled P(interview) >= unsignalled everywhere


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
