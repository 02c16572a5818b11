"""Spreadsheet workshops: export a questionnaire as an XLSX workbook or CSV table, import it back.

Layout (XLSX and CSV alike): every table has a header row `ID | Frage | Hilfe | Person 1 … Person N |
Stand (Person 1) … Stand (Person N) | Anmerkung`; a Stand column takes an answer state where the question offers
one ("geplant / beschlossen", "in Umsetzung bis 06/2027", "vorhanden, aber veraltet 2008"; a file without
Stand columns reads as before); the ID column says what a row holds — a fact (`municipality.name`, `respondent.name`,
`priority.<dimension>` …), a question id, or for multiple choice one row per option
(`question.option`, answered ja/nein). The workbook has an instructions sheet, a facts sheet
("Angaben") and one sheet per dimension with dropdown lists; a CSV file holds the same rows in one
table. Import gives one answer set per answer column (respondent).

Cells starting with `=`, `+`, `-` or `@` are written with a leading `'` so spreadsheet programs show
them as text instead of running them; import strips that `'` again. openpyxl is an optional extra.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assess import limits, texts
from assess.answers import (ROLES, STATES, Answer, AnswerSet, Municipality, Respondent,
                            parse_answers, read_answer, reasonable_number, serialise, states_offered)
from assess.files import write_bytes, write_folder
from assess.capture.common import (
    NO_WORDS,
    NOT_APPLICABLE_WORDS,
    UNKNOWN_WORDS,
    YES_WORDS,
    describe_condition,
    normalise,
    parse_answer_state,
    parse_number,
    parse_state,
    slug,
    word,
)
from assess.limits import MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_PACK_RATIO, MAX_ROWS, MAX_SHEETS, MAX_UNPACKED_BYTES
from assess.errors import AssessError, MissingExtraError, OutputExistsError, Problem, ValidationError, in_language
from assess.model import LANGUAGES, NOT_APPLICABLE, UNKNOWN, Group, Question, Questionnaire, Text, normal_ags
from assess.yamlfile import Checker, parse_text, read_bytes

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_RESPONDENTS = 50

FACT_KEYS = ("questionnaire", "municipality.name", "municipality.population", "municipality.state",
             "municipality.ags", "date", "respondent.name", "respondent.role")
SHARED_FACTS = ("questionnaire", "municipality.name", "municipality.population", "municipality.state",
                "municipality.ags", "date")


def label(key: str, lang: str, **values) -> str:
    """A sheet label in `lang`."""
    return texts.text(f"sheet.{key}", lang, **values)


def all_labels(key: str) -> set[str]:
    """The normalised label in every language (import accepts both)."""
    return {normalise(texts.text(f"sheet.{key}", lang)) for lang in LANGUAGES}


# --- formula neutralisation -------------------------------------------------------------------------


def safe_cell(value):
    """CSV text that a spreadsheet would run as a formula gets a leading ' so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text(cell, value) -> None:
    """Put `value` into a workbook cell as plain text, so "=…" is shown, never calculated.

    (In XLSX the cell type decides: a text cell is never run. The ' prefix is for CSV only.)
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def unsafe_cell(value):
    """Undo `safe_cell`: strip the ' that export put before formula-like text."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


# --- the rows of a workshop table ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row to export: its ID, label, help text, kind and (for dropdowns) the allowed entries."""

    id: str
    text: str
    help: str = ""
    kind: str = "question"  # title | group | fact | shared | question | option
    choices: tuple[str, ...] = ()
    states: tuple[str, ...] = ()  # the answer states offered in the Stand column (labels)


def fact_rows(questionnaire: Questionnaire, lang: str) -> list[Row]:
    """The facts rows: questionnaire, municipality, date, respondent, priorities."""
    states = tuple(STATES.values())
    rows = [
        Row("", label("facts", lang), kind="title"),
        Row("questionnaire", label("questionnaire", lang), kind="shared"),
        Row("municipality.name", label("municipality.name", lang), label("hint.shared", lang), "shared"),
        Row("municipality.population", label("municipality.population", lang), label("hint.population", lang), "shared"),
        Row("municipality.state", label("municipality.state", lang), label("hint.shared", lang), "shared", states),
        Row("municipality.ags", label("municipality.ags", lang), label("hint.ags", lang), "shared"),
        Row("date", label("date", lang), label("hint.date", lang), "shared"),
        Row("respondent.name", label("respondent.name", lang), kind="fact"),
        Row("respondent.role", label("respondent.role", lang), label("hint.role", lang), "fact", ROLES),
    ]
    rows += [Row(f"priority.{d.id}", label("priority", lang, dimension=d.title.get(lang)), label("hint.priority", lang),
                 "fact", ("1", "2", "3", "4", "5")) for d in questionnaire.dimensions]
    return rows


def question_rows(questionnaire: Questionnaire, dimension, lang: str) -> list[Row]:
    """The rows of one dimension: a title, group headings, questions and multiple-choice options."""
    rows = [Row("", dimension.title.get(lang), dimension.description.get(lang), "title")]

    def walk(items):
        for item in items:
            if isinstance(item, Group):
                rows.append(Row("", item.title.get(lang), kind="group"))
                walk(item.items)
            else:
                rows.extend(_rows_for(item, questionnaire, lang))

    walk(dimension.items)
    return rows


def _rows_for(q: Question, questionnaire: Questionnaire, lang: str) -> list[Row]:
    help_parts = []
    if q.when is not None:
        help_parts.append(label("only_if", lang, condition=describe_condition(q.when, questionnaire, lang)))
    unit = f" ({q.unit.get(lang)})" if q.unit.get(lang) else ""
    help_parts.append("→ " + label(q.type, lang, unit=unit))
    if q.help.get(lang):
        help_parts.append(q.help.get(lang))
    specials = ((word("unknown", lang),) if q.allow_unknown else ()) + \
        ((word("not_applicable", lang),) if q.allow_not_applicable else ())
    text = q.text.get(lang)
    states = state_choices(q, lang)
    if states:
        help_parts.append(label("state_hint", lang))
    if q.type == "single":
        return [Row(q.id, text, "\n".join(help_parts), choices=tuple(o.text.get(lang) for o in q.options) + specials,
                    states=states)]
    if q.type == "yesno":
        return [Row(q.id, text, "\n".join(help_parts), choices=(word("yes", lang), word("no", lang)) + specials,
                    states=states)]
    if q.type == "multi":
        rows = [Row(q.id, text, "\n".join(help_parts), choices=specials, states=states)]
        tick = (word("yes", lang), word("no", lang))
        rows += [Row(f"{q.id}.{o.id}", label("option_row", lang, text=o.text.get(lang)), kind="option", choices=tick)
                 for o in q.options]
        return rows
    return [Row(q.id, text, "\n".join(help_parts), states=states)]  # the hint above has its dropdown


