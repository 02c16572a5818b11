"""The hostile corpus (tests/hostile/, README there): every file through every reader that takes it.

Each case runs the real `assess` in a subprocess under resource limits (address space and CPU time,
set by the harness, not timed by the test) and must end in a clean exit 1 whose message names the
file, the line or cell and the cause, with no output file left behind.
"""

from __future__ import annotations

import io
import os
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

MEMORY = 1536 * 1024 * 1024  # address space of one run
CPU_SECONDS = 60  # CPU time of one run (a blow-up would take minutes)

ANSWER_READERS = ("validate", "report", "merge")
SHEET_READERS = ("import",)


def assess(*args, cwd=None, limits=True) -> subprocess.CompletedProcess:
    """Run the real command line under the harness's memory and CPU limits."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))

    return subprocess.run([sys.executable, "-m", "assess", "--questionnaires", str(QUESTIONNAIRES), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd, preexec_fn=limit if limits else None)


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


def _patched(data: bytes, member_suffix: str, old: bytes, new: bytes) -> bytes:
    """A workbook with one replacement in the XML of a part (as a hostile tool would write it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.endswith(member_suffix):
                assert old in content, (item.filename, old)
                content = content.replace(old, new, 1)
            dst.writestr(item.filename, content)
    return out.getvalue()


def _number_cell(cell: str, value: str, sheet: str = "Facts", part: str = "sheet2.xml") -> bytes:
    """The mini workbook whose cell `cell` holds the raw number `value` (1e309, 9162000.5 …)."""
    data = _workbook({(sheet, cell): 12345})
    return _patched(data, part, b'<v>12345</v>', b'<v>%s</v>' % value.encode())


def _with_part(name: str, content: bytes) -> bytes:
    """The mini workbook with one more part (a zip bomb hides in any part; openpyxl never reads it)."""
    out = io.BytesIO(_workbook({}))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, content)
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
        "csv-600k-cells.csv": (lambda: _csv({}, (";" * 190 + "\n") * 3_200).encode(), SHEET_READERS, ":",
                               "more than 500,000 cells"),
        "csv-5000-bad-rows.csv": (lambda: _csv({}, "".join(f"nope{i};;;1;\n" for i in range(5_000))).encode(),
                                  SHEET_READERS, ":5: column A", "and 4,950 more"),
        "xlsx-dimension-xfd.xlsx": (lambda: _patched(_workbook({}), "sheet2.xml", b'<dimension ref="A1:',
                                                     b'<dimension ref="A1:XFD1048576"/><x a="'), SHEET_READERS,
                                    "Facts", "says it is 1,048,576 rows by 16,384 columns"),
        "xlsx-cell-in-column-xfd.xlsx": (lambda: _patched(_workbook({("Facts", "D6"): 12345}), "sheet2.xml",
                                                          b'r="D6"', b'r="XFD6"'), SHEET_READERS,
                                         "Facts", "reaches beyond 200 columns"),
        "xlsx-row-1048576.xlsx": (lambda: _patched(_workbook({("Facts", "D6"): 12345}), "sheet2.xml",
                                                   b'<row r="6">', b'<row r="1048576">'), SHEET_READERS,
                                  "Facts", "has more than 10,000 rows"),
        "xlsx-unpacks-to-60mb.xlsx": (lambda: _with_part("xl/media/bomb.xml", b"0" * (60 * 1024 * 1024)), SHEET_READERS,
                                      "xlsx", "unpacks to more than 50 MB"),
        "xlsx-packed-1000-fold.xlsx": (lambda: _with_part("xl/media/bomb.xml", b"0" * (20 * 1024 * 1024)), SHEET_READERS,
                                       "xlsx", "fold (at most 200 fold"),
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
    "priority-400-digits.yaml": (":4:", "between 1 and 5"),
}


def _cases():
    kept = sorted(p.name for p in HOSTILE.iterdir() if p.name != "README.md")
    cases = [pytest.param(name, reader, id=f"{name}-{reader}")
             for name in kept for reader in (SHEET_READERS if name.endswith((".csv", ".xlsx")) else ANSWER_READERS)]
    cases += [pytest.param(name, reader, id=f"{name}-{reader}") for name, spec in generated().items() for reader in spec[1]]
    return cases


def test_every_kept_file_has_an_expectation_and_a_readme_entry():
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    kept = {p.name for p in HOSTILE.iterdir() if p.name != "README.md"}
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
