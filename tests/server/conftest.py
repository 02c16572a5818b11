"""Fixtures for the server tests: a real database (SQLite file, and PostgreSQL when
ASSESS_TEST_POSTGRES_URL names one) and the app on it. Helpers are in helpers.py."""

from __future__ import annotations

import pytest

pytest.importorskip("flask", reason="the server tests need the extra: pip install -e '.[server]'")

from assess.server import create_app  # noqa: E402
from tests.server.helpers import postgres_url, reset_postgres  # noqa: E402


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assess.db'}"
    url = postgres_url()
    reset_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'assess.db'}"


@pytest.fixture
def app(database_url):
    app = create_app(database_url, testing=True)
    yield app
    app.extensions["assess_engine"].dispose()


@pytest.fixture
def sqlite_app(sqlite_url):
    app = create_app(sqlite_url, testing=True)
    yield app
    app.extensions["assess_engine"].dispose()
