"""TOML text as FORMATS.md lays it out: ``[section]`` tables and one ``[[table]]`` per record.

The one TOML writer for profiles, tracker logs and rank lists (CLI exports and web downloads).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tomli_w

from smartpick.domain.profile.applicant import Profile


def array_of_tables(
    tables: Mapping[str, Sequence[Mapping[str, Any]]], *, multiline_strings: bool = False
) -> str:
    """One ``[[name]]`` table per record, tables in the given order, records in theirs."""
    parts = [
        f"[[{name}]]\n" + tomli_w.dumps(_plain(record), multiline_strings=multiline_strings)
        for name, records in tables.items()
        for record in records
    ]
    return "\n".join(parts)


def profile_toml(profile: Profile) -> str:
    """The profile as a ``profile.toml`` file laid out like FORMATS.md (``[section]``, ``[[rotations]]``)."""
    lines: list[str] = []
    for key, value in _plain(profile.model_dump(mode="python", exclude_none=True)).items():
        if isinstance(value, Mapping):
            _table(lines, key, value)
        elif isinstance(value, list) and value:
            for item in value:
                _table(lines, key, item, array=True)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(lines: list[str], name: str, table: Mapping[str, Any], *, array: bool = False) -> None:
    lines.append(f"\n[[{name}]]" if array else f"\n[{name}]")
    nested = {k: v for k, v in table.items() if isinstance(v, list) and v and isinstance(v[0], Mapping)}
    for key, value in table.items():
        if key not in nested and value != []:
            lines.append(f"{key} = {_literal(value)}")
    for key, items in nested.items():
        for item in items:
            _table(lines, f"{name}.{key}", item, array=True)


def _literal(value: Any) -> str:
    if isinstance(value, list):  # short arrays on one line, as people write them
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)  # StrEnum members become plain strings
    return value
