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

from assess.assessment import assess_file  # noqa: E402
from assess.render import render_pdf  # noqa: E402

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
    return {case: assess_file(EXAMPLES / answers, baseline=EXAMPLES / baseline if baseline else None)
            for case, (answers, baseline) in CASES.items()}


class Pdfs:
    """Rendered PDFs, each made once on first use: (case, edition, lang) -> pypdf reader."""

    def __init__(self, assessments, folder: Path):
        self.assessments, self.folder, self.cache = assessments, folder, {}

    def get(self, case: str, edition: str = "kurz", lang: str = "de"):
        key = (case, edition, lang)
        if key not in self.cache:
            path = self.folder / f"{case}-{edition}-{lang}.pdf"
            path.write_bytes(render_pdf(self.assessments[case], lang, edition=edition))
            self.cache[key] = (path, pypdf.PdfReader(path))
        return self.cache[key][1]

    def path(self, case: str, edition: str = "kurz", lang: str = "de") -> Path:
        self.get(case, edition, lang)
        return self.cache[(case, edition, lang)][0]


@pytest.fixture(scope="session")
def pdfs(example_assessments, tmp_path_factory):
    return Pdfs(example_assessments, tmp_path_factory.mktemp("pdfs"))


def page_texts(reader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


@pytest.mark.parametrize("case", CASES)
def test_short_edition_fits_what_a_council_reads(pdfs, example_assessments, case):
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


@pytest.mark.parametrize("case", CASES)
def test_every_page_of_the_short_edition_is_numbered(pdfs, example_assessments, case):
    assert_numbered(pdfs.get(case), "de", example_assessments[case].answers.municipality.name)


def test_english_pages_are_numbered_in_english(pdfs, example_assessments):
    assert_numbered(pdfs.get("musterstadt", lang="en"), "en", "Musterstadt")


def toc_entries(texts: list[str], heading: str) -> list[tuple[str, int]]:
    """(title, page) pairs of the table of contents: lines ending in a page number after `heading`."""
    for text in texts[:3]:
        if heading in text:
            after = text[text.index(heading) + len(heading):]
            return [(m[1].strip(" .\u2002\u2003"), int(m[2]))
                    for m in re.finditer(r"^(.*\S)\s*?\.*\s*(\d+)\s*$", after, re.MULTILINE)
                    if not re.match(r"(Seite|Page) \d+ (von|of)", m[0].strip())]
    return []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_full_edition_has_a_table_of_contents_that_points_to_the_right_pages(pdfs, example_assessments, case):
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


@pytest.mark.slow
def test_full_edition_is_longer_than_the_short_one(pdfs):
    assert len(pdfs.get("musterstadt", "voll").pages) > len(pdfs.get("musterstadt").pages)
