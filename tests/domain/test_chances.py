import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.data.figures import bundled_figures
from smartpick.domain import chances
from smartpick.domain.calibration import reference_profile, reference_program
from smartpick.domain.profile import ApplicantType, Profile
from smartpick.domain.programs import Fact, Program

FIGS = bundled_figures()
CAT = bundled_catalogue()


def _with(profile: Profile, **sections: dict) -> Profile:
    data = profile.model_dump()
    for key, update in sections.items():
        data[key] = {**data[key], **update}
    return Profile.model_validate(data)


def _program(**facts: object) -> Program:
    base = reference_program().model_dump()
    for key, value in facts.items():
        base[key] = {"value": value, "source": "test"} if value is not None else {}
    return Program.model_validate(base)


@pytest.mark.parametrize(
    ("sponsors", "expected"),
    [(True, 1.0), (False, 0.0), (None, FIGS.visa["sponsor_share_when_unknown"].value)],
)
def test_visa_factor_zero_only_when_known_to_sponsor_none(sponsors: bool | None, expected: float) -> None:
    profile = reference_profile(ApplicantType.NON_US_IMG, 235, needs_visa=True)
    program = _program(visa_j1=sponsors, visa_h1b=sponsors)
    ch = chances.program_chances(profile, program, FIGS)
    assert ch.visa_factor == expected
    assert (ch.p_interview == 0) == (sponsors is False)
    if sponsors is None:
        assert "visa sponsorship" in ch.unknowns


def test_no_visa_need_ignores_sponsorship() -> None:
    profile = reference_profile(ApplicantType.NON_US_IMG, 235, needs_visa=False)
    assert chances.program_chances(profile, _program(visa_j1=False, visa_h1b=False), FIGS).visa_factor == 1.0


def test_hands_on_rotation_here_is_a_strong_effect() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 230)
    prog = CAT.programs[0]
    rotated = profile.model_copy(
        update={"rotations": (_rotation(prog.id),)},
    )
    before = chances.program_chances(profile, prog, FIGS)
    after = chances.program_chances(rotated, prog, FIGS)
    assert after.interview_logit - before.interview_logit == pytest.approx(
        FIGS.model.interview["away_hands_on"].value
    )
    assert after.p_interview > 3 * before.p_interview
    assert after.p_match_if_interviewed > before.p_match_if_interviewed
    assert any(c.factor == "away_hands_on" for c in after.reasons(2))
    other = chances.program_chances(rotated, CAT.programs[1], FIGS)
    assert other.p_interview == pytest.approx(
        chances.program_chances(profile, CAT.programs[1], FIGS).p_interview
    )


def _rotation(program_id: str):  # type: ignore[no-untyped-def]
    from smartpick.domain.profile import Rotation

    return Rotation.model_validate(
        {"program": program_id, "kind": "hands_on", "start": "2026-06-01", "weeks": 4}
    )


def test_logit_is_intercept_plus_named_contributions() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 251)
    ch = chances.program_chances(profile, CAT.programs[5], FIGS)
    total = FIGS.model.intercepts[ApplicantType.US_IMG].interview + sum(c.logit for c in ch.interview_terms)
    assert ch.interview_logit == pytest.approx(total)
    assert ch.estimate is True
    assert all(c.figure.startswith("model.") for c in ch.interview_terms)
    assert "model.intercepts.us_img" in ch.sources


def test_pending_score_uses_practice_mean_and_is_an_estimate() -> None:
    profile = reference_profile(ApplicantType.NON_US_IMG, 230)
    data = profile.model_dump()
    data["exams"] = {
        "step1": "pass",
        "practice": [{"date": "2027-03-01", "score": 221}, {"date": "2027-03-22", "score": 226}],
    }
    pending = Profile.model_validate(data)
    score, estimated = chances.projected_step2(pending, FIGS)
    assert (score, estimated) == (223.5, True)
    terms = chances.applicant_terms(pending, FIGS)
    assert any("no Step 2 CK score" in c.text for c in terms.interview)  # no planned date: late


def test_unknown_facts_add_nothing_and_are_listed() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 230)
    ch = chances.program_chances(profile, reference_program(), FIGS)
    assert ch.program_specific == ()
    assert {"positions", "program type", "IMG share", "state"} <= set(ch.unknowns)


def test_img_friendly_community_program_beats_low_img_university() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 230)
    friendly = _program(program_type="community", img_share=0.6)
    closed = _program(program_type="university", img_share=0.05)
    assert (
        chances.program_chances(profile, friendly, FIGS).p_interview
        > 3 * chances.program_chances(profile, closed, FIGS).p_interview
    )


profile_types = st.sampled_from(list(ApplicantType))
programs = st.sampled_from(CAT.programs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    t=profile_types,
    low=st.integers(180, 290),
    bump=st.integers(1, 40),
    prog=programs,
    failed=st.booleans(),
    visa=st.booleans(),
)
def test_higher_step2_never_lowers_any_probability(
    t: ApplicantType, low: int, bump: int, prog: Program, failed: bool, visa: bool
) -> None:
    base = reference_profile(t, low, needs_visa=visa)
    if failed:
        base = _with(base, exams={"step1_attempts": 2})
    better = _with(base, exams={"step2_ck": min(300, low + bump)})
    a, b = chances.program_chances(base, prog, FIGS), chances.program_chances(better, prog, FIGS)
    assert b.p_interview >= a.p_interview
    assert b.p_match_if_interviewed >= a.p_match_if_interviewed


@settings(max_examples=60, deadline=None)
@given(t=profile_types, score=st.integers(180, 290), prog=programs, j1=st.sampled_from([True, False, None]))
def test_removing_visa_need_never_lowers_a_chance(
    t: ApplicantType, score: int, prog: Program, j1: bool | None
) -> None:
    program = prog.model_copy(
        update={"visa_j1": Fact[bool](value=j1, source="test" if j1 is not None else None)}
    )
    needs = chances.program_chances(reference_profile(t, score, needs_visa=True), program, FIGS)
    free = chances.program_chances(reference_profile(t, score, needs_visa=False), program, FIGS)
    assert free.p_interview >= needs.p_interview
    assert free.p_match >= needs.p_match


def test_sigmoid_is_stable() -> None:
    assert chances.sigmoid(-1000) == 0.0
    assert chances.sigmoid(1000) == 1.0
    assert chances.sigmoid(0) == 0.5
    assert math.isclose(chances.sigmoid(2) + chances.sigmoid(-2), 1.0)
