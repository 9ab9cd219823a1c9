"""Alembic environment: runs on the connection handed over by `smartpick.store.db.migrate`."""

from alembic import context

from smartpick.store.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations always run through db.migrate
    raise RuntimeError("run migrations through smartpick.store.db.migrate(engine)")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
