"""The list ``smartpick recommend`` would choose for a profile, with its signals, to score changed profiles.

The advice needs, for each changed profile, only the recommended application (programs and signals) and
its P(match), not the recommendation's explanations, warnings, sources and interview counts. It takes them
from the recommendation pipeline itself (`smartpick.domain.chances.recommendation.choose_list`, the step
`recommend` runs first), so the list, its signals and its P(match) are the recommendation's by
construction (a test also checks they are the same numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.domain.advice.lists import Application
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.chances.recommendation import ChanceModel, choose_list
from smartpick.domain.market.chances import ApplicantInMarket
from smartpick.domain.profile.applicant import Profile


@dataclass(frozen=True, eq=False)
class Relisted:
    """The recommended application of a profile and the market model's P(match) of it, with signals."""

    application: Application
    p_match: float
    interval: tuple[float, float]
    scored: ApplicantInMarket | None = None
    """The profile scored at every program it can be invited to (reused to score other lists)."""


def recommended_application(profile: Profile, catalogue: Catalogue, model: ChanceModel) -> Relisted:
    """The application ``recommend`` chooses for ``profile`` (its own budget and limits), and its P(match)."""
    chosen = choose_list(profile, catalogue, model)
    programs = tuple(chosen.pool.programs[i] for i in chosen.indices)
    centre, interval = chosen.market_p_match(model.tables)
    return Relisted(Application(programs, chosen.signalled), centre, interval, chosen.applicant)
