"""The candidate actions of the advisor: what each changes, its cost, months and deadline.

Built only when the calendar still allows them (`candidate_actions` drops any whose deadline is before
``today``). Costs are ERAS fees from ``figures.toml`` where they are fees, otherwise the SmartPick estimates
of ``advice.toml``, and each says which. None of these functions computes a gain:
`smartpick.domain.advice.advisor`
re-runs the chance model on each changed scenario.

Abbreviations: CK = Clinical Knowledge; ERAS = Electronic Residency Application Service; IMG = international
medical graduate; PGY-1 = first postgraduate year.
"""

from __future__ import annotations

import datetime as dt
import math

from smartpick.domain.advice.advisor import (
    Candidate,
    Change,
    Context,
    Scenario,
    long_date,
    with_profile,
)
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.dates import add_months, end_of_month
from smartpick.domain.planning.calendar import CycleEvent
from smartpick.domain.planning.exams import Decision, Projection, step2_test_by_date
from smartpick.domain.planning.rotations import Access, new_rotation_months, site_options
from smartpick.domain.profile.applicant import Letter, Profile, Rotation, RotationKind, Specialty
from smartpick.domain.wording import plural

DAYS_PER_MONTH = 30.44


def candidate_actions(ctx: Context) -> tuple[Candidate, ...]:
    """Every action the calendar still allows for this profile (none whose deadline is before ``today``)."""
    built = [
        *_step2_candidates(ctx),
        _rotation_candidate(ctx),
        _usce_candidate(ctx),
        _letter_candidate(ctx),
        _poster_candidate(ctx),
        _signals_candidate(ctx),
        _more_programs_candidate(ctx),
        *_tie_candidates(ctx),
        _pgy1_candidate(ctx),
        _backup_candidate(ctx),
    ]
    return tuple(c for c in built if c is not None and c.deadline >= ctx.today)


def _set_step2(score: float, date: dt.date) -> Change:
    def change(s: Scenario) -> Scenario:
        exams = s.profile.exams.model_copy(
            update={"step2_ck": int(min(300, max(1, round(score)))), "step2_planned_date": date}
        )
        return with_profile(s, exams=exams)

    return change


def _step2_candidates(ctx: Context) -> list[Candidate]:
    exams = ctx.profile.exams
    if exams.step2_ck is not None:
        return []
    out = []
    test_by = step2_test_by_date(ctx.cycle, ctx.calendar)
    planned = exams.step2_planned_date
    if planned is None or planned > test_by:

        def book(s: Scenario) -> Scenario:
            return with_profile(s, exams=s.profile.exams.model_copy(update={"step2_planned_date": test_by}))

        now = "no test date yet" if planned is None else f"your planned date {long_date(planned)} is late"
        out.append(
            Candidate(
                id="step2-book",
                title=f"Take Step 2 CK by {long_date(test_by)}",
                change=book,
                cost_usd=0.0,
                cost_note="no cost beyond the exam fee you pay anyway (a rescheduling fee may apply)",
                months=0.0,
                deadline=test_by,
                why=f"{now}: programs screen on the Step 2 CK score, and a score taken by {test_by:%d %B} is "
                "back before they start reviewing applications.",
                sources=(
                    ctx.calendar.figure_source("step2_test_by_month"),
                    ctx.cited_date(CycleEvent.PROGRAMS_REVIEW),
                ),
                group="step2",
            )
        )
    delay = _delay_candidate(ctx)
    return out + ([delay] if delay else [])


def _delay_candidate(ctx: Context) -> Candidate | None:
    advice = ctx.step2
    if not advice.projections:
        return None
    now = advice.projections[0]
    better = [p for p in advice.projections[1:] if p.in_time and p.expected > now.expected]
    if not better:
        return None
    recommended = advice.decision is Decision.DELAY and advice.chosen is not None
    pick = (
        advice.chosen
        if recommended and advice.chosen
        else max(better, key=lambda p: (p.expected, -p.delay_weeks))
    )
    rule = ctx.calendar.figure("step2_delay").text
    verdict = (
        "The exam advisor recommends this delay."
        if recommended
        else f"The exam advisor advises testing as planned (the guides: {rule})."
    )
    return Candidate(
        id="step2-delay",
        title=_delay_title(pick, planned=ctx.profile.exams.step2_planned_date is not None),
        change=_set_step2(pick.expected, pick.test_date),
        cost_usd=0.0,
        cost_note="no cost beyond the exam fee you pay anyway (a rescheduling fee may apply)",
        months=round(pick.delay_weeks * 7 / DAYS_PER_MONTH, 1),
        deadline=now.test_date,
        why=_delay_why(now, pick) + " " + verdict,
        sources=advice.sources,
        group="step2",
        busy=True,
        reference=_set_step2(now.expected, now.test_date),
        reference_note=f"Step 2 CK taken on {long_date(now.test_date)} with the projected {now.expected:.0f}",
        effect_range=(_set_step2(pick.low, pick.test_date), _set_step2(pick.high, pick.test_date)),
        range_note=f"the delayed score at the ends of the exam advisor's range ({advice.interval})",
    )


