"""Fixtures for the server tests: a real database (SQLite file, and PostgreSQL when
ASSESS_TEST_POSTGRES_URL names one), the app on it, and a signed-in test client."""

from __future__ import annotations

import os
import re

import pytest

pytest.importorskip("flask", reason="the server tests need the extra: pip install -e '.[server]'")

from sqlalchemy import create_engine, text  # noqa: E402

from assess.server import create_app  # noqa: E402
from assess.server.security import hash_password  # noqa: E402

POSTGRES_ENV = "ASSESS_TEST_POSTGRES_URL"
PASSWORD = "richtig-geheim-123"
_HASH = hash_password(PASSWORD)  # made once: scrypt is slow on purpose


_WORKER_URL: list[str] = []


def postgres_url() -> str:
    """The PostgreSQL test database; skipped locally without one, a failure in CI.

    Under pytest-xdist every worker gets a database of its own (DB_gw0, DB_gw1, …), made here.
    """
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set in CI: .ci/run must start PostgreSQL and export it")
        pytest.skip(f"no PostgreSQL: set {POSTGRES_ENV}=postgresql+psycopg://USER@HOST:PORT/DB to run these tests")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    if not _WORKER_URL:
        from sqlalchemy.engine import make_url

        base = make_url(url)
        name = f"{base.database}_{worker}"
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        _WORKER_URL.append(base.set(database=name).render_as_string(hide_password=False))
    return _WORKER_URL[0]


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


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


def add_user(app, email: str, admin: bool = False, active: bool = True) -> int:
    from assess.server.models import User

    with app.extensions["assess_sessions"]() as db:
        user = User(email=email, name=email.split("@")[0], password_hash=_HASH, is_admin=admin, active=active)
        db.add(user)
        db.commit()
        return user.id


class Client:
    """Flask's test client with the CSRF token of its session filled in on every POST."""

    def __init__(self, app, base_url: str = "http://localhost"):
        self.app = app
        self.http = app.test_client()
        self.base_url = base_url

    def csrf(self) -> str:
        with self.http.session_transaction() as session:
            if "csrf" not in session:
                session["csrf"] = "test-csrf-" + os.urandom(8).hex()
            return session["csrf"]

    def get(self, url, **kwargs):
        return self.http.get(url, base_url=self.base_url, **kwargs)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf())
        return self.http.post(url, data=data, base_url=self.base_url, **kwargs)

    def post_json(self, url, payload, csrf=True):
        headers = {"X-CSRF-Token": self.csrf()} if csrf else {}
        return self.http.post(url, json=payload, headers=headers, base_url=self.base_url)

    def login(self, email: str, password: str = PASSWORD):
        return self.post("/login", {"email": email, "password": password})


def sign_in(app, email: str, admin: bool = False) -> Client:
    add_user(app, email, admin)
    client = Client(app)
    response = client.login(email)
    assert response.status_code == 302, response.data[:500]
    return client


def create_town(client: Client, name: str = "Musterstadt", population: str = "12400", **extra) -> int:
    response = client.post("/towns", {"name": name, "population": population, "ags": extra.get("ags", "09999001"),
                                      "state": extra.get("state", "BY")})
    assert response.status_code == 302, response.data[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def create_round(client: Client, town_id: int, questionnaire: str = "quickcheck@1.1", label: str = "Erhebung 2026") -> int:
    response = client.post(f"/towns/{town_id}/rounds", {"questionnaire": questionnaire, "label": label})
    assert response.status_code == 302, response.data[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def invite(client: Client, round_id: int, name: str, role: str = "Hauptamt", days: str = "30") -> str:
    """Invite a person; return the link's path (/r/TOKEN) shown once on the page."""
    response = client.post(f"/rounds/{round_id}/invite", {"name": name, "role": role, "days": days})
    assert response.status_code == 201, response.data[:2000]
    link = re.search(r'value="https?://[^"/]+(/r/[A-Za-z0-9_\-]+)" id="new-link"', response.data.decode())
    assert link, "the new link is shown once"
    return link.group(1)
