"""Where does the applicant stand? Band, red flags and what is missing, as data.

Rules come from DOMAIN.md: Step 2 CK bands and exam failures (seeds/002), letters
(2 US physiatrists + 1 core specialty or research; seeds/002), away rotations
(minimum 1, target 2-3, at most 4; seeds/001).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from smartpick.domain.profile.applicant import (
    CORE_SPECIALTIES,
    ExamResult,
    Profile,
    RotationKind,
    ScoreBand,
    Specialty,
    score_band,
    step2_band,
)

LETTERS_FROM_US_PHYSIATRISTS = 2
LETTERS_FROM_CORE_OR_RESEARCH = 1
ROTATIONS_MIN, ROTATIONS_TARGET, ROTATIONS_MAX = 1, 3, 4
YEARS_SINCE_GRADUATION_CAUTION = 5
"""Estimate: many programs screen on year of graduation; no PM&R-specific public cut-off was found."""


class Severity(StrEnum):
    """How much a flag weighs with programs."""

    MAJOR = "major"
    MINOR = "minor"
    CAUTION = "caution"


@dataclass(frozen=True)
class Flag:
    """A red flag: a stable code, how much it weighs, and a sentence for the user."""

    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Standing:
    """The summary printed by ``smartpick profile check``."""

    band: ScoreBand
    step2_ck: int | None
    score_range: ScoreBand | None
    red_flags: tuple[Flag, ...]
    missing: tuple[str, ...]
    strengths: tuple[str, ...]

    @property
    def has_exam_failure(self) -> bool:
        """Any failed USMLE attempt."""
        return any(f.code in _EXAM_FAILURE_CODES for f in self.red_flags)


_EXAM_FAILURE_CODES = frozenset({"step1_fail", "step1_repeat", "step2_repeat"})


def red_flags(profile: Profile) -> tuple[Flag, ...]:
    """Every red flag in the profile, most serious first."""
    flags = [*_exam_flags(profile), *_history_flags(profile)]
    order = list(Severity)
    return tuple(sorted(flags, key=lambda f: order.index(f.severity)))


def _exam_flags(profile: Profile) -> list[Flag]:
    ex = profile.exams
    flags = []
    if ex.step1 is ExamResult.FAIL:
        flags.append(
            Flag("step1_fail", Severity.MAJOR, "Step 1 is not passed yet: most programs require a pass")
        )
    elif ex.step1_attempts > 1 and ex.step1 is ExamResult.PASS:
        flags.append(
            Flag(
                "step1_repeat",
                Severity.MAJOR,
                f"Step 1 passed on attempt {ex.step1_attempts}: a failure on record",
            )
        )
    if ex.step2_attempts > 1:
        flags.append(
            Flag(
                "step2_repeat",
                Severity.MAJOR,
                f"Step 2 CK taken {ex.step2_attempts} times: a failure on record",
            )
        )
    return flags


def _history_flags(profile: Profile) -> list[Flag]:
    flags = []
    gap = profile.red_flags.training_gap_months
    if gap > 0:
        severity = Severity.MAJOR if gap >= 12 else Severity.MINOR
        flags.append(
            Flag("training_gap", severity, f"{gap}-month gap in training: explain it in the application")
        )
    if profile.red_flags.notes.strip():
        flags.append(
            Flag("reported_concern", Severity.MAJOR, f"reported concern: {profile.red_flags.notes.strip()}")
        )
    years = profile.applicant.target_start_year - profile.applicant.graduation_year
    if years >= YEARS_SINCE_GRADUATION_CAUTION:
        flags.append(
            Flag(
                "years_since_graduation",
                Severity.CAUTION,
                f"{years} years between graduation and start: "
                "some programs screen on year of graduation (estimate)",
            )
        )
    return flags


def missing_items(profile: Profile) -> tuple[str, ...]:
    """What the profile lacks for a complete application, in the order to fix it."""
    out = []
    ex = profile.exams
    if ex.step2_ck is None and ex.step2_planned_date is None:
        out.append("Step 2 CK: no score and no planned test date (exams.step2_planned_date)")
    if profile.applicant.type.is_img and profile.experience.us_clinical_months_hands_on == 0:
        out.append("US clinical experience: no hands-on months yet (US clinical months, hands-on)")
    out.extend(_missing_letters(profile))
    rotations = [r for r in profile.rotations if r.kind is not RotationKind.VIRTUAL]
    if len(rotations) < ROTATIONS_MIN:
        out.append(
            f"PM&R away rotations: none in person (minimum {ROTATIONS_MIN}, target 2-{ROTATIONS_TARGET})"
        )
    prefs = profile.preferences
    if prefs.budget_usd is None:
        out.append("budget: not set (preferences.budget_usd); the list will not be limited by cost")
    if not prefs.regions and not prefs.states_with_ties:
        out.append("geography: no preferred regions or states with ties (preferences.regions)")
    return tuple(out)


def _missing_letters(profile: Profile) -> list[str]:
    letters = profile.letters
    physiatrists = sum(1 for x in letters if x.writer_specialty is Specialty.PMR and x.us)
    core = sum(1 for x in letters if x.writer_specialty in CORE_SPECIALTIES | {Specialty.RESEARCH})
    out = []
    if physiatrists < LETTERS_FROM_US_PHYSIATRISTS:
        out.append(f"letters: {physiatrists} of {LETTERS_FROM_US_PHYSIATRISTS} from US physiatrists")
    if core < LETTERS_FROM_CORE_OR_RESEARCH:
        out.append(
            "letters: none from a core specialty (IM, neurology, orthopedics, surgery) or research mentor"
        )
    return out


def strengths(profile: Profile) -> tuple[str, ...]:
    """What will help the application, for a balanced summary."""
    out = []
    band = step2_band(profile.exams)
    if band in (ScoreBand.STRONG, ScoreBand.SOLID):
        out.append(f"Step 2 CK {profile.exams.step2_ck} ({band.value})")
    if profile.exams.step1 is ExamResult.PASS and profile.exams.step1_attempts == 1:
        out.append("Step 1 passed on the first attempt")
    hands_on = [r for r in profile.rotations if r.kind is RotationKind.HANDS_ON]
    if hands_on:
        out.append(f"{len(hands_on)} hands-on PM&R rotation(s)")
    if profile.research.pmr_related and profile.research.publications + profile.research.posters > 0:
        out.append("PM&R-related research")
    if not profile.applicant.needs_visa and profile.applicant.type.is_img:
        out.append("no visa needed")
    return tuple(out)


def assess(profile: Profile) -> Standing:
    """The full standing of a profile."""
    return Standing(
        band=step2_band(profile.exams),
        step2_ck=profile.exams.step2_ck,
        score_range=None if profile.exams.step2_ck is None else score_band(profile.exams.step2_ck),
        red_flags=red_flags(profile),
        missing=missing_items(profile),
        strengths=strengths(profile),
    )
