"""Alembic environment: run on the connection the server hands over (see assess.server.db.migrate)."""

from alembic import context
from sqlalchemy import text

connection = context.config.attributes["connection"]
if connection.dialect.name == "postgresql":
    # Several workers or hosts may start at once: one migrates, the others wait for it.
    connection.execute(text("SELECT pg_advisory_xact_lock(4721012)"))
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