def state_choices(q: Question, lang: str) -> tuple[str, ...]:
    """The entries of a question's Stand dropdown: the states the questionnaire offers for it."""
    offered = states_offered(q)
    return tuple(label(f"state.{state}", lang) for state in offered)


def _header(lang: str, respondents: int) -> list[str]:
    people = range(1, respondents + 1)
    return [label("id", lang), label("question", lang), label("help", lang)] + \
        [label("person", lang, n=n) for n in people] + [label("state_column", lang, n=n) for n in people] + \
        [label("comment", lang)]


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters, none of []:*?/\\)."""
    name = " ".join(re.sub(r"[\[\]:*?/\\]", " ", text).split()).strip("'") or "Dimension"
    if len(name) > 31:  # Excel's limit; mark the cut so nobody takes it for the full title
        name = name[:30].rstrip() + "…"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def dimension_sheet_names(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """The worksheet name of every dimension in `lang` (what export writes, what import looks for)."""
    taken = {label(k, lang).lower() for k in ("instructions", "facts", "lists")}
    return {d.id: sheet_title(d.title.get(lang), taken) for d in questionnaire.dimensions}


# --- export -----------------------------------------------------------------------------------------


def _check_respondents(respondents: int) -> None:
    if not 1 <= respondents <= MAX_RESPONDENTS:
        raise AssessError(f"--respondents must be between 1 and {MAX_RESPONDENTS}, not {respondents}")


def export_csv(questionnaire: Questionnaire, path: Path, respondents: int = 1, lang: str = "de", overwrite: bool = True) -> None:
    """Write the workshop table as CSV (semicolons, UTF-8 with BOM, as German spreadsheet programs expect)."""
    _check_respondents(respondents)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header(lang, respondents))
    for row in fact_rows(questionnaire, lang) + [r for d in questionnaire.dimensions for r in question_rows(questionnaire, d, lang)]:
        answers = [""] * (2 * respondents)  # each person's answer, then each person's Stand
        if row.id == "questionnaire":
            answers[0] = questionnaire.ref
        text = row.text if row.kind not in ("title", "group") else f"### {row.text}"
        writer.writerow([safe_cell(c) for c in [row.id, text, row.help] + answers + [""]])
    write_bytes(path, out.getvalue().encode("utf-8-sig"), overwrite)


def export_workbook(questionnaire: Questionnaire, path: Path, respondents: int = 1, lang: str = "de", overwrite: bool = True) -> None:
    """Write the workshop workbook: instructions, facts, one sheet per dimension, dropdown lists."""
    _check_respondents(respondents)
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F0")
    answer_fill = PatternFill("solid", fgColor="FFF8DC")
    grey_fill = PatternFill("solid", fgColor="EEEEEE")
    wrap = Alignment(wrap_text=True, vertical="top")

    intro = wb.active
    intro.title = label("instructions", lang)
    _text(intro["A1"], label("title", lang, title=questionnaire.title.get(lang), ref=questionnaire.ref))
    intro["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(texts.text("sheet.steps", lang), 3):
        _text(intro.cell(row=i, column=1), line)
    intro.column_dimensions["A"].width = 120

    lists = wb.create_sheet(label("lists", lang))
    lists.sheet_state = "hidden"
    list_ranges: dict[tuple[str, ...], str] = {}

    def list_formula(choices: tuple[str, ...]) -> str:
        if choices not in list_ranges:
            col = get_column_letter(len(list_ranges) + 1)
            for r, choice in enumerate(choices, 1):
                _text(lists.cell(row=r, column=len(list_ranges) + 1), choice)
            list_ranges[choices] = f"'{lists.title}'!${col}$1:${col}${len(choices)}"
        return list_ranges[choices]

    first_answer, last_answer = 4, 3 + 2 * respondents  # each person's answer column, then each person's Stand
    last_person = 3 + respondents
    comment_col = last_answer + 1

    def fill(ws, rows: list[Row]):
        ws.append(_header(lang, respondents))
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
        validations: dict[tuple[str, ...], DataValidation] = {}
        state_lists: dict[tuple[str, ...], DataValidation] = {}

        def state_list(states: tuple[str, ...]) -> DataValidation:
            # A dropdown that also takes typed text ("in Umsetzung bis 06/2027", "vorhanden, aber veraltet 2008").
            if states not in state_lists:
                state_lists[states] = DataValidation(type="list", formula1=list_formula(states), allow_blank=True,
                                                     showErrorMessage=False)
                ws.add_data_validation(state_lists[states])
            return state_lists[states]

        for row in rows:
            answers = [None] * (2 * respondents)
            if row.id == "questionnaire":
                answers[0] = questionnaire.ref
            ws.append([row.id or None, row.text, row.help or None] + answers + [None])
            r = ws.max_row
            for cell in ws[r]:
                _text(cell, cell.value)
            for col in (1, 2, 3):
                ws.cell(row=r, column=col).alignment = wrap
            if row.kind in ("title", "group"):
                ws.cell(row=r, column=2).font = Font(bold=True, size=13 if row.kind == "title" else 11)
                continue
            for col in range(first_answer, last_answer + 1):
                if col > last_person and row.kind in ("fact", "shared"):
                    continue  # facts have no Stand: their cells stay untouched
                cell = ws.cell(row=r, column=col)
                cell.alignment = wrap
                shared_only = row.kind == "shared" and col > first_answer
                if col > last_person:  # a Stand column: yellow where the question offers a state
                    cell.fill = answer_fill if row.states else grey_fill
                    if row.states:
                        state_list(row.states).add(cell.coordinate)
                    continue
                cell.fill = grey_fill if shared_only or row.id == "questionnaire" else answer_fill
            if row.kind != "option" and row.kind not in ("shared", "fact"):
                ws.cell(row=r, column=comment_col).fill = answer_fill
            if row.choices:
                if row.choices not in validations:
                    dv = DataValidation(type="list", formula1=list_formula(row.choices), allow_blank=True,
                                        showErrorMessage=row.kind not in ("fact", "shared"),
                                        errorTitle=label("invalid", lang), error=label("invalid_hint", lang))
                    validations[row.choices] = dv
                    ws.add_data_validation(dv)
                last = first_answer if row.kind == "shared" else last_person
                validations[row.choices].add(f"{get_column_letter(first_answer)}{r}:{get_column_letter(last)}{r}")
        widths = {1: 16, 2: 60, 3: 50, comment_col: 40}
        for col in range(1, comment_col + 1):
            ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 22)
        ws.freeze_panes = ws.cell(row=2, column=first_answer)

    facts = wb.create_sheet(label("facts", lang), 1)
    fill(facts, fact_rows(questionnaire, lang)[1:])
    names = dimension_sheet_names(questionnaire, lang)
    for dimension in questionnaire.dimensions:
        fill(wb.create_sheet(names[dimension.id]), question_rows(questionnaire, dimension, lang))
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(path, buffer.getvalue(), overwrite)


# --- import -----------------------------------------------------------------------------------------


@dataclass
class Table:
    """The cells of one sheet (or the CSV file), with how to name a cell in messages."""

    rows: list[list]
    sheet: str | None = None  # None for CSV
    formulas: set = field(default_factory=set)  # (row, col) of cells holding a formula
    states: dict = field(default_factory=dict)  # answer column -> its Stand column

    def where(self, row: int, col: int) -> Text:
        """"sheet 'Sicherheit', cell D7" or, for CSV, "row 7, column D", in both languages."""
        letter = _column_letter(col)
        if self.sheet is None:
            return Text(f"Zeile {row + 1}, Spalte {letter}", f"row {row + 1}, column {letter}")
        return Text(f"Blatt „{self.sheet}“, Zelle {letter}{row + 1}", f"sheet '{self.sheet}', cell {letter}{row + 1}")

    def cell(self, row: int, col: int):
        """The value at 0-based (row, col), None beyond the edge; a CSV's empty text counts as None."""
        try:
            value = self.rows[row][col]
        except IndexError:
            return None
        value = unsafe_cell(value)
        if isinstance(value, str) and not value.strip():
            return None
        return value


