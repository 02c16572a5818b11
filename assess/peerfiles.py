"""Read peer answer files for a comparison: each file reduced to its scores at once, every file that is
passed over named with its reason, and the scores of unchanged files kept across runs.

A consultant's folder holds answer files of other questionnaires, earlier versions, drafts and notes.
Files that lie in a named folder and cannot serve as peers are passed over — each one reported as
`file:line: reason`, never silently. A file named directly must be a valid peer, else it is an error.

Reading and checking a peer file costs a few milliseconds; a thousand of them would dominate a report.
So the scores of each file are kept in the user's cache folder (assess.diskcache), keyed by the file's
content, the questionnaire's content and the code that reads and scores it: from the second report on,
an unchanged file costs one read and one hash. Files with errors are never cached, so their messages are
always fresh.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from assess import diskcache
from assess.errors import AssessError, Problem, ValidationError, message
from assess.model import Questionnaire
from assess.peers import PeerResult, peer_result
from assess.texts import both, text

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")

# The modules whose code decides a peer's scores (the readers and more): a change to any of them gives new keys.
_SCORING_CODE = (*diskcache.READERS, "answers.py", "migration.py", "scoring.py", "peers.py", "peerfiles.py")
MAX_CACHED = 20_000  # peer results kept per questionnaire version; beyond, only the last run's are kept


@dataclass
class PeerFiles:
    """What reading the peer files gave: the scores of each usable file, and every file passed over."""

    results: list[PeerResult] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # warnings, one per file: `file:line: reason`

    @property
    def read(self) -> int:
        """How many files were considered (used and passed over)."""
        return len(self.results) + len(self.skipped)


def peer_files(paths: Iterable[str | Path]):
    """(file, its resolved path, came from a folder) for every answer file named directly or lying in a
    named folder (sorted by name; a thousand files are listed with one directory scan)."""
    import os

    for peer in map(Path, paths):
        if peer.is_dir():
            real = peer.resolve()
            with os.scandir(peer) as entries:
                found = sorted((e for e in entries if e.name.lower().endswith(ANSWER_SUFFIXES)
                                and not e.name.startswith(".") and e.is_file()), key=lambda e: e.name)
            for entry in found:
                yield Path(entry.path), Path(entry.path).resolve() if entry.is_symlink() else real / entry.name, True
        else:
            yield peer, peer.resolve(), False


def read_peers(paths: Iterable[str | Path], questionnaire: Questionnaire, resolve: Callable,
               exclude: Iterable[str | Path] = ()) -> PeerFiles:
    """The PeerResults of the answer files in `paths` (files or folders) that answer `questionnaire`.

    Files in `exclude` (the assessed file itself) are left out. A file in a folder that is not a valid
    answer file of `questionnaire` is passed over and listed in `skipped`; a file named directly raises
    ValidationError or AssessError instead."""
    from assess.yamlfile import read_bytes

    excluded = {Path(p).resolve() for p in exclude}
    store = _Store(questionnaire, diskcache)
    found = PeerFiles()
    files = []  # (path, came from a folder, cached entry or the file's bytes to score, digest)
    for path, real, from_folder in peer_files(paths):
        if real in excluded:
            continue
        try:
            raw = read_bytes(path)
        except ValidationError as exc:
            if not from_folder:
                raise
            found.skipped.append(_skipped(exc.problems, path))
            continue
        digest = hashlib.sha256(raw).digest()
        entry = store.get(digest)
        files.append((path, from_folder, entry, raw if entry is None else None, digest))
    from assess import answers, forking, scoring, yamlfile  # noqa: F401 - what _score_file needs, before forking

    scored = iter(forking.each([(path, raw) for path, _, entry, raw, _ in files if entry is None],
                               lambda item: _score_file(item[1], item[0], questionnaire, resolve)))
    for path, from_folder, entry, _, digest in files:
        if entry is None:
            entry = next(scored)
            if isinstance(entry, forking.Refused):  # a file that cannot serve
                if not from_folder:
                    raise ValidationError(entry.problems)
                found.skipped.append(_skipped(entry.problems, path))
                continue
            store.put(digest, entry)
        if isinstance(entry, str):  # the ref of another questionnaire or version
            reason = both("peers.other_questionnaire", path=path, ref=entry, report_ref=questionnaire.ref)
            if not from_folder:
                raise AssessError(reason)
            found.skipped.append(Problem(str(path), 1, _passed_over(both("peers.answers_other", ref=entry,
                                                                             report_ref=questionnaire.ref)), warning=True))
            continue
        found.results.append(replace(entry, path=str(path)))
    store.save()
    return found


def _score_file(raw: bytes, path: Path, questionnaire: Questionnaire, resolve) -> PeerResult | str:
    """The scores of one peer file, or the ref it names when that is not `questionnaire`'s."""
    from assess.answers import answers_from_data
    from assess.scoring import score
    from assess.yamlfile import parse_bytes

    data = parse_bytes(raw, str(path))
    ref = data.get("questionnaire") if isinstance(data, dict) else None
    if isinstance(ref, str) and "@" in ref and ref != questionnaire.ref:  # else the answer check explains it
        return ref
    known = lambda qid, version: questionnaire if f"{qid}@{version}" == questionnaire.ref else resolve(qid, version)  # noqa: E731
    answers, peer_questionnaire, _ = answers_from_data(data, str(path), known)
    return replace(peer_result(score(peer_questionnaire, answers, trace=False)), path="")


def _skipped(problems, path: Path) -> Problem:
    """One line for a file passed over: its first error, and how many more it has."""
    errors = [p for p in problems if not p.warning] or list(problems)
    first = errors[0]
    reason = first.message
    if len(errors) > 1:
        reason = message("{reason} " + text("peers.more_errors", "de"), "{reason} " + text("peers.more_errors", "en"),
                         reason=reason, count=len(errors) - 1)
    return Problem(first.path or str(path), first.line, _passed_over(reason), warning=True)


def _passed_over(reason) -> object:
    return message(text("peers.skipped", "de"), text("peers.skipped", "en"), reason=reason)


class _Store:
    """The cached peer results for one questionnaire version: file digest → PeerResult (without its
    path) or the ref of another questionnaire. Read once, written once per report."""

    def __init__(self, questionnaire: Questionnaire, diskcache):
        from assess.loading import content_digest

        self.diskcache = diskcache
        digest = content_digest(questionnaire)
        self.entry = diskcache.key(b"peers", digest, code=_SCORING_CODE) if digest else None
        loaded = diskcache.load(self.entry) if self.entry else None
        self.known: dict = loaded if isinstance(loaded, dict) else {}
        self.used: dict = {}
        self.changed = False

    def get(self, digest: bytes):
        entry = self.known.get(digest)
        if entry is not None:
            self.used[digest] = entry
        return entry

    def put(self, digest: bytes, entry) -> None:
        self.known[digest] = self.used[digest] = entry
        self.changed = True

    def save(self) -> None:
        if self.entry and self.changed:
            self.diskcache.store(self.entry, self.known if len(self.known) <= MAX_CACHED else self.used)
