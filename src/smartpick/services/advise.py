"""Use-case: which actions move the applicant's P(match) most, and the best plan of 2-3 of them.

Every gain comes from re-running the chance model behind ``smartpick recommend`` on the changed profile
(`smartpick.domain.advice.advisor`). The model is reached through one adapter, `run_model`: when
the chance model
changes, only that function is re-pointed.

P(match) here is the model's chance of matching into PM&R with the recommended list at the profile's ERAS
budget with the recommended program signals, as ``smartpick recommend`` reports it; the signals action is
measured against sending none.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from smartpick.data.calendar import bundled_calendar
from smartpick.data.figures import bundled_figures
from smartpick.domain.advice import advisor as adv
from smartpick.domain.advice.actions import candidate_actions
from smartpick.domain.advice.lists import Application, application_p_match
from smartpick.domain.advice.relist import Relisted, recommended_application
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.planning.exams import Step2Advice, advise_step2
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services.plan import prepare, projection_doc
from smartpick.services.profiles import load_profile
from smartpick.services.recommend import chance_model, recommend

INTERVAL_MEANING = (
    "A gain's range spans the model's own parameter-uncertainty interval (when the model gives one) and, for "
    "a Step 2 CK delay, the gain at the low and high end of the exam advisor's prediction interval for the "
    "delayed score. A gain without a range has no stated uncertainty, not zero uncertainty."
)


GAIN_MEANING = (
    "Each gain is the model's chance of matching with the action done minus without it. With the action "
    "done, the chance is that of the better of two lists: the one SmartPick recommends for your changed "
    "profile, and the one you would send without the action (the same programs and signals), which you can "
    "always keep. So choosing a new list never makes an action look harmful."
)
KEPT_LIST = "with the list you would send without it (it does better than a new list)"
NEW_LIST = "with the list recommended after it"


def list_note(kept: bool) -> str:
    """Which list the chance after an action (or a plan) is that of, in words."""
    return KEPT_LIST if kept else NEW_LIST


@dataclass(frozen=True)
class ModelRun:
    """What the advice needs from one run of the chance model on one profile.

    ``application`` is the recommended list with its program signals; both P(match) values are the market
    model's for that list (with and without the signals), each with its parameter-uncertainty interval.
    """

    p_match: float
    p_match_interval: tuple[float, float] | None
    p_match_signals: float
    p_match_signals_interval: tuple[float, float] | None
    facts: adv.ListFacts
    sources: tuple[str, ...]
    application: Application


def run_model(profile: Profile, catalogue: Catalogue, figures: Figures, today: dt.date) -> ModelRun:
    """The adapter to the chance model: P(match) of the recommended list, without and with signals.

    Uses the model's parameter-uncertainty interval when the recommendation exposes one
    (``p_match_interval``); ``today`` is for models that depend on the date.
    """
    del today  # the current model does not depend on the date
    rec = recommend(profile, catalogue, figures=figures)
    application = Application(tuple(c.program for c in rec.programs), tuple(c.signal for c in rec.programs))
    tables = chance_model(catalogue, figures).tables
    without, without_interval = application_p_match(profile, application.without_signals(), figures, tables)
    facts = adv.ListFacts(size=rec.size, pgy1=rec.pgy1, backup=rec.backup)
    with_signals = _interval(getattr(rec, "p_match_interval", None))
    return ModelRun(without, without_interval, rec.p_match, with_signals, facts, rec.sources, application)


def _interval(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    low, high = value
    return float(low), float(high)


@lru_cache(maxsize=1)
def bundled_advice_figures() -> adv.AdviceFigures:
    """The bundled cost and lead-time estimates (``advice.toml``), validated on read."""
    text = resources.files("smartpick.data").joinpath("advice.toml").read_text(encoding="utf-8")
    return adv.AdviceFigures.model_validate(tomllib.loads(text))


@dataclass(frozen=True)
class AdviceResult:
    """Everything ``smartpick advise`` shows."""

    today: dt.date
    match_year: int
    now: adv.Evaluation
    actions: tuple[adv.Action, ...]
    plan: adv.Plan | None
    budget: float | None
    free_months: float
    model_sources: tuple[str, ...]
    version: str
    step2: Step2Advice


class _Evaluator:
    """`adv.Evaluate`: one full model run for the profile as it is, one list choice per changed profile.

    The profile as it is gets `run_model` (the whole recommendation: its list facts and sources); a changed
    profile gets only the application the recommendation would choose for it and its P(match)
    (`recommended_application`, the same list and figure). With ``keep``, a scenario's P(match) is the
    better of its own recommended list and ``keep``'s application (the same programs and signals) sent
    with the changed profile.
    """

    def __init__(self, catalogue: Catalogue, figures: Figures, today: dt.date) -> None:
        self._args = (catalogue, figures, today)
        self._model = chance_model(catalogue, figures)
        self._runs: dict[Profile, ModelRun] = {}
        self._lists: dict[Profile, Relisted] = {}
        self._sent: dict[tuple[Profile, tuple[str, ...], tuple[bool, ...]], adv.Evaluation] = {}

    def run(self, profile: Profile) -> ModelRun:
        """The whole model run (recommendation) for ``profile``."""
        if profile not in self._runs:
            self._runs[profile] = run_model(profile, *self._args)
        return self._runs[profile]

    def relisted(self, profile: Profile) -> Relisted:
        """The recommended application of ``profile`` and its P(match) with signals."""
        if profile not in self._lists:
            run = self._runs.get(profile)
            r = self._lists[profile] = (
                Relisted(run.application, run.p_match_signals, run.p_match_signals_interval or (0.0, 0.0))
                if run is not None
                else recommended_application(profile, self._args[0], self._model)
            )
            self._sent[self._key(profile, r.application)] = adv.Evaluation(r.p_match, r.interval)
        return self._lists[profile]

    @staticmethod
    def _key(profile: Profile, application: Application) -> tuple[Profile, tuple[str, ...], tuple[bool, ...]]:
        return profile, tuple(p.id for p in application.programs), application.signalled

    def application(self, scenario: adv.Scenario) -> Application:
        """What the scenario sends: its recommended list, with its signals when it sends them."""
        sent = self.relisted(scenario.profile).application
        return sent if scenario.signals else sent.without_signals()

    def own(self, scenario: adv.Scenario) -> adv.Evaluation:
        """P(match) of the list recommended for the scenario's profile, with or without its signals."""
        if scenario.signals:
            r = self.relisted(scenario.profile)
            return adv.Evaluation(r.p_match, r.interval)
        return self.on(scenario.profile, self.application(scenario))

    def on(self, profile: Profile, application: Application) -> adv.Evaluation:
        """P(match) of ``application`` sent with ``profile``."""
        key = self._key(profile, application)
        if key not in self._sent:
            scored = self._lists[profile].scored if profile in self._lists else None
            model = self._model
            p, interval = application_p_match(profile, application, model.figures, model.tables, scored)
            self._sent[key] = adv.Evaluation(p, interval)
        return self._sent[key]

    def __call__(self, scenario: adv.Scenario, keep: adv.Scenario | None = None) -> adv.Evaluation:
        own = self.own(scenario)
        if keep is None:
            return own
        kept = self.on(scenario.profile, self.application(keep))
        return replace(kept, kept=True) if kept.p_match > own.p_match else own


