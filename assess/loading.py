"""Load and validate questionnaires and the measure catalogue from YAML into the model."""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path

from assess.conditions import condition_dimensions, condition_questions
from assess.model import (
    AGGREGATES,
    EFFORTS,
    FRAMINGS,
    HORIZONS,
    ID_PATTERN,
    LANGUAGES,
    NOT_APPLICABLE,
    QUESTION_TYPES,
    SIZE_CLASSES,
    UNKNOWN,
    AllOf,
    AnyOf,
    Band,
    Cap,
    Catalogue,
    Condition,
    Dimension,
    DimensionCondition,
    Duty,
    Group,
    Level,
    Measure,
    Migration,
    Not,
    Option,
    Question,
    QuestionCondition,
    QuestionMove,
    Questionnaire,
    SizeClassCondition,
    Text,
)
from assess.errors import message
from assess.yamlfile import Checker, parse_bytes, read_bytes, shown, type_name

QUESTION_OPS = ("in", "not_in", "equals", "at_least", "at_most", "includes", "answered", "outdated")
DIMENSION_OPS = ("score_below", "score_at_least", "level_below")
# Which tests can hold for which question type (besides `answered`, which fits all).
OPS_FOR_TYPE = {
    "single": ("in", "not_in", "equals", "outdated"),
    "multi": ("in", "not_in", "includes"),
    "yesno": ("equals",),
    "number": ("equals", "at_least", "at_most"),
    "text": ("equals",),
}


# Parsed questionnaires and catalogues of this process, keyed by file and content: each file is
# parsed and checked once, however many answer, peer or respondent files refer to it. The model is
# immutable, so sharing the objects is safe. Across processes, the checked model is kept in the
# user's cache folder (assess.diskcache).
_PARSED: dict[tuple, list] = {}
_DIGESTS: dict[int, bytes] = {}  # id of a cached object -> digest of the file it came from


_BY_STAT: dict[tuple, tuple[tuple, bytes]] = {}  # (kind, file, size, mtime) -> (depends, content digest)


def _cached(kind: str, path: Path, parse, depends: tuple = ()):
    """parse(raw bytes) once per (file, content, objects it was checked against)."""
    from assess import diskcache

    where = str(Path(path).resolve())
    try:
        info = os.stat(where)
        stat_key = (kind, where, info.st_size, info.st_mtime_ns)
    except OSError:
        stat_key = None
    known_digest = _BY_STAT.get(stat_key)
    if known_digest is not None:  # unchanged since it was read: no need to read and hash it again
        for known, result in _PARSED.get((kind, where, known_digest[1]), ()):
            if len(known) == len(depends) and all(a is b for a, b in zip(known, depends)):
                return result
    raw = read_bytes(path)
    digest = hashlib.sha256(raw).digest()
    key = (kind, where, digest)
    for known, result in _PARSED.get(key, ()):
        if len(known) == len(depends) and all(a is b for a, b in zip(known, depends)):
            if stat_key:
                _BY_STAT[stat_key] = (depends, digest)
            return result
    depend_digests = [_DIGESTS.get(id(d)) for d in depends]
    entry = None
    if all(depend_digests):
        entry = diskcache.key(kind.encode(), str(path).encode(), digest, *depend_digests)
    result = diskcache.load(entry) if entry else None
    if result is None:
        result = parse(raw)
        if entry:
            diskcache.store(entry, result)
    _PARSED.setdefault(key, []).append((depends, result))
    _DIGESTS[id(result[0])] = digest
    if stat_key:
        _BY_STAT[stat_key] = (depends, digest)
    return result


def content_digest(model) -> bytes | None:
    """The digest of the file a questionnaire or catalogue of this process was read from (None for
    one built in memory)."""
    return _DIGESTS.get(id(model))


def read_questionnaire(path: Path) -> tuple[Questionnaire, list]:
    """Load and validate a questionnaire; return it with its warnings, raise ValidationError on errors."""

    def parse(raw: bytes):
        checker = Checker(str(path))
        questionnaire = _QuestionnaireReader(checker).read(parse_bytes(raw, str(path)), str(path))
        checker.raise_if_errors()
        return questionnaire, tuple(checker.problems)

    questionnaire, warnings = _cached("questionnaire", path, parse)
    return questionnaire, list(warnings)


def load_questionnaire(path: Path) -> Questionnaire:
    """Load and validate a questionnaire file; raise ValidationError listing every problem."""
    return read_questionnaire(path)[0]


def read_catalogue(path: Path, questionnaires: tuple[Questionnaire, ...] = ()) -> tuple[Catalogue, list]:
    """Load and validate the measure catalogue; return it with its warnings, raise on errors.

    References (question and option ids, dimensions) are checked against `questionnaires`.
    """

    def parse(raw: bytes):
        checker = Checker(str(path))
        catalogue = _read_catalogue(checker, parse_bytes(raw, str(path)), str(path), questionnaires)
        checker.raise_if_errors()
        return catalogue, tuple(checker.problems)

    catalogue, warnings = _cached("catalogue", path, parse, tuple(questionnaires))
    return catalogue, list(warnings)


def load_catalogue(path: Path, questionnaires: tuple[Questionnaire, ...] = ()) -> Catalogue:
    """Load and validate the measure catalogue; raise ValidationError listing every problem."""
    return read_catalogue(path, questionnaires)[0]


QUESTIONNAIRE = Text("Fragebogen", "the questionnaire")
CATALOGUE = Text("Maßnahmenkatalog", "the catalogue")


def part_of(what: Text, de: str, en: str) -> Text:
    """A part of `what` in messages: German as a path ("Frage „q“, Option 2"), English as a phrase
    built from the template `en` ("option 2 of {what}")."""
    return Text(f"{what.de}, {de}", en.replace("{what}", what.en))


