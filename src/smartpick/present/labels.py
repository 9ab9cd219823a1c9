"""One vocabulary for users, shared by the CLI and the web app.

Every enum value, figure source and program reference a user reads goes through here: ``label`` turns an enum
spelling into words, ``cite`` names a guide by its title and address, ``program_label`` names a program (its
id only
beside the name), and ``plain`` is the last pass over any sentence before it is shown (plurals for counts,
guides by
title, enum spellings in words). Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Article:
    """A published guide behind SmartPick's advice."""

    key: str
    title: str
    url: str

    def citation(self) -> str:
        """The article as a reader finds it: publisher, title and address."""
        return f'Residency Advisor, "{self.title}", {self.url}'


ARTICLES: dict[str, Article] = {
    a.key: a
    for a in (
        Article(
            "000",
            "Ultimate Guide for US Citizen IMG Fellowship Prep in PM&R Residency",
            "https://residencyadvisor.com/resources/fellowship-application-guide/"
            "us-citizen-img-fellowship-preparation-pmr-residency",
        ),
        Article(
            "001",
            "Essential Guide for IMGs: Maximize Your Away Rotations in PM&R Residency",
            "https://residencyadvisor.com/resources/best-clerkships-match/img-residency-guide-away-rotations-pmr",
        ),
        Article(
            "002",
            "Essential Step Score Strategy for US Citizen IMGs in PM&R Residency",
            "https://residencyadvisor.com/resources/low-step-score-strategies/"
            "step-score-strategy-us-citizen-imgs-pmr-residency",
        ),
        Article(
            "003",
            "Essential Guide to Pre-Match Communication for US Citizen IMGs in PM&R",
            "https://residencyadvisor.com/resources/pre-match-offers/"
            "prematch-communication-us-citizen-img-pmr-residency-guide",
        ),
    )
}

# Sections of the project's research notes, named by the public sources they summarise.
_RESEARCH_SECTIONS = {
    "1.2": "FREIDA and existing program-finder tools",
    "2.1": "NRMP Main Residency Match results",
    "2.2": "NRMP Charting Outcomes in the Match",
    "2.3": "AAMC ERAS statistics and application advice",
    "2.4": "AAMC ERAS fee schedule",
    "2.5": "AAMC ERAS and NRMP published calendars",
    "2.6": "NRMP matching algorithm description",
    "3.4": "ACGME subspecialty list and AAPM&R fellowship resources",
}

ENUM_LABELS: dict[str, str] = {
    "us_md": "US MD graduate",
    "us_do": "US DO graduate",
    "us_img": "US-citizen IMG",
    "non_us_img": "non-US IMG",
    "hands_on": "hands-on",
    "pmr": "PM&R (physiatry)",
    "university_affiliated": "university-affiliated",
    "sci": "spinal cord injury",
    "tbi": "brain injury",
    "msk": "musculoskeletal",
    "peds": "pediatrics",
    "emg": "EMG",
    "va": "VA care",
    "vslo": "VSLO",
    "thank_you": "thank-you note",
    "pre_interview": "pre-interview message",
    "test_as_planned": "test on the planned date",
    "test_asap": "test as soon as possible",
    "move_earlier": "move the test earlier",
    "no_practice": "no practice tests yet",
    "on_track": "on track",
    "eras_nrmp": "ERAS and the NRMP Match",
    "other_match": "a separate match (not the NRMP)",
    "non_acgme": "not ACGME-accredited",
    "acgme": "ACGME-accredited",
    "very_high": "very high",
    "brain_injury": "brain injury medicine",
    "cancer_rehab": "cancer rehabilitation",
    "spine_msk": "interventional spine and musculoskeletal medicine",
    "peds_rehab": "pediatric rehabilitation",
    "hospice_palliative": "hospice and palliative medicine",
    "family_medicine": "family medicine",
    "internal_medicine": "internal medicine",
    "case_report": "case report",
    "case_series": "case series",
    "quality_improvement": "quality improvement",
    "event_coverage": "event coverage",
    "senior_resident": "senior resident",
    "pd": "program director",
    "match_rate_us_md": "match rate, US MD seniors",
    "match_rate_us_do": "match rate, US DO seniors",
    "match_rate_us_img": "match rate, US-citizen IMGs",
    "match_rate_non_us_img": "match rate, non-US IMGs",
    "fill_rate": "share of positions filled",
    "ranks_matched_us_md": "programs ranked by matched US MD seniors",
    "step2_gap_us_md": "Step 2 CK gap, matched minus unmatched US MD seniors",
    "us_md_share_of_matched": "US MD seniors' share of matched applicants",
    "rank_list_gap_us_md": "rank-list length gap, matched minus unmatched US MD seniors",
    "holdout": "held out",
    "apd": "associate program director",
    "forbidden_ask": "forbidden request",
    "number_one_claim": "claim to rank a program first",
    "program_asks_rank": "program asks how you rank it",
    "program_conditional_promise": "program's conditional promise",
    "program_near_promise": "program's near-promise",
    "program_statement": "program statement",
    "thanks_for_interview": "thanks for the interview",
    "eras_opens": "ERAS opens",
    "eras_submission_opens": "ERAS submission opens",
    "interviews_start": "interviews start",
    "interviews_end": "interviews end",
    "match_day": "Match Day",
    "match_week_starts": "Match Week starts",
    "nrmp_late_fee": "NRMP late fee starts",
    "nrmp_registration_opens": "NRMP registration opens",
    "programs_review": "programs start reviewing",
    "ranking_opens": "rank-list entry opens",
    "rol_deadline": "rank-list deadline",
}


