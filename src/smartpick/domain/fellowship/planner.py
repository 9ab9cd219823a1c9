"""Fellowship planning for PM&R residents: tracks, dated year goals, letters and list size.

Abbreviations: PGY = postgraduate year (PGY-1 starts in July of the residency start year and the fellowship
starts in July after PGY-4); PD/APD = (associate) program director; SAE = in-service exam; ERAS/NRMP =
the application service and the match. The year goals, letter rule and list sizes come from
shared/seeds/000 (DOMAIN.md "Fellowship preparation"); track dates come from the bundled data file
``smartpick/data/fellowships.toml``, each with its source or estimate.

Each milestone is dated from the resident's start year and the chosen track's window (spine opens in
early PGY-3, pain's ERAS deadline is in late spring of PGY-3, sports opens in July of PGY-4) and gets a
status: ``done`` (evidence in the portfolio), ``on_track`` (not done, not yet due), ``late`` (past due but it
can still help this cycle) or ``missing`` (the window it served has passed without it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from smartpick.domain.dates import add_months
from smartpick.domain.fellowship.portfolio import Outcome, Portfolio, Skill, TrackId
from smartpick.domain.fellowship.programs import FellowshipProgram, FellowshipPrograms
from smartpick.domain.fellowship.tracks import (
    FellowshipData,
    FellowshipTrack,
    LetterRule,
    ListAdvice,
    Route,
    Window,
    list_advice,
    subspecialty_writers,
    window,
)

SKILL_TEXT = {
    Skill.EMG: "EMG",
    Skill.ULTRASOUND: "musculoskeletal ultrasound",
    Skill.FLUOROSCOPY: "fluoroscopy",
    Skill.EVENT_COVERAGE: "on-field event coverage",
    Skill.SPASTICITY: "spasticity management",
}


class Status(StrEnum):
    """Milestone status."""

    DONE = "done"
    ON_TRACK = "on_track"
    LATE = "late"
    MISSING = "missing"


@dataclass(frozen=True)
class Milestone:
    """A dated goal; the same fields as the cycle calendar's ``Task`` so it exports through one ICS writer."""

    id: str
    title: str
    category: str
    start: dt.date
    due: dt.date
    status: Status
    why: str
    source: str


@dataclass(frozen=True)
class LetterPlan:
    """Letter targets for one track."""

    track: TrackId
    needed: str
    subspecialty_writers: tuple[str, ...]
    leadership_writer: str | None
    nationally_known: bool
    ask_from: dt.date
    ask_by: dt.date
    deadline: dt.date
    source: str


@dataclass(frozen=True)
class Advice:
    """A piece of advice with its source."""

    text: str
    source: str


@dataclass(frozen=True)
class FellowshipPlan:
    """Everything the planner says about one portfolio on one day."""

    resident: str
    today: dt.date
    pgy_now: int
    cycle_year: int
    windows: tuple[Window, ...]
    milestones: tuple[Milestone, ...]
    letters: tuple[LetterPlan, ...]
    lists: tuple[ListAdvice, ...]
    reapplication: tuple[Advice, ...]
    notes: tuple[str, ...]
    data_version: str
    programs: tuple[FellowshipProgram, ...] = ()
    """Real programs of the resident's tracks (interest order), from the bundled program list."""


def pgy_on(residency_start_year: int, today: dt.date) -> int:
    """The PGY year on ``today`` (0 or less before residency, 5+ after PGY-4)."""
    return today.year - residency_start_year + (1 if today.month >= 7 else 0)


def cycle_year(portfolio: Portfolio) -> int:
    """The fellowship start year being prepared: July after PGY-4, or the year after a failed cycle."""
    base = portfolio.resident.residency_start_year + 4
    last = portfolio.latest_cycle()
    if last is None:
        return base
    if last.outcome in (Outcome.UNMATCHED, Outcome.WITHDREW):
        return max(base, last.year + 1)
    return max(base, last.year)


def status_of(*, done: bool, today: dt.date, due: dt.date, cutoff: dt.date) -> Status:
    """Done; on track until due; late until the cutoff; missing after it."""
    if done:
        return Status.DONE
    if today <= due:
        return Status.ON_TRACK
    return Status.LATE if today <= cutoff else Status.MISSING


def leadership_writer(portfolio: Portfolio) -> str | None:
    """The PD or APD asked for a letter, if any."""
    return next((m.name for m in portfolio.mentors if m.is_program_leadership and m.writes_letter), None)


