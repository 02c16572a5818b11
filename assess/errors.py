"""The one error hierarchy of assess; the CLI turns these into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


class AssessError(Exception):
    """Base class: a problem the user can fix; its message is written for the user."""


@dataclass(frozen=True)
class Problem:
    """One finding in an input file, located by path and line."""

    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"


class ValidationError(AssessError):
    """Raised when an input file (questionnaire, answers, catalogue, workbook) has errors.

    Carries every problem found, not only the first.
    """

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFoundError(AssessError):
    """Raised when a named questionnaire, file or template does not exist."""


class MissingExtraError(AssessError):
    """Raised when an optional dependency (weasyprint, openpyxl) is needed but not installed."""

    def __init__(self, package: str, extra: str, purpose: str):
        super().__init__(
            f"{purpose} needs the optional package '{package}', which is not installed. "
            f"Install it with: pip install 'kommunal-digitalcheck[{extra}]'  (or: pip install {package})"
        )


class OutputExistsError(AssessError):
    """Raised when writing would overwrite an existing file without --force."""


class OutputError(AssessError):
    """Raised when an output file cannot be written (no permission, a folder in the way, disk full)."""
