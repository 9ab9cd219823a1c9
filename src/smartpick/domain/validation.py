"""Turn pydantic validation failures into SmartPick's one-line input errors.

Every error names the key path as the user wrote it (``exams.step2_ck``, ``rotations[1].weeks``),
the value, and what is allowed, derived from the model's own constraints so the message and the
rule can never drift apart.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from smartpick.errors import InputError, InputErrors

M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], data: Mapping[str, Any], *, source: str | None = None) -> M:
    """Validate ``data`` into ``model`` or raise `InputErrors` naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputErrors(to_input_errors(model, exc, source=source), source=source) from None


def to_input_errors(
    model: type[BaseModel], exc: ValidationError, *, source: str | None = None
) -> list[InputError]:
    """Translate each pydantic error into an `InputError`."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        out.append(InputError(dotted(loc), _value(err), _allowed(model, loc, err), source=source))
    return out


def dotted(loc: Sequence[int | str]) -> str:
    """``("rotations", 0, "weeks")`` -> ``rotations[0].weeks``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith(("function-", "union[", "tagged-union[")) or part in ("list", "dict"):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


def _value(err: Mapping[str, Any]) -> Any:
    if err["type"] == "missing":
        return None
    value = err.get("input")
    if isinstance(value, Mapping):
        return "a table"
    return value


def _allowed(model: type[BaseModel], loc: tuple[Any, ...], err: Mapping[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        keys = _sibling_keys(model, loc[:-1])
        return f"unknown key; allowed keys here: {', '.join(keys)}" if keys else "unknown key"
    if kind in ("enum", "literal_error"):
        return f"allowed: {ctx.get('expected', '')}".replace("'", "")
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    field = _field_at(model, loc)
    described = _describe(field) if field is not None else None
    return f"allowed: {described}" if described else err["msg"].lower()


def _field_at(model: type[BaseModel], loc: tuple[Any, ...]) -> FieldInfo | None:
    current: Any = model
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        inner = _model_of(current)
        if inner is None or part not in inner.model_fields:
            return field
        field = inner.model_fields[part]
        current = field.annotation
    return field


def _model_of(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _sibling_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        inner = _model_of(current)
        if inner is None or part not in inner.model_fields:
            return []
        current = inner.model_fields[part].annotation
    inner = _model_of(current)
    return list(inner.model_fields) if inner is not None else []


def _describe(field: FieldInfo) -> str | None:
    if field.description:
        return field.description
    annotation, metadata = _unwrap(field.annotation, list(field.metadata))
    bounds = {type(m).__name__: m for m in metadata}
    lo = bounds.get("Ge") or bounds.get("Gt")
    hi = bounds.get("Le") or bounds.get("Lt")
    base = _base_name(annotation)
    if lo is not None and hi is not None:
        return f"{base} from {_bound(lo)} to {_bound(hi)}"
    if lo is not None:
        return f"{base} of at least {_bound(lo)}"
    if hi is not None:
        return f"{base} of at most {_bound(hi)}"
    return base


def _unwrap(tp: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Strip ``Optional`` and ``Annotated`` layers, collecting constraint metadata."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            parts = typing.get_args(tp)
            tp, metadata = parts[0], [*metadata, *parts[1:]]
            continue
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
            tp = args[0]
            continue
        flat = [m for meta in metadata for m in (getattr(meta, "metadata", None) or [meta])]
        return tp, flat


def _bound(m: Any) -> Any:
    for name in ("ge", "gt", "le", "lt"):
        if hasattr(m, name):
            return getattr(m, name)
    return m  # pragma: no cover - annotated_types always has one


def _base_name(tp: Any) -> str:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        tp = args[0]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in tp)
    names = {int: "an integer", float: "a number", bool: "true or false", str: "text"}
    if isinstance(tp, type) and tp in names:
        return names[tp]
    if getattr(tp, "__name__", "") == "date":
        return "a date like 2026-05-04"
    origin = typing.get_origin(tp)
    if origin in (tuple, list, set, frozenset):
        items = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return "a list of " + (_base_name(items[0]) if items else "values")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "a table of " + ", ".join(tp.model_fields)
    return "a value of the right kind"


__all__ = ["dotted", "parse_model", "to_input_errors"]
