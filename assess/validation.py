"""Validate any input file — questionnaire, measure catalogue or answer file — and list its problems."""

from __future__ import annotations

from pathlib import Path

from assess.answers import answers_from_data
from assess.errors import AssessError, Problem, ValidationError
from assess.loading import load_questionnaire, read_catalogue, read_questionnaire
from assess.model import Text
from assess.resources import installed_questionnaires, resolve_questionnaire
from assess.yamlfile import read_file


def validate_file(path: Path, search: tuple[Path, ...] = ()) -> list[Problem]:
    """Every problem (errors and warnings) of one file; the kind is recognised from its top-level keys."""
    try:
        data = read_file(path)
        if isinstance(data, dict) and "dimensions" in data:
            _, problems = read_questionnaire(path)
        elif isinstance(data, dict) and "measures" in data:
            beside = Path(path).parent / "questionnaire.yaml"
            against = (load_questionnaire(beside),) if beside.is_file() else installed_questionnaires(search)
            _, problems = read_catalogue(path, against)
        elif isinstance(data, dict) and "questionnaire" in data:
            # the data read above: an answer file is parsed once
            _, _, problems = answers_from_data(data, str(path), lambda qid, version: resolve_questionnaire(qid, version, search))
        else:
            return [Problem(str(path), 1, Text(
                "weder Fragebogen (braucht „dimensions“) noch Maßnahmenkatalog (braucht „measures“) noch "
                "Antwortdatei (braucht „questionnaire: kennung@version“)",
                "not a questionnaire (needs 'dimensions'), measure catalogue "
                "(needs 'measures') or answer file (needs 'questionnaire: id@version')"))]
    except ValidationError as exc:
        return list(exc.problems)
    except AssessError as exc:
        return [Problem(str(path), None, exc.message)]
    return list(problems)
