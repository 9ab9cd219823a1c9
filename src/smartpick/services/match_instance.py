"""``match run``: read a JSON match instance, validate it, run the NRMP algorithm and check the result.

Kept apart from the simulation services so the command imports only what it needs.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.domain.match.adapter import instance_to_market, outcome_to_result
from smartpick.domain.match.algorithm import run_match
from smartpick.domain.match.checks import find_nrmp_blocking_pairs
from smartpick.domain.match.columnar import fast_market
from smartpick.domain.match.instance import InstanceError, parse_instance
from smartpick.domain.match.result import MatchResult
from smartpick.errors import InputError


class InstanceInputError(InputError):
    """A bad match instance, shown as the instance checker's own one-line message."""

    def __init__(self, error: InstanceError, *, source: str) -> None:
        self._text = str(error)
        super().__init__("instance", None, self._text, source=source)

    @property
    def message(self) -> str:
        """``file: json.path: got ...; expected ...``."""
        return f"{self.source}: {self._text}"


@dataclass(frozen=True)
class MatchRun:
    """The result of ``match run`` and the blocking pairs its check found (by id).

    Attributes:
        result: Matches, PGY-1 matches, unfilled seats and stats.
        blocking_pairs: ``{"kind", "proposer", "programs"}`` per blocking pair (empty = stable);
            a couple's proposer is its two member ids joined by ``+``.
    """

    result: MatchResult
    blocking_pairs: tuple[dict[str, Any], ...]


def run_instance_file(path: Path) -> MatchRun:
    """Read, validate and run a match instance file, then check the result for blocking pairs.

    Args:
        path: A JSON file following the instance contract (see :mod:`smartpick.domain.match.instance`).

    Raises:
        InputError: Unreadable file, invalid JSON, or an instance that breaks the contract.
    """
    with _no_cycle_collection():
        return _run(path)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector for the run (it makes no reference cycles).

    A national instance parses into about a million containers, and the collection passes over
    them cost more than the parse itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_instance(path: Path) -> Any:
    """Parse the file with orjson; read it again with :func:`read_json` when orjson rejects it.

    A syntax error, NaN, a huge integer or a missing file then gets the standard reader's
    one-line error (or its leniency), exactly as before.
    """
    import orjson

    try:
        return orjson.loads(path.read_bytes())
    except (orjson.JSONDecodeError, OSError):
        from smartpick.services.files import read_json  # pydantic: only for the slow path

        return read_json(path, check=False)


def _run(path: Path) -> MatchRun:
    data = _read_instance(path)
    # a valid instance (the fast path) holds only ints, strings, lists and objects 5 levels deep, so
    # the document-wide nesting/NaN walk is only needed when the fast path hands over to the checker
    fast = fast_market(data)
    if fast is None:
        from smartpick.services.files import check_depth

        check_depth(data, "json", source=str(path))
        try:
            fast = instance_to_market(parse_instance(data))
        except InstanceError as exc:
            raise InstanceInputError(exc, source=str(path)) from None
    market, ids = fast
    outcome = run_match(market)
    found = find_nrmp_blocking_pairs(market, outcome)
    pairs = []
    for pair in found:
        if pair.kind == "couple":
            members = market.couple_members[pair.proposer]
            proposer = "+".join(ids.applicants[int(m)] for m in members)
        else:
            proposer = ids.applicants[pair.proposer]
        programs = [ids.programs[p] if p >= 0 else None for p in pair.programs]
        pairs.append({"kind": pair.kind, "proposer": proposer, "programs": programs})
    return MatchRun(outcome_to_result(market, ids, outcome, len(found)), tuple(pairs))


def dumps_json(doc: Any) -> str:
    """``json.dumps(doc, indent=2, ensure_ascii=False)``, byte for byte, faster for large documents."""
    try:
        import orjson
    except ImportError:  # pragma: no cover
        return json.dumps(doc, indent=2, ensure_ascii=False)
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # a value orjson does not serialise: the standard encoder says which
        return json.dumps(doc, indent=2, ensure_ascii=False, default=str)
