"""The rank-list estimate's per-program chances come from the market model (no hard-coded rates)."""

from smartpick.data import bundled_catalogue
from smartpick.domain.market.build import plain_profile
from smartpick.domain.profile.applicant import ApplicantType
from smartpick.services.ranking import chance_function

CAT = bundled_catalogue()


def test_default_chance_is_the_market_models_labelled_estimate() -> None:
    chance = chance_function(None, None, CAT)
    a, b = chance(CAT.programs[0].id), chance(CAT.programs[40].id)
    assert a.estimate and "market model" in a.source and "no profile" in a.source
    assert 0 < a.p < 1 and 0 < b.p < 1


def test_profile_changes_the_chance_and_unknown_programs_get_the_median() -> None:
    us = chance_function(None, plain_profile(ApplicantType.US_MD), CAT)
    img = chance_function(None, plain_profile(ApplicantType.NON_US_IMG), CAT)
    pid = CAT.programs[3].id
    assert img(pid).p <= us(pid).p
    other = us("NOT-A-PROGRAM")
    assert other.estimate and "median" in other.source
