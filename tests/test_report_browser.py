"""The HTML report on a phone, in a real headless browser (Debian's chromium via playwright).

Regenerate the documentation screenshots with: ASSESS_SCREENSHOTS=1 python -m pytest tests/test_report_browser.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assess.assessment import assess_file
from assess.render import render_html

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The demo report (Musterstadt with its 2024 baseline: the widest tables) and the Quick-Check, both editions."""
    folder = tmp_path_factory.mktemp("reports")
    demo = assess_file(EXAMPLES / "musterstadt.yaml", baseline=EXAMPLES / "musterstadt-2024.yaml")
    quick = assess_file(EXAMPLES / "musterstadt-quickcheck.yaml")
    made = {}
    for name, assessment in (("demo", demo), ("quickcheck", quick)):
        for edition in ("kurz", "voll"):
            path = folder / f"{name}-{edition}.html"
            path.write_text(render_html(assessment, "de", edition=edition), encoding="utf-8")
            made[(name, edition)] = path
    return made


def open_page(browser, path: Path, width: int):
    # Not is_mobile: a mobile viewport would zoom out to fit wide content and hide the overflow.
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    return context, page, errors


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("report", [("demo", "kurz"), ("demo", "voll"), ("quickcheck", "kurz")], ids="-".join)
def test_the_report_fits_a_phone_without_sideways_scrolling(browser, reports, width, report):
    context, page, errors = open_page(browser, reports[report], width)
    try:
        for details in page.query_selector_all("details"):
            details.evaluate("d => d.open = true")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
            page.evaluate("document.documentElement.scrollWidth")
        # Wide tables scroll inside their own box, which never reaches past the screen.
        boxes = page.evaluate("""() => [...document.querySelectorAll('.table-box, .chart-box')]
            .map(b => b.getBoundingClientRect().right)""")
        assert boxes and max(boxes) <= width
        # The title is not cut off: every word of the h1 is inside the screen.
        assert page.evaluate("document.querySelector('h1').scrollWidth <= document.querySelector('h1').clientWidth")
        assert errors == []
    finally:
        context.close()


def test_chart_numbers_are_a_table_behind_a_summary(browser, reports):
    context, page, _ = open_page(browser, reports[("demo", "kurz")], 1000)
    try:
        details = page.query_selector_all("details.chart-data")
        assert len(details) == 2
        assert not details[0].query_selector("table").is_visible()
        details[0].query_selector("summary").click()
        table = details[0].query_selector("table")
        assert table.is_visible()
        assert table.query_selector("thead th").inner_text() == "Dimension"
        assert len(table.query_selector_all("tbody tr")) == 11
    finally:
        context.close()


@pytest.mark.skipif(not os.environ.get("ASSESS_SCREENSHOTS"), reason="set ASSESS_SCREENSHOTS=1 to regenerate docs/img")
def test_screenshots_of_the_short_edition_for_the_docs(browser, reports):
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    for name, width, height in (("report-short-desktop.png", 1200, 1000), ("report-short-phone.png", 390, 844)):
        context, page, _ = open_page(browser, reports[("demo", "kurz")], width)
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('summary-h').scrollIntoView()")
        page.screenshot(path=str(img / name))
        context.close()
