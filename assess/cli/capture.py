"""Click commands for answer capture: interview, offline HTML form, spreadsheets, merging."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assess.cli import FILE, LANG, OUT, check_output, handle_errors

MESSAGES = {
    "de": {
        "start": "Interview: {title} ({ref}) · Antworten werden nach jeder Eingabe in {path} gespeichert.",
        "resume": "Fortsetzung von {path}: {answered} von {total} Fragen beantwortet.",
        "all_done": "Alle Fragen in {path} sind beantwortet. Zum Durchsehen: --review",
        "answer": "Antwort",
        "interrupted": "Unterbrochen. Alle bisherigen Antworten sind in {path} gespeichert.\nWeiter mit: {command}",
        "quit": "Gespeichert in {path}. Weiter mit: {command}",
        "done": "Fertig: {answered} von {total} Fragen beantwortet, gespeichert in {path}.\nBericht: assess report {path} -o bericht.html",
        "facts_missing": "Hinweis: Name und Einwohnerzahl der Gemeinde fehlen noch; der Bericht braucht sie.",
        "at_start": "(Das ist der erste Schritt.)",
    },
    "en": {
        "start": "Interview: {title} ({ref}) · answers are saved to {path} after every entry.",
        "resume": "Continuing {path}: {answered} of {total} questions answered.",
        "all_done": "All questions in {path} are answered. To go through them again: --review",
        "answer": "Answer",
        "interrupted": "Interrupted. All answers so far are saved in {path}.\nContinue with: {command}",
        "quit": "Saved in {path}. Continue with: {command}",
        "done": "Done: {answered} of {total} questions answered, saved in {path}.\nReport: assess report {path} -o report.html",
        "facts_missing": "Note: the municipality's name and population are still missing; the report needs them.",
        "at_start": "(This is the first step.)",
    },
}


def _say(lang: str, key: str, **values) -> None:
    click.echo(MESSAGES[lang][key].format(**values))


# --- interview ------------------------------------------------------------------------------------


@click.command()
@click.argument("questionnaire")
@click.option("-o", "--output", type=OUT, required=True, help="Answer file (.yaml or .json); an existing one is continued.")
@click.option("--review", is_flag=True, help="Start at the first step and show every answer so far (Enter keeps it).")
@LANG
@click.pass_obj
@handle_errors
def interview(search, questionnaire, output, review, lang):
    """Answer QUESTIONNAIRE question by question in the terminal.

    Asks the municipality's facts and priorities, then each question whose condition holds.
    The answer file is saved after every answer; run the same command again to continue at
    the first unanswered question. At each prompt: ? help, z back, Enter skip, w don't know,
    x not applicable (where offered), q quit.

    Example: assess interview quickcheck -o antworten.yaml
    """
    from assess.answers import save_answers
    from assess.capture.interview import ANSWER, BACK, HELP, INVALID, QUIT, Interview, load_for_resume
    from assess.loading import load_questionnaire
    from assess.resources import find_questionnaire

    q = load_questionnaire(find_questionnaire(questionnaire, search))
    existing = load_for_resume(output, q) if output.exists() else None
    iv = Interview(q, existing)
    command = f"assess interview {questionnaire} -o {output}" + (" --lang en" if lang == "en" else "")
    _say(lang, "start", title=q.title.get(lang), ref=q.ref, path=output)
    if existing is not None:
        answered, total = iv.counts()
        _say(lang, "resume", path=output, answered=answered, total=total)
    step = iv.first() if review else iv.resume_point()
    if step is None:
        _say(lang, "all_done", path=output)
        return
    try:
        while step is not None:
            click.echo("")
            click.echo(iv.progress(step, lang))
            click.echo(iv.prompt(step, lang))
            if iv.value(step) is not None:
                click.echo(iv.describe_value(step, lang))
            click.echo(iv.keys(step, lang))
            while True:
                line = click.prompt(MESSAGES[lang]["answer"], default="", show_default=False)
                action = iv.parse(step, line, lang)
                if action.kind == INVALID:
                    click.echo(action.message)
                    continue
                if action.kind == HELP:
                    click.echo(iv.help(step, lang))
                    continue
                break
            if action.kind == QUIT:
                _say(lang, "quit", path=output, command=command)
                return
            if action.kind == BACK:
                previous = iv.previous_before(step)
                if previous is None:
                    click.echo(MESSAGES[lang]["at_start"])
                step = previous or step
                continue
            if action.kind == ANSWER:
                iv.answer(step, action.value)
                save_answers(iv.answers, output)
            step = iv.next_after(step)
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo("")
        _say(lang, "interrupted", path=output, command=command)
        sys.exit(130)
    answered, total = iv.counts()
    if not iv.answers.municipality.name or not iv.answers.municipality.population:
        _say(lang, "facts_missing")
    _say(lang, "done", answered=answered, total=total, path=output)


def register(group) -> None:
    """Add the capture commands to the `assess` group."""
    group.add_command(interview)
