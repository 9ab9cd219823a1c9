"""The application tracker: per-program status, interviews and the communication log.

The log's file shape is fixed by shared/FORMATS.md (``messages.toml``: ``[[interview]]`` and
``[[message]]`` tables). SmartPick adds two optional things, both documented in the README:
``[[application]]`` tables (program, status, date, note) and a message's ``reason``
(``connection`` or ``update``, why a pre-interview message was sent).

Abbreviations: PD = program director; LOI = letter of intent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Annotated, Self, TypeVar

from pydantic import Field, StringConstraints, model_validator

from smartpick.domain.base import FrozenModel
from smartpick.domain.dates import PlausibleDate
from smartpick.errors import InputError

ProgramRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(description="a program id"),
]


MAX_PROGRAMS = 500
"""Most programs (and interviews) one log holds: more than all PM&R and PGY-1 programs one applicant uses."""
MAX_MESSAGES = 5_000


_R = TypeVar("_R", "Interview", "Message")


class ApplicationStatus(StrEnum):
    """Where an application to one program stands."""

    PLANNED = "planned"
    APPLIED = "applied"
    INVITED = "invited"
    INTERVIEWED = "interviewed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Direction(StrEnum):
    """Who wrote a message: the applicant (sent) or the program (received)."""

    SENT = "sent"
    RECEIVED = "received"


class MessageKind(StrEnum):
    """What a message is for (FORMATS.md)."""

    PRE_INTERVIEW = "pre_interview"
    UPDATE = "update"
    THANK_YOU = "thank_you"
    INTENT = "intent"
    INTEREST = "interest"
    QUESTION = "question"
    PROGRAM_STATEMENT = "program_statement"
    OTHER = "other"


class PreInterviewReason(StrEnum):
    """The two reasons that justify a pre-interview message (DOMAIN.md, seeds/003)."""

    CONNECTION = "connection"
    UPDATE = "update"


class Application(FrozenModel):
    """The status of the application to one program."""

    program: ProgramRef
    status: ApplicationStatus
    date: PlausibleDate | None = None
    note: str = ""


class Interview(FrozenModel):
    """An interview day at a program."""

    program: ProgramRef
    date: PlausibleDate


class Message(FrozenModel):
    """One communication with a program, sent or received."""

    program: ProgramRef
    date: PlausibleDate
    direction: Direction
    kind: MessageKind
    text: Annotated[str, StringConstraints(min_length=1)]
    reason: PreInterviewReason | None = None

    @property
    def sent(self) -> bool:
        """True when the applicant wrote it."""
        return self.direction is Direction.SENT


class CommunicationLog(FrozenModel):
    """Everything the tracker holds: applications, interviews and messages, in file order."""

    application: tuple[Application, ...] = Field(default=(), max_length=MAX_PROGRAMS)
    interview: tuple[Interview, ...] = Field(default=(), max_length=MAX_PROGRAMS)
    message: tuple[Message, ...] = Field(default=(), max_length=MAX_MESSAGES)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        seen: set[str] = set()
        for app in self.application:
            if app.program in seen:
                raise ValueError(f"program {app.program!r} has more than one [[application]]; keep one")
            seen.add(app.program)
        interviewed = {i.program for i in self.interview}
        for app in self.application:
            if app.status is ApplicationStatus.INTERVIEWED and app.program not in interviewed:
                raise ValueError(
                    f"program {app.program!r} is 'interviewed' but has no [[interview]] with its date"
                )
        return self

    def interviews_at(self, program: str) -> tuple[Interview, ...]:
        """Interviews at one program, earliest first."""
        return tuple(sorted((i for i in self.interview if i.program == program), key=lambda i: i.date))

    def messages_to(self, program: str) -> tuple[Message, ...]:
        """Messages with one program, in date order (stable for equal dates)."""
        return tuple(sorted((m for m in self.message if m.program == program), key=lambda m: m.date))

    def programs(self) -> tuple[str, ...]:
        """Every program the log mentions, in first-mention order."""
        items: Iterable[str] = (
            *(a.program for a in self.application),
            *(i.program for i in self.interview),
            *(m.program for m in self.message),
        )
        return tuple(dict.fromkeys(items))

    def application_for(self, program: str) -> Application | None:
        """The application record for a program, if any."""
        return next((a for a in self.application if a.program == program), None)

    def interviewed_programs(self) -> tuple[str, ...]:
        """Programs with an interview date or the status 'interviewed'."""
        marked = (a.program for a in self.application if a.status is ApplicationStatus.INTERVIEWED)
        return tuple(dict.fromkeys([*(i.program for i in self.interview), *marked]))


def _merge_application(old: Application, new: Application) -> Application:
    """``new`` over ``old``; a date or note that ``new`` leaves out is kept from ``old``."""
    return Application(
        program=new.program,
        status=new.status,
        date=new.date if new.date is not None else old.date,
        note=new.note or old.note,
    )


def canonical_log(log: CommunicationLog, canonical: Callable[[str], str]) -> CommunicationLog:
    """The log with every program reference replaced by ``canonical(ref)`` (one id per program).

    Two applications that name the same program under different ids become one (the later record
    wins, keeping the earlier one's date and note when it has none); an interview or message that
    renaming makes identical to an earlier one is kept once.
    """
    apps: dict[str, Application] = {}
    for app in log.application:
        app = app.model_copy(update={"program": canonical(app.program)})
        apps[app.program] = _merge_application(apps[app.program], app) if app.program in apps else app
    interviews = _renamed(log.interview, canonical)
    messages = _renamed(log.message, canonical)
    return CommunicationLog(application=tuple(apps.values()), interview=interviews, message=messages)


def _renamed(records: Iterable[_R], canonical: Callable[[str], str]) -> tuple[_R, ...]:
    """Records under canonical ids; one that renaming makes identical to an earlier record is dropped."""
    out: list[_R] = []
    seen: set[_R] = set()
    for record in records:
        new = record.model_copy(update={"program": canonical(record.program)})
        if new.program != record.program and new in seen:
            continue
        out.append(new)
        seen.add(new)
    return tuple(out)


def merge_logs(stored: CommunicationLog, incoming: CommunicationLog) -> CommunicationLog:
    """Add ``incoming`` to ``stored``.

    Applications are replaced per program (a date or note the incoming record leaves out is kept);
    interviews and messages are appended unless an identical record is already stored (so importing
    the same file twice adds nothing).
    """
    incoming_apps = {a.program: a for a in incoming.application}
    apps = [
        _merge_application(a, incoming_apps.pop(a.program)) if a.program in incoming_apps else a
        for a in stored.application
    ] + list(incoming_apps.values())
    stored_interviews = set(stored.interview)
    interviews = list(stored.interview) + [i for i in incoming.interview if i not in stored_interviews]
    known = set(stored.message)
    messages = list(stored.message) + [m for m in incoming.message if m not in known]
    return CommunicationLog(application=tuple(apps), interview=tuple(interviews), message=tuple(messages))


def with_status(
    log: CommunicationLog,
    program: str,
    status: ApplicationStatus,
    *,
    date: dt.date | None = None,
    note: str = "",
    date_field: str = "date",
) -> CommunicationLog:
    """The log with one program's status set (an interview date is recorded for 'interviewed').

    Raises:
        InputError: 'interviewed' without a date while no interview at the program is logged
            (``date_field`` names the date as the caller's user typed it).
    """
    if status is ApplicationStatus.INTERVIEWED and date is None and not log.interviews_at(program):
        raise InputError(date_field, None, "the interview date (a date like 2026-11-03) for 'interviewed'")
    current = log.application_for(program)
    new = Application(
        program=program, status=status, date=date, note=note or (current.note if current else "")
    )
    apps = [new if a.program == program else a for a in log.application]
    if current is None:
        apps.append(new)
    interviews = list(log.interview)
    if status is ApplicationStatus.INTERVIEWED and date is not None:
        entry = Interview(program=program, date=date)
        if entry not in interviews:
            interviews.append(entry)
    return CommunicationLog(application=tuple(apps), interview=tuple(interviews), message=log.message)
