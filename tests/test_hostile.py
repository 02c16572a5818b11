"""The hostile corpus (tests/hostile/, README there): every file through every reader that takes it.

Each case runs the real `assess` in a subprocess under resource limits (address space and CPU time,
set by the harness, not timed by the test) and must end in a clean exit 1 whose message names the
file, the line or cell and the cause, with no output file left behind.
"""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
HOSTILE = HERE / "hostile"
QUESTIONNAIRES = HERE / "data" / "questionnaires"
GOOD = HERE / "data" / "mini-answers.yaml"

MEMORY = 2048 * 1024 * 1024  # address space of one run (the blow-ups grew to 4-6 GB; a refused file needs under 100 MB resident)
CPU_SECONDS = 10  # CPU time of one run (the blow-ups took minutes; a refused file takes under a second)

ANSWER_READERS = ("validate", "report", "merge")
SHEET_READERS = ("import",)


def assess(*args, cwd=None, limits=True) -> subprocess.CompletedProcess:
    """Run the real command line under the harness's memory and CPU limits."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))

    # One thread for numeric libraries: each thread's reserved address space must not count against the limit.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "assess", "--questionnaires", str(QUESTIONNAIRES), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
                          preexec_fn=limit if limits else None)


# --- generated cases (too big to keep, or workbooks) -------------------------------------------------

def _csv(rows: dict[str, str], extra: str = "") -> str:
    """A filled-in workshop CSV for the mini questionnaire (one person)."""
    lines = ["ID;Frage;Hilfe;Person 1;Anmerkung", "questionnaire;;;mini@1.0;",
             "municipality.name;;;Testdorf;", "municipality.population;;;3000;"]
    lines += [f"{key};;;{value};" for key, value in rows.items()]
    return "\n".join(lines) + "\n" + extra


def _workbook(cells: dict[tuple[str, str], object]) -> bytes:
    """The exported mini workbook with `cells` ((sheet, cell) → value) filled in."""
    import openpyxl
    from assess.capture.sheet import export_workbook
    from assess.loading import load_questionnaire

    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"assess-hostile-{os.getpid()}.xlsx"
    export_workbook(load_questionnaire(QUESTIONNAIRES / "mini" / "questionnaire.yaml"), path, 1, "en")
    wb = openpyxl.load_workbook(path)
    path.unlink()
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _patched(data: bytes, member_suffix: str, pattern: bytes, new: bytes) -> bytes:
    """A workbook with one regular-expression replacement in the XML of a part (as a hostile tool
    would write it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.endswith(member_suffix):
                content, count = re.subn(pattern, new, content, count=1, flags=re.S)
                assert count == 1, (item.filename, pattern)
            dst.writestr(item.filename, content)
    return out.getvalue()


def _number_cell(cell: str, value: str, sheet: str = "Facts", part: str = "sheet2.xml") -> bytes:
    """The mini workbook whose cell `cell` holds the raw number `value` (1e309, 9162000.5 …)."""
    data = _workbook({(sheet, cell): 12345})
    return _patched(data, part, rb'<v>12345</v>', b'<v>%s</v>' % value.encode())


def _with_part(name: str, content: bytes) -> bytes:
    """The mini workbook with one more part (a zip bomb hides in any part; openpyxl never reads it)."""
    out = io.BytesIO(_workbook({}))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, content)
    return out.getvalue()


