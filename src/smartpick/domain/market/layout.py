"""Positions of the market's figures in the flat parameter vector the compiled kernel reads.

Per-type blocks hold one value per applicant type in ``TYPES`` order (US MD, DO, US IMG, non-US IMG).
"""

from __future__ import annotations

N_TYPES = 4

OFFSET = 0  # type offset of the interview and rank scores (US MD = 0; fitted)
SCORE_MEAN = 4
SCORE_SD = 8
I_EXTRA = (
    12  # extra interview score per Step 2 CK point below the reference, per type (scrutiny of low scores)
)
R_SLOPE = 16  # rank score per Step 2 CK point
I_SLOPE = 56  # interview score per Step 2 CK point
SCORE_REF = 17
APPS_MEAN = 18
APPS_SD = 22
FAIL_SHARE = 23
FAIL_I = 27
FAIL_R = 28
USCE_NONE = 29
USCE_LITTLE = 33
USCE_NONE_COEF = 37
USCE_LITTLE_COEF = 38
VISA_NEED = 39
UNKNOWN_SPONSOR = 43
AWAY_SHARE = 44
AWAY_I = 48
AWAY_R = 49
TIE_I = 50
SIGNAL_I = 51
N_SIGNALS = 52
DESIR_SD = 53
PREF_SD = 54
HOME_BONUS = 55
P1_OFFSET = 57  # PGY-1 interview score over the PM&R interview base (figures.toml pgy1.logit_offset)
P1_TARGET = 58  # expected PGY-1 interviews the applications are sized for (pgy1.target_interviews)
P1_MAX_APPS = 59  # most PGY-1 applications an applicant sends (two ERAS ladders of pgy1.max_per_ladder)
P1_SPONSOR = 60  # share of PGY-1 programs sponsoring a visa (as for PM&R programs whose policy is unknown)
SIZE = 61

STAT_WIDTH = 6
"""Per type: applicants, matched, ranks of matched, ranks of unmatched, Step 2 CK sum matched / unmatched."""
PGY1_STATS = STAT_WIDTH * N_TYPES + 2
"""Then: seats filled, seats offered; then per type: advanced positions held, of them with a PGY-1 seat."""
N_STATS = PGY1_STATS + 2 * N_TYPES
