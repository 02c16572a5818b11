"""Answer sets: the model, loading and validation against a questionnaire, and atomic saving."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Callable

from assess.errors import AssessError, Problem, ValidationError, message
from assess.files import write_text
from assess.migration import migrate_answers
from assess.model import (  # noqa: F401 - the answer model is re-exported for existing imports
    NOT_APPLICABLE,
    ROLES,
    STATES,
    UNKNOWN,
    ID_PATTERN,
    Answer,
    AnswerSet,
    Municipality,
    Question,
    Questionnaire,
    Respondent,
    Text,
    Value,
    normal_ags,
)
from assess.yamlfile import Checker, MarkedDict, dump_json, dump_yaml, read_file, shown, type_name

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JSON_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$")
LARGEST_NUMBER = 1e15  # far beyond any count a town hall gives; guards float conversion


def reasonable_number(number) -> bool:
    """Whether a number is finite and of a size a town hall gives (every reader checks with this)."""
    try:
        return math.isfinite(number) and abs(number) <= LARGEST_NUMBER
    except OverflowError:  # an integer with hundreds of digits
        return False


# Progress states of an answer: the stated value is today's state, `toward` what is decided or under way.
PLANNED, IN_PROGRESS = "planned", "in_progress"
PROGRESS_STATES = (PLANNED, IN_PROGRESS)
# A document that exists but is out of date (the answer's `outdated` year).
OUTDATED = "outdated"
STATE_KEYS = ("progress", "toward", "until", "outdated")
OUTDATED_SINCE = 1950  # the earliest year of an outdated document (`outdated`); the latest is the assessment's

# --- loading ----------------------------------------------------------------------------------

TOP_KEYS = ("questionnaire", "municipality", "date", "respondents", "priorities", "targets", "answers", "$schema")
ANSWER_KEYS = ("value", "comment", "evidence", "respondents", "progress", "toward", "until", "outdated")
GERMAN_YES_NO = {"ja": True, "nein": False}
# What the messages call the parts of an answer file.
THE_FILE = Text("Antwortdatei", "the answer file")
MUNICIPALITY = Text("„municipality“", "'municipality'")

Resolver = Callable[[str, str], Questionnaire]


def read_answers(path: Path, resolve: Resolver, migrate: bool = False) -> tuple[AnswerSet, Questionnaire, list[Problem]]:
    """Load an answer file and validate it against the questionnaire it names.

    `resolve(id, version)` returns that questionnaire or raises an AssessError explaining what exists;
    `resolve(id, None)` returns the installed version. With `migrate`, a file for an earlier version
    that the installed bundle declares a migration from is carried over to the installed version;
    what is dropped on the way is reported as warnings.
    Returns the answers, the questionnaire and any warnings; raises ValidationError on errors.
    """
    return answers_from_data(read_file(path), str(path), resolve, migrate)


def answers_from_data(data, path: str, resolve: Resolver, migrate: bool = False) -> tuple[AnswerSet, Questionnaire, list[Problem]]:
    """`read_answers` for data already read from the file `path`."""
    c = Checker(path)
    data = c.mapping(data, 1, Text("Antwortdatei", "an answer file"))
    c.raise_if_errors()
    ref = c.string(data, "questionnaire", THE_FILE)
    c.raise_if_errors()
    qid, _, version = ref.partition("@")
    # An id, never a path: an answer file must not make assess read arbitrary files.
    if not version or not ID_PATTERN.match(qid):
        example = qid if ID_PATTERN.match(qid) else "quickcheck"
        c.error(data.line_of("questionnaire"), Text(
            f"„questionnaire“ muss Kennung und Version nennen, z. B. „{example}@1.0“, nicht „{shown(ref)}“",
            f"'questionnaire' must name id and version, like '{example}@1.0', not '{shown(ref)}'"))
        c.raise_if_errors()
    try:
        questionnaire = resolve(qid, version)
    except ValidationError:
        raise
    except AssessError as exc:  # e.g. another version installed: located at the 'questionnaire' line
        installed = resolve(qid, None) if migrate else None
        migration = installed.migration_from(version) if installed else None
        if migration is None:
            c.error(data.line_of("questionnaire"), exc.message)
            c.raise_if_errors()
            raise
        questionnaire = installed
        data = _migrated(c, data, migration, questionnaire)
    answer_set = parse_answers(c, data, questionnaire)
    c.raise_if_errors()
    return answer_set, questionnaire, c.problems


def _migrated(c: Checker, data: MarkedDict, migration, questionnaire: Questionnaire) -> MarkedDict:
    """The file's data with its answers carried over to `questionnaire` (lines kept for messages)."""
    raw = data.get("answers")
    copy = MarkedDict(data)
    copy.line, copy.key_lines = data.line, dict(data.key_lines)
    copy["questionnaire"] = questionnaire.ref
    if isinstance(raw, dict):
        moved, notes = migrate_answers(list(raw.items()), migration, questionnaire.version)
        answers = MarkedDict()
        answers.line = raw.line
        for new, entry, old in moved:
            answers[new] = entry
            answers.key_lines[new] = raw.line_of(old)
        copy["answers"] = answers
        for note in notes:
            c.warn(data.line_of("answers"), note)
    return copy


