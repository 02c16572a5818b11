"""What the command line says, in German and English (`--lang`): status lines, prompts and errors.

The texts themselves live in the one catalogue of assess.texts (keys `cli.*`).
"""

from __future__ import annotations

import click


def text(key: str, lang: str, **values) -> str:
    """The command message `key` (catalogue entry `cli.<key>`) in `lang`, filled in."""
    from assess import texts  # the catalogue only when something is said, not for --help

    return texts.text(f"cli.{key}", lang, **values)


def say(key: str, lang: str, err: bool = False, **values) -> None:
    """Print the command message `key` in `lang`."""
    click.echo(text(key, lang, **values), err=err)
