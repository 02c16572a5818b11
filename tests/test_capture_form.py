"""The offline HTML form as rendered: self-contained, escaped, with the data its script needs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import load_answers
from assess.capture.form import condition_data, render_form, script_json
from assess.cli import cli
from assess.loading import load_questionnaire

DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
TRICKY = DATA / "capture" / "questionnaires" / "tricky" / "questionnaire.yaml"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]


def run(*args):
    return CliRunner().invoke(cli, [*SEARCH, *map(str, args)])


def embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="assess-data">(.*?)</script>', html, re.S)
    assert match, "the questionnaire data block is missing"
    return json.loads(match.group(1))


def test_the_form_is_one_self_contained_file():
    html = render_form(load_questionnaire(MINI), "de", form_id="t")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)  # no CDN, no remote files
    assert "@import" not in html and "url(" not in html
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "<style>" in html and 'id="assess-form"' in html


def test_hostile_texts_cannot_break_out_of_html_or_script():
    html = render_form(load_questionnaire(TRICKY), "de", form_id="t")
    assert html.count("</script>") == 2  # only the two real script elements end
    assert "<script>alert(" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html  # the title, escaped
    assert "+1 Hilfe mit &lt;/script&gt; und &lt;!-- Kommentar" in html
    assert "<!-- Kommentar" not in html
    data = embedded(html)
    assert data["ref"] == "tricky@2.1"
    assert "\\u003c" in script_json({"x": "</script><!--"}) and "<" not in script_json({"x": "</script>"})


def test_embedded_data_mirrors_questions_and_conditions():
    q = load_questionnaire(TRICKY)
    data = embedded(render_form(q, "en", form_id="abc"))
    assert data["form_id"] == "abc" and data["lang"] == "en" and data["dimensions"] == ["formulas", "nested"]
    by_id = {item["id"]: item for item in data["questions"]}
    assert list(by_id) == [question.id for question in q.questions]
    assert by_id["f_ticks"]["exclusive"] == ["none"]
    assert by_id["f_count"]["allow_not_applicable"] is True
    assert by_id["n_all"]["when"] == {"all": [{"question": "n_gate", "op": "equals", "operand": True},
                                              {"question": "f_count", "op": "at_least", "operand": 2}]}
    assert by_id["n_any"]["when"] == {"any": [{"question": "f_ticks", "op": "includes", "operand": "b"},
                                              {"not": {"question": "f_choice", "op": "in", "operand": ["high"]}}]}
    assert condition_data(None) is None


def test_every_question_is_rendered_with_help_and_choices():
    q = load_questionnaire(MINI)
    html = render_form(q, "de", form_id="t")
    for question in q.questions:
        assert f'id="q-{question.id}"' in html
    assert 'value="unknown"' in html and "weiß nicht" in html
    assert 'id="q-sec_staff-not_applicable"' in html  # offered only where allowed
    assert 'id="q-str_strategy-not_applicable"' not in html
    assert 'data-exclusive="1"' in html and 'data-conditional="1"' in html
    assert "Angaben zur Gemeinde" in html and "Antwortdatei herunterladen" in html


def test_english_form():
    html = render_form(load_questionnaire(MINI), "en", form_id="t")
    assert '<html lang="en">' in html and "Download answer file" in html and "Is there a digital strategy?" in html


def test_form_command_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "fragebogen.html"
    result = run("form", "mini", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{out} geschrieben (8 Fragen)" in result.output
    again = run("form", "mini", "-o", out)
    assert again.exit_code == 1
    assert f"Fehler: {out} gibt es schon; wählen Sie einen anderen Namen oder überschreiben Sie mit --force" in again.output
    assert run("form", "mini", "-o", out, "--force", "--lang", "en").exit_code == 0
    assert "Download answer file" in out.read_text(encoding="utf-8")


def test_form_prefilled_from_an_answer_file(tmp_path):
    out = tmp_path / "f.html"
    result = run("form", "mini", "-o", out, "--answers", DATA / "mini-answers.yaml")
    assert result.exit_code == 0, result.output
    prefill = embedded(out.read_text(encoding="utf-8"))["prefill"]
    assert prefill["municipality"] == {"name": "Testdorf", "population": "3000", "state": "BY", "ags": "09123456"}
    assert prefill["answers"]["str_goals"] == ["services", "skills"] and prefill["answers"]["sec_staff"] == "unknown"
    assert prefill["priorities"] == {"strategy": "5", "security": "2"}


def test_prefill_from_another_questionnaire_is_refused(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("questionnaire: tricky@2.1\nmunicipality: {name: X, population: 5}\n", encoding="utf-8")
    result = run("form", "mini", "-o", tmp_path / "f.html", "--answers", other)
    assert result.exit_code == 1
    assert f"{other}:1: die Antwortdatei gehört zu tricky@2.1, das Formular aber zu mini@1.0" in result.output
    assert not (tmp_path / "f.html").exists()


def test_a_form_export_from_another_version_is_named_with_file_and_field(tmp_path):
    """A downloaded answer file of an older questionnaire version: `assess report` says which field."""
    path = tmp_path / "antworten-testdorf.json"
    path.write_text(json.dumps({"questionnaire": "mini@0.9", "municipality": {"name": "Testdorf", "population": 3000},
                                "answers": {"str_budget": True}}, indent=2), encoding="utf-8")
    result = run("report", path, "-o", tmp_path / "r.html")
    assert result.exit_code == 1
    assert f"{path}:2: die Antworten gehören zu mini@0.9, installiert ist aber mini@1.0" in result.output


def test_a_downloaded_file_in_the_documented_format_is_read(tmp_path):
    """The exact shape the page's script downloads (see form.js answerFile) loads and reports."""
    path = tmp_path / "antworten-testdorf.json"
    data = {"questionnaire": "mini@1.0", "municipality": {"name": "Testdorf", "ags": "09123456", "state": "BY",
                                                          "population": 3000},
            "date": "2026-11-23", "respondents": [{"name": "Erika", "role": "Hauptamt"}],
            "priorities": {"strategy": 4},
            "answers": {"str_strategy": "draft", "str_goals": {"value": ["services"], "comment": "</script>"},
                        "sec_staff": 2.5, "sec_mfa": "unknown"}}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    q = load_questionnaire(MINI)
    answers, _ = load_answers(path, lambda qid, version: q)
    assert answers.answer("str_goals").comment == "</script>"
    assert run("report", path, "-o", tmp_path / "r.html").exit_code == 0


@pytest.mark.parametrize("name", ["form.js", "form.css"])
def test_inlined_assets_cannot_close_their_element(name):
    from assess.resources import data_dir

    assert "</" not in (data_dir("reports") / name).read_text(encoding="utf-8")
