"""Recommendations: the page for a stored profile (budget control, charts, CSV) and ``/api/v1/recommend``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.services.profiles import StoredProfile
from smartpick.services.recommend import Recommendation
from smartpick.services.recommend_cache import RecommendationCache
from smartpick.web.deps import CatalogueDep, CurrentUserDep, ReadableProfileDep, RecommenderDep
from smartpick.web.pages import Feature, Link, Page, render_cached
from smartpick.web.recommend_views import (
    MAX_BUDGET,
    MAX_PROGRAMS,
    RecommendationView,
    optional_number,
    recommendation_csv,
    recommendation_view,
)
from smartpick.web.routes.api_profiles import ProfileDocument, validated_profile

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["recommend"])
NumberQuery = Annotated[str | None, Query(max_length=32)]


@dataclass(frozen=True)
class RecommendationPage(Page):
    """``/profiles/{id}/recommendations``: the list, its chances and how it changes with the budget."""

    template = "recommendations.html"
    profile_id: int
    profile_name: str
    budget: float | None
    budget_is_default: bool
    max_programs: int | None
    query: str
    recommendation: RecommendationView


def _run(
    stored: StoredProfile,
    catalogue: Catalogue,
    budget: str | None,
    max_programs: str | None,
    recommender: RecommendationCache,
) -> tuple[Recommendation, float | None, int | None]:
    money = optional_number(budget, "budget", lo=0, hi=MAX_BUDGET)
    count = optional_number(max_programs, "max_programs", lo=1, hi=MAX_PROGRAMS, whole=True)
    most = int(count) if count is not None else None
    return recommender.get(stored.profile, catalogue, budget=money, max_programs=most), money, most


@pages.get("/profiles/{profile_id}/recommendations", name="recommendations")
def recommendations_page(
    request: Request,
    stored: ReadableProfileDep,
    catalogue: CatalogueDep,
    recommender: RecommenderDep,
    budget: NumberQuery = None,
    max_programs: NumberQuery = None,
) -> Response:
    """The recommended list; ``budget`` and ``max_programs`` re-optimize it."""
    rec, money, most = _run(stored, catalogue, budget, max_programs, recommender)
    query = "&".join(f"{k}={v:g}" for k, v in (("budget", money), ("max_programs", most)) if v is not None)
    shown_budget = money if money is not None else stored.profile.preferences.budget_usd

    def make_page() -> RecommendationPage:
        return RecommendationPage(
            title=f"Recommendations for {stored.name}", profile_id=stored.id, profile_name=stored.name,
            budget=shown_budget, budget_is_default=money is None, max_programs=most, query=query,
            recommendation=recommendation_view(rec),
        )  # fmt: skip

    # The viewer may read this profile (checked above); the content depends only on the profile, the
    # limits and the memoised recommendation object, so it is rendered once per such object.
    key = ("recommendations", stored.id, stored.name, shown_budget, money is None, most, query)
    return render_cached(request, key, (rec, catalogue), make_page)


@pages.get("/profiles/{profile_id}/recommendations.csv", name="recommendations_csv")
def recommendations_csv(
    stored: ReadableProfileDep,
    catalogue: CatalogueDep,
    recommender: RecommenderDep,
    budget: NumberQuery = None,
    max_programs: NumberQuery = None,
) -> Response:
    """The recommended list as CSV (probabilities are model estimates)."""
    rec, _, _ = _run(stored, catalogue, budget, max_programs, recommender)
    headers = {"Content-Disposition": 'attachment; filename="recommendations.csv"'}
    return Response(recommendation_csv(rec), media_type="text/csv; charset=utf-8", headers=headers)


class RecommendRequest(BaseModel):
    """A profile to recommend for, with optional limits (defaults: the profile's preferences)."""

    model_config = ConfigDict(extra="forbid")
    profile: ProfileDocument
    budget: Annotated[float | None, Field(ge=0, le=MAX_BUDGET, description="USD for ERAS PM&R fees.")] = None
    max_programs: Annotated[int | None, Field(ge=1, le=MAX_PROGRAMS, description="Most programs.")] = None


@api.post("/recommend")
def recommend_profile(
    body: RecommendRequest, _: CurrentUserDep, catalogue: CatalogueDep, recommender: RecommenderDep
) -> dict[str, Any]:
    """The recommended application list, as ``smartpick recommend --format json`` (chances are estimates)."""
    profile = validated_profile(body.profile, catalogue)
    rec = recommender.get(profile, catalogue, budget=body.budget, max_programs=body.max_programs)
    return rec.to_json_dict()


@api.get("/profiles/{profile_id}/recommendation")
def stored_recommendation(
    stored: ReadableProfileDep,
    catalogue: CatalogueDep,
    recommender: RecommenderDep,
    budget: Annotated[float | None, Query(ge=0, le=MAX_BUDGET)] = None,
    max_programs: Annotated[int | None, Query(ge=1, le=MAX_PROGRAMS)] = None,
) -> dict[str, Any]:
    """The recommendation for a stored profile (same JSON as ``POST /api/v1/recommend``)."""
    return recommender.get(stored.profile, catalogue, budget=budget, max_programs=max_programs).to_json_dict()


router = APIRouter()
router.include_router(pages)
router.include_router(api)
FEATURE = Feature("recommend", router, profile_links=(Link("Recommendations", "recommendations"),))
