"""Shared test setup: paths, the mini questionnaire, and a private cache folder for the whole run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
QUESTIONNAIRE_DIR = DATA / "questionnaires"
MINI = QUESTIONNAIRE_DIR / "mini" / "questionnaire.yaml"
SEARCH = ["--questionnaires", str(QUESTIONNAIRE_DIR)]

# One cache folder per test run (inherited by every `assess` subprocess): tests never read entries a
# developer's own runs left behind, nor leave any in the user's cache.
os.environ["ASSESS_CACHE_DIR"] = tempfile.mkdtemp(prefix="assess-test-cache-")
# … and no report configuration of the developer's own (~/.config/assess/assess.yaml) changes a report.
os.environ["ASSESS_CONFIG_DIR"] = tempfile.mkdtemp(prefix="assess-test-config-")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown when it is not loaded
def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than the cores this run may use. Many tests spend seconds waiting for a
    subprocess, a server or the browser; a third worker on two cores keeps both busy meanwhile (3 min
    42 s instead of 3 min 58 s for the whole suite in one measurement on the 2-core machine)."""
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1


@pytest.fixture(scope="session")
def mini():
    """The small test questionnaire, loaded once."""
    from assess.loading import load_questionnaire

    return load_questionnaire(MINI)


def _town_file(folder: Path, name: str, backup: str, ags: str = "", date: str = "2026-11-23", suffix=".yaml") -> Path:
    path = folder / f"{name.lower()}{suffix}"
    ags_line = f', ags: "{ags}"' if ags else ""
    path.write_text(f"questionnaire: mini@1.0\nmunicipality: {{name: {name}, population: 3000{ags_line}}}\n"
                    f"date: {date}\nanswers:\n  sec_backup: {backup}\n  str_strategy: draft\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def town_file():
    """Writes a small answer file of a town to the mini questionnaire: town_file(folder, "Aue", "offline")."""
    return _town_file


@pytest.fixture(scope="session")
def library():
    """A Library that sees the test questionnaires and the shipped ones."""
    from assess.library import Library

    return Library((QUESTIONNAIRE_DIR,))


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole run (skipped where it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _run(*args, **kwargs):
    import subprocess

    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The project's wheel, built once per test run (without build isolation: hatchling comes from
    the test environment)."""
    import sys

    dist = tmp_path_factory.mktemp("dist")
    built = _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, ROOT)
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="session")
def venv(tmp_path_factory, wheel):
    """A fresh virtual environment with only the wheel installed (its dependencies come from the test
    environment through a .pth file); returns its bin folder."""
    import sys
    import sysconfig

    root = tmp_path_factory.mktemp("venv")
    made = _run(sys.executable, "-m", "venv", "--without-pip", root)
    assert made.returncode == 0, made.stderr
    python = root / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    Path(purelib, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return root / "bin"