@dataclass
class ImportResult:
    """The answer sets read from a workshop file, one per respondent, and the answer columns left empty."""

    answer_sets: list[AnswerSet]
    questionnaire: Questionnaire
    empty_columns: list[tuple[int, str]] = field(default_factory=list)  # (person number, name if given)


Resolve = Callable[[str, str], Questionnaire]


def import_sheet(path: Path, resolve: Resolve) -> ImportResult:
    """Read a workshop workbook (.xlsx) or CSV table; raise ValidationError naming sheet and cell."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        tables = [_read_csv(path)]
    elif suffix in (".xlsx", ".xlsm"):
        tables = _read_workbook(path)
    else:
        old = suffix == ".xls"
        raise AssessError(Text(
            f"{path}: die Art der Datei ist nicht erkennbar; verwenden Sie eine Arbeitsmappe (.xlsx) oder eine "
            f"CSV-Datei (.csv)" + (" – eine alte .xls-Datei zuerst als .xlsx speichern" if old else ""),
            f"{path}: cannot tell the kind of file; use a workbook (.xlsx) or a CSV file (.csv)"
            + (" — save an old .xls file as .xlsx first" if old else "")))
    return _Importer(str(path), tables, resolve, suffix == ".csv").run()


def write_answer_sets(result: ImportResult, out_dir: Path, force: bool = False, suffix: str = ".yaml") -> list[Path]:
    """Write one answer file per respondent into `out_dir`, all or none; refuse to overwrite without `force`.

    Every file is made and read back with the one answer parser before anything is written; then all
    are written into a temporary folder beside `out_dir` and moved in at the end (assess.files)."""
    out_dir = Path(out_dir)
    names, used = [], set()
    for index, answer_set in enumerate(result.answer_sets, 1):
        person = answer_set.respondents[0] if answer_set.respondents else Respondent("")
        base = (slug(person.name)[:MAX_NAME] or slug(person.role)[:MAX_NAME]).strip("-") or f"person-{index}"
        if base in WINDOWS_DEVICES:  # "con.yaml" would be the console on Windows, not a file
            base = f"person-{base}"
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        names.append(f"{name}{suffix}")
    existing = [out_dir / name for name in names if (out_dir / name).exists()]
    if existing and not force:
        shown = ", ".join(str(p) for p in existing)
        raise OutputExistsError(Text(
            f"{shown} gibt es schon; es wurde nichts geschrieben. Wählen Sie einen anderen Ordner oder "
            f"überschreiben Sie mit --force",
            f"{shown} already exist(s); nothing was written. Choose another folder or add --force to overwrite"))
    contents = {name: _checked(answer_set, out_dir / name, result.questionnaire)
                for name, answer_set in zip(names, result.answer_sets)}
    return write_folder(out_dir, contents, overwrite=force)


MAX_NAME = 60  # characters of a person's name in an answer file's name
WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}


def _checked(answer_set: AnswerSet, path: Path, questionnaire: Questionnaire) -> bytes:
    """The answer file's bytes, after reading them back as `assess` will: whatever import writes, assess reads."""
    text = serialise(answer_set, path.suffix)
    c = Checker(str(path))
    try:
        data = c.mapping(parse_text(text, str(path)), 1, Text("Antwortdatei", "an answer file"))
        if data is not None:
            parse_answers(c, data, questionnaire)
        c.raise_if_errors()
    except ValidationError as exc:
        person = answer_set.respondents[0].name if answer_set.respondents else ""
        raise ValidationError([Problem(p.path, p.line, texts.both(
            "input.unreadable_result", person=_short(person, 60),
            problem=Text(in_language(p.message, "de"), in_language(p.message, "en"))))
            for p in exc.problems if not p.warning]) from None
    return text.encode("utf-8")


