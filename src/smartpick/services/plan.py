"""Plan the application cycle: dated tasks, Step 2 CK advice, away rotations and letters.

The status file (``--status FILE``) lets the user record progress; its shape::

    [tasks]                      # task id -> todo | done | late | skipped
    "eras-submit" = "done"
    "rotation-new-1-apply" = "skipped"

    [documents]                  # away-rotation checklist key -> ready | todo
    cv = "ready"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from smartpick.data.calendar import bundled_calendar
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.planning import calendar as cal
from smartpick.domain.planning.calendar import CalendarData, Cycle, Task, TaskStatus
from smartpick.domain.planning.exams import Step2Advice, Step2Estimate, advise_step2, step2_tasks
from smartpick.domain.planning.letters import LetterPlan, plan_letters
from smartpick.domain.planning.rotations import RotationPlan, evidence, plan_rotations, rotation_tasks
from smartpick.domain.profile.applicant import Profile, RotationKind
from smartpick.errors import InputError
from smartpick.services.files import load_model
from smartpick.services.profiles import load_profile


class StatusFile(BaseModel):
    """The user's progress file: task statuses and ready documents."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tasks: dict[str, TaskStatus] = {}
    documents: dict[str, Literal["ready", "todo"]] = {}


@dataclass(frozen=True)
class CyclePlan:
    """Everything ``smartpick plan`` shows."""

    match_year: int
    today: dt.date
    cycle: Cycle
    tasks: tuple[Task, ...]
    step2: Step2Advice
    rotations: RotationPlan
    letters: LetterPlan
    data_version: str


def load_status(path: Path | None, data: CalendarData) -> StatusFile:
    """Read the status file (empty when no path); document keys must be checklist keys."""
    if path is None:
        return StatusFile()
    status = load_model(StatusFile, path)
    known = {d.key for d in data.documents}
    for key in status.documents:
        if key not in known:
            raise InputError(f"documents.{key}", key, f"one of {', '.join(sorted(known))}", source=str(path))
    return status


def prepare(profile: Profile, today: dt.date, data: CalendarData) -> Cycle:
    """The cycle of the profile's target start year, or `InputError` when that Match is already over."""
    cycle = cal.cycle_dates(profile.applicant.target_start_year, data)
    cal.check_plannable(profile.applicant.target_start_year, today, cycle)
    return cycle


def build_plan(
    profile: Profile, catalogue: Catalogue, today: dt.date, status: StatusFile | None = None
) -> CyclePlan:
    """The full plan of one profile for its target start year.

    Raises:
        InputError: the target start year's Match Day is already past, or the status file names a task
            that is not in the plan.
    """
    data = bundled_calendar()
    status = status or StatusFile()
    cycle = prepare(profile, today, data)
    step2 = advise_step2(profile.exams, cycle, data, today)
    ready = frozenset(k for k, v in status.documents.items() if v == "ready")
    rotations = plan_rotations(profile, catalogue, cycle, data, today, band=step2.band, ready_documents=ready)
    letters = plan_letters(profile, cycle, data, rotation_asks=_rotation_letter_asks(rotations, today))
    tasks = [
        *cal.cycle_tasks(cycle, data, is_img=profile.applicant.type.is_img),
        *step2_tasks(profile.exams, cycle, data),
        *rotation_tasks(rotations, data, today),
        *letters.tasks,
    ]
    ids = {t.id for t in tasks}
    overrides = {k: v for k, v in evidence(profile, cycle).items() if k in ids} | dict(status.tasks)
    final = cal.finalize(tasks, today, overrides)
    return CyclePlan(cycle.match_year, today, cycle, final, step2, rotations, letters, data.version)


def _rotation_letter_asks(plan: RotationPlan, today: dt.date) -> int:
    """Upcoming in-person rotations without a letter yet: each can give a physiatrist letter."""
    return sum(
        1 for s in plan.slots if not s.letter and s.finish >= today and s.kind is not RotationKind.VIRTUAL
    )


def plan_from_files(
    profile_path: Path, catalogue: Catalogue, today: dt.date, status_path: Path | None = None
) -> CyclePlan:
    """Load the profile (and the status file) and build the plan."""
    profile = load_profile(profile_path, catalogue, today)
    return build_plan(profile, catalogue, today, load_status(status_path, bundled_calendar()))


def exam_advice(profile_path: Path, catalogue: Catalogue, today: dt.date) -> tuple[Profile, Step2Advice]:
    """Load the profile and advise on Step 2 CK for its target cycle."""
    profile = load_profile(profile_path, catalogue, today)
    data = bundled_calendar()
    cycle = prepare(profile, today, data)
    return profile, advise_step2(profile.exams, cycle, data, today)


