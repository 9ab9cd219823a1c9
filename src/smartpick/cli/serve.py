"""``smartpick serve``: the web app (pages and JSON API) on uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from smartpick.cli.render import echo
from smartpick.errors import InputError
from smartpick.web.settings import ENV_PREFIX, Mode, WebSettings


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 exposes it to the network).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for more than one).", min=1, max=64)
    ] = 1,
    mode: Annotated[Mode | None, typer.Option(help="local: one user, no login; multi: accounts.")] = None,
) -> None:
    """Serve the web app: pages, the JSON API under /api/v1 and OpenAPI at /openapi.json."""
    import uvicorn

    settings = prepare(mode, workers)
    echo(
        f"SmartPick ({settings.mode.value} mode) on http://{host}:{port}; "
        f"database {_safe(settings.database_url)}"
    )
    uvicorn.run(
        "smartpick.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
        log_level="info", proxy_headers=False,  # the app reads X-Forwarded-For from trusted proxies only
    )  # fmt: skip


def prepare(mode: Mode | None, workers: int) -> WebSettings:
    """Check the settings and migrate once, before the workers start (they then skip migrating).

    Raises:
        InputError: several workers on an in-memory database, or a setting with a bad value.
    """
    if mode is not None:
        os.environ[f"{ENV_PREFIX}WEB_MODE"] = mode.value
    key = f"{ENV_PREFIX}SECRET_KEY"
    if not os.environ.get(key) and os.environ.get(f"{ENV_PREFIX}WEB_MODE", "local") != Mode.MULTI.value:
        # Local mode needs no configured key, but every worker must share one to read the others' cookies.
        os.environ[key] = secrets.token_urlsafe(32)
    settings = WebSettings.from_env()
    os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    if workers > 1 and _in_memory(settings.database_url):
        raise InputError(
            "--workers", workers, "1 with an in-memory database (each worker would have its own)"
        )
    from smartpick.services.database import make_engine, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    engine.dispose()
    os.environ[f"{ENV_PREFIX}WEB_MIGRATE"] = "0"
    return settings


def _safe(url: str) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _in_memory(url: str) -> bool:
    return url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite:/"))
