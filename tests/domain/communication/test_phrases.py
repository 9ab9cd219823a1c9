"""Phrase detection: many phrasings that must be caught, and polite wording that must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.domain.communication.phrases import Phrase, find, has, normalise, sentences, word_count

CLAIMS = [
    "I will rank your program #1.",
    "I will rank your program # 1.",
    "You are my No. 1 choice.",
    "You are my no 1 choice",
    "I intend to rank Loma Linda as my number one choice.",
    "I intend to rank your program as my number 1.",
    "Your program is at the top of my rank list.",
    "I’m planning to rank you first.",
    "I'm planning to rank you first.",
    "You're my top choice!",
    "YOU ARE MY TOP CHOICE.",
    "I'll be ranking your program first on my list.",
    "Your program will be my #1.",
    "It is my first-choice program.",
    "Mayo is my absolute top choice for residency.",
    "I plan on placing your program at the very top of my rank order list.",
    "I will rank your program highest.",
    "Your program remains my 1st choice.",
    "Without hesitation, your residency is #1 on my list.",
    "I have decided to rank you as number one.",
]
NOT_CLAIMS = [
    "I'm grateful for the interview.",
    "Your program ranks among the top in research.",
    "I would be thrilled to train with you.",
    "I will rank your program highly.",
    "I anticipate ranking it very highly.",
    "Your program is one of my top choices.",
    "Your program is among my top choices.",
    "PM&R has always been my first choice.",
    "Physiatry was my first choice of specialty.",
    "I ranked first in my class.",
    "My number one priority is patient care.",
    "First, I want to thank you for the interview.",
    "Your program was the first to invite me.",
    "In the first place, the faculty were kind.",
    "Your residents told me the program ranks first nationally in SCI research.",
    "I hope you will rank me highly.",
    "I remain very interested in your program.",
    "I am still finalizing my list, but I see your program as a strong fit.",
]
ASKS = [
    "Will you rank me highly?",
    "Would you consider ranking me to match?",
    "Could you tell me whether you will rank me?",
    "If I rank you #1, will I match?",
    "If I rank your program first, would I be guaranteed a spot?",
    "Will I match if I rank your program first?",
    "Will you offer me an interview if I say I'll rank you #1?",
    "Would you give me an interview if I promise to rank you first?",
    "I would rank you first if you offer me an interview.",
    "If you invite me to interview, I will rank your program first.",
    "Where do I stand on your rank list?",
    "How highly will your program rank me?",
    "Could you tell me where you plan to rank me?",
    "I'd happily rank you first in exchange for an interview.",
    "Will I be ranked to match?",
]
NOT_ASKS = [
    "I will rank your program highly.",
    "I hope you will rank me highly.",
    "Could you clarify how your program structures the PGY-2 year?",
    "Would you be able to share the call schedule for first-year residents?",
    "I look forward to any consideration for an interview.",
    "If I can provide anything else, please let me know.",
    "I plan to think carefully about my rank list and will submit it in accordance with NRMP rules.",
    "How do residents rank the didactics?",
    "Thank you for ranking the applications so quickly.",
]
PROMISES = [
    "If you rank us #1, you will match here.",
    "If you promise to rank us #1, we can promise you'll match here.",
    "If you rank us first you're going to match.",
    "Rank us first and you will match.",
    "We can guarantee you a position if you rank us first.",
    "You will match here as long as you rank us first.",
    "Provided you commit to ranking us number one, we will rank you to match.",
]
NEAR_PROMISES = [
    "If you rank us #1, I think you'll have a very good chance of matching here.",
    "If you rank us first, you would likely match here.",
]
RANK_ASKS = [
    "Where will you rank our program?",
    "Where are you planning to rank us?",
    "How highly will you rank us?",
    "Are we your #1?",
    "Is our program your first choice?",
    "Please let us know where you plan to rank us.",
    "Will you rank us first?",
    "We need you to commit to our program.",
    "Please confirm that you will rank us first.",
    "Kindly share your rank order list with us.",
]
POLITE_PROGRAM = [
    "You will be ranked very highly on our list.",
    "You will be ranked within the top tier of our list.",
    "We hope you'll rank us highly.",
    "If you have any questions, please let us know.",
    "We think you would be a strong addition to our residency.",
    "We are very interested in having you here.",
    "You are a competitive candidate for our program.",
    "We'd be very surprised if you didn't end up here.",
    "Please let us know if your contact information changes.",
    "We enjoyed meeting you and hope you enjoyed the interview day.",
    "Rank lists are due on March 4; let us know if you need help with the NRMP system.",
]

ALL_FLAGS = (
    Phrase.NUMBER_ONE_CLAIM,
    Phrase.FORBIDDEN_ASK,
    Phrase.PROGRAM_CONDITIONAL_PROMISE,
    Phrase.PROGRAM_NEAR_PROMISE,
    Phrase.PROGRAM_ASKS_RANK,
)


@pytest.mark.parametrize("text", CLAIMS)
def test_number_one_claims_are_found(text: str) -> None:
    assert has(Phrase.NUMBER_ONE_CLAIM, text), normalise(text)


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_polite_interest_is_not_a_number_one_claim(text: str) -> None:
    assert not has(Phrase.NUMBER_ONE_CLAIM, text), find(Phrase.NUMBER_ONE_CLAIM, text)


@pytest.mark.parametrize("text", ASKS)
def test_forbidden_asks_are_found(text: str) -> None:
    assert has(Phrase.FORBIDDEN_ASK, text), normalise(text)


@pytest.mark.parametrize("text", NOT_ASKS + NOT_CLAIMS)
def test_ordinary_questions_are_not_forbidden_asks(text: str) -> None:
    assert not has(Phrase.FORBIDDEN_ASK, text), find(Phrase.FORBIDDEN_ASK, text)


@pytest.mark.parametrize("text", PROMISES)
def test_conditional_promises_are_found_and_not_hedged(text: str) -> None:
    assert has(Phrase.PROGRAM_CONDITIONAL_PROMISE, text), normalise(text)
    assert not has(Phrase.PROGRAM_NEAR_PROMISE, text)


@pytest.mark.parametrize("text", NEAR_PROMISES)
def test_hedged_promises_are_near_promises_only(text: str) -> None:
    assert has(Phrase.PROGRAM_NEAR_PROMISE, text)
    assert not has(Phrase.PROGRAM_CONDITIONAL_PROMISE, text)


@pytest.mark.parametrize("text", RANK_ASKS)
def test_programs_asking_for_rank_are_found(text: str) -> None:
    assert has(Phrase.PROGRAM_ASKS_RANK, text), normalise(text)


@pytest.mark.parametrize("text", POLITE_PROGRAM + NOT_CLAIMS)
def test_polite_program_statements_are_not_flagged(text: str) -> None:
    flagged = [p for p in ALL_FLAGS if p is not Phrase.NUMBER_ONE_CLAIM and has(p, text)]
    assert flagged == [], [find(p, text) for p in flagged]


POLITE_EMAIL = """Dear Dr. Alvarez,