def _delay_title(pick: Projection, *, planned: bool) -> str:
    if planned:
        return f"Delay Step 2 CK by {pick.delay_weeks} weeks, to {long_date(pick.test_date)}"
    return f"Study {pick.delay_weeks} more weeks and take Step 2 CK on {long_date(pick.test_date)}, not now"


def _delay_why(now: Projection, pick: Projection) -> str:
    return (
        f"Your practice scores project {now.expected:.0f} if you test on {long_date(now.test_date)} and "
        f"{pick.expected:.0f} (range {pick.low:.0f}-{pick.high:.0f}) after {pick.delay_weeks} more weeks of "
        f"study; that score is still back by {long_date(pick.score_back)}. The gain is measured against "
        f"testing on {long_date(now.test_date)} with the score projected for that day."
    )


def _rotation_candidate(ctx: Context) -> Candidate | None:
    cal, profile = ctx.calendar, ctx.profile
    weeks = cal.figure("rotation_weeks").whole("high")
    months = new_rotation_months(profile, ctx.cycle, cal, ctx.today, 12)
    fits = [m for m in months if m + dt.timedelta(weeks=weeks) <= ctx.submission_opens]
    if not fits:
        return None
    letters = cal.figure("letter_months")
    month = next((m for m in fits if letters.whole("low") <= m.month <= letters.whole("high")), fits[0])
    done = {r.program for r in profile.rotations}
    site = next(
        (
            o
            for o in site_options(profile, ctx.catalogue)
            if o.access is not Access.CLOSED and o.program_id not in done
        ),
        None,
    )
    if site is None:
        return None
    fig = cal.figure("rotation_application_months")
    apply_by = add_months(month, -(fig.whole("blocks_low") - fig.whole("high")))
    away = weeks / 4

    def change(s: Scenario) -> Scenario:
        rotation = Rotation(
            program=site.program_id, kind=RotationKind.HANDS_ON, start=month, weeks=weeks, letter=True
        )
        exp = s.profile.experience
        more = exp.model_copy(update={"us_clinical_months_hands_on": exp.us_clinical_months_hands_on + away})
        return with_profile(s, rotations=(*s.profile.rotations, rotation), experience=more)

    costs = ctx.costs
    channel = (
        ""
        if site.access is Access.OPEN
        else " Whether this program takes visiting applicants like you is not known: ask the department."
    )
    return Candidate(
        id="away-rotation",
        title=f"Do a {weeks}-week hands-on PM&R rotation at {site.name} in {month:%B %Y}",
        change=change,
        cost_usd=costs.value("rotation_host_fee") + costs.value("travel_housing_month") * away,
        cost_note="estimate: host fee plus travel and housing (SmartPick estimates, not published fees)",
        months=away,
        deadline=end_of_month(apply_by.year, apply_by.month),
        why=f"{month:%B} is free in your calendar and ends before ERAS opens for submissions on "
        f"{long_date(ctx.submission_opens)}; a rotation raises your interview and ranking chances at that "
        "program, counts as hands-on US clinical experience and can bring a physiatrist letter (a separate "
        "action)." + channel,
        sources=(
            cal.figure_source("rotation_application_months"),
            cal.figure_source("rotation_weeks"),
            costs.cite("rotation_host_fee"),
            costs.cite("travel_housing_month"),
        ),
        busy=True,
    )


