"""Communication use-cases: check a log against the NRMP rules, and write drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue, Program
from smartpick.domain.communication.drafts import Draft, DraftKind, draft_message
from smartpick.domain.communication.messages import Finding, check_log
from smartpick.domain.communication.tracker import CommunicationLog
from smartpick.domain.profile.applicant import Profile, Rotation
from smartpick.errors import NotFoundError
from smartpick.services import ranking as ranking_svc
from smartpick.services import tracker as tracker_svc
from smartpick.services.profiles import load_profile


def load_log(path: Path | None, session: Session, catalogue: Catalogue) -> CommunicationLog:
    """The log from a file, or the tracker's stored log; program references become catalogue ids."""
    log = (
        tracker_svc.read_log_file(path, catalogue, strict=False)
        if path
        else tracker_svc.stored_log(session, None, catalogue)
    )
    return canonical(log, catalogue)


def canonical(log: CommunicationLog, catalogue: Catalogue) -> CommunicationLog:
    """The log with every program named by its catalogue id; two ids of one program become one entry."""
    return tracker_svc.canonical(log, catalogue)


def check_messages(
    session: Session,
    catalogue: Catalogue,
    *,
    log_path: Path | None,
    rank_list_path: Path | None,
    today: dt.date | None,
) -> tuple[Finding, ...]:
    """Findings for a log (file or stored), knowing the rank #1 when a rank list is given."""
    log = load_log(log_path, session, catalogue)
    return check_log(log, rank_one=ranking_svc.rank_one(rank_list_path, catalogue), today=today)


def stored_findings(
    session: Session, catalogue: Catalogue, owner_id: int | None, today: dt.date | None
) -> tuple[Finding, ...]:
    """Findings for the owner's stored log, knowing the rank #1 when the owner's rank list can be built."""
    log = tracker_svc.stored_log(session, owner_id, catalogue)
    return check_log(log, rank_one=ranking_svc.stored_rank_one(session, owner_id, catalogue), today=today)


def find_program(ref: str, catalogue: Catalogue) -> Program:
    """A catalogue program by id, ACGME number or NRMP code."""
    program = catalogue.get(ref)
    if program is None:
        raise NotFoundError(
            "--program", ref, "a catalogue id, ACGME number or NRMP code (try `programs search`)"
        )
    return program


def draft(
    session: Session,
    catalogue: Catalogue,
    kind: DraftKind,
    program_ref: str,
    *,
    profile_path: Path,
    rank_list_path: Path | None,
    log_path: Path | None,
    today: dt.date | None = None,
) -> Draft:
    """A draft for one program (or the reason a letter of intent is refused), written as of ``today``."""
    program = find_program(program_ref, catalogue)
    profile = load_profile(profile_path, catalogue)
    log = load_log(log_path, session, catalogue)
    top = ranking_svc.rank_one(rank_list_path, catalogue)
    return draft_for(kind, program, profile, catalogue, log=log, rank_one=top, today=today)


def draft_for(
    kind: DraftKind,
    program: Program,
    profile: Profile,
    catalogue: Catalogue,
    *,
    log: CommunicationLog,
    rank_one: str | None,
    today: dt.date | None,
) -> Draft:
    """A draft for one program from a profile and a log (canonical ids), as of ``today``."""
    refs = frozenset({program.id, *(t.code for t in program.tracks if t.code)})
    profile = profile.model_copy(
        update={"rotations": tuple(_canonical_rotation(r, catalogue) for r in profile.rotations)}
    )
    return draft_message(kind, program, profile, rank_one=rank_one, log=log, refs=refs, today=today)


def _canonical_rotation(rotation: Rotation, catalogue: Catalogue) -> Rotation:
    found = catalogue.get(rotation.program) if rotation.program else None
    return rotation.model_copy(update={"program": found.id}) if found else rotation
