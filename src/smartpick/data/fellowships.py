"""Loaders of the bundled fellowship data, validated on read.

Tracks come from ``fellowships.toml``, programs from ``fellowship_programs.toml``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from smartpick.data import bundled_catalogue
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.fellowship.programs import FellowshipProgram, FellowshipPrograms
from smartpick.domain.fellowship.tracks import FellowshipData, Route
from smartpick.domain.provenance import Fact
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, InputErrors

FELLOWSHIPS_FILE = "fellowships.toml"
PROGRAMS_FILE = "fellowship_programs.toml"


@lru_cache(maxsize=1)
def bundled_fellowships() -> FellowshipData:
    """The fellowship track data shipped with this version; a bad file raises `InputErrors` naming the key."""
    text = resources.files(__package__).joinpath(FELLOWSHIPS_FILE).read_text(encoding="utf-8")
    return parse_model(FellowshipData, tomllib.loads(text), source=FELLOWSHIPS_FILE)


@lru_cache(maxsize=1)
def bundled_fellowship_programs() -> FellowshipPrograms:
    """The fellowship programs shipped with this version (city and state resolved, every value checked)."""
    text = resources.files(__package__).joinpath(PROGRAMS_FILE).read_text(encoding="utf-8")
    return load_fellowship_programs(
        tomllib.loads(text), bundled_catalogue(), bundled_fellowships(), source=PROGRAMS_FILE
    )


def load_fellowship_programs(
    doc: dict[str, Any], catalogue: Catalogue, tracks: FellowshipData, *, source: str
) -> FellowshipPrograms:
    """Validate a fellowship program document and fill what the linked data gives.

    A missing city or state comes from the linked residency; a missing route is the track's usual
    route, labelled as an estimate.

    Raises:
        InputErrors: a bad value, an unknown residency id, or a program whose city or state stays unknown.
    """
    errors: list[InputError] = []
    programs = doc.get("program")
    if isinstance(programs, list):
        doc = {
            **doc,
            "program": [_with_place(p, i, catalogue, errors, source) for i, p in enumerate(programs)],
        }
    if errors:
        raise InputErrors(errors, source=source)
    result = parse_model(FellowshipPrograms, doc, source=source)
    missing = [
        InputError(
            f"program[{i}].{key}", None, "a sourced value, or a `residency` in the catalogue", source=source
        )
        for i, p in enumerate(result.program)
        for key in ("city", "state")
        if getattr(p, key).value is None
    ]
    if missing:
        raise InputErrors(missing, source=source)
    return result.model_copy(update={"program": tuple(_with_route(p, tracks) for p in result.program)})


def _with_route(program: FellowshipProgram, tracks: FellowshipData) -> FellowshipProgram:
    if program.route.value is not None:
        return program
    track = tracks.get(program.track)
    rule = (
        f"the usual route of {track.name.lower()} fellowships ({track.route.provenance}); "
        "the program's page does not say"
    )
    return program.model_copy(update={"route": Fact[Route](value=track.route.value, estimate=rule)})


def _with_place(program: Any, i: int, catalogue: Catalogue, errors: list[InputError], source: str) -> Any:
    if not isinstance(program, dict) or not program.get("residency"):
        return program
    residency = catalogue.get(str(program["residency"]))
    if residency is None:
        errors.append(
            InputError(
                f"program[{i}].residency",
                program["residency"],
                "a program id of the catalogue",
                source=source,
            )
        )
        return program
    out = dict(program)
    for key in ("city", "state"):
        fact = getattr(residency, key)
        if key not in out and fact.value is not None:
            provenance = {"source": fact.source} if fact.source else {"estimate": fact.estimate}
            out[key] = {
                "value": fact.value,
                **provenance,
                "note": f"{key} of the sponsoring department's PM&R residency ({residency.name})",
            }
    return out