def load_answers(path: Path, resolve: Resolver) -> tuple[AnswerSet, Questionnaire]:
    """Load and validate an answer file; return it with its questionnaire."""
    answer_set, questionnaire, _ = read_answers(path, resolve)
    return answer_set, questionnaire


def parse_answers(c: Checker, data: MarkedDict, questionnaire: Questionnaire, draft: bool = False) -> AnswerSet:
    """Build an AnswerSet from marked data, recording every problem in `c`.

    Every way of answering ends here. A `draft` (an interview or form in progress) may still lack the
    municipality's name and population; everything it does hold is checked as in a finished file."""
    c.keys(data, TOP_KEYS, THE_FILE)
    municipality = _municipality(c, data, draft, population_required=questionnaire.framing == "municipal")
    date = data.get("date", "")
    if isinstance(date, (dt.date, dt.datetime)):
        date = date.isoformat()[:10]
    elif date:
        date = str(date)
        if not _is_day(date):
            c.error(data.line_of("date"), Text(f"„date“ muss ein Datum wie 2026-11-23 sein, nicht „{shown(date)}“",
                                               f"'date' must be a date like 2026-11-23, not '{shown(date)}'"))
    respondents = _respondents(c, data)
    dimension_ids = [d.id for d in questionnaire.dimensions]
    priorities = _per_dimension(c, data, "priorities", dimension_ids, 1, 5)
    targets = _per_dimension(c, data, "targets", dimension_ids, 1, len(questionnaire.levels))
    answers = []
    raw = data.get("answers") or MarkedDict()
    if not isinstance(raw, dict):
        c.error(data.line_of("answers"), Text("„answers“ muss eine Zuordnung von Fragen-Kennung zu Antwort sein",
                                              "'answers' must be a mapping of question id to answer"))
        raw = MarkedDict()
    for qid, entry in raw.items():
        line = raw.line_of(qid)
        question = questionnaire.question(str(qid))
        if question is None:
            c.error(line, Text(
                f"die Frage „{shown(qid)}“ gibt es in {questionnaire.ref} nicht; prüfen Sie die Kennung "
                f"(alle Kennungen zeigt „assess template {questionnaire.id}“)",
                f"question '{shown(qid)}' does not exist in {questionnaire.ref}; check the id "
                f"(run 'assess template {questionnaire.id}' to see all ids)"))
            continue
        answer = _answer(c, question, entry, line, date if isinstance(date, str) else "")
        if answer is not None:
            answers.append(answer)
    return AnswerSet(
        questionnaire=questionnaire.ref,
        municipality=municipality,
        answers=tuple(answers),
        date=date or "",
        respondents=respondents,
        priorities=priorities,
        targets=targets,
        path=c.path,
    )


