"""The pure part of the advice: gains come from the evaluator, ranking, and the combined plan's limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.domain.advice import advisor as adv
from smartpick.domain.profile.applicant import Letter, Profile, Specialty
from smartpick.services.files import load_model

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "us-img-228-step1-fail.toml"
PROFILE = load_model(Profile, EXAMPLE)
DAY = dt.date(2026, 3, 1)


def _fake(s: adv.Scenario, keep: adv.Scenario | None = None) -> adv.Evaluation:
    """A stand-in model: each letter adds 5 points, signals 3, each poster 2 (no list to keep)."""
    p = 0.2 + 0.05 * len(s.profile.letters) + 0.02 * s.profile.research.posters + (0.03 if s.signals else 0)
    return adv.Evaluation(min(p, 1.0), None)


def _letter(s: adv.Scenario) -> adv.Scenario:
    return adv.with_profile(s, letters=(*s.profile.letters, Letter(writer_specialty=Specialty.PMR, us=True)))


def _poster(s: adv.Scenario) -> adv.Scenario:
    r = s.profile.research
    return adv.with_profile(s, research=r.model_copy(update={"posters": r.posters + 1}))


def _unsignalled(s: adv.Scenario) -> adv.Scenario:
    return adv.Scenario(s.profile, False)


def _cand(cid: str, change: adv.Change, **kw: object) -> adv.Candidate:
    base: dict[str, object] = {
        "id": cid,
        "title": cid,
        "change": change,
        "cost_usd": 0.0,
        "cost_note": "no fee",
        "months": 0.0,
        "deadline": DAY,
        "why": "",
        "sources": (),
    }
    return adv.Candidate(**(base | kw))  # type: ignore[arg-type]


def test_gain_is_the_evaluators_difference_and_ranked() -> None:
    cands = (
        _cand("poster", _poster),
        _cand("letter", _letter),
        _cand("signals", lambda s: adv.Scenario(s.profile, True), reference=_unsignalled),
        _cand("backup", lambda s: s, scored=False),
    )
    actions = adv.evaluate_actions(cands, adv.Scenario(PROFILE), _fake)
    assert [a.candidate.id for a in actions] == ["letter", "signals", "poster", "backup"]
    assert actions[0].delta == pytest.approx(0.05)
    assert actions[-1].delta is None and actions[-1].interval is None
    assert all(a.interval is None for a in actions)  # the fake model gives no interval, no effect range


def test_reference_and_effect_range_set_the_gain_and_its_interval() -> None:
    two_letters = lambda s: _letter(_letter(s))  # noqa: E731
    cand = _cand(
        "x", two_letters, reference=_letter, effect_range=(_letter, lambda s: _letter(two_letters(s)))
    )
    (action,) = adv.evaluate_actions((cand,), adv.Scenario(PROFILE), _fake)
    assert action.delta == pytest.approx(0.05)  # against one letter, not against the profile as it is
    assert action.interval == pytest.approx((0.0, 0.10))


def test_model_interval_ends_are_differenced() -> None:
    def model(s: adv.Scenario, keep: adv.Scenario | None = None) -> adv.Evaluation:
        p = _fake(s).p_match
        return adv.Evaluation(p, (p - 0.02, p + 0.04 * len(s.profile.letters)))

    (action,) = adv.evaluate_actions((_cand("letter", _letter),), adv.Scenario(PROFILE), model)
    assert action.interval == pytest.approx((0.05, 0.09))


def test_plan_respects_budget_group_months_and_size() -> None:
    cands = (
        _cand("a", _letter, cost_usd=900.0),
        _cand("b", lambda s: _letter(_letter(s)), cost_usd=200.0, group="g"),
        _cand("c", lambda s: _letter(_letter(_letter(s))), cost_usd=100.0, group="g"),
        _cand("d", _poster, months=2.0, busy=True),
        _cand("e", lambda s: adv.Scenario(s.profile, True), months=1.0, busy=True, reference=_unsignalled),
        _cand("f", lambda s: s),
    )
    base = adv.Scenario(PROFILE)
    actions = adv.evaluate_actions(cands, base, _fake)
    plan = adv.combined_plan(actions, base, _fake, budget=500.0, free_months=2.5)
    assert plan is not None
    ids = [a.candidate.id for a in plan.actions]
    assert ids == ["c", "e"]  # a over budget, b same group as c, d does not fit the months left after e
    assert plan.cost_usd <= 500 and plan.p_match == pytest.approx(_fake(base).p_match + 0.15)
    assert plan.p_before == pytest.approx(_fake(base).p_match - 0.03)  # e is measured against no signals
    unlimited = adv.combined_plan(actions, base, _fake, budget=None, free_months=12)
    assert unlimited is not None and len(unlimited.actions) == adv.PLAN_SIZE


def test_no_plan_when_nothing_gains_or_fits() -> None:
    base = adv.Scenario(PROFILE)
    actions = adv.evaluate_actions((_cand("f", lambda s: s), _cand("a", _letter, cost_usd=10.0)), base, _fake)
    assert adv.combined_plan(actions, base, _fake, budget=5.0, free_months=0) is None


@given(st.dates(dt.date(2024, 1, 1), dt.date(2030, 1, 1)))
def test_long_date_reads_as_words(day: dt.date) -> None:
    text = adv.long_date(day)
    assert text.startswith(str(day.day) + " ") and text.endswith(str(day.year)) and "-" not in text


def test_the_changed_scenario_is_scored_against_the_application_it_keeps() -> None:
    """Each change is evaluated with ``keep`` = the scenario its gain is measured against; the plan too."""
    seen: list[tuple[adv.Scenario, adv.Scenario | None]] = []

    def model(s: adv.Scenario, keep: adv.Scenario | None = None) -> adv.Evaluation:
        seen.append((s, keep))
        return _fake(s)

    base = adv.Scenario(PROFILE)
    cands = (
        _cand("letter", _letter),
        _cand("signals", lambda s: adv.Scenario(s.profile, True), reference=_unsignalled),
    )
    actions = adv.evaluate_actions(cands, base, model)
    assert (_letter(base), base) in seen and (base, _unsignalled(base)) in seen
    seen.clear()
    adv.combined_plan(actions, base, model, budget=None, free_months=1)
    assert (_letter(base), _unsignalled(base)) in seen  # the plan keeps what is sent without any of it


def test_a_kept_list_is_marked_on_the_action() -> None:
    def model(s: adv.Scenario, keep: adv.Scenario | None = None) -> adv.Evaluation:
        return adv.Evaluation(_fake(s).p_match, None, kept=keep is not None)

    (action,) = adv.evaluate_actions((_cand("letter", _letter),), adv.Scenario(PROFILE), model)
    assert action.kept_list
