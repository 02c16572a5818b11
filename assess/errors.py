"""The one error hierarchy of assess; the CLI turns these into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass

from assess.bilingual import Text


def in_language(message: str | Text, lang: str) -> str:
    """A message in `lang`: messages given as Text have both languages, plain strings are English."""
    return message.get(lang) if isinstance(message, Text) else message


def message(de: str, en: str, **values) -> Text:
    """A message in both languages from two templates; values that are Text are filled in per language."""

    def fill(template: str, lang: str) -> str:
        return template.format(**{k: in_language(v, lang) for k, v in values.items()})

    return Text(fill(de, "de"), fill(en, "en"))


def language_for(messages, wanted: str) -> str:
    """`wanted` where every message exists in it, else English: one report never mixes languages."""
    return wanted if all(isinstance(m, Text) for m in messages) else "en"


def rendered(problems, lang: str) -> list[str]:
    """The lines to print for `problems` in `lang`: every print of problems goes through here.

    At most MAX_SHOWN_PROBLEMS are shown (errors before warnings), each at most MAX_SHOWN_CHARS long;
    the rest is counted in one closing line ("… weitere Meldungen: 999.990"), so a broken file of a million
    rows gives a readable screen, not 200 MB of messages."""
    from assess import i18n, limits, texts

    problems = list(problems)
    shown = problems
    if len(problems) > limits.MAX_SHOWN_PROBLEMS:
        shown = sorted(problems, key=lambda p: p.warning)[: limits.MAX_SHOWN_PROBLEMS]
    lines = [_clipped(p.render(lang), limits.MAX_SHOWN_CHARS) for p in shown]
    if len(problems) > len(shown):
        lines.append(texts.text("limits.more_problems", lang, count=i18n.number(len(problems) - len(shown), lang)))
    return lines


def _clipped(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


class AssessError(Exception):
    """Base class: a problem the user can fix; its message is written for the user.

    The message is English text, or a Text with German and English.
    """

    def __init__(self, text: str | Text = ""):
        self.message = text
        super().__init__(in_language(text, "en"))

    def message_in(self, lang: str) -> str:
        """The message in `lang` (English where no German exists yet)."""
        return in_language(self.message, lang)


@dataclass(frozen=True)
class Problem:
    """One finding in an input file, located by path and line."""

    path: str
    line: int | None
    message: str | Text
    warning: bool = False

    def render(self, lang: str = "en") -> str:
        """`path:line: message` in `lang`."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = {"de": "Warnung: ", "en": "warning: "}[lang] if self.warning else ""
        return f"{where}: {kind}{in_language(self.message, lang)}"

    def __str__(self) -> str:
        return self.render("en")


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

    def __init__(self, package: str, extra: str, purpose: Text):
        install = f"pip install 'kommunal-digitalcheck[{extra}]'  (or: pip install {package})"
        super().__init__(Text(
            f"{purpose.de} braucht das Zusatzpaket „{package}“, das nicht installiert ist. "
            f"Installieren mit: {install.replace('(or:', '(oder:')}",
            f"{purpose.en} needs the optional package '{package}', which is not installed. Install it with: {install}",
        ))


class OutputExistsError(AssessError):
    """Raised when writing would overwrite an existing file without --force."""


class OutputError(AssessError):
    """Raised when an output file cannot be written (no permission, a folder in the way, disk full)."""
