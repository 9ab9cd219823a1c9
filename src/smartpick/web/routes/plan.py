"""The cycle plan of a stored profile: a timeline by month, status updates stored per profile, ICS export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from smartpick.domain.dates import PlausibleDate
from smartpick.domain.planning.calendar import CycleEvent, Task, TaskStatus
from smartpick.domain.profile.applicant import Profile
from smartpick.present.dates import parse_today as parse_today  # web/routes/fellowship.py imports it here
from smartpick.present.labels import label
from smartpick.services import plan as plan_svc
from smartpick.services import plan_progress
from smartpick.services.ics import tasks_to_ics
from smartpick.services.plan_progress import USER_STATUSES
from smartpick.web.advice_views import TaskGain, advice_panel, task_gains
from smartpick.web.charts import GanttChart, gantt
from smartpick.web.deps import (
    CatalogueDep,
    CurrentUserDep,
    FormDep,
    OwnedProfileDep,
    ReadableProfileDep,
    SessionDep,
)
from smartpick.web.pages import Feature, Link, Page, flash, render
from smartpick.web.routes.api_profiles import ProfileDocument, validated_profile

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["plan"])
TodayQuery = Annotated[str | None, Query(max_length=32, description="Plan as of this date (YYYY-MM-DD).")]


@dataclass(frozen=True)
class TaskView:
    """One dated task on the timeline."""

    id: str
    title: str
    category: str
    start: dt.date
    due: dt.date
    status: str
    why: str
    source: str
    basis: str
    instead: str | None


@dataclass(frozen=True)
class MonthGroup:
    """The tasks due in one month."""

    label: str
    tasks: tuple[TaskView, ...]


@dataclass(frozen=True)
class PlanPage(Page):
    """``/profiles/{id}/plan``: the dated tasks of the profile's application cycle."""

    template = "plan.html"
    profile_id: int
    profile_name: str
    editable: bool
    today: dt.date
    today_given: bool
    match_year: int
    match_day: dt.date
    months: tuple[MonthGroup, ...]
    summary: dict[str, int]
    chart: GanttChart | None
    step2: str
    rotations: str
    letters_missing: tuple[str, ...]
    data_version: str
    statuses: tuple[str, ...] = USER_STATUSES
    gains: dict[str, TaskGain] = field(default_factory=dict)


