"""Throughput of `smartpick messages check` rules on a large synthetic communication log.

Run: PYTHONPATH=src python benchmarks/bench_messages.py [--messages 20000] [--seed 1]
Prints messages per second for the full rule set (phrase detection included), cold and warm cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np

from smartpick.domain.communication import phrases
from smartpick.domain.communication.messages import check_log
from smartpick.domain.communication.tracker import CommunicationLog, Interview, Message

SENT = [
    "Thank you for hosting me on interview day {n}; the spinal cord injury unit impressed me.",
    "Since submitting my application, I presented poster {n} on stroke rehabilitation.",
    "I remain very interested in your program and will rank it highly. Reference {n}.",
    "Could you clarify how the PGY-2 year is structured for resident {n}?",
    "You are my #1 choice and I will rank you first ({n}).",
    "Will you rank me highly if I visit again ({n})?",
]
RECEIVED = [
    "We enjoyed meeting you (note {n}) and think you would be a great fit.",
    "If you rank us #1, you will match here ({n}).",
    "Where are you planning to rank our program ({n})?",
]
KINDS = ["thank_you", "update", "interest", "question", "other", "pre_interview"]


def synthetic_log(n_messages: int, n_programs: int, rng: np.random.Generator) -> CommunicationLog:
    start = dt.date(2026, 9, 1)
    programs = [f"P{i:04d}" for i in range(n_programs)]
    interviews = tuple(
        Interview(program=p, date=start + dt.timedelta(days=int(rng.integers(30, 120)))) for p in programs
    )
    messages = []
    for n in range(n_messages):
        sent = bool(rng.random() < 0.75)
        pool = SENT if sent else RECEIVED
        messages.append(
            Message(
                program=programs[int(rng.integers(n_programs))],
                date=start + dt.timedelta(days=int(rng.integers(0, 180))),
                direction="sent" if sent else "received",
                kind=KINDS[int(rng.integers(len(KINDS)))] if sent else "program_statement",
                text=pool[int(rng.integers(len(pool)))].format(n=n),
            )
        )
    return CommunicationLog(interview=interviews, message=tuple(messages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--programs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    log = synthetic_log(args.messages, args.programs, np.random.default_rng(args.seed))
    phrases.sentences.cache_clear()
    for label in ("cold", "warm"):
        t0 = time.perf_counter()
        findings = check_log(log, today=dt.date(2027, 2, 1))
        elapsed = time.perf_counter() - t0
        print(
            f"{label}: {len(log.message)} messages, {args.programs} programs -> {len(findings)} findings "
            f"in {elapsed:.2f} s ({len(log.message) / elapsed:,.0f} messages/s)"
        )


if __name__ == "__main__":
    main()
