"""Rank-list builder, checks and analytic probability."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from smartpick.data import bundled_catalogue
from smartpick.domain.communication.messages import Severity
from smartpick.domain.communication.ranking import (
    Chance,
    RankEntry,
    RankList,
    RankPreferences,
    build_rank_list,
    check_rank_list,
    match_probability,
    needs_supplemental,
    preference_order,
)
from smartpick.errors import InputError

CAT = bundled_catalogue()
RUSH, CINCY, DETROIT, SCHWAB = "1147340", "1548340", "1295340", "1339340"  # C (IL), C (OH), A (MI), A (IL)
LOMA = "1024340"  # offers categorical and advanced tracks (CA)


def prefs(**doc: object) -> RankPreferences:
    return RankPreferences.model_validate(doc)


def codes(problems: tuple) -> list[str]:  # type: ignore[type-arg]
    return [p.code for p in problems]


def rl(*entries: tuple[str, tuple[str, ...]]) -> RankList:
    return RankList(rank=tuple(RankEntry(program=p, supplemental=s) for p, s in entries))


def test_track_types_decide_the_supplemental_need() -> None:
    assert needs_supplemental(RUSH, CAT) is False
    assert needs_supplemental(DETROIT, CAT) is True
    assert needs_supplemental(LOMA, CAT) is None
    assert needs_supplemental("1024340A0", CAT) is True and needs_supplemental("1024340C0", CAT) is False


def test_scores_order_the_list_and_pairwise_places_unscored_programs() -> None:
    p = prefs(program=[{"id": RUSH, "score": 90}, {"id": DETROIT, "score": 75}, {"id": CINCY, "score": 80},
                       {"id": SCHWAB}, {"id": "1103340", "would_attend": False}],
              pairwise=[{"prefer": DETROIT, "over": SCHWAB}])  # fmt: skip
    assert preference_order(p) == (RUSH, CINCY, DETROIT, SCHWAB)


def test_pairwise_only_preferences() -> None:
    p = prefs(program=[{"id": "A"}, {"id": "B"}, {"id": "C"}],
              pairwise=[{"prefer": "C", "over": "B"}, {"prefer": "B", "over": "A"}])  # fmt: skip
    assert preference_order(p) == ("C", "B", "A")


def test_pairwise_cycle_and_contradiction_are_input_errors() -> None:
    cycle = prefs(program=[{"id": "A"}, {"id": "B"}],
                  pairwise=[{"prefer": "A", "over": "B"}, {"prefer": "B", "over": "A"}])  # fmt: skip
    with pytest.raises(InputError, match="cycle"):
        preference_order(cycle)
    contra = prefs(
        program=[{"id": "A", "score": 1}, {"id": "B", "score": 2}], pairwise=[{"prefer": "A", "over": "B"}]
    )
    with pytest.raises(InputError, match=r"pairwise\[0\]"):
        preference_order(contra)


def test_preferences_reject_unknown_pairwise_ids_and_duplicates() -> None:
    with pytest.raises(ValidationError):
        prefs(program=[{"id": "A"}], pairwise=[{"prefer": "A", "over": "Z"}])
    with pytest.raises(ValidationError):
        prefs(program=[{"id": "A"}, {"id": "A"}])
    with pytest.raises(ValidationError):
        RankList(rank=(RankEntry(program="A"), RankEntry(program="A")))


def test_build_attaches_pgy1_lists_to_advanced_programs_only() -> None:
    p = prefs(program=[{"id": RUSH, "score": 9}, {"id": DETROIT, "score": 8},
                       {"id": SCHWAB, "score": 7, "supplemental": ["TY-X"]}],
              pgy1=[{"id": "IM-B", "score": 1}, {"id": "TY-A", "score": 5}])  # fmt: skip
    built = build_rank_list(p, CAT)
    assert [(e.program, e.supplemental) for e in built.rank] == [
        (RUSH, ()), (DETROIT, ("TY-A", "IM-B")), (SCHWAB, ("TY-X",))]  # fmt: skip
    assert check_rank_list(built, CAT, prefs=p) == tuple(
        p_ for p_ in check_rank_list(built, CAT, prefs=p) if p_.severity is not Severity.ERROR
    )


def test_advanced_program_without_supplemental_list_is_an_error() -> None:
    found = check_rank_list(rl((RUSH, ()), (DETROIT, ())), CAT)
    assert codes(found) == ["supplemental.missing"] and found[0].program == DETROIT
    assert codes(
        check_rank_list(
            rl(
                (RUSH, ("TY-A",)),
            ),
            CAT,
        )
    ) == ["supplemental.not-used"]
    assert codes(
        check_rank_list(
            rl(
                (LOMA, ()),
            ),
            CAT,
        )
    ) == ["supplemental.ambiguous-track"]


def test_geographic_coherence_of_the_first_choice_pgy1() -> None:
    far = prefs(
        program=[{"id": DETROIT}], pgy1=[{"id": "TY-CA", "state": "CA"}, {"id": "TY-MI", "state": "MI"}]
    )
    found = check_rank_list(rl((DETROIT, ("TY-CA", "TY-MI"))), CAT, prefs=far)
    assert codes(found) == ["supplemental.geography"] and "West" in found[0].message
    assert check_rank_list(rl((DETROIT, ("TY-MI", "TY-CA"))), CAT, prefs=far) == ()
    assert codes(check_rank_list(rl((DETROIT, ("TY-MI",))), CAT)) == ["supplemental.geography-unknown"]


def test_interviewed_programs_missing_from_the_list() -> None:
    p = prefs(program=[{"id": RUSH}, {"id": CINCY, "would_attend": False}])
    found = check_rank_list(rl((RUSH, ())), CAT, prefs=p, interviewed=(RUSH, CINCY, DETROIT))
    assert [(x.code, x.program) for x in found] == [("ranklist.missing-interviewed", DETROIT)]
    assert codes(check_rank_list(rl((RUSH, ()), (CINCY, ())), CAT, interviewed=(RUSH,))) == [
        "ranklist.not-interviewed"
    ]


def test_list_ordered_by_chances_instead_of_preferences() -> None:
    p = prefs(program=[{"id": RUSH, "score": 60, "chance": 0.1}, {"id": CINCY, "score": 90, "chance": 0.3},
                       {"id": "1315340", "score": 80, "chance": 0.5}])  # fmt: skip
    by_chance = rl(("1315340", ()), (CINCY, ()), (RUSH, ()))
    assert codes(check_rank_list(by_chance, CAT, prefs=p)) == [
        "ranklist.not-preference-order",
        "ranklist.order-by-chances",
    ]
    true_order = rl((CINCY, ()), ("1315340", ()), (RUSH, ()))
    assert check_rank_list(true_order, CAT, prefs=p) == ()


def test_nrmp_limits() -> None:
    many = RankList(
        rank=tuple(
            RankEntry(program=p.id) for p in CAT.programs if needs_supplemental(p.id, CAT) is not True
        )[:25]
    )
    assert "ranklist.extra-fee" in codes(check_rank_list(many, CAT))


def test_analytic_probability_worked_example() -> None:
    chances = {"A": 0.5, "B": 0.2}
    est = match_probability(rl(("A", ()), ("B", ())), lambda ref: Chance(chances[ref], "test", False))
    assert est.probability == pytest.approx(0.6)
    assert [r.p_match_here for r in est.rows] == pytest.approx([0.5, 0.1])
    assert est.rows[-1].cumulative == pytest.approx(est.probability)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_probability_is_one_minus_product_and_grows_with_each_rank(ps: list[float]) -> None:
    ranks = rl(*((f"P{i}", ()) for i in range(len(ps))))
    est = match_probability(ranks, lambda ref: Chance(ps[int(ref[1:])], "test", False))
    assert est.probability == pytest.approx(1 - math.prod(1 - p for p in ps))
    cumulative = [r.cumulative for r in est.rows]
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(cumulative))
    assert sum(r.p_match_here for r in est.rows) == pytest.approx(est.probability)
