"""The application cycle's dates and the dated tasks built on them (no clock: ``today`` is a parameter).

A cycle is named by its Match year Y: ERAS opens in June Y-1, applications go out in September Y-1,
interviews run October Y-1 to January Y, Match Day is the third Friday of March Y, training starts in
July Y. Dates AAMC/NRMP published come from the bundled ``calendar.toml`` (PUBLIC_FIGURES.md section
2.5); the others are computed from the rule the published dates follow, and each date says which.

Abbreviations: ERAS = Electronic Residency Application Service; NRMP = National Resident Matching
Program; ROL = rank order list; SOAP = Supplemental Offer and Acceptance Program.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.dates import add_months
from smartpick.domain.provenance import Confidence, Source
from smartpick.errors import InputError


class Basis(StrEnum):
    """Where a task's dates come from."""

    PUBLISHED = "published"
    COMPUTED = "computed"
    PROFILE = "profile"


class CycleEvent(StrEnum):
    """The fixed dates of one cycle, in resolution order (derived rules come after their anchor)."""

    ERAS_OPENS = "eras_opens"
    ERAS_SUBMISSION_OPENS = "eras_submission_opens"
    PROGRAMS_REVIEW = "programs_review"
    NRMP_REGISTRATION_OPENS = "nrmp_registration_opens"
    NRMP_LATE_FEE = "nrmp_late_fee"
    INTERVIEWS_START = "interviews_start"
    INTERVIEWS_END = "interviews_end"
    RANKING_OPENS = "ranking_opens"
    MATCH_DAY = "match_day"
    ROL_DEADLINE = "rol_deadline"
    MATCH_WEEK_STARTS = "match_week_starts"


class PublishedDate(FrozenModel):
    """A date AAMC or NRMP published for one cycle."""

    cycle: int
    event: CycleEvent
    date: dt.date
    source: str
    note: str | None = None


class Rule(FrozenModel):
    """How a date is computed when it has not been published."""

    text: str
    source: str
    confidence: Confidence


class Figure(BaseModel):
    """A numeric rule of thumb: named numbers (``low``, ``high``, ``value`` ...) plus text and source."""

    model_config = ConfigDict(extra="allow", frozen=True)

    text: str
    source: str

    @model_validator(mode="after")
    def _numbers(self) -> Self:
        for key, value in (self.model_extra or {}).items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"figure value {key!r} must be a number")
        return self

    def num(self, name: str) -> float:
        """One named number of the figure."""
        return float((self.model_extra or {})[name])

    def whole(self, name: str) -> int:
        """One named number, as an integer (weeks, months, counts)."""
        return int(self.num(name))


class Anchor(FrozenModel):
    """A cycle date (or a rotation's first/last day) plus an offset in days."""

    event: CycleEvent | None = None
    anchor: Literal["rotation_start", "rotation_end"] | None = None
    months: int = 0
    days: int = 0

    def shift(self, day: dt.date) -> dt.date:
        """``day`` moved by the anchor's months, then its days."""
        return add_months(day, self.months) + dt.timedelta(days=self.days)


class TaskSpec(FrozenModel):
    """A task template: ``[[tasks]]`` (fixed per cycle) or ``[[rotation_tasks]]`` (per rotation)."""

    id: str
    title: str
    category: str = "rotation"
    start: Anchor
    due: Anchor
    why: str
    instead: str
    figure: str | None = None
    when: Literal["all", "img"] = "all"
    done_when: Literal["started", "ended", "letter"] | None = None
    slots: Literal["all", "new"] = "all"


class DocumentSpec(FrozenModel):
    """A document of the away-rotation checklist; ``when`` limits it to IMGs or visa holders."""

    key: str
    name: str
    when: Literal["all", "img", "visa"] = "all"
    status: str = "to prepare"