def read_text(checker: Checker, data, key: str, what: Text, required: bool = True) -> Text:
    """A `{de, en}` text; both languages are required when the field is."""
    if key not in data or data[key] is None:
        if required:
            checker.require(data, key, what)
        return Text("", "")
    value = data[key]
    line = data.line_of(key)
    if isinstance(value, str) and len(checker.languages) == 1:
        return Text(value if "de" in checker.languages else "", value if "en" in checker.languages else "")
    if isinstance(value, str):
        checker.error(line, message("{what}: „{key}“ braucht beide Sprachen, z. B. {key}: {{de: \"...\", en: \"...\"}}",
                                    "'{key}' in {what} must give both languages, e.g. {key}: {{de: \"...\", en: \"...\"}}",
                                    what=what, key=key))
        return Text(value, value)
    field = part_of(what, f"„{key}“", f"'{key}' in {{what}}")
    mapping = checker.mapping(value, line, field)
    if mapping is None:
        return Text("", "")
    checker.keys(mapping, LANGUAGES, field)
    languages = checker.languages
    texts = [checker.string(mapping, lang, field, required=lang in languages) for lang in LANGUAGES]
    for lang, text in zip(LANGUAGES, texts):
        # Only a real but blank text is 'empty'; a yes/no or a number was reported already.
        if isinstance(mapping.get(lang), str) and not text.strip():
            checker.error(mapping.line_of(lang), message("{what}: „{key}.{lang}“ ist leer; schreiben Sie den Text",
                                                         "'{key}.{lang}' in {what} is empty; write the text",
                                                         what=what, key=key, lang=lang))
    return Text(*texts)


def check_id(checker: Checker, data, key: str, what: Text) -> str:
    """A required identifier in lower case letters, digits and underscores."""
    value = checker.string(data, key, what)
    if value and not ID_PATTERN.match(value):
        checker.error(data.line_of(key), message(
            "{what}: die Kennung „{value}“ ist ungültig; verwenden Sie Kleinbuchstaben, Ziffern und „_“, beginnend mit einem Buchstaben",
            "{what} id '{value}' is not valid: use lower case letters, digits and '_', starting with a letter",
            what=what, value=shown(value)))
    return value


# --- conditions -------------------------------------------------------------------------------


def read_condition(checker: Checker, value, line: int, what: Text, measures: bool) -> Condition | None:
    """Parse a structured condition; `measures` allows dimension and size-class conditions."""
    cwhat = part_of(what, "Bedingung", "the condition in {what}")
    data = checker.mapping(value, line, cwhat)
    if data is None:
        return None
    for combinator, cls in (("all", AllOf), ("any", AnyOf)):
        if combinator in data:
            parts = data[combinator]
            if not isinstance(parts, list) or not parts:
                checker.error(data.line_of(combinator), message("{what}: „{c}“ braucht eine nicht leere Liste von Bedingungen",
                                                                "'{c}' in {what} needs a non-empty list of conditions",
                                                                what=what, c=combinator))
                return None
            read = [read_condition(checker, p, parts.line_of(i), what, measures) for i, p in enumerate(parts)]
            return cls(tuple(r for r in read if r is not None))
    if "not" in data:
        part = read_condition(checker, data["not"], data.line_of("not"), what, measures)
        return Not(part) if part is not None else None
    if "question" in data:
        ops = [k for k in data if k in QUESTION_OPS]
        checker.keys(data, ("question",) + QUESTION_OPS, cwhat)
        if len(ops) != 1:
            checker.error(data.line, message(
                "{what}: die Bedingung zur Frage „{q}“ braucht genau eine Prüfung aus: {ops}",
                "the condition on question '{q}' in {what} needs exactly one test of: {ops}",
                what=what, q=shown(data["question"]), ops=", ".join(QUESTION_OPS)))
            return None
        op = ops[0]
        operand = data[op]
        if op in ("in", "not_in") and not isinstance(operand, list):
            operand = [operand]
        if op in ("at_least", "at_most") and (isinstance(operand, bool) or not isinstance(operand, (int, float))):
            checker.error(data.line_of(op), message("{what}: „{op}“ muss eine Zahl sein, nicht {kind}",
                                                    "'{op}' in {what} must be a number, not {kind}",
                                                    what=what, op=op, kind=type_name(operand)))
            return None
        if isinstance(operand, list):
            operand = tuple(operand)
        return QuestionCondition(str(data["question"]), op, operand)
    if measures and "dimension" in data:
        ops = [k for k in data if k in DIMENSION_OPS]
        checker.keys(data, ("dimension",) + DIMENSION_OPS, cwhat)
        if len(ops) != 1:
            checker.error(data.line, message("{what}: die Bedingung zu einer Dimension braucht genau eine Prüfung aus: {ops}",
                                             "the dimension condition in {what} needs exactly one of: {ops}",
                                             what=what, ops=", ".join(DIMENSION_OPS)))
            return None
        operand = checker.number(data, ops[0], cwhat, minimum=0, maximum=100)
        return DimensionCondition(str(data["dimension"]), ops[0], operand) if operand is not None else None
    if measures and "size_class" in data:
        classes = data["size_class"]
        classes = classes if isinstance(classes, list) else [classes]
        bad = [c for c in classes if c not in SIZE_CLASSES]
        if bad:
            checker.error(data.line_of("size_class"), message("{what}: unbekannte Größenklasse {bad!r}; möglich sind: {classes}",
                                                              "unknown size class {bad!r} in {what}; use {classes}",
                                                              what=what, bad=bad[0], classes=", ".join(SIZE_CLASSES)))
        return SizeClassCondition(tuple(classes))
    allowed = "question, all, any, not" + (", dimension, size_class" if measures else "")
    checker.error(data.line, message("{what}: eine Bedingung beginnt mit einem von: {allowed}",
                                     "the condition in {what} must start with one of: {allowed}", what=what, allowed=allowed))
    return None


