"""One home for the texts people read: a catalogue per language and one way to get a text.

    text("cli.wrote_report", "de", path="bericht.html")  ->  "bericht.html geschrieben"

Unknown languages fall back to German; a key missing from the catalogue is a bug (KeyError).
"""

from __future__ import annotations

from assess.texts import de, en

CATALOGUES = {"de": de.TEXTS, "en": en.TEXTS}


def text(key: str, lang: str, **values):
    """The text `key` in `lang`, with its {placeholders} filled (lists and plural forms — mappings of
    "one"/"other" for the offline form's script — are returned as they are)."""
    entry = CATALOGUES.get(lang, de.TEXTS)[key]
    return entry.format(**values) if values and isinstance(entry, str) else entry


def has(key: str) -> bool:
    """Whether the catalogue knows `key`."""
    return key in de.TEXTS


def both(key: str, **values):
    """The text `key` in German and English, as one Text (values that are Text are filled per language)."""
    from assess.bilingual import Text

    def fill(lang: str) -> str:
        return text(key, lang, **{k: v.get(lang) if isinstance(v, Text) else v for k, v in values.items()})

    return Text(fill("de"), fill("en"))