def _municipality(c: Checker, data, draft: bool = False, population_required: bool = True) -> Municipality:
    raw = data.get("municipality") if draft else c.require(data, "municipality", THE_FILE)
    raw = c.mapping(raw, data.line_of("municipality"), MUNICIPALITY) if raw is not None else None
    if raw is None:
        return Municipality("", 0)
    c.keys(raw, ("name", "population", "state", "ags"), MUNICIPALITY)
    name = c.string(raw, "name", MUNICIPALITY, required=not draft)
    population = raw.get("population")
    if (draft or not population_required) and population in (None, 0, ""):
        population = 0
    elif population is None:
        c.error(raw.line, Text("in „municipality“ fehlt das Pflichtfeld „population“; ergänzen Sie z. B. „population: 12000“",
                               "'municipality' is missing the required field 'population'; add 'population: 12000'"))
        population = 0
    elif isinstance(population, bool) or not isinstance(population, int) or not 0 < population <= LARGEST_NUMBER:
        c.error(raw.line_of("population"), message(
            "„population“ muss die Einwohnerzahl als positive ganze Zahl sein (z. B. 12000, ohne Punkte), nicht {kind} „{value}“",
            "'population' must be a positive whole number of inhabitants (like 12000, without dots), not {kind} '{value}'",
            kind=type_name(population), value=shown(population)))
        population = 0
    state = c.string(raw, "state", MUNICIPALITY, required=False)
    if state:
        code = state.upper() if state.upper() in STATES else next((k for k, v in STATES.items() if v.lower() == state.lower()), "")
        if not code:
            c.error(raw.line_of("state"), Text(f"unbekanntes Land „{shown(state)}“; verwenden Sie ein Kürzel wie BY oder einen Namen wie Bayern",
                                               f"unknown federal state '{shown(state)}'; use a code like BY or a name like Bayern"))
        state = code or state
    ags = c.string(raw, "ags", MUNICIPALITY, required=False)
    if ags and normal_ags(ags) != ags:
        c.error(raw.line_of("ags"), Text(
            f"„ags“ (Amtlicher Gemeindeschlüssel) muss aus 8 Ziffern in Anführungszeichen bestehen, z. B. \"09162000\", nicht „{shown(ags)}“",
            f"'ags' (Amtlicher Gemeindeschlüssel) must be 8 digits in quotes, like \"09162000\", not '{shown(ags)}'"))
    return Municipality(name, population, state, ags)


def _respondents(c: Checker, data) -> tuple[Respondent, ...]:
    raw = data.get("respondents") or []
    if not isinstance(raw, list):
        c.error(data.line_of("respondents"), Text("„respondents“ muss eine Liste von {name, role} sein",
                                                  "'respondents' must be a list of {name, role}"))
        return ()
    result = []
    for _, item, who in c.entries(raw, "„respondents“, Person", "respondent"):
        c.keys(item, ("name", "role"), who)
        result.append(Respondent(c.string(item, "name", who), c.string(item, "role", who, required=False)))
    return tuple(result)


def _per_dimension(c: Checker, data, key, dimension_ids, low, high) -> tuple[tuple[str, int], ...]:
    raw = data.get(key)
    if raw is None:
        return ()
    what = Text(f"„{key}“", f"'{key}'")
    raw = c.mapping(raw, data.line_of(key), what)
    if raw is None:
        return ()
    result = []
    for dim in raw:
        if dim not in dimension_ids:
            ids = ", ".join(dimension_ids)
            c.error(raw.line_of(dim), Text(f"„{key}“ nennt die Dimension „{shown(dim)}“, die es nicht gibt; möglich sind: {ids}",
                                           f"'{key}' names dimension '{shown(dim)}', which does not exist; use one of: {ids}"))
            continue
        value = c.number(raw, dim, what, integer=True, minimum=low, maximum=high)
        if value is not None:
            result.append((dim, value))
    return tuple(result)


