"""The figures file: sources, fee ladders, signals (the market calibration: tests/domain/market)."""

import pytest

from smartpick.data.figures import bundled_figures, figures_document, read_figures_toml
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.profile.applicant import ApplicantType
from smartpick.domain.provenance import Confidence

FIGS = bundled_figures()


def test_type_match_rates_are_the_published_figures() -> None:
    rates = {t: FIGS.match_rates[t].value for t in ApplicantType}
    assert rates == {
        ApplicantType.US_MD: 0.897,
        ApplicantType.US_DO: 0.762,
        ApplicantType.US_IMG: 0.678,
        ApplicantType.NON_US_IMG: 0.580,
    }
    assert FIGS.match_rates[ApplicantType.US_IMG].source == "nrmp_2025_main"


def test_no_hand_set_intercepts_remain() -> None:
    raw = read_figures_toml()
    assert "intercepts" not in raw["model"]
    assert "market" not in raw


def test_every_figure_cites_a_known_source_or_an_estimate() -> None:
    for name, item in FIGS.cited():
        assert (item.source is None) != (item.estimate is None), name
        if item.source:
            assert item.source in FIGS.sources, name
        if item.confidence is Confidence.ESTIMATE:
            assert item.is_estimate, name
    for coef in FIGS.model.interview.values():
        assert coef.is_estimate


def test_unknown_source_key_is_rejected() -> None:
    data = figures_document()
    data["match_rates"]["us_md"]["source"] = "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        Figures.model_validate(data)


@pytest.mark.parametrize(
    ("n", "usd"), [(0, 0), (10, 110), (30, 330), (31, 360), (40, 630), (60, 1230), (100, 2430)]
)
def test_eras_2025_ladder(n: int, usd: float) -> None:
    assert FIGS.residency_fees.cost(n) == usd


def test_older_and_fellowship_ladders() -> None:
    assert [FIGS.fees["eras_residency_2024"].cost(n) for n in (10, 20, 30, 100)] == [99, 289, 519, 2409]
    assert [FIGS.fees["eras_fellowship"].cost(n) for n in (5, 10, 20, 31)] == [115, 115, 285, 512]
    assert FIGS.residency_fees.max_affordable(1500) == 69
    assert FIGS.residency_fees.max_affordable(10.99) == 0


def test_signals_and_strategy_figures() -> None:
    assert FIGS.signal_count() == 8
    assert FIGS.signals["pmr_count"].source == "aamc_signals_2025"
    assert FIGS.strategy.min_programs.red_flags == 50
    assert FIGS.strategy.min_programs.low_score == 60
