"""Task statuses stored per profile shape its plan; unknown tasks and statuses are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from smartpick.data import bundled_catalogue
from smartpick.domain.planning.calendar import TaskStatus
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services import plan_progress, profiles
from smartpick.services.files import load_model

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = dt.date(2026, 6, 1)


def test_a_stored_status_shows_in_the_plan_of_that_profile_only(session: Session) -> None:
    profile = load_model(Profile, EXAMPLES / "strong-us-img.toml")
    mine, other = (profiles.save_profile(session, n, profile) for n in ("mine", "other"))
    catalogue = bundled_catalogue()
    tasks = plan_progress.stored_plan(session, mine, catalogue, TODAY).tasks
    task = next(t.id for t in tasks if t.status is TaskStatus.TODO)
    plan_progress.set_task_status(session, mine, catalogue, task, "done", TODAY)
    status = {t.id: t.status for t in plan_progress.stored_plan(session, mine, catalogue, TODAY).tasks}
    assert status[task] is TaskStatus.DONE
    untouched = {t.id: t.status for t in plan_progress.stored_plan(session, other, catalogue, TODAY).tasks}
    assert untouched[task] is TaskStatus.TODO
    with pytest.raises(InputError, match="status"):
        plan_progress.set_task_status(session, mine, catalogue, task, "late", TODAY)
    with pytest.raises(InputError, match="task"):
        plan_progress.set_task_status(session, mine, catalogue, "no-such-task", "done", TODAY)
