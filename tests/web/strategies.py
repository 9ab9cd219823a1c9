"""Hypothesis strategies for web tests: profiles a person could enter through the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.domain.catalogue.geography import US_STATE_CODES, Region
from smartpick.domain.profile.applicant import (
    ApplicantType,
    ExamResult,
    Interest,
    LetterStrength,
    ProgramType,
    RotationKind,
    Specialty,
)

# Words a person types into a text box (the form trims and splits lists on commas).
words = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=12)
phrase = st.lists(words, min_size=1, max_size=3).map(" ".join)
dates = st.dates(dt.date(2024, 1, 1), dt.date(2029, 12, 31))
past_dates = st.dates(dt.date(2024, 1, 1), dt.date(2026, 11, 30))  # practice tests are never in the future
PROGRAM_IDS = [p.id for p in bundled_catalogue().programs]


def _subset(enum: Any) -> st.SearchStrategy[list[str]]:
    members = [m.value for m in enum]
    return st.sets(st.sampled_from(members)).map(lambda s: [m for m in members if m in s])


@st.composite
def applicants(draw: st.DrawFn) -> dict[str, Any]:
    grad = draw(st.integers(2015, 2030))
    out = {
        "type": draw(st.sampled_from(list(ApplicantType))).value,
        "needs_visa": draw(st.booleans()),
        "graduation_year": grad,
        "target_start_year": grad + draw(st.integers(0, 6)),
        "languages": draw(st.lists(words, max_size=3)),
    }
    if draw(st.booleans()):
        out["name"] = draw(phrase)
    return out


@st.composite
def exams(draw: st.DrawFn) -> dict[str, Any]:
    step1 = draw(st.sampled_from(list(ExamResult))).value
    out: dict[str, Any] = {
        "step1": step1,
        "step1_attempts": 1 if step1 == "pending" else draw(st.integers(1, 3)),
        "step2_attempts": draw(st.integers(1, 3)),
        "practice": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"date": past_dates.map(str), "score": st.integers(150, 290)}, optional={"form": phrase}
                ),
                max_size=3,
            )
        ),
    }
    if draw(st.booleans()):
        out["step2_ck"] = draw(st.integers(180, 285))
    else:
        out["step2_planned_date"] = str(draw(dates))
    return out


@st.composite
def rotations(draw: st.DrawFn) -> dict[str, Any]:
    where = {"program": draw(st.sampled_from(PROGRAM_IDS))} if draw(st.booleans()) else {"site": draw(phrase)}
    return {
        **where,
        "kind": draw(st.sampled_from(list(RotationKind))).value,
        "start": str(draw(dates)),
        "weeks": draw(st.integers(1, 8)),
        "letter": draw(st.booleans()),
    }


letters = st.fixed_dictionaries(
    {
        "writer_specialty": st.sampled_from([s.value for s in Specialty]),
        "us": st.booleans(),
        "strength": st.sampled_from([s.value for s in LetterStrength]),
    },
    optional={"writer": phrase},
)

preferences = st.fixed_dictionaries(
    {
        "regions": _subset(Region),
        "states_with_ties": st.lists(st.sampled_from(sorted(US_STATE_CODES)), unique=True, max_size=3),
        "program_types": _subset(ProgramType),
        "interests": _subset(Interest),
    },
    optional={
        "max_programs": st.integers(1, 300),
        "budget_usd": st.integers(0, 10_000_000).map(lambda c: c / 100),
    },
)


profiles = st.fixed_dictionaries(
    {
        "applicant": applicants(),
        "exams": exams(),
        "experience": st.fixed_dictionaries(
            {
                "us_clinical_months_hands_on": st.integers(0, 48).map(lambda h: h / 2),
                "us_clinical_months_observership": st.integers(0, 48).map(lambda h: h / 2),
            }
        ),
        "rotations": st.lists(rotations(), max_size=3),
        "letters": st.lists(letters, max_size=3),
        "research": st.fixed_dictionaries(
            {"publications": st.integers(0, 20), "posters": st.integers(0, 20), "pmr_related": st.booleans()}
        ),
        "red_flags": st.fixed_dictionaries(
            {"training_gap_months": st.integers(0, 36), "notes": st.one_of(st.just(""), phrase)}
        ),
        "preferences": preferences,
    }
)
