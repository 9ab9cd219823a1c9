"""Short, specific message drafts built from the applicant's profile and the program's known facts.

The wording is SmartPick's own. Drafts stay inside the length limits of
`smartpick.domain.communication.messages`
(pre-interview/outreach <= 250 words, routine <= 300) and follow its rules: only the letter of intent
says "#1", and it is refused unless the program is rank #1 and no other letter of intent was sent
(DOMAIN.md, seeds/003). Facts the catalogue does not know are left out, never invented; details only
the applicant knows appear as [bracketed prompts].
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from enum import StrEnum

from smartpick.domain.catalogue.programs import Program, Strength, VisitingChannel
from smartpick.domain.communication.messages import intent_already_sent
from smartpick.domain.communication.phrases import word_count
from smartpick.domain.communication.tracker import CommunicationLog, MessageKind
from smartpick.domain.profile.applicant import ApplicantType, Interest, Profile, RotationKind


class DraftKind(StrEnum):
    """Drafts SmartPick writes."""

    THANK_YOU = "thank-you"
    UPDATE = "update"
    INTENT = "intent"
    INTEREST = "interest"
    ROTATION_REQUEST = "rotation-request"

    @property
    def message_kind(self) -> MessageKind:
        """The log kind a sent draft is recorded as."""
        kinds = {
            "thank-you": MessageKind.THANK_YOU,
            "update": MessageKind.UPDATE,
            "intent": MessageKind.INTENT,
            "interest": MessageKind.INTEREST,
            "rotation-request": MessageKind.OTHER,
        }
        return kinds[self.value]


MAX_WORDS = {DraftKind.ROTATION_REQUEST: 250}
"""Outreach emails follow the pre-interview limit; the rest are routine messages (300)."""
ROUTINE_MAX_WORDS = 300


@dataclass(frozen=True)
class Draft:
    """A draft email, or the reason SmartPick refuses to write it."""

    kind: DraftKind
    program: str
    subject: str
    body: str
    refused: str | None = None

    @property
    def words(self) -> int:
        """Words in the body."""
        return word_count(self.body)


_STRENGTH_WORDS = {
    Strength.SCI: "spinal cord injury rehabilitation",
    Strength.TBI: "brain injury rehabilitation",
    Strength.VA: "training at the VA",
    Strength.SPORTS: "sports medicine",
    Strength.PAIN: "pain medicine",
    Strength.PEDS: "pediatric rehabilitation",
    Strength.CANCER: "cancer rehabilitation",
}
_INTEREST_WORDS = {
    Interest.SCI: "spinal cord injury",
    Interest.TBI: "brain injury",
    Interest.STROKE: "stroke rehabilitation",
    Interest.SPORTS: "sports medicine",
    Interest.PAIN: "pain medicine",
    Interest.MSK: "musculoskeletal medicine",
    Interest.PEDS: "pediatric rehabilitation",
    Interest.CANCER: "cancer rehabilitation",
    Interest.NEUROMUSCULAR: "neuromuscular medicine",
    Interest.EMG: "electrodiagnosis",
}
_INTEREST_STRENGTH = {
    Interest.SCI: Strength.SCI,
    Interest.TBI: Strength.TBI,
    Interest.SPORTS: Strength.SPORTS,
    Interest.PAIN: Strength.PAIN,
    Interest.PEDS: Strength.PEDS,
    Interest.CANCER: Strength.CANCER,
}


@dataclass(frozen=True)
class _Facts:
    """What a draft may say about this applicant and this program (known facts only)."""

    name: str
    program: str
    place: str
    shared: tuple[str, ...]
    interests: tuple[str, ...]
    rotated: bool
    rotation: tuple[dt.date, dt.date] | None
    """First and last day of the applicant's rotation at this program, if any."""
    today: dt.date | None
    tie: bool
    interview: dt.date | None
    variant: int


def _facts(
    profile: Profile,
    program: Program,
    log: CommunicationLog | None,
    refs: frozenset[str],
    today: dt.date | None = None,
) -> _Facts:
    interests = profile.preferences.interests
    shared = tuple(
        _STRENGTH_WORDS[_INTEREST_STRENGTH[i]]
        for i in interests
        if i in _INTEREST_STRENGTH and program.has_strength(_INTEREST_STRENGTH[i])
    )
    city, state = program.city.value, program.state.value
    interviews = sorted(i.date for i in (log.interview if log else ()) if i.program in refs)
    here = sorted((r for r in profile.rotations if r.program in refs), key=lambda r: r.start)
    rotation = (here[0].start, here[0].finish) if here else None
    return _Facts(
        name=profile.applicant.name or "[Your name]",
        program=program.name,
        place=", ".join(x for x in (city, state) if x),
        shared=shared,
        interests=tuple(_INTEREST_WORDS[i] for i in interests),
        rotated=bool(here),
        rotation=rotation,
        today=today,
        tie=state is not None and state in profile.preferences.states_with_ties,
        interview=interviews[-1] if interviews else None,
        variant=zlib.crc32(program.id.encode()) % 2,
    )


