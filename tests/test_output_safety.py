"""Nothing is written on error, no run overwrites another's file, two interviews never share one file.

All through real processes: parallel `assess` runs racing for one name, a FIFO and a device node at
`-o`, an unwritable place, a killed run's temporary file, two interviews in two real terminals.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
QUESTIONNAIRES = HERE / "data" / "questionnaires"
GOOD = HERE / "data" / "mini-answers.yaml"
ENV = dict(os.environ, ASSESS_QUESTIONNAIRES=str(QUESTIONNAIRES), PYTHONIOENCODING="utf-8")


def start(*args, cwd=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assess", *map(str, args)], env=ENV, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(*args, cwd=None, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assess", *map(str, args)], env=ENV, cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", ["merge", "report"])
def test_eight_parallel_runs_to_one_new_path_exactly_one_wins(command, tmp_path):
    target = tmp_path / ("merged.yaml" if command == "merge" else "report.md")
    args = ("merge", GOOD, GOOD, "-o", target) if command == "merge" else ("report", GOOD, "-o", target)
    runs = [start(*args, "--lang", "en") for _ in range(8)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in runs]
    won = [r for r in results if r[0] == 0]
    lost = [r for r in results if r[0] != 0]
    assert len(won) == 1, results
    assert all(code == 1 and "already exists" in err for code, _, err in lost), lost
    assert target.is_file() and target.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [target.name], "a temporary file was left behind"


def _special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        try:  # a second null device, made in the test's own folder
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("creating a device node needs root")
    else:
        (path.parent / "elsewhere.yaml").write_text("mine\n")
        path.symlink_to(path.parent / "elsewhere.yaml")


@pytest.mark.parametrize("kind, said", [("fifo", "a pipe (FIFO)"), ("device", "a device"), ("folder", "a folder"),
                                        ("link", "a symbolic link")])
def test_force_never_replaces_anything_but_a_regular_file(kind, said, tmp_path):
    target = tmp_path / "out.yaml"
    _special(kind, target)
    before = os.lstat(target)
    result = run("merge", GOOD, GOOD, "-o", target, "--force", "--lang", "en")
    if kind == "folder":  # the option itself takes no folder (a usage error)
        assert result.returncode == 2 and "is a directory" in result.stderr
    else:
        assert result.returncode == 1
        assert f"{target} is {said}, not a regular file" in result.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_force_still_replaces_a_regular_file(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    assert run("merge", GOOD, GOOD, "-o", target, "--force").returncode == 0
    assert target.read_text(encoding="utf-8").startswith("questionnaire: mini@1.0")


UNWRITABLE = Path("/proc/assess-cannot-write-here")  # no user, not even root, can create files in /proc


def test_interview_on_an_unwritable_place_says_so_before_the_first_question():
    result = run("interview", "mini", "-o", UNWRITABLE / "a.yaml", "--lang", "en", stdin="Testdorf\n3000\nq\n")
    assert result.returncode == 1
    assert f"cannot write {UNWRITABLE / 'a.yaml'}" in result.stderr
    assert "Saved" not in result.stdout and "Name of the municipality" not in result.stdout


def test_quitting_before_any_answer_does_not_claim_a_save(tmp_path):
    result = run("interview", "mini", "-o", tmp_path / "a.yaml", "--lang", "en", stdin="q\n")
    assert result.returncode == 0
    assert "Nothing saved yet" in result.stdout and "Saved in" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_demo_on_an_unwritable_place_is_a_clear_error():
    result = run("demo", "-o", UNWRITABLE, "--lang", "en")
    assert result.returncode == 1
    assert f"cannot write {UNWRITABLE}" in result.stderr and "Traceback" not in result.stderr


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_runs_temporary_files_are_cleaned_on_the_next_write(tmp_path):
    old = time.time() - 120
    stale = tmp_path / f".merged.yaml.assess-{_dead_pid()}-k1ll3d.tmp"
    stale_folder = tmp_path / f".answers.assess-{_dead_pid()}-k1ll3d.tmp"
    running = tmp_path / f".merged.yaml.assess-{os.getpid()}-running.tmp"  # a live process's, being written
    foreign = tmp_path / "notes.tmp"  # not ours
    for path in (stale, running, foreign):
        path.write_text("half")
    stale_folder.mkdir()
    (stale_folder / "erika.yaml").write_text("half")
    for path in (stale, running, foreign, stale_folder):
        os.utime(path, (old, old))
    assert run("merge", GOOD, GOOD, "-o", tmp_path / "merged.yaml").returncode == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["merged.yaml", running.name, foreign.name])


# --- sheet import: all files or none -------------------------------------------------------------

def _filled_csv(path: Path, people: list[str]) -> Path:
    rows = ["ID;Frage;Hilfe;" + ";".join(f"Person {i}" for i in range(1, len(people) + 1)) + ";Anmerkung",
            "questionnaire;;;mini@1.0" + ";" * len(people),
            "municipality.name;;;Testdorf" + ";" * len(people),
            "municipality.population;;;3000" + ";" * len(people),
            "respondent.name;;;" + ";".join(people) + ";",
            "sec_mfa;;;" + ";".join("ja" for _ in people) + ";"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_sheet_import_writes_all_files_or_none(tmp_path):
    sheet = _filled_csv(tmp_path / "workshop.csv", ["Erika", "Max", "Ida"])
    out = tmp_path / "answers"
    out.mkdir()
    (out / "ida.yaml").mkdir()  # the third person's file cannot be written: a folder is in the way
    result = run("sheet", "import", sheet, "-o", out, "--force", "--lang", "en")
    assert result.returncode == 1 and "is a folder, not a regular file" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["ida.yaml"], "the first two files must not be left behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers", "workshop.csv"], "a staging folder was left"

    fresh = tmp_path / "new"
    result = run("sheet", "import", sheet, "-o", fresh)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in fresh.iterdir()) == ["erika.yaml", "ida.yaml", "max.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers", "new", "workshop.csv"]


def test_sheet_import_gives_file_names_that_fit_everywhere(tmp_path):
    sheet = _filled_csv(tmp_path / "workshop.csv", ["E" * 5000, "Max", "Con", "../../etc/passwd"])
    result = run("sheet", "import", sheet, "-o", tmp_path / "answers")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "answers").iterdir())
    assert names == ["e" * 60 + ".yaml", "etc-passwd.yaml", "max.yaml", "person-con.yaml"]


# --- two interviews on one file ------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")


def _interview(out: Path):
    return pexpect.spawn(sys.executable, ["-m", "assess", "interview", "mini", "-o", str(out), "--lang", "en"],
                         env=dict(ENV, TERM="dumb"), encoding="utf-8", timeout=30, dimensions=(40, 120),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.terminal
def test_a_second_interview_on_the_same_file_is_refused_and_a_killed_ones_lock_taken_over(tmp_path):
    out = tmp_path / "antworten.yaml"
    first = _interview(out)
    first.expect_exact("Answer: ")
    first.sendline("Testdorf")
    first.expect_exact("Answer: ")  # the name is saved; the interview now waits for the population

    second = _interview(out)
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 1
    assert f"{out} is being edited by" in second.before and "(since " in second.before
    assert "Testdorf" in out.read_text(encoding="utf-8"), "the first interview's answer must stay"

    first.kill(signal.SIGKILL)  # a crash: the lock file stays behind
    first.close()
    third = _interview(out)
    third.expect_exact("still held the lock")
    third.expect_exact("Answer: ")
    third.sendline("q")
    third.expect(pexpect.EOF)
    third.close()
    assert third.exitstatus == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["antworten.yaml"], "the lock must be gone after the run"


def _lock_held_by(path: Path, **holder) -> None:
    import json

    from assess.files import lock_path

    lock_path(path).write_text(json.dumps(holder), encoding="utf-8")


def test_a_lock_of_a_live_process_or_another_host_is_respected_a_broken_one_replaced(tmp_path):
    import socket

    from assess.errors import OutputError
    from assess.files import edit_lock, lock_path

    target = tmp_path / "a.yaml"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _lock_held_by(target, pid=sleeper.pid, host=socket.gethostname(), user="erika", since="2026-11-23T09:15:00+01:00")
        with pytest.raises(OutputError) as caught:
            with edit_lock(target):
                pass
        assert "erika" in caught.value.message.en and "since 23.11.2026 09:15" in caught.value.message.en
        assert str(lock_path(target)) in caught.value.message.en  # … and how to release it by hand
    finally:
        sleeper.kill()
        sleeper.wait()
    _lock_held_by(target, pid=_dead_pid(), host="another-machine", user="max", since="2026-11-23T09:15:00+01:00")
    with pytest.raises(OutputError, match="max on another-machine"):  # its process cannot be checked from here
        with edit_lock(target):
            pass
    lock_path(target).write_text("{half", encoding="utf-8")
    notes: list = []
    with edit_lock(target, notes) as lock:
        assert str(os.getpid()) in lock.read_text(encoding="utf-8")
    assert not lock_path(target).exists()


def test_a_pipe_given_as_input_is_refused_at_once_not_waited_on(tmp_path):
    pipe = tmp_path / "antworten.yaml"
    os.mkfifo(pipe)
    for args in (("validate", pipe), ("merge", GOOD, pipe, "-o", tmp_path / "out.yaml")):
        result = run(*args, "--lang", "en")  # run() gives up after 120 s; a read would wait for ever
        assert result.returncode == 1 and f"{pipe}: not a regular file" in result.stderr