def _question_conditions(condition):
    if isinstance(condition, QuestionCondition):
        yield condition
    elif isinstance(condition, (AllOf, AnyOf)):
        for part in condition.parts:
            yield from _question_conditions(part)
    elif isinstance(condition, Not):
        yield from _question_conditions(condition.part)


def check_condition_refs(checker: Checker, condition, line: int, what: Text, questions: dict) -> None:
    """Report conditions naming a missing question or an option that question does not offer."""
    for cond in _question_conditions(condition):
        question = questions.get(cond.question)
        if question is None:
            checker.error(line, message("{what}: die Bedingung nennt die Frage „{q}“, die es nicht gibt; prüfen Sie die Kennung",
                                        "the condition in {what} names question '{q}', which does not exist; check the id",
                                        what=what, q=cond.question))
            continue
        fitting = OPS_FOR_TYPE.get(question.type, ())
        if cond.op != "answered" and cond.op not in fitting:
            checker.error(line, message(
                "{what}: die Bedingung prüft die Frage „{q}“ ({type}) mit „{op}“, das kann nie zutreffen; möglich sind: {fitting}",
                "the condition in {what} uses '{op}' on question '{q}' ({type}), which can never hold; use one of: {fitting}",
                what=what, q=cond.question, type=question.type, op=cond.op, fitting=", ".join(fitting) or "answered"))
            continue
        if question.type == "yesno" and not isinstance(cond.operand, bool):
            checker.error(line, message(
                "{what}: die Bedingung vergleicht die Ja/Nein-Frage „{q}“ mit „{value}“; schreiben Sie equals: true oder equals: false",
                "the condition in {what} compares yes/no question '{q}' with '{value}'; write equals: true or equals: false",
                what=what, q=cond.question, value=shown(cond.operand)))
            continue
        if question.options and cond.op in ("in", "not_in", "includes", "equals"):
            values = cond.operand if isinstance(cond.operand, tuple) else (cond.operand,)
            for value in values:
                if value not in (UNKNOWN, NOT_APPLICABLE) and question.option(str(value)) is None:
                    offered = ", ".join(o.id for o in question.options)
                    checker.error(line, message(
                        "{what}: die Bedingung prüft die Frage „{q}“ auf die Antwortmöglichkeit „{value}“, die sie nicht "
                        "hat; möglich sind: {offered}",
                        "the condition in {what} tests question '{q}' for option '{value}', which it does not offer; "
                        "options are: {offered}",
                        what=what, q=cond.question, value=shown(value), offered=offered))


# --- questionnaire ----------------------------------------------------------------------------