class CalendarData(FrozenModel):
    """The content of ``calendar.toml``: sources, published dates, rules, figures and fixed tasks."""

    version: str
    sources: dict[str, Source]
    published: tuple[PublishedDate, ...] = ()
    rules: dict[CycleEvent, Rule]
    figures: dict[str, Figure]
    list_strategy: dict[str, str]
    tasks: tuple[TaskSpec, ...] = ()
    rotation_tasks: tuple[TaskSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()

    @model_validator(mode="after")
    def _cited(self) -> Self:
        cited = [p.source for p in self.published] + [r.source for r in self.rules.values()]
        cited += [f.source for f in self.figures.values()] + [self.list_strategy.get("source", "")]
        unknown = sorted({c for c in cited if c not in self.sources} | set(CycleEvent) - set(self.rules))
        if unknown:
            raise ValueError(f"unknown source key(s) or events without a rule: {unknown}")
        unrated = sorted(key for key, src in self.sources.items() if src.confidence is None)
        if unrated:
            raise ValueError(f"source(s) {unrated} need a `confidence` ({', '.join(Confidence)})")
        specs = (*self.tasks, *self.rotation_tasks)
        bad = [t.id for t in specs if t.figure is not None and t.figure not in self.figures]
        bad += [t.id for t in self.tasks if t.start.event is None or t.due.event is None]
        bad += [t.id for t in self.rotation_tasks if t.start.anchor is None or t.due.anchor is None]
        if bad:
            raise ValueError(f"task template(s) {bad}: unknown figure or wrong kind of anchor")
        return self

    def cite(self, key: str) -> str:
        """A source as one line: title, URL and confidence."""
        return self.sources[key].cite()

    def figure(self, name: str) -> Figure:
        """A named figure (a KeyError is a typo in code, not bad user input)."""
        return self.figures[name]

    def figure_source(self, name: str) -> str:
        """The figure's text and its citation, for a task's ``source``."""
        fig = self.figures[name]
        return f"{fig.text} ({self.cite(fig.source)})"


@dataclass(frozen=True)
class CycleDate:
    """One fixed date of a cycle, published or computed, with its citation."""

    event: CycleEvent
    date: dt.date
    basis: Basis
    source: str


@dataclass(frozen=True)
class Cycle:
    """Every fixed date of the cycle for a July start of ``match_year``."""

    match_year: int
    dates: Mapping[CycleEvent, CycleDate]

    def __getitem__(self, event: CycleEvent) -> dt.date:
        return self.dates[event].date

    def dated(self, event: CycleEvent) -> CycleDate:
        """The date with its basis and source."""
        return self.dates[event]


class TaskStatus(StrEnum):
    """Where a task stands; users set ``done`` or ``skipped``, ``late`` is derived from the date."""

    TODO = "todo"
    DONE = "done"
    LATE = "late"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Task:
    """A dated task, generic enough for the residency and the fellowship planners.

    ``id`` is stable when the plan is rebuilt; ``category`` is a short group name (``exam``, ``eras``);
    ``why`` and ``source`` give the reason and its citation; ``basis`` says whether the dates were
    published, computed from a rule or taken from the profile; ``instead`` is what to do once late.
    """

    id: str
    title: str
    category: str
    start: dt.date
    due: dt.date
    status: TaskStatus
    why: str
    source: str
    basis: Basis = Basis.COMPUTED
    instead: str = ""

    def __post_init__(self) -> None:
        if self.due < self.start:
            raise ValueError(f"task {self.id}: due {self.due} is before start {self.start}")


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday (Monday=0) of a month, e.g. the third Friday of March."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def match_day_rule(match_year: int) -> dt.date:
    """Match Day: the third Friday of March of the Match year."""
    return nth_weekday(match_year, 3, 4, 3)


def _computed(event: CycleEvent, y: int, known: Mapping[CycleEvent, dt.date]) -> dt.date:
    """The rule of ``calendar.toml`` [rules.<event>], for Match year ``y``."""
    rules = {
        CycleEvent.ERAS_OPENS: lambda: nth_weekday(y - 1, 6, calendar.WEDNESDAY, 1),
        CycleEvent.ERAS_SUBMISSION_OPENS: lambda: nth_weekday(y - 1, 9, calendar.WEDNESDAY, 1),
        CycleEvent.PROGRAMS_REVIEW: lambda: known[CycleEvent.ERAS_SUBMISSION_OPENS] + dt.timedelta(days=21),
        CycleEvent.NRMP_REGISTRATION_OPENS: lambda: dt.date(y - 1, 9, 15),
        CycleEvent.NRMP_LATE_FEE: lambda: dt.date(y - 1, 11, 30),
        CycleEvent.INTERVIEWS_START: lambda: dt.date(y - 1, 10, 1),
        CycleEvent.INTERVIEWS_END: lambda: dt.date(y, 1, 31),
        CycleEvent.RANKING_OPENS: lambda: dt.date(y, 2, 1),
        CycleEvent.MATCH_DAY: lambda: match_day_rule(y),
        CycleEvent.ROL_DEADLINE: lambda: known[CycleEvent.MATCH_DAY] - dt.timedelta(days=16),
        CycleEvent.MATCH_WEEK_STARTS: lambda: known[CycleEvent.MATCH_DAY] - dt.timedelta(days=4),
    }
    return rules[event]()


def cycle_dates(match_year: int, data: CalendarData) -> Cycle:
    """Every fixed date of a cycle: published where ``calendar.toml`` has it, computed otherwise.

    Args:
        match_year: the Match year Y (start of residency in July of Y).
        data: the bundled calendar data.

    Returns:
        The cycle, each date tagged `Basis.PUBLISHED` or `Basis.COMPUTED` with its source.
    """
    published = {p.event: p for p in data.published if p.cycle == match_year}
    dates: dict[CycleEvent, CycleDate] = {}
    known: dict[CycleEvent, dt.date] = {}
    for event in CycleEvent:
        pub = published.get(event)
        if pub is not None:
            note = f"; {pub.note}" if pub.note else ""
            item = CycleDate(event, pub.date, Basis.PUBLISHED, f"published: {data.cite(pub.source)}{note}")
        else:
            rule = data.rules[event]
            day = _computed(event, match_year, known)
            text = f"computed: {rule.text} ({data.cite(rule.source)}; rule {rule.confidence.value})"
            item = CycleDate(event, day, Basis.COMPUTED, text)
        dates[event] = item
        known[event] = item.date
    return Cycle(match_year=match_year, dates=dates)


def check_plannable(match_year: int, today: dt.date, cycle: Cycle) -> None:
    """Raise `InputError` when the cycle is over (Match Day already past), so no plan is possible."""
    if today > cycle[CycleEvent.MATCH_DAY]:
        first_open = next(y for y in range(match_year + 1, today.year + 2) if today <= match_day_rule(y))
        raise InputError(
            "applicant.target_start_year",
            match_year,
            f"a start year whose Match Day is still ahead of {today.isoformat()} "
            f"(the {match_year} Match Day was {cycle[CycleEvent.MATCH_DAY].isoformat()}); "
            f"use {first_open} or later",
        )


def finalize(
    tasks: Iterable[Task], today: dt.date, overrides: Mapping[str, TaskStatus] | None = None
) -> tuple[Task, ...]:
    """Apply the user's status updates, flag past-due tasks as late, and sort by due date.

    Args:
        tasks: the tasks as built from the profile (status todo or done).
        today: the date the plan is for.
        overrides: task id -> status set by the user (a status file or the database).

    Returns:
        The tasks sorted by (due, start, id); a task still open after its due date is `TaskStatus.LATE`.

    Raises:
        InputError: an override names a task id that is not in the plan.
    """
    items = list(tasks)
    overrides = dict(overrides or {})
    ids = {t.id for t in items}
    unknown = sorted(set(overrides) - ids)
    if unknown:
        shown = ", ".join(sorted(ids)[:12])
        raise InputError("tasks", unknown[0], f"a task id of this plan ({shown}, ...)")
    out = [_with_status(t, today, overrides.get(t.id)) for t in items]
    return tuple(sorted(out, key=lambda t: (t.due, t.start, t.id)))


def _with_status(task: Task, today: dt.date, override: TaskStatus | None) -> Task:
    status = override or task.status
    if status in (TaskStatus.TODO, TaskStatus.LATE):
        status = TaskStatus.LATE if task.due < today else TaskStatus.TODO
    return replace(task, status=status)


def cycle_tasks(cycle: Cycle, data: CalendarData, *, is_img: bool) -> tuple[Task, ...]:
    """The fixed tasks of every cycle (``[[tasks]]``: ERAS, NRMP, interviews, rank list, Match).

    A task's basis is its due date's: published only when AAMC/NRMP published that very date.
    """
    out = []
    for spec in data.tasks:
        if spec.when == "img" and not is_img:
            continue
        assert spec.due.event is not None and spec.start.event is not None  # checked on load
        due, start = cycle.dated(spec.due.event), cycle.dated(spec.start.event)
        sources = dict.fromkeys([due.source, start.source])
        if spec.figure is not None:
            sources[data.figure_source(spec.figure)] = None
        exact = (spec.due.days, spec.due.months) == (0, 0)
        task = Task(
            id=spec.id,
            title=spec.title,
            category=spec.category,
            start=spec.start.shift(start.date),
            due=spec.due.shift(due.date),
            status=TaskStatus.TODO,
            why=spec.why,
            source=" | ".join(sources),
            basis=due.basis if exact else Basis.COMPUTED,
            instead=spec.instead,
        )
        out.append(task)
    return tuple(out)