class _Importer:
    """Reads the tables of a workshop file into answer sets, collecting every problem."""

    def __init__(self, path: str, tables: list[Table], resolve: Resolve, is_csv: bool):
        self.path, self.tables, self.resolve, self.is_csv = path, tables, resolve, is_csv
        self.problems: list[Problem] = []
        self.located: list[tuple[tuple[int, int, int], Problem]] = []

    def error(self, table: Table, row: int, col: int, message: Text) -> None:
        """Record a problem at a cell; problems are reported in sheet, row, column order."""
        if table.sheet is None:
            letter = _column_letter(col)
            text = Text(f"Spalte {letter}: {message.de}", f"column {letter}: {message.en}")
            problem = Problem(self.path, row + 1, text)
        else:
            where = table.where(row, col)
            problem = Problem(self.path, None, Text(f"{where.de}: {message.de}", f"{where.en}: {message.en}"))
        self.located.append(((self.tables.index(table), row, col), problem))
        self.problems.append(problem)

    def fail(self) -> None:
        if self.problems:
            order = {id(p): key for key, p in self.located}
            raise ValidationError(sorted(self.problems, key=lambda p: order.get(id(p), (-1, 0, 0))))

    def run(self) -> ImportResult:
        layouts = [self._layout(t) for t in self.tables]
        self.fail()
        counts = {len(cols) for _, cols, _ in layouts}
        if len(counts) > 1:
            first = self.tables[0]
            for table, (header, cols, _) in zip(self.tables, layouts):
                if len(cols) != len(layouts[0][1]):
                    self.error(table, header, 3, Text(
                        f"hat {len(cols)} Antwortspalten, das Blatt „{first.sheet}“ aber {len(layouts[0][1])}; "
                        f"jedes Blatt braucht dieselben Personen-Spalten",
                        f"has {len(cols)} answer columns, but sheet '{first.sheet}' has {len(layouts[0][1])}; "
                        f"every sheet needs the same Person columns"))
            self.fail()
        questionnaire, _ = self._questionnaire(layouts)
        self.fail()
        if not self.is_csv:
            self._check_sheets(questionnaire)
        facts: dict[str, tuple[Table, int]] = {}
        question_rows: dict[str, tuple[Table, int]] = {}
        option_rows: dict[tuple[str, str], tuple[Table, int]] = {}
        questions = {q.id: q for q in questionnaire.questions}
        priorities = {f"priority.{d.id}": d.id for d in questionnaire.dimensions}
        for table, (header, _cols, _comment_col) in zip(self.tables, layouts):
            for r in range(header + 1, len(table.rows)):
                key = table.cell(r, 0)
                if key is None:
                    continue
                key = str(key).strip()
                if key in FACT_KEYS or key in priorities:
                    facts[key] = (table, r)
                elif key in questions:
                    if key in question_rows:
                        self.error(table, r, 0, Text(f"die Frage „{key}“ steht zweimal da; löschen Sie eine der Zeilen",
                                                     f"question '{key}' appears twice; delete one of the rows"))
                    question_rows[key] = (table, r)
                elif "." in key and key.split(".", 1)[0] in questions and questions[key.split(".", 1)[0]].type == "multi":
                    qid, oid = key.split(".", 1)
                    if questions[qid].option(oid) is None:
                        self.error(table, r, 0, Text(f"die Frage „{qid}“ hat keine Antwortmöglichkeit „{oid}“; "
                                                     f"ändern Sie die Spalte ID nicht",
                                                     f"question '{qid}' has no option '{oid}'; do not change the ID column"))
                    else:
                        option_rows[(qid, oid)] = (table, r)
                else:
                    self.error(table, r, 0, Text(
                        f"unbekannte Frage „{key}“: {questionnaire.ref} hat keine solche Frage; ändern Sie die "
                        f"Spalte ID nicht (löschen Sie die Zeile, wenn sie hinzugefügt wurde)",
                        f"unknown question '{key}': {questionnaire.ref} has no such question; "
                        f"do not change the ID column (delete the row if it was added)"))
        _, cols, _ = layouts[0]
        count = len(cols)
        layout_of = {id(t): lay for t, lay in zip(self.tables, layouts)}
        municipality = self._municipality(facts, layout_of)
        date = self._date(facts, layout_of)
        sets, empty = [], []
        for k in range(count):
            name = self._text(facts.get("respondent.name"), layout_of, k)
            role = self._text(facts.get("respondent.role"), layout_of, k)
            header_name = self._header_name(k, layouts[0])
            person = Respondent(name or header_name or "", role)
            prios = []
            for key, dim in priorities.items():
                value = self._priority(facts.get(key), layout_of, k)
                if value is not None:
                    prios.append((dim, value))
            answers = []
            for q in questionnaire.questions:
                answer = self._answer(q, question_rows.get(q.id), option_rows, layout_of, k, date)
                if answer is not None:
                    answers.append(answer)
            if not answers:
                empty.append((k + 1, name))
                continue
            sets.append(AnswerSet(questionnaire.ref, municipality, tuple(answers), date, (person,), tuple(prios)))
        self.fail()
        if not sets:
            raise ValidationError([Problem(self.path, None, Text(
                "in keiner Personen-Spalte stehen Antworten; füllen Sie die Antwortspalten aus",
                "no answers found in any Person column; fill in the answer columns"))])
        return ImportResult(sets, questionnaire, empty)

    # --- structure -------------------------------------------------------------------------------

    def _layout(self, table: Table) -> tuple[int, list[int], int | None]:
        """(header row, answer columns, comment column) of a table."""
        for r in range(min(len(table.rows), 20)):
            if normalise(str(table.cell(r, 0) or "")) == "id":
                header = table.rows[r]
                comment = next((c for c in range(3, len(header)) if normalise(str(unsafe_cell(header[c]) or "")) in all_labels("comment")), None)
                end = comment if comment is not None else len(header)
                while end > 3 and table.cell(r, end - 1) is None:
                    end -= 1
                cols = [c for c in range(3, end) if not _is_state_column(table.cell(r, c))]
                # The k-th Stand column belongs to the k-th answer column (older files have none).
                table.states = dict(zip(cols, [c for c in range(3, end) if _is_state_column(table.cell(r, c))]))
                if not cols:
                    self.error(table, r, 3, Text("nach der Spalte Hilfe folgt keine Antwortspalte (Person 1, …)",
                                                 "there is no answer column (Person 1, …) after the Help column"))
                return r, cols, comment
        self.error(table, 0, 0, Text(
            "keine Kopfzeile, die mit „ID“ beginnt; wurde das Blatt verändert? Erzeugen Sie ein neues mit „assess sheet export“",
            "no header row starting with 'ID' found; was the sheet changed? Export a new one with 'assess sheet export'"))
        return 0, [], None

    def _questionnaire(self, layouts) -> tuple[Questionnaire | None, tuple]:
        for table, (header, cols, _) in zip(self.tables, layouts):
            for r in range(header + 1, len(table.rows)):
                if str(table.cell(r, 0) or "").strip() == "questionnaire":
                    ref = str(table.cell(r, cols[0]) or "").strip()
                    qid, _, version = ref.partition("@")
                    if not qid or not version:
                        self.error(table, r, cols[0], Text(f"muss den Fragebogen wie „quickcheck@1.0“ nennen, nicht „{ref}“",
                                                           f"must name the questionnaire like 'quickcheck@1.0', not '{ref}'"))
                        return None, (table, r)
                    try:
                        return self.resolve(qid, version), (table, r)
                    except AssessError as exc:
                        self.error(table, r, cols[0], exc.message if isinstance(exc.message, Text) else Text(str(exc), str(exc)))
                        return None, (table, r)
        where = Text("das Blatt „Angaben“", "sheet 'Angaben' (Facts)") if not self.is_csv else Text("die Tabelle", "the table")
        self.problems.append(Problem(self.path, None, Text(
            f"{where.de} hat keine Zeile „questionnaire“; erzeugen Sie eine neue Datei mit „assess sheet export“",
            f"{where.en} has no row 'questionnaire'; export a new file with 'assess sheet export'")))
        return None, ()

    def _check_sheets(self, questionnaire: Questionnaire) -> None:
        """Every dimension needs its sheet (by its name in either language)."""
        present = {normalise(t.sheet or "") for t in self.tables}
        for dimension in questionnaire.dimensions:
            expected = {normalise(dimension_sheet_names(questionnaire, lang)[dimension.id]) for lang in LANGUAGES}
            if not present & expected:
                name = dimension_sheet_names(questionnaire, "de")[dimension.id]
                self.problems.append(Problem(self.path, None, Text(
                    f"das Blatt „{name}“ (Dimension „{dimension.id}“) fehlt; stellen Sie es wieder her oder erzeugen "
                    f"Sie eine neue Arbeitsmappe mit „assess sheet export“",
                    f"sheet '{name}' (dimension '{dimension.id}') is missing; "
                    f"restore it or export a new workbook with 'assess sheet export'")))
        self.fail()

    def _header_name(self, k: int, layout) -> str:
        """A name typed into the header instead of "Person N" on the first table, if any."""
        table = self.tables[0]
        header, cols, _ = layout
        text = str(table.cell(header, cols[k]) or "").strip()
        defaults = {normalise(texts.text("sheet.person", lang, n=k + 1)) for lang in LANGUAGES}
        return "" if normalise(text) in defaults else text

    # --- facts -----------------------------------------------------------------------------------

    def _fact(self, entry, layout_of, k: int = 0):
        if entry is None:
            return None, None, None
        table, r = entry
        col = layout_of[id(table)][1][k]
        if (r, col) in table.formulas:
            self.error(table, r, col, Text("enthält eine Formel; tragen Sie den Wert selbst ein",
                                           "contains a formula; type the value itself"))
            return None, table, (r, col)
        return table.cell(r, col), table, (r, col)

    def _text(self, entry, layout_of, k: int) -> str:
        value, _, _ = self._fact(entry, layout_of, k)
        return "" if value is None else _as_text(value)

    def _municipality(self, facts, layout_of) -> Municipality:
        name, table, at = self._fact(facts.get("municipality.name"), layout_of)
        if name is None:
            self._missing(facts, "municipality.name", layout_of, Text(
                "der Name der Gemeinde fehlt; tragen Sie ihn in der Spalte von Person 1 ein",
                "the municipality's name is missing; enter it in Person 1's column"))
        population, table, at = self._fact(facts.get("municipality.population"), layout_of)
        number = None
        if population is None:
            self._missing(facts, "municipality.population", layout_of, Text(
                "die Einwohnerzahl fehlt; tragen Sie sie ein, z. B. 12000",
                "the population is missing; enter the number of inhabitants, e.g. 12000"))
        else:
            number = _whole(population)
            if number is None or number <= 0:
                self.error(table, *at, Text(f"die Einwohnerzahl muss eine ganze Zahl über 0 sein, z. B. 12000, nicht „{population}“",
                                            f"the population must be a whole number above 0, like 12000, not '{population}'"))
                number = None
        state, table, at = self._fact(facts.get("municipality.state"), layout_of)
        code = ""
        if state is not None:
            code = parse_state(str(state)) or ""
            if not code:
                self.error(table, *at, Text(f"unbekanntes Land „{state}“; wählen Sie eines aus der Liste (z. B. Bayern) "
                                            f"oder schreiben Sie ein Kürzel wie BY",
                                            f"unknown federal state '{state}'; pick one from the list (e.g. Bayern) or write a code like BY"))
        ags, table, at = self._fact(facts.get("municipality.ags"), layout_of)
        ags_text = ""
        if ags is not None:
            # A number cell lost the leading zero (09162000 → 9162000); a fraction or infinity is no key.
            digits = _whole(ags) if isinstance(ags, (int, float)) and not isinstance(ags, bool) else None
            ags_text = str(digits).zfill(8) if digits is not None else str(ags)
            ags_text = normal_ags(ags_text) or ""
            if not ags_text:
                self.error(table, *at, Text(f"der Amtliche Gemeindeschlüssel (AGS) hat 8 Ziffern, z. B. 09162000, nicht „{ags}“",
                                            f"the official municipality key (AGS) has 8 digits, like 09162000, not '{ags}'"))
                ags_text = ""
        return Municipality(_as_text(name) if name is not None else "", number or 0, code, ags_text)

    def _missing(self, facts, key: str, layout_of, message: Text) -> None:
        entry = facts.get(key)
        if entry is None:
            self.problems.append(Problem(self.path, None, Text(f"die Zeile „{key}“ fehlt; {message.de}",
                                                               f"the row '{key}' is missing; {message.en}")))
        else:
            table, r = entry
            self.error(table, r, layout_of[id(table)][1][0], message)

    def _date(self, facts, layout_of) -> str:
        value, table, at = self._fact(facts.get("date"), layout_of)
        if value is None:
            return dt.date.today().isoformat()
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        text = str(value).strip()
        for parse in (dt.date.fromisoformat, lambda s: dt.datetime.strptime(s, "%d.%m.%Y").date()):
            try:
                return parse(text[:10]).isoformat()
            except ValueError:
                continue
        self.error(table, *at, Text(f"„{text}“ ist kein Datum; schreiben Sie es wie 23.11.2026 oder 2026-11-23",
                                    f"'{text}' is not a date; write it like 2026-11-23 or 23.11.2026"))
        return ""

    def _priority(self, entry, layout_of, k: int) -> int | None:
        value, table, at = self._fact(entry, layout_of, k)
        if value is None and k > 0:
            value, table, at = self._fact(entry, layout_of, 0)
        if value is None:
            return None
        number = parse_number(_as_text(value), integer=True)
        if number is None or not 1 <= number <= 5:
            self.error(table, *at, Text(f"die Priorität muss eine ganze Zahl von 1 bis 5 sein, nicht „{value}“",
                                        f"the priority must be a whole number from 1 to 5, not '{value}'"))
            return None
        return number

    # --- answers ---------------------------------------------------------------------------------

    def _answer(self, q: Question, entry, option_rows, layout_of, k: int, today: str = "") -> Answer | None:
        if entry is None:
            return None
        table, r = entry
        _, cols, comment_col = layout_of[id(table)]
        col = cols[k]
        if (r, col) in table.formulas:
            self.error(table, r, col, Text("enthält eine Formel; tragen Sie die Antwort selbst ein (Auswahl aus der Liste)",
                                           "contains a formula; type the answer itself (choose from the list)"))
            return None
        raw = table.cell(r, col)
        comment = _as_text(table.cell(r, comment_col)) if comment_col is not None and table.cell(r, comment_col) is not None else ""
        value = self._value(q, raw, table, r, col, option_rows, layout_of, k)
        if value is None:
            return None
        state_col = table.states.get(col)
        typed = table.cell(r, state_col) if state_col is not None else None
        if typed is None:
            return Answer(q.id, value, comment)
        if (r, state_col) in table.formulas:
            self.error(table, r, state_col, Text("enthält eine Formel; tragen Sie den Stand selbst ein",
                                                 "contains a formula; type the state itself"))
            return None
        state = parse_answer_state(_as_text(typed))
        if state is None:
            offered = " | ".join(state_choices(q, "de")) or "–"
            self.error(table, r, state_col, Text(
                f"„{_as_text(typed)}“ ist kein Stand der Antwort auf „{q.id}“; möglich sind: {offered} "
                f"(bei „in Umsetzung“ optional „bis 06/2027“, bei „veraltet“ das Jahr); oder lassen Sie die Zelle leer",
                f"'{_as_text(typed)}' is not a state of the answer to '{q.id}'; possible: "
                f"{' | '.join(state_choices(q, 'en')) or '–'} (with 'in progress' optionally 'by 2027-06', with "
                f"'outdated' the year), or leave the cell empty"))
            return None
        answer, problems = read_answer(q, value, state, today=today, comment=comment)  # the workbook's date, not the clock
        if answer is None:
            for problem in problems:
                self.error(table, r, state_col, Text(in_language(problem.message, "de"), in_language(problem.message, "en")))
        return answer

    def _value(self, q: Question, raw, table: Table, r: int, col: int, option_rows, layout_of, k: int):
        lang_words = _special(raw)
        if q.type == "multi":
            return self._multi(q, raw, table, r, col, option_rows, layout_of, k)
        if raw is None:
            return None
        if lang_words:
            return self._special_ok(q, lang_words, table, r, col)
        typed = normalise(_as_text(raw))
        if q.type == "single":
            for option in q.options:
                if typed in (normalise(option.text.de), normalise(option.text.en), option.id):
                    return option.id
            choices = [_short(o.text.get("de"), 40) for o in q.options] + (["weiß nicht"] if q.allow_unknown else [])
            listed = " | ".join(choices)
            self.error(table, r, col, Text(
                f"„{_as_text(raw)}“ ist keine Antwort auf die Frage „{q.id}“ ({_short(q.text.de)}); "
                f"wählen Sie aus der Liste: {listed}",
                f"'{_as_text(raw)}' is not an answer to question '{q.id}' ({_short(q.text.de)}); choose from the list: {listed}"))
            return None
        if q.type == "yesno":
            if isinstance(raw, bool):
                return raw
            if typed in YES_WORDS:
                return True
            if typed in NO_WORDS:
                return False
            self.error(table, r, col, Text(f"die Frage „{q.id}“ ({_short(q.text.de)}) erwartet ja oder nein, nicht „{_as_text(raw)}“",
                                           f"question '{q.id}' ({_short(q.text.de)}) expects ja or nein (yes/no), not '{_as_text(raw)}'"))
            return None
        if q.type == "number":
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                number = raw if isinstance(raw, int) or not raw.is_integer() else int(raw)
            else:
                number = parse_number(_as_text(raw))
            if number is not None and not reasonable_number(number):
                self.error(table, r, col, texts.both("input.number_unreasonable", q=q.id, text=_short(q.text.de),
                                                     value=_short(_as_text(raw), 40)))
                return None
            if number is None:
                self.error(table, r, col, Text(f"die Frage „{q.id}“ ({_short(q.text.de)}) erwartet eine Zahl, nicht „{_as_text(raw)}“",
                                               f"question '{q.id}' ({_short(q.text.de)}) expects a number, not '{_as_text(raw)}'"))
            return number
        return _as_text(raw)

    def _special_ok(self, q: Question, value: str, table: Table, r: int, col: int):
        if value == UNKNOWN and not q.allow_unknown:
            self.error(table, r, col, Text(f"die Frage „{q.id}“ lässt „weiß nicht“ nicht zu; wählen Sie eine Antwort",
                                           f"question '{q.id}' does not allow 'weiß nicht' (don't know); choose an answer"))
            return None
        if value == NOT_APPLICABLE and not q.allow_not_applicable:
            self.error(table, r, col, Text(f"die Frage „{q.id}“ lässt „trifft nicht zu“ nicht zu; wählen Sie eine Antwort oder „weiß nicht“",
                                           f"question '{q.id}' does not allow 'trifft nicht zu' (not applicable); choose an answer or 'weiß nicht'"))
            return None
        return value

    def _multi(self, q: Question, raw, table: Table, r: int, col: int, option_rows, layout_of, k: int):
        special = _special(raw)
        if raw is not None and not special:
            self.error(table, r, col, Text(
                f"die Frage „{q.id}“ beantworten Sie in den Zeilen der Antwortmöglichkeiten darunter (ja/nein); "
                f"diese Zelle nimmt nur „weiß nicht“ oder „trifft nicht zu“, nicht „{_as_text(raw)}“",
                f"for question '{q.id}' answer in the option rows below (ja/nein); "
                f"this cell takes only 'weiß nicht' or 'trifft nicht zu', not '{_as_text(raw)}'"))
            return None
        ticked, seen = [], False
        for option in q.options:
            entry = option_rows.get((q.id, option.id))
            if entry is None:
                self.error(table, r, 0, Text(f"die Zeile „{q.id}.{option.id}“ für „{option.text.de}“ fehlt; löschen Sie "
                                             f"keine Zeilen von Antwortmöglichkeiten",
                                             f"the row '{q.id}.{option.id}' for option '{option.text.de}' is missing; do not delete option rows"))
                return None
            otable, orow = entry
            ocol = layout_of[id(otable)][1][k]
            if (orow, ocol) in otable.formulas:
                self.error(otable, orow, ocol, Text("enthält eine Formel; tragen Sie ja oder nein ein",
                                                    "contains a formula; type ja or nein"))
                continue
            value = otable.cell(orow, ocol)
            if value is None:
                continue
            typed = normalise(_as_text(value))
            if value is True or typed in YES_WORDS:
                ticked.append(option.id)
                seen = True
            elif value is False or typed in NO_WORDS:
                seen = True
            else:
                self.error(otable, orow, ocol, Text(
                    f"„{option.text.de}“ (Frage „{q.id}“) nimmt ja oder nein, nicht „{_as_text(value)}“",
                    f"option '{option.text.de}' of question '{q.id}' takes ja or nein (yes/no), not '{_as_text(value)}'"))
        if special:
            if ticked:
                self.error(table, r, col, Text(
                    f"bei der Frage „{q.id}“ steht „{_as_text(raw)}“, darunter sind aber Antwortmöglichkeiten "
                    f"angekreuzt; behalten Sie eines von beiden",
                    f"question '{q.id}' says '{_as_text(raw)}' but options are ticked below; keep one of the two"))
                return None
            return self._special_ok(q, special, table, r, col)
        if not seen:
            return None
        conflict = q.exclusive_conflict(ticked)
        if conflict is not None:
            entry = option_rows[(q.id, conflict.id)]
            self.error(entry[0], entry[1], layout_of[id(entry[0])][1][k],
                       Text(f"„{conflict.text.de}“ (Frage „{q.id}“) lässt sich nicht mit anderen Antworten kombinieren",
                            f"option '{conflict.text.de}' of question '{q.id}' cannot be combined with other options"))
            return None
        return tuple(ticked)