class _QuestionnaireReader:
    """Walks a questionnaire file, building the model and recording problems."""

    TOP_KEYS = ("id", "version", "title", "description", "source", "languages", "framing", "catalogue", "migrations",
                "levels", "dimensions", "$schema")
    DIMENSION_KEYS = ("id", "title", "description", "owner", "weight", "aggregate", "targets", "caps", "items")
    GROUP_KEYS = ("group", "title", "aggregate", "weight", "items")
    QUESTION_KEYS = (
        "id", "type", "text", "help", "weight", "source", "options", "bands", "unit",
        "allow_unknown", "allow_not_applicable", "when", "informational", "document",
    )

    def __init__(self, checker: Checker):
        self.c = checker
        self.framing = "municipal"
        self.question_ids: dict[str, int] = {}
        self.conditions: list[tuple[object, int, str]] = []

    def read(self, data, path: str) -> Questionnaire | None:
        c = self.c
        data = c.mapping(data, 1, Text("Fragebogen-Datei", "a questionnaire file"))
        if data is None:
            return None
        c.keys(data, self.TOP_KEYS, QUESTIONNAIRE)
        languages = self.languages(data)
        c.languages = languages
        framing = c.choice(data, "framing", QUESTIONNAIRE, FRAMINGS, default=FRAMINGS[0])
        self.framing = framing
        qid = check_id(c, data, "id", QUESTIONNAIRE)
        version = c.string(data, "version", QUESTIONNAIRE)
        title = read_text(c, data, "title", QUESTIONNAIRE)
        description = read_text(c, data, "description", QUESTIONNAIRE, required=False)
        source = c.string(data, "source", QUESTIONNAIRE, required=False)
        levels = self.levels(data)
        dimensions = self.dimensions(data, levels)
        questions = {q.id: q for d in dimensions for q in d.questions}
        for condition, line, what in self.conditions:
            check_condition_refs(c, condition, line, what, questions)
        order = {qid: index for index, qid in enumerate(questions)}
        for question in questions.values():
            later = [ref for ref in condition_questions(question.when) if order.get(ref, -1) > order[question.id]]
            if later:
                c.error(self.question_ids.get(question.id), Text(
                    f"die Frage „{question.id}“ wird nur gestellt, wenn „{later[0]}“ es sagt, aber „{later[0]}“ kommt "
                    f"später; eine Bedingung muss eine frühere Frage nennen",
                    f"question '{question.id}' is asked only if '{later[0]}' "
                    f"says so, but '{later[0]}' comes later; a condition must name an earlier question"))
        catalogue = self.catalogue(data, path)
        migrations = self.migrations(data, questions)
        return Questionnaire(qid, version, title, levels, dimensions, description, source, path, migrations,
                             catalogue, framing, languages)

    def languages(self, data) -> tuple[str, ...]:
        raw = data.get("languages")
        if raw is None:
            return LANGUAGES
        if not isinstance(raw, list) or not raw or any(lang not in LANGUAGES for lang in raw):
            self.c.error(data.line_of("languages"), message(
                "„languages“ muss eine Liste aus {langs} sein, z. B. „languages: [de]“ für einen rein deutschen Fragebogen",
                "'languages' must be a list of {langs}, e.g. 'languages: [de]' for a questionnaire in German only",
                langs=", ".join(LANGUAGES)))
            return LANGUAGES
        return tuple(lang for lang in LANGUAGES if lang in raw)

    def catalogue(self, data, path: str) -> str:
        """The measure catalogue named by the bundle, checked to exist inside the questionnaire folders."""
        name = self.c.string(data, "catalogue", QUESTIONNAIRE, required=False)
        if not name:
            return ""
        target = (Path(path).parent / name) if path else Path(name)
        if Path(name).is_absolute() or not target.is_file() or target.suffix not in (".yaml", ".yml"):
            self.c.error(data.line_of("catalogue"), Text(
                f"„catalogue“ nennt „{shown(name)}“; das muss eine YAML-Datei relativ zum Ordner des Fragebogens sein, "
                "z. B. „catalogue: measures.yaml“",
                f"'catalogue' names '{shown(name)}', which must be a YAML file relative to the questionnaire's folder, "
                "like 'catalogue: measures.yaml'"))
            return ""
        return name

    def migrations(self, data, questions: dict) -> tuple[Migration, ...]:
        c = self.c
        raw = data.get("migrations")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            c.error(data.line_of("migrations"), Text(
                "„migrations“ muss eine Liste sein: je frühere Version „from“ und „questions“",
                "'migrations' must be a list: for each earlier version 'from' and 'questions'"))
            return ()
        result = []
        for _, item, what in c.entries(raw, "Migration", "migration"):
            c.keys(item, ("from", "questions"), what)
            version = c.string(item, "from", what)
            moves_raw = item.get("questions") or {}
            if not isinstance(moves_raw, dict):
                c.error(item.line_of("questions"), Text(
                    "„questions“ ordnet alten Kennungen die neuen zu: „alt: neu“, „alt: null“ (gestrichen) oder "
                    "„alt: {to: neu, options: {alte_option: neue_option}}“",
                    "'questions' maps old ids to new ones: 'old: new', 'old: null' (removed) or "
                    "'old: {to: new, options: {old_option: new_option}}'"))
                continue
            moves = []
            for old, target in moves_raw.items():
                line = moves_raw.line_of(old)
                options = {}
                if isinstance(target, dict):
                    c.keys(target, ("to", "options"), what)
                    options = target.get("options") or {}
                    target = target.get("to")
                    if not isinstance(options, dict):
                        c.error(line, Text(f"„options“ zu „{shown(old)}“ muss alte Optionen neuen zuordnen",
                                           f"'options' of '{shown(old)}' must map old options to new ones"))
                        options = {}
                new = () if target is None else tuple(target) if isinstance(target, list) else (target,)
                for new_id in new:
                    if new_id not in questions:
                        c.error(line, Text(f"die Migration führt „{shown(old)}“ zu „{shown(new_id)}“, das es in diesem "
                                           "Fragebogen nicht gibt",
                                           f"the migration moves '{shown(old)}' to '{shown(new_id)}', which this "
                                           "questionnaire does not have"))
                        continue
                    known = {o.id for o in questions[new_id].options}
                    for old_option, new_option in options.items():
                        if new_option is not None and new_option not in known:
                            c.error(line, Text(f"„{shown(new_id)}“ hat keine Option „{shown(new_option)}“ (Ziel von "
                                               f"„{shown(old_option)}“)",
                                               f"'{shown(new_id)}' has no option '{shown(new_option)}' (target of "
                                               f"'{shown(old_option)}')"))
                moves.append(QuestionMove(str(old), tuple(str(n) for n in new),
                                          tuple((str(k), None if v is None else str(v)) for k, v in options.items())))
            result.append(Migration(version, tuple(moves)))
        return tuple(result)

    def levels(self, data) -> tuple[Level, ...]:
        c = self.c
        raw = c.require(data, "levels", QUESTIONNAIRE)
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            c.error(data.line_of("levels"), Text("„levels“ muss eine nicht leere Liste von Reifegradstufen sein",
                                                 "'levels' must be a non-empty list of maturity levels"))
            return ()
        levels = []
        for index, item, what in c.entries(raw, "Stufe", "level"):
            c.keys(item, ("level", "min_score", "name", "description"), what)
            number = c.number(item, "level", what, integer=True, minimum=1)
            min_score = c.number(item, "min_score", what, minimum=0, maximum=100)
            if number is not None and number != index + 1:
                c.error(item.line_of("level"), Text(
                    f"Stufen werden der Reihe nach 1, 2, 3 … nummeriert; erwartet {index + 1}, gefunden {number}",
                    f"levels must be numbered 1, 2, 3 … in order; expected {index + 1}, found {number}"))
            if index == 0 and min_score not in (None, 0):
                c.error(item.line_of("min_score"), Text("die erste Stufe muss bei min_score: 0 beginnen",
                                                        "the first level must start at min_score: 0"))
            if levels and min_score is not None and min_score <= levels[-1].min_score:
                previous = levels[-1].min_score
                c.error(item.line_of("min_score"), Text(
                    f"min_score muss von Stufe zu Stufe steigen; {min_score} liegt nicht über {previous}",
                    f"min_score must increase from level to level; {min_score} is not above {previous}"))
            levels.append(
                Level(index + 1, min_score or 0, read_text(c, item, "name", what), read_text(c, item, "description", what, required=False))
            )
        return tuple(levels)

    def dimensions(self, data, levels) -> tuple[Dimension, ...]:
        c = self.c
        raw = c.require(data, "dimensions", QUESTIONNAIRE)
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            c.error(data.line_of("dimensions"), Text("„dimensions“ muss eine nicht leere Liste sein",
                                                     "'dimensions' must be a non-empty list"))
            return ()
        seen: dict[str, int] = {}
        dimensions = []
        for _, item, numbered in c.entries(raw, "Dimension", "dimension"):
            did = check_id(c, item, "id", numbered)
            what = Text(f"Dimension „{did}“", f"dimension '{did}'")
            if did in seen:
                c.error(item.line_of("id"), Text(
                    f"die Kennung „{did}“ hat schon eine andere Dimension (Zeile {seen[did]}); Kennungen müssen eindeutig sein",
                    f"duplicate dimension id '{did}' (first used on line {seen[did]}); ids must be unique"))
            seen[did] = item.line_of("id")
            c.keys(item, self.DIMENSION_KEYS, what)
            targets = self.targets(item, what, len(levels))
            caps = self.caps(item, what, len(levels))
            items = self.items(item, what)
            dimensions.append(
                Dimension(
                    id=did,
                    title=read_text(c, item, "title", what),
                    description=read_text(c, item, "description", what, required=False),
                    weight=c.number(item, "weight", what, default=1, minimum=0),
                    aggregate=c.choice(item, "aggregate", what, AGGREGATES, default="mean"),
                    targets=targets,
                    caps=caps,
                    items=items,
                    owner=read_text(c, item, "owner", what, required=False),
                )
            )
        return tuple(dimensions)

    def targets(self, item, what, level_count) -> tuple[tuple[str, int], ...]:
        c = self.c
        if "targets" not in item and self.framing != "municipal":
            return ()  # a model without size classes may leave targets out
        if isinstance(item.get("targets"), int) and not isinstance(item.get("targets"), bool):
            # one target level for every size class
            level = c.number(item, "targets", what, integer=True, minimum=1, maximum=max(level_count, 1)) or 1
            return tuple((size, level) for size in SIZE_CLASSES)
        if "targets" not in item:
            c.error(item.line, message(
                "{what}: das Pflichtfeld „targets“ fehlt (Zielstufe je Größenklasse: {classes})",
                "{what} is missing the required field 'targets' (target level per size class: {classes})",
                what=what, classes=", ".join(SIZE_CLASSES)))
            return ()
        field = part_of(what, "„targets“", "'targets' of {what}")
        raw = c.mapping(item["targets"], item.line_of("targets"), field)
        if raw is None:
            return ()
        c.keys(raw, SIZE_CLASSES, field)
        return tuple(
            (size, c.number(raw, size, field, integer=True, minimum=1, maximum=max(level_count, 1)) or 1)
            for size in SIZE_CLASSES
        )

    def caps(self, item, what, level_count) -> tuple[Cap, ...]:
        c = self.c
        raw = item.get("caps") or []
        if not isinstance(raw, list):
            c.error(item.line_of("caps"), message("{what}: „caps“ muss eine Liste sein", "'caps' of {what} must be a list", what=what))
            return ()
        caps = []
        for index, cap in enumerate(raw):
            cwhat = part_of(what, f"Begrenzung {index + 1}", f"cap {index + 1} of {{what}}")
            cap = c.mapping(cap, raw.line_of(index), cwhat)
            if cap is None:
                continue
            c.keys(cap, ("when", "max_level", "reason"), cwhat)
            when = c.require(cap, "when", cwhat)
            condition = read_condition(c, when, cap.line_of("when"), cwhat, measures=False) if when is not None else None
            if condition is not None:
                self.conditions.append((condition, cap.line_of("when"), cwhat))
            max_level = c.number(cap, "max_level", cwhat, integer=True, minimum=1, maximum=max(level_count, 1))
            reason = read_text(c, cap, "reason", cwhat)
            if condition is not None and max_level is not None:
                caps.append(Cap(condition, max_level, reason))
        return tuple(caps)

    def items(self, parent, what) -> tuple:
        c = self.c
        raw = c.require(parent, "items", what)
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            c.error(parent.line_of("items"), message("{what}: „items“ muss eine nicht leere Liste von Fragen und Gruppen sein",
                                                     "'items' of {what} must be a non-empty list of questions and groups", what=what))
            return ()
        items = []
        for index, item in enumerate(raw):
            item = c.mapping(item, raw.line_of(index), part_of(what, f"Eintrag {index + 1}", f"item {index + 1} of {{what}}"))
            if item is None:
                continue
            if "group" in item:
                items.append(self.group(item))
            else:
                question = self.question(item, what)
                if question is not None:
                    items.append(question)
        return tuple(i for i in items if i is not None)

    def group(self, item) -> Group:
        c = self.c
        gid = check_id(c, item, "group", Text("Gruppe", "a group"))
        what = Text(f"Gruppe „{gid}“", f"group '{gid}'")
        self.register(gid, item.line_of("group"), "group")
        c.keys(item, self.GROUP_KEYS, what)
        return Group(
            id=gid,
            title=read_text(c, item, "title", what),
            items=self.items(item, what),
            aggregate=c.choice(item, "aggregate", what, AGGREGATES, default="mean"),
            weight=c.number(item, "weight", what, default=1, minimum=0),
        )

    def register(self, ident: str, line: int, kind: str) -> None:
        if ident in self.question_ids:
            first = self.question_ids[ident]
            self.c.error(line, Text(
                f"die Kennung „{ident}“ ist im Fragebogen schon vergeben (Zeile {first}); Kennungen müssen eindeutig sein",
                f"duplicate {kind} id '{ident}' (first used on line {first}); ids must be unique in the questionnaire"))
        else:
            self.question_ids[ident] = line

    def question(self, item, parent_what) -> Question | None:
        c = self.c
        qid = check_id(c, item, "id", part_of(parent_what, "Frage", "a question of {what}"))
        what = Text(f"Frage „{qid}“", f"question '{qid}'")
        if qid:
            self.register(qid, item.line_of("id"), "question")
        c.keys(item, self.QUESTION_KEYS, what)
        qtype = c.choice(item, "type", what, QUESTION_TYPES)
        options = self.options(item, what, qtype)
        bands = self.bands(item, what) if qtype == "number" else ()
        when = None
        if "when" in item:
            when = read_condition(c, item["when"], item.line_of("when"), what, measures=False)
            if when is not None:
                self.conditions.append((when, item.line_of("when"), what))
                if qid in condition_questions(when):
                    c.error(item.line_of("when"), message(
                        "{what}: die Bedingung nennt die Frage selbst; eine Bedingung muss eine andere Frage nennen",
                        "{what} has a condition on itself; a condition must name another question", what=what))
        return Question(
            id=qid,
            type=qtype or "single",
            text=read_text(c, item, "text", what),
            help=read_text(c, item, "help", what, required=False),
            weight=c.number(item, "weight", what, default=1, minimum=0),
            source=c.string(item, "source", what, required=False),
            options=options,
            bands=bands,
            unit=read_text(c, item, "unit", what, required=False),
            allow_unknown=c.boolean(item, "allow_unknown", what, True),
            allow_not_applicable=c.boolean(item, "allow_not_applicable", what, False),
            when=when,
            informational=read_text(c, item, "informational", what, required=False),
            document=c.boolean(item, "document", what, False),
        )

    def options(self, item, what, qtype) -> tuple[Option, ...]:
        c = self.c
        if qtype not in ("single", "multi"):
            if "options" in item:
                c.error(item.line_of("options"), message(
                    "{what}: eine Frage vom Typ „{qtype}“ hat keine Antwortmöglichkeiten; entfernen Sie sie oder ändern Sie den Typ",
                    "{what} of type '{qtype}' takes no options; remove them or change the type", what=what, qtype=qtype))
            return ()
        raw = c.require(item, "options", what)
        if raw is None:
            return ()
        if not isinstance(raw, list) or len(raw) < 2:
            c.error(item.line_of("options"), message("{what}: „options“ muss eine Liste mit mindestens zwei Antwortmöglichkeiten sein",
                                                     "'options' of {what} must be a list of at least two options", what=what))
            return ()
        options = []
        seen = set()
        for index, opt in enumerate(raw):
            numbered = part_of(what, f"Option {index + 1}", f"option {index + 1} of {{what}}")
            opt = c.mapping(opt, raw.line_of(index), numbered)
            if opt is None:
                continue
            oid = check_id(c, opt, "id", numbered)
            owhat = part_of(what, f"Option „{oid}“", f"option '{oid}' of {{what}}")
            c.keys(opt, ("id", "value", "text", "exclusive"), owhat)
            if oid in (UNKNOWN, NOT_APPLICABLE):
                c.error(opt.line_of("id"), Text(
                    f"die Kennung „{oid}“ ist für die eingebaute Antwort reserviert; entfernen Sie die Option und "
                    f"verwenden Sie allow_unknown/allow_not_applicable",
                    f"option id '{oid}' is reserved for the built-in answer; remove the option and use allow_unknown/allow_not_applicable"))
            if oid in seen:
                c.error(opt.line_of("id"), message("{what}: die Kennung „{oid}“ kommt doppelt vor",
                                                   "duplicate option id '{oid}' in {what}", what=what, oid=oid))
            seen.add(oid)
            default_value = 1 if qtype == "multi" else None
            value = c.number(opt, "value", owhat, default=default_value, minimum=0)
            if qtype == "single" and options and value is not None and value <= options[-1].value:
                c.error(opt.line_of("value"), message(
                    "{what}: die Werte der Antwortmöglichkeiten müssen von der ersten bis zur letzten streng steigen; "
                    "{value} liegt nicht über {previous}",
                    "option values of {what} must strictly increase from the first to the last option; {value} is not above {previous}",
                    what=what, value=value, previous=options[-1].value))
            options.append(
                Option(oid, value if value is not None else 0, read_text(c, opt, "text", owhat), c.boolean(opt, "exclusive", owhat, False))
            )
        if options and max(o.value for o in options) <= 0:
            c.error(item.line_of("options"), message("{what}: mindestens eine Antwortmöglichkeit muss einen Wert über 0 haben",
                                                     "at least one option of {what} must have a value above 0", what=what))
        return tuple(options)

    def bands(self, item, what) -> tuple[Band, ...]:
        c = self.c
        raw = item.get("bands")
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            c.error(item.line_of("bands"), message("{what}: „bands“ muss eine Liste wie [{{min: 0, value: 0}}, {{min: 5, value: 1}}] sein",
                                                   "'bands' of {what} must be a list like [{{min: 0, value: 0}}, {{min: 5, value: 1}}]",
                                                   what=what))
            return ()
        bands = []
        for index, band in enumerate(raw):
            bwhat = part_of(what, f"Bereich {index + 1}", f"band {index + 1} of {{what}}")
            band = c.mapping(band, raw.line_of(index), bwhat)
            if band is None:
                continue
            low = c.number(band, "min", bwhat)
            value = c.number(band, "value", bwhat, minimum=0)
            if low is not None and value is not None:
                if bands and low <= bands[-1].min:
                    c.error(band.line_of("min"), message("{what}: die Untergrenzen der Bereiche („min“) müssen steigen",
                                                         "band minimums of {what} must increase", what=what))
                bands.append(Band(low, value))
        return tuple(bands)


