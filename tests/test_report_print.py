"""The printed report, read back from real PDFs of every example: page limits, page numbers, contents.

The PDFs are rendered once per test session and shared by every test here (rendering the full
edition of all examples takes about a minute, so those tests are marked slow; CI runs them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from assess.library import Library  # noqa: E402
from assess.render import PDF_OPTIONS, print_document  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# Every example, and the demo (Musterstadt with its 2024 baseline: the longest report).
CASES = {
    "musterstadt": ("musterstadt.yaml", None),
    "demo": ("musterstadt.yaml", "musterstadt-2024.yaml"),
    "musterstadt-2024": ("musterstadt-2024.yaml", None),
    "musterstadt-quickcheck": ("musterstadt-quickcheck.yaml", None),
    "landgemeinde-waldbach": ("landgemeinde-waldbach.yaml", None),
    "mittelstadt-hafenstedt": ("mittelstadt-hafenstedt.yaml", None),
    "kleinstadt-lindenau": ("kleinstadt-lindenau.yaml", None),
}
# What a council can be handed: the short edition of a Quick-Check fits 8 A4 pages, of a Digital-Check 16.
PAGE_LIMIT = {"quickcheck": 8, "digitalcheck": 16}


@pytest.fixture(scope="session")
def example_assessments():
    return {case: Library().assess_file(EXAMPLES / answers, baseline=EXAMPLES / baseline if baseline else None)
            for case, (answers, baseline) in CASES.items()}


class Pdfs:
    """Rendered reports, each laid out once on first use: (case, edition, lang) -> pypdf reader.

    `layout` gives weasyprint's page boxes of the same rendering, so that tests can measure what
    the PDF shows without parsing it again.
    """

    def __init__(self, assessments, folder: Path):
        self.assessments, self.folder, self.cache = assessments, folder, {}

    def _make(self, case: str, edition: str, lang: str):
        key = (case, edition, lang)
        if key not in self.cache:
            document = print_document(self.assessments[case], lang, edition=edition)
            path = self.folder / f"{case}-{edition}-{lang}.pdf"
            path.write_bytes(document.write_pdf(**PDF_OPTIONS))
            self.cache[key] = (path, pypdf.PdfReader(path), document)
        return self.cache[key]

    def get(self, case: str, edition: str = "kurz", lang: str = "de"):
        return self._make(case, edition, lang)[1]

    def path(self, case: str, edition: str = "kurz", lang: str = "de") -> Path:
        return self._make(case, edition, lang)[0]

    def layout(self, case: str, edition: str = "kurz", lang: str = "de"):
        return self._make(case, edition, lang)[2]

    def release(self, case: str, edition: str = "kurz", lang: str = "de"):
        """Forget a rendering (a full edition's layout takes much memory)."""
        self.cache.pop((case, edition, lang), None)


@pytest.fixture(scope="session")
def pdfs(example_assessments, tmp_path_factory):
    return Pdfs(example_assessments, tmp_path_factory.mktemp("pdfs"))


def page_texts(reader) -> list[str]:
    """The text of every page, extracted once per PDF (pypdf takes about 40 ms a page)."""
    if not hasattr(reader, "assess_texts"):
        reader.assess_texts = [page.extract_text() or "" for page in reader.pages]
    return reader.assess_texts


def assert_fits_a_council_paper(pdfs, example_assessments, case):
    limit = PAGE_LIMIT[example_assessments[case].questionnaire.id]
    pages = len(pdfs.get(case).pages)
    assert pages <= limit, f"{case}: the short edition has {pages} pages, at most {limit} fit a council paper"


NUMBERING = {"de": "Seite {n} von {total}", "en": "Page {n} of {total}"}


def assert_numbered(reader, lang: str, name: str):
    texts = page_texts(reader)
    for n, text in enumerate(texts, start=1):
        expected = NUMBERING[lang].format(n=n, total=len(texts))
        assert expected in text, f"page {n} has no „{expected}“: {text[-200:]!r}"
        # The running header names the report and the town.
        assert name in text, f"page {n} has no running header with {name}"




def toc_entries(texts: list[str], heading: str) -> list[tuple[str, int]]:
    """(title, page) pairs of the table of contents: lines ending in a page number after `heading`."""
    for text in texts[:3]:
        if heading in text:
            after = text[text.index(heading) + len(heading):]
            # An entry is a title, a leader of dots and the page number.
            return [(m[1].strip(" ."), int(m[2]))
                    for m in re.finditer(r"^(.*?\S)\s*(?:\. ?){3,}\s*(\d+)\s*$", after, re.MULTILINE)]
    return []


def assert_table_of_contents(pdfs, example_assessments, case):
    reader = pdfs.get(case, "voll")
    texts = page_texts(reader)
    entries = toc_entries(texts, "Inhalt")
    titles = [title for title, _ in entries]
    for chapter in ("Das Wichtigste in Kürze", "Überblick: Ist und Soll", "Fahrplan", "Ergebnisse je Dimension", "Methodik"):
        assert chapter in titles, f"{case}: „{chapter}“ missing from the table of contents {titles}"
    for title, page in entries:
        assert 1 <= page <= len(texts), (title, page)
        assert title in texts[page - 1].replace("\n", " "), f"{case}: „{title}“ is not on page {page}"
    assert_numbered(reader, "de", example_assessments[case].answers.municipality.name)


def test_the_pdf_is_tagged_with_language_and_title_and_numbered_in_its_language(pdfs):
    for lang, title in (("de", "Digitalisierungsprofil – Musterstadt"), ("en", "Digitalisation profile – Musterstadt")):
        reader = pdfs.get("musterstadt", lang=lang)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert root["/Lang"] == lang
        assert reader.metadata.title == title
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
        assert_numbered(reader, lang, "Musterstadt")


# --- what the layout shows: measured on weasyprint's page boxes ---------------------------------

def leaves(box):
    """Every box of a page's content that draws something: text, images, charts (margin boxes excluded)."""
    from weasyprint.formatting_structure import boxes

    stack = [c for c in box.children if not isinstance(c, boxes.MarginBox)]
    while stack:
        item = stack.pop()
        children = getattr(item, "children", None)
        if children:
            stack.extend(children)
        if isinstance(item, (boxes.TextBox, boxes.ReplacedBox)) or type(item).__name__ == "InlineReplacedBox":
            yield item
        elif item.element_tag in ("svg", "tr", "td", "th", "table") and not children:
            yield item


def too_wide(document) -> list[str]:
    """Boxes that reach beyond the text block of their page, described for the failure message."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left, right = page_box.content_box_x(), page_box.content_box_x() + page_box.width
        stack = [c for c in page_box.children if type(c).__name__ != "MarginBox"]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", ()) or ())
            if box.width is None or box.position_x is None:
                continue
            x0, x1 = box.border_box_x(), box.border_box_x() + box.border_width()
            if x0 < left - 0.5 or x1 > right + 0.5:
                text = getattr(box, "text", "") or box.element_tag
                found.append(f"page {number}: <{box.element_tag}> {text[:40]!r} spans {x0:.0f}–{x1:.0f}px, "
                             f"text block {left:.0f}–{right:.0f}px")
    return found




def chapter_pages(reader) -> set[int]:
    """Pages (1-based) on which a chapter begins: the named destinations of the chapter headings."""
    chapters = {"summary-h", "overview-h", "roadmap-h", "dims-h", "method-h"}
    return {reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()
            if name in chapters}


def fill(page) -> float:
    """How much of the page's text block is used: the lowest drawn box's bottom, as a fraction."""
    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    bottoms = [box.position_y + box.margin_height() for box in leaves(page_box) if box.position_y is not None]
    return (max(bottoms) - top) / height if bottoms else 0.0


def assert_pages_well_filled(pdfs, case):
    """No page is less than half full, except the last and one before a chapter."""
    reader, document = pdfs.get(case), pdfs.layout(case)
    starts = chapter_pages(reader)
    last = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        if number == last or number + 1 in starts:
            continue
        assert fill(page) >= 0.5, f"{case}: page {number} is only {fill(page):.0%} full"


# --- one test per example and edition, so that each PDF is laid out once per test worker ---------

@pytest.mark.parametrize("case", CASES)
def test_short_edition_prints_for_a_council(pdfs, example_assessments, case):
    """Within the page limit, every page numbered with the running header, nothing wider than the
    text block, no page under half full except before a chapter."""
    assert_fits_a_council_paper(pdfs, example_assessments, case)
    assert_numbered(pdfs.get(case), "de", example_assessments[case].answers.municipality.name)
    assert too_wide(pdfs.layout(case)) == []
    assert_pages_well_filled(pdfs, case)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_full_edition_prints_with_a_table_of_contents(pdfs, example_assessments, case):
    """A table of contents that points to the right pages, every page numbered, nothing too wide."""
    assert_table_of_contents(pdfs, example_assessments, case)
    assert too_wide(pdfs.layout(case, "voll")) == []
    if case == "musterstadt":
        assert len(pdfs.get(case, "voll").pages) > len(pdfs.get(case).pages)
    pdfs.release(case, "voll")
