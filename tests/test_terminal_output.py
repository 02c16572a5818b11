"""Nothing from an input file reaches the terminal as a control sequence: one sanitizing `echo` for all output."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from click.testing import CliRunner

from assess.cli import cli
from assess.cli.messages import terminal_safe

DATA = Path(__file__).parent / "data"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]
ROOT = Path(__file__).resolve().parent.parent

# Red text, a window title, clear screen, cursor home, an 8-bit CSI, a bidi override, a carriage return.
RED = "\x1b[31mRot\x1b[0m"
TITLE = "\x1b]0;gehackt\x07"
HOSTILE = f"{RED}{TITLE} Stadt\x1b[2J\x1b[H\x9b2J\u202eevil\r"
# What no line printed by assess may contain.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("raw,shown", [
    ("\x1b[31mRot\x1b[0m", "Rot"),
    ("\x1b]0;Titel\x07Text", "Text"),
    ("\x1b]8;;https://example.org\x1b\\Link\x1b]8;;\x1b\\", "Link"),  # OSC 8 hyperlink with ST
    ("\x1b]0;never ends\nnext line", "\nnext line"),  # an unterminated OSC ends at the line
    ("a\x1bPdevice control\x1b\\b", "ab"),
    ("\x1bcreset", "reset"),
    ("\x9b31mC1\x9d0;t\x9c", "C1"),
    ("right\u202eto left\u2066isolate\u2069", "rightto leftisolate"),
    ("keep\ttabs\nand lines", "keep\ttabs\nand lines"),
    ("bell\x07 back\x08 cr\r del\x7f nul\x00", "bell back cr del nul"),
    ("Größe 1.234,5 € – „gut“", "Größe 1.234,5 € – „gut“"),
])
def test_terminal_safe(raw, shown):
    assert terminal_safe(raw) == shown


@given(st.text())
def test_nothing_unsafe_survives_and_plain_text_is_left_alone(text):
    shown = terminal_safe(text)
    assert not CONTROL.search(shown)
    if not CONTROL.search(text):
        assert shown == text


@pytest.fixture
def hostile_answers(tmp_path):
    data = {"questionnaire": "mini@1.0", "date": "2026-11-23",
            "municipality": {"name": HOSTILE, "population": 3000, "state": "BY"},
            "respondents": [{"name": f"Erika {TITLE}Muster", "role": f"Haupt{RED}amt"}],
            "answers": {"str_strategy": "draft", "str_notes": f"Notiz {RED}\x1b[2J",
                        "sec_backup": {"value": "online", "comment": "\x1b[5mblink"}}}
    path = tmp_path / "antworten.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [*SEARCH, *map(str, args)])


def clean(output: str) -> str:
    assert not CONTROL.search(output), repr(CONTROL.search(output))
    return output


def test_score_and_explain_print_no_control_characters(hostile_answers):
    table = run("score", hostile_answers)
    assert table.exit_code == 0, table.output
    assert clean(table.output).startswith("Rot Stadtevil · Mini-Check 1.0\n")
    trace = run("explain", hostile_answers)
    assert trace.exit_code == 0
    assert "== Strategie (strategy) ==" in clean(trace.output)


def test_score_as_json_keeps_the_exact_text_as_escapes(hostile_answers):
    result = run("score", hostile_answers, "--format", "json")
    assert result.exit_code == 0
    assert "\\u009b2J\\u202eevil" in clean(result.output)
    assert json.loads(result.output)["municipality"] == HOSTILE


def test_merge_prints_respondent_names_without_control_characters(hostile_answers, tmp_path):
    other = tmp_path / "zweite.yaml"
    other.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf, population: 3000}\n"
                     "respondents: [{name: \"Max \\e[31mIT\", role: IT}]\nanswers: {str_strategy: none}\n",
                     encoding="utf-8")
    result = run("merge", hostile_answers, other, "-o", tmp_path / "gemeinsam.yaml")
    assert result.exit_code == 0, result.output
    assert "Erika Muster (HauptRotamt)" in clean(result.output) and "Max IT (IT)" in result.output


def test_validate_prints_no_control_characters(tmp_path):
    bad = tmp_path / "antworten.yaml"
    bad.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf, population: 3000}\n"
                   "answers: {\"str_\\e]0;owned\\astrategy\": draft, str_budget: \"\\e[31mvielleicht\"}\n",
                   encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    # The OSC sequence in the key is gone as a whole, its title text with it.
    assert "„str_strategy“" in clean(result.output) and "„vielleicht“" in result.output


def test_sheet_import_prints_no_control_characters(tmp_path):
    path = tmp_path / "workshop.csv"
    assert run("sheet", "export", "mini", "-o", path).exit_code == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    values = {"municipality.name": "Testdorf", "municipality.population": "3000",
              "respondent.name": f"Erika {TITLE}{RED}", "respondent.role": "Hauptamt\x1b[2J", "str_strategy": "Entwurf"}
    for row in rows:
        if row[0] in values:
            row[3] = values[row[0]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    result = run("sheet", "import", path, "-o", tmp_path / "antworten")
    assert result.exit_code == 0, result.output
    assert "Erika Rot (Hauptamt)" in clean(result.output)


def test_an_error_message_quoting_input_prints_no_control_characters(tmp_path):
    bad = tmp_path / "antworten.yaml"
    bad.write_text(f"questionnaire: \"mini@\\e]0;x\\a9.9\"\nmunicipality: {{name: T, population: 3}}\nanswers: {{}}\n",
                   encoding="utf-8")
    result = run("report", bad, "-o", tmp_path / "r.html")
    assert result.exit_code == 1
    clean(result.output)


@pytest.mark.parametrize("args", [["score", f"kunden/{RED}{TITLE}.yaml"], [f"sc{RED}ore"],
                                  ["sheet", "import", f"w{RED}.xlsx", "-o", "x"], ["report", "a.yaml", "--edition", RED]])
def test_clicks_own_errors_quoting_the_command_line_print_no_control_characters(args):
    """click prints these itself (before any command runs); it shows control characters as escapes."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Rot" in clean(result.output)


def test_every_line_the_command_line_prints_goes_through_one_echo():
    """assess.cli.messages.echo is the only way to the terminal: no click.echo, print or sys.stdout elsewhere."""
    offenders = []
    for path in (ROOT / "assess").rglob("*.py"):
        if path.name == "messages.py" and path.parent.name == "cli":
            continue
        source = path.read_text(encoding="utf-8")
        for pattern in (r"\bclick\.(?:echo|secho)\(", r"(?<![\w.])print\(", r"sys\.(?:stdout|stderr)\.write"):
            offenders += [f"{path.relative_to(ROOT)}: {m[0]}" for m in re.finditer(pattern, source)]
    assert not offenders, offenders
