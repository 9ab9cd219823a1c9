"""The resident portfolio format: validation with field-named errors and lossless TOML round trips."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.domain.fellowship.portfolio import (
    LetterStatus,
    MentorRole,
    Outcome,
    Portfolio,
    PresentationKind,
    ProjectStatus,
    Skill,
    TrackId,
    to_document,
)
from smartpick.domain.validation import parse_model
from smartpick.errors import InputErrors

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def minimal(**resident: Any) -> dict[str, Any]:
    base = {"name": "A. Resident", "pgy": 2, "residency_start_year": 2025, "interests": ["pain"]}
    return {"resident": {**base, **resident}}


def first_error(data: dict[str, Any]) -> str:
    with pytest.raises(InputErrors) as exc:
        parse_model(Portfolio, data, source="portfolio.toml")
    return exc.value.lines()[0]


@pytest.mark.parametrize("name", ["resident-portfolio.toml", "resident-portfolio-pain.toml"])
def test_examples_parse(name: str) -> None:
    data = tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    portfolio = parse_model(Portfolio, data)
    assert portfolio.resident.interests[0] in (TrackId.SPINE_MSK, TrackId.PAIN)


def test_spine_example_content() -> None:
    data = tomllib.loads((EXAMPLES / "resident-portfolio.toml").read_text(encoding="utf-8"))
    p = parse_model(Portfolio, data)
    assert p.primary_track is TrackId.SPINE_MSK
    assert p.mentors[0].letter is LetterStatus.AGREED and p.mentors[1].role is MentorRole.PD
    assert p.projects[0].status is ProjectStatus.SUBMITTED
    assert p.presentations[0].kind is PresentationKind.POSTER
    assert Skill.EMG in p.rotations[2].skills
    assert [s.percentile for s in p.in_service] == [58, 66]


def test_unknown_track_names_the_field_and_allowed_values() -> None:
    line = first_error(minimal(interests=["spine"]))
    assert line.startswith("portfolio.toml: resident.interests[0]: got 'spine'; allowed: ")
    assert "spine_msk" in line and "\n" not in line


def test_percentile_out_of_range() -> None:
    data = {**minimal(), "in_service": [{"year": 2026, "pgy": 1, "percentile": 140}]}
    assert (
        first_error(data)
        == "portfolio.toml: in_service[0].percentile: got 140; allowed: an integer from 0 to 100"
    )


def test_rotation_end_before_start() -> None:
    rot = {"name": "EMG", "start": dt.date(2026, 3, 1), "end": dt.date(2026, 2, 1)}
    line = first_error({**minimal(), "rotations": [rot]})
    assert line.startswith("portfolio.toml: rotations[0]: got ") and "end must come after the start" in line


def test_unknown_key_lists_allowed_keys() -> None:
    line = first_error({**minimal(), "progress": {"pd_meetings": []}})
    assert line.startswith("portfolio.toml: progress.pd_meetings: got ")
    assert "allowed keys here: faculty_meetings, preparation_folder, pd_meeting" in line


def test_missing_required_key() -> None:
    data = minimal()
    del data["resident"]["residency_start_year"]
    assert first_error(data) == "portfolio.toml: resident.residency_start_year: missing; required"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (minimal(interests=["pain", "pain"]), "each track may appear once"),
        (minimal(interests=["pain", "sports", "sci", "research"]), "resident.interests"),
        (minimal(interests=[]), "resident.interests"),
        (
            {**minimal(), "mentors": [{"name": "X", "letter_asked": dt.date(2026, 1, 1)}]},
            "the letter is marked as not asked",
        ),
        (
            {**minimal(), "cycles": [{"year": 2028, "tracks": ["pain"]}, {"year": 2028, "tracks": ["sci"]}]},
            "cycles lists the same year twice",
        ),
        ({**minimal(), "projects": [{"title": "T", "status": "published"}]}, "projects[0].status"),
        (minimal(pgy=0), "resident.pgy: got 0; allowed: an integer from 1 to 8"),
    ],
)
def test_bad_input_is_one_named_line(data: dict[str, Any], needle: str) -> None:
    line = first_error(data)
    assert needle in line and "\n" not in line


def test_example_round_trips_through_toml() -> None:
    for name in ("resident-portfolio.toml", "resident-portfolio-pain.toml"):
        original = parse_model(Portfolio, tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8")))
        again = parse_model(Portfolio, tomllib.loads(tomli_w.dumps(to_document(original))))
        assert again == original


def test_document_leaves_out_defaults_but_keeps_dates() -> None:
    p = parse_model(Portfolio, {**minimal(), "progress": {"pd_meeting": dt.date(2026, 5, 1)}})
    doc = to_document(p)
    assert doc == {"resident": minimal()["resident"], "progress": {"pd_meeting": dt.date(2026, 5, 1)}}


dates = st.dates(dt.date(2018, 1, 1), dt.date(2034, 12, 31))
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
tracks = st.lists(st.sampled_from(TrackId), min_size=1, max_size=3, unique=True)


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    start = draw(dates)
    rotation = {
        "name": draw(text),
        "start": start,
        "end": start + dt.timedelta(days=draw(st.integers(1, 90))),
        "skills": draw(st.lists(st.sampled_from(Skill), unique=True, max_size=3)),
        "notable_cases": draw(st.lists(text, max_size=2)),
    }
    mentor = {
        "name": draw(text),
        "subspecialty": draw(st.none() | st.sampled_from(TrackId)),
        "role": draw(st.sampled_from(MentorRole)),
        "letter": draw(st.sampled_from(LetterStatus)),
    }
    if mentor["letter"] is not LetterStatus.NONE:
        mentor["letter_asked"] = draw(st.none() | dates)
    years = draw(st.lists(st.integers(2020, 2035), unique=True, max_size=3))
    data = {
        "resident": {
            "name": draw(text),
            "pgy": draw(st.integers(1, 8)),
            "residency_start_year": draw(st.integers(2015, 2035)),
            "interests": draw(tracks),
        },
        "rotations": [rotation],
        "projects": [
            {"title": draw(text), "status": draw(st.sampled_from(ProjectStatus)), "tracks": draw(tracks)}
        ],
        "presentations": [
            {
                "title": draw(text),
                "kind": draw(st.sampled_from(PresentationKind)),
                "level": "national",
                "date": draw(dates),
            }
        ],
        "mentors": [mentor],
        "in_service": [{"year": y, "pgy": 2, "percentile": draw(st.integers(0, 100))} for y in years],
        "cycles": [
            {
                "year": y,
                "tracks": draw(tracks),
                "outcome": draw(st.sampled_from(Outcome)),
                "applications": draw(st.integers(0, 40)),
            }
            for y in years
        ],
        "progress": {
            "faculty_meetings": draw(st.lists(dates, max_size=3)),
            "pd_meeting": draw(st.none() | dates),
            "statement_reviewers": draw(st.lists(text, max_size=3)),
        },
    }
    return parse_model(Portfolio, data)


@settings(max_examples=60, deadline=None)
@given(portfolios())
def test_any_portfolio_round_trips_through_toml(portfolio: Portfolio) -> None:
    assert parse_model(Portfolio, tomllib.loads(tomli_w.dumps(to_document(portfolio)))) == portfolio
