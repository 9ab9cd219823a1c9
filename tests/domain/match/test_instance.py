"""The JSON instance contract: validation messages and the output shape of ``run_instance``."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings

from smartpick.domain.match import columnar
from smartpick.domain.match import run_instance as run_instance_from_package
from smartpick.domain.match.adapter import instance_to_market
from smartpick.domain.match.arrays import ADVANCED, TRACK_NAMES, MatchMarket
from smartpick.domain.match.columnar import parse_market, run_instance
from smartpick.domain.match.instance import InstanceError, parse_instance

from .strategies import supplemental_markets

BASE: dict[str, Any] = {
    "programs": [
        {"id": "P1", "capacity": 2, "rank": ["A1", "A5"], "track": "categorical"},
        {"id": "P3", "capacity": 1, "rank": ["A1"], "track": "advanced"},
        {"id": "T1", "capacity": 1, "rank": ["A1"], "track": "pgy1"},
    ],
    "applicants": [{"id": "A1", "rank": ["P3", "P1"], "supplemental": {"P3": ["T1"]}}],
    "couples": [{"members": ["A5", "A6"], "rank": [["P1", "P1"], ["P1", None]]}],
}

Mutation = Callable[[dict[str, Any]], Any]
CASES: list[tuple[str, Mutation, str]] = [
    (
        "negative capacity",
        lambda d: d["programs"][0].update(capacity=-1),
        "programs[0].capacity: got -1; expected an integer >= 0",
    ),
    (
        "fractional capacity",
        lambda d: d["programs"][0].update(capacity=1.5),
        "programs[0].capacity: got 1.5; expected an integer >= 0",
    ),
    (
        "boolean capacity",
        lambda d: d["programs"][0].update(capacity=True),
        "programs[0].capacity: got true; expected an integer >= 0",
    ),
    (
        "unknown track",
        lambda d: d["programs"][0].update(track="prelim"),
        'programs[0].track: got "prelim"; expected one of "categorical", "advanced", "pgy1"',
    ),
    (
        "unknown applicant on a program ROL",
        lambda d: d["programs"][0]["rank"].append("A9"),
        'programs[0].rank[2]: got "A9"; expected a known applicant id ("A1", "A5", "A6")',
    ),
    (
        "duplicate within a program ROL",
        lambda d: d["programs"][0]["rank"].append("A1"),
        'programs[0].rank[2]: got "A1" again; expected each applicant at most once',
    ),
    (
        "duplicate program id",
        lambda d: d["programs"].append({"id": "P1", "capacity": 1, "rank": []}),
        'programs[3].id: got "P1" again; expected unique program ids',
    ),
    (
        "duplicate applicant id",
        lambda d: d["applicants"].append({"id": "A1", "rank": []}),
        'applicants[1].id: got "A1" again; expected unique applicant ids',
    ),
    (
        "unknown program on an applicant ROL",
        lambda d: d["applicants"][0]["rank"].append("P9"),
        'applicants[0].rank[2]: got "P9"; expected a known program id ("P1", "P3", "T1")',
    ),
    (
        "duplicate within an applicant ROL",
        lambda d: d["applicants"][0]["rank"].append("P1"),
        'applicants[0].rank[2]: got "P1" again; expected each program at most once',
    ),
    (
        "couple member also single",
        lambda d: d["applicants"].append({"id": "A5", "rank": []}),
        'couples[0].members[0]: got "A5"; expected an id not also listed alone in applicants',
    ),
    (
        "supplemental on a non-advanced program",
        lambda d: d["applicants"][0]["supplemental"].update(P1=["T1"]),
        (
            'applicants[0].supplemental: got key "P1" (track categorical); '
            'expected an advanced program on this applicant\'s rank ("P3")'
        ),
    ),
    (
        "supplemental with a non-pgy1 program",
        lambda d: d["applicants"][0]["supplemental"].update(P3=["P1"]),
        'applicants[0].supplemental["P3"][0]: got "P1" (track categorical); expected a pgy1 program',
    ),
    (
        "duplicate within a supplemental list",
        lambda d: d["applicants"][0]["supplemental"].update(P3=["T1", "T1"]),
        'applicants[0].supplemental["P3"][1]: got "T1" again; expected each pgy1 program at most once',
    ),
    (
        "unknown applicant key",
        lambda d: d["applicants"][0].update(extra=1),
        "applicants[0]: got unknown key \"extra\"; expected only keys ['id', 'rank', 'supplemental']",
    ),
    (
        "unknown top-level key",
        lambda d: d.update(extra=1),
        "$: got unknown key \"extra\"; expected only keys ['applicants', 'couples', 'programs']",
    ),
    (
        "couple pair of one",
        lambda d: d["couples"][0]["rank"].append(["P1"]),
        'couples[0].rank[2]: got ["P1"]; expected a pair [program id or null, program id or null]',
    ),
    (
        "couple pair with unknown program",
        lambda d: d["couples"][0]["rank"].append(["P1", "X"]),
        'couples[0].rank[2][1]: got "X"; expected null or a known program id ("P1", "P3", "T1")',
    ),
    (
        "duplicate couple pair",
        lambda d: d["couples"][0]["rank"].append(["P1", None]),
        'couples[0].rank[2]: got ["P1", null] again; expected each pair at most once',
    ),
    (
        "couple of one person twice",
        lambda d: d["couples"][0].update(members=["A5", "A5"]),
        'couples[0].members[1]: got "A5" again; expected unique couple member ids',
    ),
    (
        "couple of one",
        lambda d: d["couples"][0].update(members=["A5"]),
        'couples[0].members: got ["A5"]; expected exactly two applicant ids',
    ),
    (
        "missing programs",
        lambda d: d.pop("programs"),
        'programs: missing; expected key "programs" to be present',
    ),
    (
        "empty id",
        lambda d: d["programs"][0].update(id=""),
        'programs[0].id: got ""; expected a non-empty string id',
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_error_names_path_value_and_allowed(mutate: Mutation, message: str) -> None:
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(InstanceError) as error:
        run_instance(data)
    assert str(error.value) == message
    assert isinstance(error.value, ValueError) and "\n" not in str(error.value)


def test_not_an_object() -> None:
    with pytest.raises(InstanceError, match=r"^\$: got \[\]; expected an object with keys"):
        parse_instance([])


def test_run_instance_output_contract() -> None:
    result = run_instance(copy.deepcopy(BASE)).to_json_dict()
    assert json.loads(json.dumps(result)) == result
    assert result["matches"] == {"A1": "P3", "A5": "P1", "A6": None}
    assert result["pgy1_matches"] == {"A1": "T1"}
    assert result["unfilled"] == {"P1": 1}
    assert result["stats"] == {
        "applicants": 3,
        "matched": 2,
        "unmatched": 1,
        "seats": 4,
        "filled": 3,
        "unfilled_seats": 1,
        "couples": 1,
        "couples_matched": 1,
        "pgy1_matched": 1,
        "iterations": 4,
        "stable": True,
        "blocking_pairs": 0,
        "cycle_detected": False,
        "status": "converged",
    }


def test_optional_parts_default_and_package_export() -> None:
    data = {
        "programs": [{"id": "P", "capacity": 1, "rank": ["A"]}],
        "applicants": [{"id": "A", "rank": ["P"]}],
    }
    instance = parse_instance(data)
    assert instance.programs[0].track == "categorical" and instance.couples == ()
    assert run_instance_from_package(data).to_json_dict()["matches"] == {"A": "P"}


def test_cycle_reported_in_stats() -> None:
    data = {
        "programs": [
            {"id": "H1", "capacity": 1, "rank": ["M", "S"]},
            {"id": "H2", "capacity": 1, "rank": ["S", "F"]},
        ],
        "applicants": [{"id": "S", "rank": ["H1", "H2"]}],
        "couples": [{"members": ["M", "F"], "rank": [["H1", "H2"]]}],
    }
    stats = run_instance(data).stats
    assert stats.cycle_detected and not stats.stable and stats.status == "cycle"


def _no_couples(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.pop("couples")
    data["programs"][0]["rank"].remove("A5")
    return data


@pytest.mark.parametrize(("name", "mutate", "message"), CASES, ids=[c[0] for c in CASES])
def test_fast_path_gives_the_checkers_message(name: str, mutate: Mutation, message: str) -> None:
    for base in (BASE, _no_couples(BASE)):
        data = copy.deepcopy(base)
        try:
            mutate(data)
        except (KeyError, IndexError):  # the mutation edits the couples
            continue
        try:
            parse_instance(data)
        except InstanceError as exc:
            expected = str(exc)
        else:  # the mutation needs the couples (e.g. it edits them)
            continue
        with pytest.raises(InstanceError) as caught:
            parse_market(data)
        assert str(caught.value) == expected


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["applicants"][0].update(supplemental={"P1": ["T1"]}),  # not advanced
        lambda d: d["applicants"][0].update(supplemental={"P3": ["P1"]}),  # not a pgy1 program
        lambda d: d["applicants"][0].update(supplemental={"P3": ["T1", "T1"]}),
        lambda d: d["applicants"][0].update(supplemental={"P9": ["T1"]}),
        lambda d: d["applicants"][0].update(supplemental=None),
        lambda d: d["applicants"][0].update(supplemental={"P3": "T1"}),
        lambda d: d["applicants"][0].update(rank=["P3", "P3"]),
        lambda d: d["applicants"][0].update(rank=[["P3"]]),
        lambda d: d["applicants"][0].update(id=" "),
        lambda d: d["applicants"].append({"id": "A1", "rank": []}),
        lambda d: d["programs"][0].pop("capacity"),
        lambda d: d["programs"][0].update(track=None),
        lambda d: d["programs"][0].update(extra=1),
        lambda d: d.update(couples=None),
    ],
)
def test_fast_path_defers_every_error_to_the_checker(mutate: Mutation) -> None:
    data = _no_couples(BASE)
    mutate(data)
    with pytest.raises(InstanceError) as expected:
        parse_instance(data)
    with pytest.raises(InstanceError) as caught:
        parse_market(data)
    assert str(caught.value) == str(expected.value)


def _as_json(market: MatchMarket) -> dict[str, Any]:
    supplemental: list[dict[str, list[str]]] = [{} for _ in range(market.n_applicants)]
    for a in range(market.n_applicants):
        for k in range(int(market.rol_indptr[a]), int(market.rol_indptr[a + 1])):
            listed = market.supplemental(k)
            if len(listed) or ((a + k) % 3 == 0 and market.track[market.rol_indices[k]] == ADVANCED):
                supplemental[a][f"P{market.rol_indices[k]}"] = [f"P{p}" for p in listed]
    return {
        "programs": [
            {
                "id": f"P{p}",
                "capacity": int(market.capacity[p]),
                "rank": [f"A{a}" for a in market.program_rol(p)],
            }
            | ({"track": TRACK_NAMES[market.track[p]]} if p % 2 or market.track[p] else {})
            for p in range(market.n_programs)
        ],
        "applicants": [
            {"id": f"A{a}", "rank": [f"P{p}" for p in market.rol(a)]}
            | ({"supplemental": supplemental[a]} if supplemental[a] or a % 4 == 0 else {})
            for a in range(market.n_applicants)
        ],
    }


@settings(max_examples=150, deadline=None)
@given(supplemental_markets(max_applicants=10))
def test_fast_path_builds_the_same_arrays_as_the_checker(market: MatchMarket) -> None:
    data = _as_json(market)
    fast, fast_ids = columnar._fast(data)  # the fast path itself, not its fallback
    slow, slow_ids = instance_to_market(parse_instance(data))
    assert fast_ids == slow_ids
    for name in MatchMarket.__dataclass_fields__:
        mine, theirs = getattr(fast, name), getattr(slow, name)
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape, name
        assert mine.tolist() == theirs.tolist(), name
