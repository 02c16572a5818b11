"""What the server does with a round, on the engine's own functions: answer sets from the database,
validation of each answer as the answer-file reader does it, merging, reports, export and import.

No Flask here: the functions take a SQLAlchemy session and model objects, so the CLI and tests use
them directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path, PurePath

from sqlalchemy import delete

from assess.answers import Answer, AnswerSet, Municipality, Respondent, read_answer, read_answers, serialise, state_of
from assess.capture.common import slug
from assess.capture.merge import MergeResult, merge
from assess.errors import AssessError, ValidationError, rendered
from assess.library import Library
from assess.model import Questionnaire, Text
from assess.server import models as m

MAX_TEXT = 10_000  # characters of a free-text answer or comment
IMPORT_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".csv")


LIBRARY = Library()  # the shipped questionnaires and catalogues, each parsed once per process


def questionnaire(qid: str, version: str) -> Questionnaire:
    """An installed questionnaire in exactly this version."""
    return LIBRARY.resolve(qid, version)


def questionnaire_of(round_: m.Round) -> Questionnaire:
    return questionnaire(round_.questionnaire_id, round_.questionnaire_version)


@functools.lru_cache(maxsize=1)
def choices() -> tuple[Questionnaire, ...]:
    """The questionnaires a coordinator can start a round with (looked up once per process)."""
    from assess.resources import installed_questionnaires

    return tuple(installed_questionnaires())


# --- answer sets ------------------------------------------------------------------------------

def town_facts(town: m.Municipality) -> Municipality:
    return Municipality(town.name, town.population, town.state, town.ags)


def answer_set(person: m.Respondent, q: Questionnaire, drop_skipped: bool = True) -> AnswerSet:
    """One respondent's answers as an answer file has them; answers to questions their own earlier
    answers skip are left out, as the offline form leaves them out of its download."""
    from assess.scoring import skipped_questions

    order = {question.id: i for i, question in enumerate(q.questions)}
    rows = sorted((a for a in person.answers if a.question in order), key=lambda a: order[a.question])
    answers = tuple(Answer(a.question, _value(a.value), a.comment, a.evidence, **_state(a.state)) for a in rows)
    levels = {"priority": [], "target": []}
    dimension_order = {d.id: i for i, d in enumerate(q.dimensions)}
    for level in sorted(person.levels, key=lambda lv: dimension_order.get(lv.dimension, 999)):
        levels[level.kind].append((level.dimension, level.value))
    result = AnswerSet(
        questionnaire=q.ref,
        municipality=town_facts(person.round.municipality),
        answers=answers,
        date=person.date,
        respondents=tuple(Respondent(p.get("name", ""), p.get("role", "")) for p in person.team)
        if person.team else (Respondent(person.name, person.role),),
        priorities=tuple(levels["priority"]),
        targets=tuple(levels["target"]),
        path=person.name,
    )
    if drop_skipped:
        skipped = skipped_questions(q, result)
        if skipped:
            result = replace(result, answers=tuple(a for a in answers if a.question not in skipped))
    return result


def _value(stored):
    return tuple(stored) if isinstance(stored, list) else stored


def _state(stored: dict | None) -> dict:
    """A stored answer state (the answer-file fields) as the fields of an Answer."""
    if not stored:
        return {}
    state = {k: stored[k] for k in ("progress", "until", "outdated") if stored.get(k) not in (None, "")}
    if stored.get("toward") is not None:
        state["toward"] = _value(stored["toward"])
    return state


def _row(a: Answer) -> dict:
    """The columns of an answer row for an Answer (value, comment, evidence, state)."""
    return {"question": a.question, "value": list(a.value) if isinstance(a.value, tuple) else a.value,
            "comment": a.comment, "evidence": a.evidence, "state": state_of(a) or None}


def progress(person: m.Respondent, q: Questionnaire) -> tuple[int, int]:
    """(answered, applicable) for one respondent: what the respondent's own progress bar shows."""
    from assess.scoring import skipped_questions

    s = answer_set(person, q, drop_skipped=False)
    skipped = skipped_questions(q, s)
    applicable = [question.id for question in q.questions if question.id not in skipped]
    return sum(1 for qid in applicable if s.answer(qid) is not None), len(applicable)


def merged(round_: m.Round) -> MergeResult | None:
    """The round's respondents combined with the round's method; the town's own priorities and
    targets (set by the coordinator) replace the respondents' combined ones where given."""
    q = questionnaire_of(round_)
    return merge_sets(round_, [answer_set(p, q) for p in round_.respondents if p.answers or p.levels], q)


