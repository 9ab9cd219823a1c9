"""Letters of recommendation for residency: the target set, what is missing, and when to ask.

Target (shared/seeds/002): 2 letters from US physiatrists, ideally from US rotations, plus 1 from a
core specialty (internal medicine, neurology, orthopedics, surgery) or a research mentor. Letters
from rotations are asked for near the end of the rotation (the rotation plan holds those tasks);
any other writer is asked 2-3 months before the ERAS submission target (seeds/000 gives that lead
time for fellowship letters; it is used here as the lead time for writers not tied to a rotation).
"""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.domain.dates import add_months
from smartpick.domain.planning.calendar import Basis, CalendarData, Cycle, CycleEvent, Task, TaskStatus
from smartpick.domain.profile.applicant import CORE_SPECIALTIES, LetterStrength, Profile, Specialty


@dataclass(frozen=True)
class LetterNeed:
    """One part of the target letter set."""

    kind: str
    label: str
    target: int
    have: int
    from_rotations: int

    @property
    def missing(self) -> int:
        """Letters still to secure (after upcoming rotation letters)."""
        return max(0, self.target - self.have - self.from_rotations)


@dataclass(frozen=True)
class LetterPlan:
    """The letter set, the gaps, the ask tasks and notes on the letters in hand."""

    needs: tuple[LetterNeed, ...]
    missing: tuple[str, ...]
    tasks: tuple[Task, ...]
    notes: tuple[str, ...]


def us_physiatrist_letters(profile: Profile) -> int:
    """US PM&R letters: those listed, or rotations that give one, whichever is more (no double count)."""
    listed = sum(1 for x in profile.letters if x.writer_specialty is Specialty.PMR and x.us)
    promised = sum(1 for r in profile.rotations if r.letter)
    return max(listed, promised)


def plan_letters(profile: Profile, cycle: Cycle, data: CalendarData, *, rotation_asks: int) -> LetterPlan:
    """The letter plan.

    Args:
        profile: the applicant (``letters`` and ``rotations[].letter``).
        cycle: the cycle's dates; asks are timed before programs review applications.
        data: bundled figures (target set, lead time).
        rotation_asks: upcoming rotations without a letter yet, each of which can give a physiatrist letter.
    """
    fig = data.figure("residency_letters")
    core = sum(1 for x in profile.letters if x.writer_specialty in CORE_SPECIALTIES | {Specialty.RESEARCH})
    physiatrists = us_physiatrist_letters(profile)
    pmr_target = fig.whole("us_physiatrists")
    from_rotations = min(rotation_asks, max(0, pmr_target - physiatrists))
    needs = (
        LetterNeed("us_physiatrist", "US physiatrists", pmr_target, physiatrists, from_rotations),
        LetterNeed(
            "core_or_research", "core specialty or research mentor", fig.whole("core_or_research"), core, 0
        ),
    )
    missing = tuple(f"{n.missing} letter(s) from {n.label}" for n in needs if n.missing)
    tasks = tuple(t for n in needs for t in _ask_tasks(n, cycle, data))
    return LetterPlan(needs, missing, tasks, _notes(profile, from_rotations))


def _ask_tasks(need: LetterNeed, cycle: Cycle, data: CalendarData) -> list[Task]:
    lead = data.figure("letter_lead_months")
    review = cycle[CycleEvent.PROGRAMS_REVIEW]
    start, due = add_months(review, -lead.whole("high")), add_months(review, -lead.whole("low"))
    who = {
        "us_physiatrist": "a US physiatrist who has seen your clinical work",
        "core_or_research": "an IM, neurology, orthopedics or surgery physician, or a research mentor",
    }[need.kind]
    why = f"The residency letter set is {data.figure('residency_letters').text}."
    source = f"{data.figure_source('residency_letters')} | {data.figure_source('letter_lead_months')}"
    instead = (
        "Ask now, give the writer your CV, a draft statement and the ERAS upload date, "
        "and submit ERAS without waiting for the letter."
    )
    prefix, dates = f"letter-{need.kind.replace('_', '-')}", (start, due)
    return [
        Task(
            f"{prefix}-{i}",
            f"Ask {who} for a letter",
            "letters",
            *dates,
            TaskStatus.TODO,
            why,
            source,
            Basis.COMPUTED,
            instead,
        )
        for i in range(1, need.missing + 1)
    ]


def _notes(profile: Profile, from_rotations: int) -> tuple[str, ...]:
    notes = []
    if from_rotations:
        notes.append(
            f"{from_rotations} physiatrist letter(s) are expected from upcoming rotations: ask near the end."
        )
    unknown = sum(1 for x in profile.letters if x.strength is LetterStrength.UNKNOWN)
    if unknown:
        notes.append(
            f"{unknown} letter(s) of unknown strength: ask each writer if they can write a strong letter."
        )
    abroad = sum(1 for x in profile.letters if not x.us)
    if abroad:
        notes.append(f"{abroad} letter(s) from outside the US: US letters carry more weight with programs.")
    return tuple(notes)
