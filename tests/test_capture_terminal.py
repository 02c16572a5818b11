"""The interview through a real terminal (pexpect): answer, Ctrl-C, kill, resume — nothing is lost."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from assess.answers import load_answers
from assess.loading import load_questionnaire

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.terminal

DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
PROMPT = "Antwort: "


def spawn(out: Path):
    env = dict(os.environ, ASSESS_QUESTIONNAIRES=str(DATA / "questionnaires"), PYTHONIOENCODING="utf-8",
               TERM="dumb", COLUMNS="120")
    # A runner started in the background (nohup, CI) may hand down an ignored SIGINT; the child
    # must get the default, as in a real terminal, or Ctrl-C would never reach it.
    return pexpect.spawn(sys.executable, ["-m", "assess", "interview", "mini", "-o", str(out)],
                         env=env, encoding="utf-8", timeout=20, dimensions=(40, 120),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def answer(child, expect: str, line: str) -> None:
    """Wait for `expect` and the prompt, then type `line` and Enter."""
    child.expect_exact(expect)
    child.expect_exact(PROMPT)
    child.sendline(line)


def saved(out: Path) -> dict:
    questionnaire = load_questionnaire(MINI)
    answers, _ = load_answers(out, lambda qid, version: questionnaire)
    return {a.question: a.value for a in answers.answers}


def test_interrupt_kill_and_resume_in_a_real_terminal(tmp_path):
    out = tmp_path / "antworten.yaml"

    # 1. Facts, priorities, two questions — then Ctrl-C while the third question waits.
    child = spawn(out)
    answer(child, "Name der Gemeinde", "Testdorf")
    answer(child, "Einwohnerzahl", "3.000")
    for expect in ("Land", "Gemeindeschlüssel", "Ihr Name", "Ihre Rolle", "Strategie", "Sicherheit"):
        answer(child, expect, "")
    answer(child, "Frage 1 von 7 · Strategie", "2")
    answer(child, "Frage 2 von 8 · Strategie", "?")
    child.expect_exact("Zu dieser Frage gibt es keinen Hilfetext.")
    child.expect_exact(PROMPT)
    child.sendline("j")
    child.expect_exact("Frage 3 von 8 · Strategie")
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect_exact("Unterbrochen. Alle bisherigen Antworten sind in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert saved(out) == {"str_strategy": "draft", "str_budget": True}

    # 2. Resume at the first unanswered question; answer one; the process is killed outright.
    child = spawn(out)
    child.expect_exact("2 von 8 Fragen beantwortet")
    answer(child, "Frage 3 von 8 · Strategie", "1,3")
    child.expect_exact("Frage 4 von 8 · Strategie")
    child.expect_exact(PROMPT)
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert saved(out) == {"str_strategy": "draft", "str_budget": True, "str_goals": ("services", "skills")}
    # No half-written files; the killed interview's lock stays until the next start takes it over.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".antworten.yaml.lock", "antworten.yaml"]

    # 3. Resume again and finish.
    child = spawn(out)
    child.expect_exact("hatte")  # „ein abgebrochenes Interview (…) hatte … noch gesperrt; die Sperre ist aufgehoben“
    child.expect_exact("3 von 8 Fragen beantwortet")
    answer(child, "Frage 4 von 8 · Strategie", "Kein Kommentar")
    answer(child, "Frage 5 von 8 · Sicherheit", "3")
    answer(child, "Frage 6 von 8 · Sicherheit", "j")
    answer(child, "Frage 7 von 8 · Sicherheit", "n")
    answer(child, "Frage 8 von 8 · Sicherheit", "w")
    child.expect_exact("Fertig: 8 von 8 Fragen beantwortet")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert saved(out) == {"str_strategy": "draft", "str_budget": True, "str_goals": ("services", "skills"),
                          "str_notes": "Kein Kommentar", "sec_backup": "offline", "sec_mfa": True,
                          "sec_patch": False, "sec_staff": "unknown"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["antworten.yaml"]
