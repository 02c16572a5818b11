"""The example municipalities: valid, plausible reports in every format and both languages, golden Markdown.

Regenerate the golden files after a deliberate change of content or templates with:
    ASSESS_UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py
and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import markupsafe
import pytest
from click.testing import CliRunner

from assess.advice import advise
from assess.library import Library
from assess.cli import cli
from assess.render import markdown_escape
from assess.resources import load_catalogue_for
from assess.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden"
TOWNS = ["musterstadt", "musterstadt-2024", "musterstadt-quickcheck", "landgemeinde-waldbach",
         "mittelstadt-hafenstedt", "kleinstadt-lindenau"]


@pytest.fixture(scope="module")
def assessments():
    return {town: Library().assess_file(EXAMPLES / f"{town}.yaml") for town in TOWNS}


@pytest.mark.parametrize("town", TOWNS)
def test_example_is_valid_without_warnings(town):
    assert validate_file(EXAMPLES / f"{town}.yaml") == []


def needs_action(assessment):
    return [p.dimension.id for p in assessment.advice.profile.needs_action]


def test_size_classes(assessments):
    sizes = {town: a.advice.profile.size_class for town, a in assessments.items()}
    assert sizes == {"musterstadt": "kleinstadt", "musterstadt-2024": "kleinstadt",
                     "musterstadt-quickcheck": "kleinstadt", "landgemeinde-waldbach": "landgemeinde",
                     "mittelstadt-hafenstedt": "mittelstadt", "kleinstadt-lindenau": "kleinstadt"}


def test_hafenstedt_is_strong_in_services_and_must_act_on_security_first(assessments):
    hafenstedt = assessments["mittelstadt-hafenstedt"]
    assert needs_action(hafenstedt)[0] == "security"
    assert "services" in [p.dimension.id for p in hafenstedt.advice.profile.strengths]
    first_phase = hafenstedt.advice.phases[0].recommendations
    assert sum(r.measure.dimension == "security" for r in first_phase) >= 2


def test_lindenau_leads_well_but_must_fix_its_infrastructure(assessments):
    lindenau = assessments["kleinstadt-lindenau"]
    assert "infrastructure" in needs_action(lindenau)
    assert "strategy" in [p.dimension.id for p in lindenau.advice.profile.strengths]


def test_waldbach_is_starting_and_gets_no_city_measures(assessments):
    waldbach = assessments["landgemeinde-waldbach"]
    assert waldbach.scores.level <= 2
    assert waldbach.scores.coverage >= 0.7
    for rec in waldbach.advice.recommendations:
        assert "landgemeinde" in rec.measure.size_classes
    catalogue = load_catalogue_for(waldbach.questionnaire)
    city_only = {m.id for m in catalogue.measures if "landgemeinde" not in m.size_classes}
    assert city_only and not city_only & {r.measure.id for r in waldbach.advice.recommendations}


def test_equal_answers_in_a_city_get_the_city_measures(assessments):
    """Same answers as Waldbach but 250,000 inhabitants: the city-only measures appear."""
    from dataclasses import replace

    from assess.scoring import score

    waldbach = assessments["landgemeinde-waldbach"]
    city = replace(waldbach.answers, municipality=replace(waldbach.answers.municipality, population=250_000))
    catalogue = load_catalogue_for(waldbach.questionnaire)
    advice = advise(score(waldbach.questionnaire, city), catalogue)
    assert any("landgemeinde" not in r.measure.size_classes for r in advice.recommendations)


def test_musterstadt_progress_since_2024():
    assessment = Library().assess_file(EXAMPLES / "musterstadt.yaml", baseline=EXAMPLES / "musterstadt-2024.yaml")
    comparison = assessment.comparison
    assert round(comparison.overall_delta) >= 10
    assert comparison.completed, "some measures of 2024 must be done by 2026"


def test_quickcheck_and_digitalcheck_of_musterstadt_agree_roughly(assessments):
    quick = assessments["musterstadt-quickcheck"].scores.score
    full = assessments["musterstadt"].scores.score
    assert abs(quick - full) <= 15


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("town", TOWNS)
def test_reports_in_every_format(tmp_path, town, lang, assessments):
    assessment = assessments[town]
    runner = CliRunner()
    outputs = {}
    for fmt in ("html", "md", "json"):
        out = tmp_path / f"r.{fmt}"
        result = runner.invoke(cli, ["report", str(EXAMPLES / f"{town}.yaml"), "-o", str(out), "--lang", lang])
        assert result.exit_code == 0, result.output
        outputs[fmt] = out.read_text(encoding="utf-8")
    data = json.loads(outputs["json"])
    name = assessment.answers.municipality.name
    assert data["municipality"]["name"] == name
    assert data["overall"]["score"] == round(assessment.scores.score, 1)
    top = [r.measure.title.get(lang) for r in assessment.advice.top]
    for text, escape in ((outputs["html"], lambda t: str(markupsafe.escape(t))), (outputs["md"], markdown_escape)):
        assert escape(name) in text
        for title in top:
            assert escape(title) in text
        for prof in assessment.advice.profile.needs_action:
            assert escape(prof.dimension.title.get(lang)) in text
    assert ("Das Wichtigste in Kürze" if lang == "de" else "Executive summary") in outputs["html"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_golden_markdown_of_musterstadt(tmp_path, lang):
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "musterstadt.yaml"), "-o", str(out), "--lang", lang,
                                      "--baseline", str(EXAMPLES / "musterstadt-2024.yaml")])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"musterstadt-{lang}.md"
    text = out.read_text(encoding="utf-8")
    if os.environ.get("ASSESS_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "report changed: review and regenerate (see module docstring)"


def test_pdf_of_musterstadt_reads_back(tmp_path):
    pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "musterstadt.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(out)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Digitalisierungsprofil: Musterstadt" in text
    assert "Das Wichtigste in Kürze" in text and "Fahrplan" in text and "Methodik" in text
    assert len(reader.pages) >= 8
