"""The Content-Security-Policy of the HTML report and the offline form, in a real headless Chromium.

The pages work under their own policy (no violation, styles and charts applied, the logo shown),
and whatever an injection might put into them — an inline script, an event handler, a style, an
external image — is blocked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assess.capture.form import render_form
from assess.config import ReportConfig
from assess.loading import load_questionnaire
from assess.render import render_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

# Recorded before the page's own policy is read: every violation the browser reports.
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.effectiveDirective + ' ' + (e.blockedURI || '')));"""

INJECTED = ('<script>window.__pwned = "script"</script>'
            '<img src="x.png" onerror="window.__pwned = \'handler\'">'
            '<img id="remote" src="https://example.org/pixel.png">'
            '<style>body { background: rgb(255, 0, 0) !important; }</style>'
            '<p id="styled" style="color: rgb(255, 0, 0)">x</p>')


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


class Page:
    """A fresh browser context on a file:// page, with the violations and console errors it causes."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda msg: self.console.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.console.append(str(exc)))
        self.page.add_init_script(WATCH)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    @property
    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def report_html(library, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csp")
    logo = folder / "logo.png"
    logo.write_bytes(PNG)
    config_file = folder / "assess.yaml"
    config_file.write_text("organisation: Beratung\nlogo: logo.png\ncolors: {accent: '#0b6e4f'}\n", encoding="utf-8")
    from assess.config import load_config

    config = load_config(config_file)
    examples = ROOT / "examples"
    result = library.assess_file(examples / "musterstadt.yaml", examples / "musterstadt-2024.yaml")
    return render_html(result, "de", config, "voll")


def policy(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)[1]


def test_the_report_carries_a_strict_policy(report_html):
    csp = policy(report_html)
    assert csp.startswith("default-src 'none'; ")
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/]{43}='(;| )", csp) and "script-src" not in csp
    assert "img-src data:;" in csp and "unsafe" not in csp
    # The policy comes before the first style it governs.
    assert report_html.index("Content-Security-Policy") < report_html.index("<style")
    assert 'style="' not in report_html  # charts use presentation attributes, tables classes


def test_the_report_works_under_its_policy(browser, report_html, tmp_path):
    path = tmp_path / "bericht.html"
    path.write_text(report_html, encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.violations == [] and page.console == []
        p = page.page
        # The stylesheet applies (accent rule under h2), the charts keep their colours, the logo shows.
        assert p.evaluate("getComputedStyle(document.querySelector('h2')).borderBottomColor") == "rgb(11, 110, 79)"
        assert p.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "960px"
        fills = p.evaluate("[...document.querySelectorAll('.chart svg path')].map(e => getComputedStyle(e).fill)")
        assert "rgb(11, 110, 79)" in fills
        anchors = p.evaluate("[...document.querySelectorAll('.chart svg text')].map(e => getComputedStyle(e).textAnchor)")
        assert "end" in anchors and "middle" in anchors
        assert p.evaluate("document.querySelector('img.logo').naturalWidth") == 1
        assert p.evaluate("getComputedStyle(document.querySelector('td.depth-1') || document.body).paddingLeft") in (
            "24px", "0px")
    finally:
        page.close()


def injected(browser, html: str, path: Path) -> Page:
    """The page `html` with INJECTED written into its <main>, opened; nothing of it may run or style."""
    path.write_text(html.replace("<main>", "<main>" + INJECTED, 1), encoding="utf-8")
    page = Page(browser, path)
    p = page.page
    assert p.evaluate("window.__pwned") is None
    assert p.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    assert p.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    blocked = " ".join(page.violations)
    for directive in ("script-src-elem", "script-src-attr", "style-src-elem", "style-src-attr", "img-src"):
        assert directive in blocked, (directive, blocked)
    return page


def test_an_injection_into_the_report_is_blocked(browser, report_html, tmp_path):
    injected(browser, report_html, tmp_path / "bericht.html").close()


def test_a_template_that_forgets_to_escape_still_cannot_run_a_script(browser, library, tmp_path):
    """The hashes are of what the template writes, not of the page: text smuggled in through a
    consultant's `|safe` is not among them."""
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.html.j2").write_text(
        '{% extends "default:report.html.j2" %}{% block footer %}<footer>{{ a.municipality.name|safe }}</footer>'
        '{% endblock %}', encoding="utf-8")
    answers = tmp_path / "antworten.json"
    answers.write_text(json.dumps({
        "questionnaire": "mini@1.0", "municipality": {"name": '<script>window.__pwned = 1</script>', "population": 3000},
        "answers": {"str_strategy": "draft"}}), encoding="utf-8")
    html = render_html(library.assess_file(answers), "de", ReportConfig(template_dir=folder))
    assert "<footer><script>window.__pwned = 1</script></footer>" in html
    path = tmp_path / "bericht.html"
    path.write_text(html, encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.page.evaluate("window.__pwned") is None
        assert any(v.startswith("script-src-elem") for v in page.violations)
    finally:
        page.close()


@pytest.fixture(scope="module")
def form_html():
    return render_form(load_questionnaire(MINI), "de", form_id="csp")


def test_the_form_carries_a_strict_policy_and_works_under_it(browser, form_html, tmp_path):
    csp = policy(form_html)
    assert csp.startswith("default-src 'none'; script-src 'sha256-") and "unsafe" not in csp and "img-src" not in csp
    path = tmp_path / "fragebogen.html"
    path.write_text(form_html, encoding="utf-8")
    page = Page(browser, path)
    try:
        p = page.page
        p.fill("#f-name", "Testdorf")
        p.fill("#f-population", "3000")
        p.check("#q-str_strategy-draft")
        assert p.evaluate("getComputedStyle(document.getElementById('progress-fill')).width") != "0px"
        with p.expect_download() as info:
            p.click("#download")
        data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        assert data["answers"]["str_strategy"] == "draft"
        assert page.violations == [] and page.console == []
    finally:
        page.close()


def test_an_injection_into_the_form_is_blocked(browser, form_html, tmp_path):
    page = injected(browser, form_html, tmp_path / "fragebogen.html")
    try:  # the form's own script still runs
        page.page.fill("#f-name", "Testdorf")
        assert "Testdorf" in page.page.evaluate("localStorage.getItem(Object.keys(localStorage)[0]) || ''")
    finally:
        page.close()
