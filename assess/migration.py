"""Carry answers of an earlier questionnaire version over to the current one (pure).

A bundle declares, per earlier version, which questions were renamed, split, merged or removed and
how option ids map (`migrations:` in questionnaire.yaml, see docs/questionnaire-format.md). Ids it
does not list are taken over unchanged. What cannot be carried over is dropped with a note, never
guessed.
"""

from __future__ import annotations

from assess.model import NOT_APPLICABLE, UNKNOWN, Migration, QuestionMove, Text

SPECIAL = (UNKNOWN, NOT_APPLICABLE)


def migrate_answers(entries: list[tuple[str, object]], migration: Migration,
                    version: str) -> tuple[list[tuple[str, object, str]], list[Text]]:
    """The answer entries `(question id, entry)` of an answer file for `migration.from_version`, as
    `(new question id, entry, old question id)` for `version`, and notes on everything dropped.

    An entry is what the file holds for a question: a value or a mapping with `value`, `comment` ….
    Where several old questions merge into one, the first answered one is kept."""
    moves = {move.old: move for move in migration.moves}
    result: list[tuple[str, object, str]] = []
    taken: dict[str, str] = {}
    notes: list[Text] = []
    for old, entry in entries:
        move = moves.get(old, QuestionMove(old, (old,)))
        if not move.new:
            notes.append(Text(f"Frage „{old}“ gibt es in Version {version} nicht mehr; die Antwort entfällt",
                              f"question '{old}' no longer exists in version {version}; its answer is dropped"))
            continue
        mapped, dropped = _map_entry(entry, dict(move.options)) if move.options else (entry, [])
        for option in dropped:
            notes.append(Text(f"Frage „{old}“: die Option „{option}“ gibt es in Version {version} nicht mehr; sie entfällt",
                              f"question '{old}': option '{option}' no longer exists in version {version}; it is dropped"))
        if mapped is None:
            continue
        for new in move.new:
            if new in taken:
                notes.append(Text(f"Frage „{old}“ ist in „{new}“ aufgegangen, das schon die Antwort von „{taken[new]}“ "
                                  "übernimmt; diese Antwort entfällt",
                                  f"question '{old}' was merged into '{new}', which already takes the answer of "
                                  f"'{taken[new]}'; this answer is dropped"))
                continue
            taken[new] = old
            result.append((new, mapped, old))
    return result, notes


def _map_entry(entry, options: dict[str, str | None]):
    """The entry with its option ids mapped, and the old option ids that were dropped."""
    if isinstance(entry, dict):
        if "value" not in entry:
            return entry, []
        value, dropped = _map_value(entry["value"], options)
        if value is None:
            return None, dropped
        copy = type(entry)(entry)
        if hasattr(entry, "key_lines"):
            copy.key_lines = dict(entry.key_lines)
            copy.line = entry.line
        copy["value"] = value
        return copy, dropped
    return _map_value(entry, options)


def _map_value(value, options: dict[str, str | None]):
    if isinstance(value, str) and value not in SPECIAL:
        if value not in options:
            return value, []
        new = options[value]
        return new, ([] if new is not None else [value])
    if isinstance(value, list):
        kept, dropped = [], []
        for item in value:
            new = options.get(item, item) if isinstance(item, str) else item
            if new is None:
                dropped.append(item)
            elif new not in kept:
                kept.append(new)
        if dropped and not kept:
            return None, dropped  # "none of these" must not be read from options that were dropped
        return _like(value, kept), dropped
    return value, []


def _like(original, items):
    copy = type(original)(items)
    if hasattr(original, "item_lines"):
        copy.item_lines = list(original.item_lines[: len(items)])
        copy.line = original.line
    return copy
