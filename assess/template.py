"""Write a fill-in answer file for a questionnaire: every question with its options and help as comments."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from assess.model import Question, Questionnaire, iter_questions
from assess.texts import text


def answer_template(questionnaire: Questionnaire, lang: str = "de", today: dt.date | None = None) -> str:
    """The text of a fill-in answer file for `questionnaire` with comments in `lang`."""
    today = today or dt.date.today()
    out = [text("template.head", lang, title=questionnaire.title.get(lang), ref=questionnaire.ref)]
    out.append(f"questionnaire: {questionnaire.ref}\n")
    out.append(text("template.facts", lang, today=today.isoformat()))
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
        out.append(f"  #   ({text('template.conditional', lang)})\n")
    for option in question.options:
        lines = textwrap.wrap(f"{option.id}: {' '.join(option.text.get(lang).split())}", width=92)
        out.append("".join(("  #   - " if i == 0 else "  #     ") + line + "\n" for i, line in enumerate(lines)))
    if question.type in ("multi", "yesno", "number", "text"):
        out.append(f"  #   → {text('template.type.' + question.type, lang)}\n")
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
