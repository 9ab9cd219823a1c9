from __future__ import annotations

import pytest
from pydantic import ValidationError

from smartpick.domain.catalogue.geography import Region
from smartpick.domain.catalogue.programs import (
    Catalogue,
    CatalogueFilter,
    Fact,
    ImgFriendliness,
    Program,
    Strength,
    TrackType,
)


def _program(pid: str, **kw: object) -> Program:
    base: dict[str, object] = {
        "id": pid,
        "name": f"Program {pid}",
        "institution": "Inst",
        "tracks": [
            {"code": f"{pid[:4]}340C0", "type": "categorical", "positions": {"value": 4, "source": "s"}}
        ],
    }
    base.update(kw)
    return Program.model_validate(base)


def test_a_value_without_provenance_is_rejected() -> None:
    with pytest.raises(ValidationError, match="needs a `source` or an `estimate`"):
        Fact[int](value=3)


def test_unknown_value_needs_no_provenance() -> None:
    assert not Fact[int]().known


def test_estimate_is_flagged() -> None:
    assert Fact[int](value=3, estimate="mean of tracks").is_estimate


def test_img_friendliness_tiers_follow_share_thresholds() -> None:
    tiers = [
        _program("1000340", img_share={"value": v, "source": "s"}).img_friendliness for v in (0.6, 0.3, 0.05)
    ]
    assert tiers == [ImgFriendliness.HIGH, ImgFriendliness.MEDIUM, ImgFriendliness.LOW]
    assert _program("1000340").img_friendliness is ImgFriendliness.UNKNOWN


def test_visa_unknown_is_not_no() -> None:
    p = _program("1000340", visa_j1={"value": False, "source": "s"})
    assert p.sponsors_visa is None
    p = _program("1000340", visa_j1={"value": False, "source": "s"}, visa_h1b={"value": False, "source": "s"})
    assert p.sponsors_visa is False


def test_lookup_by_id_acgme_and_track_code() -> None:
    p = _program("1234340", acgme_id={"value": "3401100001", "source": "s"})
    cat = Catalogue(version="1", date="2026-01-01", programs=(p,))
    assert cat.get("1234340") is cat.get("3401100001") is cat.get("1234340C0") is p
    assert cat.get("9999340") is None


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(ValidationError, match="duplicate program id"):
        Catalogue(version="1", date="d", programs=(_program("1234340"), _program("1234340")))


def test_filters_combine() -> None:
    a = _program(
        "1000340",
        state={"value": "NY", "source": "s"},
        region={"value": "Northeast", "source": "s"},
        strengths={"sci": {"value": True, "source": "s"}},
    )
    b = _program("2000340", state={"value": "TX", "source": "s"}, region={"value": "South", "source": "s"})
    cat = Catalogue(version="1", date="d", programs=(a, b))
    assert cat.select(CatalogueFilter(region=Region.NORTHEAST)) == (a,)
    assert cat.select(CatalogueFilter(strength=Strength.SCI, state="tx")) == ()
    assert cat.select(CatalogueFilter(track=TrackType.CATEGORICAL)) == (a, b)
    assert cat.select(CatalogueFilter(text="program 2000")) == (b,)
