"""Helpers for the server tests: the PostgreSQL test database, accounts, a test client that sends
the CSRF token, and the steps of a round. Fixtures are in conftest.py; tests import from here."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from assess.library import Library
from assess.server.security import hash_password

POSTGRES_ENV = "ASSESS_TEST_POSTGRES_URL"
QUICK = Library().questionnaire("quickcheck")  # as installed: the tests follow new versions
DIGITAL = Library().questionnaire("digitalcheck")
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


def create_round(client: Client, town_id: int, questionnaire: str | None = None, label: str = "Erhebung 2026") -> int:
    response = client.post(f"/towns/{town_id}/rounds", {"questionnaire": questionnaire or QUICK.ref, "label": label})
    assert response.status_code == 302, response.data[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def invite(client: Client, round_id: int, name: str, role: str = "Hauptamt", days: str = "30") -> str:
    """Invite a person; return the link's path (/r/TOKEN) shown once on the page."""
    response = client.post(f"/rounds/{round_id}/invite", {"name": name, "role": role, "days": days})
    assert response.status_code == 201, response.data[:2000]
    link = re.search(r'value="https?://[^"/]+(/r/[A-Za-z0-9_\-]+)" id="new-link"', response.data.decode())
    assert link, "the new link is shown once"
    return link.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "assess", "serve", "--database-url", url, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode())
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start within 60 s")
