"""What moves an applicant's chances most: the actions still possible, their gain, cost, deadline and a plan.

Every action is a change to the applicant's situation: a Step 2 CK date or score, an away rotation, months
of US clinical experience (USCE), a letter, a poster, more programs, a tie, or sending the program signals.
Its gain is never a rule of this module: the caller's `Evaluate` function re-runs the chance model on the
changed situation, and the gain is the model's P(match) after the change minus its P(match) before (for a
Step 2 CK delay, minus the P(match) of testing on the planned date with the score the trend projects for
that date).

P(match) after an action is that of the better of two applications under the changed profile: the list the
model recommends for the changed profile, and the application sent without the action (the same programs and
signals), which the applicant can always keep. Re-choosing the list therefore never makes a gain negative:
an action that raises the applicant's scores at every program (a letter, a poster, a rotation, US clinical
months, a tie, signals, more programs allowed) gains at least what it gains on the list kept as it was,
which is never below zero. A negative gain is the model's own (a later Step 2 CK date that costs more than
its higher score brings).

Steps: (1) build the candidate actions the calendar still allows (`candidate_actions`; an action whose
deadline is past is never built); (2) evaluate each by re-running the model (`evaluate_actions`), ranked by
gain; (3) pick the best 2-3 that fit the budget and the free months before ERAS opens for submissions and
evaluate them together (`combined_plan`).

The interval of a gain (when there is one) spans: the ends of the model's own parameter-uncertainty interval
(P(match) at the low end after minus at the low end before, and the same at the high end) and, for actions
whose effect is itself uncertain (the score a Step 2 CK delay reaches), the gain at the low and high end of
that effect's prediction interval. Without either, the gain has no interval.

Abbreviations: CK = Clinical Knowledge; ERAS = Electronic Residency Application Service; IMG = international
medical graduate; USCE = US clinical experience; PGY-1 = first postgraduate year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from smartpick.domain.base import FrozenModel
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.chances.strategy import Backup, ListSize, Pgy1Plan
from smartpick.domain.planning.calendar import CalendarData, Cycle, CycleEvent
from smartpick.domain.planning.exams import Step2Advice
from smartpick.domain.profile.applicant import Profile

DAYS_PER_MONTH = 30.44
PLAN_SIZE = 3


class CostFigure(FrozenModel):
    """One cost or lead-time estimate of ``advice.toml``."""

    value: float
    unit: str
    estimate: str


class AdviceFigures(FrozenModel):
    """The bundled estimates for costs that are not ERAS fees."""

    version: str
    figures: dict[str, CostFigure]

    def value(self, name: str) -> float:
        """A figure's value (a KeyError is a typo in code)."""
        return self.figures[name].value

    def cite(self, name: str) -> str:
        """A figure's source line: it is a SmartPick estimate, and how it was set."""
        fig = self.figures[name]
        return f"{fig.unit} {fig.value:,.0f}: SmartPick estimate ({fig.estimate})"


@dataclass(frozen=True)
class Scenario:
    """What the model is run on: a profile, and whether the recommended program signals are sent.

    Signals are sent by default, as ``smartpick recommend`` reports P(match); the signals action is measured
    against not sending them.
    """

    profile: Profile
    signals: bool = True


@dataclass(frozen=True)
class Evaluation:
    """The model's P(match) for a scenario, with its parameter-uncertainty interval when it gives one.

    ``kept`` says the value is that of the application kept from before the action, which did better under
    the changed profile than the list recommended for it.
    """

    p_match: float
    interval: tuple[float, float] | None = None
    kept: bool = False


class Evaluate(Protocol):
    """The chance model on a scenario; with ``keep``, the better of its own list and ``keep``'s one."""

    def __call__(self, scenario: Scenario, keep: Scenario | None = None) -> Evaluation:
        """P(match) of ``scenario``'s recommended list, or of ``keep``'s application when that does better."""
        ...


Change = Callable[[Scenario], Scenario]


@dataclass(frozen=True)
class Candidate:
    """An action before evaluation: how it changes the scenario, what it costs and by when.

    ``group`` names actions that exclude each other in a plan (two Step 2 CK dates); ``busy`` says the
    action takes the applicant's full time for ``months``; ``reference`` is what the gain is measured
    against when not the scenario as it is (described by ``reference_note``); ``effect_range`` changes
    the scenario to the low and high end of the action's own uncertain effect; unscored actions
    (``scored=False``) are shown without a gain.
    """

    id: str
    title: str
    change: Change
    cost_usd: float
    cost_note: str
    months: float
    deadline: dt.date
    why: str
    sources: tuple[str, ...]
    group: str = ""
    busy: bool = False
    reference: Change | None = None
    reference_note: str = ""
    effect_range: tuple[Change, Change] | None = None
    range_note: str = ""
    scored: bool = True


@dataclass(frozen=True)
class Action:
    """An evaluated action: its gain in P(match) (None when the model cannot score it) and interval.

    ``kept_list``: P(match) after is that of the application sent without the action, which does better
    than the list recommended for the changed profile.
    """

    candidate: Candidate
    delta: float | None
    interval: tuple[float, float] | None
    interval_note: str
    p_after: float | None
    kept_list: bool = False


@dataclass(frozen=True)
class Plan:
    """The best few actions that fit the budget and the calendar, evaluated together.

    ``p_before`` is the model's P(match) without the plan: the profile as it is, except where an action is
    measured against a reference (a Step 2 CK taken on the planned date), which ``before_notes`` describe.
    """

    actions: tuple[Action, ...]
    p_match: float
    interval: tuple[float, float] | None
    cost_usd: float
    months: float
    p_before: float
    before_notes: tuple[str, ...] = ()
    kept_list: bool = False