# --- reading files ----------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # what Excel on Windows writes as "CSV"
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list] = []
    limit, where = _Limit(str(path)), texts.both("limits.the_table")
    try:
        for row in reader:
            while row and not row[-1]:  # empty cells at the end of a row (a spreadsheet's trailing ;;;) cost nothing
                row.pop()
            limit.row(where, len(rows), len(row), reader.line_num)
            rows.append(row)
    except csv.Error as exc:  # a cell over csv's field limit (MAX_CELL_CHARS), a NUL byte
        line = reader.line_num or 1
        if "field larger" in str(exc):
            problem = texts.both("limits.cell_too_long", limit=limits.count(MAX_CELL_CHARS))
        else:
            problem = texts.both("limits.csv_unreadable", detail=str(exc))
        raise ValidationError([Problem(str(path), line, problem)]) from None
    return Table(rows)


class _Limit:
    """Counts the rows and cells of a file's tables while they are read; refuses the file past MAX_ROWS
    rows or MAX_COLUMNS columns in one table, or MAX_CELLS cells in all."""

    def __init__(self, path: str):
        self.path, self.cells = path, 0

    def row(self, where: Text, index: int, width: int, line: int | None = None) -> None:
        """Count row `index` (0-based) of `width` cells of the table named `where`."""
        if index >= MAX_ROWS:
            self._refuse(line, texts.both("limits.too_many_rows", where=where, limit=limits.count(MAX_ROWS)))
        if width > MAX_COLUMNS:
            self._refuse(line, texts.both("limits.too_many_columns", where=where, limit=limits.count(MAX_COLUMNS)))
        self.cells += width
        if self.cells > MAX_CELLS:
            self._refuse(line, texts.both("limits.too_many_cells", limit=limits.count(MAX_CELLS)))

    def _refuse(self, line, message: Text):
        raise ValidationError([Problem(self.path, line, message)])