def _many_sheets() -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_workbook({})))
    for n in range(150 - len(wb.worksheets)):
        wb.create_sheet(f"Extra {n}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _aliased_answers() -> bytes:
    """Under 1 MB, but one 400,000-character text referenced 100 times: 40 million characters."""
    text = "questionnaire: mini@1.0\nmunicipality: {name: &n '%s', population: 3000}\n" % ("x" * 400_000)
    return (text + "copies: [" + ", ".join(["*n"] * 100) + "]\nanswers: {sec_mfa: true}\n").encode()


def generated() -> dict[str, tuple]:
    """name → (make bytes, readers, where, cause): the cases built when the test runs."""
    many_keys = "questionnaire: mini@1.0\nmunicipality: &m {name: Testdorf, population: 3000}\nanswers:\n" + \
        "".join(f"  q{i}: 1\n" for i in range(300_000))
    return {
        "answers-300k-keys.yaml": (lambda: many_keys.encode(), ANSWER_READERS, ":",
                                   "more than 200,000 values; no real file"),
        "answers-alias-40m-chars.yaml": (_aliased_answers, ANSWER_READERS, ":3:", "expand to more than 20,000,000 characters"),
        "answers-11mb.yaml": (lambda: b"questionnaire: mini@1.0\n# " + b"x" * (11 * 1024 * 1024) + b"\n", ANSWER_READERS,
                              ":", "larger than 10 MB"),
        "csv-million-rows.csv": (lambda: _csv({}, "x;;;1;\n" * 1_000_000).encode(), SHEET_READERS, ":10001:",
                                 "has more than 10,000 rows"),
        "csv-600k-cells.csv": (lambda: _csv({}, ("x;" * 190 + "\n") * 3_200).encode(), SHEET_READERS, ":",
                               "more than 500,000 cells"),
        "csv-5000-bad-rows.csv": (lambda: _csv({}, "".join(f"nope{i};;;1;\n" for i in range(5_000))).encode(),
                                  SHEET_READERS, ":5: column A", "4,950"),
        "xlsx-dimension-xfd.xlsx": (lambda: _patched(_workbook({}), "sheet2.xml", rb'<dimension ref="[^"]*"/>',
                                                     b'<dimension ref="A1:XFD1048576"/>'), SHEET_READERS,
                                    "Facts", "says it is 1,048,576 rows by 16,384 columns"),
        "xlsx-cell-in-column-xfd.xlsx": (lambda: _patched(_workbook({}), "sheet2.xml", rb'(<row r="6"[^>]*>.*?)(</row>)',
                                                          rb'\1<c r="XFD6" t="n"><v>1</v></c>\2'), SHEET_READERS,
                                         "Facts", "reaches beyond 200 columns"),
        "xlsx-row-1048576.xlsx": (lambda: _patched(_workbook({}), "sheet2.xml", rb'(<row r=")6(")',
                                                   rb'\g<1>1048576\2'), SHEET_READERS,
                                  "Facts", "has more than 10,000 rows"),
        "xlsx-150-sheets.xlsx": (_many_sheets, SHEET_READERS, "xlsx", "has 150 sheets; at most 100"),
        "xlsx-unpacks-to-60mb.xlsx": (lambda: _with_part("xl/media/bomb.xml", b"0" * (60 * 1024 * 1024)), SHEET_READERS,
                                      "xlsx", "unpacks to more than 50 MB"),
        "xlsx-packed-1000-fold.xlsx": (lambda: _with_part("xl/media/bomb.xml", b"0" * (20 * 1024 * 1024)), SHEET_READERS,
                                       "xlsx", "-fold (at most 200-fold"),
        "csv-field-over-128k.csv": (lambda: _csv({"str_notes": "x" * 140_000}).encode(), SHEET_READERS,
                                    ":5:", "longer than 131,072 characters"),
        "csv-number-1e309.csv": (lambda: _csv({"sec_staff": "1e309"}).encode(), SHEET_READERS,
                                 ":5: column D", "expects a number"),
        "xlsx-ags-fraction.xlsx": (lambda: _number_cell("D6", "9162000.7"), SHEET_READERS,
                                   "cell D6", "has 8 digits"),
        "xlsx-ags-infinite.xlsx": (lambda: _number_cell("D6", "1e309"), SHEET_READERS, "cell D6", "has 8 digits"),
        "xlsx-number-1e309.xlsx": (lambda: _number_cell("D7", "1e309", "Security", "sheet5.xml"), SHEET_READERS,
                                   "cell D7", "finite number of reasonable size"),
        "xlsx-population-infinite.xlsx": (lambda: _number_cell("D4", "1e309"), SHEET_READERS, "cell D4",
                                          "whole number above 0"),
        "xlsx-population-400-digits.xlsx": (lambda: _number_cell("D4", "9" * 400), SHEET_READERS, "cell D4",
                                            "whole number above 0"),
    }


# (line or cell as printed, the cause in the English message) for every file kept in tests/hostile/
KEPT = {
    "omap-respondents.yaml": (":3:", "!!omap is not supported"),
    "pairs-answers.yaml": (":3:", "!!pairs is not supported"),
    "set-municipality.yaml": (":2:", "!!set is not supported"),
    "number-400-digits.yaml": (":4:", "finite number of reasonable size"),
    "number-1e309.json": (":5:", "finite number of reasonable size"),
    "number-inf.yaml": (":4:", "finite number of reasonable size"),
    "population-400-digits.yaml": (":2:", "positive whole number"),
    "population-hex-5000-digits.yaml": (":2:", "thousands of digits"),
    "priority-400-digits.yaml": (":4:", "between 1 and 5"),
    "binary-tag.yaml": (":2:", "!!binary is not supported"),
    "python-object.yaml": (":4:", "!!python/object/apply:os.system is not supported"),
    "lone-surrogate.json": (":4:", "lone surrogate"),
    "deep-nesting.json": (":2:", "nested more than 50 levels deep"),
    "duplicate-key.json": (":6:", "duplicate key 'sec_mfa'"),
}


def _cases():
    kept = sorted(p.name for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md")
    cases = [pytest.param(name, reader, id=f"{name}-{reader}")
             for name in kept for reader in (SHEET_READERS if name.endswith((".csv", ".xlsx")) else ANSWER_READERS)]
    cases += [pytest.param(name, reader, id=f"{name}-{reader}") for name, spec in generated().items() for reader in spec[1]]
    return cases


def test_every_kept_file_has_an_expectation_and_a_readme_entry():
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    kept = {p.name for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md"}
    assert kept == set(KEPT)
    for name in kept | set(generated()):
        assert f"`{name}`" in readme, f"{name} is not explained in tests/hostile/README.md"


@pytest.mark.parametrize("name, reader", _cases())
def test_hostile_file_is_refused_cleanly(name, reader, tmp_path):
    if name in KEPT:
        path = HOSTILE / name
        where, cause = KEPT[name]
    else:
        make, _, where, cause = generated()[name]
        path = tmp_path / name
        path.write_bytes(make())
    out = tmp_path / "out"
    out.mkdir()
    if reader == "validate":
        result = assess("validate", "--lang", "en", path)
    elif reader == "report":
        result = assess("report", "--lang", "en", path, "-o", out / "report.html")
    elif reader == "merge":
        result = assess("merge", "--lang", "en", GOOD, path, "-o", out / "merged.yaml")
    else:
        result = assess("sheet", "import", "--lang", "en", path, "-o", out / "answers")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr.lower()
    assert f"{path}{where}" in result.stderr or (str(path) in result.stderr and where in result.stderr), result.stderr
    assert cause in result.stderr, result.stderr
    assert list(out.rglob("*")) == [], "an output was written although the input was refused"
    assert len(result.stderr.splitlines()) <= 60, "the problems printed must be capped"
    assert not Path("/tmp/assess-hostile-was-run").exists(), "python-object.yaml ran its command"


def test_docs_security_states_every_limit_as_the_code_has_it():
    from assess import limits

    doc = (HERE.parent / "docs" / "security.md").read_text(encoding="utf-8")
    for name in ("MAX_NODES", "MAX_EXPANDED_CHARS", "MAX_DEPTH", "MAX_PACK_RATIO", "MAX_ROWS", "MAX_SHEETS", "MAX_COLUMNS",
                 "MAX_CELLS", "MAX_CELL_CHARS", "MAX_SHOWN_PROBLEMS", "MAX_SHOWN_CHARS"):
        value = getattr(limits, name)
        assert limits.count(value).de in doc and limits.count(value).en in doc, name
    for name in ("MAX_FILE_BYTES", "MAX_UNPACKED_BYTES"):
        assert limits.megabytes(getattr(limits, name)) in doc, name


TOKENS = ["!!omap", "!!set", "!!binary", "!!int", "!!float", "!!timestamp", "!!str", "!!python/name:os.system", "!x",
          "&a", "*a", "<<: *a", "[", "]", "{", "}", ":", "- ", ",", "?", "'", '"', "\n", "  ", "#", "|", "---",
          "1e309", "9" * 400, ".inf", ".nan", "~", "yes", "2026-13-45", "0x1f", "\u2028", "\x85", "\\ud800",
          "unknown", "progress: planned", "toward: adopted", "outdated: 2020", "value: x"]
TOKENS += [f"{tag} {value} " for tag in ("!!int", "!!float", "!!timestamp", "!!bool", "!!null", "!!omap", "!!binary")
           for value in ("x", "''", "[]", "{}")]


def test_mutated_answer_files_are_problems_never_crashes(tmp_path):
    """A fuzzer's answer files (the mini answers and a JSON file, cut and spliced with YAML's odd
    pieces) give located problems or pass — never another exception, which would be exit 3."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from assess.errors import AssessError
    from assess.validation import validate_file

    bases = [GOOD.read_text(encoding="utf-8"), (HOSTILE / "number-1e309.json").read_text(encoding="utf-8")]
    path = tmp_path / "fuzzed.yaml"

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.sampled_from(bases), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(TOKENS + [""]), st.integers(0, 8),
                                                      st.booleans()), min_size=1, max_size=5))
    def check(base, edits):
        text = base
        for where, token, cut, at_value in edits:
            at = int(where * len(text))
            if at_value:  # where a value begins: after the next "key: "
                colon = text.find(": ", at)
                at = colon + 2 if colon >= 0 else at
            text = text[:at] + token + text[at + cut:]
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            validate_file(path, (QUESTIONNAIRES,))
        except AssessError:
            pass

    check()
