"""The public Python API: a Library of questionnaires and catalogues, each read once per process.

    from assess.library import Library

    library = Library()                                   # shipped questionnaires (+ search folders)
    answers, questionnaire = library.read_answers("antworten.yaml")
    result = library.assess(answers, questionnaire)       # scores and advice, in memory
    html = library.render(result, "html", lang="de")

Everything the CLI, the capture modes and batch jobs do goes through these calls; see docs/api.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from assess.answers import parse_answers, read_answers
from assess.errors import AssessError, ValidationError
from assess.loading import load_questionnaire
from assess.model import AnswerSet, Catalogue, Questionnaire, Text
from assess.resources import find_questionnaire, load_catalogue_for, resolve_questionnaire
from assess.scoring import Scores, score
from assess.yamlfile import Checker, MarkedDict, MarkedList

if TYPE_CHECKING:  # advice, peers and reports load when they are used: `assess score` needs none of them
    from assess.assessment import Assessment
    from assess.peerfiles import PeerFiles
    from assess.peers import PeerResult

PathLike = str | Path


class Library:
    """The questionnaires and measure catalogues one process works with.

    `search` folders hold bundles of your own (`<folder>/<id>/questionnaire.yaml`); they are looked up
    before the shipped ones. Every file is parsed and checked once per process (keyed by its content),
    however many answer files refer to it.
    """

    def __init__(self, search: Iterable[PathLike] = ()):
        self.search = tuple(Path(p) for p in search)

    # --- content ----------------------------------------------------------------------------

    def questionnaire(self, name: str) -> Questionnaire:
        """A questionnaire by bundle id (`digitalcheck`) or by path to its YAML file."""
        return load_questionnaire(find_questionnaire(name, self.search))

    def resolve(self, qid: str, version: str | None) -> Questionnaire:
        """The bundle `qid` in exactly `version` (None: as installed); raises AssessError saying what is
        installed."""
        return resolve_questionnaire(qid, version, self.search)

    def catalogue(self, questionnaire: Questionnaire) -> Catalogue:
        """The measure catalogue that applies to `questionnaire` (empty for a bundle without one)."""
        return load_catalogue_for(questionnaire)

    # --- answers ----------------------------------------------------------------------------

    def read_answers(self, path: PathLike, migrate: bool = False) -> tuple[AnswerSet, Questionnaire]:
        """Read and check an answer file (YAML or JSON); raises ValidationError with every problem.

        With `migrate`, a file for an earlier version of the questionnaire is carried over to the
        installed version where the bundle declares how (see `migrate_file` for the notes)."""
        answers, questionnaire, _ = read_answers(Path(path), self.resolve, migrate)
        return answers, questionnaire

    def read_many(self, paths: Sequence[PathLike]) -> list[tuple[AnswerSet, Questionnaire]]:
        """`read_answers` for every file, in order, shared among the machine's cores (a team's fifty
        respondent files); raises the first file's ValidationError in that order, as reading them one
        by one would."""
        from assess import forking

        paths = list(paths)
        if not paths:
            return []
        # The first file here: its questionnaire is then loaded before the rest is shared (a child must
        # not load what all of them need).
        loaded = [self.read_answers(paths[0])]
        for outcome in forking.each(paths[1:], lambda path: read_answers(Path(path), self.resolve)[0]):
            if isinstance(outcome, forking.Refused):
                raise ValidationError(outcome.problems)
            qid, _, version = outcome.questionnaire.partition("@")
            loaded.append((outcome, self.resolve(qid, version)))
        return loaded

    def migrate_file(self, path: PathLike):
        """An answer file of an earlier version, carried over: (answers, questionnaire, notes on what
        was dropped)."""
        answers, questionnaire, notes = read_answers(Path(path), self.resolve, migrate=True)
        return answers, questionnaire, [n for n in notes if n.warning]

    def parse_answers(self, data: Mapping, source: str = "<answers>",
                      draft: bool = False) -> tuple[AnswerSet, Questionnaire]:
        """Check answers given as plain data (the structure of an answer file, e.g. from JSON).

        `source` names the data in error messages; problems carry no line numbers. A `draft` (answering
        still in progress) may lack the municipality's name and population."""
        checker = Checker(source)
        marked = _marked(data)
        ref = str(marked.get("questionnaire", "")) if isinstance(marked, dict) else ""
        qid, _, version = ref.partition("@")
        if not version:
            raise ValidationError([_problem(source, Text(
                "„questionnaire“ muss Kennung und Version nennen, z. B. „quickcheck@1.0“",
                "'questionnaire' must name id and version, like 'quickcheck@1.0'"))])
        questionnaire = self.resolve(qid, version)
        answers = parse_answers(checker, marked, questionnaire, draft)
        checker.raise_if_errors()
        return answers, questionnaire

    # --- results ----------------------------------------------------------------------------

    def score(self, answers: AnswerSet, questionnaire: Questionnaire) -> Scores:
        """Scores per question, dimension and overall, with their trace."""
        return score(questionnaire, answers)

    def assess(self, answers: AnswerSet, questionnaire: Questionnaire, baseline: AnswerSet | None = None,
               peers: Iterable[AnswerSet | PeerResult] | None = None) -> Assessment:
        """Scores, advice and (optionally) the comparison with an earlier round and a peer group.

        `baseline` and `peers` must answer the same questionnaire id (peers: the same version); a peer
        may be given as its answers or as the PeerResult of an earlier scoring. Given `peers` (even an
        empty list) must make a group of at least MIN_GROUP other municipalities, else AssessError."""
        from assess.advice import advise, compare
        from assess.assessment import Assessment
        from assess.peers import PeerResult, peer_group, peer_result

        if not answers.date:  # the core has no clock: an undated assessment is one of today
            answers = replace(answers, date=dt.date.today().isoformat())
        scores = score(questionnaire, answers)
        catalogue = self.catalogue(questionnaire)
        comparison = None
        if baseline is not None:
            before_q = self._questionnaire_of(baseline)
            if before_q.id != questionnaire.id:
                where = f"{baseline.path}: " if baseline.path else ""
                raise AssessError(Text(
                    f"{where}die frühere Erhebung beantwortet {before_q.ref}, diese aber {questionnaire.ref}; "
                    "vergleichen Sie Erhebungen mit demselben Fragebogen",
                    f"{where}the baseline answers {before_q.ref}, but this assessment answers {questionnaire.ref}; "
                    "compare assessments made with the same questionnaire"))
            comparison = compare(scores, score(before_q, baseline), catalogue)
        group = None
        if peers is not None:
            peers = [p if isinstance(p, PeerResult) else peer_result(score(self._questionnaire_of(p), p, trace=False))
                     for p in peers]
            group = peer_group(scores, peers)
        return Assessment(questionnaire, answers, scores, advise(scores, catalogue), comparison, group)

    def assess_file(self, path: PathLike, baseline: PathLike | None = None,
                    peers: Iterable[PathLike] = ()) -> Assessment:
        """Read an answer file and assess it, optionally with an earlier round's file and peer files or
        folders of them. Files in a folder that cannot serve as peers (other questionnaires, errors) are
        passed over and listed in the result's `skipped_peers`; see `read_peers`."""
        answers, questionnaire = self.read_answers(path)
        before = self.read_answers(baseline, migrate=True)[0] if baseline is not None else None
        found = self.read_peers(peers, questionnaire, exclude=[path]) if peers else None
        result = self.assess(answers, questionnaire, before, found.results if found else None)
        return replace(result, skipped_peers=tuple(found.skipped)) if found else result

    def read_peers(self, peers: Iterable[PathLike], questionnaire: Questionnaire,
                   exclude: Iterable[PathLike] = ()) -> PeerFiles:
        """The scores of the peer answer files in `peers` (files, or folders of them) that answer
        `questionnaire`, and every file passed over with its reason (`file:line: …`).

        A file named directly must be a valid answer file of `questionnaire` (else ValidationError or
        AssessError); a file in a folder that is not is passed over. Scores of unchanged files are kept
        in the user's cache folder, so a folder of a thousand files is read in a fraction of a second
        from the second report on."""
        from assess.peerfiles import read_peers

        return read_peers(peers, questionnaire, self.resolve, exclude)

    def render(self, assessment: Assessment, fmt: str, lang: str = "de", config=None,
               edition: str = "kurz") -> str | bytes:
        """The report as text (html, md, json) or bytes (pdf, docx), in the short (`kurz`, for the
        council) or full (`voll`) edition."""
        from assess.render import RENDERERS as renderers
        from assess.render import check_edition

        if fmt not in renderers:
            raise AssessError(Text(f"unbekanntes Berichtsformat „{fmt}“; möglich: {', '.join(renderers)}",
                                   f"unknown report format '{fmt}'; choose one of {', '.join(renderers)}"))
        return renderers[fmt](assessment, lang, config, check_edition(edition))

    def _questionnaire_of(self, answers: AnswerSet) -> Questionnaire:
        qid, _, version = answers.questionnaire.partition("@")
        return self.resolve(qid, version)


def _marked(data):
    """Plain data as the marked structures the checks expect (without line numbers)."""
    if isinstance(data, Mapping):
        result = MarkedDict({key: _marked(value) for key, value in data.items()})
        return result
    if isinstance(data, (list, tuple)):
        return MarkedList([_marked(value) for value in data])
    return data


def _problem(source: str, text: Text):
    from assess.errors import Problem

    return Problem(source, None, text)