def letter_plan(portfolio: Portfolio, win: Window, rule: LetterRule) -> LetterPlan:
    """Letter targets for a track: 2-3 subspecialty physiatrists + the PD/APD, asked 2-3 months ahead."""
    known = any(m.nationally_known and m.writes_letter for m in portfolio.mentors)
    return LetterPlan(
        track=win.track.id,
        needed=f"{rule.subspecialty_min}-{rule.subspecialty_max} {win.track.name} physiatrists + 1 PD/APD",
        subspecialty_writers=subspecialty_writers(portfolio, win.track),
        leadership_writer=leadership_writer(portfolio),
        nationally_known=known,
        ask_from=add_months(win.deadline, -rule.ask_months_before_max),
        ask_by=add_months(win.deadline, -rule.ask_months_before_min),
        deadline=win.deadline,
        source=rule.source,
    )


def reapplication_advice(portfolio: Portfolio, data: FellowshipData) -> tuple[Advice, ...]:
    """What to do after a cycle that did not end in a position (empty when none failed)."""
    failed = [c for c in portfolio.cycles if c.outcome in (Outcome.UNMATCHED, Outcome.WITHDREW)]
    if not failed:
        return ()
    last = max(failed, key=lambda c: c.year)
    src = "seeds/000 (PGY-4 backup strategy; FAQ 4)"
    out = [
        Advice(
            "Do a research or clinical year in the target subspecialty to add scholarship and letters", src
        ),
        Advice("Take a general PM&R (or hospitalist) position while reapplying with a stronger file", src),
        Advice("Broaden the target: add related tracks or non-ACGME programs and more regions", src),
        Advice("In the new application, show growth since the last cycle and the feedback you acted on", src),
    ]
    for tid in last.tracks:
        track = data.get(tid)
        if last.applications and last.applications < track.applications.low:
            text = (
                f"{track.name}: you applied to {last.applications} programs; usual: {track.applications.text}"
            )
            out.append(Advice(text, track.applications.provenance))
        others = [data.get(r).name for r in track.related if r not in last.tracks]
        if others:
            out.append(Advice(f"Related tracks to add to {track.name}: {', '.join(others)}", src))
    return tuple(out)


@dataclass(frozen=True)
class _Goal:
    """A milestone before its status is known; ``cutoff`` ends the time it can still help."""

    id: str
    title: str
    category: str
    start: dt.date
    due: dt.date
    cutoff: dt.date
    done: bool
    why: str
    source: str

    def on(self, today: dt.date) -> Milestone:
        status = status_of(done=self.done, today=today, due=self.due, cutoff=self.cutoff)
        return Milestone(
            self.id, self.title, self.category, self.start, self.due, status, self.why, self.source
        )


def _year_start(start_year: int, pgy: int) -> dt.date:
    return dt.date(start_year + pgy - 1, 7, 1)


def _year_end(start_year: int, pgy: int) -> dt.date:
    return dt.date(start_year + pgy, 6, 30)


def _by(day: dt.date | None, today: dt.date) -> bool:
    """Evidence dated on or before today (a future date is a plan, not a result)."""
    return day is not None and day <= today


def early_goals(p: Portfolio, wins: tuple[Window, ...], data: FellowshipData, today: dt.date) -> list[_Goal]:
    """PGY-1 (explore) and PGY-2 (position) goals; PGY-2 items are due 3 months before the earliest window."""
    s, g, pr = p.resident.residency_start_year, data.goals, p.progress
    first_open, first_due = min(w.opens for w in wins), min(w.deadline for w in wins)
    prep_by = min(_year_end(s, 2), add_months(first_open, -3))
    met = sum(1 for d in pr.faculty_meetings if d <= today)
    posters = sum(1 for x in p.presentations if x.kind == "poster" and x.date <= today)
    n = len(p.resident.interests)
    out = [
        _Goal("pgy1.faculty-meetings", f"Meet {g.pgy1_faculty_meetings} PM&R faculty about fellowship paths",
              "explore", _year_start(s, 1), _year_end(s, 1), _year_end(s, 2), met >= g.pgy1_faculty_meetings,
              f"{met} of {g.pgy1_faculty_meetings} meetings recorded", g.source),
        _Goal("pgy1.folder", "Start a fellowship preparation folder (CV, ideas, contacts)", "explore",
              _year_start(s, 1), _year_end(s, 1), first_open, _by(pr.preparation_folder, today),
              "keeps CV updates and letter requests simple", g.source),
        _Goal("pgy2.narrow", "Narrow to 1-2 fellowship interests", "position", _year_start(s, 2),
              min(dt.date(s + 2, 1, 1), prep_by), first_open, n <= 2,
              f"{n} interests listed; direction by mid-PGY-2 helps with early-recruiting tracks", g.source),
        _Goal("pgy2.posters", f"Present at least {g.pgy2_posters} poster", "position", _year_start(s, 2),
              _year_end(s, 2), first_due, posters >= g.pgy2_posters, f"{posters} poster(s) presented",
              g.source),
        _Goal("pgy2.pd-meeting", "Meet the PD/APD about fellowship goals", "position", _year_start(s, 2),
              prep_by, first_open, _by(pr.pd_meeting, today), "the PD writes a letter and can call programs",
              g.source),
        _Goal("pgy2.tracking-document", "Start a document tracking programs, timelines and requirements",
              "position", _year_start(s, 2), prep_by, first_open, _by(pr.tracking_document, today),
              f"earliest window opens {first_open:%d %b %Y}", g.source),
    ]  # fmt: skip
    return out + [_mentor_goal(p, w, prep_by, s) for w in wins]


