"""One provenance type and one confidence vocabulary: figures, calendar dates, facts, fellowship tracks."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from smartpick.data import bundled_catalogue
from smartpick.data.calendar import bundled_calendar
from smartpick.data.fellowships import bundled_fellowships
from smartpick.data.figures import bundled_figures
from smartpick.domain.catalogue.figures import Figure
from smartpick.domain.fellowship.tracks import Timing
from smartpick.domain.provenance import Confidence, Fact, PastValue, Provenance, Source, Sourced


def test_every_bundled_file_speaks_the_one_confidence_vocabulary() -> None:
    used = {item.confidence for _, item in bundled_figures().cited()}
    used |= {src.confidence for src in bundled_calendar().sources.values()}
    used |= {rule.confidence for rule in bundled_calendar().rules.values()}
    assert None not in used and used <= set(Confidence)
    assert Confidence.OFFICIAL in used and "primary" not in {c.value for c in Confidence}


@pytest.mark.parametrize("model", [Figure, Sourced[int], Timing])
def test_known_values_need_exactly_one_of_source_and_estimate(model: type[Provenance]) -> None:
    extra = {"value": 1.0} if model is not Timing else {"pgy": 3, "month": 12}
    with pytest.raises(ValidationError, match="exactly one"):
        model.model_validate(extra)
    with pytest.raises(ValidationError, match="not both"):
        model.model_validate({**extra, "source": "a", "estimate": "b"})
    assert model.model_validate({**extra, "estimate": "rule"}).provenance == "estimate: rule"


def test_a_fact_may_be_unknown_but_a_known_fact_says_where_it_comes_from() -> None:
    assert not Fact[int]().known
    with pytest.raises(ValidationError, match="needs a `source` or an `estimate`"):
        Fact[int](value=3)
    with pytest.raises(ValidationError, match="not both"):
        Fact[int](value=3, source="https://a.example", estimate="rule")
    fact = Fact[int](value=3, estimate="rule")
    assert fact.is_estimate and not Fact[int](value=3, source="https://a.example").is_estimate


def test_estimates_and_unconfirmed_figures_count_as_estimates() -> None:
    assert Figure(value=1, source="s", confidence=Confidence.UNCONFIRMED).is_estimate
    assert Figure(value=1, source="s", confidence=Confidence.ESTIMATE).is_estimate
    assert not Figure(value=1, source="s", confidence=Confidence.OFFICIAL).is_estimate


def test_facts_are_written_in_the_data_files_key_order_without_empty_confidence() -> None:
    fact = Fact[int](value=4, source="https://a.example", year=2025, history=(PastValue(value=3, year=2024),))
    doc = fact.model_dump(mode="json")
    assert list(doc) == ["value", "source", "estimate", "note", "year", "seen", "history"]
    assert list(doc["history"][0]) == ["value", "year", "source", "estimate", "note"]
    rated = Fact[int](value=4, source="s", confidence=Confidence.SECONDARY).model_dump(mode="json")
    assert (
        rated["confidence"] == "secondary"
        and Fact[int].model_validate(rated).confidence is Confidence.SECONDARY
    )


def test_bundled_facts_round_trip_through_the_provenance_type() -> None:
    program = bundled_catalogue().programs[0]
    assert type(program).model_validate(program.model_dump(mode="json")) == program
    track = bundled_fellowships().track[0]
    assert type(track).model_validate(track.model_dump(mode="json")) == track


def test_a_source_cites_title_address_and_confidence() -> None:
    src = Source(title="NRMP Results", url="https://nrmp.org", confidence=Confidence.OFFICIAL)
    assert src.cite() == "NRMP Results <https://nrmp.org> [official]"
    assert src.cite(Confidence.SECONDARY).endswith("[secondary]")
    assert Source(title="A guide").cite() == "A guide"
    with pytest.raises(ValidationError):
        Source(title="x", retrieved="yesterday")
