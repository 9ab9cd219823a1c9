"""The "What helps most" panel: the advice of `smartpick.services.advise` as rows and an inline SVG bar chart.

The panel is computed once per (profile, catalogue, day) and remembered (a small LRU), so the profile page
and the plan page of the same day share one computation. The chart uses SVG presentation attributes only
(the Content-Security-Policy forbids inline styles) and has a title, a description and a table beside it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from smartpick.domain.advice import advisor as adv
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services import advise as svc

WIDTH, LEFT, RIGHT, ROW = 640, 16, 16, 46

# Plan tasks (by id prefix) and the actions whose gain they carry out, in order of preference.
TASK_ACTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rotation-new-", ("away-rotation",)),
    ("letter-us-physiatrist-", ("physiatrist-letter",)),
    ("step2-", ("step2-delay", "step2-book")),
    ("eras-prepare", ("program-signals",)),
    ("eras-submit", ("more-programs", "program-signals")),
)


@dataclass(frozen=True)
class AdviceRow:
    """One action as the page shows it, with its bar's geometry (when it has a gain)."""

    id: str
    title: str
    scored: bool
    gain: str
    gain_range: str
    after: str
    cost: str
    months: str
    deadline: dt.date
    why: str
    sources: tuple[str, ...]
    y: float
    bar_x: float
    bar_width: float
    whisker: tuple[float, float] | None
    label_x: float


@dataclass(frozen=True)
class AdvicePanel:
    """The panel: the chance now, the ranked actions, the chart and the plan (or why there is none)."""

    available: bool
    message: str
    now: str
    rows: tuple[AdviceRow, ...]
    chart_width: int
    chart_height: int
    zero_x: float
    plan: str
    interval_meaning: str
    gain_meaning: str = ""


def points(x: float) -> str:
    """A change in P(match) in percentage points, signed."""
    return f"{x * 100:+.1f} points"


def _scale(actions: tuple[adv.Action, ...]) -> tuple[float, float, float]:
    """(zero x, pixels per unit of P(match), plot width) so every gain and range end fits."""
    values = [v for a in actions if a.delta is not None for v in (a.delta, *(a.interval or ()))]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    span = (hi - lo) or 1.0
    plot = WIDTH - LEFT - RIGHT - 90
    return LEFT + plot * (-lo / span), plot / span, plot


def _row(i: int, a: adv.Action, zero: float, per: float) -> AdviceRow:
    c = a.candidate
    y = 8 + i * ROW
    x, width, whisker, gain, spread = zero, 0.0, None, "not scored by the model", ""
    if a.delta is not None:
        x, width = (zero, a.delta * per) if a.delta >= 0 else (zero + a.delta * per, -a.delta * per)
        gain = points(a.delta)
        if a.interval is not None:
            whisker = (round(zero + a.interval[0] * per, 1), round(zero + a.interval[1] * per, 1))
            spread = f"{a.interval[0] * 100:+.1f} to {a.interval[1] * 100:+.1f}"
    cost = f"${c.cost_usd:,.0f}" + (" (estimate)" if "estimate" in c.cost_note else "")
    after = "" if a.p_after is None else f"chance after it {a.p_after:.0%}, {svc.list_note(a.kept_list)}"
    return AdviceRow(
        c.id, c.title, a.delta is not None, gain, spread, after, f"{cost}: {c.cost_note}", f"{c.months:g}",
        c.deadline, c.why, c.sources, y, round(x, 1), round(max(width, 0.0), 1), whisker,
        round(max(x + max(width, 0.0), whisker[1] if whisker else zero) + 6, 1),
    )  # fmt: skip


def _plan_text(result: svc.AdviceResult) -> str:
    plan = result.plan
    limit = "no budget limit" if result.budget is None else f"a budget of ${result.budget:,.0f}"
    if plan is None:
        return f"No action with a gain fits {limit} and the months before ERAS opens."
    before = f" ({'; '.join(plan.before_notes)})" if plan.before_notes else ""
    return (
        "Best plan: " + "; ".join(a.candidate.title for a in plan.actions) + f". Chance of matching "
        f"{plan.p_match:.0%} with it, {plan.p_before:.0%} without it{before}: "
        f"{points(plan.p_match - plan.p_before)} (model estimates; with the plan, "
        f"{svc.list_note(plan.kept_list)}); cost ${plan.cost_usd:,.0f}."
    )


def build_panel(result: svc.AdviceResult) -> AdvicePanel:
    """The panel of an advice result."""
    zero, per, _ = _scale(result.actions)
    rows = tuple(_row(i, a, zero, per) for i, a in enumerate(result.actions))
    now = (
        f"Chance of matching now: {result.now.p_match:.0%} with the recommended list and its program signals "
        f"(model estimate), as of {adv.long_date(result.today)}."
    )
    height = 16 + ROW * len(rows)
    return AdvicePanel(
        True, "", now, rows, WIDTH, height, round(zero, 1), _plan_text(result), svc.INTERVAL_MEANING,
        svc.GAIN_MEANING,
    )  # fmt: skip


def unavailable(message: str) -> AdvicePanel:
    """A panel that says why there is no advice (e.g. the profile's Match is over)."""
    return AdvicePanel(False, message, "", (), WIDTH, 0, 0.0, "", "")


_Key = tuple[Profile, int, dt.date]


class _Memo:
    """Least-recently-used memo of panels per (profile, catalogue, day)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Profile, int, dt.date], tuple[Catalogue, AdvicePanel]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, profile: Profile, catalogue: Catalogue, today: dt.date) -> AdvicePanel:
        key = (profile, id(catalogue), today)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] is catalogue:
                self._entries.move_to_end(key)
                return hit[1]
        panel = _panel(profile, catalogue, today)
        with self._lock:
            self._entries[key] = (catalogue, panel)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return panel


def _panel(profile: Profile, catalogue: Catalogue, today: dt.date) -> AdvicePanel:
    """The panel, or why there is none: the Match is over, or a practice test lies after ``today``."""
    late = [t.date for t in profile.exams.practice if t.date > today]
    if late:
        return unavailable(
            f"No advice for this profile as of {adv.long_date(today)}: it has a practice test dated "
            f"{adv.long_date(max(late))}, after that day (a practice test still to come has no score yet). "
            "Choose a later day."
        )
    try:
        return build_panel(svc.advise(profile, catalogue, today=today))
    except InputError as exc:
        return unavailable(f"No advice for this profile: {exc.allowed}.")


_MEMO = _Memo()


def advice_panel(profile: Profile, catalogue: Catalogue, today: dt.date) -> AdvicePanel:
    """The "What helps most" panel of a profile as of ``today`` (remembered per day)."""
    return _MEMO.get(profile, catalogue, today)


@dataclass(frozen=True)
class TaskGain:
    """The action a plan task carries out, and its gain, for a link from the task."""

    action_id: str
    gain: str


def task_gains(panel: AdvicePanel, task_ids: tuple[str, ...]) -> dict[str, TaskGain]:
    """Plan task id -> the action it carries out (when that action is on the panel with a gain)."""
    scored = {r.id: r for r in panel.rows if r.scored}
    out = {}
    for task in task_ids:
        for prefix, ids in TASK_ACTIONS:
            row = next((scored[i] for i in ids if task.startswith(prefix) and i in scored), None)
            if row is not None:
                out[task] = TaskGain(row.id, row.gain)
                break
    return out
