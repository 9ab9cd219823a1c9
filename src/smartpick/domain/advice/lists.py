"""An application (the programs applied to and which of them get a signal) scored under any profile.

The advice needs P(match) of a *given* list under a *changed* profile: the list the applicant would send
without the action, kept as it is after the action. It is the market model's list P(match)
(`smartpick.domain.market.chances.list_p_match`, the value ``smartpick recommend`` reports) with its
parameter-uncertainty interval, on exactly these programs in this order, so for the recommended list of a
profile it is the recommendation's own figure.

Pure: the caller passes the figures and the market tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Program
from smartpick.domain.market.chances import (
    ApplicantInMarket,
    MarketTables,
    list_p_match,
    list_p_match_interval,
)
from smartpick.domain.profile.applicant import Profile


@dataclass(frozen=True)
class Application:
    """The programs applied to, in the recommendation's order, and whether each gets a program signal."""

    programs: tuple[Program, ...]
    signalled: tuple[bool, ...]

    def without_signals(self) -> Application:
        """The same programs with no signal sent."""
        return Application(self.programs, (False,) * len(self.programs))


def application_p_match(
    profile: Profile,
    application: Application,
    figures: Figures,
    tables: MarketTables,
    scored: ApplicantInMarket | None = None,
) -> tuple[float, tuple[float, float]]:
    """P(match) of sending ``application`` as ``profile``, and its parameter-uncertainty interval.

    ``scored``: ``profile`` already scored at a set of programs (its scores are reused where it covers them).
    """
    if not application.programs:
        return 0.0, (0.0, 0.0)
    applicant = _scored(profile, application, figures, scored)
    chosen = range(len(application.programs))
    signalled = application.signalled
    centre = list_p_match(applicant, tables, chosen, signalled)
    return centre, list_p_match_interval(applicant, tables, chosen, signalled, centre=centre)


def _scored(
    profile: Profile, application: Application, figures: Figures, scored: ApplicantInMarket | None
) -> ApplicantInMarket:
    """The applicant scored at the application's programs (the same scores ``scored`` holds, or new ones)."""
    at = {} if scored is None else {p.id: k for k, p in enumerate(scored.programs)}
    if scored is None or scored.profile != profile or any(p.id not in at for p in application.programs):
        return ApplicantInMarket.of(profile, application.programs, figures)
    scores = tuple(scored.scores[at[p.id]] for p in application.programs)
    return ApplicantInMarket(profile, application.programs, scored.base, scores, scored.signal)