def _answer(c: Checker, question: Question, entry, line: int, today: str = "") -> Answer | None:
    comment = evidence = ""
    by_respondent: tuple = ()
    state: dict = {}
    if isinstance(entry, dict):
        what = Text(f"Antwort auf „{question.id}“", f"the answer to '{question.id}'")
        c.keys(entry, ANSWER_KEYS, what)
        comment = c.string(entry, "comment", what, required=False)
        evidence = c.string(entry, "evidence", what, required=False)
        per = entry.get("respondents") or {}
        if isinstance(per, dict):
            values = []
            for name, raw_value in per.items():
                value = check_value(c, question, raw_value, per.line_of(name))
                if value is not None:
                    values.append((str(name), value))
            by_respondent = tuple(values)
        raw_entry = entry
        entry = entry.get("value")
        if entry is not None:
            state = _answer_state(c, question, raw_entry, what, today)
        elif (comment or evidence) and "value" not in raw_entry and not by_respondent:
            c.error(line, Text(
                f"die Antwort auf „{question.id}“ hat einen Kommentar oder Nachweis, aber keinen Wert („value“); "
                "ergänzen Sie den Wert (oder „value: unknown“ für weiß nicht), sonst ginge der Kommentar verloren",
                f"the answer to '{question.id}' has a comment or evidence but no 'value'; add the value "
                "(or 'value: unknown' for don't know), else the comment would be lost"))
    if entry is None:
        return None  # left blank: unanswered
    value = check_value(c, question, entry, line)
    if value is None:
        return None
    if state and value in (UNKNOWN, NOT_APPLICABLE):
        c.error(line, Text(f"die Antwort auf „{question.id}“ ist „{value}“ und kann daher nicht geplant, in Umsetzung "
                           f"oder veraltet sein; geben Sie den heutigen Stand als Antwort an",
                           f"the answer to '{question.id}' is '{value}', so it cannot be planned, in progress or "
                           f"outdated; give today's state as the answer"))
        return None
    if state.get("progress") and state.get("toward") is None:
        state["toward"] = next_better(question, value)
        if state["toward"] is None:
            c.error(line, Text(f"die Antwort auf „{question.id}“ ist schon die beste; „geplant“ oder „in Umsetzung“ setzt "
                               f"eine bessere Antwort als Ziel voraus (in einer Antwortdatei: „progress“ mit „toward“)",
                               f"the answer to '{question.id}' is already the best; 'planned' or 'in progress' needs a "
                               f"better answer as its target (in an answer file: 'progress' with 'toward')"))
            return None
    return Answer(question.id, value, comment, evidence, by_respondent, **state)


def states_offered(question: Question) -> tuple[str, ...]:
    """The answer states every capture mode offers for `question`: planned and in progress for choice and
    yes/no questions (toward the next better answer, as `next_better` finds it), outdated for a question
    about a document (`document: true`). An answer file may say more (`toward`, progress on a number);
    the interview, the form, the workbook and the server offer this much, and all hand the result to
    `read_answer`."""
    offered = PROGRESS_STATES if question.type in ("single", "yesno") else ()
    return offered + ((OUTDATED,) if question.document else ())


def improvable(question: Question) -> tuple:
    """The answers of `question` that can be planned or in progress: those with a better one above."""
    if question.type == "yesno":
        return (False,)
    return tuple(o.id for o in question.options if next_better(question, o.id) is not None)


def read_answer(question: Question, value, state: dict | None = None, today: str = "", comment: str = "",
                evidence: str = "") -> tuple[Answer | None, list[Problem]]:
    """One answer as a capture mode hands it over – a value and its state (`progress`, `toward`, `until`,
    `outdated`) – checked by exactly the rules of an answer file. Returns the answer (None when it is
    invalid or empty) and the problems (messages without file or line, for the capture mode to place)."""
    entry = MarkedDict({"value": value})
    entry.update({k: v for k, v in (state or {}).items() if k in STATE_KEYS and v not in (None, "")})
    if comment:
        entry["comment"] = comment
    if evidence:
        entry["evidence"] = evidence
    c = Checker("")
    answer = _answer(c, question, entry, 0, today)
    return (None if c.errors else answer), c.problems


