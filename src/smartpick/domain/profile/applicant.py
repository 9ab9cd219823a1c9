"""The applicant profile: what an applicant is, scored against the rules of DOMAIN.md.

Abbreviations: CK = Step 2 Clinical Knowledge; IMG = international medical graduate;
USCE = US clinical experience; YOG = year of graduation; PM&R = physical medicine & rehabilitation.

Step 2 CK bands follow the PM&R guidance summarised in DOMAIN.md (source: shared/seeds/002):
>=245 strong, 235-244 solid, 220-234 viable with a broad list, <220 or any exam failure: low-score strategy.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.catalogue.geography import US_STATE_CODES, Region
from smartpick.domain.dates import PlausibleDate


class ApplicantType(StrEnum):
    """NRMP applicant groups."""

    US_MD = "us_md"
    US_DO = "us_do"
    US_IMG = "us_img"
    NON_US_IMG = "non_us_img"

    @property
    def is_img(self) -> bool:
        """International medical graduate (US citizen or not)."""
        return self in (ApplicantType.US_IMG, ApplicantType.NON_US_IMG)


class VisaType(StrEnum):
    """The US visa a graduate can train on: J-1 (ECFMG-sponsored exchange visitor), H-1B, or either."""

    J1 = "j1"
    H1B = "h1b"
    EITHER = "either"

    def usable(self, *, j1: bool | None, h1b: bool | None) -> bool | None:
        """Whether a program sponsoring J-1 (``j1``) and H-1B (``h1b``) offers a visa this applicant can use.

        ``True``/``False`` when the program's policy for the needed type(s) is known, ``None`` when it is not.
        """
        wanted = {VisaType.J1: (j1,), VisaType.H1B: (h1b,), VisaType.EITHER: (j1, h1b)}[self]
        if any(v is True for v in wanted):
            return True
        return False if all(v is False for v in wanted) else None


class ExamResult(StrEnum):
    """Result of a pass/fail exam (latest attempt)."""

    PASS = "pass"
    FAIL = "fail"
    PENDING = "pending"


class ScoreBand(StrEnum):
    """Step 2 CK band for PM&R (DOMAIN.md, seeds/002)."""

    STRONG = "strong"
    SOLID = "solid"
    VIABLE = "viable"
    LOW = "low"
    PENDING = "pending"


class RotationKind(StrEnum):
    """How a rotation is done; hands-on rotations give the strongest letters."""

    HANDS_ON = "hands_on"
    OBSERVERSHIP = "observership"
    VIRTUAL = "virtual"


class Specialty(StrEnum):
    """Letter writers' specialties."""

    PMR = "pmr"
    INTERNAL_MEDICINE = "internal_medicine"
    NEUROLOGY = "neurology"
    ORTHOPEDICS = "orthopedics"
    SURGERY = "surgery"
    FAMILY_MEDICINE = "family_medicine"
    RESEARCH = "research"
    OTHER = "other"


CORE_SPECIALTIES = frozenset(
    {Specialty.INTERNAL_MEDICINE, Specialty.NEUROLOGY, Specialty.ORTHOPEDICS, Specialty.SURGERY}
)


class LetterStrength(StrEnum):
    """How strong the applicant believes a letter is."""

    STRONG = "strong"
    GOOD = "good"
    UNKNOWN = "unknown"


class ProgramType(StrEnum):
    """Program settings as users choose among them."""

    UNIVERSITY = "university"
    UNIVERSITY_AFFILIATED = "university_affiliated"
    COMMUNITY = "community"
    MILITARY = "military"


class Interest(StrEnum):
    """Subspecialty interests an applicant can weigh programs by."""

    SCI = "sci"
    TBI = "tbi"
    STROKE = "stroke"
    SPORTS = "sports"
    PAIN = "pain"
    MSK = "msk"
    PEDS = "peds"
    CANCER = "cancer"
    NEUROMUSCULAR = "neuromuscular"
    EMG = "emg"


Year = Annotated[int, Field(ge=1950, le=2100)]
Score = Annotated[int, Field(ge=1, le=300)]
Months = Annotated[float, Field(ge=0, le=240)]
Count = Annotated[int, Field(ge=0, le=1000)]


class Applicant(FrozenModel):
    """Who the applicant is and when they want to start."""

    type: ApplicantType
    needs_visa: bool
    graduation_year: Year
    target_start_year: Year
    name: str | None = None
    languages: tuple[str, ...] = ()
    visa: VisaType | None = Field(default=None, validate_default=True)

    @field_validator("visa", mode="after")
    @classmethod
    def _visa_only_when_needed(cls, visa: VisaType | None, info: ValidationInfo) -> VisaType | None:
        """``visa`` is given only with ``needs_visa = true``; a needed visa defaults to ``either``."""
        needs = info.data.get("needs_visa")
        if needs is False and visa is not None:
            raise ValueError(
                f"visa '{visa.value}' is given but needs_visa is false; "
                "set needs_visa = true or leave visa out"
            )
        if needs is True and visa is None:
            return VisaType.EITHER
        return visa

    @property
    def visa_needed(self) -> VisaType | None:
        """The visa type needed (``either`` when unspecified), or ``None`` when no visa is needed."""
        if not self.needs_visa:
            return None
        return self.visa or VisaType.EITHER

    @model_validator(mode="after")
    def _start_after_graduation(self) -> Self:
        if self.target_start_year < self.graduation_year:
            raise ValueError(
                f"target_start_year {self.target_start_year} is before graduation_year "
                f"{self.graduation_year}; the start must be in or after the graduation year"
            )
        return self


