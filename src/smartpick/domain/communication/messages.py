"""NRMP-safe communication: rules that check the log of messages with programs.

Every rule has a stable id, a severity and the reason, taken from DOMAIN.md (source: shared/seeds/003,
"Pre-match communication and NRMP rules"). Applicant rules look at sent messages; the ``program.*``
rules look at received messages and warn the applicant when a program's words look like an NRMP
violation. `check_log` runs them all and returns findings as data.

Abbreviations: LOI = letter of intent; PD = program director; NRMP = National Resident Matching Program.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from smartpick.domain.communication.phrases import Hit, Phrase, find, has, word_count
from smartpick.domain.communication.tracker import CommunicationLog, Interview, Message, MessageKind

THANK_YOU_DAYS = 5
"""Send the thank-you within 3-5 days after the interview (seeds/003): later than day 5 is late."""
THANK_YOU_IDEAL_DAYS = 3
PRE_INTERVIEW_MAX_WORDS = 250
"""Pre-interview emails: under about 200-250 words (seeds/003)."""
ROUTINE_MAX_WORDS = 300
"""Routine messages: 150-300 words (seeds/003)."""
ROUTINE_KINDS = frozenset(
    {
        MessageKind.UPDATE,
        MessageKind.THANK_YOU,
        MessageKind.INTENT,
        MessageKind.INTEREST,
        MessageKind.QUESTION,
        MessageKind.OTHER,
    }
)


class Severity(StrEnum):
    """How serious a finding is; any error makes ``messages check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A communication rule: id, severity and what the NRMP rules or good practice say."""

    id: str
    severity: Severity
    reason: str


@dataclass(frozen=True)
class Finding:
    """One rule broken (or a reminder) about one message or interview."""

    rule: str
    severity: Severity
    program: str
    date: dt.date | None
    message: str
    reason: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
RULES: tuple[Rule, ...] = (
    Rule(
        "intent.more-than-one",
        _E,
        'Send a letter of intent ("I will rank you #1") to exactly one program, '
        "and only if it is true; telling several programs they are #1 damages your credibility.",
    ),
    Rule(
        "intent.not-rank-one",
        _E,
        "A letter of intent must go to the program that is #1 on your certified rank "
        "list; anything else is an untrue commitment.",
    ),
    Rule(
        "claim.number-one",
        _E,
        "Never tell more than one program it is your #1 or top choice, and only tell the "
        'one you will really rank first; use "I will rank you highly" for the others.',
    ),
    Rule(
        "claim.in-thank-you",
        _I,
        'Avoid overt ranking language ("#1") in thank-you notes; keep it for one letter '
        "of intent late in the season, when you are sure.",
    ),
    Rule(
        "ask.forbidden",
        _E,
        "Applicants must not ask how a program will rank them, whether ranking it first "
        "guarantees a match, or offer a rank in exchange for an interview.",
    ),
    Rule("thank-you.late", _W, "Thank-you notes go out within 3-5 days after the interview."),
    Rule(
        "thank-you.missing",
        _W,
        "One thank-you note per interview, within 3-5 days; this one's window has passed.",
    ),
    Rule("thank-you.due", _I, "Thank-you notes go out within 3-5 days after the interview (reminder)."),
    Rule("thank-you.before-interview", _W, "A thank-you note dated before the interview: check the dates."),
    Rule("pre-interview.more-than-one", _W, "Before the interview, send at most one message per program."),
    Rule(
        "pre-interview.no-reason",
        _W,
        "Send a pre-interview message only with a real connection to the program or "
        "a real update (new score, publication, rotation); generic interest emails do not help.",
    ),
    Rule("length.pre-interview", _W, "Keep pre-interview emails under about 200-250 words."),
    Rule("length.routine", _W, "Keep routine messages to about 150-300 words."),
    Rule(
        "purpose.multiple",
        _W,
        "One main purpose per email: do not mix a thank-you with an update or questions.",
    ),
    Rule(
        "follow-up.repeated",
        _W,
        "If a program does not answer, do not send repeated follow-ups; silence usually "
        "reflects volume, not rejection.",
    ),
    Rule(
        "program.conditional-promise",
        _W,
        "Programs may not offer a match or position in exchange for a rank; a "
        'conditional promise ("rank us first and you will match") crosses into NRMP violation territory. It '
        "binds nobody: rank in your true order of preference.",
    ),
    Rule(
        "program.near-promise",
        _I,
        'Hedged statements ("if you rank us first you have a good chance") are not '
        "offers and guarantee nothing; rank in your true order of preference.",
    ),
    Rule(
        "program.asks-rank",
        _W,
        "Programs may not ask you to reveal or promise your rank; you need not answer. "
        "Reply politely without confirming a rank, e.g. that you will submit your list following NRMP rules.",
    ),
)
RULE = {r.id: r for r in RULES}


def _finding(rule_id: str, program: str, date: dt.date | None, message: str) -> Finding:
    rule = RULE[rule_id]
    return Finding(rule.id, rule.severity, program, date, message, rule.reason)


def _on(rule_id: str, msg: Message, message: str) -> Finding:
    return _finding(rule_id, msg.program, msg.date, message)


def _quote(hit: Hit) -> str:
    text = hit.sentence.replace("numone", "#1")
    return f'"{text[:117] + "..." if len(text) > 120 else text}"'


def _sent(log: CommunicationLog) -> list[Message]:
    return sorted((m for m in log.message if m.sent), key=lambda m: m.date)


def _by_program(messages: Iterable[Message]) -> dict[str, list[Message]]:
    out: dict[str, list[Message]] = defaultdict(list)
    for msg in sorted(messages, key=lambda m: m.date):
        out[msg.program].append(msg)
    return out


def check_intent(log: CommunicationLog, rank_one: str | None = None) -> Iterator[Finding]:
    """Letters of intent: one program only, and it must be rank #1 when the rank list is known."""
    first: Message | None = None
    for msg in (m for m in _sent(log) if m.kind is MessageKind.INTENT):
        if rank_one is not None and msg.program != rank_one:
            yield _on("intent.not-rank-one", msg, f"letter of intent, but your rank #1 is {rank_one}")
        elif rank_one is None and first is not None and msg.program != first.program:
            text = f"second letter of intent: one already went to {first.program} on {first.date}"
            yield _on("intent.more-than-one", msg, text)
        first = first or msg


