"""The resident portfolio's form: its inputs, read and filled by the profile editor's machinery.

Inputs are named by the key paths `smartpick.domain.validation` uses in its errors (``resident.pgy``,
``rotations[1].end``), so `smartpick.web.form_binding.bind` puts each error beside its input and labels
it in the summary by the form's words. Lists of dates and names are typed comma-separated; a rotation's
notable cases one a line (a case may contain commas).
"""

from __future__ import annotations

from smartpick.domain.fellowship.portfolio import (
    LetterStatus,
    Level,
    MentorRole,
    Outcome,
    PresentationKind,
    ProjectKind,
    ProjectStatus,
    Skill,
    TrackId,
)
from smartpick.web.profile_form import FieldSpec, Kind, SectionSpec, choices

TRACKS = choices(TrackId)
LETTERS = tuple((v, "Not asked yet" if v == LetterStatus.NONE else text) for v, text in choices(LetterStatus))
DATES_HINT = "dates as YYYY-MM-DD, comma-separated"


def _int(key: str, label: str, lo: int, hi: int, hint: str = "", required: bool = False) -> FieldSpec:
    return FieldSpec(key, label, Kind.INT, hint=hint, lo=lo, hi=hi, required=required)


def _tracks(hint: str = "") -> FieldSpec:
    return FieldSpec("tracks", "Fellowship tracks", Kind.MULTI, TRACKS, hint=hint)