def label(value: object) -> str:
    """Words for an enum value or spelling (``us_img`` -> "US-citizen IMG"); other text is returned as is."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text in ENUM_LABELS:
        return ENUM_LABELS[text]
    if re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)+", text):
        return text.replace("_", " ")
    return text


def program_label(name: str | None, program_id: str, *, with_id: bool = False) -> str:
    """A program by name; its id only as a suffix when asked (CLI inputs take ids) or when unknown."""
    if not name:
        return f"program {program_id} (not in the catalogue)"
    return f"{name} ({program_id})" if with_id else name


_ID_TOKEN = re.compile(r"(?<![\w/.#=-])[0-9A-Za-z][0-9A-Za-z_-]*(?![\w/-])")


def name_programs(text: str, names: Mapping[str, str], *, context: str = "") -> str:
    """Program ids in a sentence shown with their names: "1147340" -> "Rush University ... PM&R (1147340)".

    An id already beside its name (in ``text`` or ``context``, e.g. the rest of a table row) is left alone.
    """
    if not text or not names:
        return text

    def one(match: re.Match[str]) -> str:
        pid = match.group(0)
        name = names.get(pid)
        if name is None or name in text or name in context:
            return pid
        return f"{name} ({pid})"

    return _ID_TOKEN.sub(one, text)


def cite(source: str) -> str:
    """A source reference in words: internal article and notes references become titles and addresses."""
    return plain(source)


_ARTICLE_REF = re.compile(
    r"(?:shared/)?seeds?[/ _]?(0\d\d)(?:_[0-9a-f]+(?:\.txt)?)?(?:\s+FAQ\s*\d+)?",
    re.IGNORECASE,
)
_ARTICLE_SOURCE = re.compile(r"Source article (0\d\d) \(shared/seeds\):[^<\n]*")
_RESEARCH_REF = re.compile(r"(?:shared/data/)?(?:PUBLIC_FIGURES(?:\.md)?|PF) ?§ ?(\d\.\d)( gap)?")
_PLURAL = re.compile(r"\b([A-Za-z-]+)\(s\)")
_NUMBER_BEFORE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s+(?:[^\s\d(]+\s+){0,4}$")
_SPELLING = re.compile(r"(?<![\w/.=\"'-])[a-z0-9]+(?:_[a-z0-9]+)+(?![\w/=\"'-])")


def _article(match: re.Match[str]) -> str:
    art = ARTICLES.get(match.group(1))
    return art.citation() if art else "Residency Advisor guide"


def _research(match: re.Match[str]) -> str:
    name = _RESEARCH_SECTIONS.get(match.group(1), "published NRMP and AAMC data")
    return f"no public figure found in {name}" if match.group(2) else name


def _plural(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        word = match.group(1)
        before = _NUMBER_BEFORE.search(text[: match.start()])
        if before and before.group(1) in ("1", "1.0"):
            return word
        if word.endswith("y") and word[-2:-1] not in "aeiou":
            return word[:-1] + "ies"
        return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")

    return _PLURAL.sub(one, text)


def plain(text: str) -> str:
    """The last pass over a sentence shown to a user.

    Guides are named by title and address, research-note sections by the public data they summarise,
    ``word(s)``
    agrees with its count, and enum spellings become words. Text without any of these is returned unchanged.
    """
    if not text:
        return text
    text = _ARTICLE_SOURCE.sub(
        lambda m: ARTICLES[m.group(1)].title if m.group(1) in ARTICLES else m.group(0), text
    )
    text = _ARTICLE_REF.sub(_article, text)
    text = _RESEARCH_REF.sub(_research, text)
    if "(s)" in text:
        text = _plural(text)
    if "_" in text:
        text = _SPELLING.sub(lambda m: ENUM_LABELS.get(m.group(0), m.group(0)), text)
    return text
