"""Many reports at once (`assess batch`): one report per answer file and an overview page.

A consultant with 40 towns or a Land programme with 1,000 runs every answer file of a folder through
the same steps as `assess report`. The work is split over worker processes, each with one Library
(questionnaires and catalogues read once per worker); each result is written as soon as it is made,
and only a small summary per file (an Outcome) comes back, so memory stays flat however many files
there are. A file with errors is named with its problems and left out; the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

from assess.errors import AssessError, MissingExtraError, OutputExistsError, Problem, ValidationError
from assess.peerfiles import ANSWER_SUFFIXES
from assess.texts import both, text

FORMATS = ("html", "pdf", "json", "md", "docx")
SUFFIX = {"html": ".html", "pdf": ".pdf", "json": ".json", "md": ".md", "docx": ".docx"}
INDEX = "index.html"


@dataclass(frozen=True)
class Outcome:
    """What the overview needs of one answer file: who, the headline numbers and the written files —
    or, for a file that failed, its problems."""

    source: str  # the answer file
    stem: str  # the reports' file name without suffix
    name: str = ""
    date: str = ""  # of the assessment (ISO)
    questionnaire: str = ""  # id@version
    score: float | None = None
    level: int | None = None
    coverage: float = 0.0
    files: tuple[str, ...] = ()  # written report files, relative to the output folder
    problems: tuple[Problem, ...] = ()
    internal: bool = False  # failed by a bug in assess, not by the input
    fatal: bool = False  # failed for a reason that holds for every file (an optional extra is missing)
    more: int = 0  # problems beyond those kept (see trimmed)

    @property
    def ok(self) -> bool:
        return not self.problems

    def trimmed(self, keep: int = 5) -> Outcome:
        """The outcome with at most `keep` problems and the number of the others: what the overview
        shows, so that a thousand broken files still take little memory."""
        if len(self.problems) <= keep:
            return self
        return replace(self, problems=self.problems[:keep], more=self.more + len(self.problems) - keep)


def answer_files(folder: Path) -> list[Path]:
    """The answer files of a folder (YAML or JSON, not hidden), sorted by name."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.suffix.lower() in ANSWER_SUFFIXES and not p.name.startswith(".") and p.is_file())


def plan(files: Sequence[Path], out_dir: Path, formats: Sequence[str], force: bool) -> list[tuple[Path, str]]:
    """(answer file, report stem) for each file, checked before anything is written: no report may
    overwrite an existing file without `force`, nor ever an input file."""
    taken = {Path(INDEX).stem}
    planned = []
    for path in files:
        stem = path.stem  # a.yaml and a.json: a and a-json; a third one named a-json.yaml: a-json-2
        if stem.lower() in taken:
            stem = base = f"{path.stem}-{path.suffix.lstrip('.').lower()}"
            number = 2
            while stem.lower() in taken:
                stem, number = f"{base}-{number}", number + 1
        taken.add(stem.lower())
        planned.append((path, stem))
    targets = [out_dir / INDEX] + [out_dir / f"{stem}{SUFFIX[fmt]}" for _, stem in planned for fmt in formats]
    inputs = {p.resolve() for p in files}
    clash = next((t for t in targets if t.resolve() in inputs), None)
    if clash is not None:
        raise AssessError(both("batch.overwrites_input", path=clash))
    from assess.files import check_output

    existing = []
    for target in targets:
        check_output(target, force=True)  # a folder, link, pipe or device is refused even with --force
        if target.exists():
            existing.append(target)
    if existing and not force:
        raise OutputExistsError(both("batch.outputs_exist", path=existing[0], count=len(existing)))
    return planned


# --- one file, in a worker --------------------------------------------------------------------------

_LIBRARY = None


def _start_worker(search: tuple) -> None:
    """Load the Library once per worker process."""
    global _LIBRARY
    from assess.library import Library

    _LIBRARY = Library(search)


