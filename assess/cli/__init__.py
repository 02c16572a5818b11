"""The `assess` command line: parses arguments, calls the core, prints results.

Only this package imports click. Answer-capture commands live in `assess.cli.capture`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assess import __version__
from assess.cli.common import CONFIG, CONTEXT, FILE, LANG, OUT, TEMPLATE_DIR, check_output, handle_errors, report_config
from assess.cli.messages import echo, echo_json, say, text
from assess.errors import ValidationError, language_for, rendered


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="assess")
@click.option(
    "--questionnaires", "search", multiple=True, envvar="ASSESS_QUESTIONNAIRES",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra folder of questionnaire bundles (<id>/questionnaire.yaml), searched before the installed ones.",
)
@click.pass_context
def cli(ctx, search):
    """Kommunal-Digitalcheck: assess a municipality's digital maturity and write its profile report.

    \b
    Start here:
      assess demo -o demo/                  report for the sample town Musterstadt
      assess list                           installed questionnaires
      assess template quickcheck -o a.yaml  a fill-in answer file
      assess validate a.yaml                check it, line by line
      assess report a.yaml -o report.html   the report

    Exit codes: 0 success, 1 invalid input or other user error, 2 wrong usage, 3 internal error.
    """
    ctx.obj = tuple(search)


@cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG
@click.pass_obj
@handle_errors
def list_command(search, fmt, lang):
    """List the installed questionnaires.

    Example: assess list --format json
    """
    from assess.resources import questionnaire_paths
    from assess.loading import load_questionnaire

    rows, broken = [], []
    for path in questionnaire_paths(search):
        try:
            q = load_questionnaire(path)
        except ValidationError:
            broken.append(path)
            continue
        rows.append({"id": q.id, "version": q.version, "title": q.title.get(lang),
                     "dimensions": len(q.dimensions), "questions": len(q.questions)})
    for path in broken:
        say("not_listed", lang, err=True, path=path)
    if fmt == "json":
        echo_json(rows)
    elif rows:
        _print_table(rows, text("list_header", lang).split())
    sys.exit(1 if broken else 0)


def _print_table(rows: list[dict], titles: list[str]) -> None:
    """Print rows of equal keys as an aligned plain-text table under the column `titles`."""
    lines = [titles] + [[str(v) for v in row.values()] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(titles))]
    for line in lines:
        echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@LANG
@click.pass_obj
@handle_errors
def validate(search, files, lang):
    """Check questionnaires, measure catalogues and answer files; report every problem.

    Each problem is printed as FILE:LINE: message, with a hint how to fix it, in --lang.
    Exit 0 when all files are valid (warnings allowed), 1 otherwise.

    Example: assess validate answers.yaml questionnaires/quickcheck/questionnaire.yaml
    """
    from assess.validation import validate_file

    failed = 0
    for path in files:
        problems = validate_file(path, search)
        file_lang = language_for([p.message for p in problems], lang)
        for line in rendered(problems, file_lang):
            echo(line, err=True)
        errors = [p for p in problems if not p.warning]
        if errors:
            failed += 1
            say("file_errors", file_lang, err=True, path=path, count=len(errors))
        else:
            echo(f"{path}: OK")
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("answers", type=FILE)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG
@click.pass_obj
@handle_errors
def score(search, answers, fmt, lang):
    """Score an answer file: overall and per dimension score, level and coverage.

    Example: assess score examples/musterstadt.yaml --format json
    """
    from assess.library import Library
    from assess.terminal import scores_table
    from assess.report_data import scores_to_data

    library = Library(search)
    scores = library.score(*library.read_answers(answers))
    if fmt == "json":
        echo_json(scores_to_data(scores, lang))
    else:
        echo(scores_table(scores, lang))


@cli.command()
@click.argument("answers", type=FILE)
@click.argument("dimension", required=False)
@LANG
@click.pass_obj
@handle_errors
def explain(search, answers, dimension, lang):
    """Show how each dimension score is computed: every answer, value, weight and what was left out.

    Give a DIMENSION id to explain only that one.

    Example: assess explain examples/musterstadt.yaml security
    """
    from assess.library import Library
    from assess.terminal import explain_text

    library = Library(search)
    scores = library.score(*library.read_answers(answers))
    echo(explain_text(scores, dimension, lang))


@cli.command()
@click.argument("questionnaire")
@click.option("-o", "--output", type=OUT, required=True, help="Answer file to write (.yaml or .json).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@LANG
@click.pass_obj
@handle_errors
def template(search, questionnaire, output, force, lang):
    """Write a fill-in answer file for QUESTIONNAIRE (an installed id or a path).

    Example: assess template quickcheck -o antworten.yaml
    """
    from assess.files import write_text
    from assess.loading import load_questionnaire
    from assess.resources import find_questionnaire
    from assess.template import answer_template, template_as_json

    check_output(output, force)
    q = load_questionnaire(find_questionnaire(questionnaire, search))
    text = template_as_json(q) if output.suffix.lower() == ".json" else answer_template(q, lang)
    write_text(output, text, overwrite=force)
    say("wrote_template", lang, path=output, questions=len(q.questions))


@cli.command()
@click.argument("answers", type=FILE)
@click.option("-o", "--output", type=OUT, required=True, help="Report file; the suffix picks the format.")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "docx", "md", "json"]), help="Output format (default: from the suffix).")
@click.option("--edition", type=click.Choice(["kurz", "voll"]), default="kurz", show_default=True,
              help="kurz: the short edition for the council (about 8 pages for a Quick-Check, 16 for a Digital-Check); "
                   "voll: everything, every answer and measure, with a table of contents.")
@LANG
@click.option("--baseline", type=FILE, help="An earlier answer file of the same municipality, to show progress.")
@click.option("--peers", type=click.Path(exists=True, path_type=Path), multiple=True, help="A folder of answer files of comparable municipalities, or one file per --peers (at least 5 other towns); the report shows their quartiles and median, never a ranking or a name. Files in the folder that cannot be used are listed and passed over.")
@CONFIG
@TEMPLATE_DIR
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_obj
@handle_errors
def report(search, answers, output, fmt, edition, lang, baseline, peers, config_path, template_dir, force):
    """Write the digitalisation profile report for an answer file.

    The format follows the suffix of OUTPUT (.html, .pdf, .docx, .md, .json) unless --format is given.
    PDF needs the optional extra: pip install 'kommunal-digitalcheck[pdf]'; Word (.docx) the extra [docx].
    With --peers, every file of the folder that is passed over is listed with its reason; the exit code is
    0 when the report was written, 1 when it was not (e.g. fewer than 5 other towns).

    \b
    Examples:
      assess report antworten.yaml -o bericht.html
      assess report antworten.yaml -o bericht.pdf --baseline antworten-2025.yaml
      assess report antworten.yaml -o bericht.docx --edition voll
      assess report antworten.yaml -o report.md --lang en
      assess report kunden/lindenau.yaml -o lindenau.html --peers kunden/
    """
    from assess.library import Library
    from assess.render import format_for, render_report_file

    check_output(output, force)
    format_for(output, fmt)
    config = report_config(config_path, template_dir)
    library = Library(search)
    answer_set, questionnaire = library.read_answers(answers)
    before = library.read_answers(baseline, migrate=True)[0] if baseline is not None else None
    found = None
    if peers:
        found = library.read_peers(peers, questionnaire, exclude=[answers])
        for problem in found.skipped:  # every file passed over, with its reason, before anything else
            echo(problem.render(lang), err=True)
    result = library.assess(answer_set, questionnaire, before, found.results if found else None)
    written = render_report_file(result, output, fmt, lang, config, edition, overwrite=force)
    if found:
        say("peers_summary", lang, err=True, municipalities=result.peers.count, used=len(found.results),
            skipped=len(found.skipped))
    say("wrote_report", lang, path=written)


@cli.command()
@click.argument("answers", type=FILE)
@click.option("-o", "--output", type=OUT, required=True, help="New answer file (.yaml or .json).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@LANG
@click.pass_obj
@handle_errors
def migrate(search, answers, output, force, lang):
    """Carry an answer file of an earlier questionnaire version over to the installed version.

    Renamed, split and merged questions and changed options follow the bundle's declared migration;
    whatever cannot be carried over is named and left out, never guessed. The original file stays.

    Example: assess migrate antworten-2024.yaml -o antworten-2024-neu.yaml
    """
    from assess.answers import save_answers
    from assess.library import Library

    check_output(output, force)
    migrated, questionnaire, notes = Library(search).migrate_file(answers)
    save_answers(migrated, output, overwrite=force)
    for note in notes:
        echo(note.render(lang), err=True)
    say("wrote_migrated", lang, path=output, ref=questionnaire.ref, dropped=len(notes))


@cli.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-report"), show_default=True, help="Folder for the demo report.")
@click.option("--edition", type=click.Choice(["kurz", "voll"]), default="kurz", show_default=True,
              help="kurz: the short edition for the council; voll: everything, with a table of contents.")
@LANG
@click.pass_obj
@handle_errors
def demo(search, out_dir, edition, lang):
    """Write the report of the fictional sample town Musterstadt (about 12,000 inhabitants).

    Example: assess demo -o demo/
    """
    from assess.library import Library
    from assess.render import render_report_file
    from assess.resources import example_path

    result = Library(search).assess_file(example_path("musterstadt.yaml"), example_path("musterstadt-2024.yaml"))
    written = render_report_file(result, out_dir / f"musterstadt-{lang}.html", "html", lang, edition=edition)
    say("wrote_demo", lang, path=written)


from assess.cli import batch, capture, serve  # noqa: E402  (registers after the group and helpers exist)

batch.register(cli)
capture.register(cli)
serve.register(cli, handle_errors, LANG)


def main():
    """Console entry point."""
    cli(prog_name="assess")


if __name__ == "__main__":
    main()
