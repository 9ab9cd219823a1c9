"""The market's PGY-1 side: NRMP's procedure with supplemental lists; the advanced match it never changes."""

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.data import market as store
from smartpick.data.figures import bundled_figures
from smartpick.domain.market import layout as L
from smartpick.domain.market.build import build_arrays, parameter_vector, plain_profile
from smartpick.domain.market.calibrate import statistics
from smartpick.domain.market.chances import ApplicantInMarket, pgy1_chance
from smartpick.domain.market.kernel import _advanced_holders, pgy1_match
from smartpick.domain.market.run import run_markets, spawn_seeds
from smartpick.domain.market.spec import TYPES
from smartpick.domain.match.algorithm import CONVERGED, run_nrmp_procedure
from smartpick.domain.match.arrays import ADVANCED, CATEGORICAL, PGY1, build_market
from smartpick.domain.match.kernel import ApplicantLists, Walk, new_seats, propose_all
from smartpick.domain.match.random_streams import _seed_state
from smartpick.domain.profile.applicant import ApplicantType, Profile

CAT, FIGS, SPEC = bundled_catalogue(), bundled_figures(), store.bundled_spec()
PARAMS = store.bundled_fitted().params
ARRAYS = build_arrays(CAT, FIGS, SPEC, PARAMS)
PV = parameter_vector(FIGS, SPEC, PARAMS)
TABLES = store.bundled_tables()


def _lists(rols: list[list[int]], program_rols: list[list[int]], offset: int) -> ApplicantLists:
    """CSR lists over programs ``offset..``, with each program's rank of the applicant (-1 = unranked)."""
    indptr = np.zeros(len(rols) + 1, dtype=np.int32)
    programs, ranks = [], []
    for a, rol in enumerate(rols):
        for p in rol:
            prol = program_rols[p]
            programs.append(p - offset)
            ranks.append(prol.index(a) if a in prol else -1)
        indptr[a + 1] = len(programs)
    return ApplicantLists(indptr, np.asarray(programs, dtype=np.int32), np.asarray(ranks, dtype=np.int32))


def _prefix(draw: st.DrawFn, items: list[int]) -> list[int]:
    """A ranked list: some of ``items`` in some order."""
    return list(draw(st.permutations(items)))[: draw(st.integers(0, len(items)))]


@st.composite
def _markets(draw: st.DrawFn) -> dict[str, object]:
    """PM&R programs (categorical or advanced), a PGY-1 pool, PM&R applicants with one supplemental list
    (attached to every advanced program they rank, as in the market) and other specialties' applicants."""
    tracks = draw(st.lists(st.sampled_from([CATEGORICAL, ADVANCED]), min_size=1, max_size=4))
    n_pmr, n_p1 = len(tracks), draw(st.integers(1, 3))
    n_app, n_other = draw(st.integers(1, 7)), draw(st.integers(0, 5))
    n_all = n_app + n_other
    pmr, pool = list(range(n_pmr)), list(range(n_pmr, n_pmr + n_p1))
    rols = [_prefix(draw, pmr) for _ in range(n_app)]
    supp = [_prefix(draw, pool) for _ in range(n_app)]
    others = [_prefix(draw, pool) for _ in range(n_other)]
    program_rols = [
        [a for a in draw(st.permutations(range(n_app))) if draw(st.integers(0, 4))] for _ in pmr
    ] + [[a for a in draw(st.permutations(range(n_all))) if draw(st.integers(0, 4))] for _ in pool]
    capacity = [draw(st.integers(0, 2)) for _ in range(n_pmr + n_p1)]
    return {
        "tracks": tracks + [PGY1] * n_p1,
        "rols": rols,
        "supp": supp,
        "others": others,
        "program_rols": program_rols,
        "capacity": capacity,
    }


