"""Whatever assess writes, assess reads: write → read → equal, as a property, for every writer of
answer data — answer files (YAML and JSON), the merged file, the files sheet import writes, and the
interview's save. (The offline form's download is made by the form's own script in the browser; the
form tests read it back.)

Names, comments and text answers come from all of Unicode: control characters, U+2028/U+2029, NEL,
a BOM, emoji, YAML's special words and 10,000-character names.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assess.answers import Answer, AnswerSet, Municipality, Respondent, load_answers, save_answers
from assess.capture.interview import FACT, Interview, Step, load_for_resume
from assess.capture.merge import merge
from assess.capture.sheet import export_csv, import_sheet, write_answer_sets

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any character a file can hold: everything but lone surrogates (no UTF-8 file holds those).
ANY = st.characters(blacklist_categories=("Cs",))
AWKWARD = ["\u2028", "\u2029", "\x85", "\x1b[31m", "\x1b]0;title\x07", "\x7f", "\x9f", "\ufeff", "\uffff", "\x00",
           "\t", "\r\n", "yes", "~", "null", "1e5", "2026-01-01", "- ", ": ", "#", "&a", "*a", "!!omap", "'", '"',
           "\U0001F600"]
TEXT = st.one_of(st.text(ANY, min_size=1, max_size=40), st.sampled_from(AWKWARD),
                 st.lists(st.sampled_from(AWKWARD), min_size=1, max_size=4).map("x".join))
NAME = st.one_of(TEXT, st.just("N" * 10_000), st.text(ANY, min_size=1_025, max_size=1_100))


def _resolve(mini):
    return lambda qid, version: mini


def _bare(answer_set: AnswerSet) -> AnswerSet:
    return replace(answer_set, path="")


def _answers(draw, names: list[str]) -> tuple[Answer, ...]:
    by = tuple((n, draw(st.sampled_from(["none", "draft", "adopted", "unknown"]))) for n in names)
    return (
        Answer("str_strategy", "draft", draw(TEXT), draw(TEXT), by if len(names) > 1 else ()),
        Answer("str_notes", draw(TEXT)),
        Answer("sec_staff", draw(st.one_of(st.integers(0, 10**12), st.floats(0, 1e9, allow_nan=False).map(lambda f: round(f, 3))))),
        Answer("sec_mfa", draw(st.booleans())),
    )


@st.composite
def answer_sets(draw, people: int = 1):
    names = draw(st.lists(NAME, min_size=people, max_size=people, unique=True))
    return AnswerSet(
        questionnaire="mini@1.0",
        municipality=Municipality(draw(TEXT), draw(st.integers(1, 10**9)), "BY", "09123456"),
        answers=_answers(draw, names),
        date="2026-11-23",
        respondents=tuple(Respondent(n, draw(st.one_of(st.just(""), TEXT))) for n in names),
        priorities=(("strategy", draw(st.integers(1, 5))),),
    )


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@SETTINGS
@given(answer_set=answer_sets(people=3))
@example(answer_set=AnswerSet("mini@1.0", Municipality("a\u2028b", 3000), (Answer("str_notes", "\x1b[31mrot"),),
                              respondents=(Respondent("N" * 10_000, "\u2029"),)))
def test_answer_files_read_back_as_written(suffix, answer_set, tmp_path, mini):
    path = tmp_path / f"answers{suffix}"
    save_answers(answer_set, path)
    back, _ = load_answers(path, _resolve(mini))
    assert _bare(back) == answer_set


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@SETTINGS
@given(sets=st.lists(answer_sets(), min_size=2, max_size=3))
def test_a_merged_file_reads_back_as_written(suffix, sets, tmp_path, mini):
    result = merge(sets, mini, "median", [f"file{i}" for i in range(len(sets))]).answers
    path = tmp_path / f"merged{suffix}"
    save_answers(result, path)
    back, _ = load_answers(path, _resolve(mini))
    assert _bare(back) == result
    # … and merging the merged file again keeps every respondent's view
    again = merge([back], mini).answers
    assert {a.question: a.by_respondent for a in again.answers} == {a.question: a.by_respondent for a in result.answers}


SHEET_TEXT = TEXT.filter(lambda t: t.strip() and not t.startswith("'"))  # a leading ' marks neutralised formulas


@SETTINGS
@given(people=st.lists(st.tuples(SHEET_TEXT, SHEET_TEXT), min_size=1, max_size=3))
def test_sheet_export_filled_in_imports_and_its_files_read_back(people, tmp_path, mini):
    sheet = tmp_path / "workshop.csv"
    export_csv(mini, sheet, len(people), "de")
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    fill = {"municipality.name": ["Testdorf"], "municipality.population": ["3000"],
            "respondent.name": [name for name, _ in people], "str_notes": [note for _, note in people]}
    for row in rows:  # what the workshop types into the person columns (columns D, E, …)
        for k, value in enumerate(fill.get(row[0], [])):
            row[3 + k] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    sheet.write_text(out.getvalue(), encoding="utf-8")
    result = import_sheet(sheet, _resolve(mini))
    assert [a.answer("str_notes").value for a in result.answer_sets] == [note.strip() for _, note in people]
    folder = tmp_path / "answers"
    for fmt in (".yaml", ".json"):
        paths = write_answer_sets(result, folder, force=True, suffix=fmt)
        assert [_bare(load_answers(p, _resolve(mini))[0]) for p in paths] == result.answer_sets


@SETTINGS
@given(name=TEXT, person=NAME, role=TEXT, note=TEXT)
def test_an_interview_save_reads_back_as_typed(name, person, role, note, tmp_path, mini):
    iv = Interview(mini)
    for key, value in (("name", name), ("respondent", person), ("role", role)):
        iv.answer(Step(FACT, key), value)
    iv.answer(iv.step_for("str_notes"), note)
    path = tmp_path / "interview.yaml"
    save_answers(iv.answers, path)
    assert _bare(load_for_resume(path, mini)) == iv.answers
