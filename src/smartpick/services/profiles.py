"""Load, check and summarise applicant profiles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.profile.as_of import check_as_of
from smartpick.domain.profile.standing import Standing, assess
from smartpick.errors import InputError, InputErrors
from smartpick.services.files import load_model

PROFILE_NAME_MAX = 100


def check_profile_name(name: str) -> str:
    """A stored profile's name, trimmed.

    Raises:
        InputError: empty, longer than 100 characters, or with control characters.
    """
    clean = name.strip()
    if not clean or len(clean) > PROFILE_NAME_MAX or any(ord(c) < 32 or ord(c) == 127 for c in clean):
        raise InputError("--name", name, f"1 to {PROFILE_NAME_MAX} printable characters")
    return clean


def load_profile(path: Path, catalogue: Catalogue, today: dt.date | None = None) -> Profile:
    """Read ``profile.toml``, validate it, and check its program references against the catalogue.

    Practice tests must be dated on or before ``today`` (default: the current UTC date).
    """
    profile = load_model(Profile, path)
    check_references(profile, catalogue, source=str(path))
    return check_as_of(profile, today or current_date(), source=str(path))


def current_date() -> dt.date:
    """Today's date in UTC: what "today" means when no ``--today`` is given."""
    return dt.datetime.now(dt.UTC).date()


def check_references(profile: Profile, catalogue: Catalogue, *, source: str | None = None) -> None:
    """Every rotation's ``program`` must be a catalogue id (or use ``site`` for others)."""
    errors = [
        InputError(
            f"rotations[{i}].program",
            r.program,
            'a catalogue program id (see `smartpick programs search`), or use `site = "name"`',
            source=source,
        )
        for i, r in enumerate(profile.rotations)
        if r.program is not None and catalogue.get(r.program) is None
    ]
    if errors:
        raise InputErrors(errors, source=source)


def check_profile(path: Path, catalogue: Catalogue) -> tuple[Profile, Standing]:
    """Validate a profile file and assess it."""
    profile = load_profile(path, catalogue)
    return profile, assess(profile)
