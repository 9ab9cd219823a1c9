"""Progress on a stored profile's plan: the status a user sets on each task, kept per profile.

The plan itself is built by ``smartpick.services.plan``; this module adds the stored statuses to it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.planning.calendar import TaskStatus
from smartpick.errors import InputError
from smartpick.services import plan as plan_svc
from smartpick.services.profiles import StoredProfile
from smartpick.store import plan_status as store

USER_STATUSES = ("todo", "done", "skipped")
"""Statuses a user sets (``late`` follows from the date)."""


def _task_ids(stored: StoredProfile, catalogue: Catalogue, today: dt.date) -> set[str]:
    return {t.id for t in plan_svc.build_plan(stored.profile, catalogue, today).tasks}


def stored_plan(
    session: Session, stored: StoredProfile, catalogue: Catalogue, today: dt.date
) -> plan_svc.CyclePlan:
    """The plan with the statuses stored for this profile (those naming tasks of this plan)."""
    ids = _task_ids(stored, catalogue, today)
    saved = store.task_statuses(session=session, profile_id=stored.id)
    status = plan_svc.StatusFile(tasks={k: TaskStatus(v) for k, v in saved.items() if k in ids})
    return plan_svc.build_plan(stored.profile, catalogue, today, status)


def set_task_status(
    session: Session, stored: StoredProfile, catalogue: Catalogue, task: str, status: str, today: dt.date
) -> None:
    """Store the status of one task of the profile's plan.

    Raises:
        InputError: a status users cannot set, or a task that is not in this plan.
    """
    if status not in USER_STATUSES:
        raise InputError("status", status, f"one of {', '.join(USER_STATUSES)} (late follows from the date)")
    if task not in _task_ids(stored, catalogue, today):
        raise InputError("task", task, "the id of a task in this plan")
    store.set_task_status(session=session, profile_id=stored.id, task_id=task, status=status)
