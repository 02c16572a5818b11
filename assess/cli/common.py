"""What every command shares: option types, the error handler and the overwrite check."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from assess.cli.messages import echo, say
from assess.errors import AssessError, ValidationError, language_for, rendered

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_INTERNAL = 3

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT = click.Path(dir_okay=False, path_type=Path)
LANG = click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the output.")
CONFIG = click.option("--config", "config_path", type=FILE,
                      help="Report settings (organisation, logo, colours, footer); default: ./assess.yaml if present.")
TEMPLATE_DIR = click.option("--template-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                            help="Folder with report templates that replace the built-in ones by name.")


def report_config(config_path: Path | None, template_dir: Path | None):
    """The report settings of `--config` (else ./assess.yaml) with `--template-dir`, for report and batch."""
    from dataclasses import replace

    from assess.config import load_config

    config = load_config(config_path)
    return replace(config, template_dir=template_dir) if template_dir is not None else config


def handle_errors(func):
    """Turn AssessError into a clean message with exit code 1; never show a traceback.

    Errors are reported in the command's --lang where every message of the report has that
    language (a few messages for template authors are English only), otherwise in English.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        wanted = kwargs.get("lang") or "en"
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            lang = language_for([p.message for p in exc.problems], wanted)
            for line in rendered(exc.problems, lang):
                echo(line, err=True)
            count = sum(1 for p in exc.problems if not p.warning)
            say("errors_found", lang, err=True, count=count)
            sys.exit(1)
        except AssessError as exc:
            lang = language_for([exc.message], wanted)
            say("error", lang, err=True, message=exc.message_in(lang))
            sys.exit(1)
        except KeyboardInterrupt:
            say("aborted", wanted, err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:  # last resort: a bug must not show a traceback to a town hall
            if os.environ.get("ASSESS_DEBUG"):
                raise
            say("internal_error", wanted, err=True, error=f"{type(exc).__name__}: {exc}")
            sys.exit(EXIT_INTERNAL)

    return wrapper


def check_output(path: Path, force: bool) -> None:
    """Refuse early to overwrite an existing file without --force, or anything but a regular file."""
    from assess.files import check_output as check

    check(path, force)
