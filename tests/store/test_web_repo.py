"""The web tables: migrations web_0001 and web_0002, and the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services.files import load_model
from smartpick.store import repo, web_repo
from smartpick.store.db import make_engine, migrate, session_scope
from smartpick.store.web_repo import Role

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
        alice = web_repo.create_user(session=s, username="alice", password_hash="h", role=Role.APPLICANT)
        adv = web_repo.create_user(session=s, username="adv", password_hash="h", role=Role.ADVISOR)
        with pytest.raises(InputError):
            web_repo.create_user(session=s, username="alice", password_hash="h", role=Role.APPLICANT)
    with session_scope(engine) as s:
        pid = repo.save_profile(session=s, name="main", profile=profile, owner_id=alice.id)
        repo.save_profile(session=s, name="main", profile=profile, owner_id=None)
        assert web_repo.grant_share(session=s, applicant_id=alice.id, advisor_id=adv.id)
        assert not web_repo.grant_share(session=s, applicant_id=alice.id, advisor_id=adv.id)
    with session_scope(engine) as s:
        assert [u.username for u in web_repo.applicants_of(session=s, advisor_id=adv.id)] == ["alice"]
        assert [p.id for p in web_repo.load_profiles(session=s, owner_ids=[alice.id])] == [pid]
        assert len(web_repo.list_stored_profiles(session=s, owner_ids=[alice.id, None])) == 2
        assert web_repo.list_stored_profiles(session=s, owner_ids=[]) == []
        stored = web_repo.get_stored_profile(session=s, profile_id=pid)
        assert stored is not None and stored.profile == profile and stored.owner_id == alice.id
        assert web_repo.revoke_share(session=s, applicant_id=alice.id, advisor_id=adv.id)
        assert not web_repo.is_shared(session=s, applicant_id=alice.id, advisor_id=adv.id)
        web_repo.end_sessions(session=s, user_id=alice.id)
        user = web_repo.get_user(session=s, user_id=alice.id)
        assert user is not None and user.session_version == 2


def test_task_statuses_belong_to_a_profile_and_go_with_it(engine) -> None:  # type: ignore[no-untyped-def]
    profile = load_model(Profile, EXAMPLES / "strong-us-img.toml")
    with session_scope(engine) as s:
        a = repo.save_profile(session=s, name="a", profile=profile)
        b = repo.save_profile(session=s, name="b", profile=profile)
        web_repo.set_task_status(session=s, profile_id=a, task_id="eras-submit", status="done")
        web_repo.set_task_status(session=s, profile_id=a, task_id="eras-submit", status="skipped")
    with session_scope(engine) as s:
        assert web_repo.task_statuses(session=s, profile_id=a) == {"eras-submit": "skipped"}
        assert web_repo.task_statuses(session=s, profile_id=b) == {}
        repo.delete_profile(session=s, name="a")
    with session_scope(engine) as s:
        assert web_repo.task_statuses(session=s, profile_id=a) == {}


def test_rank_preferences_are_kept_per_owner(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        web_repo.save_rank_preferences(session=s, owner_id=None, document={"program": [{"id": "x"}]})
        web_repo.save_rank_preferences(session=s, owner_id=7, document={"program": [{"id": "y"}]})
        web_repo.save_rank_preferences(session=s, owner_id=7, document={"program": [{"id": "z"}]})
    with session_scope(engine) as s:
        assert web_repo.rank_preferences(session=s, owner_id=None) == {"program": [{"id": "x"}]}
        assert web_repo.rank_preferences(session=s, owner_id=7) == {"program": [{"id": "z"}]}
        assert web_repo.rank_preferences(session=s, owner_id=8) is None
