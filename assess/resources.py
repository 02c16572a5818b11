"""Locate the questionnaires and report templates shipped with assess, in a checkout or a wheel."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assess.errors import NotFoundError
from assess.loading import ID_PATTERN, load_catalogue, load_questionnaire
from assess.model import Catalogue, Questionnaire, Text

CATALOGUE_FILE = "measures.yaml"


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """The folder `questionnaires` or `reports`: inside the installed wheel, else in the checkout
    (looked up once per process: every answer file asks for it)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise NotFoundError(f"the folder '{name}' is missing from the installation; reinstall assess")


def questionnaire_paths(search: tuple[Path, ...] = ()) -> list[Path]:
    """The questionnaire files of every bundle in `search` folders and the installed ones."""
    found: dict[str, Path] = {}
    for folder in (*search, data_dir("questionnaires")):
        for path in sorted(Path(folder).glob("*/questionnaire.yaml")):
            found.setdefault(path.parent.name, path)
    return list(found.values())


def find_questionnaire(name: str, search: tuple[Path, ...] = ()) -> Path:
    """A questionnaire given as a bundle id (`quickcheck`) or as a path to a YAML file.

    Bundle ids are looked up in the `search` folders first (`--questionnaires`), then installed ones.
    """
    path = Path(name)
    if path.suffix in (".yaml", ".yml", ".json") or "/" in name or "\\" in name:
        if not path.is_file():
            raise NotFoundError(Text(f"{name}: Datei nicht gefunden", f"{name}: file not found"))
        return path
    for folder in (*search, data_dir("questionnaires")):
        bundle = Path(folder) / name / "questionnaire.yaml"
        if bundle.is_file():
            return bundle
    available = ", ".join(p.parent.name for p in questionnaire_paths(search))
    raise NotFoundError(Text(
        f"ein Fragebogen „{name}“ ist nicht installiert; vorhanden sind: {available} "
        f"(einen Ordner mit eigenen Fragebögen fügt --questionnaires ORDNER hinzu)",
        f"no questionnaire '{name}' is installed; available are: {available} "
        f"(a folder of your own questionnaires can be added with --questionnaires DIR)"))


def resolve_questionnaire(qid: str, version: str | None, search: tuple[Path, ...] = ()) -> Questionnaire:
    """The questionnaire bundle `qid` in exactly `version` (None: the installed one, whatever its
    version); errors say what is available.

    Only bundle folders are searched, never a file path: an answer file or a workbook names an id.
    """
    if not ID_PATTERN.match(qid):
        raise NotFoundError(Text(
            f"„{qid}“ ist keine Kennung eines Fragebogens (Kleinbuchstaben, Ziffern und „_“, z. B. quickcheck)",
            f"'{qid}' is not a questionnaire id (lower case letters, digits and '_', like quickcheck)"))
    bundles = [Path(folder) / qid / "questionnaire.yaml" for folder in (*search, data_dir("questionnaires"))]
    path = next((b for b in bundles if b.is_file()), None)
    if path is None:
        available = ", ".join(p.parent.name for p in questionnaire_paths(search))
        raise NotFoundError(Text(f"ein Fragebogen „{qid}“ ist nicht installiert; vorhanden sind: {available}",
                                 f"no questionnaire '{qid}' is installed; available are: {available}"))
    questionnaire = load_questionnaire(path)
    if version is not None and questionnaire.version != version and questionnaire.migration_from(version):
        raise NotFoundError(Text(
            f"die Antworten gehören zu {qid}@{version}, installiert ist {questionnaire.ref}; übertragen Sie sie mit "
            f"„assess migrate ANTWORTDATEI -o NEUE-DATEI“ auf die neue Version",
            f"the answer file is for {qid}@{version}, but {questionnaire.ref} is installed; carry the answers over "
            f"with 'assess migrate ANSWERS -o NEW-FILE'"))
    if version is not None and questionnaire.version != version:
        raise NotFoundError(Text(
            f"die Antworten gehören zu {qid}@{version}, installiert ist aber {questionnaire.ref}; beantworten Sie "
            f"die installierte Version oder installieren Sie die passende Ausgabe von assess",
            f"the answer file is for {qid}@{version}, but the installed questionnaire is {questionnaire.ref}; "
            f"answer the installed version or install the matching assess release"))
    return questionnaire


def installed_questionnaires(search: tuple[Path, ...] = ()) -> tuple[Questionnaire, ...]:
    """Every available questionnaire, loaded."""
    return tuple(load_questionnaire(p) for p in questionnaire_paths(search))


def catalogue_path(questionnaire: Questionnaire) -> Path | None:
    """The measure catalogue of a questionnaire: its bundle's own measures.yaml, else the catalogue
    it names with `catalogue:`; None for a bundle without measures."""
    if not questionnaire.path:
        return None
    folder = Path(questionnaire.path).parent
    own = folder / CATALOGUE_FILE
    if own.is_file():
        return own
    return (folder / questionnaire.catalogue).resolve() if questionnaire.catalogue else None


def load_catalogue_for(questionnaire: Questionnaire) -> Catalogue:
    """The measure catalogue that applies to `questionnaire` (empty when the bundle has none).

    A bundle's own catalogue is checked against its questionnaire. A catalogue shared by the shipped
    questionnaires (the Quick-Check and the Digital-Check) is checked against all of them.
    """
    path = catalogue_path(questionnaire)
    if path is None or not path.is_file():
        return Catalogue((), str(path or ""))
    if path.parent == Path(questionnaire.path).parent:
        return load_catalogue(path, (questionnaire,))
    sharing = tuple(q for q in installed_questionnaires() if catalogue_path(q) == path) or (questionnaire,)
    if not any(q is questionnaire for q in sharing):
        sharing = (questionnaire,)
    return load_catalogue(path, sharing)


def example_path(name: str) -> Path:
    """A shipped example answer file."""
    path = data_dir("examples") / name
    if not path.is_file():
        raise NotFoundError(f"the example '{name}' is missing from the installation; reinstall assess")
    return path
