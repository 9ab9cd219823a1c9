"""Score terms of the market model (domain.chances): named contributions, unknown facts, visa factors."""

import datetime as dt
import math

import pytest

from smartpick.data import bundled_catalogue
from smartpick.data.figures import bundled_figures
from smartpick.domain.catalogue.programs import Program, Track, TrackType
from smartpick.domain.chances import individual as chances
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

FIGS = bundled_figures()
CAT = bundled_catalogue()


def reference_profile(t: ApplicantType, score: int, *, needs_visa: bool = False) -> Profile:
    pmr = Letter(writer_specialty=Specialty.PMR, us=True, strength=LetterStrength.GOOD)
    return Profile(
        applicant=Applicant(type=t, needs_visa=needs_visa, graduation_year=2026, target_start_year=2027),
        exams=Exams(step1=ExamResult.PASS, step2_ck=score),
        experience=Experience(us_clinical_months_hands_on=3),
        letters=(pmr, pmr),
    )


def reference_program() -> Program:
    track = Track(code="0000340C0", type=TrackType.CATEGORICAL)
    return Program(id="REFERENCE", name="Reference program", institution="Reference", tracks=(track,))


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
    sc = chances.program_scores(profile, program, FIGS)
    assert sc.visa_factor == expected
    if sponsors is None:
        assert "visa sponsorship" in sc.unknowns
        assert "visa.sponsor_share_when_unknown" in sc.sources


def test_no_visa_need_ignores_sponsorship() -> None:
    profile = reference_profile(ApplicantType.NON_US_IMG, 235, needs_visa=False)
    assert chances.program_scores(profile, _program(visa_j1=False, visa_h1b=False), FIGS).visa_factor == 1.0


def test_hands_on_rotation_here_moves_both_scores_there_only() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 230)
    prog = CAT.programs[0]
    rotation = Rotation.model_validate(
        {"program": prog.id, "kind": "hands_on", "start": "2026-06-01", "weeks": 4}
    )
    rotated = profile.model_copy(update={"rotations": (rotation,)})
    before, after = chances.program_scores(profile, prog, FIGS), chances.program_scores(rotated, prog, FIGS)
    assert after.interview - before.interview == pytest.approx(FIGS.model.interview["away_hands_on"].value)
    assert after.rank - before.rank == pytest.approx(FIGS.model.rank["away_hands_on"].value)
    other = CAT.programs[1]
    assert (
        chances.program_scores(rotated, other, FIGS).interview
        == chances.program_scores(profile, other, FIGS).interview
    )


def test_score_is_the_sum_of_named_contributions() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 251)
    sc = chances.program_scores(profile, CAT.programs[5], FIGS)
    assert sc.interview == pytest.approx(sum(c.logit for c in sc.interview_terms))
    assert sc.rank == pytest.approx(sum(c.logit for c in sc.rank_terms))
    assert all(c.figure.startswith("model.") for c in sc.interview_terms)


def test_program_size_is_not_a_score_term() -> None:
    profile = reference_profile(ApplicantType.US_MD, 240)
    for program in CAT.programs[:20]:
        assert all(
            c.factor != "log_positions"
            for c in chances.program_scores(profile, program, FIGS).interview_terms
        )


def test_pending_score_uses_the_exam_advisors_projection_and_is_an_estimate() -> None:
    profile = reference_profile(ApplicantType.NON_US_IMG, 230)
    data = profile.model_dump()
    data["exams"] = {
        "step1": "pass",
        "practice": [{"date": "2027-03-01", "score": 221}, {"date": "2027-03-22", "score": 226}],
    }
    pending = Profile.model_validate(data)
    # No planned date: the level of the last practice score.
    assert chances.projected_step2(pending, FIGS) == (226.0, True)
    booked = pending.model_copy(
        update={"exams": pending.exams.model_copy(update={"step2_planned_date": dt.date(2027, 6, 20)})}
    )
    # Planned 13 weeks on: the trend (+5 in 3 weeks) carried no further ahead than the scores reach back.
    assert chances.projected_step2(booked, FIGS) == (231.0, True)
    terms = chances.applicant_terms(pending, FIGS)
    assert any("no Step 2 CK score" in c.text for c in terms.interview)  # no planned date: late


def test_unknown_facts_add_nothing_and_are_listed() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 230)
    sc = chances.program_scores(profile, reference_program(), FIGS)
    assert sc.program_specific == ()
    assert {"positions", "program type", "IMG share", "state"} <= set(sc.unknowns)


def test_img_friendly_community_program_scores_above_low_img_university() -> None:
    profile = reference_profile(ApplicantType.US_IMG, 230)
    friendly = _program(program_type="community", img_share=0.6)
    closed = _program(program_type="university", img_share=0.05)
    assert (
        chances.program_scores(profile, friendly, FIGS).interview
        > chances.program_scores(profile, closed, FIGS).interview + 1
    )


def test_sigmoid_is_stable() -> None:
    assert chances.sigmoid(-1000) == 0.0
    assert chances.sigmoid(1000) == 1.0
    assert chances.sigmoid(0) == 0.5
    assert math.isclose(chances.sigmoid(2) + chances.sigmoid(-2), 1.0)


@pytest.mark.parametrize(
    ("visa", "j1", "h1b", "expected"),
    [
        ("j1", True, False, 1.0),
        ("j1", False, True, 0.0),
        ("h1b", False, True, 1.0),
        ("h1b", True, None, None),
        ("either", False, None, None),
        ("either", False, False, 0.0),
    ],
)
def test_visa_factor_follows_the_visa_the_applicant_can_use(
    visa: str, j1: bool | None, h1b: bool | None, expected: float | None
) -> None:
    profile = reference_profile(ApplicantType.NON_US_IMG, 235, needs_visa=True)
    data = profile.model_dump()
    data["applicant"]["visa"] = visa
    profile = Profile.model_validate(data)
    factor = chances.visa_factor(profile, _program(visa_j1=j1, visa_h1b=h1b), FIGS)
    share = FIGS.visa["sponsor_share_when_unknown"].value
    assert factor == (share if expected is None else expected)
