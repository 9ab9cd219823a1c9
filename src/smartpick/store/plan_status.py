"""Plan progress: the status a user set on each task of a stored profile's plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartpick.store.models import utcnow
from smartpick.store.web_models import TaskStatusRow


def task_statuses(*, session: Session, profile_id: int) -> dict[str, str]:
    """Task id -> status the user set on a profile's plan."""
    rows = session.execute(
        select(TaskStatusRow.task_id, TaskStatusRow.status).where(TaskStatusRow.profile_id == profile_id)
    )
    return {task: status for task, status in rows}


def set_task_status(*, session: Session, profile_id: int, task_id: str, status: str) -> None:
    """Record (or replace) the status of one task of a profile's plan."""
    row = session.scalar(
        select(TaskStatusRow).where(TaskStatusRow.profile_id == profile_id, TaskStatusRow.task_id == task_id)
    )
    if row is None:
        row = TaskStatusRow(profile_id=profile_id, task_id=task_id)
        session.add(row)
    row.status, row.updated_at = status, utcnow()
    session.flush()
