"""The public JSON contract of a match instance: parse and validate a plain ``dict``.

Shape (``supplemental``, ``track`` and ``couples`` optional; ``null`` in a couple's pair means that
member needs no position)::

    {"programs": [{"id": "P1", "capacity": 4, "rank": ["A1", "A7"], "track": "categorical"}],
     "applicants": [{"id": "A1", "rank": ["P3", "P1"], "supplemental": {"P3": ["T1", "T2"]}}],
     "couples": [{"members": ["A5", "A6"], "rank": [["P1", "P2"], ["P1", null]]}]}

Every problem raises :class:`InstanceError` with one line: the JSON path, the value found and what
is allowed, e.g. ``programs[0].capacity: got -1; expected an integer >= 0``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smartpick.domain.match.arrays import TRACK_NAMES

_TOP_KEYS = ({"programs", "applicants"}, {"couples"})
_PROGRAM_KEYS = ({"id", "capacity", "rank"}, {"track"})
_APPLICANT_KEYS = ({"id", "rank"}, {"supplemental"})
_COUPLE_KEYS = ({"members", "rank"}, set[str]())


class InstanceError(ValueError):
    """A match instance does not follow the JSON contract (message: path, value, what is allowed)."""


@dataclass(frozen=True)
class ProgramSpec:
    """One program (a track of a residency program) with its seats and ROL of applicant ids."""

    id: str
    capacity: int
    rank: tuple[str, ...]
    track: str = "categorical"


@dataclass(frozen=True)
class ApplicantSpec:
    """One single applicant: primary ROL and supplemental PGY-1 lists keyed by advanced program."""

    id: str
    rank: tuple[str, ...]
    supplemental: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class CoupleSpec:
    """Two applicants matching together: a ROL of program pairs (``None`` = no position)."""

    members: tuple[str, str]
    rank: tuple[tuple[str | None, str | None], ...]


@dataclass(frozen=True)
class MatchInstance:
    """A validated match instance (ids are unique, every reference resolves)."""

    programs: tuple[ProgramSpec, ...]
    applicants: tuple[ApplicantSpec, ...]
    couples: tuple[CoupleSpec, ...] = ()


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(path: str, value: Any, allowed: str, *, shown: str | None = None) -> InstanceError:
    if shown == "missing":
        return InstanceError(f"{path}: missing; expected {allowed}")
    return InstanceError(f"{path}: got {shown if shown is not None else _show(value)}; expected {allowed}")


def _one_of(ids: Sequence[str] | set[str], what: str) -> str:
    listed = sorted(ids)
    names = ", ".join(_show(i) for i in listed[:5]) + (", ..." if len(listed) > 5 else "")
    return f"{what} ({names})" if listed else f"{what} (there are none)"


def _object(value: Any, path: str, keys: tuple[set[str], set[str]]) -> Mapping[str, Any]:
    required, optional = keys
    if not isinstance(value, Mapping):
        raise _fail(path, value, f"an object with keys {sorted(required | optional)}")
    for key in value:
        if key not in required | optional:
            raise _fail(
                path, value, f"only keys {sorted(required | optional)}", shown=f"unknown key {_show(key)}"
            )
    for key in sorted(required):
        if key not in value:
            where = key if path == "$" else f"{path}.{key}"
            raise _fail(where, None, f"key {_show(key)} to be present", shown="missing")
    return value


def _list(value: Any, path: str, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, value, f"a list of {what}")
    return value


def _identifier(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, value, "a non-empty string id")
    return value


def _valid_ids(value: Any, known: set[str]) -> bool:
    """Fast check (C-level set operations) that ``value`` is a list of known, distinct ids."""
    if type(value) is not list:
        return False
    try:
        return len(set(value)) == len(value) and known.issuperset(value)
    except TypeError:  # an unhashable item: the slow path names it
        return False


def _references(value: Any, path: str, known: set[str], what: str) -> tuple[str, ...]:
    """Validate a list of ids: each known, none repeated."""
    if _valid_ids(value, known):
        return tuple(value)
    seen: set[str] = set()
    for i, item in enumerate(_list(value, path, f"{what} ids")):
        if not isinstance(item, str) or item not in known:
            raise _fail(f"{path}[{i}]", item, _one_of(known, f"a known {what} id"))
        if item in seen:
            raise _fail(f"{path}[{i}]", item, f"each {what} at most once", shown=f"{_show(item)} again")
        seen.add(item)
    return tuple(value)


def _unique(ids: list[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for path, identifier in ids:
        if identifier in seen:
            raise _fail(path, identifier, f"unique {what} ids", shown=f"{_show(identifier)} again")
        seen.add(identifier)


def _program_header(value: Any, path: str) -> tuple[str, int, str]:
    program = _object(value, path, _PROGRAM_KEYS)
    capacity = program["capacity"]
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise _fail(f"{path}.capacity", capacity, "an integer >= 0")
    track = program.get("track", "categorical")
    if track not in TRACK_NAMES:
        raise _fail(f"{path}.track", track, "one of " + ", ".join(_show(t) for t in TRACK_NAMES))
    return _identifier(program["id"], f"{path}.id"), capacity, track


@dataclass(frozen=True)
class _Programs:
    """Program ids and tracks, built once per instance so each applicant is checked in O(its lists)."""

    tracks: Mapping[str, str]
    ids: set[str]
    pgy1: set[str]


def _supplemental(
    value: Any, path: str, rank: tuple[str, ...], programs: _Programs
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise _fail(path, value, "an object mapping advanced program ids to lists of pgy1 program ids")
    if not value:
        return ()
    tracks, pgy1 = programs.tracks, programs.pgy1
    advanced = {p for p in rank if tracks[p] == "advanced"}
    lists = []
    for key, pgy1_list in value.items():
        if key in advanced and _valid_ids(pgy1_list, pgy1):
            lists.append((key, tuple(pgy1_list)))
            continue
        if key not in advanced:
            shown = f"key {_show(key)}" + (f" (track {tracks[key]})" if key in tracks else "")
            raise _fail(
                path, key, _one_of(advanced, "an advanced program on this applicant's rank"), shown=shown
            )
        item_path = f"{path}[{_show(key)}]"
        for i, item in enumerate(_list(pgy1_list, item_path, "pgy1 program ids")):
            if isinstance(item, str) and item in tracks and tracks[item] != "pgy1":
                raise _fail(
                    f"{item_path}[{i}]", item, "a pgy1 program", shown=f"{_show(item)} (track {tracks[item]})"
                )
        lists.append((key, _references(pgy1_list, item_path, pgy1, "pgy1 program")))
    return tuple(lists)


def _applicant(value: Any, path: str, programs: _Programs) -> ApplicantSpec:
    applicant = _object(value, path, _APPLICANT_KEYS)
    identifier = _identifier(applicant["id"], f"{path}.id")
    rank = _references(applicant["rank"], f"{path}.rank", programs.ids, "program")
    supplemental = _supplemental(applicant.get("supplemental", {}), f"{path}.supplemental", rank, programs)
    return ApplicantSpec(identifier, rank, supplemental)


def _pair(value: Any, path: str, programs: set[str]) -> tuple[str | None, str | None]:
    if not isinstance(value, list) or len(value) != 2:
        raise _fail(path, value, "a pair [program id or null, program id or null]")
    for i, item in enumerate(value):
        if item is not None and (not isinstance(item, str) or item not in programs):
            raise _fail(f"{path}[{i}]", item, _one_of(programs, "null or a known program id"))
    return value[0], value[1]


def _couple(value: Any, path: str, programs: set[str], singles: set[str]) -> CoupleSpec:
    couple = _object(value, path, _COUPLE_KEYS)
    members = _list(couple["members"], f"{path}.members", "two applicant ids")
    if len(members) != 2:
        raise _fail(f"{path}.members", members, "exactly two applicant ids")
    first, second = (_identifier(m, f"{path}.members[{i}]") for i, m in enumerate(members))
    for i, member in enumerate((first, second)):
        if member in singles:
            raise _fail(f"{path}.members[{i}]", member, "an id not also listed alone in applicants")
    pairs = tuple(
        _pair(p, f"{path}.rank[{i}]", programs)
        for i, p in enumerate(_list(couple["rank"], f"{path}.rank", "pairs"))
    )
    seen: set[tuple[str | None, str | None]] = set()
    for i, pair in enumerate(pairs):
        if pair in seen:
            raise _fail(
                f"{path}.rank[{i}]", list(pair), "each pair at most once", shown=f"{_show(list(pair))} again"
            )
        seen.add(pair)
    return CoupleSpec((first, second), pairs)


def parse_instance(data: Any) -> MatchInstance:
    """Validate a JSON-like ``dict`` against the contract and return a :class:`MatchInstance`.

    Raises:
        InstanceError: With a one-line message naming the JSON path, the bad value and what is allowed.
    """
    top = _object(data, "$", _TOP_KEYS)
    raw_programs = _list(top["programs"], "programs", "program objects")
    headers = [_program_header(p, f"programs[{i}]") for i, p in enumerate(raw_programs)]
    _unique([(f"programs[{i}].id", h[0]) for i, h in enumerate(headers)], "program")
    tracks = {identifier: track for identifier, _, track in headers}
    known = _Programs(tracks, set(tracks), {p for p, t in tracks.items() if t == "pgy1"})
    raw_applicants = _list(top["applicants"], "applicants", "applicant objects")
    applicants = tuple(_applicant(a, f"applicants[{i}]", known) for i, a in enumerate(raw_applicants))
    singles = {a.id for a in applicants}
    _unique([(f"applicants[{i}].id", a.id) for i, a in enumerate(applicants)], "applicant")
    raw_couples = _list(top.get("couples", []), "couples", "couple objects")
    couples = tuple(_couple(c, f"couples[{i}]", known.ids, singles) for i, c in enumerate(raw_couples))
    _unique(
        [(f"couples[{i}].members[{m}]", c.members[m]) for i, c in enumerate(couples) for m in (0, 1)],
        "couple member",
    )
    everyone = singles | {m for c in couples for m in c.members}
    programs = tuple(
        ProgramSpec(h[0], h[1], _references(raw["rank"], f"programs[{i}].rank", everyone, "applicant"), h[2])
        for i, (h, raw) in enumerate(zip(headers, raw_programs, strict=True))
    )
    return MatchInstance(programs, applicants, couples)
