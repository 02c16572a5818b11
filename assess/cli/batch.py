"""`assess batch`: a report for every answer file of a folder, and an overview page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assess.cli.common import CONFIG, LANG, TEMPLATE_DIR, handle_errors, report_config
from assess.cli.messages import echo, say, text


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the reports and the overview index.html (created if missing).")
@click.option("--format", "formats", default="html", show_default=True,
              help="Report formats, separated by commas: html, pdf, json, md, docx.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Reports made at the same time, in separate processes (up to the number of cores helps).")
@click.option("--edition", type=click.Choice(["kurz", "voll"]), default="kurz", show_default=True,
              help="kurz: the short edition for the council; voll: everything, with a table of contents.")
@LANG
@CONFIG
@TEMPLATE_DIR
@click.option("--force", is_flag=True, help="Overwrite existing reports in the output folder.")
@click.pass_obj
@handle_errors
def batch(search, folder, out_dir, formats, jobs, edition, lang, config_path, template_dir, force):
    """Write a report for every answer file in FOLDER, and an overview page.

    Each answer file (.yaml, .yml, .json) gets its reports in the output folder, named after the file;
    index.html lists every municipality with its maturity index, level and coverage and links to its
    reports, sorted by name (never a ranking). A file with errors is named with FILE:LINE and its
    problems and passed over; the other files go on. A progress bar shows on a terminal.

    Exit code: 0 when every report was written, 1 when some files had errors (the others are written),
    3 when assess itself failed on a file.

    Example: assess batch kunden/ -o berichte/ --format html,pdf --jobs 2
    """
    from assess import batch as batching
    from assess.errors import AssessError, rendered
    from assess.texts import both

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    for fmt in chosen or ("",):
        if fmt not in batching.FORMATS:
            raise AssessError(both("batch.unknown_format", fmt=fmt, formats=", ".join(batching.FORMATS)))
    config = report_config(config_path, template_dir)  # every report as `assess report` would make it
    files = batching.answer_files(folder)
    if not files:
        raise AssessError(both("batch.no_files", path=folder))
    planned = batching.plan(files, out_dir, chosen, force)
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes = []
    show = sys.stderr.isatty()  # a progress bar only for a person watching, never in a log
    with click.progressbar(length=len(planned), label=text("batch_progress", lang), file=sys.stderr,
                           show_pos=True, show_eta=True) if show else _Quiet() as bar:
        for outcome in batching.run(planned, out_dir, chosen, lang, edition, jobs, search, force, config):
            if not outcome.ok:
                if show:
                    echo("", err=True)
                for line in rendered(outcome.problems, lang):  # capped like every problem list
                    echo(line, err=True)
            outcomes.append(outcome.trimmed())  # the overview needs little of each
            bar.update(1)
    index = batching.write_overview(outcomes, out_dir, lang)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        say("batch_failed", lang, err=True, count=len(failed))
    say("batch_done", lang, ok=len(outcomes) - len(failed), total=len(outcomes), index=index)
    sys.exit(3 if any(o.internal for o in failed) else 1 if failed else 0)


class _Quiet:
    """Stands in for the progress bar when nobody watches."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, _steps: int) -> None:
        pass


def register(group) -> None:
    """Add `assess batch` to the `assess` group."""
    group.add_command(batch)
