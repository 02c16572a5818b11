"""Click commands for answer capture: interview, offline HTML form, spreadsheets, merging."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from assess.cli.common import FILE, LANG, OUT, check_output, handle_errors
from assess.cli.messages import echo, say, text
from assess.bilingual import Text

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
    from assess.files import edit_lock
    from assess.loading import load_questionnaire
    from assess.resources import find_questionnaire

    check_output(output, force=True)  # an existing answer file is continued; a pipe or folder is refused
    q = load_questionnaire(find_questionnaire(questionnaire, search))
    notes: list = []
    # The lock keeps a second interview off this file; taking it also shows at once, before the first
    # question, when the place cannot be written.
    with edit_lock(output, notes):
        for note in notes:
            echo(note.get(lang), err=True)
        _interview(q, questionnaire, output, review, lang)


def _interview(q, questionnaire: str, output: Path, review: bool, lang: str) -> None:
    from assess.answers import save_answers
    from assess.capture.interview import ANSWER, BACK, HELP, INVALID, QUIT, Interview, load_for_resume

    existing = load_for_resume(output, q) if output.exists() else None
    iv = Interview(q, existing)
    command = f"assess interview {shlex.quote(questionnaire)} -o {shlex.quote(str(output))}" + (" --lang en" if lang == "en" else "")
    say("start", lang, title=q.title.get(lang), ref=q.ref, path=output)
    if existing is not None:
        answered, total = iv.counts()
        say("resume", lang, path=output, answered=answered, total=total)
    step = iv.first() if review else iv.resume_point()
    if step is None:
        say("all_done", lang, path=output)
        return
    try:
        while step is not None:
            echo("")
            echo(iv.progress(step, lang))
            echo(iv.prompt(step, lang))
            if iv.value(step) is not None:
                echo(iv.describe_value(step, lang))
            echo(iv.keys(step, lang))
            while True:
                line = click.prompt(text("answer", lang), default="", show_default=False)
                action = iv.parse(step, line, lang)
                if action.kind == INVALID:
                    echo(action.message)
                    continue
                if action.kind == HELP:
                    echo(iv.help(step, lang))
                    continue
                break
            if action.kind == QUIT:
                say("quit" if output.exists() else "nothing_saved", lang, path=output, command=command)
                return
            if action.kind == BACK:
                previous = iv.previous_before(step)
                if previous is None:
                    say("at_start", lang)
                step = previous or step
                continue
            if action.kind == ANSWER:
                iv.answer(step, action.value)
                save_answers(iv.answers, output)
            step = iv.next_after(step)
    except (click.Abort, KeyboardInterrupt, EOFError):
        echo("")
        say("interrupted" if output.exists() else "nothing_saved", lang, path=output, command=command)
        sys.exit(130)
    answered, total = iv.counts()
    if not iv.answers.municipality.name or not iv.answers.municipality.population:
        say("facts_missing", lang)
    say("done", lang, answered=answered, total=total, path=output)


# --- offline form ---------------------------------------------------------------------------------


@click.command()
@click.argument("questionnaire")
@click.option("-o", "--output", type=OUT, required=True, help="The HTML file to write, e.g. fragebogen.html.")
@click.option("--answers", "prefill", type=FILE, help="Prefill the form with an earlier answer file (YAML or JSON).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@LANG
@click.pass_obj
@handle_errors
def form(search, questionnaire, output, prefill, force, lang):
    """Write an offline HTML form for QUESTIONNAIRE to send to a municipality.

    One self-contained file: it opens in any browser from disk or an e-mail attachment, needs no
    internet, keeps a draft in the browser and downloads an answer file that assess reads:
    assess report antworten-<gemeinde>.json -o bericht.html

    Example: assess form quickcheck -o fragebogen.html
    """
    from assess.answers import load_answers
    from assess.files import write_text
    from assess.capture.form import render_form
    from assess.errors import AssessError
    from assess.loading import load_questionnaire
    from assess.resources import find_questionnaire

    check_output(output, force)
    q = load_questionnaire(find_questionnaire(questionnaire, search))
    answers = None
    if prefill is not None:
        def resolve(qid, version):
            if (qid, version) != (q.id, q.version):
                raise AssessError(Text(f"die Antwortdatei gehört zu {qid}@{version}, das Formular aber zu {q.ref}",
                                       f"the answer file is for {qid}@{version}, but the form is for {q.ref}"))
            return q
        answers, _ = load_answers(prefill, resolve)
    write_text(output, render_form(q, lang, answers), overwrite=force)
    say("wrote_form", lang, path=output, questions=len(q.questions))


# --- spreadsheets ----------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def sheet():
    """Spreadsheet workshops: export a workbook (or CSV), fill it in together, import the answers.

    \b
    Example:
      assess sheet export quickcheck -o workshop.xlsx --respondents 5
      assess sheet import workshop.xlsx -o antworten/
      assess merge antworten/*.yaml -o gemeinsam.yaml
    """


@sheet.command("export")
@click.argument("questionnaire")
@click.option("-o", "--output", type=OUT, required=True, help="Workbook (.xlsx) or table (.csv) to write.")
@click.option("--respondents", type=click.IntRange(1, 50), default=1, show_default=True, help="Answer columns, one per person.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@LANG
@click.pass_obj
@handle_errors
def sheet_export(search, questionnaire, output, respondents, force, lang):
    """Write a workshop workbook (.xlsx) or CSV table for QUESTIONNAIRE.

    The workbook has a facts sheet and one sheet per dimension with dropdown lists, the help
    in a column and one answer column per person. A .csv suffix writes one CSV table instead.

    Example: assess sheet export quickcheck -o workshop.xlsx --respondents 5
    """
    from assess.capture.sheet import export_csv, export_workbook
    from assess.errors import AssessError
    from assess.loading import load_questionnaire
    from assess.resources import find_questionnaire

    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise AssessError(Text(f"das Format ist aus „{output}“ nicht erkennbar; verwenden Sie die Endung .xlsx "
                               f"(Arbeitsmappe) oder .csv",
                               f"cannot tell the format from '{output}'; use the suffix .xlsx (workbook) or .csv"))
    check_output(output, force)
    q = load_questionnaire(find_questionnaire(questionnaire, search))
    (export_csv if suffix == ".csv" else export_workbook)(q, output, respondents, lang, overwrite=force)
    say("wrote_sheet", lang, path=output, questions=len(q.questions), respondents=respondents)


@sheet.command("import")
@click.argument("workbook", type=FILE)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the answer files, one per person.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Answer file format.")
@click.option("--force", is_flag=True, help="Overwrite existing answer files.")
@LANG
@click.pass_obj
@handle_errors
def sheet_import(search, workbook, out_dir, fmt, force, lang):
    """Read a filled-in workshop workbook (.xlsx) or CSV table into one answer file per person.

    Every problem is named with sheet and cell. Existing answer files are never overwritten
    without --force; on any error nothing is written.

    Example: assess sheet import workshop.xlsx -o antworten/
    """
    from assess.capture.sheet import import_sheet, write_answer_sets
    from assess.library import Library

    result = import_sheet(workbook, Library(search).resolve)
    paths = write_answer_sets(result, out_dir, force, "." + fmt)
    for number, name in result.empty_columns:
        say("empty_column", lang, err=True, number=number, name=f" ({name})" if name else "")
    for answer_set, path in zip(result.answer_sets, paths):
        person = answer_set.respondents[0]
        who = f"{person.name} ({person.role})" if person.role else person.name
        say("wrote_person", lang, path=path, who=who, answers=len(answer_set.answers))
    if len(paths) > 1:
        say("combine", lang, paths=" ".join(str(p) for p in paths))


# --- merging ---------------------------------------------------------------------------------------


@click.command()
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option("-o", "--output", type=OUT, required=True, help="The combined answer file (.yaml or .json).")
@click.option("--method", type=click.Choice(["median", "mean", "min"]), default="median", show_default=True,
              help="How answers combine: median (the middle view), mean, or min (the most cautious view).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@LANG
@click.pass_obj
@handle_errors
def merge(search, files, output, method, force, lang):
    """Combine the answer files of several respondents into one, keeping everyone's answers.

    The combined file scores like any answer file; it also records each person's answer, so
    the report can show where views diverge by two levels or more.

    Example: assess merge buergermeisterin.yaml hauptamt.yaml it.yaml -o gemeinsam.yaml
    """
    from assess.answers import save_answers
    from assess.capture.merge import divergences, merge as merge_sets
    from assess.i18n import answer_text
    from assess.library import Library

    check_output(output, force)
    library = Library(search)
    loaded = library.read_many(files)
    questionnaire = loaded[0][1]
    result = merge_sets([a for a, _ in loaded], questionnaire, method, [p.stem for p in files])
    for warning in result.warnings:
        echo(warning.render(lang), err=True)
    save_answers(result.answers, output, overwrite=force)
    people = ", ".join(f"{r.name} ({r.role})" if r.role else r.name for r in result.answers.respondents)
    say("wrote_merge", lang, path=output, files=len(files), people=len(result.answers.respondents), names=people, method=method)
    found = divergences(result.answers, questionnaire)
    if not found:
        say("no_divergence", lang)
        return
    say("divergence", lang, count=len(found))
    for d in found:
        echo(f"  {d.dimension.title.get(lang)} · {d.question.text.get(lang)}")
        # one line per answer given, with who gave it: five lines for a team of fifty, not fifty
        by_answer: dict = {}
        for v in d.views:
            by_answer.setdefault(v.value, []).append(f"{v.respondent} ({v.role})" if v.role else v.respondent)
        for value, who in by_answer.items():
            echo(f"    {answer_text(d.question, value, lang)}: {', '.join(who)}")


def register(group) -> None:
    """Add the capture commands to the `assess` group."""
    for command in (interview, form, sheet, merge):
        group.add_command(command)
