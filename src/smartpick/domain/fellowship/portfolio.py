"""The resident portfolio: what a PM&R resident has done toward a fellowship (``portfolio.toml``).

Abbreviations: PGY = postgraduate year (PGY-1 starts in July of ``residency_start_year``); PD/APD =
(associate) program director; SAE = the PM&R Self-Assessment Examination (the in-service exam);
EMG = electromyography. What to keep follows DOMAIN.md "Fellowship preparation" (source: shared/seeds/000):
rotations and cases, scholarly projects with status, posters and talks, leadership, teaching, mentors and
letter writers with contacts, in-service scores and earlier application cycles.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Field, field_validator, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.dates import PlausibleDate


class TrackId(StrEnum):
    """Fellowship tracks open to PM&R residents (data: ``smartpick/data/fellowships.toml``)."""

    SPINE_MSK = "spine_msk"
    PAIN = "pain"
    SPORTS = "sports"
    BRAIN_INJURY = "brain_injury"
    SCI = "sci"
    PEDS_REHAB = "peds_rehab"
    NEUROMUSCULAR = "neuromuscular"
    HOSPICE_PALLIATIVE = "hospice_palliative"
    CANCER_REHAB = "cancer_rehab"
    CARDIOPULMONARY = "cardiopulmonary"
    RESEARCH = "research"


class Skill(StrEnum):
    """Skills a rotation can build, beyond its subspecialty (the PGY-4 "gaps" of seeds/000)."""

    EMG = "emg"
    ULTRASOUND = "ultrasound"
    FLUOROSCOPY = "fluoroscopy"
    EVENT_COVERAGE = "event_coverage"
    SPASTICITY = "spasticity"


class ProjectStatus(StrEnum):
    """Where a scholarly project stands."""

    PLANNED = "planned"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    PRESENTED = "presented"


class ProjectKind(StrEnum):
    """Kinds of scholarly work."""

    CASE_REPORT = "case_report"
    CASE_SERIES = "case_series"
    RETROSPECTIVE = "retrospective"
    PROSPECTIVE = "prospective"
    QUALITY_IMPROVEMENT = "quality_improvement"
    REVIEW = "review"
    EDUCATION = "education"
    OTHER = "other"


class PresentationKind(StrEnum):
    """Posters and talks."""

    POSTER = "poster"
    PODIUM = "podium"
    TALK = "talk"


class Level(StrEnum):
    """Where a presentation was given."""

    INSTITUTIONAL = "institutional"
    REGIONAL = "regional"
    NATIONAL = "national"


class MentorRole(StrEnum):
    """A mentor's or letter writer's position."""

    PD = "pd"
    APD = "apd"
    FACULTY = "faculty"
    EXTERNAL = "external"
    SENIOR_RESIDENT = "senior_resident"


class LetterStatus(StrEnum):
    """Progress of a letter of recommendation."""

    NONE = "none"
    ASKED = "asked"
    AGREED = "agreed"
    SUBMITTED = "submitted"


class Outcome(StrEnum):
    """How an application cycle ended."""

    PENDING = "pending"
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    WITHDREW = "withdrew"


Year = Annotated[int, Field(ge=1990, le=2100)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Count = Annotated[int, Field(ge=0, le=500)]


def _one_to_three_tracks(value: tuple[TrackId, ...]) -> tuple[TrackId, ...]:
    # A validator rather than Field(min_length=...): an unknown id would otherwise also report "too short".
    if not 1 <= len(value) <= 3:
        raise ValueError(f"give 1 to 3 track ids (got {len(value)}); narrow to 1-2 by mid-PGY-2")
    if len(set(value)) != len(value):
        raise ValueError("each track may appear once")
    return value


class Resident(FrozenModel):
    """Who the resident is and when residency began."""

    name: Text
    pgy: Annotated[int, Field(ge=1, le=8, description="an integer from 1 to 8 (5+ = after residency)")]
    residency_start_year: Year
    program: str | None = None
    email: str | None = None
    interests: tuple[TrackId, ...]

    _interests = field_validator("interests")(_one_to_three_tracks)


class Rotation(FrozenModel):
    """A rotation done or scheduled, with what it built and the cases worth telling."""

    name: Text
    start: PlausibleDate
    end: PlausibleDate
    site: str | None = None
    away: bool = False
    tracks: tuple[TrackId, ...] = ()
    skills: tuple[Skill, ...] = ()
    notable_cases: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end <= self.start:
            raise ValueError(
                f"end {self.end} is not after start {self.start}; the end must come after the start"
            )
        return self


class Project(FrozenModel):
    """A scholarly project and its status."""

    title: Text
    kind: ProjectKind = ProjectKind.OTHER
    status: ProjectStatus
    tracks: tuple[TrackId, ...] = ()
    venue: str | None = None
    date: PlausibleDate | None = None
    mentor: str | None = None


class Presentation(FrozenModel):
    """A poster or talk given (or scheduled: a future date)."""

    title: Text
    kind: PresentationKind
    level: Level
    date: PlausibleDate
    venue: str | None = None
    tracks: tuple[TrackId, ...] = ()


class Leadership(FrozenModel):
    """A leadership role (chief resident, committee, society)."""

    role: Text
    organization: str | None = None
    start: PlausibleDate | None = None
    end: PlausibleDate | None = None


class Teaching(FrozenModel):
    """A teaching activity."""

    activity: Text
    audience: str | None = None
    date: PlausibleDate | None = None


class Mentor(FrozenModel):
    """A mentor or letter writer: contact, subspecialty, role and letter progress."""

    name: Text
    contact: str | None = None
    subspecialty: TrackId | None = Field(default=None, description="a track id, or omit for general PM&R")
    role: MentorRole = MentorRole.FACULTY
    physiatrist: bool = True
    mentor: bool = True
    nationally_known: bool = False
    letter: LetterStatus = LetterStatus.NONE
    letter_asked: PlausibleDate | None = None

    @model_validator(mode="after")
    def _asked_date(self) -> Self:
        if self.letter is LetterStatus.NONE and self.letter_asked is not None:
            raise ValueError(
                "a date the letter was asked for is given, but the letter is marked as not asked; "
                "mark it asked, agreed or submitted, or leave the date out"
            )
        return self

    @property
    def is_program_leadership(self) -> bool:
        """The residency PD or APD."""
        return self.role in (MentorRole.PD, MentorRole.APD)

    @property
    def writes_letter(self) -> bool:
        """A letter was at least asked for."""
        return self.letter is not LetterStatus.NONE


class InService(FrozenModel):
    """One in-service (SAE) result."""

    year: Year
    pgy: Annotated[int, Field(ge=1, le=4)]
    percentile: Annotated[int, Field(ge=0, le=100)]
    score: Annotated[int, Field(ge=0, le=1000)] | None = None


class Cycle(FrozenModel):
    """One fellowship application cycle already tried (or under way: outcome pending)."""

    year: Year = Field(description="the fellowship start year applied for (a year from 1990 to 2100)")
    tracks: tuple[TrackId, ...]
    applications: Count = 0
    interviews: Count = 0
    outcome: Outcome = Outcome.PENDING
    program: str | None = None

    _tracks = field_validator("tracks")(_one_to_three_tracks)


class Progress(FrozenModel):
    """Dated evidence for the year goals (see `smartpick.domain.fellowship.planner`)."""

    faculty_meetings: tuple[PlausibleDate, ...] = ()
    preparation_folder: PlausibleDate | None = None
    pd_meeting: PlausibleDate | None = None
    tracking_document: PlausibleDate | None = None
    program_list_final: PlausibleDate | None = None
    statement_reviewers: tuple[Text, ...] = ()
    mock_interviews: tuple[PlausibleDate, ...] = ()


class Portfolio(FrozenModel):
    """A resident portfolio: the content of ``portfolio.toml``."""

    resident: Resident
    rotations: tuple[Rotation, ...] = ()
    projects: tuple[Project, ...] = ()
    presentations: tuple[Presentation, ...] = ()
    leadership: tuple[Leadership, ...] = ()
    teaching: tuple[Teaching, ...] = ()
    mentors: tuple[Mentor, ...] = ()
    in_service: tuple[InService, ...] = ()
    cycles: tuple[Cycle, ...] = ()
    progress: Progress = Progress()

    @model_validator(mode="after")
    def _unique_years(self) -> Self:
        for label, years in (("in_service", [s.year for s in self.in_service]),
                             ("cycles", [c.year for c in self.cycles])):  # fmt: skip
            if len(set(years)) != len(years):
                raise ValueError(f"{label} lists the same year twice; give one entry per year")
        return self

    @property
    def primary_track(self) -> TrackId:
        """The first interest: the track the plan is dated by."""
        return self.resident.interests[0]

    def latest_cycle(self) -> Cycle | None:
        """The most recent application cycle, if any."""
        return max(self.cycles, key=lambda c: c.year, default=None)


def to_document(portfolio: Portfolio) -> dict[str, Any]:
    """The portfolio as TOML-ready data: dates stay dates, enums become text, defaults are left out."""
    doc: dict[str, Any] = _plain(portfolio.model_dump(mode="python", exclude_defaults=True))
    return doc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


__all__ = [
    "Cycle",
    "InService",
    "LetterStatus",
    "Level",
    "Mentor",
    "MentorRole",
    "Outcome",
    "Portfolio",
    "Presentation",
    "Progress",
    "Project",
    "ProjectKind",
    "ProjectStatus",
    "Resident",
    "Rotation",
    "Skill",
    "TrackId",
    "to_document",
]