class PracticeTest(FrozenModel):
    """One dated practice-exam score (e.g. an NBME form)."""

    date: PlausibleDate
    score: Score
    form: str | None = None


class Exams(FrozenModel):
    """USMLE results and plans."""

    step1: ExamResult
    step1_attempts: Annotated[int, Field(ge=1, le=6)] = 1
    step2_ck: Score | None = None
    step2_attempts: Annotated[int, Field(ge=1, le=6)] = 1
    step2_planned_date: PlausibleDate | None = None
    practice: tuple[PracticeTest, ...] = Field(default=(), max_length=100)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.step1 is ExamResult.FAIL and self.step1_attempts < 1:
            raise ValueError("step1 is fail, so step1_attempts must be at least 1")
        if self.step1 is ExamResult.PENDING and self.step1_attempts > 1:
            raise ValueError("step1 is pending, so step1_attempts must be 1 (the attempt not yet taken)")
        return self


class Experience(FrozenModel):
    """US clinical experience in months."""

    us_clinical_months_hands_on: Months = 0
    us_clinical_months_observership: Months = 0


class Rotation(FrozenModel):
    """A PM&R away rotation, done or planned."""

    program: str | None = Field(default=None, description="a catalogue program id")
    site: str | None = Field(default=None, description="the site's name, for one outside the catalogue")
    kind: RotationKind
    start: PlausibleDate
    weeks: Annotated[int, Field(ge=1, le=8)]
    end: PlausibleDate | None = None
    letter: bool = False

    @model_validator(mode="after")
    def _one_place_and_dates(self) -> Self:
        if (self.program is None) == (self.site is None):
            raise ValueError("give exactly one of `program` (a catalogue id) or `site` (a name)")
        if self.end is not None and self.end <= self.start:
            raise ValueError(
                f"end {self.end} is not after start {self.start}; the end must come after the start"
            )
        return self

    @property
    def finish(self) -> dt.date:
        """Last day: the explicit end, or start plus the number of weeks."""
        return self.end or self.start + dt.timedelta(weeks=self.weeks)

    @property
    def where(self) -> str:
        """The program id or site name."""
        return self.program or self.site or ""


class Letter(FrozenModel):
    """A letter of recommendation, in hand or promised."""

    writer_specialty: Specialty
    us: bool
    strength: LetterStrength = LetterStrength.UNKNOWN
    writer: str | None = None


class Research(FrozenModel):
    """Scholarly output."""

    publications: Count = 0
    posters: Count = 0
    pmr_related: bool = False


class RedFlags(FrozenModel):
    """Self-reported red flags besides exam failures."""

    training_gap_months: Annotated[int, Field(ge=0, le=600)] = 0
    notes: str = ""


class Preferences(FrozenModel):
    """What the applicant wants from a program and can spend."""

    regions: tuple[Region, ...] = ()
    states_with_ties: tuple[str, ...] = ()
    program_types: tuple[ProgramType, ...] = ()
    interests: tuple[Interest, ...] = ()
    max_programs: Annotated[int, Field(ge=1, le=300)] | None = None
    budget_usd: Annotated[float, Field(ge=0, le=100_000)] | None = None

    @model_validator(mode="after")
    def _known_states(self) -> Self:
        bad = [s for s in self.states_with_ties if s not in US_STATE_CODES]
        if bad:
            raise ValueError(f"unknown state code {bad[0]!r}; use two-letter US codes such as IL, NY, PR")
        return self


class Profile(FrozenModel):
    """An applicant profile: the content of ``profile.toml`` (see shared/FORMATS.md)."""

    applicant: Applicant
    exams: Exams
    experience: Experience = Experience()
    rotations: tuple[Rotation, ...] = Field(default=(), max_length=40)
    letters: tuple[Letter, ...] = Field(default=(), max_length=40)
    research: Research = Research()
    red_flags: RedFlags = RedFlags()
    preferences: Preferences = Preferences()


def step2_band(exams: Exams) -> ScoreBand:
    """The Step 2 CK band; any exam failure puts the applicant in the low-score strategy."""
    failed = exams.step1 is ExamResult.FAIL or exams.step1_attempts > 1 or exams.step2_attempts > 1
    if failed:
        return ScoreBand.LOW
    score = exams.step2_ck
    if score is None:
        return ScoreBand.PENDING
    if score >= 245:
        return ScoreBand.STRONG
    if score >= 235:
        return ScoreBand.SOLID
    if score >= 220:
        return ScoreBand.VIABLE
    return ScoreBand.LOW


def score_band(score: int) -> ScoreBand:
    """Band of a bare Step 2 CK score (no attempt history)."""
    return step2_band(Exams(step1=ExamResult.PASS, step2_ck=score))