def _mentor_goal(p: Portfolio, win: Window, due: dt.date, s: int) -> _Goal:
    fields = {win.track.id, *win.track.related}
    names = [m.name for m in p.mentors if m.mentor and m.subspecialty in fields]
    return _Goal(f"pgy2.mentor.{win.track.id}", f"Find a mentor in {win.track.name}", "position",
                 _year_start(s, 2), due, win.deadline, bool(names),
                 f"mentors in the field: {', '.join(names) or 'none yet'}",
                 "seeds/000 (PGY-2 action steps)")  # fmt: skip


def apply_goals(p: Portfolio, win: Window, data: FellowshipData, today: dt.date) -> list[_Goal]:
    """The application-year goals for one track, dated by its window."""
    t, g, rule, pr = win.track, data.goals, data.letters, p.progress
    pre = f"{win.cycle_year}.{t.id}"
    cyc = next((c for c in p.cycles if c.year == win.cycle_year and t.id in c.tracks), None)
    subs, lead = subspecialty_writers(p, t), leadership_writer(p)
    mocks = sum(1 for d in pr.mock_interviews if d <= today)
    reviewers = len(pr.statement_reviewers)
    match = t.route.value is not Route.DIRECT
    decided = cyc is not None and cyc.outcome is not Outcome.PENDING
    letters_why = (
        f"{t.name}: {len(subs)} of {rule.subspecialty_min}-{rule.subspecialty_max} subspecialty "
        f"writers asked; PD/APD {'asked' if lead else 'not asked yet'}; deadline {win.deadline:%d %b %Y}"
    )
    prep = add_months(win.opens, -3)
    return [
        _Goal(f"{pre}.program-list", f"Finalize a reach/target/safety list for {t.name}", "apply", prep,
              win.opens, win.deadline, _by(pr.program_list_final, today),
              f"applications open {win.opens:%d %b %Y} ({t.route.value.value})", t.opens.provenance),
        _Goal(f"{pre}.statement", f"{t.name}: statement reviewed by {g.statement_reviewers}+ mentors",
              "apply", prep, win.opens, win.deadline, reviewers >= g.statement_reviewers,
              f"{reviewers} of {g.statement_reviewers} reviewers", g.source),
        _Goal(f"{pre}.letters", f"Ask {t.name} letter writers and the PD/APD", "apply",
              add_months(win.deadline, -rule.ask_months_before_max),
              add_months(win.deadline, -rule.ask_months_before_min), win.deadline,
              len(subs) >= rule.subspecialty_min and lead is not None, letters_why, rule.source),
        _Goal(f"{pre}.submit", f"Submit {t.name} applications", "apply", win.opens, win.deadline,
              win.deadline, cyc is not None, f"deadline {win.deadline:%d %b %Y}; record the cycle",
              t.deadline.provenance),
        _Goal(f"{pre}.mock-interview", f"{t.name}: mock interview with faculty or a senior resident", "apply",
              add_months(win.interviews, -2), win.interviews, win.decision, mocks >= g.mock_interviews,
              f"interviews from {win.interviews:%b %Y}; {mocks} mock interview(s) done", g.source),
        _Goal(f"{pre}.decision", f"{t.name}: {'Match Day' if match else 'offers'}", "decision",
              win.interviews, win.decision, add_months(win.decision, 2), decided,
              "record the outcome of the cycle", t.decision.provenance),
    ]  # fmt: skip