# --- catalogue --------------------------------------------------------------------------------

MEASURE_KEYS = (
    "id", "dimension", "title", "description", "steps", "when", "reason", "size_classes", "effort",
    "cost", "cost_yearly", "staff_days", "impact", "horizon", "requires", "continues", "example", "funding", "funding_programmes", "source",
    "duty", "foundation", "overlaps", "available_from", "available_until",
)
DUTY_KEYS = ("law", "paragraph", "since", "until", "open_when")


def _read_catalogue(c: Checker, data, path: str, questionnaires) -> Catalogue:
    data = c.mapping(data, 1, Text("Maßnahmenkatalog", "a measure catalogue"))
    if data is None:
        return Catalogue((), path)
    c.keys(data, ("measures", "$schema"), CATALOGUE)
    raw = c.require(data, "measures", CATALOGUE)
    if not isinstance(raw, list):
        if raw is not None:
            c.error(data.line_of("measures"), Text("„measures“ muss eine Liste sein", "'measures' must be a list"))
        return Catalogue((), path)
    questions = {q.id: q for qn in questionnaires for q in qn.questions}
    dimensions = {d.id for qn in questionnaires for d in qn.dimensions}
    # A catalogue is written in the languages of the questionnaires it serves.
    c.languages = tuple(lang for lang in LANGUAGES if any(lang in qn.languages for qn in questionnaires)) or LANGUAGES
    measures = []
    lines: dict[str, int] = {}
    for _, item, numbered in c.entries(raw, "Maßnahme", "measure"):
        mid = check_id(c, item, "id", numbered)
        what = Text(f"Maßnahme „{mid}“", f"measure '{mid}'")
        if mid in lines:
            c.error(item.line_of("id"), Text(f"die Kennung „{mid}“ hat schon eine andere Maßnahme (Zeile {lines[mid]})",
                                             f"duplicate measure id '{mid}' (first used on line {lines[mid]})"))
        lines[mid] = item.line_of("id")
        c.keys(item, MEASURE_KEYS, what)
        dimension = c.string(item, "dimension", what)
        if dimensions and dimension and dimension not in dimensions:
            c.error(item.line_of("dimension"), message("{what}: die Dimension „{dim}“ gibt es in keinem Fragebogen",
                                                       "{what} names dimension '{dim}', which no questionnaire has",
                                                       what=what, dim=shown(dimension)))
        when_raw = c.require(item, "when", what)
        when = read_condition(c, when_raw, item.line_of("when"), what, measures=True) if when_raw is not None else None
        if when is not None and questions:
            check_condition_refs(c, when, item.line_of("when"), what, questions)
            for dim in condition_dimensions(when):
                if dim not in dimensions:
                    c.error(item.line_of("when"), message("{what}: die Bedingung nennt die Dimension „{dim}“, die kein Fragebogen hat",
                                                          "the condition in {what} names dimension '{dim}', which no questionnaire has",
                                                          what=what, dim=dim))
        steps = _read_steps(c, item, what)
        cost_min, cost_max = _read_range(c, item, "cost", what)
        cost_yearly_min, cost_yearly_max = _read_range(c, item, "cost_yearly", what)
        staff_days_min, staff_days_max = _read_range(c, item, "staff_days", what)
        sizes = item.get("size_classes", list(SIZE_CLASSES))
        if not isinstance(sizes, list) or any(s not in SIZE_CLASSES for s in sizes):
            c.error(item.line_of("size_classes"), message("{what}: „size_classes“ muss eine Liste sein aus: {classes}",
                                                          "'size_classes' of {what} must be a list of: {classes}",
                                                          what=what, classes=", ".join(SIZE_CLASSES)))
            sizes = list(SIZE_CLASSES)
        requires = item.get("requires") or []
        if not isinstance(requires, list):
            c.error(item.line_of("requires"), message("{what}: „requires“ muss eine Liste von Maßnahmen-Kennungen sein",
                                                      "'requires' of {what} must be a list of measure ids", what=what))
            requires = []
        overlaps = item.get("overlaps") or []
        if not isinstance(overlaps, list):
            c.error(item.line_of("overlaps"), message("{what}: „overlaps“ muss eine Liste von Maßnahmen-Kennungen sein",
                                                      "'overlaps' of {what} must be a list of measure ids", what=what))
            overlaps = []
        duty = _read_duty(c, item, what, questions) if "duty" in item else None
        available_from = _read_date(c, item, "available_from", what)
        available_until = _read_date(c, item, "available_until", what)
        if available_from and available_until and available_until < available_from:
            c.error(item.line_of("available_until"), message(
                "{what}: „available_until“ ({until}) liegt vor „available_from“ ({since})",
                "{what}: 'available_until' ({until}) lies before 'available_from' ({since})",
                what=what, until=available_until, since=available_from))
        measures.append(
            Measure(
                id=mid,
                dimension=dimension,
                title=read_text(c, item, "title", what),
                description=read_text(c, item, "description", what),
                steps=steps,
                when=when or AllOf(()),
                reason=read_text(c, item, "reason", what),
                effort=c.choice(item, "effort", what, EFFORTS) or "M",
                impact=c.number(item, "impact", what, integer=True, minimum=1, maximum=3) or 1,
                horizon=c.choice(item, "horizon", what, HORIZONS) or "medium",
                cost_min=cost_min,
                cost_max=cost_max,
                cost_yearly_min=cost_yearly_min,
                cost_yearly_max=cost_yearly_max,
                staff_days_min=staff_days_min,
                staff_days_max=staff_days_max,
                size_classes=tuple(sizes),
                requires=tuple(str(r) for r in requires),
                continues=c.string(item, "continues", what, required=False),
                example=read_text(c, item, "example", what, required=False),
                funding=read_text(c, item, "funding", what, required=False),
                funding_programmes=_read_ids(c, item, "funding_programmes", what),
                source=c.string(item, "source", what, required=False),
                duty=duty,
                foundation=c.boolean(item, "foundation", what, False),
                overlaps=tuple(str(o) for o in overlaps),
                available_from=available_from,
                available_until=available_until,
            )
        )
    for measure in measures:
        for other in measure.overlaps:
            if other not in lines or other == measure.id:
                c.error(lines.get(measure.id), Text(
                    f"die Maßnahme „{measure.id}“ überschneidet sich laut „overlaps“ mit „{other}“, das ist keine andere "
                    "Maßnahme des Katalogs",
                    f"measure '{measure.id}' overlaps '{other}', which is not another measure of the catalogue"))
        for req in measure.requires:
            if req not in lines:
                c.error(lines.get(measure.id), Text(
                    f"die Maßnahme „{measure.id}“ setzt „{req}“ voraus, die es im Katalog nicht gibt",
                    f"measure '{measure.id}' requires '{req}', which is not in the catalogue"))
        if measure.continues and (measure.continues not in lines or measure.continues == measure.id):
            c.error(lines.get(measure.id), Text(
                f"die Maßnahme „{measure.id}“ setzt „{measure.continues}“ fort, das ist keine andere Maßnahme des "
                "Katalogs; nennen Sie die Maßnahme, deren Arbeit diese abschließt",
                f"measure '{measure.id}' continues '{measure.continues}', which is not another "
                "measure of the catalogue; name the measure whose work this one finishes"))
    cycle = _find_cycle({m.id: m.requires for m in measures})
    if cycle:
        path_text = " → ".join(cycle)
        c.error(lines.get(cycle[0]), Text(
            f"die Voraussetzungen bilden einen Kreis: {path_text}; entfernen Sie einen dieser Einträge unter „requires“",
            f"prerequisites form a cycle: {path_text}; remove one of these 'requires' entries"))
    return Catalogue(tuple(measures), path)


