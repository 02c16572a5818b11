"""What the command line says when things go right, in German and English (`--lang`).

Only status lines and prompts live here; the texts of questionnaires and reports come with them.
"""

from __future__ import annotations

import click

MESSAGES = {
    "de": {
        # interview
        "start": "Interview: {title} ({ref}) · Antworten werden nach jeder Eingabe in {path} gespeichert.",
        "resume": "Fortsetzung von {path}: {answered} von {total} Fragen beantwortet.",
        "all_done": "Alle Fragen in {path} sind beantwortet. Zum Durchsehen: --review",
        "answer": "Antwort",
        "interrupted": "Unterbrochen. Alle bisherigen Antworten sind in {path} gespeichert.\nWeiter mit: {command}",
        "quit": "Gespeichert in {path}. Weiter mit: {command}",
        "done": "Fertig: {answered} von {total} Fragen beantwortet, gespeichert in {path}.\nBericht: assess report {path} -o bericht.html",
        "facts_missing": "Hinweis: Name und Einwohnerzahl der Gemeinde fehlen noch; der Bericht braucht sie.",
        "at_start": "(Das ist der erste Schritt.)",
        # files written
        "wrote_template": "{path} geschrieben ({questions} Fragen). Ausfüllen, dann prüfen: assess validate {path}",
        "wrote_report": "{path} geschrieben",
        "wrote_migrated": "{path} geschrieben: die Antworten gelten jetzt für {ref} ({dropped} Hinweise zu nicht übertragenen Angaben)",
        "wrote_demo": "{path} geschrieben\nZum Öffnen im Browser die Datei doppelklicken, oder z. B.: xdg-open {path}",
        "wrote_form": "{path} geschrieben ({questions} Fragen). Als E-Mail-Anhang verschicken oder im Browser öffnen.",
        "wrote_sheet": "{path} geschrieben ({questions} Fragen, {respondents} Antwortspalte(n)).\nNach dem Workshop: assess sheet import {path} -o antworten/",
        "wrote_person": "{path} geschrieben: {who}, Antworten: {answers}",
        "combine": "Zusammenführen: assess merge {paths} -o gemeinsam.yaml",
        "empty_column": "Hinweis: Person {number}{name} hat keine Antworten; dafür wird keine Datei geschrieben.",
        "wrote_merge": "{path} geschrieben: {files} Dateien, {people} Personen ({names}), Methode {method}.",
        "no_divergence": "Keine Abweichungen um zwei Stufen oder mehr.",
        "divergence": "Unterschiedliche Einschätzungen (zwei Stufen oder mehr) bei {count} Fragen:",
        "list_header": "Kennung Version Titel Dimensionen Fragen",
        "not_listed": "{path}: nicht aufgeführt, die Datei hat Fehler; prüfen mit: assess validate {path}",
        # errors
        "error": "Fehler: {message}",
        "aborted": "\nAbgebrochen.",
        "internal_error": "Interner Fehler: {error}\nDas ist ein Fehler in assess. Bitte melden Sie ihn mit dem Befehl und "
                          "der Eingabedatei; ASSESS_DEBUG=1 zeigt die Einzelheiten.",
        "errors_found": "{count} Fehler gefunden.",
        "file_errors": "{path}: {count} Fehler",
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
        "wrote_template": "Wrote {path} ({questions} questions). Fill it in, then: assess validate {path}",
        "wrote_report": "Wrote {path}",
        "wrote_migrated": "Wrote {path}: the answers now apply to {ref} ({dropped} notes on what was not carried over)",
        "wrote_demo": "Wrote {path}\nOpen it in a browser (double-click the file), or e.g.: xdg-open {path}",
        "wrote_form": "Wrote {path} ({questions} questions). Send it as an e-mail attachment or open it in a browser.",
        "wrote_sheet": "Wrote {path} ({questions} questions, {respondents} answer column(s)).\nAfter the workshop: assess sheet import {path} -o answers/",
        "wrote_person": "Wrote {path}: {who}, answers: {answers}",
        "combine": "Combine them: assess merge {paths} -o combined.yaml",
        "empty_column": "Note: Person {number}{name} has no answers; no file is written for them.",
        "wrote_merge": "Wrote {path}: {files} files, {people} people ({names}), method {method}.",
        "no_divergence": "No views differ by two levels or more.",
        "divergence": "Views differ by two levels or more on {count} questions:",
        "list_header": "id version title dimensions questions",
        "not_listed": "{path}: not listed, the file has errors; run: assess validate {path}",
        "error": "Error: {message}",
        "aborted": "\nAborted.",
        "internal_error": "Internal error: {error}\nThis is a bug in assess. Please report it with the command and "
                          "input file; set ASSESS_DEBUG=1 to see the details.",
        "errors_found": "{count} error(s) found.",
        "file_errors": "{path}: {count} error(s)",
    },
}


def text(lang: str, key: str, **values) -> str:
    """The message `key` in `lang`, filled in."""
    return MESSAGES[lang][key].format(**values)


def say(lang: str, key: str, err: bool = False, **values) -> None:
    """Print the message `key` in `lang`."""
    click.echo(text(lang, key, **values), err=err)
