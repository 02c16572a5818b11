"""The example bundle examples/bundles/infosec_basics: a maturity model that is not the municipal one.

It must validate, produce reports from its example answer file, and receive only its own measures — in
particular its dimension `security` must never pick up the municipal catalogue's security measures.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assess.cli import cli
from assess.conditions import condition_questions
from assess.loading import load_questionnaire
from assess.resources import load_catalogue_for

ROOT = Path(__file__).resolve().parent.parent
BUNDLES = ROOT / "examples" / "bundles"
BUNDLE = BUNDLES / "infosec_basics"
ANSWERS = BUNDLES / "infosec-beispiel.yaml"
MUNICIPAL_CATALOGUE = ROOT / "questionnaires" / "measures.yaml"
ORGANISATION = "Nachbarschaftshilfe Auental e. V."


def run(*args):
    return CliRunner().invoke(cli, ["--questionnaires", str(BUNDLES), *map(str, args)])


def plain(report: str) -> str:
    """The report's text without HTML entities and Markdown escapes, so a title is found however rendered."""
    return html.unescape(report).replace("\\", "")


def own_measures() -> list[dict]:
    return yaml.safe_load((BUNDLE / "measures.yaml").read_text(encoding="utf-8"))["measures"]


def municipal_measures() -> list[dict]:
    return yaml.safe_load(MUNICIPAL_CATALOGUE.read_text(encoding="utf-8"))["measures"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The example's report as German and English Markdown and as HTML, written by `assess report`."""
    out = tmp_path_factory.mktemp("infosec-reports")
    written = {}
    for name, extra in (("x.md", []), ("x-en.md", ["--lang", "en"]), ("x.html", []),
                        ("x-voll.md", ["--edition", "voll"]), ("x-voll.html", ["--edition", "voll"])):
        result = run("report", ANSWERS, "-o", out / name, *extra)
        assert result.exit_code == 0, result.output
        written[name] = (out / name).read_text(encoding="utf-8")
    return written


def test_bundle_and_answer_file_validate_without_warnings():
    files = [BUNDLE / "questionnaire.yaml", BUNDLE / "measures.yaml", ANSWERS]
    result = run("validate", *files)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no warnings either
    assert result.stdout.splitlines() == [f"{path}: OK" for path in files]


def test_bundle_is_an_organisation_model_with_one_target_level():
    questionnaire = load_questionnaire(BUNDLE / "questionnaire.yaml")
    assert (questionnaire.id, questionnaire.version, questionnaire.framing) == ("infosec_basics", "1.0", "organisation")
    assert questionnaire.languages == ("de", "en")
    assert 5 <= len(questionnaire.dimensions) <= 7 and len(questionnaire.levels) <= 5
    assert "security" in [d.id for d in questionnaire.dimensions]
    for dimension in questionnaire.dimensions:
        assert len({level for _, level in dimension.targets}) == 1, dimension.id
        scored = [q for q in dimension.questions if q.scored]
        assert 3 <= len(scored) <= 5, dimension.id
        for question in dimension.questions:
            assert question.help.de and question.help.en, question.id
            assert "Weg in die Basis-Absicherung (WiBA)" in question.source and "BSI" in question.source, question.id


def test_bundle_gets_only_its_own_catalogue():
    questionnaire = load_questionnaire(BUNDLE / "questionnaire.yaml")
    catalogue = load_catalogue_for(questionnaire)
    assert Path(catalogue.path).resolve() == (BUNDLE / "measures.yaml").resolve()
    assert {m.id for m in catalogue.measures} == {m["id"] for m in own_measures()}
    assert not {m.id for m in catalogue.measures} & {m["id"] for m in municipal_measures()}
    assert {m.id for m in catalogue.measures if m.dimension == "security"} == {"m_sec_perimeter", "m_sec_remote_access"}


def test_every_question_feeds_a_measure_or_says_why_not():
    questionnaire = load_questionnaire(BUNDLE / "questionnaire.yaml")
    used = set()
    for measure in load_catalogue_for(questionnaire).measures:
        used |= set(condition_questions(measure.when))
    silent = [q.id for q in questionnaire.questions
              if q.id not in used and not (q.informational.de and q.informational.en)]
    assert silent == []


def test_report_shows_the_organisation_its_cap_and_its_own_measures(reports):
    assert reports["x.html"].lstrip().lower().startswith("<!doctype html")
    markdown, page = plain(reports["x.md"]), plain(reports["x.html"])
    for text in (markdown, page):
        assert ORGANISATION in text
        assert "Basis-Check Informationssicherheit" in text
        assert "Es gibt keine vom Netz getrennte oder unveränderbare Sicherungskopie." in text  # the backup cap
    titles = {m["id"]: m["title"]["de"] for m in own_measures()}
    # recommended for the example: its router, Wi-Fi and remote access are weak (dimension `security`)
    assert titles["m_sec_perimeter"] in markdown and titles["m_sec_remote_access"] in markdown
    assert titles["m_bak_offline_copy"] in markdown
    assert titles["m_bak_routine"] not in markdown  # complete, monitored and restored every year
    english = {m["id"]: m["title"]["en"] for m in own_measures()}
    assert english["m_bak_offline_copy"] in plain(reports["x-en.md"])


@pytest.mark.parametrize("name", ["x.md", "x-en.md", "x.html"])
def test_report_contains_no_municipal_measure(reports, name):
    report = plain(reports[name])
    for measure in municipal_measures():
        assert measure["id"] not in report
        for lang in ("de", "en"):
            assert measure["title"][lang] not in report, measure["id"]


def test_markdown_report_has_no_municipal_wording(reports):
    for name in ("x.md", "x-en.md", "x.html", "x-voll.md", "x-voll.html"):
        words = ("Einwohner", "Gemeinde", "Landgemeinde", "Kommune", "Größenklasse", "Förderprogramm",
                 "inhabitants", "municipalit", "size class", "Rural")
        found = [word for word in words if word in reports[name]]
        assert found == [], name
