"""Rank-list use-cases: read ``ranklist.toml`` and ``rank-preferences.toml``, build, check and estimate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomli_w
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
from smartpick.errors import InputError, InputErrors
from smartpick.services import tracker as tracker_svc
from smartpick.services.files import load_model
from smartpick.services.market import market_tables
from smartpick.services.profiles import load_profile

_CATALOGUE_ID = "a catalogue program id (see `smartpick programs search`)"


@dataclass(frozen=True)
class RankReport:
    """A rank list with its checks and its probability of matching."""

    rank_list: RankList
    problems: tuple[Problem, ...]
    estimate: MatchEstimate


def load_rank_list(path: Path, catalogue: Catalogue) -> RankList:
    """Read ``ranklist.toml``; every ranked program must be in the catalogue (PGY-1 ids may be anything)."""
    rank_list = load_model(RankList, path)
    errors = [
        InputError(f"rank[{n}].program", e.program, _CATALOGUE_ID, source=str(path))
        for n, e in enumerate(rank_list.rank)
        if catalogue.get(e.program) is None
    ]
    errors += duplicate_errors([e.program for e in rank_list.rank], catalogue, "rank[{}].program", str(path))
    if errors:
        raise InputErrors(errors, source=str(path))
    return rank_list


def load_preferences(path: Path, catalogue: Catalogue) -> RankPreferences:
    """Read ``rank-preferences.toml``; every [[program]] id must be in the catalogue."""
    prefs = load_model(RankPreferences, path)
    errors = [
        InputError(f"program[{n}].id", p.id, _CATALOGUE_ID, source=str(path))
        for n, p in enumerate(prefs.program)
        if catalogue.get(p.id) is None
    ]
    errors += duplicate_errors([p.id for p in prefs.program], catalogue, "program[{}].id", str(path))
    if errors:
        raise InputErrors(errors, source=str(path))
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


def rank_one(path: Path | None, catalogue: Catalogue) -> str | None:
    """Catalogue id of the #1 program of a rank list file, if one is given."""
    if path is None:
        return None
    first = load_rank_list(path, catalogue).rank[0].program
    found = catalogue.get(first)
    return found.id if found else first


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
    by_id = {_cid(e.program, catalogue): e.program for e in rank_list.rank}
    ids = dict.fromkeys(_cid(ref, catalogue) for ref in log.interviewed_programs())
    return tuple(by_id.get(i, i) for i in ids)


def _cid(ref: str, catalogue: Catalogue) -> str:
    found = catalogue.get(ref)
    return found.id if found else ref


def _interview_log(log_path: Path | None, session: Session, catalogue: Catalogue) -> CommunicationLog:
    if log_path is not None:
        return tracker_svc.read_log_file(log_path, catalogue)
    return tracker_svc.stored_log(session)


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
    parts = []
    for entry in rank_list.rank:
        doc = entry.model_dump(mode="python", exclude_defaults=True)
        parts.append(
            "[[rank]]\n" + tomli_w.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in doc.items()})
        )
    return "\n".join(parts)