def _usce_candidate(ctx: Context) -> Candidate | None:
    profile, costs = ctx.profile, ctx.costs
    have, target = profile.experience.us_clinical_months_hands_on, ctx.figures.strategy.usce_little_months
    if not profile.applicant.type.is_img or have >= target:
        return None
    need = math.ceil(target - have)
    start_by = add_months(ctx.submission_opens, -need)
    arrange_by = add_months(start_by, -int(costs.value("usce_arrange_months")))

    def change(s: Scenario) -> Scenario:
        exp = s.profile.experience
        more = exp.model_copy(update={"us_clinical_months_hands_on": exp.us_clinical_months_hands_on + need})
        return with_profile(s, experience=more)

    return Candidate(
        id="usce-months",
        title=f"Add {plural(need, 'month')} of hands-on US clinical experience before ERAS opens",
        change=change,
        cost_usd=need * (costs.value("usce_month_fee") + costs.value("travel_housing_month")),
        cost_note="estimate: placement fee plus living costs away from home (SmartPick estimates)",
        months=float(need),
        deadline=arrange_by,
        why=f"You have {plural(have, 'month')} of hands-on US clinical experience; programs look for at "
        f"least {target:g} from IMGs. Start by {long_date(start_by)} to finish before ERAS opens for "
        "submissions.",
        sources=(
            ctx.figures.source_line(ctx.figures.strategy),
            costs.cite("usce_month_fee"),
            costs.cite("travel_housing_month"),
        ),
        busy=True,
    )


def _letter_candidate(ctx: Context) -> Candidate | None:
    cal = ctx.calendar
    target = cal.figure("residency_letters").whole("us_physiatrists")
    have = sum(1 for x in ctx.profile.letters if x.writer_specialty is Specialty.PMR and x.us)
    if have >= target:
        return None
    ask_by = add_months(ctx.programs_review, -cal.figure("letter_lead_months").whole("low"))

    def change(s: Scenario) -> Scenario:
        return with_profile(s, letters=(*s.profile.letters, Letter(writer_specialty=Specialty.PMR, us=True)))

    return Candidate(
        id="physiatrist-letter",
        title="Get another letter from a US physiatrist",
        change=change,
        cost_usd=0.0,
        cost_note="no fee",
        months=0.0,
        deadline=ask_by,
        why=f"You have {plural(have, 'letter')} from US physiatrists; programs expect {target}. Ask a "
        f"physiatrist who has seen your clinical work by {long_date(ask_by)} so the letter is uploaded "
        "before programs start reviewing applications.",
        sources=(cal.figure_source("residency_letters"), cal.figure_source("letter_lead_months")),
    )


def _poster_candidate(ctx: Context) -> Candidate | None:
    res, costs = ctx.profile.research, ctx.costs
    if res.pmr_related and res.publications + res.posters > 0:
        return None
    lead = int(costs.value("poster_lead_months"))

    def change(s: Scenario) -> Scenario:
        r = s.profile.research
        return with_profile(s, research=r.model_copy(update={"posters": r.posters + 1, "pmr_related": True}))

    return Candidate(
        id="research-poster",
        title="Present a PM&R research poster or case report",
        change=change,
        cost_usd=costs.value("poster_cost"),
        cost_note="estimate: meeting registration and travel (SmartPick estimate)",
        months=float(lead),
        deadline=add_months(ctx.submission_opens, -lead),
        why="You have no PM&R research on your application yet; an accepted poster or case report can be "
        f"listed in ERAS. It takes about {lead} months of part-time work.",
        sources=(costs.cite("poster_cost"), costs.cite("poster_lead_months")),
    )


def _signals_candidate(ctx: Context) -> Candidate | None:
    figs = ctx.figures
    count = figs.signal_count()
    if count <= 0:
        return None
    return Candidate(
        id="program-signals",
        title=f"Send all {count} PM&R program signals to the programs SmartPick picks",
        change=lambda s: Scenario(s.profile, signals=True),
        reference=lambda s: Scenario(s.profile, signals=False),
        reference_note="no program signals sent",
        cost_usd=0.0,
        cost_note="no fee (signals are part of the ERAS application)",
        months=0.0,
        deadline=ctx.programs_review,
        why=f"Each PM&R applicant may signal {count} programs; a signal raises the chance of an interview "
        "there, most where your chance is middling. SmartPick places them on your recommended list where "
        "they add most. Your chance now assumes you send them; the gain is against sending none.",
        sources=tuple(figs.citations(("signals.",))),
    )


