"""Report rendering: every format and language, escaping of untrusted input, PDF read back, branding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import cli

DATA = Path(__file__).parent / "data"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]
EVIL = "<script>alert(1)</script> & Söhne | *fett*"


def run(*args):
    result = CliRunner().invoke(cli, [*SEARCH, *map(str, args)])
    return result


@pytest.fixture
def evil_answers(tmp_path):
    text = (DATA / "mini-answers.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Testdorf", "name: '<script>alert(1)</script> & Söhne | *fett*'")
    text = text.replace("str_budget: true", "str_budget: {value: true, comment: '<img src=x onerror=alert(2)>'}")
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_html_escapes_municipality_name_and_comments(evil_answers, tmp_path):
    out = tmp_path / "r.html"
    result = run("report", evil_answers, "-o", out, "--edition", "voll")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_markdown_escapes_untrusted_text(evil_answers, tmp_path):
    out = tmp_path / "r.md"
    assert run("report", evil_answers, "-o", out).exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert "<script>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; & Söhne \\| \\*fett\\*" in md


@pytest.mark.parametrize("lang", ["de", "en"])
def test_html_report_is_self_contained(tmp_path, lang):
    out = tmp_path / "r.html"
    assert run("report", DATA / "mini-answers.yaml", "-o", out, "--lang", lang).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert "<svg" in html
    # No external resources: links only within the page, no stylesheet or script from elsewhere.
    assert re.findall(r'(?:src|href)="([^"]*)"', html) and all(
        url.startswith("#") for url in re.findall(r'(?:src|href)="([^"]*)"', html))
    assert "<script" not in html and "@import" not in html
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", html))


@pytest.mark.parametrize("lang,edition,expected,absent", [
    ("de", "voll", ["Das Wichtigste in Kürze", "Fahrplan", "Prioritätenmatrix", "Methodik", "23. November 2026", "3.000",
                    "Inhalt", "Langfassung", 'id="matrix-h"'], ["Zur Methode"]),
    ("en", "voll", ["Executive summary", "Roadmap", "Priority matrix", "Methodology", "23 November 2026", "3,000",
                    "Contents", "Full edition"], ["About the method"]),
    ("de", "kurz", ["Das Wichtigste in Kürze", "Fahrplan", "Was es kostet", "Phase 1 im Einzelnen", "Zur Methode",
                    "--edition voll", "Kurzfassung"], ['id="matrix-h"', 'id="dims-h"', 'id="toc-h"']),
    ("en", "kurz", ["Executive summary", "Roadmap", "What it costs", "Phase 1 in detail", "About the method",
                    "--edition voll", "Short edition"], ['id="matrix-h"', 'id="dims-h"', 'id="toc-h"']),
])
def test_html_report_sections_and_formatting(tmp_path, lang, edition, expected, absent):
    out = tmp_path / "r.html"
    assert run("report", DATA / "mini-answers.yaml", "-o", out, "--lang", lang, "--edition", edition).exit_code == 0
    html = out.read_text(encoding="utf-8")
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_the_short_edition_is_the_default(tmp_path):
    out = tmp_path / "r.html"
    assert run("report", DATA / "mini-answers.yaml", "-o", out).exit_code == 0
    assert 'class="edition-kurz"' in out.read_text(encoding="utf-8")


def test_an_unknown_edition_is_refused(tmp_path):
    result = run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.html", "--edition", "mittel")
    assert result.exit_code == 2 and "kurz" in result.output and not (tmp_path / "r.html").exists()


def test_json_report_holds_the_numbers(tmp_path):
    out = tmp_path / "r.json"
    assert run("report", DATA / "mini-answers.yaml", "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "assess-report" and data["schema_version"] == "2.0"
    assert data["overall"] == {"score": 54.2, "level": 3, "coverage": 0.857, "answered": 6, "applicable": 7}
    assert data["dimensions"]["strategy"]["score"] == 68.8
    assert data["dimensions"]["security"]["gap"] == 15.0
    assert data["municipality"]["size_class"] == "landgemeinde"
    # Strategy has priority 5 and security 2 in this file: the strategy measure comes first.
    assert [r["measure"] for r in data["recommendations"]] == ["m_strategy_adopt", "m_sec_backup", "m_sec_mfa"]
    assert data["roadmap"][0]["measures"] == ["m_strategy_adopt", "m_sec_backup", "m_sec_mfa"]
    backup = next(r for r in data["recommendations"] if r["measure"] == "m_sec_backup")
    assert backup["evidence"] == ["sec_backup"] and backup["answers"][0]["value"] == "online"
    assert "„Offline-Backup“" not in backup["reason"] and "online" in backup["reason"].lower()
    assert backup["duty"] is None and backup["status"] == "start"


def test_pdf_text_reads_back(tmp_path):
    pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "r.pdf"
    result = run("report", DATA / "mini-answers.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    for expected in ("Digitalisierungsprofil: Testdorf", "Das Wichtigste in Kürze", "Offline-Backup einrichten", "Methodik"):
        assert expected in text


def test_pdf_without_weasyprint_explains_how_to_install(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("no weasyprint")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    result = run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.pdf")
    assert result.exit_code == 1
    assert "pip install 'kommunal-digitalcheck[pdf]'" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_unknown_suffix_needs_format(tmp_path):
    result = run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.txt")
    assert result.exit_code == 1
    assert "verwenden Sie die Endung .html, .pdf, .docx, .md oder .json oder --format" in result.output
    assert run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.txt", "--format", "md").exit_code == 0


def test_baseline_adds_progress(tmp_path):
    before = tmp_path / "before.yaml"
    text = (DATA / "mini-answers.yaml").read_text(encoding="utf-8")
    before.write_text(text.replace("sec_backup: online", "sec_backup: none").replace("date: 2026-11-23", "date: 2024-10-01"),
                      encoding="utf-8")
    out = tmp_path / "r.html"
    assert run("report", DATA / "mini-answers.yaml", "-o", out, "--baseline", before).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Entwicklung seit der letzten Erhebung" in html
    assert "+8 Punkte seit 2024" in html  # security 16,7 → 25,0


def test_config_brands_the_report(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    config = tmp_path / "assess.yaml"
    config.write_text('organisation: "Beratung <b>X</b>"\nlogo: logo.svg\ncolors: {accent: "#0b6e4f"}\nfooter: "Vertraulich"\n',
                      encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("report", DATA / "mini-answers.yaml", "-o", out, "--config", config)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Beratung &lt;b&gt;X&lt;/b&gt;" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "--accent: #0b6e4f" in html
    assert "Vertraulich" in html


def test_bad_config_is_located(tmp_path):
    config = tmp_path / "assess.yaml"
    config.write_text("organisation: X\ncolors:\n  accent: green\n", encoding="utf-8")
    result = run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.html", "--config", config)
    assert result.exit_code == 1
    assert f"{config}:3: „accent“ muss eine Farbe wie" in result.output


def test_template_dir_overrides_a_block_and_a_string(tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.html.j2").write_text(
        '{% extends "default:report.html.j2" %}{% block footer %}<footer>Kanzlei Muster</footer>{% endblock %}',
        encoding="utf-8")
    (folder / "strings.yaml").write_text("roadmap: {de: Umsetzungsplan, en: Implementation plan}\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("report", DATA / "mini-answers.yaml", "-o", out, "--template-dir", folder)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<footer>Kanzlei Muster</footer>" in html
    assert "Umsetzungsplan" in html and ">Fahrplan<" not in html


def test_broken_user_template_is_reported_with_its_name(tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.html.j2").write_text("{{ a.municipality.nmae }}", encoding="utf-8")
    result = run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.html", "--template-dir", folder)
    assert result.exit_code == 1
    assert "nmae" in result.output and "Traceback" not in result.output


def test_accent_text_keeps_contrast():
    from assess.config import ReportConfig, contrast

    for accent in ("#1f5fa8", "#ffd700", "#0b6e4f", "#f0f0f0", "#000000"):
        config = ReportConfig(accent=accent)
        assert contrast(config.accent, config.accent_text) >= 4.5, accent


@pytest.mark.parametrize("edition,charts", [("kurz", 2), ("voll", 3)])
def test_html_report_is_accessible(tmp_path, edition, charts):
    """One h1, no skipped heading level, every chart a labelled image whose label holds its numbers and
    whose numbers follow in a table with headers, unique ids."""
    from html.parser import HTMLParser

    out = tmp_path / "r.html"
    examples = Path(__file__).resolve().parent.parent / "examples"
    assert CliRunner().invoke(cli, ["report", str(examples / "musterstadt.yaml"), "-o", str(out), "--edition", edition,
                                    "--baseline", str(examples / "musterstadt-2024.yaml")]).exit_code == 0

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.headings, self.figures, self.images, self.ids = [], [], [], []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.append(attrs["id"])
            if re.fullmatch(r"h[1-6]", tag):
                self.headings.append(int(tag[1]))
            if tag == "figure":
                self.figures.append(attrs)
            if tag == "img":
                self.images.append(attrs)

    page = Collector()
    html = out.read_text(encoding="utf-8")
    page.feed(html)
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, f"heading h{before} followed by h{after}"
    assert len(page.figures) == charts  # radar, roadmap (and the priority matrix in the full edition)
    # Each chart's numbers: a collapsible table right after the figure, with column and row headers.
    tables = re.findall(r'</figure>\s*<details class="chart-data">\s*<summary>[^<]+</summary>\s*<div class="table-box">\s*'
                        r'<table>\s*<thead><tr>(?:<th scope="col"[^>]*>[^<]+</th>)+</tr></thead>\s*<tbody><tr><th scope="row">',
                        html)
    assert len(tables) == charts
    assert "grey" not in html and 'figcaption class="small muted">Fahrplan: ' not in html
    for figure in page.figures:
        assert figure.get("role") == "img"
        assert re.search(r"\d", figure.get("aria-label", "")), figure
    assert all(img.get("alt") for img in page.images)
    repeated = {i for i in page.ids if page.ids.count(i) > 1}
    assert not repeated, f"ids used more than once (the charts' SVGs must not collide): {sorted(repeated)[:5]}"


def test_report_colours_have_enough_contrast():
    from assess.config import contrast
    from assess.resources import data_dir

    css = (data_dir("reports") / "style.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("#111827", "#ffffff"), (colours["muted"], "#ffffff"), (colours["muted"], "#eef2f7"),
             (colours["warn"], colours["warn-bg"]), (colours["accent-text"], colours["accent"]),
             ("#1d4ed8", "#ffffff"), ("#0f2f57", "#ffffff")]
    for text, background in pairs:
        assert contrast(text, background) >= 4.5, (text, background)


def test_an_all_unknown_answer_file_says_nothing_can_be_said_yet(tmp_path):
    text = (DATA / "mini-answers.yaml").read_text(encoding="utf-8").split("answers:")[0]
    text += "answers:\n" + "".join(f"  {q}: unknown\n" for q in
                                   ("str_strategy", "str_budget", "sec_backup", "sec_mfa", "sec_patch", "sec_staff"))
    path = tmp_path / "unknown.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("report", path, "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Alle Dimensionen erreichen ihr Soll" not in html
    assert "Für 2 von 2 Dimensionen liegt noch keine gewertete Antwort vor" in html
    assert "Noch keine Empfehlung möglich: Ob 4 Maßnahmen nötig sind" in html


def test_dollar_signs_in_names_are_text_not_tex(tmp_path):
    folder = tmp_path / "q" / "mini"
    folder.mkdir(parents=True)
    source = DATA / "questionnaires" / "mini"
    (folder / "questionnaire.yaml").write_text(
        (source / "questionnaire.yaml").read_text(encoding="utf-8").replace("{de: Strategie,", '{de: "Strategie $$ $x$",'),
        encoding="utf-8")
    (folder / "measures.yaml").write_text((source / "measures.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["--questionnaires", str(tmp_path / "q"), "report", str(DATA / "mini-answers.yaml"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Strategie $$ $x$" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("content,message", [
    ("- a list\n", "strings.yaml:1: Textdatei: erwartet wird eine Zuordnung"),
    ("summary_lead: {de: 'Profil {foo}', en: 'Profile {foo}'}\n", "der Text „summary_lead“ hat einen Platzhalter, der sich nicht füllen lässt"),
    ("roadmap: Umsetzungsplan\n", "Text „roadmap“: „roadmap“ braucht beide Sprachen"),
])
def test_a_broken_user_strings_file_is_explained(tmp_path, content, message):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "strings.yaml").write_text(content, encoding="utf-8")
    result = run("report", DATA / "mini-answers.yaml", "-o", tmp_path / "r.html", "--template-dir", folder)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output


def test_an_unwritable_output_is_a_clear_error(tmp_path):
    blocked = tmp_path / "datei"  # a file where the output's folder should be
    blocked.write_text("", encoding="utf-8")
    result = run("report", DATA / "mini-answers.yaml", "-o", blocked / "x.html")
    assert result.exit_code == 1
    assert result.output.startswith(f"Fehler: {blocked / 'x.html'} lässt sich nicht schreiben:")


def test_the_report_never_shows_a_measure_id_as_text(tmp_path):
    """Readers see titles: a prerequisite is named by its title (and only when it is recommended too)."""
    from html.parser import HTMLParser

    out = tmp_path / "r.html"
    examples = Path(__file__).resolve().parent.parent / "examples"
    assert CliRunner().invoke(cli, ["report", str(examples / "musterstadt.yaml"), "-o", str(out),
                                    "--edition", "voll"]).exit_code == 0

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.chunks = []

        def handle_data(self, data):
            self.chunks.append(data)

    page = Text()
    html = out.read_text(encoding="utf-8")
    page.feed(html)
    shown = " ".join(page.chunks)
    assert not re.findall(r"\bm_[a-z]+_[a-z_]+\b", shown)
    assert re.search(r'<dt>Voraussetzung</dt><dd><a href="#m-m_[a-z_]+">', html)  # recommended ones stay linked


@pytest.mark.parametrize("lang,summary,overview", [("de", "Das Wichtigste in Kürze", "Überblick: Ist und Soll"),
                                                   ("en", "Executive summary", "Overview: current and target")])
def test_pdf_executive_summary_is_one_page(tmp_path, lang, summary, overview):
    """Cover and key facts on page 1, the whole summary on page 2, the overview from page 3."""
    pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "r.pdf"
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = run("report", examples / "musterstadt.yaml", "-o", out, "--lang", lang,
                 "--baseline", examples / "musterstadt-2024.yaml")
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in pypdf.PdfReader(out).pages]
    assert pages[1].lstrip().startswith(summary), pages[1][:200]
    assert pages[2].lstrip().startswith(overview), pages[2][:200]


def test_an_assess_yaml_in_the_working_folder_is_not_used_unless_named(tmp_path, monkeypatch):
    # A folder received from a client may hold an assess.yaml pointing at templates that run code.
    monkeypatch.setenv("ASSESS_CONFIG_DIR", str(tmp_path / "no-user-config"))
    (tmp_path / "evil").mkdir()
    (tmp_path / "evil" / "report.html.j2").write_text("PWNED", encoding="utf-8")
    (tmp_path / "assess.yaml").write_text("organisation: Fremd\ntemplate_dir: evil\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.html"
    result = run("report", DATA / "mini-answers.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "PWNED" not in html and "Fremd" not in html


def test_the_users_own_config_brands_every_report(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "assess.yaml").write_text('organisation: "Beratung Eigen"\n', encoding="utf-8")
    monkeypatch.setenv("ASSESS_CONFIG_DIR", str(folder))
    out = tmp_path / "r.html"
    assert run("report", DATA / "mini-answers.yaml", "-o", out).exit_code == 0
    assert "Beratung Eigen" in out.read_text(encoding="utf-8")


# --- money and time per phase; horizon and phase agree or the report says why ---------------------

def _measure(**costs):
    from assess.conditions import AllOf
    from assess.model import Measure, Text

    return Measure(id="m", dimension="d", title=Text("T", "T"), description=Text("", ""), steps=(), when=AllOf(()),
                   reason=Text("", ""), effort="S", impact=1, horizon="quick", **costs)


def test_phase_costs_sum_ranges_and_say_where_figures_are_missing():
    from assess.costs import costs
    from assess.render import _amount, _translator, load_strings

    tr = _translator(load_strings(None, "de"))
    stated = _measure(cost_min=1000, cost_max=5000, cost_yearly_min=100, cost_yearly_max=300, staff_days_min=2, staff_days_max=5)
    silent = _measure(cost_min=0, cost_max=2000)
    total = costs([stated, silent])
    assert (total.one_off.low, total.one_off.high, total.one_off.stated) == (1000, 7000, 2)
    assert _amount(total.one_off, "euro", tr, "de") == "1.000–7.000 €"
    assert _amount(total.yearly, "year", tr, "de") == "100–300 € pro Jahr (angegeben für 1 von 2 Maßnahmen)"
    assert _amount(total.staff_days, "days", tr, "de") == "2–5 Personentage (angegeben für 1 von 2 Maßnahmen)"
    nothing = costs([silent])
    assert _amount(nothing.yearly, "year", tr, "de") == "nicht angegeben"
    assert _amount(nothing.staff_days, "days", tr, "de") == "nicht angegeben"
    assert _amount(costs([_measure()]).one_off, "euro", tr, "de") == "keine"
    assert _amount(costs([]).one_off, "euro", tr, "de") == "–"


@pytest.mark.parametrize("town", ["musterstadt", "musterstadt-quickcheck", "landgemeinde-waldbach",
                                  "mittelstadt-hafenstedt", "kleinstadt-lindenau"])
@pytest.mark.parametrize("edition", ["kurz", "voll"])
def test_a_quick_measure_in_a_later_phase_always_says_why(town, edition):
    """No „Sofortmaßnahme“ next to „Phase 2“ without the reason the roadmap gives."""
    from assess.library import Library
    from assess.render import report_context

    examples = Path(__file__).resolve().parent.parent / "examples"
    context = report_context(Library().assess_file(examples / f"{town}.yaml"), "de", edition=edition)
    html = render_html_text(context)
    shown = 0
    for phase in context["advice"].phases:
        for r in phase.recommendations:
            if r.measure.horizon == "quick" and phase.number > 1:
                assert r.note is not None, r.measure.id
                if f'id="m-{r.measure.id}"' in html:
                    assert markupsafe_escape(r.note.get("de")) in html, r.measure.id
                    shown += 1
    for r in context["advice"].later:
        assert r.note is not None
    assert edition == "kurz" or shown or not any(
        r.measure.horizon == "quick" for p in context["advice"].phases[1:] for r in p.recommendations)


def markupsafe_escape(text: str) -> str:
    import markupsafe

    return str(markupsafe.escape(text))


def render_html_text(context) -> str:
    from assess.render import _filters, environment

    env = environment()
    _filters(env, context["lang"])
    return env.get_template("report.html.j2").render(**context)


def test_markdown_and_json_reports_draw_no_charts():
    import subprocess
    import sys

    code = ("import sys\nfrom assess.library import Library\nlib = Library()\n"
            "result = lib.assess_file('examples/musterstadt.yaml')\n"
            "lib.render(result, 'md'); lib.render(result, 'json')\n"
            "print('matplotlib' in sys.modules)\n"
            "lib.render(result, 'html')\nprint('matplotlib' in sys.modules)\n")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert out.split() == ["False", "True"]