@dataclass(frozen=True)
class Prepared:
    """The candidate actions of one profile and the evaluator that scores them (one model run per profile)."""

    context: adv.Context
    candidates: tuple[adv.Candidate, ...]
    evaluate: adv.Evaluate
    base: ModelRun


def prepare_advice(
    profile: Profile, catalogue: Catalogue, *, today: dt.date, figures: Figures | None = None
) -> Prepared:
    """Build the actions still possible as of ``today`` (not yet evaluated).

    Raises:
        InputError: the profile's Match is already over.
    """
    figs = figures or bundled_figures()
    data = bundled_calendar()
    cycle = prepare(profile, today, data)
    evaluate = _Evaluator(catalogue, figs, today)
    base = evaluate.run(profile)
    ctx = adv.Context(
        profile=profile,
        catalogue=catalogue,
        cycle=cycle,
        calendar=data,
        figures=figs,
        costs=bundled_advice_figures(),
        today=today,
        step2=advise_step2(profile.exams, cycle, data, today),
        facts=base.facts,
    )
    return Prepared(ctx, candidate_actions(ctx), evaluate, base)


def advise(
    profile: Profile,
    catalogue: Catalogue,
    *,
    today: dt.date,
    budget: float | None = None,
    figures: Figures | None = None,
) -> AdviceResult:
    """The ranked actions and the combined plan for ``profile`` as of ``today``.

    Args:
        profile: the applicant.
        catalogue: the programs.
        today: the date of the advice (actions past their deadline are left out).
        budget: USD the applicant can spend on the actions together (None: no limit).
        figures: model figures; the bundled ones by default.

    Raises:
        InputError: a negative budget, or the profile's Match is already over.
    """
    check_budget(budget)
    ready = prepare_advice(profile, catalogue, today=today, figures=figures)
    scenario = adv.Scenario(profile)
    actions = adv.evaluate_actions(ready.candidates, scenario, ready.evaluate)
    free = adv.months_free(today, ready.context.cycle)
    plan = adv.combined_plan(actions, scenario, ready.evaluate, budget=budget, free_months=free)
    return AdviceResult(
        today=today,
        match_year=ready.context.cycle.match_year,
        now=ready.evaluate(scenario),
        actions=actions,
        plan=plan,
        budget=budget,
        free_months=free,
        model_sources=ready.base.sources,
        version=ready.context.figures.meta.version,
        step2=ready.context.step2,
    )


