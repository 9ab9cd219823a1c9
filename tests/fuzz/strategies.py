"""Hypothesis strategies for hostile input files: valid example documents with one part replaced by a
nasty value (NaN, infinity, huge or negative numbers, far dates, long or control-character text, deep
nesting, wrong types), or with a key added or removed."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import strategies as st

NASTY_SCALARS = st.one_of(
    st.just(float("nan")),
    st.just(float("inf")),
    st.just(float("-inf")),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1900, 1, 1), dt.date(3000, 1, 1)]),
    st.text(max_size=40),
    st.just("x" * 5000),
    st.just("\x00\x1b[31m"),
    st.booleans(),
    st.sampled_from(["1104340", "3401121107", "1104340A0", "9999999", "../../x", ""]),
)


def nested(depth: int) -> Any:
    """A list nested ``depth`` levels deep."""
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


NASTY = st.one_of(
    NASTY_SCALARS,
    st.integers(min_value=40, max_value=300).map(nested),
    st.lists(NASTY_SCALARS, max_size=5),
    st.dictionaries(st.text(min_size=1, max_size=8), NASTY_SCALARS, max_size=3),
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for n, value in enumerate(doc):
            out += _paths(value, (*prefix, n))
    return out


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """The document with up to three parts replaced, removed, or a key added."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(NASTY)
        else:
            parent[path[-1]] = draw(NASTY)
    return doc
