"""What the command line says, in German and English (`--lang`): status lines, prompts and errors.

The texts themselves live in the one catalogue of assess.texts (keys `cli.*`).
"""

from __future__ import annotations

import click

from assess import texts


def text(key: str, lang: str, **values) -> str:
    """The command message `key` (catalogue entry `cli.<key>`) in `lang`, filled in."""
    return texts.text(f"cli.{key}", lang, **values)


def say(key: str, lang: str, err: bool = False, **values) -> None:
    """Print the command message `key` in `lang`."""
    click.echo(text(key, lang, **values), err=err)