def merge_sets(round_: m.Round, sets: list[AnswerSet], q: Questionnaire) -> MergeResult | None:
    """`merged` for answer sets already read (e.g. carried over to another version in memory)."""
    if not sets:
        return None
    result = merge(sets, q, round_.merge_method)
    combined = result.answers
    levels = {}
    for key, stored in (("priorities", round_.priorities), ("targets", round_.targets)):
        both = {**dict(getattr(combined, key)), **dict(_levels(stored, q))}
        levels[key] = tuple((d.id, both[d.id]) for d in q.dimensions if d.id in both)
    return MergeResult(replace(combined, municipality=town_facts(round_.municipality), **levels), result.warnings)


def _levels(stored: dict | None, q: Questionnaire) -> tuple[tuple[str, int], ...]:
    stored = stored or {}
    return tuple((d.id, int(stored[d.id])) for d in q.dimensions if d.id in stored)


def assessment(round_: m.Round):
    """The Assessment of a round (merged answers, scores, advice), compared with the town's latest
    earlier closed round of the same questionnaire version when there is one."""
    result = merged(round_)
    if result is None:
        return None
    baseline = None
    earlier = [r for r in round_.municipality.rounds if r.id < round_.id and r.status == "closed"
               and r.ref == round_.ref]
    for before in reversed(earlier):
        before_result = merged(before)
        if before_result is not None:
            baseline = before_result.answers
            break
    return LIBRARY.assess(result.answers, questionnaire_of(round_), baseline)


# --- a new questionnaire version after an update --------------------------------------------

def installed_version(round_: m.Round) -> str | None:
    """The installed version of the round's questionnaire when an update brought another one."""
    try:
        installed = LIBRARY.resolve(round_.questionnaire_id, None)
    except AssessError:
        return None
    return installed.version if installed.version != round_.questionnaire_version else None


def carried_sets(round_: m.Round) -> tuple[list[AnswerSet], Questionnaire, list]:
    """Every respondent's answers carried over to the installed questionnaire version in memory,
    exactly as `assess migrate` carries an answer file (nothing is written), and the notes on what
    was dropped. Raises AssessError when the bundle declares no way from the round's version."""
    from assess.answers import answers_from_data
    from assess.yamlfile import dump_yaml, parse_text

    target = LIBRARY.resolve(round_.questionnaire_id, None)
    sets, notes = [], []
    for person in round_.respondents:
        if not (person.answers or person.levels):
            continue
        answers, target, problems = answers_from_data(parse_text(dump_yaml(_file_data(person, round_)), person.name),
                                                      person.name, LIBRARY.resolve, migrate=True)
        sets.append(answers)
        notes += [p for p in problems if p.warning]
    return sets, target, notes


def carry_over(db, round_: m.Round) -> list:
    """Carry every respondent's answers over to the installed questionnaire version, exactly as
    `assess migrate` carries an answer file; returns what was dropped (Problems, as warnings).
    Raises AssessError (and changes nothing) when the bundle declares no way from the round's version."""
    from assess.answers import answers_from_data
    from assess.yamlfile import dump_yaml, parse_text

    carried = []
    target = LIBRARY.resolve(round_.questionnaire_id, None)
    for person in round_.respondents:
        text = dump_yaml(_file_data(person, round_))
        answers, target, problems = answers_from_data(parse_text(text, person.name), person.name, LIBRARY.resolve,
                                                      migrate=True)
        carried.append((person, answers, [p for p in problems if p.warning]))
    if not carried and target.migration_from(round_.questionnaire_version) is None:
        raise AssessError(Text(f"{target.ref} sagt nicht, wie Antworten aus Version {round_.questionnaire_version} übertragen werden",
                               f"{target.ref} declares no way to carry answers over from version {round_.questionnaire_version}"))
    for person, answers, _ in carried:
        db.execute(delete(m.AnswerRow).where(m.AnswerRow.respondent_id == person.id))
        db.execute(delete(m.LevelRow).where(m.LevelRow.respondent_id == person.id))
        db.add_all([m.AnswerRow(respondent_id=person.id, **_row(a)) for a in answers.answers])
        db.add_all([m.LevelRow(respondent_id=person.id, kind=kind, dimension=d, value=v)
                    for kind, pairs in (("priority", answers.priorities), ("target", answers.targets)) for d, v in pairs])
    dimensions = {d.id for d in target.dimensions}
    round_.priorities = {k: v for k, v in (round_.priorities or {}).items() if k in dimensions}
    round_.targets = {k: v for k, v in (round_.targets or {}).items() if k in dimensions}
    round_.questionnaire_version = target.version
    db.commit()
    db.expire_all()
    return [note for _, _, notes in carried for note in notes]


