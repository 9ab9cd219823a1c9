"""Export dated tasks as an iCalendar file (RFC 5545) that common calendar apps import.

Each task becomes an all-day VEVENT on its due date (VTODO is not imported by Google Calendar or
Outlook, so events are the portable choice), with a stable UID (the same task keeps its UID when the
plan is exported again, so apps update it instead of duplicating it), a DTSTAMP, and, while the task is
open, a display alarm (VALARM) before the due date. Reused by the residency and fellowship planners.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from smartpick.domain.planning.calendar import Task, TaskStatus
from smartpick.errors import InputError

PRODID = "-//SmartPick//Application planner//EN"
ALARM_DAYS = 7
"""Days before the due date the alarm fires (fewer when the task is shorter than that)."""


def tasks_to_ics(
    tasks: Iterable[Task],
    calendar_name: str,
    *,
    stamp: dt.datetime | None = None,
    alarm_days: int = ALARM_DAYS,
) -> bytes:
    """Serialise tasks into an iCalendar document.

    Args:
        tasks: the tasks to export (any planner's `Task`).
        calendar_name: shown as the calendar's name; also part of each UID, so two plans with
            different names do not overwrite each other.
        stamp: DTSTAMP (creation time, UTC); defaults to now.
        alarm_days: how many days before the due date the alarm fires.

    Returns:
        The ``.ics`` file content (UTF-8, CRLF line endings).
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    scope = hashlib.sha256(calendar_name.encode("utf-8")).hexdigest()[:12]
    for task in tasks:
        cal.add_component(_event(task, scope, stamp, alarm_days))
    return bytes(cal.to_ical())


def task_uid(task_id: str, scope: str) -> str:
    """The stable UID of a task within one calendar."""
    return f"{task_id}.{scope}@smartpick"


def _event(task: Task, scope: str, stamp: dt.datetime, alarm_days: int) -> Event:
    event = Event()
    event.add("uid", task_uid(task.id, scope))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", task.due)
    event.add("dtend", task.due + dt.timedelta(days=1))
    event.add("summary", task.title)
    event.add("description", _description(task))
    event.add("categories", [task.category])
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if task.status is TaskStatus.SKIPPED else "CONFIRMED")
    if task.status in (TaskStatus.TODO, TaskStatus.LATE):
        event.add_component(_alarm(task, alarm_days))
    return event


def _alarm(task: Task, alarm_days: int) -> Alarm:
    lead = max(1, min(alarm_days, (task.due - task.start).days))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Due {task.due.isoformat()}: {task.title}")
    alarm.add("trigger", dt.timedelta(days=-lead))
    return alarm


def _description(task: Task) -> str:
    lines = [
        f"Due {task.due.isoformat()} (start {task.start.isoformat()}); status: {task.status.value}.",
        f"Why: {task.why}",
    ]
    if task.status is TaskStatus.LATE and task.instead:
        lines.append(f"Late - instead: {task.instead}")
    lines.append(f"Dates: {task.basis.value}. Source: {task.source}")
    return "\n".join(lines)


def write_ics(path: Path, tasks: Iterable[Task], calendar_name: str) -> int:
    """Write the tasks to ``path`` as iCalendar; returns the number of events written.

    Raises:
        InputError: the file cannot be written.
    """
    items = list(tasks)
    try:
        path.write_bytes(tasks_to_ics(items, calendar_name))
    except OSError as exc:
        raise InputError("--ics", str(path), f"a writable file path ({exc.strerror or exc})") from None
    return len(items)
