"""Calibration plumbing: statistics, the fit (hold-outs never seen), targets and fitted-file contracts."""

import numpy as np
import pytest

from smartpick.data import market as store
from smartpick.domain.market import layout as L
from smartpick.domain.market.calibrate import FigureCheck, fit, measure, statistics
from smartpick.domain.market.spec import FREE_NAMES, SpecError, Target, parse_fitted, parse_targets


def _stats(rates: list[float], n: float = 100.0) -> np.ndarray:
    row = np.zeros(L.N_STATS)
    for t, r in enumerate(rates):
        b = L.STAT_WIDTH * t
        row[b], row[b + 1] = n, n * r
        row[b + 2], row[b + 3] = n * r * 12, n * (1 - r) * 5
        row[b + 4], row[b + 5] = n * r * 240, n * (1 - r) * 228
    row[L.STAT_WIDTH * 4], row[L.STAT_WIDTH * 4 + 1] = 99, 100
    return row[None, :]


def test_statistics_from_run_sums() -> None:
    named = statistics(_stats([0.9, 0.8, 0.6, 0.5]))
    assert named["match_rate.us_md"] == pytest.approx(0.9)
    assert named["ranks_matched.us_md"] == pytest.approx(12)
    assert named["rank_gap.us_md"] == pytest.approx(7)
    assert named["step2_gap.us_do"] == pytest.approx(12)
    assert named["fill_rate"] == pytest.approx(0.99)
    assert named["share_of_matched.us_md"] == pytest.approx(0.9 / 2.8)


def _targets(holdout_value: float) -> list[Target]:
    fit_set = [
        Target(f"r{t}", f"rate {t}", "fit", f"match_rate.{k}", v, 0.05, 0.02, "s", "")
        for t, (k, v) in enumerate({"us_md": 0.9, "us_do": 0.75, "us_img": 0.65, "non_us_img": 0.55}.items())
    ]
    held = [
        Target(f"h{k}", f"hold-out {k}", "holdout", "fill_rate", holdout_value, 0.05, 0.01, "s", "")
        for k in range(3)
    ]
    return fit_set + held


def _toy(params: dict[str, float]) -> np.ndarray:
    md = 1 / (1 + np.exp(3 * (params["applicants_per_position"] - 1.8)))
    do = md - 0.1 * params["gap_md_do"]
    us_img = do - 0.1 * params["gap_do_us_img"]
    return _stats([md, do, us_img, us_img - 0.1 * params["gap_us_img_non_us_img"]])


def _free():  # type: ignore[no-untyped-def]
    return store.bundled_spec().free


def test_fit_reaches_the_fit_figures_and_ignores_hold_outs() -> None:
    a = fit(_toy, _targets(0.99), _free(), max_evaluations=300)
    b = fit(_toy, _targets(0.10), _free(), max_evaluations=300)
    assert a.params == b.params  # hold-out values never enter the fit
    named = statistics(_toy(a.params))
    assert named["match_rate.us_md"] == pytest.approx(0.9, abs=0.02)
    assert named["match_rate.non_us_img"] == pytest.approx(0.55, abs=0.03)
    spec = {p.name: p for p in _free()}
    assert all(spec[k].low <= v <= spec[k].high for k, v in a.params.items())


def test_measure_flags_misses_beyond_tolerance() -> None:
    checks = measure(_stats([0.9, 0.75, 0.65, 0.55]), _targets(0.90))
    held = [c for c in checks if c.target.set == "holdout"]
    assert all(isinstance(c, FigureCheck) and not c.ok for c in held)  # 0.99 vs 0.90
    assert all(c.ok for c in checks if c.target.set == "fit")


def test_bundled_targets_have_three_sourced_hold_outs_with_the_stated_tolerances() -> None:
    targets = store.bundled_targets()
    held = [t for t in targets if t.set == "holdout"]
    assert len(held) >= 3
    sources = set(store.target_document()["sources"]) | set(
        __import__("smartpick.data.figures", fromlist=["x"]).bundled_figures().sources
    )
    for t in targets:
        assert t.source in sources, t.name
        expected = (
            0.05 if t.value <= 1 else (1.5 if "ranks" in t.statistic or "rank_gap" in t.statistic else 4.0)
        )
        assert t.tolerance == expected, t.name
    assert not {t.statistic for t in held} & {t.statistic for t in targets if t.set == "fit"}


def test_targets_contract_errors_name_the_field() -> None:
    with pytest.raises(SpecError, match="hold-out"):
        parse_targets({"figure": []})
    bad = {
        "figure": [
            {
                "name": "x",
                "set": "maybe",
                "statistic": "fill_rate",
                "value": 1,
                "tolerance": 1,
                "se": 1,
                "source": "s",
            }
        ]
    }
    with pytest.raises(SpecError, match="set"):
        parse_targets(bad)


def test_fitted_file_holds_every_free_parameter() -> None:
    fitted = store.bundled_fitted()
    assert set(FREE_NAMES) <= set(fitted.params)
    with pytest.raises(SpecError, match="params"):
        parse_fitted({"version": "x", "params": {}, "runs": 1, "seed": 1})


def test_every_hand_set_market_figure_is_sourced_or_a_labelled_estimate() -> None:
    spec = store.bundled_spec()
    groups = [
        spec.share,
        spec.applications,
        spec.exam_failure_share,
        spec.usce_none_share,
        spec.usce_little_share,
        spec.away_rotation_share,
        spec.programs,
        spec.applicants,
    ]
    for group in groups:
        for figure in group.values():
            assert figure.source or figure.estimate