def _read_ids(c: Checker, item, key: str, what) -> tuple[str, ...]:
    """A list of ids such as `funding_programmes: [by_digitales_rathaus]`; absent means none."""
    raw = item.get(key)
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) and ID_PATTERN.match(v) for v in raw):
        c.error(item.line_of(key), message("{what}: „{key}“ muss eine Liste von Kennungen sein, z. B. [{key_example}]",
                                           "'{key}' of {what} must be a list of ids, e.g. [{key_example}]",
                                           what=what, key=key, key_example="digitalpakt_schule_2"))
        return ()
    return tuple(raw)


def _read_duty(c: Checker, item, what, questions) -> Duty | None:
    """The legal duty of a measure: law, paragraph, since (date), optional until and open_when."""
    field = part_of(what, "„duty“", "'duty' of {what}")
    raw = c.mapping(item.get("duty"), item.line_of("duty"), field)
    if raw is None:
        return None
    c.keys(raw, DUTY_KEYS, field)
    law = c.string(raw, "law", field)
    paragraph = c.string(raw, "paragraph", field)
    if raw.get("since") is None:
        c.error(raw.line, message("{what}: es fehlt „since“, das Datum, ab dem die Pflicht gilt (z. B. 2020-04-18)",
                                  "{what} is missing 'since', the date the duty applies from (e.g. 2020-04-18)",
                                  what=field))
    dates = [_read_date(c, raw, key, field) for key in ("since", "until")]
    open_when = None
    if raw.get("open_when") is not None:
        open_when = read_condition(c, raw["open_when"], raw.line_of("open_when"), what, measures=False)
        if open_when is not None and questions:
            check_condition_refs(c, open_when, raw.line_of("open_when"), what, questions)
    return Duty(law, paragraph, dates[0], dates[1], open_when)


