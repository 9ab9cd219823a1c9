"""The profile editor's form: which inputs exist, and conversions form <-> profile document.

The conversions take the form's sections (``sections``, the profile's `SECTIONS` by default), so other
documents (the resident portfolio, `smartpick.web.portfolio_form`) reuse them with their own inputs.
Every input is named by the key path `smartpick.domain.validation` uses in its errors
(``exams.step2_ck``, ``rotations[1].weeks``), so each error lands next to its own input. Values are
passed to the domain model as the user typed them; the model's lax parsing and constraints decide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from smartpick.domain.catalogue.geography import Region
from smartpick.domain.profile.applicant import (
    ApplicantType,
    ExamResult,
    Interest,
    LetterStrength,
    ProgramType,
    RotationKind,
    Specialty,
    VisaType,
)
from smartpick.errors import InputError
from smartpick.present.labels import ENUM_LABELS

MAX_ROWS = 50
FormData = Mapping[str, Sequence[str]]


class Kind(StrEnum):
    """How an input is drawn and read."""

    TEXT = "text"
    TEXTAREA = "textarea"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    CHOICE = "choice"
    YESNO = "yesno"
    CHECK = "check"
    MULTI = "multi"
    LIST = "list"
    LINES = "lines"  # a list typed one item a line (items may contain commas)


@dataclass(frozen=True)
class FieldSpec:
    """One input of the form."""

    key: str
    label: str
    kind: Kind
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    step: str = "1"  # "any" for decimals
    upper: bool = False


@dataclass(frozen=True)
class SectionSpec:
    """A group of inputs; ``repeated`` sections are lists of rows (rotations, letters)."""

    path: str
    title: str
    fields: tuple[FieldSpec, ...]
    repeated: bool = False
    item: str = ""
    hint: str = ""


_LABELS = {
    "us_md": "US MD",
    "us_do": "US DO",
    "us_img": "US-citizen IMG",
    "non_us_img": "Non-US IMG",
    "hands_on": "Hands-on",
    "pmr": "PM&R (physiatry)",
    "university_affiliated": "University-affiliated",
    "sci": "Spinal cord injury",
    "tbi": "Brain injury",
    "msk": "Musculoskeletal",
    "peds": "Pediatrics",
    "emg": "EMG",
    "j1": "J-1",
    "h1b": "H-1B",
    "either": "Either J-1 or H-1B",
}


def label_of(value: object) -> str:
    """A readable label for an enum value (``us_img`` -> "US-citizen IMG")."""
    text = str(getattr(value, "value", value))
    if text == "unknown":  # a missing fact stays visibly "unknown"
        return text
    if text in _LABELS:
        return _LABELS[text]
    words = ENUM_LABELS.get(text, text.replace("_", " "))
    return words[:1].upper() + words[1:]


def choices(enum: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    """(value, label) pairs of an enum, with readable labels."""
    return tuple((m.value, label_of(m.value)) for m in enum)


def _int(key: str, label: str, lo: int, hi: int, hint: str = "", required: bool = False) -> FieldSpec:
    return FieldSpec(key, label, Kind.INT, hint=hint, lo=lo, hi=hi, required=required)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("applicant", "Applicant", (
        FieldSpec("name", "Your name", Kind.TEXT, hint="optional"),
        FieldSpec("type", "Applicant type", Kind.CHOICE, choices(ApplicantType), required=True),
        FieldSpec("needs_visa", "Needs a visa (J-1 or H-1B)", Kind.YESNO, required=True),
        FieldSpec("visa", "Visa you can train on", Kind.CHOICE, choices(VisaType),
                  hint="only when a visa is needed; either when left empty"),
        _int("graduation_year", "Graduation year", 1950, 2100, required=True),
        _int("target_start_year", "Target start year", 1950, 2100, "residency starts in July", required=True),
        FieldSpec("languages", "Languages", Kind.LIST, hint="comma-separated, e.g. English, Spanish"),
    )),
    SectionSpec("exams", "USMLE exams", (
        FieldSpec("step1", "Step 1 result", Kind.CHOICE, choices(ExamResult), required=True),
        _int("step1_attempts", "Step 1 attempts", 1, 6, "2 = passed on the second attempt"),
        _int("step2_ck", "Step 2 CK score", 1, 300, "leave empty while pending"),
        _int("step2_attempts", "Step 2 CK attempts", 1, 6),
        FieldSpec("step2_planned_date", "Step 2 CK planned date", Kind.DATE, hint="if the score is pending"),
    )),
    SectionSpec("exams.practice", "Practice tests", (
        FieldSpec("date", "Date", Kind.DATE, required=True),
        _int("score", "Score", 1, 300, required=True),
        FieldSpec("form", "Form", Kind.TEXT, hint="e.g. NBME 13"),
    ), repeated=True, item="Practice test"),
    SectionSpec("experience", "US clinical experience", (
        FieldSpec("us_clinical_months_hands_on", "Hands-on months", Kind.FLOAT, lo=0, hi=240),
        FieldSpec("us_clinical_months_observership", "Observership months", Kind.FLOAT, lo=0, hi=240),
    )),
    SectionSpec("rotations", "PM&R away rotations", (
        FieldSpec("program", "Catalogue program id", Kind.TEXT, hint="or give a site name instead"),
        FieldSpec("site", "Site name", Kind.TEXT, hint="for a site outside the catalogue"),
        FieldSpec("kind", "Kind", Kind.CHOICE, choices(RotationKind), required=True),
        FieldSpec("start", "Start date", Kind.DATE, required=True),
        _int("weeks", "Weeks", 1, 8, required=True),
        FieldSpec("end", "End date", Kind.DATE, hint="optional; start plus weeks otherwise"),
        FieldSpec("letter", "A letter is expected from this rotation", Kind.CHECK),
    ), repeated=True, item="Rotation", hint="Done or planned; give a catalogue id or a site name."),
    SectionSpec("letters", "Letters of recommendation", (
        FieldSpec("writer_specialty", "Writer's specialty", Kind.CHOICE, choices(Specialty), required=True),
        FieldSpec("us", "Writer practises in the US", Kind.YESNO, required=True),
        FieldSpec("strength", "Strength", Kind.CHOICE, choices(LetterStrength)),
        FieldSpec("writer", "Writer", Kind.TEXT, hint="optional"),
    ), repeated=True, item="Letter"),
    SectionSpec("research", "Research", (
        _int("publications", "Publications", 0, 1000),
        _int("posters", "Posters", 0, 1000),
        FieldSpec("pmr_related", "Some of it is PM&R-related", Kind.CHECK),
    )),
    SectionSpec("red_flags", "Other red flags", (
        _int("training_gap_months", "Training gap (months)", 0, 600),
        FieldSpec("notes", "Concerns to disclose", Kind.TEXTAREA, hint="any text here counts as a red flag"),
    )),
    SectionSpec("preferences", "Preferences", (
        FieldSpec("regions", "Regions", Kind.MULTI, choices(Region)),
        FieldSpec("states_with_ties", "States with ties", Kind.LIST, hint="codes, e.g. IL, NY", upper=True),
        FieldSpec("program_types", "Program types", Kind.MULTI, choices(ProgramType)),
        FieldSpec("interests", "Interests", Kind.MULTI, choices(Interest)),
        _int("max_programs", "Most programs to apply to", 1, 300),
        FieldSpec("budget_usd", "Budget (US$)", Kind.FLOAT, lo=0, hi=100_000),
    )),
)  # fmt: skip

SECTION_BY_PATH = {s.path: s for s in SECTIONS}


def field_path(section: SectionSpec, spec: FieldSpec, row: int | None = None) -> str:
    """The input's name: the key path of the error messages."""
    return f"{section.path}[{row}].{spec.key}" if row is not None else f"{section.path}.{spec.key}"