def gap_goals(p: Portfolio, track: FellowshipTrack, year: int) -> list[_Goal]:
    """The last residency year: rotations that fill the track's gaps (e.g. EMG, ultrasound)."""
    have = {s for r in p.rotations for s in r.skills}
    return [_Goal(f"{year}.gap.{skill}", f"Schedule a rotation for {SKILL_TEXT[skill]}",
                  "transition", dt.date(year - 1, 7, 1), dt.date(year, 3, 1), dt.date(year, 6, 30),
                  skill in have, f"{track.name} fellows are expected to have it", track.gap_source)
            for skill in track.gap_skills]  # fmt: skip


def plan(
    portfolio: Portfolio, data: FellowshipData, today: dt.date, programs: FellowshipPrograms | None = None
) -> FellowshipPlan:
    """The fellowship plan: dated milestones with status, letters, list sizes, reapplication advice.

    With a program list, the plan also names the real programs of the resident's tracks.
    """
    year = cycle_year(portfolio)
    wins = tuple(window(data.get(t), year) for t in portfolio.resident.interests)
    goals = early_goals(portfolio, wins, data, today)
    goals += [g for w in wins for g in apply_goals(portfolio, w, data, today)]
    goals += gap_goals(portfolio, _gap_track(portfolio, data, year), year)
    return FellowshipPlan(
        resident=portfolio.resident.name,
        today=today,
        pgy_now=pgy_on(portfolio.resident.residency_start_year, today),
        cycle_year=year,
        windows=wins,
        milestones=tuple(sorted((g.on(today) for g in goals), key=lambda m: (m.due, m.id))),
        letters=tuple(letter_plan(portfolio, w, data.letters) for w in wins),
        lists=tuple(list_advice(portfolio, w.track, data, today) for w in wins),
        reapplication=reapplication_advice(portfolio, data),
        notes=plan_notes(portfolio, wins, data, today, programs),
        data_version=data.version,
        programs=_named_programs(portfolio, programs),
    )


def _named_programs(p: Portfolio, programs: FellowshipPrograms | None) -> tuple[FellowshipProgram, ...]:
    if programs is None:
        return ()
    by_track = programs.for_tracks(p.resident.interests)
    return tuple(prog for t in p.resident.interests for prog in by_track[t])


def _gap_track(p: Portfolio, data: FellowshipData, year: int) -> FellowshipTrack:
    won = next((c for c in p.cycles if c.year == year and c.outcome is Outcome.MATCHED), None)
    return data.get(won.tracks[0] if won else p.primary_track)


def plan_notes(
    p: Portfolio,
    wins: tuple[Window, ...],
    data: FellowshipData,
    today: dt.date,
    programs: FellowshipPrograms | None = None,
) -> tuple[str, ...]:
    """Things worth knowing that are not dated goals."""
    s, declared = p.resident.residency_start_year, p.resident.pgy
    now = pgy_on(s, today)
    notes = []
    if declared != now:
        notes.append(f"portfolio says PGY-{declared}, but a July {s} start makes {today} PGY-{now}; "
                     "dates follow the start year")  # fmt: skip
    for w in wins:
        guessed = [n for n in ("opens", "deadline", "interviews", "decision") if getattr(w.track, n).estimate]
        if guessed:
            notes.append(
                f"{w.track.name}: {', '.join(guessed)} dates are estimates; confirm on program pages"
            )
    year = wins[0].cycle_year
    if today > max(w.deadline for w in wins) and not any(c.year == year for c in p.cycles):
        closed = f"every window for a July {year} start has closed and no cycle is recorded"
        notes.append(f"{closed}; record it in `cycles`, or plan a research year or PM&R job and reapply")
    if not any(m.nationally_known and m.writes_letter for m in p.mentors):
        notes.append("no letter yet from a writer known in the national subspecialty community (seeds/000)")
    if programs is None:
        if not data.catalogue.programs_bundled:
            notes.append(data.catalogue.note)
    else:
        by_track = programs.for_tracks(p.resident.interests)
        for w in wins:
            found = by_track[w.track.id]
            if not found:
                notes.append(f"{w.track.name}: no program of this track is in SmartPick's list yet; "
                             f"{data.catalogue.note}")  # fmt: skip
        if any(by_track.values()):
            notes.append(
                "the programs named for your tracks are a starting list from public pages, not every "
                "program; confirm positions and dates on each program's own page"
            )
    return tuple(notes)