def state_of(answer: Answer | None) -> dict:
    """An answer's state as plain data (the keys of an answer file), {} when it has none."""
    if answer is None:
        return {}
    state = {}
    if answer.progress:
        state["progress"] = answer.progress
        state["toward"] = list(answer.toward) if isinstance(answer.toward, tuple) else answer.toward
        if answer.until:
            state["until"] = answer.until
    if answer.outdated is not None:
        state["outdated"] = answer.outdated
    return state


def next_better(question: Question, value: Value) -> Value | None:
    """The answer one step better than `value`: the next option up, yes for no; None when there is none."""
    if question.type == "yesno":
        return True if value is False else None
    if question.type == "single":
        current = question.option(value)
        better = sorted((o for o in question.options if current and o.value > current.value), key=lambda o: o.value)
        return better[0].id if better else None
    return None


def _answer_state(c: Checker, question: Question, entry, what: Text, today: str) -> dict:
    """The progress / outdated fields of a detailed answer, checked; {} when there are none."""
    state: dict = {}
    progress = entry.get("progress")
    if progress is not None:
        if progress not in PROGRESS_STATES:
            c.error(entry.line_of("progress"), Text(
                f"„progress“ der Antwort auf „{question.id}“ muss „planned“ (geplant/beschlossen) oder „in_progress“ "
                f"(in Umsetzung) sein, nicht „{shown(progress)}“",
                f"'progress' of the answer to '{question.id}' must be 'planned' or 'in_progress', not '{shown(progress)}'"))
        elif question.type not in ("single", "multi", "yesno", "number"):
            c.error(entry.line_of("progress"), Text(f"die Frage „{question.id}“ ist eine Textfrage; „progress“ passt nur zu Auswahl-, Ja/Nein- und Zahlfragen",
                                                   f"question '{question.id}' takes text; 'progress' fits only choice, yes/no and number questions"))
        else:
            state["progress"] = progress
    toward = entry.get("toward")
    if toward is not None:
        if "progress" not in state and progress is None:
            c.error(entry.line_of("toward"), Text(f"„toward“ der Antwort auf „{question.id}“ braucht „progress: planned“ oder „progress: in_progress“",
                                                 f"'toward' of the answer to '{question.id}' needs 'progress: planned' or 'progress: in_progress'"))
        else:
            value = check_value(c, question, toward, entry.line_of("toward"))
            if value in (UNKNOWN, NOT_APPLICABLE):
                c.error(entry.line_of("toward"), Text(f"„toward“ der Antwort auf „{question.id}“ muss eine echte Antwort sein",
                                                     f"'toward' of the answer to '{question.id}' must be a real answer"))
            elif value is not None:
                state["toward"] = value
    until = entry.get("until")
    if until is not None:
        if isinstance(until, (dt.date, dt.datetime)):
            until = until.isoformat()[:10]
        until = str(until)
        if "progress" not in state and progress is None:
            c.error(entry.line_of("until"), Text(f"„until“ der Antwort auf „{question.id}“ braucht „progress“",
                                                f"'until' of the answer to '{question.id}' needs 'progress'"))
        elif not _is_date(until):
            c.error(entry.line_of("until"), Text(f"„until“ muss ein Datum wie 2027-06-30 oder ein Monat wie 2027-06 sein, nicht „{shown(until)}“",
                                                f"'until' must be a date like 2027-06-30 or a month like 2027-06, not '{shown(until)}'"))
        else:
            state["until"] = until
    outdated = entry.get("outdated")
    if outdated is not None:
        year_now = int(today[:4]) if today[:4].isdigit() else dt.date.today().year
        if not question.document:
            c.error(entry.line_of("outdated"), Text(
                f"die Frage „{question.id}“ fragt nach keinem Dokument; „outdated“ (vorhanden, aber veraltet) passt nur zu "
                f"Fragen nach Strategien, Konzepten und ähnlichen Dokumenten",
                f"question '{question.id}' does not ask about a document; 'outdated' fits only questions about "
                f"strategies, plans and similar documents"))
        elif isinstance(outdated, bool) or not isinstance(outdated, int) or not OUTDATED_SINCE <= outdated <= year_now:
            c.error(entry.line_of("outdated"), Text(
                f"das Jahr des veralteten Dokuments muss eine Jahreszahl von {OUTDATED_SINCE} bis {year_now} sein, z. B. "
                f"2008, nicht „{shown(outdated)}“ (in einer Antwortdatei: „outdated“)",
                f"the year of the outdated document must be a year from {OUTDATED_SINCE} to {year_now}, e.g. 2008, not "
                f"'{shown(outdated)}' (in an answer file: 'outdated')"))
        elif progress is not None:
            c.error(entry.line_of("outdated"), Text(f"die Antwort auf „{question.id}“ ist entweder veraltet oder geplant/in Umsetzung, nicht beides",
                                                   f"the answer to '{question.id}' is either outdated or planned/in progress, not both"))
        else:
            state["outdated"] = outdated
    return state


