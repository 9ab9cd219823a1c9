"""Program facts in long CSV form: one row per (program, field) with its source.

This is the format of the raw research file (``data/raw/program_facts.csv``) and of
``smartpick programs import FILE.csv``. Header: ``program_id,field,value,source,note``
(``note`` optional). A row without a source is accepted only as an openly marked estimate:
``note`` starts with ``estimate:`` followed by the rule used. ``value`` ``null`` clears a fact.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.domain.catalogue.geography import US_STATE_CODES
from smartpick.domain.catalogue.programs import ProgramStatus, Strength, TrackType, VisitingChannel
from smartpick.domain.profile.applicant import ProgramType
from smartpick.errors import InputError, InputErrors

REQUIRED_COLUMNS = ("program_id", "field", "value", "source")
OPTIONAL_COLUMNS = ("note", "year", "seen")
MAX_FILE_BYTES = 5_000_000
"""Largest facts file read (the bundled research file is about 60 KB)."""
MAX_ROWS = 20_000
SOURCE_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
SOURCE_DATASET = re.compile(r"^[A-Za-z][^\n]{1,198}(?:\(([^()\s][^()]*)\)|\b(?:19|20)\d\d\b[^\n]*)$")
"""A dataset reference: a title with its edition (a year) or its version or location in parentheses,
e.g. ``NRMP Program Results 2025`` or ``ACGME program data (nmacklin/MactionCreations@2a5955a)``."""
SOURCE_ALLOWED = (
    "a URL (https://...), a dataset reference with its year or '(owner/repo@commit)',"
    " or a catalogue source key"
)
TRACK_FIELD = re.compile(r"^track\.(\d{4}340[ACR]\d)\.positions$")
ROSTER_KEYS = ("us_md", "us_do", "international", "caribbean")
"""Roster counts by medical school (``roster.<key>`` fields)."""
_BOOL = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True)
class FactRow:
    """One validated fact row."""

    line: int
    program_id: str
    field: str
    value: Any
    source: str | None
    estimate: str | None
    note: str | None
    year: int | None = None
    """The year the figure describes (optional ``year`` column)."""
    seen: str | None = None
    """ISO date the source was read (optional ``seen`` column)."""


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("non-empty text")
    return raw.strip()


def _state(raw: str) -> str:
    if raw.strip().upper() not in US_STATE_CODES:
        raise ValueError("a two-letter US state code such as IL")
    return raw.strip().upper()


def _acgme(raw: str) -> str:
    if not re.fullmatch(r"340\d{7}", raw.strip()):
        raise ValueError("a 10-digit ACGME number starting with 340")
    return raw.strip()


def _boolean(raw: str) -> bool:
    try:
        return _BOOL[raw.strip().lower()]
    except KeyError:
        raise ValueError("true or false") from None


def _share(raw: str) -> float:
    text = raw.strip()
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise ValueError("a share from 0 to 1 (or a percentage like 35%)") from None
    if not 0 <= value <= 1:
        raise ValueError("a share from 0 to 1 (or a percentage like 35%)")
    return value


def _number(lo: float, hi: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"a number from {lo} to {hi}") from None
        if not lo <= value <= hi:
            raise ValueError(f"a number from {lo} to {hi}")
        return value

    return parse


def _count(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) > 200:
        raise ValueError("a whole number of residents from 0 to 200")
    return int(raw)


def _positions(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) > 100:
        raise ValueError("a whole number of positions from 0 to 100")
    return int(raw)


def _choice(options: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(options)

    def parse(raw: str) -> str:
        if raw.strip() not in allowed:
            raise ValueError("one of " + ", ".join(allowed))
        return raw.strip()

    return parse


PARSERS: dict[str, Callable[[str], Any]] = {
    "name": _text,
    "alias": _text,
    "institution": _text,
    "city": _text,
    "state": _state,
    "acgme_id": _acgme,
    "latitude": _number(-90, 90),
    "longitude": _number(-180, 180),
    "program_type": _choice(t.value for t in ProgramType),
    "visa_j1": _boolean,
    "visa_h1b": _boolean,
    "img_present": _boolean,
    "us_img_present": _boolean,
    "img_share": _share,
    "img_statement": _text,
    **{f"roster.{k}": _count for k in ROSTER_KEYS},
    "visiting_channel": _choice(c.value for c in VisitingChannel),
    "status": _choice(c.value for c in ProgramStatus),
    **{f"strength.{s.value}": _boolean for s in Strength},
}

FIELD_HELP = ", ".join([*PARSERS, "track.<NRMP code>.positions"])


def read_fact_rows(
    path: Path,
    *,
    known_ids: frozenset[str] | None,
    source_keys: frozenset[str] = frozenset(),
    canonical: Callable[[str], str | None] | None = None,
    one_value_per_fact: bool = False,
) -> list[FactRow]:
    """Read and validate every row; raise `InputErrors` listing every bad row by line number.

    ``known_ids`` limits program ids to existing ones, except for a program the file itself
    creates (it gives ``name``, ``city``, ``state`` and at least one track); ``None`` accepts any id.
    ``source_keys`` are the catalogue's source keys a row may cite; ``canonical`` maps an ACGME number,
    NRMP code or alias to the catalogue id (one id per program). With ``one_value_per_fact`` (user
    imports) identical rows are kept once and two rows giving one fact (same year) different values are
    rejected with both line numbers; without it (the research file) later rows correct earlier ones.
    """
    source = str(path)
    raw = _read_csv(path, source)
    rows, errors = _parse_rows(raw, source, source_keys, canonical)
    if one_value_per_fact:
        rows, conflicts = _collapse_duplicates(rows, source)
        errors.extend(conflicts)
    errors.extend(_unknown_id_errors(rows, known_ids, source))
    if errors:
        raise InputErrors(errors, source=source)
    return rows


def _read_csv(path: Path, source: str) -> list[tuple[int, dict[str, str]]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError("file", source, f"a CSV file of at most {MAX_FILE_BYTES // 1_000_000} MB")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            _check_header(list(reader.fieldnames or []), source)
            raw: list[tuple[int, dict[str, str]]] = []
            for row in reader:
                if len(raw) >= MAX_ROWS:
                    raise InputError("file", source, f"at most {MAX_ROWS:,} rows")
                if None in row:  # more cells than header columns
                    extra = ",".join(str(c) for c in row[None])
                    raise InputError(f"line {reader.line_num}", extra, "no cells beyond the header's columns")
                raw.append((reader.line_num, row))
            return raw
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputErrors([InputError("file", source, f"a readable UTF-8 CSV file ({exc})")]) from None


def _check_header(header: list[str], source: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        allowed = f"columns needed: {', '.join(REQUIRED_COLUMNS)}"
        raise InputErrors([InputError("header", ",".join(header), allowed)], source=source)
    extra = [c for c in header if c not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    if extra or len(set(header)) != len(header):
        allowed = f"only the columns {', '.join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))}, each once"
        raise InputErrors([InputError("header", ",".join(header), allowed)], source=source)


def _collapse_duplicates(rows: list[FactRow], source: str) -> tuple[list[FactRow], list[InputError]]:
    """Rows with one (program, field, year) kept once; conflicting values are errors naming both lines."""
    first: dict[tuple[str, str, int | None, Any], FactRow] = {}
    kept, errors = [], []
    for row in rows:
        key = (row.program_id, row.field, row.year, row.value if row.field == "alias" else None)
        seen = first.get(key)
        if seen is None:
            first[key] = row
            kept.append(row)
        elif (seen.value, seen.source, seen.estimate) != (row.value, row.source, row.estimate):
            allowed = f"one value per program and field (line {seen.line} gives {seen.value!r})"
            errors.append(InputError(f"line {row.line}: {row.field}", row.value, allowed, source=source))
    return kept, errors


def _parse_rows(
    raw: list[tuple[int, dict[str, str]]],
    source: str,
    source_keys: frozenset[str],
    canonical: Callable[[str], str | None] | None,
) -> tuple[list[FactRow], list[InputError]]:
    rows, errors = [], []
    for line, row in raw:
        try:
            fact = parse_fact_row(line, row)
            if fact.source is not None and not _valid_source(fact.source, source_keys):
                raise InputError("source", fact.source, SOURCE_ALLOWED)
            found = canonical(fact.program_id) if canonical else None
            rows.append(dataclasses.replace(fact, program_id=found) if found else fact)
        except InputError as err:
            errors.append(InputError(f"line {line}: {err.field}", err.value, err.allowed, source=source))
    return rows, errors


def parse_fact_row(line: int, row: dict[str, str]) -> FactRow:
    """Validate one CSV row (a dict of its columns) into a `FactRow`."""
    pid = (row.get("program_id") or "").strip()
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_-]*", pid):
        raise InputError("program_id", pid, "a catalogue program id (letters, digits, - and _)")
    name = (row.get("field") or "").strip()
    parser = _parser_for(name)
    if parser is None:
        raise InputError("field", name, f"one of {FIELD_HELP}")
    raw_value = (row.get("value") or "").strip()
    value = None
    if raw_value.lower() != "null":
        try:
            value = parser(raw_value)
        except ValueError as exc:
            raise InputError(f"value (field {name})", raw_value, f"allowed: {exc}") from None
    src, note = (row.get("source") or "").strip(), (row.get("note") or "").strip() or None
    estimate = note[len("estimate:") :].strip() if note and note.lower().startswith("estimate:") else None
    if value is not None and not src and not estimate:
        raise InputError(
            "source", src, "every value needs a source (URL or dataset), or a note 'estimate: <rule>'"
        )
    year, seen = _year(row.get("year")), _seen(row.get("seen"))
    return FactRow(line, pid, name, value, src or None, None if src else estimate, note, year, seen)


def _year(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1950 <= int(text) <= 2100:
        raise InputError("year", text, "the year the figure describes, 1950 to 2100 (or empty)")
    return int(text)


def _seen(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError("seen", text, "the date the source was read, YYYY-MM-DD (or empty)") from None


def _valid_source(text: str, keys: frozenset[str]) -> bool:
    return text in keys or bool(SOURCE_URL.match(text) or SOURCE_DATASET.match(text))


def _parser_for(field_name: str) -> Callable[[str], Any] | None:
    if TRACK_FIELD.match(field_name):
        return _positions
    return PARSERS.get(field_name)


def _unknown_id_errors(rows: list[FactRow], known: frozenset[str] | None, source: str) -> list[InputError]:
    if known is None:
        return []
    created = _created_ids(rows)
    return [
        InputError(
            f"line {r.line}: program_id",
            r.program_id,
            "not in the catalogue; a new program needs name, city, state and a track row in the same file",
            source=source,
        )
        for r in rows
        if r.program_id not in known and r.program_id not in created
    ]


def _created_ids(rows: list[FactRow]) -> set[str]:
    fields: dict[str, set[str]] = {}
    for r in rows:
        fields.setdefault(r.program_id, set()).add("track" if TRACK_FIELD.match(r.field) else r.field)
    return {pid for pid, f in fields.items() if {"name", "city", "state", "track"} <= f}


def apply_fact(program: dict[str, Any], row: FactRow) -> None:
    """Set one fact on a program document (the catalogue's JSON form).

    When both the stored fact and the row state the year they describe, the latest year wins and
    the other figure goes to the fact's ``history``; otherwise the row replaces the stored fact.
    """
    fact: dict[str, Any] = {"value": row.value}
    if row.value is not None:
        fact.update({"source": row.source} if row.source else {"estimate": row.estimate})
        if row.note and not row.estimate:
            fact["note"] = row.note
        if row.year is not None:
            fact["year"] = row.year
        if row.seen is not None:
            fact["seen"] = row.seen
    track = TRACK_FIELD.match(row.field)
    if track:
        _set_track_positions(program, track.group(1), fact)
    elif row.field.startswith("roster."):
        _set_roster_count(program, row.field.split(".", 1)[1], fact)
    elif row.field.startswith("strength."):
        program.setdefault("strengths", {})[row.field.split(".", 1)[1]] = fact
    elif row.field == "alias":
        aliases = program.setdefault("aliases", [])
        if row.value is not None and row.value not in aliases:
            aliases.append(row.value)
    elif row.field in ("name", "institution"):
        if row.value is not None:
            program[row.field] = row.value
    else:
        program[row.field] = merge_years(program.get(row.field), fact)


HISTORY_KEYS = ("value", "year", "source", "estimate", "note")


def merge_years(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The fact to keep when ``new`` arrives for a field holding ``old``: the latest year wins.

    Figures of other years go to ``history`` (newest first); a figure for the same year, or one
    without a year on either side, replaces the stored one.
    """
    if not old or old.get("value") is None or new.get("value") is None:
        return new
    old_year, new_year = old.get("year"), new.get("year")
    if old_year is None or new_year is None or old_year == new_year:
        return {**new, **({"history": old["history"]} if old.get("history") else {})}
    latest, other = (new, old) if new_year > old_year else (old, new)
    past = [{k: other[k] for k in HISTORY_KEYS if other.get(k) is not None}]
    entries = [*latest.get("history", []), *past, *other.get("history", [])]
    by_year = {e.get("year"): e for e in sorted(entries, key=lambda e: -(e.get("year") or 0))}
    return {**{k: v for k, v in latest.items() if k != "history"}, "history": list(by_year.values())}


def _set_roster_count(program: dict[str, Any], key: str, fact: dict[str, Any]) -> None:
    if fact["value"] is None:
        program.pop("roster", None)
        return
    roster = program.get("roster") or {"value": {}}
    counts = {**roster["value"], key: fact["value"]}
    program["roster"] = {**{k: v for k, v in fact.items() if k != "value"}, "value": counts}


def _set_track_positions(program: dict[str, Any], code: str, fact: dict[str, Any]) -> None:
    tracks = program.setdefault("tracks", [])
    for t in tracks:
        if t["code"] == code:
            t["positions"] = merge_years(t.get("positions"), fact)
            return
    letter = {"C": TrackType.CATEGORICAL, "A": TrackType.ADVANCED, "R": TrackType.RESERVED}[code[7]]
    tracks.append({"code": code, "type": letter.value, "positions": fact})
