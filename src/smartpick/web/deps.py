"""Dependencies every route shares, written once: settings, DB session, catalogue, viewer, ownership.

Use the ``...Dep`` aliases in route signatures::

    @router.get("/profiles/{profile_id}/thing")
    def thing(stored: ReadableProfileDep, catalogue: CatalogueDep) -> ...

``ReadableProfileDep`` and ``OwnedProfileDep`` take the ``profile_id`` path parameter and answer 404
(never 403, so ids do not leak) unless the viewer owns the profile, or, for reading, is an advisor
the owner shares with.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.services import profiles as profiles_svc
from smartpick.services.accounts import Role, get_user
from smartpick.services.catalogue import current_catalogue, latest_import_id
from smartpick.services.database import transaction
from smartpick.services.profiles import StoredProfile
from smartpick.services.recommend_cache import RecommendationCache
from smartpick.web.settings import WebSettings

SESSION_USER = "uid"
SESSION_VERSION = "sv"


class LoginRequired(Exception):
    """Raised when a route needs a signed-in user and there is none."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a signed-in account, or the single local user (``user_id`` None)."""

    user_id: int | None
    username: str
    role: Role = Role.APPLICANT

    @property
    def is_advisor(self) -> bool:
        """Advisors read profiles shared with them."""
        return self.role is Role.ADVISOR

    @property
    def is_local(self) -> bool:
        """The local single-user mode's only user."""
        return self.user_id is None


LOCAL_VIEWER = Viewer(user_id=None, username="local user")


async def get_settings(request: Request) -> WebSettings:
    """The app's settings (async: a plain read, so no worker thread is spent on it)."""
    settings: WebSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[WebSettings, Depends(get_settings)]


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on any error."""
    with transaction(request.app.state.sessionmaker) as session:
        yield session


# scope="function": commit before the response is sent, so a redirect never outruns its write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


class CatalogueCache:
    """The merged catalogue, rebuilt only when a newer fact import exists.

    Whether one exists is asked of the database at most once per ``max_age`` seconds (imports come from
    ``smartpick programs import`` in another process, so a page shows them within that time); between
    checks a request costs no query and no thread.
    """

    def __init__(self, max_age: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._key = -1
        self._catalogue: Catalogue | None = None
        self._checked = -math.inf
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()

    def fresh(self) -> Catalogue | None:
        """The catalogue when it was checked less than ``max_age`` ago, else None (call `refresh`)."""
        if self._clock() - self._checked < self._max_age:
            return self._catalogue
        return None

    def current(self, session: Session) -> Catalogue:
        """The bundled catalogue with every imported fact applied, checked against the database now."""
        now = self._clock()
        key = latest_import_id(session)
        with self._lock:
            if self._catalogue is None or key != self._key:
                self._catalogue, self._key = current_catalogue(session if key else None), key
            self._checked = now
            return self._catalogue


async def get_catalogue(request: Request, session: SessionDep) -> Catalogue:
    """The catalogue in use (bundled plus imported facts); the database is asked only when a check is due.

    The check uses the request's own session: a second connection per request could wait forever for a
    pool that the other requests' sessions hold.
    """
    cache: CatalogueCache = request.app.state.catalogues
    catalogue = cache.fresh()
    if catalogue is None:
        catalogue = await run_in_threadpool(cache.current, session)
    return catalogue


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


def optional_viewer(request: Request, settings: SettingsDep, session: SessionDep) -> Viewer | None:
    """The viewer, or ``None`` when nobody is signed in (multi mode only)."""
    viewer = LOCAL_VIEWER if not settings.multi_user else _signed_in(request, session)
    request.state.viewer = viewer
    return viewer


def _signed_in(request: Request, session: Session) -> Viewer | None:
    uid = request.session.get(SESSION_USER)
    if not isinstance(uid, int):
        return None
    user = get_user(session, uid)
    if user is None or request.session.get(SESSION_VERSION) != user.session_version:
        return None  # signed out everywhere, or the account is gone
    return Viewer(user_id=user.id, username=user.username, role=user.role)


OptionalUserDep = Annotated[Viewer | None, Depends(optional_viewer)]


def current_user(viewer: OptionalUserDep) -> Viewer:
    """The signed-in viewer; pages redirect to the login form and the API answers 401 otherwise."""
    if viewer is None:
        raise LoginRequired
    return viewer


CurrentUserDep = Annotated[Viewer, Depends(current_user)]


ProfileIdPath = Annotated[int, Path(ge=1, le=2**31 - 1, description="A stored profile's id.")]


def readable_profile(profile_id: ProfileIdPath, viewer: CurrentUserDep, session: SessionDep) -> StoredProfile:
    """The profile if the viewer may read it, else 404."""
    return profiles_svc.readable_profile(session, profile_id, viewer.user_id)


def owned_profile(profile_id: ProfileIdPath, viewer: CurrentUserDep, session: SessionDep) -> StoredProfile:
    """The profile if the viewer owns it (advisors cannot change shared profiles), else 404."""
    return profiles_svc.owned_profile(session, profile_id, viewer.user_id)


ReadableProfileDep = Annotated[StoredProfile, Depends(readable_profile)]
OwnedProfileDep = Annotated[StoredProfile, Depends(owned_profile)]


async def form_fields(request: Request) -> dict[str, list[str]]:
    """The submitted form's text fields by name (files and the CSRF token left out)."""
    form = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and key != "csrf_token":
            out.setdefault(key, []).append(value)
    return out


FormDep = Annotated[dict[str, list[str]], Depends(form_fields)]


async def get_recommender(request: Request) -> RecommendationCache:
    """The app's memo of recommendations (recomputed only when the profile, limits or catalogue change)."""
    cache: RecommendationCache = request.app.state.recommendations
    return cache


RecommenderDep = Annotated[RecommendationCache, Depends(get_recommender)]