def _report(job: tuple) -> Outcome:
    """Assess one answer file and write its reports; problems come back in the Outcome, never raised."""
    path, stem, out_dir, formats, lang, edition, force, config = job
    try:
        assessment = _LIBRARY.assess_file(path)
        # every format first, then the files: a file that fails leaves no report behind
        made = [(Path(out_dir) / f"{stem}{SUFFIX[fmt]}", _LIBRARY.render(assessment, fmt, lang, config, edition=edition))
                for fmt in formats]
        for target, content in made:
            _write(target, content, overwrite=force)
        written = [target.name for target, _ in made]
        scores = assessment.scores
        return Outcome(str(path), stem, assessment.answers.municipality.name, assessment.answers.date,
                       assessment.questionnaire.ref, scores.score, scores.level, scores.coverage, tuple(written))
    except MissingExtraError as exc:  # the same for every file: the whole batch stops (see run)
        return Outcome(str(path), stem, problems=(Problem(str(path), None, exc.message),), fatal=True)
    except ValidationError as exc:
        return Outcome(str(path), stem, problems=exc.problems)
    except AssessError as exc:
        return Outcome(str(path), stem, problems=(Problem(str(path), None, exc.message),))
    except Exception as exc:  # noqa: BLE001 - a bug with one file must not stop the others
        if os.environ.get("ASSESS_DEBUG"):
            raise
        return Outcome(str(path), stem, internal=True, problems=(Problem(str(path), None, both(
            "batch.internal", error=f"{type(exc).__name__}: {exc}")),))


def _write(target: Path, content: str | bytes, overwrite: bool) -> None:
    """Atomically, and without `overwrite` only as a new file (a report that appeared meanwhile is
    not overwritten: that file fails with a clear message)."""
    from assess.files import write_bytes

    write_bytes(target, content if isinstance(content, bytes) else content.encode("utf-8"), overwrite)


# --- the whole folder -------------------------------------------------------------------------------


def run(planned: Sequence[tuple[Path, str]], out_dir: Path, formats: Sequence[str], lang: str = "de",
        edition: str = "kurz", jobs: int = 1, search: tuple = (), force: bool = False,
        config=None) -> Iterator[Outcome]:
    """The Outcome of each planned file, as each is finished (not in order).

    With `jobs` > 1 the files are shared among that many worker processes; at most a few files per
    worker are in flight at any time, so memory does not grow with the number of files. `config` (a
    ReportConfig: organisation, logo, colours, own templates) applies to every report."""
    for outcome in _outcomes(planned, out_dir, formats, lang, edition, jobs, search, force, config):
        if outcome.fatal:
            raise AssessError(outcome.problems[0].message)
        yield outcome


def _outcomes(planned, out_dir, formats, lang, edition, jobs, search, force, config) -> Iterator[Outcome]:
    work = ((path, stem, str(out_dir), tuple(formats), lang, edition, force, config) for path, stem in planned)
    if jobs <= 1:
        _start_worker(search)
        for job in work:
            yield _report(job)
        return
    import multiprocessing
    import sys

    # fork on Linux: workers start with the modules already imported; elsewhere the platform's default
    fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(tuple(search),)) as pool:
        pending = set()
        for job in work:
            pending.add(pool.submit(_report, job))
            if len(pending) >= 4 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
        for future in _as_done(pending):
            yield future.result()


def _as_done(pending):
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


def write_overview(outcomes: Sequence[Outcome], out_dir: Path, lang: str) -> Path:
    """index.html: each municipality with its index, level and coverage and links to its reports,
    sorted by name (never a ranking); the files that failed below, with their problems."""
    from assess.render import environment_for
    from assess.templating import ContentSecurityPolicy, render

    done = sorted((o for o in outcomes if o.ok), key=lambda o: (o.name.casefold(), o.date, o.stem))
    failed = sorted((o for o in outcomes if not o.ok), key=lambda o: o.source)
    say = lambda key, **values: text(f"batch.{key}", lang, **values)  # noqa: E731
    csp = ContentSecurityPolicy()  # as in every report: only the page's own style applies
    page = csp.finish(render(environment_for(lang), "batch-index.html.j2", {
        "lang": lang, "t": say, "done": done, "failed": failed, "problem": lambda p: p.render(lang), "csp": csp}))
    target = out_dir / INDEX
    _write(target, page, overwrite=True)  # checked by plan() before the first report
    return target
