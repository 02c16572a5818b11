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


@pytest.fixture(scope="session")
def mini():
    """The small test questionnaire, loaded once."""
    from assess.loading import load_questionnaire

    return load_questionnaire(MINI)


@pytest.fixture(scope="session")
def library():
    """A Library that sees the test questionnaires and the shipped ones."""
    from assess.library import Library

    return Library((QUESTIONNAIRE_DIR,))
