from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.domain.profile.applicant import (
    ExamResult,
    Exams,
    Profile,
    ScoreBand,
    VisaType,
    score_band,
    step2_band,
)
from smartpick.domain.profile.standing import assess
from smartpick.domain.validation import parse_model
from smartpick.errors import InputErrors

from ...conftest import EXAMPLES

BASE: dict[str, Any] = {
    "applicant": {"type": "us_img", "needs_visa": False, "graduation_year": 2025, "target_start_year": 2027},
    "exams": {"step1": "pass", "step2_ck": 232},
}


def _with(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return doc


def _errors(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(InputErrors) as info:
        parse_model(Profile, doc)
    return info.value.lines()


PROFILES = sorted(p.name for p in EXAMPLES.glob("*.toml") if "[applicant]" in p.read_text())


def test_three_or_more_example_profiles_ship() -> None:
    assert len(PROFILES) >= 3


@pytest.mark.parametrize("path", PROFILES)
def test_example_profiles_parse(path: str) -> None:
    parse_model(Profile, tomllib.loads((EXAMPLES / path).read_text()))


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (300, "strong"),
        (245, "strong"),
        (244, "solid"),
        (235, "solid"),
        (234, "viable"),
        (220, "viable"),
        (219, "low"),
        (1, "low"),
    ],
)
def test_step2_band_boundaries(score: int, band: str) -> None:
    assert score_band(score) == ScoreBand(band)


@given(st.integers(1, 299))
def test_band_never_falls_when_score_rises(score: int) -> None:
    order = [ScoreBand.LOW, ScoreBand.VIABLE, ScoreBand.SOLID, ScoreBand.STRONG]
    assert order.index(score_band(score + 1)) >= order.index(score_band(score))


@given(st.integers(1, 300), st.integers(2, 6))
def test_any_exam_failure_means_low_score_strategy(score: int, attempts: int) -> None:
    assert step2_band(Exams(step1=ExamResult.PASS, step1_attempts=attempts, step2_ck=score)) is ScoreBand.LOW
    assert step2_band(Exams(step1=ExamResult.PASS, step2_attempts=attempts, step2_ck=score)) is ScoreBand.LOW


def test_pending_without_score() -> None:
    assert step2_band(Exams(step1=ExamResult.PASS)) is ScoreBand.PENDING


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=301)))
def test_out_of_range_score_names_the_field_value_and_range(score: int) -> None:
    lines = _errors(_with("exams.step2_ck", score))
    assert lines == [f"exams.step2_ck: got {score}; allowed: an integer from 1 to 300"]


def test_unknown_key_lists_allowed_keys() -> None:
    (line,) = _errors(_with("exams.step3", 230))
    assert line.startswith("exams.step3: got 230; unknown key; allowed keys here: step1, step1_attempts")


def test_wrong_enum_lists_choices() -> None:
    (line,) = _errors(_with("applicant.type", "img"))
    assert line == "applicant.type: got 'img'; allowed: us_md, us_do, us_img or non_us_img"


def test_rotation_end_before_start_is_rejected() -> None:
    doc = _with("exams.step2_ck", 240)
    doc["rotations"] = [
        {"site": "X", "kind": "hands_on", "start": "2026-05-04", "weeks": 4, "end": "2026-05-01"}
    ]
    (line,) = _errors(doc)
    assert line.startswith("rotations[0]: ") and "end 2026-05-01 is not after start 2026-05-04" in line


def test_rotation_needs_exactly_one_place() -> None:
    doc = _with("exams.step2_ck", 240)
    doc["rotations"] = [{"kind": "hands_on", "start": "2026-05-04", "weeks": 4}]
    assert "exactly one of `program`" in _errors(doc)[0]


def test_start_before_graduation_is_rejected() -> None:
    (line,) = _errors(_with("applicant.target_start_year", 2020))
    assert "target_start_year 2020 is before graduation_year 2025" in line


def test_unknown_state_in_ties() -> None:
    (line,) = _errors(_with("preferences.states_with_ties", ["ZZ"]))
    assert line.startswith("preferences: ") and "'ZZ'" in line


def test_standing_of_failed_step1_lists_major_flag_first() -> None:
    doc = _with("exams.step1_attempts", 2)
    doc["red_flags"] = {"training_gap_months": 3}
    standing = assess(parse_model(Profile, doc))
    assert standing.band is ScoreBand.LOW
    assert [f.code for f in standing.red_flags] == ["step1_repeat", "training_gap"]
    assert standing.has_exam_failure


def test_missing_items_for_a_bare_img_profile() -> None:
    standing = assess(parse_model(Profile, BASE))
    text = "\n".join(standing.missing)
    assert "no hands-on months" in text
    assert "0 of 2 from US physiatrists" in text
    assert "away rotations" in text


@pytest.mark.parametrize("visa", ["j1", "h1b", "either"])
def test_visa_type_is_kept_when_a_visa_is_needed(visa: str) -> None:
    doc = _with("applicant.needs_visa", True)
    doc["applicant"]["visa"] = visa
    applicant = parse_model(Profile, doc).applicant
    assert applicant.visa == VisaType(visa) == applicant.visa_needed


def test_needed_visa_defaults_to_either_and_survives_a_round_trip() -> None:
    profile = parse_model(Profile, _with("applicant.needs_visa", True))
    assert profile.applicant.visa is VisaType.EITHER
    again = parse_model(Profile, profile.model_dump(mode="json", exclude_none=True))
    assert again.applicant.visa is VisaType.EITHER


def test_no_visa_needed_means_no_visa_type() -> None:
    applicant = parse_model(Profile, BASE).applicant
    assert applicant.visa is None and applicant.visa_needed is None


@pytest.mark.parametrize("visa", ["j1", "h1b", "either"])
def test_visa_type_without_needs_visa_is_rejected_naming_the_field(visa: str) -> None:
    doc = _with("applicant.visa", visa)
    (line,) = _errors(doc)
    assert line.startswith(f"applicant.visa: got '{visa}'") and "needs_visa is false" in line


def test_unknown_visa_type_lists_the_choices() -> None:
    doc = _with("applicant.needs_visa", True)
    doc["applicant"]["visa"] = "f1"
    assert _errors(doc) == ["applicant.visa: got 'f1'; allowed: j1, h1b or either"]


@pytest.mark.parametrize(
    ("visa", "j1", "h1b", "usable"),
    [
        ("j1", True, False, True),
        ("j1", False, True, False),
        ("j1", None, True, None),
        ("h1b", True, False, False),
        ("h1b", None, True, True),
        ("h1b", True, None, None),
        ("either", False, False, False),
        ("either", False, True, True),
        ("either", None, False, None),
        ("either", None, None, None),
    ],
)
def test_usable_visa_by_type(visa: str, j1: bool | None, h1b: bool | None, usable: bool | None) -> None:
    assert VisaType(visa).usable(j1=j1, h1b=h1b) is usable
