"""How the web reads a program reference typed into a tracker or rank-list form (kept under its catalogue id).

Everything else about the tracker is a use-case of ``smartpick.services.tracker`` (owner-aware).
"""

from __future__ import annotations

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.errors import InputError

PROGRAM_ALLOWED = "a catalogue program id, ACGME number or NRMP code (see Programs)"


def program_id(ref: str, catalogue: Catalogue, field: str = "program") -> str:
    """The catalogue id of a program reference (stored canonical, so checks see one program once).

    Raises:
        InputError: not a catalogue program.
    """
    found = catalogue.get(ref.strip()) if ref.strip() else None
    if found is None:
        raise InputError(field, ref, PROGRAM_ALLOWED)
    return found.id
