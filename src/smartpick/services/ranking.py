"""Rank-list use-cases: read ``ranklist.toml`` and ``rank-preferences.toml``, build, check and estimate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from smartpick.data.figures import bundled_figures
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.ranking import (
    Chance,
    ChanceOf,
    MatchEstimate,
    Problem,
    RankList,
    RankPreferences,
    build_rank_list,
    check_rank_list,
    match_probability,
    same_program_twice,
)
from smartpick.domain.communication.tracker import CommunicationLog
from smartpick.domain.market import chances as market_chances
from smartpick.domain.market.build import plain_profile
from smartpick.domain.market.chances import ApplicantInMarket
from smartpick.domain.profile.applicant import ApplicantType, Profile
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, InputErrors
from smartpick.present.toml import array_of_tables
from smartpick.services import tracker as tracker_svc
from smartpick.services.files import load_model
from smartpick.services.market import market_tables
from smartpick.services.profiles import load_profile
from smartpick.store import rank_preferences as prefs_store

_CATALOGUE_ID = "a catalogue program id (see `smartpick programs search`)"


@dataclass(frozen=True)
class RankReport:
    """A rank list with its checks and its probability of matching."""

    rank_list: RankList
    problems: tuple[Problem, ...]
    estimate: MatchEstimate


def load_rank_list(path: Path, catalogue: Catalogue) -> RankList:
    """Read ``ranklist.toml``; every ranked program must be in the catalogue (PGY-1 ids may be anything)."""
    return check_rank_list_refs(load_model(RankList, path), catalogue, source=str(path))


def check_rank_list_refs(
    rank_list: RankList,
    catalogue: Catalogue,
    *,
    prefix: str = "",
    source: str | None = None,
    allowed: str = _CATALOGUE_ID,
) -> RankList:
    """A rank list whose ranked programs are catalogue programs, each ranked once.

    Raises:
        InputErrors: every unknown or repeated program (fields named ``{prefix}rank[n].program``).
    """
    field = prefix + "rank[{}].program"
    errors = [
        InputError(field.format(n), e.program, allowed, source=source)
        for n, e in enumerate(rank_list.rank)
        if catalogue.get(e.program) is None
    ]
    errors += duplicate_errors([e.program for e in rank_list.rank], catalogue, field, source)
    if errors:
        raise InputErrors(errors, source=source)
    return rank_list


def load_preferences(path: Path, catalogue: Catalogue) -> RankPreferences:
    """Read ``rank-preferences.toml``; every [[program]] id must be in the catalogue."""
    return check_preferences(load_model(RankPreferences, path), catalogue, source=str(path))


def check_preferences(
    prefs: RankPreferences, catalogue: Catalogue, *, source: str | None = None, allowed: str = _CATALOGUE_ID
) -> RankPreferences:
    """Preferences whose [[program]] ids are catalogue programs, each listed once.

    Raises:
        InputErrors: every unknown or repeated program (``allowed`` says what a program id may be).
    """
    errors = [
        InputError(f"program[{n}].id", p.id, allowed, source=source)
        for n, p in enumerate(prefs.program)
        if catalogue.get(p.id) is None
    ]
    errors += duplicate_errors([p.id for p in prefs.program], catalogue, "program[{}].id", source)
    if errors:
        raise InputErrors(errors, source=source)
    return prefs


def duplicate_errors(
    refs: list[str], catalogue: Catalogue, field: str, source: str | None = None
) -> list[InputError]:
    """One error per reference that names a program already listed under another id (never counted twice)."""
    out = []
    for first, again in same_program_twice(refs, catalogue):
        program = catalogue.get(refs[again])
        name = program.name if program else refs[again]
        allowed = f"each program once ({name} is already listed as {refs[first]})"
        out.append(InputError(field.format(again), refs[again], allowed, source=source))
    return out


def first_ranked(rank_list: RankList, catalogue: Catalogue) -> str:
    """Catalogue id of a rank list's #1 program (as listed when it is not in the catalogue)."""
    first = rank_list.rank[0].program
    found = catalogue.get(first)
    return found.id if found else first


def rank_one(path: Path | None, catalogue: Catalogue) -> str | None:
    """Catalogue id of the #1 program of a rank list file, if one is given."""
    return first_ranked(load_rank_list(path, catalogue), catalogue) if path is not None else None


def preferences_document(session: Session, owner_id: int | None) -> dict[str, Any] | None:
    """The owner's stored ``rank-preferences`` document as stored, if any."""
    return prefs_store.rank_preferences(session=session, owner_id=owner_id)


def stored_preferences(session: Session, owner_id: int | None) -> RankPreferences | None:
    """The owner's stored rank preferences (``None`` when none, or when they no longer validate)."""
    document = preferences_document(session, owner_id)
    if document is None:
        return None
    try:
        return parse_model(RankPreferences, document)
    except (InputError, InputErrors):
        return None


def stored_rank_list(session: Session, owner_id: int | None, catalogue: Catalogue) -> RankList | None:
    """The rank list built from the owner's stored preferences, if it can be built."""
    prefs = stored_preferences(session, owner_id)
    if prefs is None:
        return None
    try:
        return build_rank_list(prefs, catalogue)
    except (InputError, ValueError):  # preferences stored before a rule tightened
        return None


def stored_rank_one(session: Session, owner_id: int | None, catalogue: Catalogue) -> str | None:
    """Catalogue id of the owner's #1 ranked program, when a rank list can be built."""
    ranked = stored_rank_list(session, owner_id, catalogue)
    return first_ranked(ranked, catalogue) if ranked is not None else None


