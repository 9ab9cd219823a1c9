"""Agreement (issue 14 item 4): recommend's P(match) for its list is within 3 points of simulated Matches."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import (
    Applicant,
    ApplicantType,
    ExamResult,
    Exams,
    Experience,
    Profile,
)
from smartpick.services.match import simulate_applications
from smartpick.services.profiles import load_profile
from smartpick.services.recommend import recommend

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CAT = bundled_catalogue()
PROFILES = ("strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml")


def _agreement(profile: Profile) -> tuple[float, float]:
    rec = recommend(profile, CAT)
    ids = tuple(c.program.id for c in rec.programs)
    signals = tuple(c.program.id for c in rec.programs if c.signal)
    if not ids:
        return rec.p_match, 0.0
    sim = simulate_applications(profile, ids, signals, catalogue=CAT, runs=20000, seed=2026)
    return rec.p_match, sim.p_match


@pytest.mark.slow
@pytest.mark.parametrize("name", PROFILES)
def test_recommend_agrees_with_simulation_for_the_examples(name: str) -> None:
    model, simulated = _agreement(load_profile(EXAMPLES / name, CAT))
    assert abs(model - simulated) <= 0.03, (model, simulated)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    t=st.sampled_from(list(ApplicantType)),
    score=st.integers(205, 265),
    months=st.integers(0, 12),
    visa=st.booleans(),
    budget=st.sampled_from([None, 400.0, 900.0]),
)
def test_recommend_agrees_with_simulation_for_generated_profiles(
    t: ApplicantType, score: int, months: int, visa: bool, budget: float | None
) -> None:
    profile = Profile(
        applicant=Applicant(
            type=t, needs_visa=visa and t.is_img, graduation_year=2026, target_start_year=2027
        ),
        exams=Exams(step1=ExamResult.PASS, step2_ck=score),
        experience=Experience(us_clinical_months_hands_on=months),
    )
    if budget is not None:
        profile = profile.model_copy(
            update={"preferences": profile.preferences.model_copy(update={"budget_usd": budget})}
        )
    model, simulated = _agreement(profile)
    assert abs(model - simulated) <= 0.03, (model, simulated)