PORTFOLIO_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("resident", "Resident", (
        FieldSpec("name", "Your name", Kind.TEXT, required=True),
        _int("pgy", "Postgraduate year (PGY)", 1, 8, "1 to 4 in residency; 5 or more after", required=True),
        _int("residency_start_year", "Year residency began", 1990, 2100, "PGY-1 starts in July",
             required=True),
        FieldSpec("program", "Residency program", Kind.TEXT, hint="optional"),
        FieldSpec("email", "Email", Kind.TEXT, hint="optional"),
        FieldSpec("interests", "Fellowship interests", Kind.MULTI, TRACKS, required=True,
                  hint="1 to 3; the first one dates the plan; narrow to 1 or 2 by mid-PGY-2"),
    )),
    SectionSpec("rotations", "Rotations", (
        FieldSpec("name", "Rotation", Kind.TEXT, required=True),
        FieldSpec("start", "Start date", Kind.DATE, required=True),
        FieldSpec("end", "End date", Kind.DATE, required=True),
        FieldSpec("site", "Site", Kind.TEXT, hint="optional"),
        FieldSpec("away", "An away rotation (another institution)", Kind.CHECK),
        _tracks("the tracks this rotation counts toward"),
        FieldSpec("skills", "Skills built", Kind.MULTI, choices(Skill)),
        FieldSpec("notable_cases", "Notable cases", Kind.LINES, hint="one case a line"),
    ), repeated=True, item="Rotation", hint="Done or scheduled."),
    SectionSpec("projects", "Scholarly projects", (
        FieldSpec("title", "Title", Kind.TEXT, required=True),
        FieldSpec("kind", "Kind", Kind.CHOICE, choices(ProjectKind), hint="other when left empty"),
        FieldSpec("status", "Status", Kind.CHOICE, choices(ProjectStatus), required=True),
        _tracks(),
        FieldSpec("venue", "Journal or meeting", Kind.TEXT, hint="optional"),
        FieldSpec("date", "Date", Kind.DATE, hint="optional"),
        FieldSpec("mentor", "Mentor", Kind.TEXT, hint="optional"),
    ), repeated=True, item="Project"),
    SectionSpec("presentations", "Posters and talks", (
        FieldSpec("title", "Title", Kind.TEXT, required=True),
        FieldSpec("kind", "Kind", Kind.CHOICE, choices(PresentationKind), required=True),
        FieldSpec("level", "Level", Kind.CHOICE, choices(Level), required=True),
        FieldSpec("date", "Date", Kind.DATE, required=True, hint="a future date for one scheduled"),
        FieldSpec("venue", "Meeting", Kind.TEXT, hint="optional"),
        _tracks(),
    ), repeated=True, item="Presentation"),
    SectionSpec("leadership", "Leadership", (
        FieldSpec("role", "Role", Kind.TEXT, required=True, hint="e.g. chief resident"),
        FieldSpec("organization", "Organization", Kind.TEXT, hint="optional"),
        FieldSpec("start", "Start date", Kind.DATE, hint="optional"),
        FieldSpec("end", "End date", Kind.DATE, hint="optional"),
    ), repeated=True, item="Leadership role"),
    SectionSpec("teaching", "Teaching", (
        FieldSpec("activity", "Activity", Kind.TEXT, required=True),
        FieldSpec("audience", "Audience", Kind.TEXT, hint="optional"),
        FieldSpec("date", "Date", Kind.DATE, hint="optional"),
    ), repeated=True, item="Teaching activity"),
    SectionSpec("mentors", "Mentors and letter writers", (
        FieldSpec("name", "Name", Kind.TEXT, required=True),
        FieldSpec("contact", "Contact", Kind.TEXT, hint="optional, e.g. an email address"),
        FieldSpec("subspecialty", "Subspecialty", Kind.CHOICE, TRACKS, hint="empty for general PM&R"),
        FieldSpec("role", "Position", Kind.CHOICE, choices(MentorRole), hint="faculty when left empty"),
        FieldSpec("physiatrist", "A physiatrist", Kind.YESNO, hint="yes when left empty"),
        FieldSpec("mentor", "Mentors you", Kind.YESNO, hint="yes when left empty"),
        FieldSpec("nationally_known", "Nationally known in the field", Kind.CHECK),
        FieldSpec("letter", "Letter of recommendation", Kind.CHOICE, LETTERS,
                  hint="not asked yet when left empty"),
        FieldSpec("letter_asked", "Letter asked on", Kind.DATE, hint="only once a letter is asked for"),
    ), repeated=True, item="Mentor"),
    SectionSpec("in_service", "In-service exam (SAE) results", (
        _int("year", "Year", 1990, 2100, required=True),
        _int("pgy", "PGY when taken", 1, 4, required=True),
        _int("percentile", "Percentile", 0, 100, required=True),
        _int("score", "Score", 0, 1000, "optional"),
    ), repeated=True, item="Result"),
    SectionSpec("cycles", "Earlier fellowship applications", (
        _int("year", "Fellowship start year applied for", 1990, 2100, required=True),
        FieldSpec("tracks", "Tracks applied to", Kind.MULTI, TRACKS, required=True),
        _int("applications", "Programs applied to", 0, 500),
        _int("interviews", "Interviews", 0, 500),
        FieldSpec("outcome", "Outcome", Kind.CHOICE, choices(Outcome), hint="pending when left empty"),
        FieldSpec("program", "Program matched at", Kind.TEXT, hint="optional"),
    ), repeated=True, item="Application cycle"),
    SectionSpec("progress", "Progress toward the application", (
        FieldSpec("faculty_meetings", "Meetings with faculty in your track", Kind.LIST, hint=DATES_HINT),
        FieldSpec("preparation_folder", "Preparation folder started", Kind.DATE),
        FieldSpec("pd_meeting", "Met your program director about the plan", Kind.DATE),
        FieldSpec("tracking_document", "Tracking document started", Kind.DATE),
        FieldSpec("program_list_final", "Program list final", Kind.DATE),
        FieldSpec("statement_reviewers", "Personal statement reviewers", Kind.LIST,
                  hint="names, comma-separated"),
        FieldSpec("mock_interviews", "Mock interviews", Kind.LIST, hint=DATES_HINT),
    ), hint="Dated evidence for the year goals; leave empty what is not done yet."),
)  # fmt: skip
"""Every table of ``portfolio.toml`` (see docs/formats.md#portfolio) as a section of the form."""
