"""The built wheel carries questionnaires, report templates, examples and schemas, and runs outside the checkout.

Builds the wheel without build isolation (hatchling comes from the test environment), installs it
into a fresh virtual environment and runs the installed `assess` from a folder outside the
checkout. The dependencies come from the test environment through a .pth line, so nothing is
downloaded; that line adds the folder alone, so the test environment's editable install of assess
stays out of the way.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs)


@pytest.fixture
def elsewhere(tmp_path):
    """A working folder outside the checkout, and an environment without hints to the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ASSESS_QUESTIONNAIRES", "VIRTUAL_ENV")}
    return tmp_path, env


def _bundles():
    return sorted(p.parent.name for p in (ROOT / "questionnaires").glob("*/questionnaire.yaml"))


def test_wheel_contains_questionnaires_reports_examples_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())

    expected = {f"assess/_data/questionnaires/{b}/questionnaire.yaml" for b in _bundles()}
    expected |= {f"assess/_data/reports/{p.name}" for p in (ROOT / "reports").iterdir() if p.is_file()}
    expected |= {f"assess/_data/examples/{p.name}" for p in (ROOT / "examples").glob("*.yaml")}
    expected |= {"assess/schemas/questionnaire.schema.json", "assess/schemas/answers.schema.json",
                 "assess/_data/examples/musterstadt.yaml", "assess/cli/__init__.py"}
    assert expected <= names, sorted(expected - names)
    assert not any(name.startswith("tests/") for name in names)


def test_installed_assess_is_the_wheel_not_the_checkout(venv, elsewhere):
    cwd, env = elsewhere

    done = _run(venv / "python", "-c", "import assess; print(assess.__file__)", cwd=cwd, env=env)

    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(venv.parent)


def test_installed_list_finds_the_shipped_questionnaires(venv, elsewhere):
    cwd, env = elsewhere

    done = _run(venv / "assess", "list", "--format", "json", cwd=cwd, env=env)

    assert done.returncode == 0, done.stderr
    assert sorted(row["id"] for row in json.loads(done.stdout)) == _bundles()


def test_installed_demo_writes_a_report_with_the_shipped_templates(venv, elsewhere):
    cwd, env = elsewhere

    done = _run(venv / "assess", "demo", "-o", cwd / "demo", cwd=cwd, env=env)

    assert done.returncode == 0, done.stdout + done.stderr
    html = (cwd / "demo" / "musterstadt-de.html").read_text(encoding="utf-8")
    assert "Musterstadt" in html and "<svg" in html


def test_installed_help_and_version(venv, elsewhere):
    cwd, env = elsewhere

    version = _run(venv / "assess", "--version", cwd=cwd, env=env)
    module = _run(venv / "python", "-m", "assess", "--help", cwd=cwd, env=env)

    assert version.returncode == 0 and version.stdout.startswith("assess, version ")
    assert module.returncode == 0 and module.stdout.startswith("Usage: ")
