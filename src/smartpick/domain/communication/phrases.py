"""Phrase detection for the communication rules: normalise wording, then match patterns per sentence.

Why normalise first: applicants and programs say the same thing many ways ("#1", "No. 1", "number one",
"first choice", "top choice"; "I'll" / "I will"; curly quotes). Text is lower-cased, quotes and dashes are
unified, contractions are expanded, every way of writing "number one" becomes the token ``numone``,
then the text is cut into sentences and punctuation becomes spaces. Patterns run on one sentence at a
time so a match never spans two unrelated sentences.

Which sentences count comes from the NRMP rules summarised in DOMAIN.md (source: shared/seeds/003):
claims of "#1"/"top choice", asks applicants may not make, and program statements that promise a match
in exchange for a rank or ask for the applicant's rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Phrase(StrEnum):
    """What a sentence can say that the rules care about."""

    NUMBER_ONE_CLAIM = "number_one_claim"
    FORBIDDEN_ASK = "forbidden_ask"
    PROGRAM_CONDITIONAL_PROMISE = "program_conditional_promise"
    PROGRAM_NEAR_PROMISE = "program_near_promise"
    PROGRAM_ASKS_RANK = "program_asks_rank"
    THANKS_FOR_INTERVIEW = "thanks_for_interview"
    UPDATE = "update"
    QUESTION = "question"
    CONNECTION = "connection"


@dataclass(frozen=True)
class Sentence:
    """A normalised sentence and whether it was written as a question."""

    text: str
    question: bool


@dataclass(frozen=True)
class Hit:
    """One matched phrase: what it is, the normalised sentence, and the pattern's name."""

    phrase: Phrase
    sentence: str
    pattern: str


_CHARS = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_CONTRACTIONS = (
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "cannot"),
    (r"\bshan't\b", "shall not"),
    (r"\blet's\b", "let us"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\bi'm\b", "i am"),
    (r"\b(\w+)'re\b", r"\1 are"),
    (r"\b(\w+)'ll\b", r"\1 will"),
    (r"\b(\w+)'ve\b", r"\1 have"),
    (r"\b(i|you|he|she|we|they|it|that|there|who)'d\b", r"\1 would"),
    (r"\b(it|that|there|what|who|he|she|where|how)'s\b", r"\1 is"),
)
_NUMBER_ONE = (
    (r"#\s*1\b", " numone"),
    (r"\bno\.?\s*1\b(?!\d)", "numone"),
    (r"\bnum(?:ber)?\.?\s*(?:one|1)\b", "numone"),
    # "first/top choice" means rank one; the plural ("top choices") does not, so \b(?!s) keeps it out.
    (r"\b(?:first|1st|top)[- ](choice|pick|option|preference|place|spot|ranked)\b(?!s)", r"numone \1"),
)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n|\n(?=\s*[-*•])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _compile(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), r) for p, r in pairs)


_CONTRACTION_RES = _compile(_CONTRACTIONS)
_NUMBER_ONE_RES = _compile(_NUMBER_ONE)


def _canonical(text: str) -> str:
    out = text.translate(_CHARS).lower()
    for pattern, repl in (*_CONTRACTION_RES, *_NUMBER_ONE_RES):
        out = pattern.sub(repl, out)
    return out


@lru_cache(maxsize=65536)
def sentences(text: str) -> tuple[Sentence, ...]:
    """Split ``text`` into normalised sentences (lower case, no punctuation, ``numone`` tokens)."""
    out = []
    for raw in _SENTENCE_END.split(_canonical(text)):
        words = _NON_WORD.sub(" ", raw).strip()
        if words:
            out.append(Sentence(words, raw.rstrip().endswith("?")))
    return tuple(out)


def normalise(text: str) -> str:
    """The whole text normalised, sentences separated by `` | `` (for display and tests)."""
    return " | ".join(s.text for s in sentences(text))


def word_count(text: str) -> int:
    """Words as a reader counts them (``PM&R`` and ``follow-up`` are one word each)."""
    return len(re.findall(r"[A-Za-z0-9]+(?:[&'’.-][A-Za-z0-9]+)*", text))


