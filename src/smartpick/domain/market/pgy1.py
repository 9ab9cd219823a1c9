"""How many PGY-1 (transitional year / preliminary medicine) programs an applicant applies to.

One rule for the simulated competitors (:mod:`.kernel`), the user's chance (:mod:`.chances`) and the advice
(:func:`smartpick.domain.chances.strategy.pgy1_plan`): enough applications for ``target`` expected
interviews at ``p_each`` per application (figures.toml ``[pgy1]``), at most ``most``.
"""

from __future__ import annotations

import math

from smartpick.domain.match.jit import jitable


@jitable
def pgy1_applications(p_each: float, target: float, most: float) -> int:
    """PGY-1 applications for ``target`` expected interviews at ``p_each`` each, at most ``most``."""
    return int(min(most, math.ceil(target / max(p_each, 1e-6))))
