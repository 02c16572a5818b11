"""The calibration cases: real municipalities from public reporting, with an adviser's expectations.

Each folder under tests/cases holds an answer file and the expectations written before the ranking was
tuned (see tests/cases/README.md). A case holds when every expectation holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.assessment import assess_file
from assess.yamlfile import read_file

CASES = Path(__file__).parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "answers.yaml").exists())


def test_there_are_at_least_ten_cases():
    assert len(CASE_NAMES) >= 10


def _placed(advice) -> dict[str, int]:
    """Recommended measures (in a phase of the roadmap) and their phase."""
    return {r.measure.id: r.phase for r in advice.recommendations if r.phase is not None}


@pytest.mark.parametrize("case", CASE_NAMES)
def test_case_holds(case):
    folder = CASES / case
    expect = read_file(folder / "expect.yaml") or {}
    advice = assess_file(folder / "answers.yaml").advice
    placed = _placed(advice)
    problems = []
    for mid in expect.get("phase1") or []:
        if placed.get(mid) != 1:
            problems.append(f"{mid} should be in phase 1, is in {placed.get(mid, 'no phase')}")
    for mid in expect.get("within_18_months") or []:
        if placed.get(mid) not in (1, 2):
            problems.append(f"{mid} should start within 18 months, is in phase {placed.get(mid, 'none')}")
    for mid in expect.get("absent") or []:
        if mid in placed:
            problems.append(f"{mid} should not be recommended, is in phase {placed[mid]}")
    strengths = [p.dimension.id for p in advice.profile.strengths]
    for dim in expect.get("strengths") or []:
        if dim not in strengths:
            problems.append(f"{dim} should be a named strength; strengths are {strengths}")
    limit = expect.get("max_recommendations")
    if limit is not None and len(placed) > limit:
        problems.append(f"{len(placed)} recommendations, at most {limit} expected")
    assert not problems, f"{case}:\n  " + "\n  ".join(problems)
