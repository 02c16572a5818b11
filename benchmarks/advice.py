"""Scoring and advice per answer file: the calibration cases and the examples, best of 40 runs each.

    python benchmarks/advice.py

Run from the repository root. Prints the mean over the files of the best time for `score` and for
`advise`, and the slowest file. Numbers only; no test asserts a time.
"""

from __future__ import annotations

import time
from pathlib import Path

from assess.advice import advise
from assess.answers import load_answers
from assess.resources import load_catalogue_for, resolve_questionnaire
from assess.scoring import score

RUNS = 40


def main() -> None:
    files = sorted(Path("tests/cases").glob("*/answers.yaml")) + sorted(Path("examples").glob("*.yaml"))
    loaded = []
    for path in files:
        answers, questionnaire = load_answers(path, lambda qid, version: resolve_questionnaire(qid, version))
        loaded.append((questionnaire, answers, load_catalogue_for(questionnaire)))
    total_score = total_advise = slowest = 0.0
    for questionnaire, answers, catalogue in loaded:
        best_score = best_advise = float("inf")
        for _ in range(RUNS):
            start = time.perf_counter()
            scores = score(questionnaire, answers)
            middle = time.perf_counter()
            advise(scores, catalogue)
            end = time.perf_counter()
            best_score, best_advise = min(best_score, middle - start), min(best_advise, end - middle)
        total_score += best_score
        total_advise += best_advise
        slowest = max(slowest, best_score + best_advise)
    n = len(loaded)
    print(f"{n} files: score {1000 * total_score / n:.2f} ms, advise {1000 * total_advise / n:.2f} ms per file "
          f"(mean of best-of-{RUNS}); slowest file {1000 * slowest:.1f} ms")


if __name__ == "__main__":
    main()
