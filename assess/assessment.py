"""Wire loading and the pure core together: an answer file in, an Assessment out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assess.advice import Advice, Comparison, advise, compare
from assess.answers import AnswerSet, load_answers
from assess.yamlfile import read_file
from assess.errors import AssessError, ValidationError
from assess.model import Questionnaire, Text
from assess.peers import PeerGroup, peer_group
from assess.resources import load_catalogue_for, resolve_questionnaire
from assess.scoring import Scores, score


@dataclass(frozen=True)
class Assessment:
    """Everything a report shows: answers, questionnaire, scores, advice and the comparison."""

    questionnaire: Questionnaire
    answers: AnswerSet
    scores: Scores
    advice: Advice
    comparison: Comparison | None = None
    peers: PeerGroup | None = None


def assess_file(path: Path, search: tuple[Path, ...] = (), baseline: Path | None = None,
                peers: tuple[Path, ...] = ()) -> Assessment:
    """Load, validate, score and advise an answer file, optionally compared with an earlier one
    and with the mean of a peer group (answer files or folders of them)."""
    resolve = lambda qid, version: resolve_questionnaire(qid, version, search)  # noqa: E731
    answers, questionnaire = load_answers(Path(path), resolve)
    scores = score(questionnaire, answers)
    catalogue = load_catalogue_for(questionnaire)
    comparison = None
    if baseline is not None:
        before, before_q = load_answers(Path(baseline), resolve)
        if before_q.id != questionnaire.id:
            raise AssessError(Text(
                f"{baseline}: die frühere Erhebung beantwortet {before_q.ref}, {path} aber {questionnaire.ref}; "
                "vergleichen Sie Erhebungen mit demselben Fragebogen",
                f"{baseline}: the baseline answers {before_q.ref}, but {path} answers {questionnaire.ref}; "
                "compare assessments made with the same questionnaire"))
        comparison = compare(scores, score(before_q, before), catalogue)
    group = None
    if peers:
        others = []
        for peer, from_folder in _peer_files(peers):
            if peer.resolve() == Path(path).resolve():
                continue
            if from_folder and not _answers_to(peer, questionnaire.ref):
                continue  # a client folder may hold other questionnaires, versions or files
            peer_answers, peer_q = load_answers(peer, resolve)
            others.append(score(peer_q, peer_answers))
        group = peer_group(scores, others)
    return Assessment(questionnaire, answers, scores, advise(scores, catalogue), comparison, group)


ANSWER_SUFFIXES = (".yaml", ".yml", ".json")


def _peer_files(peers: tuple[Path, ...]):
    """(file, came from a folder) for every answer file named directly or lying in a named folder."""
    for peer in map(Path, peers):
        if peer.is_dir():
            for child in sorted(peer.iterdir()):
                if child.suffix.lower() in ANSWER_SUFFIXES and not child.name.startswith("."):
                    yield child, True
        else:
            yield peer, False


def _answers_to(path: Path, ref: str) -> bool:
    """Whether a file looks like an answer file for exactly `ref` (id@version), without validating it."""
    try:
        data = read_file(path)
    except ValidationError:
        return False
    return isinstance(data, dict) and data.get("questionnaire") == ref
