"""The server's texts live in the catalogue (assess/texts, keys server.*); these are its two ways in."""

from __future__ import annotations

from assess.texts import has, text


def t(key: str, lang: str, **values) -> str:
    """The server text `key` in `lang` (German first, English with the language switch)."""
    return text(f"server.{key}", lang, **values)


def known(key: str) -> bool:
    return has(f"server.{key}")
