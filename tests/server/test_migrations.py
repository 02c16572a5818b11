"""Migrations: up from an empty database and from every earlier revision, on SQLite and PostgreSQL;
the models match what the migrations create."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from assess.server import db
from assess.server.models import Base


def _revisions(engine):
    with engine.connect() as connection:
        script = ScriptDirectory.from_config(db.alembic_config(connection))
        return [r.revision for r in reversed(list(script.walk_revisions()))], script.get_current_head()


def test_migrations_run_up_from_an_empty_database_and_match_the_models(database_url):
    engine = db.make_engine(database_url)
    assert inspect(engine).get_table_names() == []
    db.migrate(engine)
    _, head = _revisions(engine)
    assert db.current_revision(engine) == head
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    db.migrate(engine)  # a second start changes nothing
    assert db.current_revision(engine) == head
    engine.dispose()


def test_migrations_run_up_from_every_earlier_revision(database_url):
    engine = db.make_engine(database_url)
    revisions, head = _revisions(engine)
    for earlier in ["base", *revisions[:-1]]:
        with engine.begin() as connection:
            from alembic import command

            command.downgrade(db.alembic_config(connection), earlier)
        assert db.current_revision(engine) == (None if earlier == "base" else earlier)
        db.migrate(engine)
        assert db.current_revision(engine) == head
    engine.dispose()