def _joined(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _fit_line(f: _Facts) -> str:
    if f.shared:
        return f"Your program's strength in {_joined(f.shared[:2])} fits the career I am building."
    if f.interests:
        return (
            f"My interest in {_joined(f.interests[:2])} is something I would keep developing in your program."
        )
    return "[One aspect of the program's training that fits your goals, in one sentence.]"


def _tie_line(f: _Facts) -> str:
    if f.rotated and f.rotation is not None:
        start, end = f.rotation
        if f.today is not None and end < f.today:
            return (
                "Having rotated with your department, I know how the team works and how much I would learn "
                "there."
            )
        if f.today is not None and start <= f.today:
            return "Rotating with your department now, I see how the team works and how much I would learn."
        return (
            f"I look forward to my rotation with your department in {start:%B %Y} and to learning how your "
            "team works."
        )
    if f.tie and f.place:
        return f"My personal ties to {f.place.split(', ')[-1]} make training there a long-term plan for me."
    return ""


def _about(profile: Profile) -> str:
    parts = []
    months = profile.experience.us_clinical_months_hands_on
    if months:
        parts.append(f"{months:g} months of hands-on US clinical experience")
    other = [lang for lang in profile.applicant.languages if lang.casefold() != "english"]
    if other:
        parts.append(f"fluency in {_joined(tuple(other))}")
    text = f"I would bring {_joined(tuple(parts))} to your team." if parts else ""
    if other:
        text += (
            f" Speaking {_joined(tuple(other))} lets me care for more of your patients in their own language."
        )
    if profile.applicant.type is ApplicantType.US_IMG:
        text += " As a US citizen, I do not need visa sponsorship."
    return text.strip()


def _thank_you(f: _Facts) -> tuple[str, str]:
    when = f" on {f.interview:%B} {f.interview.day}" if f.interview else ""
    opening = (
        f"Thank you for the interview{when} and for the time you and your team gave me.",
        f"I appreciated the chance to interview with {f.program}{when}.",
    )[f.variant]
    body = [
        opening,
        "[One specific moment from the day, such as a conversation with a resident or faculty member.]",
        "[One thing you learned about the program's training that you value.]",
        _fit_line(f),
        _tie_line(f),
        "The residents were candid and welcoming, and I left the day even more interested in training "
        "with your residents and faculty.",
        "Please pass my thanks to everyone who organized the day.",
    ]
    return f"Thank you - {f.program} interview", " ".join(x for x in body if x)


def _update(f: _Facts, profile: Profile) -> tuple[str, str]:
    news = []
    if profile.exams.step2_ck is not None:
        news.append(f"my USMLE Step 2 CK score is now available ({profile.exams.step2_ck})")
    if profile.research.publications or profile.research.posters:
        count = profile.research.publications + profile.research.posters
        news.append(
            f"I now have {count} publication{'s' if count > 1 else ''} or poster{'s' if count > 1 else ''}"
        )
    what = (
        _joined(tuple(news)) if news else "[your new achievement: a score, publication, poster or rotation]"
    )
    body = [
        f"I am writing with a brief update to my application to {f.program}: {what}.",
        "[One sentence on why this matters for your training in PM&R.]",
        _fit_line(f),
        _tie_line(f),
        _about(profile),
        "I remain very interested in your program, and I am grateful for your consideration.",
    ]
    return f"Application update - {f.name}", " ".join(x for x in body if x)


def _intent(f: _Facts, profile: Profile) -> tuple[str, str]:
    body = [
        f"I am writing to let you know that I intend to rank {f.program} as my #1 choice.",
        "I am sure of this decision and have not said it to any other program.",
        _fit_line(f),
        _tie_line(f),
        "[One or two sentences on what, specifically, decided it for you.]",
        _about(profile),
        "I would be proud to train with your residents and faculty.",
        "Thank you for considering my application.",
    ]
    return f"Letter of intent - {f.name}", " ".join(x for x in body if x)


def _interest(f: _Facts, profile: Profile) -> tuple[str, str]:
    opening = (
        f"I am writing to reaffirm my strong interest in {f.program}.",
        f"Since my interview, {f.program} has stayed high on my list.",
    )[f.variant]
    body = [
        opening,
        _fit_line(f),
        _tie_line(f),
        "[One specific reason from your interview day or a later conversation.]",
        _about(profile),
        "I will rank your program very highly, and I would be glad to train with your team.",
        "Thank you again for your time and for considering my application.",
    ]
    return f"Continued interest - {f.name}", " ".join(x for x in body if x)


def _rotation_request(f: _Facts, profile: Profile, program: Program) -> tuple[str, str]:
    who = {
        ApplicantType.US_IMG: "a US citizen international medical graduate",
        ApplicantType.NON_US_IMG: "an international medical graduate",
        ApplicantType.US_MD: "a US medical student",
        ApplicantType.US_DO: "a US osteopathic medical student",
    }
    planned = [r for r in profile.rotations if r.program == program.id]
    when = (
        f" for {planned[0].weeks} weeks starting {planned[0].start.isoformat()}"
        if planned
        else " for [2-4 weeks] in [month]"
    )
    hands_on = not planned or planned[0].kind is RotationKind.HANDS_ON
    channel = program.visiting_channel.value
    how = (
        "I understand visiting students apply through VSLO and will submit there as well."
        if channel is VisitingChannel.VSLO
        else ""
    )
    body = [
        f"I am {who[profile.applicant.type]} applying to PM&R residency, and I would like to request a "
        f"{'hands-on elective' if hands_on else 'observership'} in your department{when}.",
        _fit_line(f),
        "" if f.rotated else _tie_line(f),
        _about(profile),
        how,
        "[One sentence on what you hope to learn on the rotation.]",
        "My CV and transcript are attached; I can send any other documents your office requires.",
        "Thank you for considering my request.",
    ]
    return f"Visiting rotation request - {f.name}", " ".join(x for x in body if x)


def refusal(
    kind: DraftKind, program: Program, rank_one: str | None, log: CommunicationLog | None
) -> str | None:
    """Why a letter of intent must not be written (``None`` when it may, or for other kinds)."""
    if kind is not DraftKind.INTENT:
        return None
    if rank_one is None:
        return "a letter of intent needs your rank list (--rank-list) to confirm this program is your #1"
    if rank_one != program.id:
        return (
            f"{program.name} is not #1 on your rank list ({rank_one} is); send a letter of interest instead"
        )
    sent = intent_already_sent(log) if log else None
    if sent is not None:
        return (
            f"a letter of intent (or a #1 claim) already went to {sent.program} on {sent.date}; send only one"
        )
    return None


def draft_message(
    kind: DraftKind,
    program: Program,
    profile: Profile,
    *,
    rank_one: str | None = None,
    log: CommunicationLog | None = None,
    refs: frozenset[str] = frozenset(),
    today: dt.date | None = None,
) -> Draft:
    """Write a draft, or refuse a letter of intent that would break the rules.

    Args:
        kind: what to write.
        program: the catalogue program it is for.
        profile: the applicant.
        rank_one: catalogue id of the rank list's #1 program, when known.
        log: the communication log (interview date, intent letters already sent).
        refs: every way the log or profile may name this program (id, ACGME number, track codes).
        today: the date the draft is written, so a rotation is spoken of as done, under way or to come
            (unknown: to come).
    """
    why = refusal(kind, program, rank_one, log)
    if why is not None:
        return Draft(kind, program.id, "", "", refused=why)
    f = _facts(profile, program, log, refs | {program.id}, today)
    writers = {
        DraftKind.THANK_YOU: lambda: _thank_you(f),
        DraftKind.UPDATE: lambda: _update(f, profile),
        DraftKind.INTENT: lambda: _intent(f, profile),
        DraftKind.INTEREST: lambda: _interest(f, profile),
        DraftKind.ROTATION_REQUEST: lambda: _rotation_request(f, profile, program),
    }
    subject, text = writers[kind]()
    salutation = (
        "Dear Program Coordinator," if kind is DraftKind.ROTATION_REQUEST else "Dear Dr. [Last name],"
    )
    body = f"{salutation}\n\n{text}\n\nSincerely,\n{f.name}\n"
    return Draft(kind, program.id, subject, body)
