"""The web tables (migrations web_0001 to web_0003) and their repositories, one per entity."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services.files import load_model
from smartpick.store import accounts, plan_status, profiles, rank_preferences, sharing
from smartpick.store.accounts import Role
from smartpick.store.db import make_engine, migrate, session_scope

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def engine():  # type: ignore[no-untyped-def]
    engine = make_engine("sqlite://")
    migrate(engine)
    return engine


def test_migration_creates_the_web_tables_on_its_own_branch(engine) -> None:  # type: ignore[no-untyped-def]
    tables = set(inspect(engine).get_table_names())
    assert {"web_users", "web_shares", "web_task_statuses", "web_rank_preferences", "web_share_invites",
            "profiles"} <= tables  # fmt: skip
    with engine.connect() as conn:
        heads = {row[0] for row in conn.exec_driver_sql("select version_num from alembic_version")}
    assert "web_0003" in heads  # web_0003 (invitations) follows web_0002 on the web branch
    migrate(engine)  # idempotent


def test_users_shares_and_profiles_by_owner(engine) -> None:  # type: ignore[no-untyped-def]
    profile = load_model(Profile, EXAMPLES / "strong-us-img.toml")
    with session_scope(engine) as s:
        alice = accounts.create_user(session=s, username="alice", password_hash="h", role=Role.APPLICANT)
        adv = accounts.create_user(session=s, username="adv", password_hash="h", role=Role.ADVISOR)
        with pytest.raises(InputError):
            accounts.create_user(session=s, username="alice", password_hash="h", role=Role.APPLICANT)
    with session_scope(engine) as s:
        pid = profiles.save_profile(session=s, name="main", profile=profile, owner_id=alice.id)
        profiles.save_profile(session=s, name="main", profile=profile, owner_id=None)
        assert sharing.grant_share(session=s, applicant_id=alice.id, advisor_id=adv.id)
        assert not sharing.grant_share(session=s, applicant_id=alice.id, advisor_id=adv.id)
    with session_scope(engine) as s:
        assert [u.username for u in sharing.applicants_of(session=s, advisor_id=adv.id)] == ["alice"]
        assert [p.id for p in profiles.load_profiles(session=s, owner_ids=[alice.id])] == [pid]
        assert len(profiles.list_stored_profiles(session=s, owner_ids=[alice.id, None])) == 2
        assert profiles.list_stored_profiles(session=s, owner_ids=[]) == []
        stored = profiles.get_stored_profile(session=s, profile_id=pid)
        assert stored is not None and stored.profile == profile and stored.owner_id == alice.id
        assert sharing.revoke_share(session=s, applicant_id=alice.id, advisor_id=adv.id)
        assert not sharing.is_shared(session=s, applicant_id=alice.id, advisor_id=adv.id)
        accounts.end_sessions(session=s, user_id=alice.id)
        user = accounts.get_user(session=s, user_id=alice.id)
        assert user is not None and user.session_version == 2


def test_task_statuses_belong_to_a_profile_and_go_with_it(engine) -> None:  # type: ignore[no-untyped-def]
    profile = load_model(Profile, EXAMPLES / "strong-us-img.toml")
    with session_scope(engine) as s:
        a = profiles.save_profile(session=s, name="a", profile=profile)
        b = profiles.save_profile(session=s, name="b", profile=profile)
        plan_status.set_task_status(session=s, profile_id=a, task_id="eras-submit", status="done")
        plan_status.set_task_status(session=s, profile_id=a, task_id="eras-submit", status="skipped")
    with session_scope(engine) as s:
        assert plan_status.task_statuses(session=s, profile_id=a) == {"eras-submit": "skipped"}
        assert plan_status.task_statuses(session=s, profile_id=b) == {}
        profiles.delete_profile(session=s, name="a")
    with session_scope(engine) as s:
        assert plan_status.task_statuses(session=s, profile_id=a) == {}


def test_rank_preferences_are_kept_per_owner(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        rank_preferences.save_rank_preferences(session=s, owner_id=None, document={"program": [{"id": "x"}]})
        rank_preferences.save_rank_preferences(session=s, owner_id=7, document={"program": [{"id": "y"}]})
        rank_preferences.save_rank_preferences(session=s, owner_id=7, document={"program": [{"id": "z"}]})
    with session_scope(engine) as s:
        assert rank_preferences.rank_preferences(session=s, owner_id=None) == {"program": [{"id": "x"}]}
        assert rank_preferences.rank_preferences(session=s, owner_id=7) == {"program": [{"id": "z"}]}
        assert rank_preferences.rank_preferences(session=s, owner_id=8) is None
