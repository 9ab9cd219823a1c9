"""Use-case: the application list that maximises the applicant's outcome within budget, with reasons.

The pipeline is :func:`smartpick.domain.chances.recommendation.recommend`; this service only loads what it
reads (the bundled figures, the market tables covering the catalogue, the tier bands) and calls it. Reading a
profile file is the caller's job (the CLI reads it; the web app builds the profile from its form).
"""

from __future__ import annotations

from collections.abc import Mapping

from smartpick.data.figures import bundled_figures
from smartpick.data.market import bundled_spec
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.chances import recommendation
from smartpick.domain.chances.recommendation import ChanceModel, ChosenProgram, CurvePoint, Recommendation
from smartpick.domain.profile.applicant import Profile
from smartpick.services.market import market_tables

__all__ = ["ChosenProgram", "CurvePoint", "Recommendation", "chance_model", "recommend"]


def chance_model(catalogue: Catalogue, figures: Figures | None = None) -> ChanceModel:
    """The bundled figures (or ``figures``), the market tables for ``catalogue`` and the tier bands."""
    return ChanceModel(figures or bundled_figures(), market_tables(catalogue), bundled_spec().tiers)


def recommend(
    profile: Profile,
    catalogue: Catalogue,
    *,
    budget: float | None = None,
    max_programs: int | None = None,
    utility_overrides: Mapping[str, float] | None = None,
    figures: Figures | None = None,
) -> Recommendation:
    """The budget-optimal PM&R application list for ``profile`` over ``catalogue`` (bundled model).

    Args:
        profile: the applicant.
        catalogue: the programs to choose from.
        budget: USD for ERAS PM&R program fees; defaults to ``preferences.budget_usd`` (None = no limit).
        max_programs: most programs; defaults to ``preferences.max_programs`` (None = no limit).
        utility_overrides: per-program utility set by the user (program id -> value > 0).
        figures: model figures; the bundled ones by default.
    """
    return recommendation.recommend(
        profile,
        catalogue,
        chance_model(catalogue, figures),
        budget=budget,
        max_programs=max_programs,
        utility_overrides=utility_overrides,
    )
