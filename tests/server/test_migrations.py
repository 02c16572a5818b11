"""Migrations: up from an empty database and from every earlier revision, on SQLite and PostgreSQL;
the models match what the migrations create."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from assess.server import db
from assess.server.models import Base
from tests.server.helpers import QUICK


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


def test_data_of_the_previous_revision_survives_the_upgrade(database_url):
    """A database as the previous release left it, with a round and answers, upgraded to the newest."""
    from alembic import command
    from sqlalchemy import text

    from assess.server import service
    from assess.server.models import Respondent

    engine = db.make_engine(database_url)
    revisions, head = _revisions(engine)
    db.migrate(engine, revisions[-2])
    stamp = "2026-01-01 00:00:00"
    with engine.begin() as connection:
        # named columns: a later revision may add columns with defaults (0003: peer_opt_in)
        connection.execute(text("INSERT INTO users (id, email, name, password_hash, is_admin, active, created_at) "
                                f"VALUES (1, 'a@b.de', 'A', 'x', false, true, '{stamp}')"))
        connection.execute(text("INSERT INTO municipalities (id, owner_id, name, ags, state, population, created_at) "
                                f"VALUES (1, 1, 'Musterstadt', '09999001', 'BY', 12400, '{stamp}')"))
        connection.execute(text("INSERT INTO rounds (id, municipality_id, label, questionnaire_id, questionnaire_version, status, "
                                f"merge_method, priorities, targets, created_at) VALUES (1, 1, '2026', 'quickcheck', '{QUICK.version}', "
                                f"'open', 'median', '{{}}', '{{}}', '{stamp}')"))
        connection.execute(text("INSERT INTO respondents (id, round_id, name, role, source, date, created_at) "
                                f"VALUES (1, 1, 'Petra', 'Hauptamt', 'link', '2026-01-02', '{stamp}')"))
        connection.execute(text("INSERT INTO answers (id, respondent_id, question, value, comment, evidence, updated_at) "
                                f"VALUES (1, 1, 'sec_backup', '\"none\"', 'NAS', '', '{stamp}')"))
    db.migrate(engine)
    assert db.current_revision(engine) == head
    with db.session_factory(engine)() as session:
        person = session.get(Respondent, 1)
        answers = service.answer_set(person, service.questionnaire_of(person.round))
        assert [(a.question, a.value, a.comment) for a in answers.answers] == [("sec_backup", "none", "NAS")]
        assert [r.name for r in answers.respondents] == ["Petra"]
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), revisions[-2])  # and back, keeping the data
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM respondents")).scalar() == "Petra"
    engine.dispose()
