"""Away rotations: how many, where, which months, and the documents each site needs.

Rules (shared/seeds/001; figures in ``calendar.toml``): 1 PM&R away rotation at least, 2-3 as the target,
4 at most; fewer when scores are the weakest area; none more once 2 rotations and both US physiatrist
letters are in hand. Sites: one IMG-friendly mid-tier program for a strong letter, one at a target program
or region, only where the visiting channel is open to the applicant (VSLO is often limited to LCME/COCA
students, so IMGs need direct department contact). Apply in March-April for July-October blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from smartpick.domain.catalogue.programs import Catalogue, ImgFriendliness, Program, VisitingChannel
from smartpick.domain.dates import add_months, end_of_month
from smartpick.domain.planning.calendar import Basis, CalendarData, Cycle, CycleEvent, Task, TaskStatus
from smartpick.domain.planning.letters import us_physiatrist_letters
from smartpick.domain.profile.applicant import ExamResult, Profile, ProgramType, RotationKind, ScoreBand

# New rotations: letter months May-August first (July first: March-April applications), then spring,
# then September-October blocks, whose letters arrive after ERAS opens.
_MONTH_ORDER = (7, 8, 6, 5, 4, 3, 9, 10)


class Access(StrEnum):
    """Whether a site's visiting-student channel is open to this applicant."""

    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class SiteRole(StrEnum):
    """Why a site is suggested."""

    LETTER = "letter"
    TARGET = "target"


@dataclass(frozen=True)
class SiteOption:
    """A catalogue program suggested for an away rotation, with what is and is not known."""

    program_id: str
    name: str
    role: SiteRole
    channel: str
    access: Access
    img_friendliness: str
    region: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RotationSlot:
    """A rotation in the plan: from the profile (key ``1``, ``2`` ...) or new, to find (``new-1`` ...)."""

    key: str
    label: str
    kind: RotationKind
    start: dt.date
    finish: dt.date
    letter: bool
    from_profile: bool


@dataclass(frozen=True)
class DocumentItem:
    """One document of the application checklist, with its status overall and per site."""

    key: str
    name: str
    status: str
    per_site: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RotationPlan:
    """How many rotations, which ones, where, and the documents to prepare."""

    recommended: int
    existing: int
    new_needed: int
    count_reasons: tuple[str, ...]
    slots: tuple[RotationSlot, ...]
    unplaced: int
    options: tuple[SiteOption, ...]
    checklist: tuple[DocumentItem, ...]
    notes: tuple[str, ...]
    is_img: bool
    rotation_year: int


def recommended_count(profile: Profile, band: ScoreBand, data: CalendarData) -> tuple[int, list[str]]:
    """How many in-person PM&R away rotations this applicant should have in total, and why."""
    fig = data.figure("rotations_count")
    low, mid, high, top = (fig.whole(k) for k in ("low", "mid", "high", "max"))
    in_person = [r for r in profile.rotations if r.kind is not RotationKind.VIRTUAL]
    if profile.applicant.type.is_img:
        target, reasons = high, [f"IMG: aim for {mid}-{high} PM&R rotations (minimum {low}, at most {top})."]
    else:
        target, reasons = mid, [f"US student: {mid} PM&R away rotations are usually enough (at most {top})."]
    has_usce = profile.experience.us_clinical_months_hands_on > 0 or bool(in_person)
    if band is ScoreBand.LOW and has_usce:
        target = max(low, target - 1)
        reasons.append("Scores are the weakest area: one rotation fewer, and the time goes to exam work.")
    if len(in_person) >= mid and us_physiatrist_letters(profile) >= 2:
        target = min(target, len(in_person))
        reasons.append("Rotations and both US physiatrist letters are in hand: more rotations add little.")
    if len(in_person) > top:
        reasons.append(f"More than {top} rotations: returns diminish; put the time into research instead.")
    return min(target, top), reasons


