"""The Word report, read back with python-docx: real headings, real tables, charts as images with alt text.

The structure is checked with python-docx on every example and both editions; where LibreOffice is
installed (CI installs Debian's libreoffice-writer-nogui, about 70 s), the files are also opened and
converted to PDF by it, as a town hall would open them.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

docx = pytest.importorskip("docx")

from assess.library import Library  # noqa: E402
from assess.cli import cli  # noqa: E402
from assess.config import ReportConfig  # noqa: E402
from assess.render import render_docx  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOWNS = ["musterstadt", "musterstadt-2024", "musterstadt-quickcheck", "landgemeinde-waldbach",
         "mittelstadt-hafenstedt", "kleinstadt-lindenau"]
PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def assessments():
    return {town: Library().assess_file(EXAMPLES / f"{town}.yaml") for town in TOWNS}


@pytest.fixture(scope="module")
def documents(assessments):
    made = {}

    def get(town: str, edition: str = "kurz", lang: str = "de"):
        key = (town, edition, lang)
        if key not in made:
            made[key] = docx.Document(io.BytesIO(render_docx(assessments[town], lang, edition=edition)))
        return made[key]

    return get


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def images(document) -> list[dict]:
    """Every inline picture's docPr attributes (name, descr = alt text, title)."""
    return [dict(shape._inline.docPr.attrib) for shape in document.inline_shapes]


def fields(part) -> str:
    """The instructions of every field (PAGE, TOC …) in a document, header or footer."""
    element = part.element if hasattr(part, "element") else part._element
    return " ".join(node.text or "" for node in element.iter() if node.tag.endswith("}instrText"))


@pytest.mark.parametrize("town", TOWNS)
def test_short_word_report_has_headings_tables_and_charts_with_alt_text(documents, assessments, town):
    document = documents(town)
    chapters = headings(document, 1)
    for chapter in ("Eckdaten", "Das Wichtigste in Kürze", "Überblick: Ist und Soll", "Fahrplan", "Zur Methode"):
        assert chapter in chapters, chapters
    questionnaire = assessments[town].questionnaire
    assert document.paragraphs[0].text == f"{questionnaire.title.get('de')} {questionnaire.version}"
    assert any(p.style.name == "Title" and assessments[town].answers.municipality.name in p.text for p in document.paragraphs)
    # Tables are Word tables with a header row that repeats on every page.
    assert len(document.tables) >= 4
    for table in document.tables:
        assert table.rows[0]._tr.trPr is not None and table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    dimension_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Dimension")
    assert len(dimension_table.rows) == len(assessments[town].scores.dimensions) + 1
    # Radar and roadmap as images, each with an alt text that holds its numbers.
    pictures = images(document)
    assert len(pictures) >= 2  # the roadmap comes in one chart per phase where one would not fit a page
    for picture in pictures:
        assert re.search(r"\d", picture.get("descr", "")), picture
    assert "Netzdiagramm" in pictures[0]["descr"] and all(p["descr"].startswith("Fahrplan") for p in pictures[1:])
    # Running header with page fields; language and title in the document properties.
    header = document.sections[0].header
    assert "Digitalisierungsprofil" in header.paragraphs[0].text and "Seite" in header.paragraphs[0].text
    assert "PAGE" in fields(header) and "NUMPAGES" in fields(header)
    assert document.core_properties.language == "de"
    assert document.core_properties.title.startswith("Digitalisierungsprofil – ")


@pytest.mark.slow
@pytest.mark.parametrize("town", TOWNS)
def test_full_word_report_has_a_table_of_contents_and_every_dimension(documents, assessments, town):
    document = documents(town, "voll")
    assert "TOC" in fields(document)
    assert "Inhalt" in headings(document, 1) and "Ergebnisse je Dimension" in headings(document, 1)
    dimension_titles = [d.title.get("de") for d in assessments[town].questionnaire.dimensions]
    level2 = headings(document, 2)
    assert all(any(h.startswith(title + ":") for h in level2) for title in dimension_titles)
    pictures = images(document)
    assert "Netzdiagramm" in pictures[0]["descr"] and "Prioritätenmatrix" in pictures[1]["descr"]
    assert pictures[2:] and all(p["descr"].startswith("Fahrplan") for p in pictures[2:])
    assert len(document.tables) > len(dimension_titles)