def check_number_one_claims(log: CommunicationLog, rank_one: str | None = None) -> Iterator[Finding]:
    """Claims of "#1"/"top choice" outside the letter of intent: one program at most, the true #1."""
    claimed: str | None = next((m.program for m in _sent(log) if m.kind is MessageKind.INTENT), None)
    for msg in (m for m in _sent(log) if m.kind is not MessageKind.INTENT):
        hits = find(Phrase.NUMBER_ONE_CLAIM, msg.text)
        if not hits:
            continue
        claimed = claimed or msg.program
        if msg.program != (rank_one or claimed):
            why = f"your rank #1 is {rank_one}" if rank_one else f"{claimed} was already told it is your #1"
            yield _on("claim.number-one", msg, f"{_quote(hits[0])}: {why}")
        elif msg.kind is MessageKind.THANK_YOU:
            yield _on("claim.in-thank-you", msg, f"ranking language in a thank-you: {_quote(hits[0])}")


def check_forbidden_asks(log: CommunicationLog) -> Iterator[Finding]:
    """Asks an applicant must not make (rank me?, match if I rank you first?, rank for an interview)."""
    for msg in _sent(log):
        for hit in find(Phrase.FORBIDDEN_ASK, msg.text)[:1]:
            yield _on("ask.forbidden", msg, f"you wrote {_quote(hit)}")


_PROGRAM_PHRASES = (
    (Phrase.PROGRAM_CONDITIONAL_PROMISE, "program.conditional-promise"),
    (Phrase.PROGRAM_NEAR_PROMISE, "program.near-promise"),
    (Phrase.PROGRAM_ASKS_RANK, "program.asks-rank"),
)


