"""Drafts: specific, short, rule-abiding, and a letter of intent only to the true #1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.domain.communication.drafts import (
    MAX_WORDS,
    ROUTINE_MAX_WORDS,
    DraftKind,
    draft_message,
    refusal,
)
from smartpick.domain.communication.messages import check_log
from smartpick.domain.communication.phrases import Phrase, has
from smartpick.domain.communication.tracker import CommunicationLog, Interview, Message
from smartpick.domain.profile.applicant import Profile
from smartpick.services.files import load_model

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CATALOGUE = bundled_catalogue()
PROFILES = [
    load_model(Profile, EXAMPLES / name)
    for name in ("strong-us-img.toml", "us-img-228-step1-fail.toml", "non-us-img-visa.toml")
]
RUSH = CATALOGUE.get("1147340")
assert RUSH is not None


def _as_sent(kind: DraftKind, program: str, body: str, day: dt.date) -> Message:
    return Message(program=program, date=day, direction="sent", kind=kind.message_kind, text=body)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from([k for k in DraftKind if k is not DraftKind.INTENT]),
    program=st.sampled_from(CATALOGUE.programs),
    profile=st.sampled_from(PROFILES),
)
def test_drafts_fit_the_limits_and_pass_every_rule(kind: DraftKind, program, profile: Profile) -> None:  # type: ignore[no-untyped-def]
    draft = draft_message(kind, program, profile)
    assert draft.refused is None
    assert 60 <= draft.words <= MAX_WORDS.get(kind, ROUTINE_MAX_WORDS)
    assert program.name in draft.subject + draft.body or kind is DraftKind.ROTATION_REQUEST
    assert not has(Phrase.NUMBER_ONE_CLAIM, draft.body)
    assert not has(Phrase.FORBIDDEN_ASK, draft.body)
    day = dt.date(2026, 11, 5)
    log = CommunicationLog(
        interview=(Interview(program=program.id, date=day),),
        message=(_as_sent(kind, program.id, draft.body, day),),
    )
    assert check_log(log) == ()


def test_intent_letter_to_rank_one_says_number_one_once_and_passes_the_rules() -> None:
    draft = draft_message(DraftKind.INTENT, RUSH, PROFILES[0], rank_one=RUSH.id)
    assert draft.refused is None and has(Phrase.NUMBER_ONE_CLAIM, draft.body)
    log = CommunicationLog(message=(_as_sent(DraftKind.INTENT, RUSH.id, draft.body, dt.date(2027, 2, 1)),))
    assert check_log(log, rank_one=RUSH.id) == ()


@pytest.mark.parametrize(
    ("rank_one", "log", "expected"),
    [
        (None, None, "needs your rank list"),
        ("1548340", None, "is not #1"),
        (
            "1147340",
            CommunicationLog(
                message=(
                    Message(
                        program="1295340",
                        date=dt.date(2027, 1, 2),
                        direction="sent",
                        kind="intent",
                        text="You are my #1.",
                    ),
                )
            ),
            "already went to 1295340",
        ),
        (
            "1147340",
            CommunicationLog(
                message=(
                    Message(
                        program="1295340",
                        date=dt.date(2027, 1, 2),
                        direction="sent",
                        kind="interest",
                        text="Your program is my top choice.",
                    ),
                )
            ),
            "already went to 1295340",
        ),
    ],
)
def test_intent_is_refused_with_the_reason(
    rank_one: str | None, log: CommunicationLog | None, expected: str
) -> None:
    draft = draft_message(DraftKind.INTENT, RUSH, PROFILES[0], rank_one=rank_one, log=log)
    assert draft.refused is not None and expected in draft.refused
    assert draft.body == ""


def test_other_kinds_are_never_refused() -> None:
    assert refusal(DraftKind.INTEREST, RUSH, None, None) is None


def test_thank_you_uses_the_interview_date_and_the_profile() -> None:
    log = CommunicationLog(interview=(Interview(program="1147340", date=dt.date(2026, 11, 3)),))
    draft = draft_message(DraftKind.THANK_YOU, RUSH, PROFILES[0], log=log)
    assert "November 3" in draft.body
    assert "Alex Rivera" in draft.body
    assert "sports medicine" in draft.body  # the profile's interest; the catalogue knows no strength here


def test_update_mentions_the_score_only_when_there_is_one() -> None:
    with_score = draft_message(DraftKind.UPDATE, RUSH, PROFILES[0])
    assert "Step 2 CK score is now available (251)" in with_score.body
    pending = draft_message(DraftKind.UPDATE, RUSH, PROFILES[2])
    assert "Step 2 CK" not in pending.body


def test_us_citizen_img_mentions_no_visa_but_non_us_img_does_not() -> None:
    assert "visa" in draft_message(DraftKind.INTEREST, RUSH, PROFILES[0]).body
    assert "visa" not in draft_message(DraftKind.INTEREST, RUSH, PROFILES[2]).body


def test_template_variety_across_programs() -> None:
    openings = {
        draft_message(DraftKind.INTEREST, p, PROFILES[0]).body.split("\n")[2][:18]
        for p in CATALOGUE.programs[:20]
    }
    assert len(openings) == 2