def _read_workbook(path: Path) -> list[Table]:
    """The tables of a workbook, read as a stream after its zip parts and sheet sizes were checked."""
    openpyxl = _openpyxl()

    raw = read_bytes(path)
    _check_zip(raw, str(path))
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        try:
            return _tables(wb, str(path))
        finally:
            wb.close()
    except ValidationError:
        raise
    except Exception as exc:  # zip, key and value errors, and openpyxl's own InvalidFileException and friends
        raise ValidationError([Problem(str(path), None, texts.both("limits.not_a_workbook", detail=_short(str(exc), 200)))]) from None


def _check_zip(raw: bytes, path: str) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_BYTES or are packed suspiciously
    tight (a zip bomb), before anything is unpacked."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError([Problem(path, None, texts.both("limits.not_a_workbook", detail=str(exc)))]) from None
    if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise ValidationError([Problem(path, None, texts.both("limits.unpacked_too_big", limit=limits.megabytes(MAX_UNPACKED_BYTES)))])
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > limits.PACK_RATIO_FROM and ratio > MAX_PACK_RATIO:
            raise ValidationError([Problem(path, None, texts.both(
                "limits.packed_too_tight", part=_short(part.filename, 60), ratio=limits.count(int(ratio)),
                limit=limits.count(MAX_PACK_RATIO)))])