def check_program_statements(log: CommunicationLog) -> Iterator[Finding]:
    """Received messages that promise a match for a rank or ask the applicant's rank."""
    for msg in sorted((m for m in log.message if not m.sent), key=lambda m: m.date):
        for phrase, rule_id in _PROGRAM_PHRASES:
            for hit in find(phrase, msg.text)[:1]:
                yield _on(rule_id, msg, f"the program wrote {_quote(hit)}")


def check_thank_yous(log: CommunicationLog, today: dt.date | None = None) -> Iterator[Finding]:
    """A thank-you within 3-5 days of each interview; reminders and misses need ``today``."""
    notes = _by_program(m for m in log.message if m.sent and m.kind is MessageKind.THANK_YOU)
    for iv in sorted(log.interview, key=lambda i: (i.date, i.program)):
        mine = notes.get(iv.program, [])
        after = [m for m in mine if m.date >= iv.date]
        if after and (days := (after[0].date - iv.date).days) > THANK_YOU_DAYS:
            yield _on("thank-you.late", after[0], f"thank-you sent {days} days after the {iv.date} interview")
        elif mine and not after:
            text = f"thank-you dated {mine[0].date}, before the {iv.date} interview"
            yield _on("thank-you.before-interview", mine[0], text)
        elif not mine and today is not None:
            yield from _thank_you_reminder(iv, today)


def _thank_you_reminder(iv: Interview, today: dt.date) -> Iterator[Finding]:
    deadline = iv.date + dt.timedelta(days=THANK_YOU_DAYS)
    if iv.date <= today <= deadline:
        ideal = iv.date + dt.timedelta(days=THANK_YOU_IDEAL_DAYS)
        text = f"no thank-you yet for the {iv.date} interview: send it by {ideal}, at the latest {deadline}"
        yield _finding("thank-you.due", iv.program, iv.date, text)
    elif today > deadline:
        text = f"no thank-you for the {iv.date} interview; the window closed on {deadline}"
        yield _finding("thank-you.missing", iv.program, iv.date, text)


def check_pre_interview(log: CommunicationLog) -> Iterator[Finding]:
    """At most one pre-interview message per program, and only with a connection or an update."""
    seen: dict[str, Message] = {}
    for msg in (m for m in _sent(log) if m.kind is MessageKind.PRE_INTERVIEW):
        if msg.program in seen:
            text = f"another pre-interview message (the first was on {seen[msg.program].date})"
            yield _on("pre-interview.more-than-one", msg, text)
        seen.setdefault(msg.program, msg)
        if msg.reason is None and not (has(Phrase.CONNECTION, msg.text) or has(Phrase.UPDATE, msg.text)):
            text = "no connection to the program and no update found: say what ties you to it or what is new"
            yield _on("pre-interview.no-reason", msg, text)


def check_length(log: CommunicationLog) -> Iterator[Finding]:
    """Word limits: pre-interview about 250 at most, routine messages 300 at most."""
    for msg in _sent(log):
        words = word_count(msg.text)
        if msg.kind is MessageKind.PRE_INTERVIEW and words > PRE_INTERVIEW_MAX_WORDS:
            yield _on("length.pre-interview", msg, f"{words} words; keep it under {PRE_INTERVIEW_MAX_WORDS}")
        elif msg.kind in ROUTINE_KINDS and words > ROUTINE_MAX_WORDS:
            text = f"{words} words in a {msg.kind.value} message; keep it within {ROUTINE_MAX_WORDS}"
            yield _on("length.routine", msg, text)