@dataclass(frozen=True)
class ListFacts:
    """What the recommended list says about size, PGY-1 and backup (from the same model)."""

    size: ListSize
    pgy1: Pgy1Plan | None
    backup: Backup | None


@dataclass(frozen=True)
class Context:
    """Everything the candidate actions are built from."""

    profile: Profile
    catalogue: Catalogue
    cycle: Cycle
    calendar: CalendarData
    figures: Figures
    costs: AdviceFigures
    today: dt.date
    step2: Step2Advice
    facts: ListFacts

    @property
    def submission_opens(self) -> dt.date:
        """The day applicants may submit ERAS (the end of the time for rotations and experience)."""
        return self.cycle[CycleEvent.ERAS_SUBMISSION_OPENS]

    @property
    def programs_review(self) -> dt.date:
        """The day programs start reviewing applications (the deadline for the application itself)."""
        return self.cycle[CycleEvent.PROGRAMS_REVIEW]

    def cited_date(self, event: CycleEvent) -> str:
        """A cycle date's source line."""
        label = _EVENT_LABELS.get(event, "")
        return f"{label} {long_date(self.cycle[event])}: {self.cycle.dated(event).source}"


_EVENT_LABELS = {
    CycleEvent.PROGRAMS_REVIEW: "programs start reviewing applications on",
    CycleEvent.ERAS_SUBMISSION_OPENS: "ERAS opens for submissions on",
}


def long_date(day: dt.date) -> str:
    """A date as a physician reads it: 2 September 2026."""
    return f"{day.day} {day:%B %Y}"


def months_free(today: dt.date, cycle: Cycle) -> float:
    """Months between ``today`` and the day ERAS opens for submissions (never negative)."""
    return max(0.0, (cycle[CycleEvent.ERAS_SUBMISSION_OPENS] - today).days / DAYS_PER_MONTH)


def with_profile(scenario: Scenario, **changes: object) -> Scenario:
    """The scenario with top-level profile fields replaced."""
    return Scenario(scenario.profile.model_copy(update=changes), scenario.signals)


def evaluate_actions(
    candidates: tuple[Candidate, ...], base: Scenario, evaluate: Evaluate
) -> tuple[Action, ...]:
    """Each candidate's gain from re-running the model on the changed scenario, by gain (unscored last)."""
    now = evaluate(base)
    actions = [_evaluate_one(c, base, now, evaluate) for c in candidates]
    return tuple(sorted(actions, key=_rank_key))


def _rank_key(action: Action) -> tuple[int, float, float]:
    return (action.delta is None, -(action.delta or 0.0), action.candidate.cost_usd)


def _evaluate_one(c: Candidate, base: Scenario, now: Evaluation, evaluate: Evaluate) -> Action:
    if not c.scored:
        return Action(c, None, None, "the model does not score this action", None)
    before = c.reference(base) if c.reference else base
    ref = evaluate(before) if c.reference else now
    after = evaluate(c.change(base), keep=before)
    delta = after.p_match - ref.p_match
    ends, notes = [], []
    if c.effect_range is not None:
        ends += [evaluate(f(base), keep=before).p_match - ref.p_match for f in c.effect_range]
        notes.append(c.range_note)
    if after.interval is not None and ref.interval is not None:
        ends += [after.interval[0] - ref.interval[0], after.interval[1] - ref.interval[1]]
        notes.append("the ends of the model's parameter-uncertainty interval, before and after")
    if not ends:
        note = "no interval: the model gives none for this action"
        return Action(c, delta, None, note, after.p_match, after.kept)
    interval = (min(*ends, delta), max(*ends, delta))
    return Action(c, delta, interval, "; ".join(notes), after.p_match, after.kept)


def combined_plan(
    actions: tuple[Action, ...],
    base: Scenario,
    evaluate: Evaluate,
    *,
    budget: float | None,
    free_months: float,
) -> Plan | None:
    """The best (up to 3) actions with a positive gain that fit the budget and the free months, run together.

    Greedy in gain order: an action joins when its cost fits what is left of ``budget`` (None: no limit),
    its full-time months fit what is left of ``free_months``, and no chosen action shares its group.
    """
    chosen: list[Action] = []
    spent, busy, groups = 0.0, 0.0, set()
    for a in actions:
        c = a.candidate
        if a.delta is None or a.delta <= 0 or (c.group and c.group in groups):
            continue
        if budget is not None and spent + c.cost_usd > budget + 1e-9:
            continue
        if c.busy and busy + c.months > free_months + 1e-9:
            continue
        chosen.append(a)
        spent, busy = spent + c.cost_usd, busy + (c.months if c.busy else 0.0)
        groups.add(c.group)
        if len(chosen) == PLAN_SIZE:
            break
    if not chosen:
        return None
    before, after = base, base
    for a in chosen:
        ref = a.candidate.reference
        before = ref(before) if ref else before
        after = a.candidate.change(after)
    result, start = evaluate(after, keep=before), evaluate(before)
    months = sum(a.candidate.months for a in chosen)
    notes = tuple(a.candidate.reference_note for a in chosen if a.candidate.reference_note)
    return Plan(
        tuple(chosen), result.p_match, result.interval, spent, months, start.p_match, notes, result.kept
    )
