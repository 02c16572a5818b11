"""The server's texts live in the catalogue (assess/texts, keys server.*); these are its two ways in."""

from __future__ import annotations

from assess.texts import both, has, text


def t(key: str, lang: str, **values) -> str:
    """The server text `key` in `lang` (German first, English with the language switch)."""
    return text(f"server.{key}", lang, **values)


def both_languages(key: str, **values):
    """The server text `key` in German and English (a Text), for a message that is shown later."""
    return both(f"server.{key}", **values)


def known(key: str) -> bool:
    return has(f"server.{key}")
