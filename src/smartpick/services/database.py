"""The database as the CLI and the web open it: engines, migrations and one transaction per unit of work.

The edges reach storage through the services only; this module hands them the connection machinery.
"""

from __future__ import annotations

from smartpick.store import web_models  # noqa: F401 - registers the web tables on Base.metadata
from smartpick.store.db import default_url, engine_for, make_engine, migrate, session_scope, transaction

__all__ = ["default_url", "engine_for", "make_engine", "migrate", "session_scope", "transaction"]
