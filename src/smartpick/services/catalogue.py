"""The catalogue in use: the bundled file plus facts the user imported into the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from smartpick.data import bundled_catalogue
from smartpick.data.facts import FactRow, apply_fact, read_fact_rows
from smartpick.domain.catalogue.geography import region_of
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.validation import to_input_errors
from smartpick.errors import InputErrors
from smartpick.store import facts as fact_store

REGION_SOURCE_KEY = "census_regions"


def current_catalogue(session: Session | None) -> Catalogue:
    """Bundled catalogue with every imported fact applied (bundled only when no session)."""
    base = bundled_catalogue()
    if session is None:
        return base
    rows = fact_store.imported_facts(session=session)
    return merge_facts(base, rows) if rows else base


def latest_import_id(session: Session) -> int:
    """The newest fact import's id (0 when none): a cheap key for caching the merged catalogue."""
    return fact_store.latest_fact_import_id(session=session)


def merge_facts(base: Catalogue, rows: list[FactRow], *, source: str | None = None) -> Catalogue:
    """Apply fact rows to a catalogue; new programs are created from their name/city/state/track rows."""
    doc = base.model_dump(mode="json", exclude_none=True)
    programs: dict[str, dict[str, Any]] = {p["id"]: p for p in doc["programs"]}
    for row in rows:
        prog = programs.setdefault(row.program_id, _blank(row.program_id))
        apply_fact(prog, row)
        if row.field == "state":
            _set_region(prog)
    doc["programs"] = list(programs.values())
    try:
        return Catalogue.model_validate(doc)
    except ValidationError as exc:
        raise InputErrors(to_input_errors(Catalogue, exc, source=source), source=source) from None


def _blank(pid: str) -> dict[str, Any]:
    return {"id": pid, "name": pid, "institution": pid, "aliases": [], "strengths": {}, "tracks": []}


def _set_region(prog: dict[str, Any]) -> None:
    state = (prog.get("state") or {}).get("value")
    region = region_of(state) if state else None
    prog["region"] = {"value": region.value, "source": REGION_SOURCE_KEY} if region else {"value": None}


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    filename: str
    rows: int
    programs: int
    new_programs: int
    import_id: int


def import_facts(path: Path, session: Session) -> ImportSummary:
    """Validate a CSV of facts and store it, all or nothing."""
    before = current_catalogue(session)
    known = frozenset(p.id for p in before.programs)
    rows = read_fact_rows(
        path,
        known_ids=known,
        source_keys=frozenset(before.sources),
        canonical=before.canonical_id,
        one_value_per_fact=True,
    )
    merge_facts(before, rows, source=str(path))
    import_id = fact_store.record_fact_import(session=session, filename=path.name, rows=rows)
    touched = {r.program_id for r in rows}
    return ImportSummary(path.name, len(rows), len(touched), len(touched - known), import_id)
