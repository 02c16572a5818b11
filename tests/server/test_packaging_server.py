"""The wheel carries the server's migrations, templates and style, and the installed `assess`
migrates a new database outside the checkout (the same approach as tests/test_packaging.py)."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent.parent
SERVER = ROOT / "assess" / "server"


def _run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs)


def test_wheel_contains_migrations_templates_and_static_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"assess/server/{p.relative_to(SERVER).as_posix()}"
                for p in SERVER.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert any(n.startswith("assess/server/migrations/versions/") for n in expected)
    assert expected <= names, sorted(expected - names)


def test_installed_assess_migrates_a_new_database(venv, tmp_path):
    """Only the wheel in a fresh environment (its dependencies from the test environment via a .pth)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["ASSESS_DATABASE_URL"] = f"sqlite:///{folder / 'assess.db'}"
    added = _run(venv / "assess", "users", "add", "a@b.de", "--password-stdin", input="lang-genug-123\n",
                 cwd=folder, env=env)
    assert added.returncode == 0, added.stdout + added.stderr
    listed = _run(venv / "assess", "users", "list", cwd=folder, env=env)
    assert "a@b.de" in listed.stdout, listed.stdout + listed.stderr
    where = _run(venv / "python", "-c", "import assess.server; print(assess.server.__file__)", cwd=folder, env=env)
    assert str(ROOT) not in where.stdout  # the wheel's copy, not the checkout
