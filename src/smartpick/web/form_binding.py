"""Bind values and errors to the profile form's inputs, for rendering.

Each error goes next to its input when its key path names one, else to the row or section it is
about (``rotations[0]``: "give exactly one of program or site"); all errors also appear in a summary
at the top of the form that links to where each one is shown (WCAG 3.3.1, error identification).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from smartpick.web.errors import ErrorItem
from smartpick.web.profile_form import SECTIONS, FieldSpec, Sections, SectionSpec, field_path, html_id


@dataclass(frozen=True)
class BoundField:
    """An input with its current value and its errors."""

    name: str
    id: str
    label: str
    kind: str
    value: str
    selected: tuple[str, ...]
    choices: tuple[tuple[str, str], ...]
    hint: str
    required: bool
    lo: float | None
    hi: float | None
    step: str
    errors: tuple[str, ...]


@dataclass(frozen=True)
class BoundRow:
    """One item of a repeated section (a rotation, a letter)."""

    index: int
    path: str
    id: str
    legend: str
    fields: tuple[BoundField, ...]
    errors: tuple[str, ...]


@dataclass(frozen=True)
class BoundSection:
    """A fieldset of the form."""

    path: str
    id: str
    title: str
    hint: str
    repeated: bool
    item: str
    fields: tuple[BoundField, ...]
    rows: tuple[BoundRow, ...]
    errors: tuple[str, ...]


@dataclass(frozen=True)
class SummaryError:
    """An error in the summary, linking to where it is shown."""

    target: str
    label: str
    message: str


def short_message(item: ErrorItem) -> str:
    """The message without its leading field name (shown beside the field)."""
    # A rule about a whole row (its input is the row's table): the rule itself says what is wrong.
    return item.message.removeprefix(f"{item.field}: ").removeprefix("got 'a table'; ")


def remap(errors: Iterable[ErrorItem], form_field: Callable[[str], str]) -> tuple[ErrorItem, ...]:
    """Errors renamed from list positions to the form's row numbers (`ParsedForm.form_field`)."""
    out = []
    for item in errors:
        field = form_field(item.field)
        out.append(ErrorItem(field, item.value, item.allowed, item.message.replace(item.field, field, 1)))
    return tuple(out)


class _Errors:
    def __init__(self, items: tuple[ErrorItem, ...]) -> None:
        self.items = items
        self.by_field: dict[str, list[str]] = {}
        for item in items:
            self.by_field.setdefault(item.field, []).append(short_message(item))
        self.placed: dict[str, tuple[str, str]] = {}

    def take(self, path: str, target: str, label: str, *, prefix: bool = False) -> tuple[str, ...]:
        found = []
        for field, messages in self.by_field.items():
            hit = field == path or (prefix and (field.startswith(path + ".") or field.startswith(path + "[")))
            if hit and field not in self.placed:
                found.extend(messages)
                self.placed[field] = (target, label)
        return tuple(found)


def bind(
    values: Mapping[str, Any],
    rows: Mapping[str, tuple[int, ...]],
    errors: tuple[ErrorItem, ...] = (),
    *,
    extra_rows: Mapping[str, int] | None = None,
    outside: Mapping[str, tuple[str, str]] | None = None,
    sections: Sections = SECTIONS,
) -> tuple[tuple[BoundSection, ...], tuple[SummaryError, ...]]:
    """Sections ready to render, and the error summary.

    Args:
        values: current values by input name.
        rows: row numbers with content, per repeated section.
        errors: problems to show, by key path.
        extra_rows: blank rows to add per repeated section (one is always added).
        outside: (element id, label) of inputs drawn outside the sections (the profile name).
        sections: the form's sections (the profile's by default).
    """
    pool = _Errors(errors)
    for field, (target, label) in (outside or {}).items():
        pool.take(field, target, label)
    drafts = [_section(s, values, rows, pool, (extra_rows or {}).get(s.path, 0)) for s in sections]
    # Section-wide errors last and deepest first, so `exams` does not take `exams.practice[0]`'s.
    section_errors = {
        s.path: pool.take(s.path, html_id(s.path), s.title, prefix=True)
        for s in sorted(sections, key=lambda s: -s.path.count("."))
    }
    bound = tuple(replace(d, errors=section_errors[d.path]) for d in drafts)
    summary = []
    for item in errors:
        target, label = pool.placed.get(item.field, ("", item.field))
        summary.append(SummaryError(target, label, short_message(item)))
    return bound, tuple(summary)


def _section(
    spec: SectionSpec,
    values: Mapping[str, Any],
    rows: Mapping[str, tuple[int, ...]],
    pool: _Errors,
    extra: int,
) -> BoundSection:
    sid = html_id(spec.path)
    if not spec.repeated:
        fields = tuple(_field(spec, f, None, values, pool, "") for f in spec.fields)
        return BoundSection(spec.path, sid, spec.title, spec.hint, False, "", fields, (), ())
    present = list(rows.get(spec.path, ()))
    nxt = (max(present) + 1) if present else 0
    indices = present + list(range(nxt, nxt + 1 + extra))
    bound_rows = tuple(_row(spec, i, n, values, pool) for n, i in enumerate(indices, start=1))
    return BoundSection(spec.path, sid, spec.title, spec.hint, True, spec.item, (), bound_rows, ())


def _row(spec: SectionSpec, index: int, number: int, values: Mapping[str, Any], pool: _Errors) -> BoundRow:
    path = f"{spec.path}[{index}]"
    legend = f"{spec.item} {number}"
    fields = tuple(_field(spec, f, index, values, pool, legend) for f in spec.fields)
    errors = pool.take(path, html_id(path), legend, prefix=True)
    return BoundRow(index, path, html_id(path), legend, fields, errors)


def _field(
    section: SectionSpec,
    spec: FieldSpec,
    row: int | None,
    values: Mapping[str, Any],
    pool: _Errors,
    context: str,
) -> BoundField:
    name = field_path(section, spec, row)
    raw = values.get(name, [] if spec.kind == "multi" else "")
    selected = tuple(raw) if isinstance(raw, list | tuple) else ((raw,) if raw else ())
    value = "" if isinstance(raw, list | tuple) else str(raw)
    label = f"{context} · {spec.label}" if context else f"{section.title} · {spec.label}"
    errors = pool.take(name, html_id(name), label)
    return BoundField(
        name, html_id(name), spec.label, spec.kind.value, value, selected, spec.choices, spec.hint,
        spec.required, spec.lo, spec.hi, spec.step, errors,
    )  # fmt: skip