_W = r"(?:\w+ )"  # one word and its space; {0,n}? below means "up to n words in between"
_NOT_SUBJECT = r"(?: (?!you\b|we\b|they\b|programs?\b)\w+)"
_TOP = r"(?:numone|first|highest|at the (?:very )?top|(?:at )?the (?:very )?top of my)"
_NOT_CLASS_RANK = r"(?! (?:in|among|out of) (?:my |the |our )?(?:class|cohort|batch|year|group|school|exam))"
_NOT_SPECIALTY = r"(?! (?:of|for|in|as) (?:a |my |medical |the )?(?:specialt|field|career|discipline))"
_US = r"(?:us|our (?:program|residency|institution)|this program|the program|here)"
_IF = r"(?:if|as long as|so long as|provided(?: that)?|once)"
_HEDGE = r"(?:think|believe|feel|likely|probably|good chance|great chance|chances?|may|might|should|hope)"

_PATTERNS: dict[Phrase, tuple[tuple[str, str], ...]] = {
    Phrase.NUMBER_ONE_CLAIM: (
        (
            "my-numone-choice",
            rf"(?<!one of )(?<!among )\bmy {_W}{{0,2}}?numone (?:choice|pick|option|preference"
            rf"|program|place|spot|ranked|residency|destination)\b{_NOT_SPECIALTY}",
        ),
        (
            "you-are-my-numone",
            r"\b(?:you are|you will be|you remain|your program is|your program will be|it is"
            r"|it will be|program is|program will be|remains|will remain|will be|would be)"
            r" my (?:\w+ ){0,2}?numone\b",
        ),
        ("numone-on-my-list", rf"\bnumone {_W}{{0,2}}?(?:on|in|of) my {_W}{{0,2}}?(?:list|rank)"),
        (
            "top-of-my-list",
            rf"(?<!one of )(?<!among )\b(?:at the (?:very )?)?top of my {_W}{{0,2}}?(?:list|rank)",
        ),
        (
            "i-rank-you-first",
            rf"\bi\b{_NOT_SUBJECT}{{0,6}}? (?:rank|ranking|place|placing|put|putting|list|listing)"
            rf" (?!me\b)(?:\w+ ){{0,6}}?{_TOP}\b{_NOT_CLASS_RANK}",
        ),
    ),
    Phrase.FORBIDDEN_ASK: (
        ("will-you-rank-me", rf"\b(?:will|would|could|can|do|are|did) you {_W}{{0,3}}?rank(?:ing)? me\b"),
        (
            "how-will-you-rank-me",
            rf"\b(?:how|where) {_W}{{0,4}}?(?:you|your program|the committee) {_W}{{0,3}}?"
            r"rank(?:ing|ed)? me\b",
        ),
        (
            "where-do-i-stand",
            rf"\bwhere (?:do|will|would|might|am) i {_W}{{0,2}}?(?:stand|fall|be|am|land|sit)\b"
            rf"(?: \w+){{0,3}}? (?:on|in|within) (?:your|the program s|the) {_W}{{0,2}}?(?:list|rank)",
        ),
        (
            "tell-me-if-you-rank-me",
            r"\b(?:tell|share|let me know|know|ask|confirm)\b(?: \w+){0,3}? (?:whether|if|how|where) "
            r"(?:\w+ ){0,3}?(?:you|your program|the committee|the program) "
            r"(?:\w+ ){0,3}?rank(?:ing|ed)? me\b",
        ),
        ("will-i-be-ranked", r"\b(?:will|would|am|have) i (?:be |been )?ranked\b"),
        (
            "will-i-match-if",
            rf"\b(?:will|would|can|could|do) i {_W}{{0,3}}?match\w* {_W}{{0,5}}?{_IF} i {_W}{{0,3}}?rank",
        ),
        (
            "if-i-rank-will-i-match",
            rf"\b{_IF} i {_W}{{0,3}}?rank\b(?: \w+){{0,6}}? (?:will|would|can|could|do|am)"
            rf" i {_W}{{0,3}}?(?:match|be guaranteed|be ranked|get a (?:spot|position))",
        ),
        (
            "if-i-rank-will-you",
            rf"\b{_IF} i {_W}{{0,3}}?rank\b(?: \w+){{0,6}}? (?:will|would|can|could) you "
            rf"{_W}{{0,3}}?(?:guarantee|promise|rank me|ensure|make sure|offer|give|interview|invite)",
        ),
        (
            "interview-for-rank",
            rf"\b(?:will|would|could|can) you {_W}{{0,3}}?(?:offer|give|grant|extend|send) me "
            rf"{_W}{{0,2}}?interview\w* {_W}{{0,3}}?{_IF} i {_W}{{0,3}}?(?:rank|promise|commit|say)",
        ),
        (
            "rank-for-interview",
            rf"\bi (?:will|would|promise to|can|shall|could) {_W}{{0,2}}?rank {_W}{{0,4}}?"
            rf"(?:numone|first|highly|high|highest|at the top)\b(?: \w+){{0,5}}? {_IF} (?:you|your program)"
            r"(?: \w+){0,3}? (?:offer|give|grant|extend|invite|interview)",
        ),
        (
            "if-you-interview-i-rank",
            rf"\b{_IF} (?:you|your program) {_W}{{0,3}}?(?:offer|give|grant|extend|invite"
            rf"|interview)\w*\b(?: \w+){{0,6}}? i (?:will|would|promise to|can|shall) {_W}{{0,2}}?rank",
        ),
        (
            "in-exchange-for-interview",
            r"\bin (?:exchange|return) for (?:\w+ ){0,2}?(?:interview|invitation|invite)"
            r"|\brank\w*\b(?: \w+){0,8}? in (?:exchange|return) for\b",
        ),
    ),
    Phrase.PROGRAM_CONDITIONAL_PROMISE: (
        (
            "if-you-rank-us-you-match",
            rf"\b{_IF} you {_W}{{0,4}}?(?:rank|list|put|place|commit|promise)\w*\b"
            rf"(?: \w+){{0,5}}? (?:you will|you are going to|you would|we will|we can"
            r"|we (?:promise|guarantee)|we would)"
            r"(?: \w+){0,6}? (?:match\w*|spot|position|place|contract|guarantee\w*|promise|rank you"
            r"|end up here)",
        ),
        (
            "rank-us-and-you-match",
            rf"\b(?:rank|list) {_W}{{0,2}}?{_US} {_W}{{0,3}}?{_TOP}\b(?: \w+){{0,3}}? and "
            r"(?:\w+ ){0,2}?(?:you will|you are going to|you would|we will|we can)"
            r"(?: \w+){0,4}? (?:match|spot|position)",
        ),
        (
            "we-guarantee-if-you-rank",
            rf"\b(?:we|i) (?:can|will|could|would) {_W}{{0,2}}?(?:guarantee|promise|assure"
            rf"|ensure)\b(?: \w+){{0,8}}? {_IF} you {_W}{{0,3}}?(?:rank|commit|promise)",
        ),
        (
            "you-match-if-you-rank",
            rf"\byou (?:will|are going to|would) (?:\w+ ){{0,3}}?match\w*\b(?: \w+){{0,4}}?"
            rf" {_IF} you {_W}{{0,3}}?(?:rank|list|commit|promise)",
        ),
    ),
    Phrase.PROGRAM_ASKS_RANK: (
        (
            "where-will-you-rank-us",
            rf"\b(?:where|how high|how highly|how) {_W}{{0,2}}?(?:will|would|do|are|did|"
            rf"have|plan to) you {_W}{{0,3}}?rank(?:ing|ed)? {_US}",
        ),
        (
            "will-you-rank-us-first",
            rf"\b(?:will|would|are|can|could) you {_W}{{0,3}}?rank(?:ing)? {_US} {_W}{{0,2}}?"
            r"(?:numone|first|highest|at the top)\b",
        ),
        (
            "are-we-your-numone",
            r"\b(?:are we|is our program|is this program) (?:\w+ ){0,2}?(?:your numone"
            r"|numone on your|at the top of your|first on your)",
        ),
        (
            "reveal-rank",
            r"\b(?:tell|share|let us know|inform us|confirm|disclose|reveal|send)\b(?: \w+){0,5}? "
            r"(?:where you (?:\w+ ){0,3}?rank|your rank (?:order )?list|how you (?:\w+ ){0,2}?rank"
            r"|(?:that )?you (?:will|plan to|intend to|are going to) rank)",
        ),
        (
            "commit-to-us",
            r"\b(?:need|want|ask|require|expect|would like|like) (?:you |candidates |applicants )?to "
            r"(?:\w+ ){0,2}?(?:commit|promise)\b"
            r"|\b(?:commit|promise) (?:to rank\w* us|to our program|to us)\b",
        ),
    ),
    Phrase.THANKS_FOR_INTERVIEW: (
        (
            "thank-you-for-interview",
            r"\bthank(?:s| you)\b(?: \w+){0,5}? (?:for|on) (?:\w+ ){0,6}?(?:interview\w*|"
            r"hosting|meeting|speaking|conversation|visit|tour|time with me|chance to meet)",
        ),
        (
            "grateful-for-interview",
            r"\b(?:grateful|thankful|appreciative|appreciate) (?:\w+ ){0,6}?"
            r"(?:interview\w*|conversation|meeting|visit)",
        ),
        (
            "enjoyed-interview",
            r"\b(?:enjoyed|pleasure) (?:\w+ ){0,4}?(?:meeting|to meet|speaking|interview\w*|visit)",
        ),
    ),
    Phrase.UPDATE: (
        (
            "since-applying",
            r"\b(?:since|after) (?:i )?(?:submitt\w*|applying|applied|my (?:eras )?application"
            r"|my interview)\b",
        ),
        (
            "recently-did",
            r"\bi (?:have )?(?:recently|just) (?:\w+ ){0,1}?(?:received|completed|published|presented"
            r"|passed|finished|been accepted|had|co authored|coauthored|started|earned|matched|submitted)",
        ),
        ("new-score", r"\bmy (?:usmle )?step 2 (?:ck )?(?:score|result)|\bscored \d{3}\b"),
        (
            "accepted-for",
            r"\b(?:accepted|selected) (?:for|as) (?:\w+ ){0,2}?(?:publication|presentation|poster|oral)",
        ),
        (
            "want-to-update",
            r"\b(?:wanted|would like|want|writing) to (?:\w+ ){0,2}?(?:update|share (?:an|some|a) "
            r"(?:\w+ )?(?:update|news))|\b(?:an|a brief|a quick|a short) update\b",
        ),
    ),
    Phrase.QUESTION: (
        (
            "could-you-clarify",
            r"\b(?:could|can|would) you (?:please )?(?:\w+ ){0,2}?(?:clarify|tell me|let me know"
            r"|share|confirm|explain|advise)",
        ),
        ("i-was-wondering", r"\bi (?:was|am) wondering (?:if|whether|how|what|when)"),
    ),
    Phrase.CONNECTION: (
        (
            "connection",
            r"\b(?:rotat\w*|elective|sub internship|subinternship|observership|externship|research\w* "
            r"with|worked with|grew up|family|spouse|partner|husband|wife|parents|hometown"
            r"|born and raised|ties to"
            r"|connection|alumn\w*|military|relocat\w*|lived in|moving to|return to|returning to)\b",
        ),
    ),
}
_COMPILED = {k: tuple((name, re.compile(p)) for name, p in v) for k, v in _PATTERNS.items()}
_HEDGE_RE = re.compile(rf"\b{_HEDGE}\b")
_SPECIALTY_SUBJECT = re.compile(
    r"\b(?:pm r|pmr|physiatry|physical medicine|rehabilitation|specialty|field)\b(?: \w+){0,3}? "
    r"(?:is|was|has been|has always been|remains|became) (?:\w+ ){0,2}?my\b"
)


