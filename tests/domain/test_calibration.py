import itertools

import pytest

from smartpick.data.figures import bundled_figures, read_figures_toml
from smartpick.domain import calibration as cal
from smartpick.domain.figures import Confidence, Figures
from smartpick.domain.profile import ApplicantType

FIGS = bundled_figures()
REPORT = cal.calibration_report(FIGS)


@pytest.mark.parametrize(
    "row", REPORT, ids=lambda r: f"{r.applicant_type.value}-{r.band.value if r.band else 'all'}"
)
def test_synthetic_population_reproduces_published_rates_within_5pp(row: cal.BandCheck) -> None:
    assert row.error_pp < 5.0, f"model {row.model:.3f} vs target {row.target:.3f}"


def test_type_targets_are_the_published_figures() -> None:
    rates = {t: FIGS.match_rates[t].value for t in ApplicantType}
    assert rates == {
        ApplicantType.US_MD: 0.897,
        ApplicantType.US_DO: 0.762,
        ApplicantType.US_IMG: 0.678,
        ApplicantType.NON_US_IMG: 0.580,
    }
    assert FIGS.match_rates[ApplicantType.US_IMG].source == "nrmp_2025_main"
    overall = [r for r in REPORT if r.band is None]
    assert all(r.error_pp < 0.5 for r in overall)


def test_band_targets_rise_with_the_band() -> None:
    targets = cal.band_targets(FIGS)
    for t in ApplicantType:
        values = [targets[(t, b)] for b in cal.CALIBRATED_BANDS]
        assert values == sorted(values)


def test_score_gap_between_matched_and_unmatched_us_md() -> None:
    gap = FIGS.score_gradient["matched_minus_unmatched_step2"].value
    assert cal.matched_minus_unmatched(FIGS, ApplicantType.US_MD) == pytest.approx(gap, abs=1.0)


def test_matched_applicants_have_the_published_mean_number_of_ranks() -> None:
    assert FIGS.ranks_matched[ApplicantType.US_MD].value == 12.7
    assert FIGS.ranks_matched[ApplicantType.US_MD].source == "charting_outcomes_2014"
    for t in ApplicantType:
        matched, unmatched = cal.mean_interviews(FIGS, t)
        assert matched == pytest.approx(FIGS.ranks_matched[t].value, abs=0.3), t
        gap = FIGS.rank_list_gap["matched_minus_unmatched_max"].value
        assert 0 < matched - unmatched <= gap, t


def test_ranks_target_changes_the_split_not_the_match_rate() -> None:
    # Asking matched applicants to rank more programs must raise P(interview) and lower P(match | interviewed)
    # at every program while the population match rate stays on its target.
    more = {t: f.model_copy(update={"value": f.value + 3}) for t, f in FIGS.ranks_matched.items()}
    figs = FIGS.model_copy(update={"ranks_matched": more})
    refit = cal.with_intercepts(figs, cal.fit_intercepts(figs))
    for t in ApplicantType:
        old, new = FIGS.model.intercepts[t], refit.model.intercepts[t]
        assert new.interview > old.interview and new.rank < old.rank
        assert cal.population_rate(refit, t) == pytest.approx(FIGS.match_rates[t].value, abs=0.005)
        assert cal.mean_interviews(refit, t)[0] == pytest.approx(FIGS.ranks_matched[t].value + 3, abs=0.3)


def test_p_match_given_k_interviews_follows_the_published_shape() -> None:
    assert cal.ranks_shape_check(FIGS).failures(FIGS.ranks_shape) == ()
    curve = cal.ranks_curve(FIGS, range(1, 31))
    assert list(curve) == sorted(curve)
    steps = [b - a for a, b in itertools.pairwise(curve)]
    assert steps == sorted(steps, reverse=True)  # concave: every extra rank adds less


def test_shape_check_flags_curves_that_flatten_too_early_or_never() -> None:
    # The old unconfirmed points (P(match | 1 rank) 0.48) flattened by 5-6 ranks: 95% of the plateau by 5.
    early = cal.ShapeCheck(steep_share=0.95, plateau_p_match=0.999, plateau_gain_per_rank=0.0)
    assert [f.split(":")[0] for f in early.failures(FIGS.ranks_shape)] == ["flat too early"]
    slow = cal.ShapeCheck(steep_share=0.4, plateau_p_match=0.8, plateau_gain_per_rank=0.05)
    assert len(slow.failures(FIGS.ranks_shape)) == 3


def test_stored_intercepts_are_the_fitted_ones() -> None:
    fitted = cal.fit_intercepts(FIGS)
    for t in ApplicantType:
        assert fitted[t].interview == pytest.approx(FIGS.model.intercepts[t].interview, abs=0.02)
        assert fitted[t].rank == pytest.approx(FIGS.model.intercepts[t].rank, abs=0.02)


def test_stored_slopes_are_the_fitted_ones() -> None:
    refit = cal.fit_model(FIGS)
    for kind in ("interview", "rank"):
        got = getattr(refit.model, kind)["step2_per_10"].value
        assert got == pytest.approx(getattr(FIGS.model, kind)["step2_per_10"].value, abs=0.002)


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
    data = read_figures_toml()
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
