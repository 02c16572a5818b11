"""Spreadsheet workshops: XLSX and CSV export and import, precise errors, no overwriting, no formulas."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import load_answers
from assess.capture.sheet import (
    export_csv,
    export_workbook,
    import_sheet,
    safe_cell,
    unsafe_cell,
    write_answer_sets,
)
from assess.cli import cli
from assess.errors import MissingExtraError, NotFoundError, OutputExistsError, ValidationError
from assess.loading import load_questionnaire
from assess.model import Text

openpyxl = pytest.importorskip("openpyxl")

DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
TRICKY = DATA / "capture" / "questionnaires" / "tricky" / "questionnaire.yaml"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]


def run(*args):
    return CliRunner().invoke(cli, [*SEARCH, *map(str, args)])


@pytest.fixture
def mini():
    return load_questionnaire(MINI)


def resolve_with(*questionnaires):
    def resolve(qid, version):
        for q in questionnaires:
            if q.id == qid:
                if q.version != version:
                    raise NotFoundError(f"the answer file is for {qid}@{version}, but the installed questionnaire is {q.ref}")
                return q
        raise NotFoundError(f"no questionnaire '{qid}' is installed")
    return resolve


def row_of(ws, key: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == key:
            return row[0].row
    raise KeyError(key)


def put(ws, key: str, *values) -> int:
    """Write values into the answer columns (D, E, …) of the row with this ID; return the row."""
    r = row_of(ws, key)
    for i, value in enumerate(values):
        if value is not None:
            ws.cell(row=r, column=4 + i, value=value)
    return r


def workshop(path: Path, questionnaire, respondents=3, lang="de"):
    export_workbook(questionnaire, path, respondents, lang)
    return openpyxl.load_workbook(path)


def filled(tmp_path, mini) -> Path:
    """A workbook as three people fill it in during a workshop."""
    path = tmp_path / "workshop.xlsx"
    wb = workshop(path, mini)
    facts, strategy, security = wb["Angaben"], wb["Strategie"], wb["Sicherheit"]
    put(facts, "municipality.name", "Testdorf")
    put(facts, "municipality.population", 3000)
    put(facts, "municipality.state", "Bayern")
    put(facts, "municipality.ags", "09123456")
    put(facts, "respondent.name", "Erika Muster", "Max Meier", "Ida Roth")
    put(facts, "respondent.role", "Hauptamt", "IT", "Bürgermeister/in")
    put(facts, "priority.strategy", 5, 3)
    put(strategy, "str_strategy", "Nein", "Beschlossen", "Entwurf")
    put(strategy, "str_budget", "ja", "nein", True)
    put(strategy, "str_goals.services", None, "ja", "ja")
    put(strategy, "str_goals.skills", None, "nein", "x")
    r = put(strategy, "str_notes", None, "-Text, der mit Minus beginnt", None)
    strategy.cell(row=r, column=10, value="Kommentar zur Frage")  # after 3 answer and 3 Stand columns
    put(security, "sec_backup", "Gar nicht", "Offline und getestet", "weiß nicht")
    put(security, "sec_mfa", "Ja", "JA", "nein")
    put(security, "sec_staff", 2, "2,5", "trifft nicht zu")
    wb.save(path)
    return path


# --- export -------------------------------------------------------------------------------------


def test_workbook_layout(tmp_path, mini):
    wb = workshop(tmp_path / "w.xlsx", mini, respondents=5)
    assert wb.sheetnames == ["Anleitung", "Angaben", "Listen", "Strategie", "Sicherheit"]
    assert wb["Listen"].sheet_state == "hidden"
    ws = wb["Sicherheit"]
    header = [c.value for c in ws[1]]
    assert header == ["ID", "Frage", "Hilfe", "Person 1", "Person 2", "Person 3", "Person 4", "Person 5",
                      "Stand (Person 1)", "Stand (Person 2)", "Stand (Person 3)", "Stand (Person 4)", "Stand (Person 5)",
                      "Anmerkung"]
    r = row_of(ws, "sec_backup")
    assert ws.cell(row=r, column=2).value == "Wie wird gesichert?"
    assert "eine Antwort aus der Liste" in ws.cell(row=r, column=3).value
    validation = next(dv for dv in ws.data_validations.dataValidation if f"D{r}" in str(dv.sqref))
    assert validation.type == "list" and str(validation.sqref) == f"D{r}:H{r}"
    col = validation.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    choices = [c.value for c in wb["Listen"][col] if c.value]
    assert choices == ["Gar nicht", "Nur online", "Offline und getestet", "weiß nicht"]
    assert ws.cell(row=row_of(ws, "sec_staff"), column=3).value.startswith("→ eine Zahl (Personen)")
    strategy = wb["Strategie"]
    goals = strategy.cell(row=row_of(strategy, "str_goals"), column=3).value
    assert goals.startswith("Nur beantworten, wenn: „Gibt es eine Digitalstrategie?“: „Entwurf“ oder „Beschlossen“")
    assert strategy.cell(row=row_of(strategy, "str_goals.nothing"), column=2).value == "  ☐ Keine"
    facts = wb["Angaben"]
    assert facts.cell(row=row_of(facts, "questionnaire"), column=4).value == "mini@1.0"


def test_english_workbook(tmp_path, mini):
    wb = workshop(tmp_path / "w.xlsx", mini, respondents=1, lang="en")
    assert wb.sheetnames == ["Instructions", "Facts", "Lists", "Strategy", "Security"]
    assert [c.value for c in wb["Facts"][1]] == ["ID", "Question", "Help", "Person 1", "State (person 1)", "Comment"]


def test_formula_like_texts_are_written_as_text(tmp_path):
    tricky = load_questionnaire(TRICKY)
    wb = workshop(tmp_path / "w.xlsx", tricky, respondents=1)
    ws = wb.worksheets[3]
    assert ws.title == "Formeln & <b>Tags< b>"  # "/" is not allowed in sheet names
    cell = ws.cell(row=row_of(ws, "f_choice"), column=2)
    assert cell.value.startswith("=HYPERLINK(") and cell.data_type == "s"  # shown as text, never run
    assert ws.cell(row=row_of(ws, "f_choice"), column=3).value.startswith("→")  # help: condition/type first
    listed = {c.value for col in wb["Listen"].iter_cols() for c in col if c.value}
    assert {"-niedrig", "@mittel", "=1+1"} <= listed
    assert not any(c.data_type == "f" for s in wb.worksheets for row in s.iter_rows() for c in row)
    export_csv(tricky, tmp_path / "w.csv", 1)
    rows = list(csv.reader(io.StringIO((tmp_path / "w.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert next(r for r in rows if r[0] == "f_choice")[1].startswith("'=HYPERLINK(")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+49 89", "'+49 89"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("Text", "Text"), ("'quoted", "'quoted"), (3, 3)])
def test_safe_cell_round_trip(value, safe):
    assert safe_cell(value) == safe
    assert unsafe_cell(safe) == value


# --- import -------------------------------------------------------------------------------------


def test_import_gives_one_answer_set_per_respondent(tmp_path, mini):
    result = import_sheet(filled(tmp_path, mini), resolve_with(mini))
    assert [s.respondents[0].name for s in result.answer_sets] == ["Erika Muster", "Max Meier", "Ida Roth"]
    erika, max_, ida = result.answer_sets
    assert erika.municipality.name == "Testdorf" and erika.municipality.state == "BY"
    assert erika.municipality.ags == "09123456" and erika.municipality.population == 3000
    assert erika.priorities == (("strategy", 5),) and max_.priorities == (("strategy", 3),)
    assert ida.priorities == (("strategy", 5),)  # empty: as Person 1
    value = lambda s, q: s.answer(q).value if s.answer(q) else None  # noqa: E731
    assert [value(s, "str_strategy") for s in result.answer_sets] == ["none", "adopted", "draft"]
    assert [value(s, "str_budget") for s in result.answer_sets] == [True, False, True]
    assert [value(s, "str_goals") for s in result.answer_sets] == [None, ("services",), ("services", "skills")]
    assert value(max_, "str_notes") == "-Text, der mit Minus beginnt"
    assert max_.answer("str_notes").comment == "Kommentar zur Frage"
    assert [value(s, "sec_backup") for s in result.answer_sets] == ["none", "offline", "unknown"]
    assert [value(s, "sec_mfa") for s in result.answer_sets] == [True, True, False]
    assert [value(s, "sec_staff") for s in result.answer_sets] == [2, 2.5, "not_applicable"]


def test_import_command_writes_files_that_assess_reads(tmp_path, mini):
    out = tmp_path / "antworten"
    result = run("sheet", "import", filled(tmp_path, mini), "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{out / 'erika-muster.yaml'} geschrieben: Erika Muster (Hauptamt), Antworten: 5" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["erika-muster.yaml", "ida-roth.yaml", "max-meier.yaml"]
    answers, _ = load_answers(out / "max-meier.yaml", resolve_with(mini))
    assert answers.answer("sec_backup").value == "offline"
    assert run("report", out / "ida-roth.yaml", "-o", tmp_path / "r.html").exit_code == 0


def test_import_never_overwrites_without_force(tmp_path, mini):
    out = tmp_path / "antworten"
    book = filled(tmp_path, mini)
    assert run("sheet", "import", book, "-o", out).exit_code == 0
    (out / "max-meier.yaml").write_text("# edited by hand\n", encoding="utf-8")
    again = run("sheet", "import", book, "-o", out)
    assert again.exit_code == 1
    assert "gibt es schon; es wurde nichts geschrieben. Wählen Sie einen anderen Ordner oder überschreiben Sie mit --force" in again.output
    assert (out / "max-meier.yaml").read_text(encoding="utf-8") == "# edited by hand\n"
    assert run("sheet", "import", book, "-o", out, "--force").exit_code == 0
    assert (out / "max-meier.yaml").read_text(encoding="utf-8").startswith("questionnaire: mini@1.0")


def test_write_answer_sets_names_files_uniquely(tmp_path, mini):
    result = import_sheet(filled(tmp_path, mini), resolve_with(mini))
    result.answer_sets[1] = result.answer_sets[0]
    paths = write_answer_sets(result, tmp_path / "o", suffix=".json")
    assert [p.name for p in paths] == ["erika-muster.json", "erika-muster-2.json", "ida-roth.json"]
    with pytest.raises(OutputExistsError):
        write_answer_sets(result, tmp_path / "o", suffix=".json")


def test_csv_round_trip(tmp_path, mini):
    path = tmp_path / "workshop.csv"
    assert run("sheet", "export", "mini", "-o", path, "--respondents", "2").exit_code == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["ID", "Frage", "Hilfe", "Person 1", "Person 2", "Stand (Person 1)", "Stand (Person 2)", "Anmerkung"]
    values = {"municipality.name": ["Testdorf", ""], "municipality.population": ["3.000", ""],
              "respondent.name": ["Erika", "Max"], "str_strategy": ["Entwurf", "beschlossen"],
              "str_goals.services": ["ja", "nein"], "str_goals.processes": ["", "nein"], "sec_staff": ["1,5", "weiss nicht"]}
    for row in rows:
        if row[0] in values:
            row[3:5] = values[row[0]]
    # as a spreadsheet program on Windows saves it: commas, Windows-1252
    out = io.StringIO()
    csv.writer(out, delimiter=",").writerows(rows)
    path.write_bytes(out.getvalue().encode("cp1252", errors="replace"))
    result = import_sheet(path, resolve_with(mini))
    erika, max_ = result.answer_sets
    assert erika.municipality.population == 3000
    assert erika.answer("str_strategy").value == "draft" and max_.answer("str_strategy").value == "adopted"
    assert erika.answer("str_goals").value == ("services",) and max_.answer("str_goals").value == ()
    assert erika.answer("sec_staff").value == 1.5 and max_.answer("sec_staff").value == "unknown"


def test_answer_states_round_trip_through_the_workbook_and_csv(tmp_path, mini):
    """The Stand column: picked from its list or typed, it reaches the answer file through the one answer
    parser – and what the parser refuses is named with sheet and cell."""
    path = tmp_path / "stand.xlsx"
    wb = workshop(path, mini, respondents=2)
    facts, strategy, security = wb["Angaben"], wb["Strategie"], wb["Sicherheit"]
    put(facts, "municipality.name", "Testdorf")
    put(facts, "municipality.population", 3000)
    r = put(strategy, "str_strategy", "Beschlossen", "Entwurf")
    strategy.cell(row=r, column=6, value="vorhanden, aber veraltet (Stand 2008)")
    strategy.cell(row=r, column=7, value="geplant / beschlossen")
    r = put(strategy, "str_budget", "nein", "ja")
    strategy.cell(row=r, column=6, value="in Umsetzung bis 06/2027")
    r = put(security, "sec_backup", "Nur online", "Gar nicht")
    security.cell(row=r, column=6, value="in Umsetzung (bis MM/JJJJ)")  # picked from the list as it is
    # the dropdown of the Stand column offers what the question allows: str_strategy is a document
    listed = next(dv for dv in strategy.data_validations.dataValidation if f"F{row_of(strategy, 'str_strategy')}" in str(dv.sqref))
    col = listed.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [c.value for c in wb["Listen"][col] if c.value] == [
        "geplant / beschlossen", "in Umsetzung (bis MM/JJJJ)", "vorhanden, aber veraltet (Stand JJJJ)"]
    wb.save(path)
    first, second = import_sheet(path, resolve_with(mini)).answer_sets
    assert (first.answer("str_strategy").value, first.answer("str_strategy").outdated) == ("adopted", 2008)
    assert (second.answer("str_strategy").progress, second.answer("str_strategy").toward) == ("planned", "adopted")
    budget = first.answer("str_budget")
    assert (budget.value, budget.progress, budget.toward, budget.until) == (False, "in_progress", True, "2027-06")
    backup = first.answer("sec_backup")
    assert (backup.progress, backup.toward, backup.until) == ("in_progress", "offline", "")
    assert second.answer("str_budget").progress == "" and second.answer("sec_backup").progress == ""
    written = write_answer_sets(import_sheet(path, resolve_with(mini)), tmp_path / "out")
    again, _ = load_answers(written[0], resolve_with(mini))
    assert again.answer("str_budget") == budget and again.answer("str_strategy").outdated == 2008

    # the same through CSV, and the parser's refusals named with the cell
    csv_path = tmp_path / "stand.csv"
    export_csv(mini, csv_path, 1)
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][3:6] == ["Person 1", "Stand (Person 1)", "Anmerkung"]
    cells = {"municipality.name": ["Testdorf", ""], "municipality.population": ["3000", ""],
             "str_strategy": ["Entwurf", "veraltet 2008"], "sec_backup": ["Offline und getestet", "geplant"],
             "sec_mfa": ["nein", "bald"]}
    for row in rows:
        if row[0] in cells:
            row[3:5] = cells[row[0]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    problems = errors(csv_path, mini)
    assert any("column E" in p and "sec_backup" in p and "already the best" in p for p in problems), problems
    assert any("column E" in p and "'bald' is not a state" in p for p in problems), problems
    for row in rows:
        if row[0] in ("sec_backup", "sec_mfa"):
            row[4] = ""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    (only,) = import_sheet(csv_path, resolve_with(mini)).answer_sets
    assert (only.answer("str_strategy").value, only.answer("str_strategy").outdated) == ("draft", 2008)


def test_a_workbook_without_stand_columns_still_reads(tmp_path, mini):
    """Workbooks exported before the Stand column existed: the answer columns are found as before."""
    path = tmp_path / "alt.csv"
    rows = [["ID", "Frage", "Hilfe", "Person 1", "Anmerkung"], ["questionnaire", "", "", "mini@1.0", ""],
            ["municipality.name", "", "", "Altdorf", ""], ["municipality.population", "", "", "900", ""],
            ["str_strategy", "", "", "Entwurf", "alte Notiz"]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    (only,) = import_sheet(path, resolve_with(mini)).answer_sets
    assert only.answer("str_strategy").value == "draft" and only.answer("str_strategy").comment == "alte Notiz"


# --- bad input: every problem named with sheet and cell -----------------------------------------------


def errors(path, *questionnaires) -> list[str]:
    """The problems of an import, in English; each must exist in German too (the default for the user)."""
    with pytest.raises(ValidationError) as info:
        import_sheet(path, resolve_with(*questionnaires))
    for problem in info.value.problems:
        assert isinstance(problem.message, Text) and problem.message.de, f"no German text: {problem}"
    return [str(p) for p in info.value.problems]


def test_invalid_values_are_named_with_sheet_and_cell(tmp_path, mini):
    path = filled(tmp_path, mini)
    wb = openpyxl.load_workbook(path)
    r_backup = put(wb["Sicherheit"], "sec_backup", None, "Vielleicht")
    r_mfa = put(wb["Sicherheit"], "sec_mfa", None, None, "manchmal")
    r_staff = put(wb["Sicherheit"], "sec_staff", "zwei")
    r_goal = put(wb["Strategie"], "str_goals.nothing", None, "ja")
    r_pop = put(wb["Angaben"], "municipality.population", "viele")
    wb.save(path)
    assert errors(path, mini) == [
        f"{path}: sheet 'Angaben', cell D{r_pop}: the population must be a whole number above 0, like 12000, not 'viele'",
        f"{path}: sheet 'Strategie', cell E{r_goal}: option 'Keine' of question 'str_goals' cannot be combined with other options",
        f"{path}: sheet 'Sicherheit', cell E{r_backup}: 'Vielleicht' is not an answer to question 'sec_backup' "
        "(Wie wird gesichert?); choose from the list: Gar nicht | Nur online | Offline und getestet | weiß nicht",
        f"{path}: sheet 'Sicherheit', cell F{r_mfa}: question 'sec_mfa' (MFA für Fernzugriff?) expects ja or nein (yes/no), not 'manchmal'",
        f"{path}: sheet 'Sicherheit', cell D{r_staff}: question 'sec_staff' (Wie viele Personen kümmern sich um IT?) expects a number, not 'zwei'",
    ]


def test_the_import_command_names_problems_in_german_by_default(tmp_path, mini):
    path = filled(tmp_path, mini)
    wb = openpyxl.load_workbook(path)
    r_backup = put(wb["Sicherheit"], "sec_backup", None, "Vielleicht")
    r_pop = put(wb["Angaben"], "municipality.population", "viele")
    wb.save(path)
    result = run("sheet", "import", path, "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: Blatt „Angaben“, Zelle D{r_pop}: die Einwohnerzahl muss eine ganze Zahl über 0 sein, z. B. 12000, "
        "nicht „viele“",
        f"{path}: Blatt „Sicherheit“, Zelle E{r_backup}: „Vielleicht“ ist keine Antwort auf die Frage „sec_backup“ "
        "(Wie wird gesichert?); wählen Sie aus der Liste: Gar nicht | Nur online | Offline und getestet | weiß nicht",
        "2 Fehler gefunden.",
    ]
    assert not (tmp_path / "o").exists()


def test_not_offered_special_answers_and_formulas_are_errors(tmp_path, mini):
    path = filled(tmp_path, mini)
    wb = openpyxl.load_workbook(path)
    r1 = put(wb["Strategie"], "str_strategy", "trifft nicht zu")
    r2 = put(wb["Sicherheit"], "sec_backup", None, "=A1")
    wb.save(path)
    assert errors(path, mini) == [
        f"{path}: sheet 'Strategie', cell D{r1}: question 'str_strategy' does not allow 'trifft nicht zu' "
        "(not applicable); choose an answer or 'weiß nicht'",
        f"{path}: sheet 'Sicherheit', cell E{r2}: contains a formula; type the answer itself (choose from the list)",
    ]


def test_a_missing_sheet_is_named(tmp_path, mini):
    path = filled(tmp_path, mini)
    wb = openpyxl.load_workbook(path)
    del wb["Sicherheit"]
    wb.save(path)
    assert errors(path, mini) == [f"{path}: sheet 'Sicherheit' (dimension 'security') is missing; "
                                  "restore it or export a new workbook with 'assess sheet export'"]
    del wb["Angaben"]
    wb.save(path)
    assert errors(path, mini) == [f"{path}: sheet 'Angaben' (Facts) is missing; it holds the municipality's facts "
                                  "and the questionnaire — export a new workbook with 'assess sheet export'"]


def test_an_unknown_question_is_named(tmp_path, mini):
    path = filled(tmp_path, mini)
    wb = openpyxl.load_workbook(path)
    ws = wb["Sicherheit"]
    r = row_of(ws, "sec_mfa")
    ws.cell(row=r, column=1, value="sec_firewall")
    wb.save(path)
    assert errors(path, mini) == [f"{path}: sheet 'Sicherheit', cell A{r}: unknown question 'sec_firewall': mini@1.0 has no "
                                  "such question; do not change the ID column (delete the row if it was added)"]


def test_another_questionnaire_version_is_named(tmp_path, mini):
    path = filled(tmp_path, mini)
    wb = openpyxl.load_workbook(path)
    r = put(wb["Angaben"], "questionnaire", "mini@0.9")
    wb.save(path)
    assert errors(path, mini) == [f"{path}: sheet 'Angaben', cell D{r}: the answer file is for mini@0.9, but the installed "
                                  "questionnaire is mini@1.0"]


def test_missing_facts_and_empty_workbook(tmp_path, mini):
    path = tmp_path / "w.xlsx"
    wb = workshop(path, mini, respondents=1)
    put(wb["Strategie"], "str_budget", "ja")
    wb.save(path)
    r_name, r_pop = row_of(wb["Angaben"], "municipality.name"), row_of(wb["Angaben"], "municipality.population")
    assert errors(path, mini) == [
        f"{path}: sheet 'Angaben', cell D{r_name}: the municipality's name is missing; enter it in Person 1's column",
        f"{path}: sheet 'Angaben', cell D{r_pop}: the population is missing; enter the number of inhabitants, e.g. 12000",
    ]
    export_workbook(mini, path, 1)
    wb = openpyxl.load_workbook(path)
    put(wb["Angaben"], "municipality.name", "X")
    put(wb["Angaben"], "municipality.population", 10)
    wb.save(path)
    assert errors(path, mini) == [f"{path}: no answers found in any Person column; fill in the answer columns"]


def test_csv_errors_name_row_and_column(tmp_path, mini):
    path = tmp_path / "w.csv"
    export_csv(mini, path, 1)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    for row in rows:
        if row[0] == "str_budget":
            row[3] = "vielleicht"
        if row[0] == "municipality.name":
            row[3] = "Testdorf"
        if row[0] == "municipality.population":
            row[3] = "100"
    line = next(i for i, row in enumerate(rows, 1) if row[0] == "str_budget")
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    assert errors(path, mini) == [f"{path}:{line}: column D: question 'str_budget' (Gibt es ein Budget?) expects ja or nein "
                                  "(yes/no), not 'vielleicht'"]


def test_not_a_workbook(tmp_path, mini):
    path = tmp_path / "w.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    result = run("sheet", "import", path, "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert f"{path}: keine lesbare Excel-Arbeitsmappe (.xlsx)" in result.output
    assert "1 Fehler gefunden." in result.output
    english = run("sheet", "import", path, "-o", tmp_path / "o", "--lang", "en")
    assert f"{path}: not a readable Excel workbook (.xlsx)" in english.output and "1 error(s) found." in english.output
    old = tmp_path / "w.xls"
    old.write_bytes(b"\xd0\xcf")
    result = run("sheet", "import", old, "-o", tmp_path / "o")
    assert result.exit_code == 1 and "eine alte .xls-Datei zuerst als .xlsx speichern" in result.output
    assert not (tmp_path / "o").exists()


def test_an_empty_answer_column_is_named_and_gets_no_file(tmp_path, mini):
    path = tmp_path / "workshop.xlsx"
    wb = workshop(path, mini, respondents=3)
    put(wb["Angaben"], "municipality.name", "Testdorf")
    put(wb["Angaben"], "municipality.population", 3000)
    put(wb["Angaben"], "respondent.name", "Erika Muster", "Max Meier")
    put(wb["Strategie"], "str_strategy", "Nein")
    wb.save(path)
    result = run("sheet", "import", path, "-o", tmp_path / "de")
    assert result.exit_code == 0, result.output
    assert "Hinweis: Person 2 (Max Meier) hat keine Antworten; dafür wird keine Datei geschrieben." in result.stderr
    assert "Hinweis: Person 3 hat keine Antworten" in result.stderr
    assert [p.name for p in (tmp_path / "de").iterdir()] == ["erika-muster.yaml"]
    english = run("sheet", "import", path, "-o", tmp_path / "en", "--lang", "en")
    assert "Note: Person 2 (Max Meier) has no answers; no file is written for them." in english.stderr
    assert f"Wrote {tmp_path / 'en' / 'erika-muster.yaml'}: Erika Muster, answers: 1" in english.stdout


# --- the commands and the optional extra -------------------------------------------------------------


def test_export_command(tmp_path):
    out = tmp_path / "workshop.xlsx"
    result = run("sheet", "export", "mini", "-o", out, "--respondents", "5")
    assert result.exit_code == 0, result.output
    assert f"{out} geschrieben (8 Fragen, 5 Antwortspalte(n))." in result.output
    assert run("sheet", "export", "mini", "-o", out).exit_code == 1  # exists, no --force
    bad = run("sheet", "export", "mini", "-o", tmp_path / "w.ods")
    assert bad.exit_code == 1 and "verwenden Sie die Endung .xlsx (Arbeitsmappe) oder .csv" in bad.output
    assert run("sheet", "export", "mini", "-o", out, "--respondents", "0").exit_code == 2


def test_without_openpyxl_workbooks_explain_the_extra_and_csv_still_works(tmp_path, mini, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now raises ImportError
    with pytest.raises(MissingExtraError) as info:
        export_workbook(mini, tmp_path / "w.xlsx")
    assert str(info.value) == ("Reading and writing workbooks needs the optional package 'openpyxl', which is not installed. "
                               "Install it with: pip install 'kommunal-digitalcheck[xlsx]'  (or: pip install openpyxl)")
    result = run("sheet", "export", "mini", "-o", tmp_path / "w.xlsx")
    assert result.exit_code == 1 and "pip install 'kommunal-digitalcheck[xlsx]'" in result.output
    assert run("sheet", "export", "mini", "-o", tmp_path / "w.csv").exit_code == 0


def test_the_sheet_module_does_not_import_openpyxl_at_start():
    import subprocess

    code = "import sys, assess.capture.sheet, assess.cli; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_five_department_heads_fill_one_workbook_and_the_report_shows_where_they_disagree(tmp_path, mini):
    book = tmp_path / "workshop.xlsx"
    assert run("sheet", "export", "mini", "-o", book, "--respondents", "5").exit_code == 0
    wb = openpyxl.load_workbook(book)
    put(wb["Angaben"], "municipality.name", "Testdorf")
    put(wb["Angaben"], "municipality.population", 4200)
    put(wb["Angaben"], "respondent.name", "Bürgermeisterin", "Hauptamt", "IT", "Bauamt", "Kämmerei")
    put(wb["Strategie"], "str_strategy", "Beschlossen", "Entwurf", "Nein", "Entwurf", "Entwurf")
    put(wb["Sicherheit"], "sec_backup", "Nur online", "Nur online", "Nur online", "weiß nicht", "Nur online")
    wb.save(book)
    out = tmp_path / "antworten"
    imported = run("sheet", "import", book, "-o", out)
    assert imported.exit_code == 0, imported.output
    files = sorted(out.iterdir())
    assert len(files) == 5
    merged = run("merge", *files, "-o", tmp_path / "gemeinsam.yaml")
    assert merged.exit_code == 0, merged.output
    assert "Unterschiedliche Einschätzungen (zwei Stufen oder mehr) bei 1 Frage:" in merged.output
    assert "Nein: IT\n" in merged.output and "Beschlossen: Bürgermeisterin\n" in merged.output
    report = run("report", tmp_path / "gemeinsam.yaml", "-o", tmp_path / "bericht.md", "--edition", "voll")
    assert report.exit_code == 0, report.output
    text = (tmp_path / "bericht.md").read_text(encoding="utf-8")
    assert "Bürgermeisterin: Beschlossen" in text and "IT: Nein" in text


def test_a_person_column_named_after_a_department_is_no_state_column():
    from assess.capture.sheet import _is_state_column

    assert _is_state_column("Stand (Person 2)") and _is_state_column("State (person 1)") and _is_state_column("Stand Maier")
    assert not _is_state_column("Standesamt") and not _is_state_column("Statistik") and not _is_state_column("Person 1")
