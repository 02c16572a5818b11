"""Write a fill-in answer file for a questionnaire: every question with its options and help as comments."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from assess.model import Question, Questionnaire, iter_questions

HEAD = {
    "de": """# Antwortdatei für den {title} ({ref})
# Tragen Sie hinter jeder Frage die Kennung der zutreffenden Antwort ein (die Kennungen stehen
# in den Kommentaren darüber). Zusätzlich erlaubt: unknown (weiß nicht) und, wo angeboten,
# not_applicable (trifft nicht zu). Leer gelassene Fragen gelten als nicht beantwortet.
# Kommentare oder Nachweise: frage_id: {{value: option, comment: "…", evidence: "…"}}
# Prüfen: assess validate DATEI   ·   Auswerten: assess report DATEI -o bericht.html
""",
    "en": """# Answer file for the {title} ({ref})
# After each question, write the id of the answer that applies (ids are listed in the comments
# above it). Also allowed: unknown (don't know) and, where offered, not_applicable.
# Questions left empty count as unanswered.
# Comments or evidence: question_id: {{value: option, comment: "…", evidence: "…"}}
# Check: assess validate FILE   ·   Report: assess report FILE -o report.html
""",
}

FACTS = {
    "de": """municipality:
  name: "Name der Gemeinde"
  ags: ""              # Amtlicher Gemeindeschlüssel, 8 Ziffern in Anführungszeichen
  state: ""            # Land, z. B. BY oder Bayern
  population: 0        # Einwohnerzahl (ganze Zahl ohne Punkte)
date: {today}
respondents:
  - name: ""
    role: Hauptamt     # Bürgermeister/in, Hauptamt, IT, Fachbereich, Rat, Beratung
# Eigene Priorität je Dimension: 1 (unwichtig) bis 5 (sehr wichtig)
priorities:
""",
    "en": """municipality:
  name: "Name of the municipality"
  ags: ""              # official municipality key, 8 digits in quotes
  state: ""            # federal state, e.g. BY or Bayern
  population: 0        # inhabitants (whole number)
date: {today}
respondents:
  - name: ""
    role: Hauptamt     # Bürgermeister/in, Hauptamt, IT, Fachbereich, Rat, Beratung
# Your own priority per dimension: 1 (low) to 5 (very high)
priorities:
""",
}

TYPE_HINTS = {
    "de": {"multi": "Mehrfachauswahl: Liste, z. B. [a, b]", "yesno": "true (ja) oder false (nein)",
           "number": "eine Zahl", "text": "freier Text in Anführungszeichen"},
    "en": {"multi": "multiple choice: a list, e.g. [a, b]", "yesno": "true (yes) or false (no)",
           "number": "a number", "text": "free text in quotes"},
}


def answer_template(questionnaire: Questionnaire, lang: str = "de", today: dt.date | None = None) -> str:
    """The text of a fill-in answer file for `questionnaire` with comments in `lang`."""
    today = today or dt.date.today()
    out = [HEAD[lang].format(title=questionnaire.title.get(lang), ref=questionnaire.ref)]
    out.append(f"questionnaire: {questionnaire.ref}\n")
    out.append(FACTS[lang].format(today=today.isoformat()))
    for dimension in questionnaire.dimensions:
        out.append(f"  {dimension.id}: 3   # {dimension.title.get(lang)}\n")
    out.append("answers:\n")
    for dimension in questionnaire.dimensions:
        out.append(f"\n  # ===== {dimension.title.get(lang)} =====\n")
        for question in iter_questions(dimension.items):
            out.append(_question_block(question, lang))
    return "".join(out)


def _comment(text: str, indent: str = "  # ") -> str:
    lines = textwrap.wrap(" ".join(text.split()), width=96) or [""]
    return "".join(f"{indent}{line}\n" for line in lines)


def _question_block(question: Question, lang: str) -> str:
    out = ["\n", _comment(question.text.get(lang))]
    if question.help.get(lang):
        out.append(_comment(question.help.get(lang), "  #   "))
    if question.when is not None:
        out.append("  #   (" + ("nur wenn die Bedingung zutrifft" if lang == "de" else "only if its condition holds") + ")\n")
    for option in question.options:
        lines = textwrap.wrap(f"{option.id}: {' '.join(option.text.get(lang).split())}", width=92)
        out.append("".join(("  #   - " if i == 0 else "  #     ") + line + "\n" for i, line in enumerate(lines)))
    if question.type in TYPE_HINTS[lang]:
        out.append(f"  #   → {TYPE_HINTS[lang][question.type]}\n")
    extra = ["unknown"] if question.allow_unknown else []
    if question.allow_not_applicable:
        extra.append("not_applicable")
    if extra:
        out.append(f"  #   ({', '.join(extra)})\n")
    out.append(f"  {question.id}:\n")
    return "".join(out)


def template_as_json(questionnaire: Questionnaire) -> str:
    """An empty JSON answer file (JSON has no comments; use the YAML template for guidance)."""
    data = {
        "questionnaire": questionnaire.ref,
        "municipality": {"name": "", "population": 0},
        "priorities": {d.id: 3 for d in questionnaire.dimensions},
        "answers": {q.id: None for q in questionnaire.questions},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
