"""The JSON instance contract: validation messages and the output shape of ``run_instance``."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from smartpick.domain.match import run_instance as run_instance_from_package
from smartpick.domain.match.instance import InstanceError, parse_instance, run_instance

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