def test_english_word_report(documents):
    document = documents("musterstadt", lang="en")
    assert "Executive summary" in headings(document, 1)
    assert document.core_properties.language == "en"
    assert "Page" in document.sections[0].header.paragraphs[0].text


def test_word_report_carries_the_branding(assessments, tmp_path):
    config = ReportConfig(organisation="Beratung Nord GmbH", accent="#0b6e4f", footer="Vertraulich",
                          logo_data_uri="data:image/png;base64," + base64.b64encode(PNG_1PX).decode())
    document = docx.Document(io.BytesIO(render_docx(assessments["musterstadt"], "de", config)))
    assert "Beratung Nord GmbH" in document.paragraphs[0].text or any("Beratung Nord GmbH" in p.text for p in document.paragraphs[:3])
    assert document.core_properties.author == "Beratung Nord GmbH"
    assert str(document.styles["Title"].font.color.rgb) == "0B6E4F"
    assert "Vertraulich" in document.sections[0].footer.paragraphs[0].text
    logo = images(document)[0]
    assert logo["descr"] == "Beratung Nord GmbH"


def test_cli_writes_docx_from_the_suffix(tmp_path):
    out = tmp_path / "bericht.docx"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "musterstadt-quickcheck.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).core_properties.subject == "Kurzfassung"


def test_docx_without_python_docx_explains_how_to_install(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_docx(name, *args, **kwargs):
        if name == "docx" or name.startswith("docx."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_docx)
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES / "musterstadt-quickcheck.yaml"), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code != 0
    assert "pip install 'kommunal-digitalcheck[docx]'" in result.output
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.slow
@pytest.mark.parametrize("edition,pages", [("kurz", (6, 16)), ("voll", (30, 200))])
def test_libreoffice_opens_the_word_report(assessments, tmp_path, edition, pages):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    pypdf = pytest.importorskip("pypdf")
    source = tmp_path / f"bericht-{edition}.docx"
    source.write_bytes(render_docx(assessments["musterstadt"], "de", edition=edition))
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    reader = pypdf.PdfReader(tmp_path / f"bericht-{edition}.pdf")
    assert pages[0] <= len(reader.pages) <= pages[1]
    second = reader.pages[1].extract_text()
    # The header's page fields are filled in by LibreOffice.
    assert f"Digitalisierungsprofil Musterstadt · Seite 2 von {len(reader.pages)}" in second
    assert "Das Wichtigste in Kürze" in second


def test_control_characters_from_an_answer_file_do_not_stop_the_word_report(tmp_path, library):
    """XML cannot hold ESC, BEL or NUL; the Word file is still written, with the rest of the text."""
    import json

    path = tmp_path / "antworten.json"
    path.write_text(json.dumps({
        "questionnaire": "mini@1.0", "date": "2026-11-23",
        "municipality": {"name": "\x1b[31mRot\x07stadt\x00", "population": 3000},
        "respondents": [{"name": "Erika \x1b]0;x\x07Muster", "role": "Hauptamt"}],
        "answers": {"str_strategy": "draft", "str_notes": "Notiz\x0b\x1b[2J", "sec_mfa": {"value": True, "comment": "\x01"}},
    }), encoding="utf-8")
    document = docx.Document(io.BytesIO(library.render(library.assess_file(path), "docx", "de", edition="voll")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "[31mRotstadt" in text and "\x1b" not in text
    assert document.core_properties.title.endswith("[31mRotstadt")