def html_id(path: str) -> str:
    """A valid, stable element id for a key path."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", path).strip("-")


@dataclass(frozen=True)
class ParsedForm:
    """The profile document read from the form, and which form row each list item came from."""

    document: dict[str, Any]
    rows: dict[str, tuple[int, ...]]

    def form_field(self, error_field: str) -> str:
        """Map an error's key path (list positions) back to the form's row numbers."""
        for path, kept in self.rows.items():
            match = re.match(rf"^{re.escape(path)}\[(\d+)\]", error_field)
            if match and int(match.group(1)) < len(kept):
                return f"{path}[{kept[int(match.group(1))]}]{error_field[match.end() :]}"
        return error_field


Sections = tuple[SectionSpec, ...]


def parse_form(form: FormData, sections: Sections = SECTIONS) -> ParsedForm:
    """The document a submitted form describes (empty inputs are left out)."""
    document: dict[str, Any] = {}
    rows: dict[str, tuple[int, ...]] = {}
    for section in sections:
        if not section.repeated:
            _put(document, section.path, _read_row(form, section, None))
            continue
        items, kept = [], []
        for i in row_indices(form, section.path):
            item = _read_row(form, section, i)
            if item and not _first(form, f"{section.path}[{i}]._remove"):
                items.append(item)
                kept.append(i)
        _put(document, section.path, items)
        rows[section.path] = tuple(kept)
    return ParsedForm(document, rows)


def row_indices(form: Mapping[str, Any], path: str) -> list[int]:
    """Row numbers present in the form for a repeated section, in order.

    Raises:
        InputError: more rows than the form accepts.
    """
    pattern = re.compile(rf"^{re.escape(path)}\[(\d{{1,6}})\]\.")
    found = sorted({int(m.group(1)) for key in form if (m := pattern.match(key))})
    if len(found) > MAX_ROWS:
        raise InputError(path, f"{len(found)} rows", f"at most {MAX_ROWS} rows")
    return found


def _first(form: FormData, name: str) -> str:
    values = form.get(name) or ()
    return values[0].strip() if values else ""


def _read_row(form: FormData, section: SectionSpec, row: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in section.fields:
        name = field_path(section, spec, row)
        value = _read_value(spec, list(form.get(name) or ()))
        if value is not None:
            out[spec.key] = value
    return out


def _read_value(spec: FieldSpec, raw: list[str]) -> Any:
    if spec.kind is Kind.MULTI:
        picked = [v.strip() for v in raw if v.strip()]
        return picked or None
    text = raw[0].strip() if raw else ""
    if spec.kind is Kind.CHECK:
        return True if text in ("on", "true", "1", "yes") else None
    if spec.kind is Kind.LIST:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        return [p.upper() if spec.upper else p for p in parts] or None
    if spec.kind is Kind.LINES:
        return [line.strip() for line in text.splitlines() if line.strip()] or None
    if not text:
        return None
    return _number(text, spec.kind) if spec.kind in (Kind.INT, Kind.FLOAT) else text


def _number(text: str, kind: Kind) -> Any:
    """Numbers as numbers (errors then read "got 400", not "got '400'"); anything else as typed."""
    try:
        return int(text) if kind is Kind.INT else float(text)
    except ValueError:
        return text


def _put(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = document
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def values_from_document(
    document: Mapping[str, Any], sections: Sections = SECTIONS
) -> tuple[dict[str, Any], dict[str, tuple[int, ...]]]:
    """Form values (by input name) and list rows of a document, valid or not."""
    values: dict[str, Any] = {}
    rows: dict[str, tuple[int, ...]] = {}
    for section in sections:
        node = _get(document, section.path)
        if section.repeated:
            items = [i for i in node if isinstance(i, Mapping)] if isinstance(node, list) else []
            rows[section.path] = tuple(range(len(items)))
            for i, item in enumerate(items):
                _fill(values, section, item, i)
        elif isinstance(node, Mapping):
            _fill(values, section, node, None)
    return values, rows


def _get(document: Mapping[str, Any], path: str) -> Any:
    node: Any = document
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _fill(values: dict[str, Any], section: SectionSpec, item: Mapping[str, Any], row: int | None) -> None:
    for spec in section.fields:
        if spec.key in item and item[spec.key] is not None:
            values[field_path(section, spec, row)] = _shown(spec, item[spec.key])


def _shown(spec: FieldSpec, value: Any) -> Any:
    if spec.kind is Kind.MULTI:
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if spec.kind is Kind.LIST and isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if spec.kind is Kind.LINES and isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else ("false" if spec.kind is Kind.YESNO else "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def values_from_form(form: FormData, sections: Sections = SECTIONS) -> dict[str, Any]:
    """The submitted values by input name, to redisplay them."""
    by_path = {s.path: s for s in sections}
    values: dict[str, Any] = {}
    for key, raw in form.items():
        multi = _is_multi(key, by_path)
        values[key] = [v for v in raw] if multi else (raw[0] if raw else "")
    return values


def _is_multi(name: str, by_path: Mapping[str, SectionSpec]) -> bool:
    section, _, key = name.rpartition(".")
    spec = by_path.get(re.sub(r"\[\d+\]$", "", section))
    return spec is not None and any(f.key == key and f.kind is Kind.MULTI for f in spec.fields)
