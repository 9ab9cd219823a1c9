from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from smartpick.data import bundled_catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputErrors
from smartpick.services import catalogue as svc
from smartpick.store import profiles
from smartpick.store.db import session_scope
from smartpick.store.models import ProgramFactRow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example(name: str) -> Profile:
    return Profile.model_validate(tomllib.loads((EXAMPLES / name).read_text()))


@pytest.mark.parametrize("name", ["strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml"])
def test_profile_round_trips(session: Session, name: str) -> None:
    profile = _example(name)
    profiles.save_profile(session=session, name="mine", profile=profile)
    assert profiles.get_profile(session=session, name="mine") == profile


def test_save_replaces_and_owners_are_separate(session: Session) -> None:
    a, b = _example("strong-us-img.toml"), _example("non-us-img-visa.toml")
    profiles.save_profile(session=session, name="p", profile=a, owner_id=1)
    profiles.save_profile(session=session, name="p", profile=b, owner_id=2)
    profiles.save_profile(session=session, name="p", profile=b, owner_id=1)
    assert profiles.get_profile(session=session, name="p", owner_id=1) == b
    assert profiles.list_profiles(session=session, owner_id=2) == ["p"]
    assert profiles.list_profiles(session=session) == []
    assert profiles.delete_profile(session=session, name="p", owner_id=2)
    assert profiles.get_profile(session=session, name="p", owner_id=2) is None


def test_import_applies_facts_and_later_imports_win(engine: Engine, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text(
        "program_id,field,value,source\n1007340,city,Birmingham,https://a.example\n"
        "1007340,state,AL,https://a.example\n1007340,visa_j1,true,https://a.example\n"
    )
    second = tmp_path / "b.csv"
    second.write_text("program_id,field,value,source\n1007340,visa_j1,false,https://b.example\n")
    with session_scope(engine) as s:
        svc.import_facts(first, s)
    with session_scope(engine) as s:
        svc.import_facts(second, s)
    with session_scope(engine) as s:
        prog = svc.current_catalogue(s).get("1007340")
    assert prog is not None
    assert (prog.city.value, prog.state.value, prog.region.value) == ("Birmingham", "AL", "South")
    assert prog.visa_j1.value is False and prog.visa_j1.source == "https://b.example"


def test_import_with_one_bad_row_stores_nothing(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "program_id,field,value,source\n1007340,city,Birmingham,https://a.example\n"
        "1007340,img_share,1.5,https://a.example\n"
    )
    with pytest.raises(InputErrors, match="line 3"), session_scope(engine) as s:
        svc.import_facts(path, s)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(ProgramFactRow)) == 0
        assert svc.current_catalogue(s) is bundled_catalogue()
