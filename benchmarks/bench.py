"""Benchmark assess: start-up time of `assess --help`, scoring throughput, and the time of one report.

Run from the checkout or anywhere with assess installed:

    python benchmarks/bench.py [--sets 10000] [--runs 7] [--questionnaire digitalcheck]

Prints numbers only; nothing here asserts a time (the tests never do either).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not (ROOT / "assess" / "__init__.py").is_file():
    ROOT = None
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from assess import __version__  # noqa: E402
from assess.answers import Answer, AnswerSet, Municipality  # noqa: E402
from assess.loading import load_questionnaire  # noqa: E402
from assess.model import NOT_APPLICABLE, UNKNOWN, Question, Questionnaire  # noqa: E402
from assess.resources import example_path, find_questionnaire  # noqa: E402
from assess.scoring import score  # noqa: E402

MINI = ROOT / "tests" / "data" / "questionnaires" / "mini" / "questionnaire.yaml" if ROOT else None
MINI_ANSWERS = ROOT / "tests" / "data" / "mini-answers.yaml" if ROOT else None


def assess_command() -> list[str]:
    """The installed `assess` script beside this Python, else `python -m assess`."""
    script = Path(sys.executable).parent / "assess"
    if script.is_file():
        return [str(script)]
    found = shutil.which("assess")
    return [found] if found else [sys.executable, "-m", "assess"]


def startup_times(runs: int) -> list[float]:
    """Wall times of `assess --help` in fresh processes."""
    command = assess_command() + ["--help"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def pick_questionnaire(name: str | None) -> Questionnaire:
    """The named questionnaire, else digitalcheck, else quickcheck, else the tests' mini one."""
    for candidate in ([name] if name else ["digitalcheck", "quickcheck"]):
        try:
            return load_questionnaire(find_questionnaire(candidate))
        except Exception as exc:  # missing or still being written: try the next one
            if name:
                raise SystemExit(f"cannot load questionnaire '{name}': {exc}")
    if MINI is None:
        raise SystemExit("no questionnaire installed")
    return load_questionnaire(MINI)


def random_value(question: Question, rng: random.Random):
    """A random valid answer; about one in ten "don't know", some "not applicable" where offered."""
    roll = rng.random()
    if roll < 0.1 and question.allow_unknown:
        return UNKNOWN
    if roll < 0.15 and question.allow_not_applicable:
        return NOT_APPLICABLE
    if question.type == "single":
        return rng.choice(question.options).id
    if question.type == "multi":
        plain = [o.id for o in question.options if not o.exclusive]
        exclusive = [o.id for o in question.options if o.exclusive]
        if exclusive and rng.random() < 0.1:
            return (rng.choice(exclusive),)
        return tuple(o for o in plain if rng.random() < 0.5)
    if question.type == "yesno":
        return rng.random() < 0.5
    if question.type == "number":
        return rng.randint(0, 50)
    return "Anmerkung"


def random_answer_sets(questionnaire: Questionnaire, count: int, seed: int = 2026) -> list[AnswerSet]:
    """`count` answer sets with random valid answers; about one question in twenty left blank."""
    rng = random.Random(seed)
    sets = []
    for index in range(count):
        answers = tuple(Answer(q.id, random_value(q, rng)) for q in questionnaire.questions if rng.random() > 0.05)
        municipality = Municipality(f"Gemeinde {index}", rng.randint(300, 150_000))
        sets.append(AnswerSet(questionnaire.ref, municipality, answers))
    return sets


def scoring_throughput(questionnaire: Questionnaire, count: int) -> float:
    """Seconds to score `count` generated answer sets (generation not counted)."""
    sets = random_answer_sets(questionnaire, count)
    start = time.perf_counter()
    for answer_set in sets:
        score(questionnaire, answer_set)
    return time.perf_counter() - start


def report_time() -> tuple[str, float]:
    """Wall time of one `assess report` of the Musterstadt example (or the tests' mini answers)."""
    try:
        answers, extra = example_path("musterstadt.yaml"), []
    except Exception:
        if MINI_ANSWERS is None:
            raise SystemExit("no example answer file found")
        answers, extra = MINI_ANSWERS, ["--questionnaires", str(MINI.parent.parent)]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        command = assess_command() + extra + ["report", str(answers), "-o", str(out)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"assess report failed:\n{done.stderr}")
    return answers.name, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=10_000, help="answer sets to score (default 10000)")
    parser.add_argument("--runs", type=int, default=7, help="start-up runs; the median is shown (default 7)")
    parser.add_argument("--questionnaire", help="questionnaire id (default: digitalcheck, else quickcheck, else mini)")
    args = parser.parse_args()

    print(f"assess {__version__} benchmark · Python {sys.version.split()[0]} · {' '.join(assess_command())}")

    times = startup_times(args.runs)
    print(f"start-up  assess --help: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f} s, max {max(times):.3f} s, {args.runs} runs)")

    questionnaire = pick_questionnaire(args.questionnaire)
    seconds = scoring_throughput(questionnaire, args.sets)
    print(f"scoring   {questionnaire.ref} ({len(questionnaire.questions)} questions), {args.sets:,} answer sets: "
          f"{args.sets / seconds:,.0f} assessments/s ({seconds:.2f} s)")

    name, seconds = report_time()
    print(f"report    assess report {name} -o report.html: {seconds:.2f} s")


if __name__ == "__main__":
    main()