def _is_day(text: str) -> bool:
    """Whether `text` is a real day written YYYY-MM-DD (Python also reads 20260101 and 2026-W01-1)."""
    if not ISO_DAY.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    """A day (YYYY-MM-DD) or a month (YYYY-MM)."""
    return _is_day(text) or _is_day(text + "-01")


def _offered(question: Question) -> str:
    """A question's option ids for a message (joined only when a message needs them)."""
    return ", ".join(o.id for o in question.options)


def check_value(c: Checker, question: Question, raw, line: int) -> Value | None:
    """Validate one raw answer value for `question`; record a problem and return None if invalid."""
    if raw == UNKNOWN:
        if not question.allow_unknown:
            c.error(line, Text(f"die Frage „{question.id}“ lässt „unknown“ (weiß nicht) nicht zu; wählen Sie eine Antwort",
                               f"question '{question.id}' does not allow 'unknown'; choose an option"))
            return None
        return UNKNOWN
    if raw == NOT_APPLICABLE:
        if not question.allow_not_applicable:
            c.error(line, Text(f"die Frage „{question.id}“ lässt „not_applicable“ (trifft nicht zu) nicht zu; "
                               f"wählen Sie eine Antwort oder „unknown“",
                               f"question '{question.id}' does not allow 'not_applicable'; choose an option or 'unknown'"))
            return None
        return NOT_APPLICABLE
    if question.type in ("single", "multi") and (isinstance(raw, bool) or isinstance(raw, list) and any(
            isinstance(v, bool) for v in raw)):
        c.error(line, Text(
            f"die Antwort auf „{question.id}“ wird als ja/nein (true/false) gelesen, nicht als Kennung einer "
            f"Antwortmöglichkeit: YAML macht aus yes/no/on/off true/false. Setzen Sie die Kennung in "
            f"Anführungszeichen; möglich sind: {_offered(question)}",
            f"the answer to '{question.id}' reads as yes/no (true/false), not as an option id: YAML turns "
            f"yes/no/on/off into true/false. Put the option id in quotes; options are: {_offered(question)}"))
        return None
    if question.type == "single":
        if isinstance(raw, bool) or not isinstance(raw, (str, int)) or question.option(str(raw)) is None:
            c.error(line, Text(f"„{shown(raw)}“ ist keine Antwortmöglichkeit der Frage „{question.id}“; möglich sind: {_offered(question)}, unknown",
                               f"'{shown(raw)}' is not an option of question '{question.id}'; choose one of: {_offered(question)}, unknown"))
            return None
        return str(raw)
    if question.type == "multi":
        items = raw if isinstance(raw, list) else [raw]
        bad = [str(i) for i in items if not isinstance(i, str) or question.option(i) is None]
        if bad:
            c.error(line, Text(f"„{shown(bad[0])}“ ist keine Antwortmöglichkeit der Frage „{question.id}“; ankreuzen "
                               f"lassen sich: {_offered(question)}",
                               f"'{shown(bad[0])}' is not an option of question '{question.id}'; tick any of: {_offered(question)}"))
            return None
        chosen = tuple(dict.fromkeys(items))
        conflict = question.exclusive_conflict(chosen)
        if conflict is not None:
            c.error(line, Text(f"„{conflict.id}“ (Frage „{question.id}“) lässt sich nicht mit anderen Antworten kombinieren",
                               f"option '{conflict.id}' of question '{question.id}' cannot be combined with other options"))
            return None
        return chosen
    if question.type == "yesno":
        # YAML reads yes/no/true/false as booleans, but the German words stay text: accept them too.
        if isinstance(raw, str) and raw.strip().lower() in GERMAN_YES_NO:
            return GERMAN_YES_NO[raw.strip().lower()]
        if not isinstance(raw, bool):
            c.error(line, message("die Frage „{q}“ erwartet ja oder nein (true/false), nicht {kind} „{value}“",
                                  "question '{q}' expects yes or no (true/false), not {kind} '{value}'",
                                  q=question.id, kind=type_name(raw), value=shown(raw)))
            return None
        return raw
    if question.type == "number":
        if isinstance(raw, str) and JSON_NUMBER.match(raw.strip()):
            raw = float(raw)  # YAML reads 1e5 as text, JSON (and the offline form) write it as a number
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            c.error(line, message("die Frage „{q}“ erwartet eine Zahl, nicht {kind} „{value}“",
                                  "question '{q}' expects a number, not {kind} '{value}'",
                                  q=question.id, kind=type_name(raw), value=shown(raw)))
            return None
        if not reasonable_number(raw):
            c.error(line, Text(f"die Frage „{question.id}“ erwartet eine endliche Zahl von vernünftiger Größe, nicht "
                               f"{shown(raw)}",
                               f"question '{question.id}' expects a finite number of reasonable size, not {shown(raw)}"))
            return None
        return raw
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        c.error(line, message("die Frage „{q}“ erwartet Text, nicht {kind}; setzen Sie den Text in Anführungszeichen",
                              "question '{q}' expects text, not {kind}; put the text in quotes",
                              q=question.id, kind=type_name(raw)))
        return None
    return str(raw)