def budget_allowed() -> str:
    """What ``--budget`` accepts, in words."""
    return f"a number of US dollars from 0 to {bundled_advice_figures().value('budget_max'):,.0f}"


def check_budget(budget: float | None) -> None:
    """Raises InputError for a budget that is negative, not a number or beyond the largest one accepted."""
    if budget is not None and not (0 <= budget <= bundled_advice_figures().value("budget_max")):
        raise InputError("--budget", budget, budget_allowed())


def parse_budget(text: str | None) -> float | None:
    """``--budget`` as typed (None: no limit); raises InputError naming the value when it is not allowed."""
    if text is None:
        return None
    try:
        value = float(text.replace(",", "").removeprefix("$"))
        check_budget(value)
    except (ValueError, InputError):
        raise InputError("--budget", text, budget_allowed()) from None
    return value


_OTHER_FILES = {"rank": "a rank list (for smartpick ranklist)", "tasks": "a status file (for smartpick plan)"}


def check_is_profile(path: Path) -> None:
    """Raises InputError when ``path`` is readable TOML of another SmartPick file kind, not a profile."""
    try:
        keys = set(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # the profile loader names these problems
    kinds = [what for key, what in _OTHER_FILES.items() if key in keys]
    if kinds and "applicant" not in keys:
        raise InputError(
            "--profile",
            str(path),
            f"a profile file, with an [applicant] and an [exams] table (see README); this file is {kinds[0]}",
        )


def advise_file(
    path: Path, catalogue: Catalogue, *, today: dt.date, budget: float | None = None
) -> AdviceResult:
    """Load a profile file and advise on it."""
    check_budget(budget)
    check_is_profile(path)
    return advise(load_profile(path, catalogue, today), catalogue, today=today, budget=budget)


def nothing_left(result: AdviceResult) -> str | None:
    """Why no action is offered, in words (None when there are actions)."""
    if result.actions:
        return None
    return (
        f"No action is still possible as of {adv.long_date(result.today)}: the deadline of every action "
        "SmartPick knows has passed, or it is already done in your profile. Your chance of matching now "
        "stays as shown."
    )


def plan_sources(plan: adv.Plan) -> list[str]:
    """The sources of a plan's figures: those of its actions, each once, in order."""
    return list(dict.fromkeys(s for a in plan.actions for s in a.candidate.sources))


def _pair(value: tuple[float, float] | None) -> list[float] | None:
    return None if value is None else [round(value[0], 4), round(value[1], 4)]


def action_doc(action: adv.Action) -> dict[str, Any]:
    """One action as JSON (every P(match) and gain is a model estimate)."""
    c = action.candidate
    return {
        "id": c.id,
        "title": c.title,
        "delta_p_match": None if action.delta is None else round(action.delta, 4),
        "delta_interval": _pair(action.interval),
        "interval_note": action.interval_note,
        "p_match_after": None if action.p_after is None else round(action.p_after, 4),
        "p_match_after_list": None if action.delta is None else list_note(action.kept_list),
        "cost_usd": round(c.cost_usd, 2),
        "cost_note": c.cost_note,
        "months": round(c.months, 1),
        "full_time": c.busy,
        "deadline": c.deadline.isoformat(),
        "why": c.why,
        "sources": list(c.sources),
        "estimate": True,
    }


def advice_doc(result: AdviceResult) -> dict[str, Any]:
    """The JSON document of ``smartpick advise``."""
    plan = result.plan
    return {
        "today": result.today.isoformat(),
        "target_start_year": result.match_year,
        "p_match_now": round(result.now.p_match, 4),
        "p_match_now_interval": _pair(result.now.interval),
        "p_match_now_meaning": "recommended list at your ERAS budget, with its signals (model estimate)",
        "projected_step2": projection_doc(result.step2.projected),
        "actions": [action_doc(a) for a in result.actions],
        "no_actions_note": nothing_left(result),
        "plan": None
        if plan is None
        else {
            "actions": [a.candidate.id for a in plan.actions],
            "p_match": round(plan.p_match, 4),
            "p_match_interval": _pair(plan.interval),
            "p_match_list": list_note(plan.kept_list),
            "p_match_without_plan": round(plan.p_before, 4),
            "without_plan_means": list(plan.before_notes) or ["your profile as it is"],
            "delta_p_match": round(plan.p_match - plan.p_before, 4),
            "cost_usd": round(plan.cost_usd, 2),
            "months": round(plan.months, 1),
            "sources": list(dict.fromkeys([*result.model_sources[:1], *plan_sources(plan)])),
            "estimate": True,
        },
        "budget_usd": result.budget,
        "free_months_before_eras": round(result.free_months, 1),
        "gain_meaning": GAIN_MEANING,
        "interval_meaning": INTERVAL_MEANING,
        "model_sources": list(result.model_sources),
        "figures_version": result.version,
        "estimate": True,
    }
