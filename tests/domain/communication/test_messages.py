"""Communication rules: each one triggered, and each one left alone by sound messages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from smartpick.domain.communication.messages import (
    RULE,
    RULES,
    Severity,
    check_log,
    has_errors,
    intent_already_sent,
)
from smartpick.domain.communication.tracker import CommunicationLog, Interview, Message

D = dt.date

THANKS = (
    "Dear Dr. Lee, thank you for hosting me on my interview day. The spinal cord injury unit and the "
    "residents' teaching conference impressed me. I remain very interested in your program. Sincerely, Ana"
)
INTEREST = "I remain very interested in your program and will rank it highly. Best regards, Ana"


def msg(program: str, date: dt.date, kind: str, text: str, direction: str = "sent", **kw: str) -> Message:
    return Message(program=program, date=date, direction=direction, kind=kind, text=text, **kw)  # type: ignore[arg-type]


def log(*messages: Message, interviews: tuple[tuple[str, dt.date], ...] = ()) -> CommunicationLog:
    return CommunicationLog(
        interview=tuple(Interview(program=p, date=d) for p, d in interviews), message=messages
    )


def rules(found: tuple) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in found]


def test_every_rule_has_an_id_a_severity_and_a_reason() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.reason.endswith((".", ")")) and len(rule.reason) > 30
        assert isinstance(rule.severity, Severity)


# --- the worked example -------------------------------------------------------------------


def test_two_intents_a_late_thank_you_and_a_conditional_promise_yield_exactly_those() -> None:
    the_log = log(
        msg("A", D(2026, 11, 5), "thank_you", THANKS),
        msg("B", D(2026, 11, 12), "thank_you", "Thank you for the conversation during my interview."),
        msg("C", D(2026, 12, 11), "thank_you", "Thank you for the interview; I enjoyed the sports clinic."),
        msg("A", D(2027, 2, 1), "intent", "I intend to rank your program as my #1 choice."),
        msg("B", D(2027, 2, 3), "intent", "I am writing to let you know I will rank you first."),
        msg("C", D(2027, 1, 20), "program_statement", "If you rank us #1, you will match here.", "received"),
        interviews=(("A", D(2026, 11, 3)), ("B", D(2026, 11, 10)), ("C", D(2026, 12, 1))),
    )
    found = check_log(the_log)
    assert [(f.rule, f.program, f.date) for f in found] == [
        ("thank-you.late", "C", D(2026, 12, 11)),
        ("program.conditional-promise", "C", D(2027, 1, 20)),
        ("intent.more-than-one", "B", D(2027, 2, 3)),
    ]
    assert has_errors(found)
    assert found[1].reason == RULE["program.conditional-promise"].reason


# --- intent and #1 claims ---------------------------------------------------------------------------


def test_one_intent_letter_is_fine_and_repeating_it_to_the_same_program_is_not_a_second_intent() -> None:
    one = log(msg("A", D(2027, 2, 1), "intent", "I will rank you #1."))
    assert check_log(one) == ()
    assert "intent.more-than-one" not in rules(
        check_log(log(*one.message, msg("A", D(2027, 2, 9), "intent", "As I said, you are my #1.")))
    )


def test_intent_must_go_to_rank_one_when_the_rank_list_is_known() -> None:
    the_log = log(msg("B", D(2027, 2, 1), "intent", "I will rank you #1."))
    assert rules(check_log(the_log, rank_one="A")) == ["intent.not-rank-one"]
    assert check_log(the_log, rank_one="B") == ()


def test_number_one_claim_to_a_second_program_is_an_error() -> None:
    the_log = log(
        msg("A", D(2027, 1, 5), "interest", "You are my top choice."),
        msg("B", D(2027, 1, 7), "interest", "I'll rank your program number one."),
    )
    found = check_log(the_log)
    assert rules(found) == ["claim.number-one"]
    assert found[0].program == "B" and "A was already told" in found[0].message


def test_number_one_claim_after_an_intent_letter_elsewhere_is_an_error() -> None:
    the_log = log(
        msg("A", D(2027, 1, 5), "intent", "I will rank you #1."),
        msg("B", D(2027, 1, 9), "interest", "You are my No. 1 choice."),
    )
    assert rules(check_log(the_log)) == ["claim.number-one"]


def test_strong_interest_to_many_programs_is_not_a_claim() -> None:
    the_log = log(*(msg(p, D(2027, 1, 5), "interest", INTEREST) for p in "ABCDE"))
    assert check_log(the_log) == ()


def test_claim_to_the_true_rank_one_is_fine_but_noted_in_a_thank_you() -> None:
    the_log = log(
        msg("A", D(2026, 11, 4), "thank_you", "Thank you for the interview. You are my #1 choice."),
        interviews=(("A", D(2026, 11, 3)),),
    )
    found = check_log(the_log, rank_one="A")
    assert rules(found) == ["claim.in-thank-you"] and found[0].severity is Severity.INFO
    assert "claim.number-one" in rules(check_log(the_log, rank_one="Z"))


def test_intent_already_sent_finds_letters_and_claims() -> None:
    assert intent_already_sent(log(msg("A", D(2027, 1, 1), "interest", INTEREST))) is None
    found = intent_already_sent(log(msg("A", D(2027, 1, 1), "other", "Your program is #1 on my list.")))
    assert found is not None and found.program == "A"


# --- forbidden asks and program statements ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Will you rank me highly?",
        "If I rank you first, will I match?",
        "Would you offer me an interview if I promise to rank you #1?",
    ],
)
def test_forbidden_asks_are_errors(text: str) -> None:
    found = check_log(log(msg("A", D(2026, 12, 1), "question", text)))
    assert rules(found) == ["ask.forbidden"] and has_errors(found)


def test_a_clarifying_question_is_fine() -> None:
    text = "Could you clarify how your program structures the PGY-2 year for new residents?"
    assert check_log(log(msg("A", D(2026, 12, 1), "question", text))) == ()


def test_the_same_words_received_from_a_program_are_not_applicant_asks() -> None:
    received = msg("A", D(2026, 12, 1), "other", "Will you rank me highly?", direction="received")
    assert "ask.forbidden" not in rules(check_log(log(received)))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("If you promise to rank us #1, we can promise you'll match here.", "program.conditional-promise"),
        (
            "If you rank us #1, I think you'll have a very good chance of matching here.",
            "program.near-promise",
        ),
        ("Where are you planning to rank our program?", "program.asks-rank"),
        ("We need you to commit to our program before rank lists are due.", "program.asks-rank"),
    ],
)
def test_program_statements_that_look_like_violations(text: str, rule: str) -> None:
    found = check_log(log(msg("A", D(2027, 1, 10), "program_statement", text, direction="received")))
    assert rules(found) == [rule]
    assert not has_errors(found)  # the applicant did nothing wrong; they are told what the rules say


@pytest.mark.parametrize(
    "text",
    [
        "You will be ranked very highly on our list.",
        "We hope you'll rank us highly; we think you'd be a strong addition to our residency.",
        "We really liked you and think you'd be a great fit here.",
    ],
)
def test_warm_but_allowed_program_statements_are_not_flagged(text: str) -> None:
    assert check_log(log(msg("A", D(2027, 1, 10), "program_statement", text, direction="received"))) == ()


# --- thank-you timing ---------------------------------------------------------------------------------


def test_thank_you_on_day_five_is_on_time_and_day_six_is_late() -> None:
    iv = (("A", D(2026, 11, 3)),)
    assert check_log(log(msg("A", D(2026, 11, 8), "thank_you", THANKS), interviews=iv)) == ()
    found = check_log(log(msg("A", D(2026, 11, 9), "thank_you", THANKS), interviews=iv))
    assert rules(found) == ["thank-you.late"] and "6 days" in found[0].message


def test_thank_you_reminder_and_missing_need_today() -> None:
    the_log = log(interviews=(("A", D(2026, 11, 3)),))
    assert check_log(the_log) == ()
    due = check_log(the_log, today=D(2026, 11, 4))
    assert rules(due) == ["thank-you.due"] and "2026-11-06" in due[0].message
    assert rules(check_log(the_log, today=D(2026, 11, 9))) == ["thank-you.missing"]
    assert check_log(the_log, today=D(2026, 10, 1)) == ()  # the interview has not happened yet


def test_thank_you_dated_before_the_interview() -> None:
    the_log = log(msg("A", D(2026, 11, 1), "thank_you", THANKS), interviews=(("A", D(2026, 11, 3)),))
    assert rules(check_log(the_log)) == ["thank-you.before-interview"]


# --- pre-interview messages ------------------------------------------------------------------------------


CONNECTED = "I grew up in Columbus, where my family still lives, and I hope to train close to them."
UPDATED = "Since submitting my application, my Step 2 CK score came back at 246."
GENERIC = "I really like your program and hope to be considered for an interview."


def test_pre_interview_with_a_connection_or_an_update_is_fine() -> None:
    assert check_log(log(msg("A", D(2026, 10, 1), "pre_interview", CONNECTED))) == ()
    assert check_log(log(msg("B", D(2026, 10, 1), "pre_interview", UPDATED))) == ()
    assert check_log(log(msg("C", D(2026, 10, 1), "pre_interview", GENERIC, reason="connection"))) == ()


def test_generic_pre_interview_message_has_no_reason() -> None:
    assert rules(check_log(log(msg("A", D(2026, 10, 1), "pre_interview", GENERIC)))) == [
        "pre-interview.no-reason"
    ]


def test_second_pre_interview_message_is_one_finding_not_two() -> None:
    the_log = log(
        msg("A", D(2026, 10, 1), "pre_interview", CONNECTED),
        msg("A", D(2026, 10, 20), "pre_interview", UPDATED),
    )
    assert rules(check_log(the_log)) == ["pre-interview.more-than-one"]


# --- length and purpose --------------------------------------------------------------------------------


def test_length_limits() -> None:
    assert rules(check_log(log(msg("A", D(2026, 10, 1), "pre_interview", CONNECTED + " word" * 240)))) == [
        "length.pre-interview"
    ]
    assert check_log(log(msg("A", D(2026, 10, 1), "pre_interview", CONNECTED + " word" * 200))) == ()
    long_update = UPDATED + " detail" * 300
    assert rules(check_log(log(msg("A", D(2027, 1, 1), "update", long_update)))) == ["length.routine"]
    assert check_log(log(msg("A", D(2027, 1, 1), "update", UPDATED + " detail" * 250))) == ()


def test_thank_you_mixed_with_update_and_question() -> None:
    text = THANKS + " " + UPDATED + " Could you clarify the call schedule for interns?"
    found = check_log(log(msg("A", D(2026, 11, 4), "thank_you", text), interviews=(("A", D(2026, 11, 3)),)))
    assert rules(found) == ["purpose.multiple"]
    assert "an update and questions" in found[0].message


def test_a_letter_of_interest_may_thank_and_mention_news() -> None:
    text = "Thank you again for the interview. Since my interview I presented a poster. " + INTEREST
    assert check_log(log(msg("A", D(2027, 1, 20), "interest", text))) == ()


# --- follow-ups -------------------------------------------------------------------------------------------


def test_repeated_follow_ups_to_a_silent_program() -> None:
    the_log = log(
        msg("A", D(2026, 10, 1), "pre_interview", CONNECTED),
        msg("A", D(2026, 10, 15), "update", UPDATED),
        msg("A", D(2026, 10, 30), "question", "Could you clarify when invitations go out?"),
    )
    found = check_log(the_log)
    assert rules(found) == ["follow-up.repeated", "follow-up.repeated"]


def test_a_reply_resets_the_follow_up_count_and_thank_yous_do_not_count() -> None:
    the_log = log(
        msg("A", D(2026, 10, 1), "pre_interview", CONNECTED),
        msg("A", D(2026, 10, 5), "other", "Thanks for your note, we will be in touch.", direction="received"),
        msg("A", D(2026, 10, 15), "update", UPDATED),
        msg("A", D(2026, 11, 4), "thank_you", THANKS),
        msg("A", D(2027, 1, 25), "interest", INTEREST),
        interviews=(("A", D(2026, 11, 3)),),
    )
    assert check_log(the_log) == ()


# --- properties ------------------------------------------------------------------------------------------


POLITE_TEXTS = [THANKS, INTEREST, CONNECTED, UPDATED]
KINDS = ["update", "thank_you", "interest", "question", "other"]


@st.composite
def polite_logs(draw: st.DrawFn) -> CommunicationLog:
    n = draw(st.integers(0, 12))
    messages = tuple(
        msg(
            draw(st.sampled_from("ABCD")),
            D(2026, 10, 1) + dt.timedelta(days=draw(st.integers(0, 150))),
            draw(st.sampled_from(KINDS)),
            draw(st.sampled_from(POLITE_TEXTS)),
            draw(st.sampled_from(["sent", "received"])),
        )
        for _ in range(n)
    )
    return log(*messages)


@given(polite_logs())
def test_polite_messages_never_raise_errors_and_findings_are_sorted(the_log: CommunicationLog) -> None:
    found = check_log(the_log)
    assert not has_errors(found)
    keys = [(f.date, f.program, f.rule) for f in found]
    assert keys == sorted(keys)
    assert all(f.reason == RULE[f.rule].reason and f.severity is RULE[f.rule].severity for f in found)


@given(polite_logs())
def test_message_order_in_the_file_does_not_change_findings(the_log: CommunicationLog) -> None:
    # Same-day messages keep their file order (the only order known), so only distinct dates are compared.
    assume(len({m.date for m in the_log.message}) == len(the_log.message))
    reversed_log = log(*reversed(the_log.message))
    assert sorted(map(repr, check_log(the_log))) == sorted(map(repr, check_log(reversed_log)))
