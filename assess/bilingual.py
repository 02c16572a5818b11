"""A text in German and English — the smallest piece of the model, kept apart so that error
messages (and `assess --help`) need nothing else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A user-facing text in German and English."""

    de: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to the other language (a bundle may have only one)."""
        if lang == "en":
            return self.en or self.de
        return self.de or self.en


EMPTY_TEXT = Text("", "")