def save_preferences(
    session: Session, owner_id: int | None, catalogue: Catalogue, document: dict[str, Any], allowed: str
) -> RankList:
    """Validate and store the owner's preferences; returns the list they build.

    Raises:
        InputErrors: the preferences do not validate, name programs outside the catalogue, or contradict
            themselves.
    """
    parsed = parse_model(RankPreferences, document, source="preferences")
    prefs = check_preferences(parsed, catalogue, allowed=allowed)
    rank_list = build_rank_list(prefs, catalogue)
    stored = prefs.model_dump(mode="json", exclude_none=True)
    prefs_store.save_rank_preferences(session=session, owner_id=owner_id, document=stored)
    return rank_list


def stored_report(
    session: Session, owner_id: int | None, catalogue: Catalogue, profile: Profile | None
) -> RankReport | None:
    """The owner's rank list with its checks and probability, when stored preferences build one."""
    prefs = stored_preferences(session, owner_id)
    rank_list = stored_rank_list(session, owner_id, catalogue)
    if prefs is None or rank_list is None:
        return None
    log = tracker_svc.stored_log(session, owner_id, catalogue)
    return report(rank_list, catalogue, prefs=prefs, log=log, profile=profile)


def chance_function(prefs: RankPreferences | None, profile: Profile | None, catalogue: Catalogue) -> ChanceOf:
    """Per-program chances for the rank list's P(match).

    The user's own estimate when given, else the market model's P(match | interviewed) at that program for
    this profile (without a profile: for a plain US MD applicant), else (a program outside the catalogue) the
    applicant's median over the catalogue. All are labelled estimates.
    """
    who = profile or plain_profile(ApplicantType.US_MD)
    odds = _market_odds(who, catalogue)
    whose = (
        "your profile"
        if profile is not None
        else "a US MD applicant with no other details (no profile given)"
    )
    median = float(sorted(odds.values())[len(odds) // 2]) if odds else 0.5

    def chance_of(ref: str) -> Chance:
        pref = prefs.get(ref) if prefs else None
        if pref is not None and pref.chance is not None:
            return Chance(pref.chance, "your estimate (rank-preferences.toml)", True)
        program = catalogue.get(ref)
        if program is not None and program.id in odds:
            return Chance(
                round(odds[program.id], 3),
                f"SmartPick market model: P(match | interviewed) there for {whose}",
                True,
            )
        return Chance(
            round(median, 3),
            f"SmartPick market model: median P(match | interviewed) for {whose} "
            "(program not in the catalogue)",
            True,
        )

    return chance_of


def _market_odds(profile: Profile, catalogue: Catalogue) -> dict[str, float]:
    if not catalogue.programs:
        return {}
    applicant = ApplicantInMarket.of(profile, catalogue.programs, bundled_figures())
    chances = market_chances.program_chances(applicant, market_tables(catalogue))
    return {c.program_id: c.p_match_if_interviewed for c in chances}


def interviewed(
    rank_list: RankList, log: CommunicationLog | None, catalogue: Catalogue
) -> tuple[str, ...] | None:
    """Interviewed programs, named as the rank list names them (``None`` when no interviews are known)."""
    if log is None or not log.interviewed_programs():
        return None
    by_id = {catalogue_id(e.program, catalogue): e.program for e in rank_list.rank}
    ids = dict.fromkeys(catalogue_id(ref, catalogue) for ref in log.interviewed_programs())
    return tuple(by_id.get(i, i) for i in ids)


def catalogue_id(ref: str, catalogue: Catalogue) -> str:
    """The catalogue id of a program reference (the reference itself when not in the catalogue)."""
    found = catalogue.get(ref)
    return found.id if found else ref


def _interview_log(log_path: Path | None, session: Session, catalogue: Catalogue) -> CommunicationLog:
    if log_path is not None:
        return tracker_svc.read_log_file(log_path, catalogue)
    return tracker_svc.stored_log(session, None, catalogue)


def report(
    rank_list: RankList,
    catalogue: Catalogue,
    *,
    prefs: RankPreferences | None,
    log: CommunicationLog | None,
    profile: Profile | None,
) -> RankReport:
    """Checks and probability for a rank list."""
    problems = check_rank_list(
        rank_list, catalogue, prefs=prefs, interviewed=interviewed(rank_list, log, catalogue)
    )
    estimate = match_probability(rank_list, chance_function(prefs, profile, catalogue))
    return RankReport(rank_list, problems, estimate)


def build(
    prefs_path: Path,
    session: Session,
    catalogue: Catalogue,
    *,
    log_path: Path | None,
    profile_path: Path | None,
) -> RankReport:
    """Build the list in true preference order from a preferences file, then check it."""
    prefs = load_preferences(prefs_path, catalogue)
    profile = load_profile(profile_path, catalogue) if profile_path else None
    rank_list = build_rank_list(prefs, catalogue)
    log = _interview_log(log_path, session, catalogue)
    return report(rank_list, catalogue, prefs=prefs, log=log, profile=profile)


def check(
    rank_list_path: Path,
    session: Session,
    catalogue: Catalogue,
    *,
    prefs_path: Path | None,
    log_path: Path | None,
    profile_path: Path | None,
) -> RankReport:
    """Check an existing ``ranklist.toml`` and estimate its probability of matching."""
    rank_list = load_rank_list(rank_list_path, catalogue)
    prefs = load_preferences(prefs_path, catalogue) if prefs_path else None
    profile = load_profile(profile_path, catalogue) if profile_path else None
    log = _interview_log(log_path, session, catalogue)
    return report(rank_list, catalogue, prefs=prefs, log=log, profile=profile)


def rank_list_to_toml(rank_list: RankList) -> str:
    """The list as ``ranklist.toml`` text (``[[rank]]`` tables, FORMATS.md)."""
    return array_of_tables(
        {"rank": [e.model_dump(mode="python", exclude_defaults=True) for e in rank_list.rank]}
    )
