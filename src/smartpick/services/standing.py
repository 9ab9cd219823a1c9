"""The applicant's standing as every front end shows it: band meanings and the JSON document.

Shared by ``smartpick profile check`` and the web app so both describe a band the same way.
"""

from __future__ import annotations

from typing import Any

from smartpick.domain.profile.standing import Standing

BAND_TEXT = {
    "strong": ">=245: strong; a few more reach programs are reasonable",
    "solid": "235-244: solid, competitive",
    "viable": "220-234: viable with a broad application",
    "low": "<220 or an exam failure: low-score strategy (very broad list, backup plan)",
    "pending": "no Step 2 CK score yet",
}


def standing_doc(standing: Standing) -> dict[str, Any]:
    """The JSON form of a profile check."""
    return {
        "step2_band": standing.band.value,
        "step2_ck": standing.step2_ck,
        "step2_score_range": standing.score_range.value if standing.score_range else None,
        "band_meaning": BAND_TEXT[standing.band.value],
        "red_flags": [
            {"code": f.code, "severity": f.severity.value, "message": f.message} for f in standing.red_flags
        ],
        "missing": list(standing.missing),
        "strengths": list(standing.strengths),
    }