def _read_date(c: Checker, raw, key: str, what) -> str:
    """An optional ISO date field (`since: 2020-04-18`), as text; "" when absent or invalid (reported)."""
    value = raw.get(key)
    if value is None:
        return ""
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
    try:
        valid = len(text) == 10 and datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        valid = False
    if not valid:
        c.error(raw.line_of(key), message("{what}: „{key}“ muss ein Datum wie 2020-04-18 sein, nicht „{value}“",
                                          "{what}: '{key}' must be a date like 2020-04-18, not '{value}'",
                                          what=what, key=key, value=shown(value)))
        return ""
    return text


def _read_steps(c: Checker, item, what) -> tuple[Text, ...]:
    raw = c.require(item, "steps", what)
    if raw is None:
        return ()
    raw = c.mapping(raw, item.line_of("steps"), part_of(what, "„steps“", "'steps' of {what}"))
    if raw is None:
        return ()
    lists = []
    for lang in LANGUAGES:
        value = raw.get(lang)
        if lang not in c.languages and value is None:
            lists.append(None)
            continue
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            c.error(raw.line_of(lang), message("{what}: „steps.{lang}“ muss eine nicht leere Liste von Texten sein",
                                               "'steps.{lang}' of {what} must be a non-empty list of texts", what=what, lang=lang))
            return ()
        lists.append(value)
    if None in lists:  # a one-language bundle
        given = next(v for v in lists if v is not None)
        lists = [v if v is not None else [""] * len(given) for v in lists]
    elif len(lists[0]) != len(lists[1]):
        c.error(raw.line, message(
            "{what}: „steps“ hat {de} deutsche, aber {en} englische Schritte; geben Sie jeden Schritt in beiden Sprachen an",
            "'steps' of {what} has {de} German but {en} English steps; give each step in both",
            what=what, de=len(lists[0]), en=len(lists[1])))
        return ()
    return tuple(Text(de, en) for de, en in zip(*lists))


def _read_range(c: Checker, item, key: str, what) -> tuple[int, int]:
    """A `{min, max}` range of whole non-negative numbers (euros or person-days); absent means 0–0."""
    raw = item.get(key)
    if raw is None:
        return 0, 0
    field = part_of(what, f"„{key}“", f"'{key}' of {{what}}")
    raw = c.mapping(raw, item.line_of(key), field)
    if raw is None:
        return 0, 0
    low = c.number(raw, "min", field, minimum=0, integer=True)
    high = c.number(raw, "max", field, minimum=0, integer=True)
    if low is not None and high is not None and high < low:
        c.error(raw.line, message("{what}: max ({high}) liegt unter min ({low})", "{what}: max ({high}) is below min ({low})",
                                  what=field, high=high, low=low))
    return low or 0, high or 0


def _find_cycle(graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A prerequisite cycle as a path of ids, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt in graph and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None
