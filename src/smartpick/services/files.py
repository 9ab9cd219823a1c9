"""Reading user files (TOML, JSON) into validated domain objects, with one-line errors."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from smartpick.domain.validation import parse_model
from smartpick.errors import InputError

M = TypeVar("M", bound=BaseModel)
MAX_DEPTH = 32
"""Deepest nesting of tables and arrays in any document SmartPick reads (its own formats need 4)."""


def check_depth(
    data: Any, field: str = "(document)", limit: int = MAX_DEPTH, *, source: str | None = None
) -> None:
    """Raise `InputError` when ``data`` nests dicts/lists deeper than ``limit`` or holds NaN/infinity.

    Iterative (no recursion), so any parsed document can be checked; a NaN is named by its key path.
    TOML has ``nan`` and ``inf`` literals and Python's JSON parser accepts ``NaN``; no SmartPick value
    can be either.
    """
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            raise InputError(path or field, str(node), "a finite number (no nan or inf)", source=source)
        if isinstance(node, dict):
            items: list[tuple[str, Any]] = [(f"{path}.{k}" if path else str(k), v) for k, v in node.items()]
        elif isinstance(node, list):
            items = [(f"{path}[{n}]", v) for n, v in enumerate(node)]
        else:
            continue
        if depth > limit:
            raise InputError(
                path or field,
                f"{depth} levels of nesting",
                f"nested at most {limit} levels deep",
                source=source,
            )
        stack.extend((child, depth + 1, key) for key, child in items)


def _read_text(path: Path, kind: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file", str(path), f"an existing, readable {kind} file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            "file", str(path), f"a readable UTF-8 {kind} file ({exc.__class__.__name__})"
        ) from None


def parse_toml_text(text: str, source: str, *, field: str = "toml") -> dict[str, Any]:
    """Parse TOML text; a syntax error names ``field``, the source and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(field, source, f"valid TOML ({exc})") from None
    except RecursionError:
        raise InputError(field, source, f"TOML nested at most {MAX_DEPTH} levels deep") from None
    check_depth(data, field, source=source)
    return data


def write_text_file(path: Path, text: str, *, field: str = "--out") -> None:
    """Write ``text`` to ``path`` (UTF-8).

    Raises:
        InputError: the path is a folder, its folder does not exist, or it cannot be written.
    """
    if path.is_dir():
        raise InputError(field, str(path), "a file path, not a folder")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(field, str(path), f"a writable file path in an existing folder ({reason})") from None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, naming the file and line on a syntax error."""
    return parse_toml_text(_read_text(path, "TOML"), str(path))


def read_json(path: Path, *, check: bool = True) -> Any:
    """Parse a JSON file, naming the file and position on a syntax error.

    ``check=False`` skips :func:`check_depth` (nesting and NaN), for callers that validate the
    document's exact shape themselves first and call it when they cannot.
    """
    text = _read_text(path, "JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("json", str(path), f"valid JSON ({exc})") from None
    except RecursionError:
        raise InputError("json", str(path), f"JSON nested at most {MAX_DEPTH} levels deep") from None
    if check:
        check_depth(data, "json", source=str(path))
    return data


def load_model(model: type[M], path: Path) -> M:
    """Read a TOML file into a validated model; errors name the file and the key path."""
    return parse_model(model, read_toml(path), source=str(path))


MAX_UPLOAD_BYTES = 256 * 1024
"""The largest TOML file an upload form accepts (profiles, portfolios)."""


def read_toml_upload(data: bytes, filename: str) -> dict[str, Any]:
    """A document from an uploaded TOML file (callers read at most ``MAX_UPLOAD_BYTES + 1`` bytes).

    Raises:
        InputError: too large, not UTF-8 or not TOML (``file``).
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError("file", filename, f"a TOML file of at most {MAX_UPLOAD_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("file", filename, "a UTF-8 text file") from None
    return parse_toml_text(text, filename, field="file")