def _by_start(tasks: Sequence[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: t.start)


def _task_view(task: Task) -> TaskView:
    instead = task.instead if task.status is TaskStatus.LATE and task.instead else None
    return TaskView(
        task.id, task.title, task.category, task.start, task.due, task.status.value, task.why, task.source,
        task.basis.value, instead,
    )  # fmt: skip


def by_month(tasks: tuple[Task, ...]) -> tuple[MonthGroup, ...]:
    """Tasks grouped by the month they are due, in date order."""
    groups: dict[str, list[TaskView]] = {}
    for task in sorted(tasks, key=lambda t: (t.due, t.start, t.id)):
        groups.setdefault(task.due.strftime("%B %Y"), []).append(_task_view(task))
    return tuple(MonthGroup(label, tuple(items)) for label, items in groups.items())


@pages.get("/profiles/{profile_id}/plan", name="plan")
def plan_page(
    request: Request,
    viewer: CurrentUserDep,
    session: SessionDep,
    stored: ReadableProfileDep,
    catalogue: CatalogueDep,
    today: TodayQuery = None,
) -> Response:
    """The timeline of the profile's cycle."""
    day, given = parse_today(today)
    result = plan_progress.stored_plan(session, stored, catalogue, day)
    doc = plan_svc.plan_doc(result)
    rot = result.rotations
    page = PlanPage(
        title=f"Plan for {stored.name}", profile_id=stored.id, profile_name=stored.name,
        editable=stored.owner_id == viewer.user_id, today=day, today_given=given,
        match_year=result.match_year, match_day=result.cycle.dated(CycleEvent.MATCH_DAY).date,
        months=by_month(result.tasks), summary=doc["summary"],
        chart=gantt([(t.title, t.start, t.due, t.status.value) for t in _by_start(result.tasks)], day),
        step2=f"{label(result.step2.decision)} (band {label(result.step2.band)}). "
        f"{plan_svc.projection_text(result.step2.projected)}.",
        rotations=f"{rot.existing} in person so far, {rot.recommended} recommended",
        letters_missing=result.letters.missing, data_version=result.data_version,
        gains=task_gains(advice_panel(stored.profile, catalogue, day), tuple(t.id for t in result.tasks)),
    )  # fmt: skip
    return render(request, page)


@pages.get("/profiles/{profile_id}/plan.ics", name="plan_ics")
def plan_ics(
    session: SessionDep, stored: ReadableProfileDep, catalogue: CatalogueDep, today: TodayQuery = None
) -> Response:
    """The plan's tasks as an iCalendar file (one all-day event per task, with a reminder while open)."""
    result = plan_progress.stored_plan(session, stored, catalogue, parse_today(today)[0])
    body = tasks_to_ics(result.tasks, f"SmartPick plan {stored.name}, July {result.match_year} start")
    headers = {"Content-Disposition": 'attachment; filename="smartpick-plan.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@pages.post("/profiles/{profile_id}/plan/status", name="plan_status")
def plan_status(
    request: Request, session: SessionDep, stored: OwnedProfileDep, catalogue: CatalogueDep, form: FormDep
) -> Response:
    """Store a task's status, then show the plan again at that task."""
    task, status = (form.get("task") or [""])[0], (form.get("status") or [""])[0]
    raw_today = (form.get("today") or [""])[0]
    day, given = parse_today(raw_today)
    plan_progress.set_task_status(session, stored, catalogue, task, status, day)
    flash(request, f"Marked “{task}” as {status}.")
    query = f"?{urlencode({'today': day.isoformat()})}" if given else ""
    target = str(request.app.url_path_for("plan", profile_id=stored.id)) + query + f"#task-{task}"
    return RedirectResponse(target, status_code=303)


@api.get("/profiles/{profile_id}/plan")
def stored_plan(
    session: SessionDep, stored: ReadableProfileDep, catalogue: CatalogueDep, today: TodayQuery = None
) -> dict[str, Any]:
    """The plan of a stored profile, as ``smartpick plan --format json``."""
    return plan_svc.plan_doc(plan_progress.stored_plan(session, stored, catalogue, parse_today(today)[0]))


class StatusUpdate(BaseModel):
    """A status the user sets on one task (``late`` follows from the date)."""

    model_config = ConfigDict(extra="forbid")
    task: Annotated[str, Field(min_length=1, max_length=200)]
    status: Literal["todo", "done", "skipped"]
    today: PlausibleDate | None = None


@api.put("/profiles/{profile_id}/plan/status")
def update_status(
    body: StatusUpdate, session: SessionDep, stored: OwnedProfileDep, catalogue: CatalogueDep
) -> dict[str, Any]:
    """Store a task's status; returns the updated plan."""
    day = body.today or parse_today(None)[0]
    plan_progress.set_task_status(session, stored, catalogue, body.task, body.status, day)
    return plan_svc.plan_doc(plan_progress.stored_plan(session, stored, catalogue, day))


class PlanRequest(BaseModel):
    """A profile to plan for, as of ``today`` (default: the current date)."""

    model_config = ConfigDict(extra="forbid")
    profile: ProfileDocument
    today: PlausibleDate | None = None


@api.post("/plan")
def plan_profile(body: PlanRequest, _: CurrentUserDep, catalogue: CatalogueDep) -> dict[str, Any]:
    """The plan of a profile sent in the request (nothing stored), as ``smartpick plan --format json``."""
    profile: Profile = validated_profile(body.profile, catalogue)
    day = body.today or parse_today(None)[0]
    return plan_svc.plan_doc(plan_svc.build_plan(profile, catalogue, day))


router = APIRouter()
router.include_router(pages)
router.include_router(api)
FEATURE = Feature("plan", router, profile_links=(Link("Plan", "plan"),))