def plan_rotations(
    profile: Profile,
    catalogue: Catalogue,
    cycle: Cycle,
    data: CalendarData,
    today: dt.date,
    *,
    band: ScoreBand,
    ready_documents: frozenset[str] = frozenset(),
) -> RotationPlan:
    """The away-rotation plan for this cycle.

    Args:
        profile: the applicant.
        catalogue: programs to suggest sites from.
        cycle: the cycle's dates (rotations happen in the year before the Match year).
        data: bundled figures.
        today: the date of the plan.
        band: the Step 2 CK band to plan for (reported or projected).
        ready_documents: checklist keys the user has marked ready.
    """
    target, reasons = recommended_count(profile, band, data)
    existing = [r for r in profile.rotations if r.kind is not RotationKind.VIRTUAL]
    needed = max(0, target - len(existing))
    slots = list(_profile_slots(profile, catalogue))
    months = new_rotation_months(profile, cycle, data, today, needed)
    weeks = data.figure("rotation_weeks").whole("high")
    for i, start in enumerate(months, 1):
        label = f"new rotation {i} ({start:%B %Y}): site to choose"
        finish = start + dt.timedelta(weeks=weeks)
        slots.append(RotationSlot(f"new-{i}", label, RotationKind.HANDS_ON, start, finish, False, False))
    options = site_options(profile, catalogue) if needed else ()
    return RotationPlan(
        recommended=target,
        existing=len(existing),
        new_needed=needed,
        count_reasons=tuple(reasons),
        slots=tuple(slots),
        unplaced=needed - len(months),
        options=options,
        checklist=document_checklist(profile, slots, options, today, data, ready_documents),
        notes=_notes(profile, needed, len(months), options),
        is_img=profile.applicant.type.is_img,
        rotation_year=cycle.match_year - 1,
    )


def _profile_slots(profile: Profile, catalogue: Catalogue) -> list[RotationSlot]:
    out = []
    for i, r in enumerate(profile.rotations, 1):
        program = catalogue.get(r.program) if r.program else None
        name = program.name if program else r.where
        label = f"{name} ({r.kind.value.replace('_', '-')})"
        out.append(RotationSlot(f"{i}", label, r.kind, r.start, r.finish, r.letter, True))
    return out


def new_rotation_months(
    profile: Profile, cycle: Cycle, data: CalendarData, today: dt.date, count: int
) -> tuple[dt.date, ...]:
    """Months (first days) for new rotations: free, still open to apply for, best months for letters first."""
    fig = data.figure("rotation_application_months")
    lead = fig.whole("blocks_low") - fig.whole("high")  # April applications for July blocks: 3 months
    year = cycle.match_year - 1
    earliest = add_months(dt.date(today.year, today.month, 1), lead)
    months = [dt.date(year, m, 1) for m in _MONTH_ORDER]
    free = [d for d in months if d >= earliest and not _taken(profile, d)]
    return tuple(sorted(free[:count]))


def _taken(profile: Profile, first: dt.date) -> bool:
    last = end_of_month(first.year, first.month)
    return any(r.start <= last and r.finish >= first for r in profile.rotations)


def channel_access(program: Program, is_img: bool) -> Access:
    """A direct contact is open to anyone; VSLO is usually closed to IMGs; unknown stays unknown."""
    channel = program.visiting_channel.value
    if channel is None:
        return Access.UNKNOWN
    if channel is VisitingChannel.VSLO and is_img:
        return Access.CLOSED
    return Access.OPEN


_FRIENDLY_POINTS = {ImgFriendliness.HIGH: 3, ImgFriendliness.MEDIUM: 2, ImgFriendliness.UNKNOWN: 0}
_MID_TIER = (ProgramType.COMMUNITY, ProgramType.UNIVERSITY_AFFILIATED)


def site_options(profile: Profile, catalogue: Catalogue, per_role: int = 3) -> tuple[SiteOption, ...]:
    """Up to ``per_role`` sites for a strong letter and for a target program or region.

    Only sites whose channel is open or unknown; IMGs never get programs known to take few IMGs
    for the letter site. Without evidence (IMG-friendliness, region), no site is suggested.
    """
    is_img = profile.applicant.type.is_img
    taken = {r.program for r in profile.rotations if r.program}
    pool = [
        p for p in catalogue.programs if p.id not in taken and channel_access(p, is_img) is not Access.CLOSED
    ]
    chosen = [_option(p, SiteRole.LETTER, profile) for p in _best(pool, _letter_score, profile, per_role)]
    used = {o.program_id for o in chosen}
    rest = [p for p in pool if p.id not in used]
    chosen += [_option(p, SiteRole.TARGET, profile) for p in _best(rest, _target_score, profile, per_role)]
    return tuple(chosen)