def rotation_plan(
    profile_path: Path, catalogue: Catalogue, today: dt.date, status_path: Path | None = None
) -> tuple[RotationPlan, tuple[Task, ...]]:
    """Load the profile and plan its away rotations; also the rotation tasks with their status."""
    plan = plan_from_files(profile_path, catalogue, today, status_path)
    tasks = tuple(t for t in plan.tasks if t.category == "rotation")
    return plan.rotations, tasks


def task_doc(task: Task) -> dict[str, Any]:
    """A task as JSON: the contract fields, then basis, and what to do instead when late."""
    return {
        "id": task.id,
        "title": task.title,
        "category": task.category,
        "start": task.start.isoformat(),
        "due": task.due.isoformat(),
        "status": task.status.value,
        "why": task.why,
        "source": task.source,
        "basis": task.basis.value,
        "instead": task.instead if task.status is TaskStatus.LATE else None,
    }


def plan_doc(plan: CyclePlan) -> dict[str, Any]:
    """The JSON document of ``smartpick plan``: ``{"tasks": [...]}`` plus the cycle and a summary."""
    counts = {s.value: sum(1 for t in plan.tasks if t.status is s) for s in TaskStatus}
    cycle = {
        e.value: {"date": d.date.isoformat(), "basis": d.basis.value, "source": d.source}
        for e, d in plan.cycle.dates.items()
    }
    return {
        "tasks": [task_doc(t) for t in plan.tasks],
        "target_start_year": plan.match_year,
        "today": plan.today.isoformat(),
        "summary": counts,
        "cycle": cycle,
        "step2": {
            "decision": plan.step2.decision.value,
            "band": plan.step2.band.value,
            "projected": projection_doc(plan.step2.projected),
        },
        "rotations": {"recommended": plan.rotations.recommended, "new_needed": plan.rotations.new_needed},
        "letters_missing": list(plan.letters.missing),
        "data_version": plan.data_version,
    }


def projection_doc(found: Step2Estimate | None) -> dict[str, Any] | None:
    """The one Step 2 CK projection as JSON (``None``: pending and no practice scores yet)."""
    if found is None:
        return None
    return {
        "score": found.score,
        "estimate": found.estimated,
        "test_date": _iso(found.test_date),
        "practice_tests": found.practice,
    }


def projection_text(found: Step2Estimate | None) -> str:
    """The projection in words, the same in every command and page."""
    if found is None:
        return "Step 2 CK pending; no practice scores yet to project from"
    if not found.estimated:
        return f"Step 2 CK {found.score:.0f} (reported score)"
    tests = f"{found.practice} practice score{'' if found.practice == 1 else 's'}"
    return f"Step 2 CK projected {found.score:.0f} for a test on {found.test_date} (estimate from {tests})"


def advice_doc(advice: Step2Advice) -> dict[str, Any]:
    """The JSON document of ``smartpick exam advise``."""
    chosen, trend = advice.chosen, advice.trend
    return {
        "decision": advice.decision.value,
        "score": advice.score,
        "recommended_date": _iso(advice.recommended_date),
        "delay_weeks": advice.delay_weeks,
        "expected": chosen.expected if chosen else advice.score,
        "low": chosen.low if chosen else advice.score,
        "high": chosen.high if chosen else advice.score,
        "band": advice.band.value,
        "projected": projection_doc(advice.projected),
        "interval": advice.interval,
        "latest_safe_date": advice.latest_safe_date.isoformat(),
        "goal": advice.goal,
        "practice_at_goal": advice.practice_at_goal,
        "trend": {
            "n": trend.n,
            "slope_per_week": None if trend.slope_per_week is None else round(trend.slope_per_week, 2),
            "residual_sd": None if trend.residual_sd is None else round(trend.residual_sd, 2),
            "ignored_future": trend.ignored_future,
        },
        "projections": [
            {
                "test_date": p.test_date.isoformat(),
                "delay_weeks": p.delay_weeks,
                "expected": p.expected,
                "low": p.low,
                "high": p.high,
                "band": p.band.value,
                "score_back": p.score_back.isoformat(),
                "in_time": p.in_time,
                "capped": p.capped,
            }
            for p in advice.projections
        ],
        "reasons": list(advice.reasons),
        "list_strategy": advice.list_strategy,
        "sources": list(advice.sources),
    }


def rotations_doc(plan: RotationPlan, tasks: tuple[Task, ...]) -> dict[str, Any]:
    """The JSON document of ``smartpick rotations plan``."""
    return {
        "recommended": plan.recommended,
        "existing": plan.existing,
        "new_needed": plan.new_needed,
        "unplaced": plan.unplaced,
        "count_reasons": list(plan.count_reasons),
        "rotations": [asdict(s) for s in plan.slots],
        "sites": [asdict(o) for o in plan.options],
        "checklist": [
            {"key": d.key, "name": d.name, "status": d.status, "per_site": dict(d.per_site)}
            for d in plan.checklist
        ],
        "notes": list(plan.notes),
        "tasks": [task_doc(t) for t in tasks],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
