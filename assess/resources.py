"""Locate the questionnaires and report templates shipped with assess, in a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path

from assess.errors import NotFoundError
from assess.loading import load_catalogue, load_questionnaire
from assess.model import Catalogue, Questionnaire

CATALOGUE_FILE = "measures.yaml"


def data_dir(name: str) -> Path:
    """The folder `questionnaires` or `reports`: inside the installed wheel, else in the checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise NotFoundError(f"the folder '{name}' is missing from the installation; reinstall assess")


def questionnaire_paths() -> list[Path]:
    """The questionnaire files of every installed bundle, sorted by folder name."""
    return sorted(data_dir("questionnaires").glob("*/questionnaire.yaml"))


def find_questionnaire(name: str) -> Path:
    """A questionnaire given as an installed id (`quickcheck`) or as a path to a YAML file."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml", ".json") or path.is_file():
        if not path.is_file():
            raise NotFoundError(f"{name}: file not found")
        return path
    bundle = data_dir("questionnaires") / name / "questionnaire.yaml"
    if not bundle.is_file():
        installed = ", ".join(p.parent.name for p in questionnaire_paths())
        raise NotFoundError(f"no questionnaire '{name}' is installed; installed are: {installed}")
    return bundle


def resolve_questionnaire(qid: str, version: str) -> Questionnaire:
    """The installed questionnaire `qid` in exactly `version`; errors say what is installed."""
    questionnaire = load_questionnaire(find_questionnaire(qid))
    if questionnaire.version != version:
        raise NotFoundError(
            f"the answer file is for {qid}@{version}, but the installed questionnaire is {questionnaire.ref}; "
            f"answer the installed version or install the matching assess release"
        )
    return questionnaire


def installed_questionnaires() -> tuple[Questionnaire, ...]:
    """Every installed questionnaire, loaded."""
    return tuple(load_questionnaire(p) for p in questionnaire_paths())


def load_builtin_catalogue() -> Catalogue:
    """The shipped measure catalogue, checked against all installed questionnaires."""
    return load_catalogue(data_dir("questionnaires") / CATALOGUE_FILE, installed_questionnaires())


def example_path(name: str) -> Path:
    """A shipped example answer file."""
    path = data_dir("examples") / name
    if not path.is_file():
        raise NotFoundError(f"the example '{name}' is missing from the installation; reinstall assess")
    return path