def find(phrase: Phrase, text: str) -> tuple[Hit, ...]:
    """Every sentence of ``text`` that says ``phrase`` (at most one hit per sentence)."""
    hits = []
    for sentence in sentences(text):
        name = _match(phrase, sentence)
        if name is not None:
            hits.append(Hit(phrase, sentence.text, name))
    return tuple(hits)


def has(phrase: Phrase, text: str) -> bool:
    """True when any sentence of ``text`` says ``phrase``."""
    return any(_match(phrase, s) is not None for s in sentences(text))


def _match(phrase: Phrase, sentence: Sentence) -> str | None:
    if phrase is Phrase.QUESTION and sentence.question:
        return "question-mark"
    if phrase is Phrase.PROGRAM_NEAR_PROMISE:
        name = _first_pattern(Phrase.PROGRAM_CONDITIONAL_PROMISE, sentence.text)
        return name if name is not None and _HEDGE_RE.search(sentence.text) else None
    name = _first_pattern(phrase, sentence.text)
    if name is None:
        return None
    if phrase is Phrase.PROGRAM_CONDITIONAL_PROMISE and _HEDGE_RE.search(sentence.text):
        return None  # hedged: reported as a near-promise instead
    if phrase is Phrase.PROGRAM_ASKS_RANK and _first_pattern(
        Phrase.PROGRAM_CONDITIONAL_PROMISE, sentence.text
    ):
        return None  # "if you promise to rank us first, you match" is reported once, as a promise
    if phrase is Phrase.NUMBER_ONE_CLAIM and _SPECIALTY_SUBJECT.search(sentence.text):
        return None  # "PM&R has always been my first choice" is about the specialty, not a program
    return name


def _first_pattern(phrase: Phrase, text: str) -> str | None:
    return next((name for name, pattern in _COMPILED.get(phrase, ()) if pattern.search(text)), None)
