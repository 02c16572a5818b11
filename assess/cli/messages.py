"""What the command line says, in German and English (`--lang`): status lines, prompts and errors.

The texts themselves live in the one catalogue of assess.texts (keys `cli.*`). Everything the
command line prints goes through `echo`, which removes terminal control characters: a name in an
answer file or workbook must not recolour the terminal, retitle its window or rewrite what it
shows (ESC sequences, OSC, carriage returns, bidirectional overrides).
"""

from __future__ import annotations

import json
import re

import click

# Whole escape sequences first, so none of their parameters is left behind as text: CSI (ESC [ …
# or 8-bit 0x9b), OSC (ESC ] … or 0x9d, up to BEL or ST, or the line's end when unterminated),
# DCS/SOS/PM/APC (ESC P, X, ^, _ … ST) and the two-character ESC sequences.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c\n]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]"
)
# Then every single control character but newline and tab: C0, DEL, C1, and the bidirectional
# embeddings, overrides and isolates that can make a terminal show text in another order.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_UNSAFE}]")


def terminal_safe(message: str) -> str:
    """`message` without terminal control characters and escape sequences (newlines and tabs stay)."""
    return _CONTROL.sub("", _SEQUENCE.sub("", message))


def echo(message="", err: bool = False) -> None:
    """Print one message to the terminal (stdout, or stderr with `err`), control characters removed."""
    click.echo(terminal_safe(str(message)), err=err)


def echo_json(data) -> None:
    """Print `data` as JSON. Control characters in its texts are written as \\u escapes, which keeps
    the JSON exact (json.dumps escapes C0 itself; DEL, C1 and bidirectional controls it leaves raw)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    echo(re.sub(f"[{_UNSAFE}]", lambda m: f"\\u{ord(m[0]):04x}", text))


def text(key: str, lang: str, **values) -> str:
    """The command message `key` (catalogue entry `cli.<key>`) in `lang`, filled in."""
    from assess import texts  # the catalogue only when something is said, not for --help

    return texts.text(f"cli.{key}", lang, **values)


def say(key: str, lang: str, err: bool = False, **values) -> None:
    """Print the command message `key` in `lang`."""
    echo(text(key, lang, **values), err=err)
