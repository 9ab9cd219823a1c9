"""The FastAPI application factory: nothing is created at import time.

``create_app(settings)`` builds the engine, runs migrations, mounts static files, installs the
session cookie, CSRF check and error handlers, and includes every feature's routes.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import smartpick
from smartpick.services.database import make_engine, migrate
from smartpick.services.recommend_cache import RecommendationCache
from smartpick.web.accounts import LoginLimits
from smartpick.web.api_docs import install_api_docs
from smartpick.web.deps import CatalogueCache
from smartpick.web.errors import API_PREFIX, CsrfRejected, install_handlers
from smartpick.web.limits import REJECTED_KEY, RequestLimits
from smartpick.web.pages import STATIC_DIR, make_templates
from smartpick.web.routes import FEATURES
from smartpick.web.security import CSRF_FIELD, CSRF_HEADER, csrf_matches
from smartpick.web.settings import WebSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SESSION_COOKIE = "smartpick_session"


async def raise_rejected(request: Request) -> None:
    """Raise a page request's rejection by `RequestLimits` (so it renders as the styled error page)."""
    rejected = request.scope.get("state", {}).get(REJECTED_KEY)
    if rejected is not None:
        raise rejected


async def csrf_protect(request: Request) -> None:
    """Reject unsafe requests that could come from another site.

    Forms must echo the session's CSRF token (field ``csrf_token`` or header ``X-CSRF-Token``).
    API requests with a body must be JSON, which a cross-site form cannot send without a CORS
    preflight this server never grants; cookies are also ``SameSite=Lax``.
    """
    if request.method in SAFE_METHODS:
        return
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.url.path.startswith(API_PREFIX):
        if ctype in FORM_TYPES or ctype == "text/plain":
            raise CsrfRejected
        return
    sent: object = request.headers.get(CSRF_HEADER)
    if sent is None and ctype in FORM_TYPES:
        sent = (await request.form()).get(CSRF_FIELD)
    if not csrf_matches(request.session, sent):
        raise CsrfRejected


def create_app(settings: WebSettings) -> FastAPI:
    """A configured SmartPick web app."""
    engine = make_engine(settings.database_url)
    if settings.migrate:
        migrate(engine)
    app = FastAPI(
        title="SmartPick",
        version=smartpick.__version__,
        summary="PM&R residency decision support: profiles, program catalogue and (as they land) planning.",
        dependencies=[Depends(raise_rejected), Depends(csrf_protect)],
        docs_url=None,  # served by install_api_docs: self-hosted Swagger UI that works under the CSP
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker(bind=engine, expire_on_commit=False)
    app.state.catalogues = CatalogueCache()
    app.state.recommendations = RecommendationCache()
    app.state.templates = make_templates()
    app.state.login_limits = LoginLimits.from_settings(settings)
    features = [f for f in FEATURES if settings.multi_user or not f.multi_only]
    app.state.nav = tuple(link for f in features for link in f.nav)
    app.state.profile_links = tuple(link for f in features for link in f.profile_links)
    for feature in features:
        app.include_router(feature.router)
    install_api_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    install_handlers(app)
    return app


def app_from_env() -> FastAPI:
    """The app configured from ``SMARTPICK_*`` environment variables (uvicorn ``--factory`` target)."""
    return create_app(WebSettings.from_env())


class SecurityHeaders:
    """Adds browser hardening headers to every response (pure ASGI: no per-request task overhead)."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
