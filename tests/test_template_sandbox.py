"""A consultant's own templates (`--template-dir`) run sandboxed; a broken one is its file's error, never a crash.

Each file in tests/hostile/templates/ is a report template whose first line says where it fails and
what the message says in German and English: `{# expect: LINE | german | english #}`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import cli

TESTS = Path(__file__).parent
DATA = TESTS / "data"
CASES = sorted((TESTS / "hostile" / "templates").glob("*.j2"))
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]
# Cases that would take the machine's memory or stack without their guard: run in a subprocess
# with an address-space and CPU limit, so a regression fails the test instead of the test run.
HEAVY = {"endless-macro", "includes-itself", "huge-text", "huge-power", "lipsum", "doubling-text"}


def expectation(case: Path) -> tuple[int, str, str]:
    line, de, en = re.match(r"\{# expect: (\d+) \| (.*?) \| (.*?) #\}", case.read_text(encoding="utf-8")).groups()
    return int(line), de, en


def template_folder(tmp_path: Path, case: Path) -> Path:
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    shutil.copy(case, folder / "report.html.j2")
    return folder


def _limited():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_a_failing_user_template_is_reported_with_its_file_and_line(tmp_path, case):
    line, de, en = expectation(case)
    folder = template_folder(tmp_path, case)
    out = tmp_path / "bericht.html"
    args = [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(out), "--template-dir", str(folder)]
    if case.name.split(".")[0] in HEAVY:
        done = subprocess.run([sys.executable, "-m", "assess", *args], capture_output=True, text=True, timeout=120,
                              preexec_fn=_limited, env={**os.environ, "PYTHONPATH": str(TESTS.parent)})
        code, output = done.returncode, done.stdout + done.stderr
    else:
        result = CliRunner().invoke(cli, args)
        code, output = result.exit_code, result.output
    assert code == 1, output
    assert output.startswith(f"Fehler: {folder / 'report.html.j2'}:{line}: Fehler in der Berichtsvorlage: "), output
    assert de in output and "Traceback" not in output
    assert not out.exists()
    english = CliRunner().invoke(cli, [*args, "--lang", "en"]) if case.name.split(".")[0] not in HEAVY else None
    if english is not None:
        assert english.exit_code == 1
        assert english.output.startswith(f"Error: {folder / 'report.html.j2'}:{line}: error in the report template: ")
        assert en in english.output


def test_a_template_that_loops_too_long_is_stopped(tmp_path, monkeypatch):
    from assess import templating

    monkeypatch.setattr(templating, "TIME_LIMIT", 1.0)
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.html.j2").write_text(
        "{{ a.municipality.name }}\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8")
    out = tmp_path / "bericht.html"
    result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(out),
                                      "--template-dir", str(folder), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert f"report.html.j2:2: error in the report template: the template ran for more than 1 seconds" in result.output
    assert not out.exists()


def test_every_loop_is_stopped_not_only_over_range(tmp_path, monkeypatch):
    from assess import templating

    monkeypatch.setattr(templating, "TIME_LIMIT", 1.0)
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.md.j2").write_text(  # 10,000 × 10,000 steps over a text: hours without the clock
        "{% set s = 'x' * 10000 %}\n{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(tmp_path / "r.md"),
                                      "--template-dir", str(folder), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "report.md.j2:2: error in the report template: the template ran for more than 1 seconds" in result.output


def test_a_markdown_template_is_sandboxed_too(tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.md.j2").write_text("# {{ a.municipality.name }}\n{{ a.__class__ }}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(tmp_path / "r.md"),
                                      "--template-dir", str(folder)])
    assert result.exit_code == 1
    assert "report.md.j2:2: Fehler in der Berichtsvorlage: nicht erlaubter Zugriff" in result.output


def test_a_sandboxed_user_template_still_extends_the_built_in_report(tmp_path):
    """The sandbox takes nothing away from what docs/reports.md promises: blocks, strings, filters."""
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.html.j2").write_text(
        '{% extends "default:report.html.j2" %}{% block footer %}<footer>{{ tr("roadmap") }} · '
        '{{ s.score|num(1) }} · {{ a.municipality.name|upper }} · {% for n in range(3) %}{{ n }}{% endfor %}'
        '</footer>{% endblock %}', encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(out),
                                      "--template-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert re.search(r"<footer>Fahrplan · \d+,\d · TESTDORF · 012</footer>", out.read_text(encoding="utf-8"))


def test_a_bug_in_a_built_in_template_stays_an_internal_error(monkeypatch, tmp_path):
    """Only the user's templates are the user's fault: with the built-in ones, a failure is a bug (exit 3)."""
    from assess import render

    monkeypatch.setitem(os.environ, "ASSESS_DEBUG", "")
    original = render._filters

    def broken(env, lang):
        original(env, lang)
        env.filters["num"] = lambda value, digits=0: 1 / 0

    monkeypatch.setattr(render, "_filters", broken)
    render._environment_for.cache_clear()  # environments are kept per process: make one with the broken filter …
    try:
        result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(tmp_path / "r.html")])
    finally:
        render._environment_for.cache_clear()  # … and keep it from the tests that follow
    assert result.exit_code == 3, result.output


# --- the logo ------------------------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _config(folder: Path) -> Path:
    config = folder / "assess.yaml"
    config.write_text("organisation: Beratung\nlogo: logo.png\n", encoding="utf-8")
    return config


def _report(tmp_path, config, lang="de"):
    return CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(tmp_path / "r.html"),
                                    "--config", str(config), "--lang", lang])


def test_a_logo_linked_out_of_its_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "logo.png").symlink_to(secret)
    config = _config(folder)
    result = _report(tmp_path, config)
    assert result.exit_code == 1
    assert f"{config}:2: das Logo „{folder / 'logo.png'}“ ist eine Verknüpfung auf eine Datei außerhalb seines Ordners" \
        in result.output
    assert "is a link to a file outside its folder" in _report(tmp_path, config, "en").output
    assert not (tmp_path / "r.html").exists()


def test_a_logo_linked_within_its_folder_is_embedded(tmp_path):
    folder = tmp_path / "config"
    (folder / "bilder").mkdir(parents=True)
    (folder / "bilder" / "wappen.png").write_bytes(PNG)
    (folder / "logo.png").symlink_to(folder / "bilder" / "wappen.png")
    result = _report(tmp_path, _config(folder))
    assert result.exit_code == 0, result.output
    assert 'src="data:image/png;base64,iVBORw0KGgo' in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_logo_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    folder = tmp_path / "config"
    folder.mkdir()
    if kind == "fifo":
        os.mkfifo(folder / "logo.png")  # reading it would wait for a writer forever
    else:
        (folder / "logo.png").mkdir()
    config = _config(folder)
    result = _report(tmp_path, config)
    assert result.exit_code == 1, result.output
    assert f"{config}:2: das Logo „{folder / 'logo.png'}“ ist keine gewöhnliche Datei" in result.output


def test_a_whole_template_of_ones_own_gets_the_policy_for_what_it_writes(tmp_path):
    """docs/reports.md: csp.meta first in <head>, inline elements through csp.style()/csp.script()."""
    import base64
    import hashlib

    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.html.j2").write_text(
        '<!DOCTYPE html>\n<html><head>\n<meta charset="utf-8">\n{{ csp.meta }}\n'
        '{% call csp.style() %}h1 { color: #0b6e4f; }{% endcall %}\n'
        '{% call csp.script() %}console.log("hallo");{% endcall %}\n'
        '</head><body><h1>{{ a.municipality.name }}</h1><style>p { color: red; }</style></body></html>\n',
        encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(out),
                                      "--template-dir", str(folder)])
    assert result.exit_code == 0, result.output

    def sha(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    html = out.read_text(encoding="utf-8")
    script, style = 'console.log("hallo");', "h1 { color: #0b6e4f; }"
    assert (f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src {sha(script)}; '
            f'style-src {sha(style)}; img-src data:; base-uri \'none\'; form-action \'none\'">') in html
    assert "<style>h1 { color: #0b6e4f; }</style>" in html and '<script>console.log("hallo");</script>' in html
    assert sha("p { color: red; }") not in html  # written directly: not in the policy, so not applied


@pytest.mark.parametrize("text", ["{dimension.__class__.__mro__}", "{dimension[0]}", "{score:{dimension.__doc__}}"])
def test_a_strings_file_cannot_read_attributes_through_its_placeholders(tmp_path, text):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "strings.yaml").write_text(f"dimension_gap: {{de: '{text}', en: '{text}'}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o", str(tmp_path / "r.html"),
                                      "--template-dir", str(folder), "--edition", "voll"])
    assert result.exit_code == 1, result.output
    assert "der Text „dimension_gap“ hat einen Platzhalter, der sich nicht füllen lässt" in result.output
    assert "<class" not in result.output and not (tmp_path / "r.html").exists()


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_anew(tmp_path):
    """The report template is compiled once per machine (Jinja's bytecode cache in the cache folder);
    a consultant who edits a template gets the edit in the next report, not the cached old one."""
    import subprocess

    folder = tmp_path / "vorlagen"
    folder.mkdir()
    template = folder / "report.md.j2"
    cache = tmp_path / "cache"
    env = dict(os.environ, ASSESS_CACHE_DIR=str(cache))
    out = tmp_path / "r.md"

    def report() -> str:
        subprocess.run([sys.executable, "-m", "assess", *SEARCH, "report", str(DATA / "mini-answers.yaml"), "-o",
                        str(out), "--template-dir", str(folder), "--force"], env=env, check=True, capture_output=True)
        return out.read_text(encoding="utf-8")

    template.write_text("erste Fassung: {{ a.municipality.name }}\n", encoding="utf-8")
    assert report().startswith("erste Fassung: Testdorf")
    assert list((cache / "templates").glob("*/*.cache")), "no compiled template was kept"
    template.write_text("zweite Fassung: {{ a.municipality.name }}\n", encoding="utf-8")
    assert report().startswith("zweite Fassung: Testdorf")