# --- saving -----------------------------------------------------------------------------------


def to_data(answer_set: AnswerSet) -> dict:
    """Plain data for an answer file, in the documented order."""
    data: dict = {"questionnaire": answer_set.questionnaire}
    m = answer_set.municipality
    data["municipality"] = {k: v for k, v in (("name", m.name), ("ags", m.ags), ("state", m.state), ("population", m.population)) if v}
    if answer_set.date:
        data["date"] = answer_set.date
    if answer_set.respondents:
        data["respondents"] = [{"name": r.name, "role": r.role} if r.role else {"name": r.name} for r in answer_set.respondents]
    if answer_set.priorities:
        data["priorities"] = dict(answer_set.priorities)
    if answer_set.targets:
        data["targets"] = dict(answer_set.targets)
    answers = {}
    for a in answer_set.answers:
        value = list(a.value) if isinstance(a.value, tuple) else a.value
        if a.comment or a.evidence or a.by_respondent or a.progress or a.outdated is not None:
            entry = {"value": value, **state_of(a)}
            if a.comment:
                entry["comment"] = a.comment
            if a.evidence:
                entry["evidence"] = a.evidence
            if a.by_respondent:
                entry["respondents"] = {n: list(v) if isinstance(v, tuple) else v for n, v in a.by_respondent}
            answers[a.question] = entry
        else:
            answers[a.question] = value
    data["answers"] = answers
    return data


def serialise(answer_set: AnswerSet, suffix: str = ".yaml") -> str:
    """The answer file text, JSON for a .json suffix, YAML otherwise."""
    data = to_data(answer_set)
    return dump_json(data) + "\n" if suffix.lower() == ".json" else dump_yaml(data)


def save_answers(answer_set: AnswerSet, path: Path, overwrite: bool = True) -> None:
    """Write the answer file atomically: a crash leaves either the old or the new file, never half.
    With `overwrite` False an existing file is never replaced (OutputExistsError)."""
    write_text(Path(path), serialise(answer_set, Path(path).suffix), overwrite)