def _more_programs_candidate(ctx: Context) -> Candidate | None:
    size, ladder = ctx.facts.size, ctx.figures.residency_fees
    wanted = max(size.needed, size.diminishing_returns)
    if size.count >= wanted or size.limited_by == "the catalogue":
        return None
    prefs = ctx.profile.preferences
    extra = ladder.cost(wanted) - ladder.cost(size.count)

    def change(s: Scenario) -> Scenario:
        p = s.profile.preferences
        update: dict[str, object] = {}
        if p.max_programs is not None:
            update["max_programs"] = max(p.max_programs, wanted)
        if p.budget_usd is not None:
            update["budget_usd"] = max(p.budget_usd, ladder.cost(wanted))
        return with_profile(s, preferences=p.model_copy(update=update))

    limit = (
        "your program limit"
        if prefs.max_programs is not None and prefs.max_programs <= size.count
        else "your budget"
    )
    return Candidate(
        id="more-programs",
        title=f"Apply to {wanted} PM&R programs instead of {size.count}",
        change=change,
        cost_usd=extra,
        cost_note=f"ERAS fees, {ladder.season} ladder",
        months=0.0,
        deadline=ctx.programs_review,
        why=f"{limit.capitalize()} stops the list at {size.count} programs; your profile calls for {wanted}: "
        "the point where more programs add little, or the minimum the guides give for profiles like yours.",
        sources=(f"ERAS fees: {ctx.figures.source_line(ladder)}",),
    )


def rotation_states(profile: Profile, catalogue: Catalogue) -> tuple[str, ...]:
    """States of catalogue programs where the applicant rotated in person and has no stated tie yet."""
    ties = set(profile.preferences.states_with_ties)
    found: list[str] = []
    for r in profile.rotations:
        program = catalogue.get(r.program) if r.program and r.kind is not RotationKind.VIRTUAL else None
        state = program.state.value if program else None
        if state and state not in ties and state not in found:
            found.append(state)
    return tuple(found[:2])


def _tie_candidates(ctx: Context) -> list[Candidate]:
    out = []
    for state in rotation_states(ctx.profile, ctx.catalogue):

        def change(s: Scenario, st: str = state) -> Scenario:
            prefs = s.profile.preferences
            ties = prefs.model_copy(update={"states_with_ties": (*prefs.states_with_ties, st)})
            return with_profile(s, preferences=ties)

        out.append(
            Candidate(
                id=f"ties-{state.lower()}",
                title=f"Show your ties to {state} in your application (only if they are real)",
                change=change,
                cost_usd=0.0,
                cost_note="no fee",
                months=0.0,
                deadline=ctx.programs_review,
                why=f"You have rotated in {state}. If you also have family, schooling or work there, say so "
                "in your personal statement and ERAS geographic preferences: programs favour applicants "
                "likely to stay.",
                sources=(ctx.figures.source_line(ctx.figures.model.interview["state_ties"]),),
            )
        )
    return out


def _pgy1_candidate(ctx: Context) -> Candidate | None:
    plan = ctx.facts.pgy1
    if plan is None:
        return None
    return Candidate(
        id="pgy1-applications",
        title=f"Apply to {plan.applications} preliminary or transitional-year programs for a PGY-1 year",
        change=lambda s: s,
        cost_usd=plan.cost_usd,
        cost_note=f"ERAS fees on their own ladders, {ctx.figures.residency_fees.season}",
        months=0.0,
        deadline=ctx.programs_review,
        why=plan.reason
        + ". It does not change your PM&R chances: it secures the year those positions need first.",
        sources=(
            f"ERAS fees: {ctx.figures.source_line(ctx.figures.residency_fees)}",
            ctx.figures.source_line(ctx.figures.pgy1),
        ),
        scored=False,
    )


def _backup_candidate(ctx: Context) -> Candidate | None:
    backup = ctx.facts.backup
    if backup is None:
        return None
    option, programs, cost = backup.options[-1]
    return Candidate(
        id="backup-specialty",
        title=f"Apply to {programs} {option} programs as a backup",
        change=lambda s: s,
        cost_usd=cost,
        cost_note=f"ERAS fees (a second specialty has its own ladder), {ctx.figures.residency_fees.season}",
        months=0.0,
        deadline=ctx.programs_review,
        why="Recommended because "
        + "; ".join(backup.reasons)
        + ". It does not change your PM&R chances: it gives a "
        "second route to a residency position, which this model does not estimate.",
        sources=(
            f"ERAS fees: {ctx.figures.source_line(ctx.figures.residency_fees)}",
            ctx.figures.source_line(ctx.figures.backup),
        ),
        scored=False,
    )
