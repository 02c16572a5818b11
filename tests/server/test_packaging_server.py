"""The wheel carries the server's migrations, templates and style, and the installed `assess`
migrates a new database outside the checkout."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.test_packaging import ROOT, _run, elsewhere, venv, wheel  # noqa: F401  (fixtures)

SERVER = ROOT / "assess" / "server"


def test_wheel_contains_migrations_templates_and_static_files(wheel):  # noqa: F811
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"assess/server/{p.relative_to(SERVER).as_posix()}"
                for p in SERVER.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert any(n.startswith("assess/server/migrations/versions/") for n in expected)
    assert expected <= names, sorted(expected - names)


def test_installed_assess_migrates_a_new_database(venv, elsewhere):  # noqa: F811
    folder, env = elsewhere
    added = _run(venv / "assess", "users", "add", "a@b.de", "--password-stdin", "--database-url",
                 f"sqlite:///{folder / 'assess.db'}", input="lang-genug-123\n", cwd=folder, env=env)
    assert added.returncode == 0, added.stdout + added.stderr
    listed = _run(venv / "assess", "users", "list", cwd=folder, env={**env, "ASSESS_DATABASE_URL": f"sqlite:///{folder / 'assess.db'}"})
    assert "a@b.de" in listed.stdout, listed.stdout + listed.stderr
    assert Path(folder / "assess.db").exists()
