"""Text from an answer file or the configuration shows in the Markdown report exactly as typed.

The report is rendered by a CommonMark parser (markdown-it-py, with GFM tables and strikethrough), as
a wiki or mail program would: a hostile name must neither change the document's structure nor lose
a character.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assess.config import ReportConfig
from assess.render import markdown_escape

markdown_it = pytest.importorskip("markdown_it")

DATA = Path(__file__).parent / "data"

HOSTILE = [
    "1. FC Musterstadt",
    "2) Zweite Gemeinde",
    "- Liste",
    "+ Plus",
    "# Überschrift",
    "> Zitat",
    "a_b_c *fett* **stark** __auch__",
    "`code` und ```block```",
    "[klick](https://example.org) ![bild](x.png) <https://example.org>",
    "<b>fett</b> <script>alert(1)</script>",
    "Müller &amp; Söhne &lt;x&gt; &#65;",
    "Spalte | Tabelle | drei",
    "~~durch~~ \\*schon escaped\\*",
    "---",
    "===",
    "    eingerückt wie Code",
    "Zeile eins\nZeile zwei",
]


class Page(HTMLParser):
    """The tags (the document's structure) and the text of rendered HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.chunks = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())


def as_html(markdown: str) -> str:
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def report(library, tmp_path, text: str) -> str:
    answers = json.loads(json.dumps({
        "questionnaire": "mini@1.0", "date": "2026-11-23",
        "municipality": {"name": text, "population": 3000, "state": "BY"},
        "respondents": [{"name": text, "role": "Hauptamt"}],
        "answers": {"str_strategy": "draft", "str_budget": True, "str_notes": text, "sec_backup": "online",
                    "sec_mfa": {"value": True, "comment": text}},
    }))
    path = tmp_path / "antworten.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = library.assess_file(path)
    return library.render(result, "md", "de", ReportConfig(organisation=text, footer=text), "voll")


@pytest.fixture(scope="module")
def plain(library, tmp_path_factory):
    return Page(as_html(report(library, tmp_path_factory.mktemp("plain"), "Testdorf")))


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_renders_literally_and_never_changes_the_structure(library, tmp_path, plain, text):
    page = Page(as_html(report(library, tmp_path, text)))
    assert page.tags == plain.tags
    shown = " ".join(text.split())
    assert page.text.count(shown) >= plain.text.count("Testdorf") - 1, (shown, page.text[:600])


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_alone_renders_as_one_paragraph_of_exactly_that_text(text):
    for where in ("{}", "- {}", "Stand: {}", "| a | b |\n| --- | --- |\n| {} | x |"):
        page = Page(as_html(where.format(markdown_escape(text))))
        reference = Page(as_html(where.format("Testdorf")))
        assert page.tags == reference.tags, (where, text)
        assert " ".join(text.split()) in page.text


def test_numbers_and_dates_stay_readable_in_the_markdown_source(library, tmp_path):
    markdown = report(library, tmp_path, "Testdorf")
    assert "23. November 2026" in markdown and "23\\." not in markdown
