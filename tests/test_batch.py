"""`assess batch`: a report per answer file and an overview, a broken file named and passed over, workers
in parallel, nothing overwritten without --force."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import cli

DATA = Path(__file__).parent / "data"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]
TOWNS = {"Zell": "offline", "Aue": "none", "Berg": "online"}


@pytest.fixture
def folder(tmp_path, town_file):
    kunden = tmp_path / "kunden"
    kunden.mkdir()
    for name, backup in TOWNS.items():
        town_file(kunden, name, backup, date="2026-11-01")
    shutil.copy(DATA / "mini-answers.yaml", kunden / "testdorf.json.yaml")
    (kunden / "kaputt.yaml").write_text("questionnaire: mini@1.0\nmunicipality: {name: Kaputt, population: 3000}\n"
                                        "answers:\n  sec_backup: sometimes\n", encoding="utf-8")
    (kunden / "notes.txt").write_text("not an answer file", encoding="utf-8")
    return kunden


def batch(*args):
    return CliRunner().invoke(cli, [*SEARCH, "batch", *map(str, args)])


def test_a_report_per_file_an_overview_and_the_broken_file_named(folder, tmp_path):
    out = tmp_path / "berichte"
    result = batch(folder, "-o", out, "--format", "html,json", "--jobs", "2")

    assert result.exit_code == 1, result.output  # one file failed, the others were written
    broken = f"{folder / 'kaputt.yaml'}:4: „sometimes“ ist keine Antwortmöglichkeit der Frage „sec_backup“"
    assert result.stderr.splitlines()[0].startswith(broken)  # no progress bar when nobody watches
    assert "Antwortdateien mit Fehlern, übergangen (siehe oben und in der Übersicht): 1" in result.stderr
    assert "4 von 5 Berichten geschrieben" in result.stdout
    for stem, name in (("zell", "Zell"), ("aue", "Aue"), ("berg", "Berg"), ("testdorf.json", "Testdorf")):
        assert name in (out / f"{stem}.html").read_text(encoding="utf-8")
        assert json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))["municipality"]["name"] == name
    assert not list(out.glob("kaputt.*")) and not list(out.glob(".*"))  # nothing half-written

    index = (out / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>([^<]+)</td>", index)
    assert rows == ["Aue", "Berg", "Testdorf", "Zell"]  # by name, not by score
    assert 'href="aue.html"' in index and 'href="aue.json"' in index
    assert "kaputt.yaml:4:" in index and "Nicht erstellt (1)" in index
    assert "Content-Security-Policy" in index and "base-uri 'none'" in index and "style-src 'sha256-" in index


def test_all_good_files_exit_0_and_existing_reports_need_force(folder, tmp_path, town_file):
    (folder / "kaputt.yaml").unlink()
    out = tmp_path / "out"
    assert batch(folder, "-o", out, "--format", "md", "--lang", "en").exit_code == 0
    before = (out / "aue.md").read_text(encoding="utf-8")
    town_file(folder, "Aue", "offline", date="2026-11-01")

    again = batch(folder, "-o", out, "--format", "md", "--lang", "en")
    assert again.exit_code == 1
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert (out / "aue.md").read_text(encoding="utf-8") == before

    forced = batch(folder, "-o", out, "--format", "md", "--force", "--lang", "en")
    assert forced.exit_code == 0, forced.output
    assert (out / "aue.md").read_text(encoding="utf-8") != before
    assert "Overview of the reports" in (out / "index.html").read_text(encoding="utf-8")


def test_a_report_never_overwrites_an_answer_file(tmp_path):
    folder = tmp_path / "kunden"
    folder.mkdir()
    shutil.copy(DATA / "mini-answers.yaml", folder / "testdorf.json")
    original = (folder / "testdorf.json").read_bytes()
    result = batch(folder, "-o", folder, "--format", "json", "--force")
    assert result.exit_code == 1
    assert "would be overwritten" in result.stderr or "würde vom Bericht überschrieben" in result.stderr
    assert (folder / "testdorf.json").read_bytes() == original


def test_same_stem_in_two_formats_gets_two_reports_and_unknown_formats_are_refused(tmp_path, town_file):
    folder = tmp_path / "kunden"
    folder.mkdir()
    town_file(folder, "Aue", "none", date="2026-11-01")
    shutil.copy(folder / "aue.yaml", folder / "aue.yml")
    out = tmp_path / "out"
    assert batch(folder, "-o", out, "--format", "json").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["aue-yml.json", "aue.json", "index.html"]
    wrong = batch(folder, "-o", tmp_path / "x", "--format", "html,odt")
    assert wrong.exit_code == 1 and "odt" in wrong.stderr
    assert not (tmp_path / "x").exists()


def test_an_empty_folder_is_an_error(tmp_path):
    result = batch(tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "keine Antwortdateien" in result.stderr


def test_a_missing_optional_extra_stops_the_batch_once_not_per_file(folder, tmp_path, monkeypatch):
    from assess import render
    from assess.errors import MissingExtraError
    from assess.model import Text

    def no_weasyprint(*args, **kwargs):
        raise MissingExtraError("weasyprint", "pdf", Text("Das Schreiben von PDF-Berichten", "Writing PDF reports"))

    monkeypatch.setitem(render.RENDERERS, "pdf", no_weasyprint)
    out = tmp_path / "out"
    result = batch(folder, "-o", out, "--format", "html,pdf")
    assert result.exit_code == 1
    assert result.stderr.count("pip install 'kommunal-digitalcheck[pdf]'") == 1
    assert not list(out.glob("*.html"))  # the file that hit it left no half set of reports


def test_the_overview_escapes_names_and_links(tmp_path):
    folder = tmp_path / "kunden"
    folder.mkdir()
    (folder / "javascript:alert(1).yaml").write_text(
        'questionnaire: mini@1.0\nmunicipality: {name: "<script>alert(1)</script>", population: 3000}\n'
        "answers:\n  sec_backup: none\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch(folder, "-o", out, "--format", "json").exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert 'href="javascript%3Aalert%281%29.json"' in index


def test_no_two_answer_files_share_a_report_name():
    from assess.batch import plan

    names = [Path(n) for n in ("a-yaml.json", "a.json", "a.yaml", "index.yaml", "A.yml")]
    stems = [stem for _, stem in plan(names, Path("/nonexistent-out"), ["html"], force=False)]
    assert len({s.lower() for s in stems} | {"index"}) == len(stems) + 1, stems


def test_every_report_of_a_batch_carries_the_consultants_settings(folder, tmp_path):
    config = tmp_path / "kanzlei.yaml"
    config.write_text('organisation: "Kommunalberatung Beispiel"\nfooter: "Vertraulich"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert batch(folder, "-o", out, "--config", config).exit_code == 1  # kaputt.yaml is passed over
    for town in TOWNS:
        html = (out / f"{town.lower()}.html").read_text(encoding="utf-8")
        assert "Kommunalberatung Beispiel" in html and "Vertraulich" in html