def _best(
    pool: list[Program], score: Callable[[Program, Profile], float | None], profile: Profile, n: int
) -> list[Program]:
    scored = [(s, p.name, p.id, p) for p in pool if (s := score(p, profile)) is not None]
    return [p for *_, p in sorted(scored, key=lambda x: x[:3])[:n]]


def _letter_score(p: Program, profile: Profile) -> float | None:
    # Lower is better; None when nothing is known that makes the program a good letter site.
    friendly = p.img_friendliness
    if profile.applicant.type.is_img and friendly not in (ImgFriendliness.HIGH, ImgFriendliness.MEDIUM):
        return None
    points = float(_FRIENDLY_POINTS.get(friendly, 0) + (1 if p.program_type.value in _MID_TIER else 0))
    points += 2 if channel_access(p, profile.applicant.type.is_img) is Access.OPEN else 0
    points += 0.5 if p.region.value in profile.preferences.regions else 0
    return -points


def _target_score(p: Program, profile: Profile) -> float | None:
    prefs = profile.preferences
    tie = p.state.value is not None and p.state.value in prefs.states_with_ties
    region = p.region.value is not None and p.region.value in prefs.regions
    if not (tie or region):
        return None
    if profile.applicant.type.is_img and p.img_friendliness is ImgFriendliness.LOW:
        return None
    points = 2.0 * tie + region + (p.program_type.value in prefs.program_types)
    points += p.img_friendliness in (ImgFriendliness.HIGH, ImgFriendliness.MEDIUM)
    points += channel_access(p, profile.applicant.type.is_img) is Access.OPEN
    return -points


def _option(p: Program, role: SiteRole, profile: Profile) -> SiteOption:
    access = channel_access(p, profile.applicant.type.is_img)
    where = p.state.value if p.state.value in profile.preferences.states_with_ties else p.region.value
    tier = p.program_type.value.value if p.program_type.value else "unknown"
    reasons = [
        f"IMG-friendliness {p.img_friendliness.value} (a site where you can earn a strong letter)"
        if role is SiteRole.LETTER
        else f"in your target area ({where})",
        f"program type {tier}",
    ]
    if access is Access.UNKNOWN:
        reasons.append("visiting-student channel unknown: check the program's page or email the coordinator")
    channel = p.visiting_channel.value.value if p.visiting_channel.value else "unknown"
    region = p.region.value.value if p.region.value else None
    return SiteOption(p.id, p.name, role, channel, access, p.img_friendliness.value, region, tuple(reasons))


def _notes(profile: Profile, needed: int, placed: int, options: tuple[SiteOption, ...]) -> tuple[str, ...]:
    roles = {o.role for o in options}
    kinds = {r.kind for r in profile.rotations}
    observed_only = bool(kinds) and RotationKind.HANDS_ON not in kinds
    no_letter_site = "No catalogue program is known to be IMG-friendly yet: check rosters for IMG residents."
    late = f"{needed - placed} rotation(s) no longer fit this cycle: do a virtual elective or an observership"
    candidates = (
        (needed > placed, late + ", and ask physiatrists from your US clinical work for letters."),
        (needed and SiteRole.LETTER not in roles, no_letter_site),
        (needed and SiteRole.TARGET not in roles, "No target-area site: set preferences.regions or states."),
        (profile.applicant.type.is_img, "VSLO is often limited to LCME/COCA students: contact departments."),
        (observed_only, "No hands-on rotation yet: hands-on work gives stronger letters than observerships."),
    )
    return tuple(text for applies, text in candidates if applies)


