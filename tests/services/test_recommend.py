import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.services.profiles import load_profile
from smartpick.services.recommend import recommend

CAT = bundled_catalogue()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STRONG = load_profile(EXAMPLES / "strong-us-img.toml", CAT)
WEAK = load_profile(EXAMPLES / "us-img-228-step1-fail.toml", CAT)
VISA = load_profile(EXAMPLES / "non-us-img-visa.toml", CAT)


def test_examples_give_visibly_different_strategies() -> None:
    recs = {name: recommend(p, CAT) for name, p in (("strong", STRONG), ("weak", WEAK), ("visa", VISA))}
    sizes = {k: len(r.programs) for k, r in recs.items()}
    assert len(set(sizes.values())) == 3
    assert recs["strong"].p_match > recs["weak"].p_match
    # absolute tiers: the strong profile has likely interviews, the flagged ones hardly any
    not_reach = {k: 1 - r.tier_counts["reach"] / len(r.programs) for k, r in recs.items()}
    assert not_reach["strong"] > not_reach["weak"] and not_reach["strong"] > not_reach["visa"]
    assert recs["weak"].backup is not None and recs["strong"].backup is None
    assert recs["weak"].size.needed == 60  # red flags (50+) and low band (60-80+)
    assert any("pending" in w for w in recs["visa"].warnings)
    assert any("visa sponsorship unknown" in w for w in recs["visa"].warnings)
    assert not any("pending" in w for w in recs["strong"].warnings)
    assert "1104340" in recs["strong"].signals  # the hands-on rotation site gets a signal


def test_budget_below_need_warns() -> None:
    rec = recommend(WEAK, CAT, budget=300)
    assert len(rec.programs) == 27  # $297 buys 27 programs at $11
    assert rec.cost_usd == 297
    assert any("the budget allows 27 programs but this profile calls for 60+" in w for w in rec.warnings)


def test_json_document_has_the_contract_keys() -> None:
    doc = recommend(STRONG, CAT).to_json_dict()
    for key in (
        "step2_band",
        "programs",
        "p_match",
        "expected_utility",
        "cost_usd",
        "tier_counts",
        "signals",
        "curve",
        "warnings",
        "sources",
    ):
        assert key in doc
    prog = doc["programs"][0]
    for key in ("id", "tier", "p_interview", "p_match_if_interviewed", "reasons", "estimate"):
        assert key in prog
    assert prog["estimate"] is True
    assert set(doc["curve"][0]) >= {"applications", "p_match", "cost_usd", "estimate"}
    assert doc["pgy1"]["applications"] > 0  # advanced tracks on the list
    # the published figures behind the market model are cited
    assert any(
        line.startswith("match rates by applicant type: NRMP 2025 Main Residency Match")
        for line in doc["sources"]
    )
    assert any(
        line.startswith("programs ranked by matched applicants: NRMP Charting Outcomes")
        for line in doc["sources"]
    )
    assert not any(
        key in line for line in doc["sources"] for key in ("figures.toml", "market_fit.", "model.")
    )


def test_visa_applicant_never_gets_a_non_sponsoring_program() -> None:
    data = CAT.model_dump(mode="json")
    data["programs"][0]["visa_j1"] = {"value": False, "source": "test"}
    data["programs"][0]["visa_h1b"] = {"value": False, "source": "test"}
    cat = type(CAT).model_validate(data)
    rec = recommend(VISA, cat, max_programs=200, budget=10_000)
    assert cat.programs[0].id not in {p.program.id for p in rec.programs}
    assert (cat.programs[0].id, "needs a visa; the program sponsors none") in rec.excluded


def test_utility_override_moves_a_program_into_a_short_list() -> None:
    target = CAT.programs[-1].id
    base = recommend(STRONG, CAT, max_programs=5)
    boosted = recommend(STRONG, CAT, max_programs=5, utility_overrides={target: 50.0})
    assert target not in {p.program.id for p in base.programs}
    assert target in {p.program.id for p in boosted.programs}


@pytest.mark.parametrize("profile", [STRONG, WEAK, VISA], ids=["strong", "weak", "visa"])
def test_curve_is_monotone_and_priced(profile: Profile) -> None:
    curve = recommend(profile, CAT).curve
    assert [p.applications for p in curve] == list(range(1, len(curve) + 1))
    assert all(b.p_match >= a.p_match and b.cost_usd > a.cost_usd for a, b in itertools.pairwise(curve))


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([STRONG, WEAK, VISA]), st.floats(0, 3000), st.floats(0, 1500))
def test_more_budget_never_lowers_p_match_or_expected_utility(
    profile: Profile, budget: float, extra: float
) -> None:
    low = recommend(profile, CAT, budget=budget, max_programs=300)
    high = recommend(profile, CAT, budget=budget + extra, max_programs=300)
    assert high.p_match >= low.p_match - 1e-12
    assert high.expected_utility >= low.expected_utility - 1e-12
    assert high.outcome.p_match >= low.outcome.p_match - 1e-12
    assert high.outcome.expected_utility >= low.outcome.expected_utility - 1e-12
    assert high.cost_usd <= budget + extra


@pytest.mark.parametrize("profile", [STRONG, WEAK, VISA], ids=["strong", "weak", "visa"])
def test_tier_mix_stays_within_the_band_shares(profile: Profile) -> None:
    rec = recommend(profile, CAT)
    doc = rec.to_json_dict()
    n = len(rec.programs)
    counts = rec.tier_counts
    row = {"strong": (0.10, 0.30), "low": (0.0, 0.45), "pending": (0.05, 0.35)}[doc["step2_band"]]
    # The catalogue holds enough programs of every tier for these profiles, so every bound binds.
    assert counts["reach"] >= int(row[0] * n + 1e-9)
    assert counts["safety"] <= int(row[1] * n + 1e-9)
