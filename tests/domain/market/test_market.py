"""The simulated market: reproducible runs, the match's invariants, and program-level behaviour."""

import numpy as np
import pytest

from smartpick.data import bundled_catalogue
from smartpick.data import market as store
from smartpick.data.figures import bundled_figures
from smartpick.domain.market.build import build_arrays, parameter_vector, program_positions
from smartpick.domain.market.calibrate import statistics
from smartpick.domain.market.kernel import OPEN
from smartpick.domain.market.run import UserEntry, chunks, run_markets, spawn_seeds

CAT, FIGS, SPEC = bundled_catalogue(), bundled_figures(), store.bundled_spec()
START = {p.name: p.start for p in SPEC.free}
ARRAYS = build_arrays(CAT, FIGS, SPEC, START)
PV = parameter_vector(FIGS, SPEC, START)


def test_market_uses_catalogue_positions_and_flags_estimates() -> None:
    for k, program in enumerate(CAT.programs):
        positions, estimated = program_positions(program, int(SPEC.programs["default_positions"].value))
        assert ARRAYS.capacity[k] == positions
        assert ARRAYS.positions_estimated[k] == estimated
    assert ARRAYS.slots.sum() == pytest.approx(
        ARRAYS.capacity.sum() * START["interviews_per_position"], rel=0.02
    )
    counts = np.bincount(ARRAYS.app_type, minlength=4) / ARRAYS.n_competitors
    assert counts[0] == pytest.approx(SPEC.share[next(iter(SPEC.share))].value, abs=0.01)


def test_same_seed_same_result_and_any_split_agrees() -> None:
    seeds = spawn_seeds(11, 6)
    whole = run_markets(ARRAYS, PV, seeds)
    parts = [run_markets(ARRAYS, PV, c) for c in chunks(seeds, 3)]
    assert np.array_equal(whole.stats, np.concatenate([p.stats for p in parts]))
    assert np.array_equal(whole.cutoffs, np.concatenate([p.cutoffs for p in parts]))
    other = run_markets(ARRAYS, PV, spawn_seeds(12, 6))
    assert not np.array_equal(whole.stats, other.stats)


def test_match_invariants_hold_in_every_run() -> None:
    runs = run_markets(ARRAYS, PV, spawn_seeds(3, 8))
    for row in runs.stats:
        named = statistics(row)
        assert 0 < named["fill_rate"] <= 1
        for t in ("us_md", "us_do", "us_img", "non_us_img"):
            assert 0 <= named[f"match_rate.{t}"] <= 1
    # a program with free interview slots has no threshold; a program with a free seat has no cutoff
    assert np.all((runs.thresholds > OPEN) | (runs.thresholds == np.float32(OPEN)))
    full = runs.cutoffs > OPEN
    assert full.mean() > 0.5


def test_reordering_a_rank_list_never_changes_whether_the_user_matches() -> None:
    order = (0, 5, 9, 14, 20)
    safest = tuple(reversed(order))
    x = tuple(0.0 for _ in order)
    user = UserEntry(
        (order, safest),
        (x, x),
        np.zeros(ARRAYS.n_programs),
        True,
        np.ones(ARRAYS.n_programs, dtype=np.int8),
        shared=2,
    )
    runs = run_markets(ARRAYS, PV, spawn_seeds(5, 20), user)
    assert np.array_equal(runs.user[:, 0] >= 0, runs.user[:, 1] >= 0)


def test_more_interviews_per_position_raise_cutoffs() -> None:
    # A program that interviews more people per seat sees a deeper pool, so the last applicant it keeps
    # ranks higher: P(match | interviewed) there falls as its interviews per position rise.
    seeds = spawn_seeds(8, 12)
    few = {**START, "interviews_per_position": 7.0}
    many = {**START, "interviews_per_position": 16.0}
    a = run_markets(build_arrays(CAT, FIGS, SPEC, few), parameter_vector(FIGS, SPEC, few), seeds)
    b = run_markets(build_arrays(CAT, FIGS, SPEC, many), parameter_vector(FIGS, SPEC, many), seeds)
    full = (a.cutoffs > OPEN) & (b.cutoffs > OPEN)
    assert b.cutoffs[full].mean() > a.cutoffs[full].mean()