def _tables(wb, path: str) -> list[Table]:
    if len(wb.worksheets) > MAX_SHEETS:
        raise ValidationError([Problem(path, None, texts.both("limits.too_many_sheets", count=limits.count(len(wb.worksheets)),
                                                              limit=limits.count(MAX_SHEETS)))])
    names = {normalise(ws.title): ws for ws in wb.worksheets}
    facts = next((names[n] for n in (normalise(texts.text("sheet.facts", lang)) for lang in LANGUAGES) if n in names), None)
    if facts is None:
        raise ValidationError([Problem(path, None, Text(
            "das Blatt „Angaben“ fehlt; es enthält die Angaben zur Gemeinde und den Fragebogen – erzeugen Sie eine "
            "neue Arbeitsmappe mit „assess sheet export“",
            "sheet 'Angaben' (Facts) is missing; it holds the municipality's "
            "facts and the questionnaire — export a new workbook with 'assess sheet export'"))])
    skip = {normalise(texts.text("sheet.instructions", lang)) for lang in LANGUAGES}
    chosen = [facts] + [ws for ws in wb.worksheets if ws is not facts and ws.sheet_state == "visible"
                        and normalise(ws.title) not in skip and _looks_like_table(ws)]
    for ws in chosen:  # the size each sheet claims, before a single row is read
        rows, columns = ws.max_row or 0, ws.max_column or 0
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise ValidationError([Problem(path, None, texts.both(
                "limits.sheet_too_big", sheet=ws.title, rows=limits.count(rows), columns=limits.count(columns),
                max_rows=limits.count(MAX_ROWS), max_columns=limits.count(MAX_COLUMNS)))])
    limit = _Limit(path)
    return [_table(ws, limit) for ws in chosen]