def _market_path(m: dict[str, object]) -> tuple[list[int], list[int]]:
    """The market kernel's path: deferred acceptance on the PM&R lists, then the PGY-1 match of the advanced
    holders' supplemental lists and the others' lists (the compiled helpers, run as Python here)."""
    tracks, rols, supp, others = m["tracks"], m["rols"], m["supp"], m["others"]
    prols, cap = m["program_rols"], np.asarray(m["capacity"], dtype=np.int32)
    assert isinstance(tracks, list) and isinstance(rols, list) and isinstance(supp, list)
    assert isinstance(others, list) and isinstance(prols, list)
    n_pmr, n_app = tracks.count(CATEGORICAL) + tracks.count(ADVANCED), len(rols)
    pmr_cap = cap[:n_pmr]
    lists = _lists(rols, prols, 0)
    seats, walk = new_seats(pmr_cap), Walk(lists.indptr[:n_app].copy(), np.full(n_app, -1, dtype=np.int32))
    propose_all(lists, pmr_cap, seats, walk, n_app)
    advanced = np.where(np.asarray(tracks[:n_pmr]) == ADVANCED, pmr_cap, 0).astype(np.int32)
    holder = np.zeros(n_app, dtype=np.bool_)
    _advanced_holders(pmr_cap, advanced, seats, _seed_state(1), holder)
    holders = [a for a in range(n_app) if holder[a]]
    rows = [supp[a] for a in holders] + others
    who = holders + [n_app + o for o in range(len(others))]
    p1_prols = [[who.index(a) for a in prols[p] if a in who] for p in range(len(prols))]
    got, _ = pgy1_match(_lists(rows, p1_prols, n_pmr), cap[n_pmr:])
    assignment = [int(x) for x in walk.assignment] + [-1] * len(others)
    pgy1 = [-1] * (n_app + len(others))
    for k, a in enumerate(who):
        if got[k] >= 0:
            (pgy1 if a < n_app else assignment)[a] = int(got[k]) + n_pmr
    return assignment, pgy1


def _reference(m: dict[str, object]) -> tuple[list[int], list[int], str]:
    tracks, rols, supp, others = m["tracks"], m["rols"], m["supp"], m["others"]
    assert isinstance(tracks, list) and isinstance(rols, list) and isinstance(supp, list)
    assert isinstance(others, list)
    supplemental = {
        (a, p): supp[a] for a, rol in enumerate(rols) for p in rol if tracks[p] == ADVANCED and supp[a]
    }
    market = build_market(
        [*rols, *others],
        m["program_rols"],  # type: ignore[arg-type]
        m["capacity"],  # type: ignore[arg-type]
        tracks=tracks,
        supplemental=supplemental,
    )
    out = run_nrmp_procedure(market)
    return out.assignment.tolist(), out.pgy1_assignment.tolist(), out.status


@settings(max_examples=400, deadline=None)
@given(_markets())
def test_market_path_gives_the_reference_procedure_outcome(m: dict[str, object]) -> None:
    assignment, pgy1 = _market_path(m)
    ref_assignment, ref_pgy1, status = _reference(m)
    assert status == CONVERGED
    assert assignment == ref_assignment
    assert pgy1 == ref_pgy1


def test_a_matched_advanced_applicant_without_pgy1_stays_matched() -> None:
    # the PGY-1 program prefers the other specialty's applicant for its only seat
    m = {
        "tracks": [ADVANCED, PGY1],
        "rols": [[0]],
        "supp": [[1]],
        "others": [[1]],
        "program_rols": [[0], [1, 0]],
        "capacity": [1, 1],
    }
    assignment, pgy1 = _market_path(m)
    assert assignment == [0, 1] and pgy1 == [-1, -1]
    assert _reference(m)[:2] == (assignment, pgy1)


def _runs(arrays: object, n: int = 40) -> object:
    return run_markets(arrays, PV, spawn_seeds(11, n))  # type: ignore[arg-type]