def document_checklist(
    profile: Profile,
    slots: list[RotationSlot],
    options: tuple[SiteOption, ...],
    today: dt.date,
    data: CalendarData,
    ready: frozenset[str],
) -> tuple[DocumentItem, ...]:
    """Every document that applies, with its overall status and its status for each site.

    Sites are the plan's rotations (finished ones need nothing more) and the suggested programs.
    """
    sites = [(s.label, s.finish < today) for s in slots]
    sites += [(f"{o.name} (suggested)", False) for o in options]
    img, visa = profile.applicant.type.is_img, profile.applicant.needs_visa
    out = []
    for doc in data.documents:
        if (doc.when == "img" and not img) or (doc.when == "visa" and not visa):
            continue
        status = "ready" if doc.key in ready else _status(doc.key, doc.status, profile, today)
        per_site = tuple((site, "done" if past else _site_status(doc.key, status)) for site, past in sites)
        out.append(DocumentItem(doc.key, doc.name, status, per_site))
    return tuple(out)


def _status(key: str, default: str, profile: Profile, today: dt.date) -> str:
    ex = profile.exams
    if key == "usmle":
        if ex.step1 is ExamResult.PASS and ex.step2_ck is not None:
            return "scores in: send the USMLE transcript"
        return "pending: send the results you have and the planned date"
    if key == "enrolment":
        graduated = profile.applicant.graduation_year < today.year
        return f"{default}: {'diploma' if graduated else 'enrolment letter'}"
    return default


def _site_status(key: str, status: str) -> str:
    if status != "ready" and key in ("cv", "transcript"):
        return "send with the first email"
    return status


def rotation_tasks(plan: RotationPlan, data: CalendarData, today: dt.date) -> tuple[Task, ...]:
    """Each rotation's tasks (``[[rotation_tasks]]`` in calendar.toml).

    When new rotations no longer fit this cycle, one application task in the usual March-April
    window stands for them, so the plan shows it as late with what to do instead.
    """
    tasks = [t for slot in plan.slots for t in _slot_tasks(slot, data, today, is_img=plan.is_img)]
    if plan.unplaced:
        spec = next(s for s in data.rotation_tasks if s.id == "apply")
        fig = data.figure("rotation_application_months")
        year = plan.rotation_year
        title = f"Apply for {plan.unplaced} more PM&R away rotation(s)"
        start, due = dt.date(year, fig.whole("low"), 1), end_of_month(year, fig.whole("high"))
        source = data.figure_source("rotation_application_months")
        args = (title, "rotation", start, due, TaskStatus.TODO, spec.why, source, Basis.COMPUTED)
        tasks.append(Task("rotation-apply", *args, instead=spec.instead))
    return tuple(tasks)


def _slot_tasks(slot: RotationSlot, data: CalendarData, today: dt.date, *, is_img: bool) -> list[Task]:
    out = []
    anchors = {"rotation_start": slot.start, "rotation_end": slot.finish}
    ended = slot.finish < today
    facts = {"started": slot.start <= today, "ended": ended, "letter": slot.letter and ended}
    for spec in data.rotation_tasks:
        if (spec.slots == "new" and slot.from_profile) or (spec.when == "img" and not is_img):
            continue
        start = spec.start.shift(anchors[spec.start.anchor or "rotation_start"])
        due = max(start, spec.due.shift(anchors[spec.due.anchor or "rotation_end"]))
        done = slot.from_profile and facts.get(spec.done_when or "", False)
        task = Task(
            id=f"rotation-{slot.key}-{spec.id}",
            title=spec.title.format(label=slot.label),
            category=spec.category,
            start=start,
            due=due,
            status=TaskStatus.DONE if done else TaskStatus.TODO,
            why=spec.why,
            source=data.figure_source(spec.figure) if spec.figure else "",
            basis=Basis.PROFILE if slot.from_profile else Basis.COMPUTED,
            instead=spec.instead,
        )
        out.append(task)
    return out


def evidence(profile: Profile, cycle: Cycle) -> dict[str, TaskStatus]:
    """Fixed tasks the profile shows as done.

    The early observership is done with any US clinical months or an in-person rotation by the end of
    its window.
    """
    window_end = add_months(cycle[CycleEvent.ERAS_SUBMISSION_OPENS], -12)
    exp = profile.experience
    early = any(r.start <= window_end for r in profile.rotations if r.kind is not RotationKind.VIRTUAL)
    if early or exp.us_clinical_months_observership + exp.us_clinical_months_hands_on > 0:
        return {"early-observership": TaskStatus.DONE}
    return {}