def _looks_like_table(ws) -> bool:
    for row in ws.iter_rows(min_row=1, max_row=20, max_col=1, values_only=True):
        if row and normalise(str(row[0] or "")) == "id":
            return True
    return False


def _table(ws, limit: _Limit) -> Table:
    ws.reset_dimensions()  # read the rows there are, not the size the sheet claims (checked above)
    rows, formulas = [], set()
    where, path = texts.both("limits.the_sheet", sheet=ws.title), limit.path
    for r, row in enumerate(ws.iter_rows()):
        width = len(row)
        while width and row[width - 1].value is None:  # empty cells at the end of a row cost nothing
            width -= 1
        limit.row(where, r, width)
        values = []
        for c, cell in enumerate(row[:width]):
            if cell.data_type == "f":
                formulas.add((r, c))
            value = cell.value
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                at, why = Table([], ws.title).where(r, c), texts.both("limits.cell_too_long", limit=limits.count(MAX_CELL_CHARS))
                raise ValidationError([Problem(path, None, Text(f"{at.de}: {why.de}", f"{at.en}: {why.en}"))])
            values.append(value)
        rows.append(values)
    return Table(rows, ws.title, formulas)


# --- small helpers ----------------------------------------------------------------------------------


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError("openpyxl", "xlsx", Text("Das Lesen und Schreiben von Arbeitsmappen", "Reading and writing workbooks")) from None
    return openpyxl


def _column_letter(col: int) -> str:
    letters, n = "", col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _whole(value) -> int | None:
    """A cell's whole number of reasonable size (12000, 12000.0 or "12.000"); None for anything else —
    a fraction is never truncated, infinity and 400-digit numbers never pass."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if reasonable_number(value) and value.is_integer() else None
    elif not isinstance(value, int):
        value = parse_number(str(value), integer=True)
    return value if value is not None and reasonable_number(value) else None


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def _is_state_column(header) -> bool:
    """Whether a header cell names a Stand column ("Stand (Person 2)", "State (person 2)", also renamed
    "Stand Maier") – the word itself, so that a person column named "Standesamt" stays an answer column."""
    text = normalise(str(header or ""))
    return any(re.match(re.escape(normalise(texts.text("label.state", lang))) + r"\b", text) for lang in LANGUAGES)


def _special(raw) -> str:
    """UNKNOWN or NOT_APPLICABLE when a cell says so in either language, else ""."""
    if raw is None or isinstance(raw, (bool, int, float)):
        return ""
    typed = normalise(raw)
    if typed in UNKNOWN_WORDS:
        return UNKNOWN
    if typed in NOT_APPLICABLE_WORDS:
        return NOT_APPLICABLE
    return ""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

