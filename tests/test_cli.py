"""The `assess` command line end to end with click's CliRunner on real files in tmp_path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from assess import __version__
from assess.cli import cli
from assess.loading import load_questionnaire
from assess.resources import questionnaire_paths

DATA = Path(__file__).parent / "data"
SEARCH = DATA / "questionnaires"
MINI = SEARCH / "mini" / "questionnaire.yaml"
ANSWERS = DATA / "mini-answers.yaml"


def run(*args, env=None):
    """`assess --questionnaires tests/data/questionnaires ARGS`; fails on an escaped exception."""
    result = CliRunner().invoke(cli, ["--questionnaires", str(SEARCH), *map(str, args)], env=env, prog_name="assess")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def only_mini(monkeypatch, tmp_path):
    """Hide the installed questionnaires (being written by others) so that only mini is found."""
    import assess.resources

    real = assess.resources.data_dir
    empty = tmp_path / "no-installed-questionnaires"
    empty.mkdir()
    monkeypatch.setattr(assess.resources, "data_dir", lambda name: empty if name == "questionnaires" else real(name))


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch, tmp_path):
    """Run in an empty folder, as a town hall would."""
    monkeypatch.chdir(tmp_path)


# --- version and help --------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version(option):
    result = run(option)

    assert result.exit_code == 0
    assert result.output == f"assess, version {__version__}\n"


def command_paths(command=cli, path=()):
    """Every command and subcommand of the group, found by walking it (so new ones are covered)."""
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from command_paths(command.get_command(ctx, name), path + (name,))


COMMANDS = list(command_paths())


def test_the_main_commands_exist():
    assert {("list",), ("validate",), ("score",), ("explain",), ("template",), ("report",), ("demo",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "assess" for p in COMMANDS])
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_every_command_has_help(path, option):
    result = run(*path, option)

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: assess {' '.join(path)}".rstrip() + " ")
    assert "-h, --help" in result.output


@pytest.mark.parametrize("path", [p for p in COMMANDS if p], ids=[" ".join(p) for p in COMMANDS if p])
def test_every_command_help_has_a_description_and_leaf_commands_an_example(path):
    command = cli
    for name in path:
        command = command.get_command(click.Context(command), name)

    assert (command.help or "").strip(), f"assess {' '.join(path)} has no help text"
    if not isinstance(command, click.Group):
        assert "Example" in command.help, f"assess {' '.join(path)}: the help text should end with an example"


def test_unknown_command_is_a_usage_error():
    result = run("scroe")

    assert result.exit_code == 2
    assert "No such command 'scroe'" in result.stderr


HEAVY = ("matplotlib", "jinja2", "weasyprint", "openpyxl")


def test_help_of_every_command_loads_no_heavy_module():
    commands = [list(p) + ["--help"] for p in COMMANDS]
    code = (
        "import sys\n"
        "from assess.cli import cli\n"
        f"for args in {commands!r}:\n"
        "    try:\n"
        "        cli.main(args, prog_name='assess')\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "LOADED []"


def test_assess_help_as_a_program_loads_no_heavy_module():
    code = (
        "import runpy, sys\n"
        "sys.argv = ['assess', '--help']\n"
        "try:\n"
        "    runpy.run_module('assess', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: assess [OPTIONS] COMMAND [ARGS]...")
    assert done.stdout.splitlines()[-1] == "LOADED []"


# --- list --------------------------------------------------------------------------------------

MINI_ROW = {"id": "mini", "version": "1.0", "title": "Mini-Check", "dimensions": 2, "questions": 8}


def test_list_json(only_mini):
    result = run("list", "--format", "json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [MINI_ROW]


def test_list_json_in_english(only_mini):
    result = run("list", "--format", "json", "--lang", "en")

    assert json.loads(result.stdout) == [{**MINI_ROW, "title": "Mini check"}]


def test_list_table(only_mini):
    result = run("list")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Kennung  Version  Titel       Dimensionen  Fragen",
        "mini     1.0      Mini-Check  2            8",
    ]
    assert run("list", "--lang", "en").stdout.splitlines()[0] == "id    version  title       dimensions  questions"


def test_list_shows_every_installed_questionnaire():
    result = CliRunner().invoke(cli, ["list", "--format", "json"])

    assert result.exit_code == 0, result.output
    listed = {(row["id"], row["version"]) for row in json.loads(result.stdout)}
    assert listed == {(q.id, q.version) for q in map(load_questionnaire, questionnaire_paths())}


def test_list_with_a_wrong_format_is_a_usage_error():
    result = run("list", "--format", "xml")

    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


# --- template ----------------------------------------------------------------------------------


def valid_value(question):
    """Some valid answer for a question, as it would be typed into the template."""
    if question.type == "single":
        return question.options[-1].id
    if question.type == "multi":
        return [next(o.id for o in question.options if not o.exclusive)]
    return {"yesno": True, "number": 3, "text": "Notiz"}[question.type]


TEMPLATE_QUESTIONNAIRES = [MINI] + questionnaire_paths()


@pytest.mark.parametrize("path", TEMPLATE_QUESTIONNAIRES, ids=[p.parent.name for p in TEMPLATE_QUESTIONNAIRES])
@pytest.mark.parametrize(("lang", "suffix"), [("de", ".yaml"), ("en", ".json")])
def test_template_filled_in_validates_and_scores(tmp_path, path, lang, suffix):
    questionnaire = load_questionnaire(path)
    out = tmp_path / f"answers{suffix}"

    result = run("template", questionnaire.id, "-o", out, "--lang", lang)

    assert result.exit_code == 0, result.output
    count = len(questionnaire.questions)
    assert result.stdout == {
        "de": f"{out} geschrieben ({count} Fragen). Ausfüllen, dann prüfen: assess validate {out}\n",
        "en": f"Wrote {out} ({count} questions). Fill it in, then: assess validate {out}\n",
    }[lang]
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["questionnaire"] == questionnaire.ref
    assert set(data["answers"]) == {q.id for q in questionnaire.questions}
    assert all(value is None for value in data["answers"].values())
    data["municipality"].update(name="Testdorf", population=4321)
    data["answers"] = {q.id: valid_value(q) for q in questionnaire.questions}
    out.write_text(json.dumps(data, default=str) if suffix == ".json" else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert run("validate", out).stdout == f"{out}: OK\n"
    scored = run("score", out, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["overall"]["coverage"] == 1.0


def test_template_left_unfilled_says_what_to_fill_in(tmp_path):
    out = tmp_path / "a.yaml"
    run("template", "mini", "-o", out)

    result = run("validate", out)

    assert result.exit_code == 1
    population_line = next(i for i, line in enumerate(out.read_text(encoding="utf-8").splitlines(), 1) if "population:" in line)
    assert result.stderr.splitlines() == [
        f"{out}:{population_line}: „population“ muss die Einwohnerzahl als positive ganze Zahl sein (z. B. 12000, ohne "
        "Punkte), nicht ganze Zahl „0“",
        f"{out}: 1 Fehler",
    ]
    assert run("validate", out, "--lang", "en").stderr.splitlines() == [
        f"{out}:{population_line}: 'population' must be a positive whole number of inhabitants (like 12000, without dots), not whole number '0'",
        f"{out}: 1 error(s)",
    ]


def test_template_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("mine", encoding="utf-8")

    refused = run("template", "mini", "-o", out)

    assert refused.exit_code == 1
    assert refused.stderr == f"Fehler: {out} gibt es schon; wählen Sie einen anderen Namen oder überschreiben Sie mit --force\n"
    assert out.read_text(encoding="utf-8") == "mine"

    forced = run("template", "mini", "-o", out, "--force")

    assert forced.exit_code == 0
    assert "questionnaire: mini@1.0" in out.read_text(encoding="utf-8")


def test_template_of_an_unknown_questionnaire(tmp_path, only_mini):
    result = run("template", "maxi", "-o", tmp_path / "a.yaml")

    assert result.exit_code == 1
    assert result.stderr == (
        "Fehler: ein Fragebogen „maxi“ ist nicht installiert; vorhanden sind: mini "
        "(einen Ordner mit eigenen Fragebögen fügt --questionnaires ORDNER hinzu)\n"
    )
    assert run("template", "maxi", "-o", tmp_path / "a.yaml", "--lang", "en").stderr == (
        "Error: no questionnaire 'maxi' is installed; available are: mini "
        "(a folder of your own questionnaires can be added with --questionnaires DIR)\n"
    )
    assert not (tmp_path / "a.yaml").exists()


def test_template_needs_an_output():
    result = run("template", "mini")

    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.stderr


# --- validate ----------------------------------------------------------------------------------


def test_validate_ok_and_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(ANSWERS.read_text(encoding="utf-8").replace("sec_backup: online", "sec_backup: tape"), encoding="utf-8")

    assert (run("validate", ANSWERS).exit_code, run("validate", ANSWERS).stdout) == (0, f"{ANSWERS}: OK\n")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bad}:10: „tape“ ist keine Antwortmöglichkeit der Frage „sec_backup“; möglich sind: none, online, offline, unknown",
        f"{bad}: 1 Fehler",
    ]
    assert run("validate", "--lang", "en", bad).stderr.splitlines() == [
        f"{bad}:10: 'tape' is not an option of question 'sec_backup'; choose one of: none, online, offline, unknown",
        f"{bad}: 1 error(s)",
    ]


def test_questionnaires_folder_from_the_environment():
    result = CliRunner().invoke(cli, ["validate", str(ANSWERS)], env={"ASSESS_QUESTIONNAIRES": str(SEARCH)})

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{ANSWERS}: OK\n"


# --- score and explain -------------------------------------------------------------------------


def test_score_json_holds_overall_and_every_dimension():
    result = run("score", ANSWERS, "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {k: data["overall"][k] for k in ("score", "level", "coverage")} == {"score": 54.2, "level": 3, "coverage": 0.857}
    dims = {d: {k: v[k] for k in ("score", "level", "coverage")} for d, v in data["dimensions"].items()}
    assert dims == {"strategy": {"score": 68.8, "level": 4, "coverage": 1.0},
                    "security": {"score": 25.0, "level": 2, "coverage": 0.75}}
    assert data["dimensions"]["security"]["score_range"] == [16.7, 50.0]
    assert data["dimensions"]["security"]["unknown"] == ["sec_staff"]


def test_score_table_german():
    result = run("score", ANSWERS)

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Testdorf · Mini-Check 1.0"
    assert re.search(r"^Strategie\s+69\s+4 Fortgeschritten\s+100 %$", result.stdout, re.M), result.stdout
    assert re.search(r"^Sicherheit\s+25\s+2 Grundlagen\s+75 %$", result.stdout, re.M), result.stdout
    assert re.search(r"^Gesamt \(Reifegradindex\)\s+54\s+3 Aufbau\s+86 %$", result.stdout, re.M), result.stdout


def test_score_table_english():
    result = run("score", ANSWERS, "--lang", "en")

    assert result.exit_code == 0
    assert lines_matching(result.stdout, r"^Overall \(maturity index\)\s+54\s+3 Developing\s+86%$")


def lines_matching(text, pattern):
    return [line for line in text.splitlines() if re.match(pattern, line)]


def test_score_of_a_missing_file_is_a_usage_error(tmp_path):
    result = run("score", tmp_path / "nope.yaml")

    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_score_of_an_invalid_file_lists_its_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("questionnaire: mini@1.0\nmunicipality: {name: X, population: 0}\n", encoding="utf-8")

    result = run("score", bad)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bad}:2: „population“ muss die Einwohnerzahl als positive ganze Zahl sein (z. B. 12000, ohne Punkte), "
        "nicht ganze Zahl „0“",
        "1 Fehler gefunden.",
    ]
    assert result.stdout == ""


def test_explain_every_dimension_in_german():
    result = run("explain", ANSWERS)

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "== Strategie (strategy) ==" in out and "== Sicherheit (security) ==" in out
    assert "  str_strategy: 1 / 2 = 50,0  (Gewicht 2) – Entwurf\n" in out
    assert "  str_goals: 3 / 4 = 75,0  (Gewicht 1) – Onlinedienste; Kompetenzen\n" in out
    assert "  = 68,8 Punkte; Abdeckung 3/3 (100 %)\n" in out
    assert "  [sec_baseline] Minimum (schwächstes Glied) → 0,0  (Gewicht 1)\n" in out
    assert "  sec_staff: ausgelassen – weiß nicht\n" in out
    assert "  mit „weiß nicht“ als niedrigste/höchste Antwort: 16,7 – 50,0\n" in out


def test_explain_one_dimension_in_english():
    result = run("explain", ANSWERS, "security", "--lang", "en")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("== Security (security) ==\n")
    assert "Strategy" not in result.stdout
    assert "    sec_patch: 0.0  (weight 1) – no\n" in result.stdout
    assert "  sec_staff: left out – don't know\n" in result.stdout
    assert "  = 25.0 points; coverage 3/4 (75%)\n" in result.stdout
    assert "  with “don’t know” as lowest/highest answer: 16.7 – 50.0\n" in result.stdout


def test_explain_shows_skipped_questions_and_caps(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "questionnaire: mini@1.0\nmunicipality: {name: X, population: 100}\n"
        "answers: {str_strategy: none, str_goals: [services], sec_backup: none, sec_mfa: true, sec_patch: true, sec_staff: 5}\n",
        encoding="utf-8",
    )

    result = run("explain", answers, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "  str_goals: left out – skipped (condition not met)\n" in result.stdout
    assert "  capped from level 4 to 2: No offline backup\n" in result.stdout


def test_explain_unknown_dimension():
    result = run("explain", ANSWERS, "finance")

    assert result.exit_code == 1
    assert result.stderr == "Fehler: keine Dimension „finance“ in mini@1.0; möglich sind: strategy, security\n"
    assert result.stdout == ""


# --- report and demo ---------------------------------------------------------------------------

# Attributes and CSS that make a browser fetch something (hyperlinks <a href> do not).
FETCHING = [
    re.compile(r"<(?!a[\s>])[a-z][^>]*?\s(?:src|srcset|href|xlink:href|poster|data)\s*=\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"url\(\s*[\"']?\s*(?:https?:)?//", re.I),
    re.compile(r"@import", re.I),
]


def assert_self_contained(html):
    for pattern in FETCHING:
        assert not pattern.search(html), pattern.search(html).group(0)
    namespaces = set(re.findall(r"xmlns(?::\w+)?=\"(https?://[^\"]+)\"", html))
    assert "http://www.w3.org/2000/svg" in namespaces


def test_report_html(tmp_path):
    out = tmp_path / "bericht.html"

    result = run("report", ANSWERS, "-o", out)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out} geschrieben\n"
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "Testdorf" in html
    assert "<svg" in html
    assert_self_contained(html)


def test_report_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "bericht.html"
    out.write_text("old", encoding="utf-8")

    refused = run("report", ANSWERS, "-o", out)

    assert refused.exit_code == 1
    assert refused.stderr == f"Fehler: {out} gibt es schon; wählen Sie einen anderen Namen oder überschreiben Sie mit --force\n"
    assert out.read_text(encoding="utf-8") == "old"

    forced = run("report", ANSWERS, "-o", out, "--force")

    assert forced.exit_code == 0, forced.output
    assert "Testdorf" in out.read_text(encoding="utf-8")


def test_report_with_an_unknown_suffix(tmp_path):
    result = run("report", ANSWERS, "-o", tmp_path / "bericht.docx")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Fehler: das Berichtsformat ist aus „{tmp_path / 'bericht.docx'}“ nicht erkennbar")
    assert not (tmp_path / "bericht.docx").exists()


def test_report_of_an_invalid_answer_file_writes_nothing(tmp_path):
    out = tmp_path / "bericht.html"

    result = run("report", DATA / "invalid" / "a-other-version.yaml", "-o", out)

    assert result.exit_code == 1
    assert "die Antworten gehören zu mini@2.0, installiert ist aber mini@1.0" in result.stderr
    assert not out.exists()


def test_demo_writes_the_musterstadt_report(tmp_path):
    result = run("demo", "-o", tmp_path / "demo")

    assert result.exit_code == 0, result.output
    report = tmp_path / "demo" / "musterstadt-de.html"
    assert result.stdout.startswith(f"{report} geschrieben\n")
    html = report.read_text(encoding="utf-8")
    assert "Musterstadt" in html and "<svg" in html
    assert_self_contained(html)


# --- errors never show a traceback -------------------------------------------------------------


def test_an_internal_error_is_reported_without_traceback(monkeypatch):
    import assess.library

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(assess.library, "score", broken)
    monkeypatch.delenv("ASSESS_DEBUG", raising=False)

    result = run("score", ANSWERS)

    assert result.exit_code == 3
    assert result.stderr.startswith("Interner Fehler: RuntimeError: boom\nDas ist ein Fehler in assess.")
    assert run("score", ANSWERS, "--lang", "en").stderr.startswith("Internal error: RuntimeError: boom\nThis is a bug in assess.")


def test_list_shows_the_valid_questionnaires_and_names_a_broken_one(tmp_path):
    broken = tmp_path / "kaputt" / "questionnaire.yaml"
    broken.parent.mkdir()
    broken.write_text("id: kaputt\nversion: '1'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--questionnaires", str(tmp_path), "list"])
    assert result.exit_code == 1
    assert "quickcheck" in result.stdout and "digitalcheck" in result.stdout
    assert result.stderr == f"{broken}: nicht aufgeführt, die Datei hat Fehler; prüfen mit: assess validate {broken}\n"