Thank you for taking the time to meet with me during my interview on October 28. I'm grateful for the
conversation about your spinal cord injury unit, and I would be thrilled to train with you. Your program
ranks among the top in research, and the residents' enthusiasm for teaching stood out.

I remain very interested in your program and will rank it highly.

Sincerely,
Ana Ruiz"""


def test_a_realistic_polite_thank_you_raises_no_flag() -> None:
    assert [p for p in ALL_FLAGS if has(p, POLITE_EMAIL)] == []
    assert has(Phrase.THANKS_FOR_INTERVIEW, POLITE_EMAIL)
    assert not has(Phrase.QUESTION, POLITE_EMAIL)


def test_a_claim_hidden_in_a_long_email_is_found_in_its_own_sentence() -> None:
    text = POLITE_EMAIL.replace("will rank it highly.", "will rank it highly. In fact, you're my #1!")
    hits = find(Phrase.NUMBER_ONE_CLAIM, text)
    assert len(hits) == 1
    assert "numone" in hits[0].sentence


def test_normalise_unifies_contractions_quotes_and_number_one() -> None:
    assert normalise("I’ll rank you No. 1!") == "i will rank you numone"
    assert normalise("You're my #1") == "you are my numone"
    assert normalise("top choices") == "top choices"
    assert normalise("A won't. B can't") == "a will not | b cannot"


def test_sentences_remember_questions() -> None:
    got = sentences("Is the PGY-2 year inpatient? Thanks. ")
    assert [s.question for s in got] == [True, False]


def test_update_and_connection_and_question_purposes() -> None:
    assert has(Phrase.UPDATE, "Since submitting my application, I co-authored a case report.")
    assert has(Phrase.UPDATE, "My Step 2 CK score came back at 248.")
    assert has(Phrase.CONNECTION, "I grew up in Columbus and my family still lives there.")
    assert has(Phrase.CONNECTION, "I completed a four-week elective at your hospital.")
    assert not has(Phrase.CONNECTION, "I like your program a lot.")
    assert has(Phrase.QUESTION, "Could you clarify how call works for interns")
    assert not has(Phrase.THANKS_FOR_INTERVIEW, "Thank you for your time and consideration.")


def test_word_count_counts_compound_words_once() -> None:
    assert word_count("PM&R follow-up isn't hard.") == 4
    assert word_count("") == 0


@given(st.text(max_size=300))
def test_detection_never_crashes_and_is_deterministic(text: str) -> None:
    for phrase in Phrase:
        assert has(phrase, text) == has(phrase, text)
        assert len(find(phrase, text)) <= len(sentences(text))


@given(st.sampled_from(CLAIMS), st.sampled_from(["", "Dear Dr. Kim,\n\n", "Hello! "]), st.booleans())
def test_claims_survive_case_and_surrounding_text(claim: str, before: str, upper: bool) -> None:
    text = before + (claim.upper() if upper else claim) + " Best wishes, Sam"
    assert has(Phrase.NUMBER_ONE_CLAIM, text)
