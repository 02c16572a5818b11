"""Database access: the engine for a URL, migrations on start, and the installation's secret key."""

from __future__ import annotations

import contextlib
import secrets
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assess.server.models import Setting

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, full sync and a busy timeout so concurrent writers wait."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged answer survives a crash
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to `revision` (normally the newest); safe to run on every start, also by
    several processes at once (PostgreSQL: an advisory lock in env.py; SQLite: a lock file beside it)."""
    from alembic import command

    with _sqlite_lock(engine), engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


@contextlib.contextmanager
def _sqlite_lock(engine: Engine):
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    try:
        import fcntl
    except ImportError:  # Windows: one process at a time is the user's business there
        fcntl = None
    if not database or database == ":memory:" or fcntl is None:
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def secret_key(sessions: sessionmaker) -> str:
    """The key that signs session cookies: made once per installation, shared by every worker."""
    with sessions() as session:
        found = session.get(Setting, "secret_key")
        if found is not None:
            return found.value
        session.add(Setting(key="secret_key", value=secrets.token_hex(32)))
        try:
            session.commit()
        except IntegrityError:  # another worker made it first
            session.rollback()
        return session.scalars(select(Setting.value).where(Setting.key == "secret_key")).one()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