def test_the_pgy1_side_never_changes_the_pmr_match() -> None:
    with_pool = _runs(ARRAYS)
    without = _runs(replace(ARRAYS, pgy1_capacity=np.zeros_like(ARRAYS.pgy1_capacity)))
    for field in ("thresholds", "cutoffs", "user", "sponsors"):
        assert np.array_equal(getattr(with_pool, field), getattr(without, field)), field
    head = slice(0, L.PGY1_STATS)
    assert np.array_equal(with_pool.stats[:, head], without.stats[:, head])  # type: ignore[attr-defined]
    p1 = without.stats[:, L.PGY1_STATS :].reshape(-1, L.N_TYPES, 2)  # type: ignore[attr-defined]
    assert p1[..., 0].sum() > 0 and p1[..., 1].sum() == 0  # holders keep PM&R seats with no PGY-1 at all


def test_advanced_holders_are_matched_applicants_and_fill_the_advanced_seats() -> None:
    runs = _runs(ARRAYS)
    s = runs.stats  # type: ignore[attr-defined]
    p1 = s[:, L.PGY1_STATS :].reshape(-1, L.N_TYPES, 2)
    matched = s[:, 1 : L.STAT_WIDTH * L.N_TYPES : L.STAT_WIDTH]
    assert (p1[..., 0] <= matched).all() and (p1[..., 1] <= p1[..., 0]).all()
    held = s[:, L.STAT_WIDTH * L.N_TYPES]
    assert (p1[..., 0].sum(axis=1) <= held).all()
    assert (p1[..., 0].sum(axis=1) >= ARRAYS.advanced.sum() - (ARRAYS.capacity.sum() - held)).all()
    assert p1[..., 1].sum(axis=1).max() <= ARRAYS.pgy1_capacity.sum()


def _profile(applicant_type: ApplicantType, step2: int, needs_visa: bool = False) -> Profile:
    p = plain_profile(applicant_type)
    applicant = p.applicant.model_copy(update={"needs_visa": needs_visa})
    return p.model_copy(
        update={"applicant": applicant, "exams": p.exams.model_copy(update={"step2_ck": step2})}
    )


def _chance(profile: Profile, applications: int | None = None) -> float:
    applicant = ApplicantInMarket.of(profile, CAT.programs[:1], FIGS)
    chance = pgy1_chance(applicant, TABLES, FIGS, applications)
    assert chance is not None
    return chance


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(TYPES), st.integers(200, 270), st.integers(1, 20), st.booleans(), st.integers(1, 60))
def test_at_equal_applications_the_pgy1_chance_rises_with_the_score_and_never_with_a_visa_need(
    applicant_type: ApplicantType, step2: int, more: int, visa: bool, apps: int
) -> None:
    low = _chance(_profile(applicant_type, step2, visa), apps)
    high = _chance(_profile(applicant_type, step2 + more, visa), apps)
    assert 0 <= low <= high <= 1
    with_visa, without = _profile(applicant_type, step2, True), _profile(applicant_type, step2)
    assert _chance(with_visa, apps) <= _chance(without, apps)
    assert _chance(_profile(applicant_type, step2, visa), apps + 1) >= low


def test_the_users_pgy1_chance_agrees_with_the_simulated_competitors_of_their_type() -> None:
    rng = np.random.default_rng(0)
    runs = run_markets(ARRAYS, PV, spawn_seeds(5, 100))
    named = statistics(runs.stats)
    for t in TYPES:
        d = FIGS.score_distribution[t]
        scores = np.clip(np.round(rng.normal(d.mean, d.sd, 80)), 200, 280).astype(int)
        mean = float(np.mean([_chance(_profile(t, int(s))) for s in scores]))
        assert abs(mean - named[f"pgy1_if_advanced.{t.value}"]) < 0.06, t


def test_no_pgy1_chance_without_the_tables_pgy1_side() -> None:
    bare = replace(TABLES, central=replace(TABLES.central, pgy1_cutoffs=None))
    applicant = ApplicantInMarket.of(_profile(ApplicantType.US_MD, 240), CAT.programs[:1], FIGS)
    assert pgy1_chance(applicant, bare, FIGS) is None