def _file_data(person: m.Respondent, round_: m.Round) -> dict:
    """A respondent's stored rows as answer-file data, without needing the questionnaire they answered."""
    town = round_.municipality
    data = {"questionnaire": round_.ref,
            "municipality": {k: v for k, v in (("name", town.name), ("ags", town.ags), ("state", town.state),
                                                ("population", town.population)) if v},
            "respondents": person.team or [{"name": person.name, "role": person.role}]}
    if person.date:
        data["date"] = person.date
    for kind, key in (("priority", "priorities"), ("target", "targets")):
        levels = {lv.dimension: lv.value for lv in person.levels if lv.kind == kind}
        if levels:
            data[key] = levels
    data["answers"] = {a.question: {"value": a.value, "comment": a.comment, "evidence": a.evidence, **(a.state or {})}
                       if a.comment or a.evidence or a.state else a.value for a in person.answers}
    return data


# --- saving one answer ------------------------------------------------------------------------

class Refused(AssessError):
    """An answer the questionnaire does not allow; the message says what would be right."""


def save_answer(db, person: m.Respondent, q: Questionnaire, payload) -> None:
    """Validate one answer from the browser like the answer-file reader and write it in one
    transaction: an upsert on (respondent, question). `value` null removes the answer; `state` (optional)
    is the answer's progress/until/outdated as an answer file writes it."""
    if not isinstance(payload, dict):
        raise Refused(Text("Die Anfrage ist kein JSON-Objekt.", "The request is not a JSON object."))
    if "priority" in payload or "target" in payload:
        return _save_level(db, person, q, payload)
    qid = payload.get("question")
    question = next((x for x in q.questions if x.id == qid), None) if isinstance(qid, str) else None
    if question is None:
        raise Refused(Text(f"Die Frage „{qid}“ gibt es in {q.ref} nicht.", f"Question '{qid}' does not exist in {q.ref}."))
    comment = payload.get("comment") or ""
    evidence = payload.get("evidence") or ""
    if not isinstance(comment, str) or not isinstance(evidence, str) or max(len(comment), len(evidence)) > MAX_TEXT:
        raise Refused(Text(f"Die Anmerkung ist kein Text oder länger als {MAX_TEXT} Zeichen.",
                           f"The comment is not text or longer than {MAX_TEXT} characters."))
    raw = payload.get("value")
    if raw is None and not comment and not evidence:
        db.execute(delete(m.AnswerRow).where(m.AnswerRow.respondent_id == person.id, m.AnswerRow.question == qid))
        _touch(person)
        db.commit()
        return
    if raw is None:
        raise Refused(Text("Eine Anmerkung braucht eine Antwort.", "A comment needs an answer."))
    if isinstance(raw, str) and len(raw) > MAX_TEXT:
        raise Refused(Text(f"Die Antwort ist länger als {MAX_TEXT} Zeichen.", f"The answer is longer than {MAX_TEXT} characters."))
    state = payload.get("state")
    if state is not None and not isinstance(state, dict):
        raise Refused(Text("Der Stand der Antwort ist kein JSON-Objekt.", "The answer's state is not a JSON object."))
    answer, problems = read_answer(question, raw, state, person.date or "")
    if answer is None:
        raise Refused(problems[0].message if problems else Text("ungültige Antwort", "invalid answer"))
    _upsert(db, m.AnswerRow, ("respondent_id", "question"),
            {"respondent_id": person.id, **_row(replace(answer, comment=comment, evidence=evidence)),
             "updated_at": m.now()})
    _touch(person)
    db.commit()


def _save_level(db, person, q: Questionnaire, payload) -> None:
    kind = "priority" if "priority" in payload else "target"
    dimension = payload.get(kind)
    if dimension not in {d.id for d in q.dimensions}:
        raise Refused(Text(f"Die Dimension „{dimension}“ gibt es in {q.ref} nicht.",
                           f"Dimension '{dimension}' does not exist in {q.ref}."))
    value = payload.get("value")
    high = 5 if kind == "priority" else len(q.levels)
    if value is None:
        db.execute(delete(m.LevelRow).where(m.LevelRow.respondent_id == person.id, m.LevelRow.kind == kind,
                                            m.LevelRow.dimension == dimension))
    elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise Refused(Text(f"Der Wert muss eine ganze Zahl von 1 bis {high} sein.",
                           f"The value must be a whole number from 1 to {high}."))
    else:
        _upsert(db, m.LevelRow, ("respondent_id", "kind", "dimension"),
                {"respondent_id": person.id, "kind": kind, "dimension": dimension, "value": value})
    _touch(person)
    db.commit()


