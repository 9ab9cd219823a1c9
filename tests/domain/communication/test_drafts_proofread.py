"""Every draft of every kind for every example profile reads as proofread English (issue 18)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from pathlib import Path

import pytest

from smartpick.domain.communication.drafts import DraftKind, draft_message
from smartpick.domain.profile.applicant import Profile
from smartpick.domain.validation import parse_model
from smartpick.services.catalogue import current_catalogue

EXAMPLES = Path(__file__).parents[3] / "examples"
PROFILES = sorted(p.name for p in EXAMPLES.glob("*.toml") if "applicant" in tomllib.loads(p.read_text()))
CATALOGUE = current_catalogue(None)


def _profile(name: str) -> Profile:
    return parse_model(Profile, tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def _programs(profile: Profile) -> list[str]:
    """A program the applicant rotates at (when any) and one they do not."""
    rotated = [r.program for r in profile.rotations if r.program and CATALOGUE.get(r.program)]
    return [*rotated[:1], "1147340"]


def _drafts(name: str, today: dt.date) -> list[tuple[str, str]]:
    profile = _profile(name)
    out = []
    for pid in _programs(profile):
        program = CATALOGUE.get(pid)
        assert program is not None
        for kind in DraftKind:
            d = draft_message(kind, program, profile, rank_one=pid, today=today)
            assert not d.refused, d.refused
            out.append((f"{name} {kind.value} {pid}", d.body))
    return out


def _doubled(text: str) -> list[str]:
    """A phrase of four or more words said twice, or a word twice in a row."""
    words = re.findall(r"[a-z][a-z'-]*", text.lower())
    found = [f"{a} {a}" for a, b in itertools.pairwise(words) if a == b and a not in ("that", "had")]
    grams = [" ".join(words[i : i + 4]) for i in range(len(words) - 3)]
    found += sorted({g for g in grams if grams.count(g) > 1 and not g.startswith("[")})
    return found


@pytest.mark.parametrize("name", PROFILES)
@pytest.mark.parametrize("today", [dt.date(2026, 1, 15), dt.date(2026, 12, 15)])
def test_drafts_have_no_doubled_phrases_or_known_slips(name: str, today: dt.date) -> None:
    for label, body in _drafts(name, today):
        assert not _doubled(body), f"{label}: {_doubled(body)}\n{body}"
        assert "patients to your team" not in body, label
        assert ".." not in body and "  " not in body.replace("\n\n", "\n"), label
        assert not re.search(r"\b(a|an|the) (a|an|the)\b", body, re.I), label


@pytest.mark.parametrize("name", PROFILES)
def test_a_rotation_is_spoken_of_in_the_right_tense(name: str) -> None:
    profile = _profile(name)
    here = [r for r in profile.rotations if r.program and CATALOGUE.get(r.program)]
    if not here:
        pytest.skip("no rotation at a catalogue program in this profile")
    rotation = here[0]
    program = CATALOGUE.get(rotation.program or "")
    assert program is not None
    before = rotation.start - dt.timedelta(days=30)
    during = rotation.start + dt.timedelta(days=1)
    after = rotation.finish + dt.timedelta(days=30)
    for kind in (DraftKind.THANK_YOU, DraftKind.INTEREST, DraftKind.UPDATE, DraftKind.INTENT):

        def body(day: dt.date, kind: DraftKind = kind) -> str:
            return draft_message(kind, program, profile, rank_one=program.id, today=day).body

        assert "Having rotated" not in body(before) and "look forward to my rotation" in body(before)
        assert "Rotating with your department now" in body(during)
        assert "Having rotated" in body(after) and "look forward" not in body(after)
    request = draft_message(DraftKind.ROTATION_REQUEST, program, profile, today=before).body
    assert "Having rotated" not in request and "look forward to my rotation" not in request


def test_an_intent_refusal_names_the_program() -> None:
    profile = _profile("strong-us-img.toml")
    program = CATALOGUE.get("1295340")
    assert program is not None
    refused = draft_message(DraftKind.INTENT, program, profile, rank_one="1147340").refused
    assert refused is not None and program.name in refused
