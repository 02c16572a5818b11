"""One home for the texts people read: a catalogue per language and one way to get a text.

    text("cli.wrote_report", "de", path="bericht.html")  ->  "bericht.html geschrieben"

Unknown languages fall back to German; a key missing from the catalogue is a bug (KeyError).
"""

from __future__ import annotations

from assess.texts import de, en

CATALOGUES = {"de": de.TEXTS, "en": en.TEXTS}


def text(key: str, lang: str, **values):
    """The text `key` in `lang`, with its {placeholders} filled.

    A plural entry (a mapping of "zero"/"one"/"other") is chosen by `count` when it is given and
    returned whole otherwise (for the offline form's script); lists are returned as they are."""
    entry = CATALOGUES.get(lang, de.TEXTS)[key]
    if isinstance(entry, dict) and "count" in values:
        count = values["count"]
        entry = entry.get("zero", entry["other"]) if count == 0 else entry["one"] if count == 1 else entry["other"]
    return entry.format(**values) if values and isinstance(entry, str) else entry


def has(key: str) -> bool:
    """Whether the catalogue knows `key`."""
    return key in de.TEXTS


def both(key: str, **values):
    """The text `key` in German and English, as one bilingual Text (for error messages); values that
    are Text are filled in per language."""
    from assess.bilingual import Text

    def filled(lang: str) -> str:
        return text(key, lang, **{k: v.get(lang) if isinstance(v, Text) else v for k, v in values.items()})

    return Text(filled("de"), filled("en"))