def _touch(person: m.Respondent) -> None:
    today = dt.date.today().isoformat()
    if person.source == "link" and person.date != today:
        person.date = today


def _upsert(db, model, keys: tuple[str, ...], values: dict) -> None:
    """Insert or update one row in a single statement (SQLite and PostgreSQL both support it)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(model).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={k: v for k, v in values.items() if k not in keys})
    db.execute(statement)


# --- export and import ------------------------------------------------------------------------

def export_zip(round_: m.Round, suffix: str = ".yaml") -> bytes:
    """A ZIP of one answer file per respondent and, when there are answers, the merged file."""
    q = questionnaire_of(round_)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for person in round_.respondents:
            name = _unique(f"{slug(person.name) or 'person'}{suffix}", used)
            archive.writestr(name, serialise(answer_set(person, q), suffix))
        result = merged(round_)
        if result is not None:
            archive.writestr(_unique(f"zusammengefuehrt{suffix}", used), serialise(result.answers, suffix))
    return buffer.getvalue()


def _unique(name: str, used: set[str]) -> str:
    stem, suffix = name.rsplit(".", 1)
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}.{suffix}", n + 1
    used.add(candidate)
    return candidate


def read_upload(filename: str, data: bytes, q: Questionnaire) -> list[AnswerSet]:
    """The answer sets in an uploaded file (answer file, workbook or CSV), validated by the same
    readers as on the command line. Raises ValidationError / AssessError with file:line messages."""
    from assess.capture.sheet import import_sheet

    name = PurePath(filename or "upload").name or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise AssessError(Text(f"{name}: nur Antwortdateien (.yaml, .json), Arbeitsmappen (.xlsx) und CSV lassen sich übernehmen",
                               f"{name}: only answer files (.yaml, .json), workbooks (.xlsx) and CSV can be imported"))
    resolve = lambda qid, version: _same_questionnaire(qid, version, q)  # noqa: E731
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        if suffix in (".xlsx", ".csv"):
            sets = import_sheet(path, resolve).answer_sets
        else:
            sets = [read_answers(path, resolve)[0]]
    for s in sets:
        if any(a.by_respondent for a in s.answers):
            raise AssessError(Text(
                f"{name} ist eine zusammengeführte Datei; übernehmen Sie die einzelnen Antwortdateien, damit jede Person ihre eigenen Antworten behält",
                f"{name} is a merged file; import the individual answer files so that every person keeps their own answers"))
    return sets


def _same_questionnaire(qid: str, version: str, q: Questionnaire) -> Questionnaire:
    if (qid, version) != (q.id, q.version):
        raise AssessError(Text(f"die Datei gehört zu {qid}@{version}, diese Erhebung verwendet {q.ref}",
                               f"the file is for {qid}@{version}, but this round uses {q.ref}"))
    return q


def import_sets(db, round_: m.Round, sets: list[AnswerSet], source: str) -> list[m.Respondent]:
    """Store each answer set as a respondent of the round (without a link), in one transaction."""
    people = []
    for s in sets:
        names = " & ".join(r.name for r in s.respondents if r.name) or Path(source).stem
        roles = " & ".join(dict.fromkeys(r.role for r in s.respondents if r.role))
        team = [{"name": r.name, "role": r.role} for r in s.respondents] if len(s.respondents) > 1 else None
        person = m.Respondent(round_id=round_.id, name=names[:200], role=roles[:100], source=f"import: {source}"[:300],
                              date=s.date or "", team=team)
        person.answers = [m.AnswerRow(**_row(a)) for a in s.answers]
        person.levels = ([m.LevelRow(kind="priority", dimension=d, value=v) for d, v in s.priorities]
                         + [m.LevelRow(kind="target", dimension=d, value=v) for d, v in s.targets])
        db.add(person)
        people.append(person)
    db.commit()
    return people


def problems_text(exc: AssessError, lang: str) -> list[str]:
    if isinstance(exc, ValidationError):
        return rendered([p for p in exc.problems if not p.warning] or exc.problems, lang)
    return [exc.message_in(lang)]


def report_bytes(round_: m.Round, fmt: str, lang: str, edition: str) -> bytes | None:
    """The round's report in a format (html, pdf, md, json, docx) and edition (kurz, voll)."""
    result = assessment(round_)
    if result is None:
        return None
    output = LIBRARY.render(result, fmt, lang, edition=edition)
    return output if isinstance(output, bytes) else output.encode("utf-8")


def delete_town(db, town: m.Municipality) -> None:
    """Delete a municipality with every round, respondent and answer (data protection)."""
    db.delete(town)
    db.commit()

