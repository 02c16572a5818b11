"""The HTML report on a phone, in a real headless browser (Debian's chromium via playwright).

Regenerate the documentation screenshots with: ASSESS_SCREENSHOTS=1 python -m pytest tests/test_report_browser.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assess.library import Library
from assess.render import render_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def browser(chromium):
    """The session's one Chromium (tests/conftest.py): two sync playwright instances cannot share a worker."""
    return chromium


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The demo report (Musterstadt with its 2024 baseline: the widest tables) and the Quick-Check, both editions."""
    folder = tmp_path_factory.mktemp("reports")
    demo = Library().assess_file(EXAMPLES / "musterstadt.yaml", baseline=EXAMPLES / "musterstadt-2024.yaml")
    quick = Library().assess_file(EXAMPLES / "musterstadt-quickcheck.yaml")
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
    # Page 1 and 2 of the PDF side by side (rendered with pypdfium2, which pdfplumber brings along).
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    from assess.render import render_pdf

    demo = Library().assess_file(EXAMPLES / "musterstadt.yaml", baseline=EXAMPLES / "musterstadt-2024.yaml")
    document = pdfium.PdfDocument(render_pdf(demo, "de"))
    pages = [document[i].render(scale=1.1).to_pil() for i in (0, 1)]
    gap = 24
    sheet = Image.new("RGB", (pages[0].width * 2 + gap * 3, pages[0].height + gap * 2), "#d1d5db")
    for i, im in enumerate(pages):
        sheet.paste(im, (gap + i * (im.width + gap), gap))
    sheet.save(img / "report-short-pdf.png", optimize=True)