_PURPOSES = (Phrase.THANKS_FOR_INTERVIEW, Phrase.UPDATE, Phrase.QUESTION)
_FITS: dict[MessageKind, frozenset[Phrase]] = {
    # Which purposes belong naturally in each kind (seeds/003: thank-you notes restate interest; letters of
    # intent or interest may thank and mention what is new; a pre-interview email carries its update).
    MessageKind.THANK_YOU: frozenset({Phrase.THANKS_FOR_INTERVIEW}),
    MessageKind.UPDATE: frozenset({Phrase.UPDATE, Phrase.THANKS_FOR_INTERVIEW}),
    MessageKind.QUESTION: frozenset({Phrase.QUESTION, Phrase.THANKS_FOR_INTERVIEW}),
    MessageKind.PRE_INTERVIEW: frozenset({Phrase.UPDATE}),
    MessageKind.INTENT: frozenset({Phrase.THANKS_FOR_INTERVIEW, Phrase.UPDATE}),
    MessageKind.INTEREST: frozenset({Phrase.THANKS_FOR_INTERVIEW, Phrase.UPDATE}),
}
_PURPOSE_WORDS = {
    Phrase.THANKS_FOR_INTERVIEW: "thanks",
    Phrase.UPDATE: "an update",
    Phrase.QUESTION: "questions",
}


def check_one_purpose(log: CommunicationLog) -> Iterator[Finding]:
    """One main purpose per email (e.g. a thank-you that also carries an update and questions)."""
    for msg in _sent(log):
        found = {p for p in _PURPOSES if has(p, msg.text)}
        fits = _FITS.get(msg.kind)
        extra = found - fits if fits is not None else (found if len(found) >= 2 else set())
        if extra:
            what = " and ".join(_PURPOSE_WORDS[p] for p in _PURPOSES if p in extra)
            yield _on("purpose.multiple", msg, f"this {msg.kind.value} message also carries {what}")


def check_follow_ups(log: CommunicationLog) -> Iterator[Finding]:
    """No repeated messages to a program that has not answered (thank-you notes excepted).

    Steps, per program and per phase (before / from the first interview): count sent messages since the
    program's last reply; the second and later ones are repeated follow-ups. A second pre-interview
    message is left to ``pre-interview.more-than-one``.
    """
    first_interview: dict[str, dt.date] = {}
    for iv in log.interview:
        first_interview[iv.program] = min(iv.date, first_interview.get(iv.program, iv.date))
    for program, messages in _by_program(log.message).items():
        first_iv = first_interview.get(program)
        unanswered = {False: 0, True: 0}
        pre_seen = False
        for msg in messages:
            post = first_iv is not None and msg.date >= first_iv
            if not msg.sent or msg.kind is MessageKind.THANK_YOU:
                unanswered[post] = 0 if not msg.sent else unanswered[post]
                continue
            unanswered[post] += 1
            repeat_pre = msg.kind is MessageKind.PRE_INTERVIEW and pre_seen
            pre_seen = pre_seen or msg.kind is MessageKind.PRE_INTERVIEW
            if unanswered[post] >= 2 and not repeat_pre:
                yield _on(
                    "follow-up.repeated", msg, f"message {unanswered[post]} since the program last answered"
                )


def check_log(
    log: CommunicationLog, *, rank_one: str | None = None, today: dt.date | None = None
) -> tuple[Finding, ...]:
    """Run every rule on a communication log.

    Args:
        log: the applications, interviews and messages.
        rank_one: the program ranked #1 on the certified rank list, when known.
        today: the current date, for thank-you reminders; ``None`` skips them.

    Returns:
        Findings ordered by date, program and rule id.
    """
    found = [
        *check_intent(log, rank_one),
        *check_number_one_claims(log, rank_one),
        *check_forbidden_asks(log),
        *check_program_statements(log),
        *check_thank_yous(log, today),
        *check_pre_interview(log),
        *check_length(log),
        *check_one_purpose(log),
        *check_follow_ups(log),
    ]
    return tuple(sorted(found, key=lambda f: (f.date or dt.date.min, f.program, f.rule)))


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity is Severity.ERROR for f in findings)


def intent_already_sent(log: CommunicationLog) -> Message | None:
    """The first letter of intent (or sent "#1" claim) in the log, if any."""
    for msg in _sent(log):
        if msg.kind is MessageKind.INTENT or has(Phrase.NUMBER_ONE_CLAIM, msg.text):
            return msg
    return None
