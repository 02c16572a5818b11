"""Render the offline HTML form: one self-contained file that captures answers in a browser.

The page needs no server and no network: questions, help texts and conditions are rendered
into the file, its script keeps a draft in the browser's local storage and downloads an answer
file (JSON, the format `assess` reads). The questionnaire data for the script is embedded as
JSON with `<`, `>` and `&` escaped, so no text can close the script element.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from assess import texts
from assess.answers import OUTDATED_SINCE, ROLES, STATES, AnswerSet, improvable, state_of, states_offered
from assess.errors import AssessError
from assess.model import (
    NOT_APPLICABLE,
    UNKNOWN,
    AllOf,
    AnyOf,
    Group,
    Not,
    Question,
    QuestionCondition,
    Questionnaire,
)

TEMPLATE = "form.html.j2"
SCRIPT = "form.js"
STYLE = "form.css"
FORMAT_VERSION = "1"

def render_form(questionnaire: Questionnaire, lang: str = "de", answers: AnswerSet | None = None,
                form_id: str | None = None, today: dt.date | None = None, server: dict | None = None) -> str:
    """The HTML text of the offline form for `questionnaire`, optionally prefilled with `answers`.

    `form_id` names the browser draft; by default every rendered form gets its own, so two forms
    opened in one browser never mix their drafts. `server` (used by `assess serve`) switches the
    script to saving every answer to the server: {"save": URL, "csrf": token, "nonce": CSP nonce
    for the inline script and style, "ui": texts that replace or add to the form's own}.
    """
    from markupsafe import Markup

    from assess.resources import data_dir
    from assess.templating import ContentSecurityPolicy, environment, render

    folder = data_dir("reports")
    env = environment()
    script = (folder / SCRIPT).read_text(encoding="utf-8")
    style = (folder / STYLE).read_text(encoding="utf-8")
    if "</" in script or "</" in style:  # a guard for whoever edits them: they are inlined as is
        raise AssessError(f"{SCRIPT}/{STYLE} must not contain '</' (it would end the inline element)")
    context = form_context(questionnaire, lang, answers, form_id or uuid.uuid4().hex[:12], today)
    server = dict(server or {})
    nonce = server.pop("nonce", "")
    if server:
        context["ui"] = context["data"]["ui"] = {**context["ui"], **server.pop("ui", {})}
        context["data"]["server"] = server
    # Offline, the page carries its own Content-Security-Policy; served by `assess serve`, the
    # server's header (with its nonce) is the policy.
    csp = ContentSecurityPolicy(enabled=not nonce)
    context.update(script=Markup(script), style=Markup(style), nonce=nonce, csp=csp,
                   data_json=script_json(context.pop("data")))
    return csp.finish(render(env, TEMPLATE, context))


def script_json(data):
    """JSON (as Markup) safe inside a <script> element: `<`, `>`, `&` and line separators become \\u escapes."""
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def form_context(questionnaire: Questionnaire, lang: str, answers: AnswerSet | None, form_id: str,
                 today: dt.date | None = None) -> dict:
    """What the template shows (texts in `lang`) and `data` for the page's script."""
    catalogue = texts.CATALOGUES["en" if lang == "en" else "de"]
    ui = {key[len("form."):]: value for key, value in catalogue.items() if key.startswith("form.")}
    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, 1)}
    dimensions = [
        {"id": d.id, "title": d.title.get(lang), "description": d.description.get(lang),
         "count": len(d.questions), "children": [_item(i, lang, numbers) for i in d.items]}
        for d in questionnaire.dimensions
    ]
    data = {
        "format": FORMAT_VERSION,
        "ref": questionnaire.ref,
        "id": questionnaire.id,
        "version": questionnaire.version,
        "lang": lang,
        "form_id": form_id,
        "today": (today or dt.date.today()).isoformat(),
        "outdated_since": OUTDATED_SINCE,  # the answer reader's bounds for the year of an outdated document
        "dimensions": [d.id for d in questionnaire.dimensions],
        "levels": len(questionnaire.levels),
        "questions": [_question_data(q, questionnaire) for q in questionnaire.questions],
        "prefill": prefill_state(answers) if answers is not None else None,
        "ui": ui,
    }
    return {
        "lang": lang,
        "ui": ui,
        "title": questionnaire.title.get(lang),
        "description": questionnaire.description.get(lang),
        "ref": questionnaire.ref,
        "version": questionnaire.version,
        "total": len(questionnaire.questions),
        "dimensions": dimensions,
        "states": sorted(STATES.items(), key=lambda item: item[1]),
        "roles": ROLES,
        "data": data,
    }


def _item(item, lang: str, numbers: dict) -> dict:
    if isinstance(item, Group):
        return {"kind": "group", "id": item.id, "title": item.title.get(lang),
                "children": [_item(i, lang, numbers) for i in item.items]}
    q: Question = item
    return {
        "kind": "question",
        "id": q.id,
        "number": numbers[q.id],
        "type": q.type,
        "text": q.text.get(lang),
        "help": q.help.get(lang),
        "source": q.source,
        "unit": q.unit.get(lang),
        "options": [{"id": o.id, "text": o.text.get(lang), "exclusive": o.exclusive} for o in q.options],
        "allow_unknown": q.allow_unknown and q.type != "text",
        "allow_not_applicable": q.allow_not_applicable and q.type != "text",
        "conditional": q.when is not None,
        "states": states_offered(q),
    }


def _question_data(q: Question, questionnaire: Questionnaire) -> dict:
    return {
        "id": q.id,
        "type": q.type,
        "dimension": questionnaire.dimension_of(q.id).id,
        "when": condition_data(q.when),
        "options": [o.id for o in q.options],
        "exclusive": [o.id for o in q.options if o.exclusive],
        "allow_unknown": q.allow_unknown and q.type != "text",
        "allow_not_applicable": q.allow_not_applicable and q.type != "text",
        # Which answer states the page offers, and from which answers planned/in progress can start: the
        # rule is assess.answers' (states_offered, improvable); the page only shows what it says.
        "states": list(states_offered(q)),
        "improvable": list(improvable(q)) if states_offered(q) else [],
        # What a loaded file may answer besides the options (a text question keeps it as its text).
        "accepts": [v for v, allowed in ((UNKNOWN, q.allow_unknown), (NOT_APPLICABLE, q.allow_not_applicable)) if allowed],
    }


def condition_data(condition):
    """A question condition as plain data for the page's script (mirrors assess.conditions.holds)."""
    if condition is None:
        return None
    if isinstance(condition, AllOf):
        return {"all": [condition_data(p) for p in condition.parts]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_data(p) for p in condition.parts]}
    if isinstance(condition, Not):
        return {"not": condition_data(condition.part)}
    if isinstance(condition, QuestionCondition):
        operand = list(condition.operand) if isinstance(condition.operand, (tuple, list)) else condition.operand
        return {"question": condition.question, "op": condition.op, "operand": operand}
    raise AssessError(f"questionnaires may only use question conditions, not {type(condition).__name__}")


def prefill_state(answers: AnswerSet) -> dict:
    """An answer set as the page's draft state (the same shape the script keeps in local storage)."""
    m = answers.municipality
    person = answers.respondents[0] if answers.respondents else None
    state = {
        "municipality": {"name": m.name, "population": str(m.population or ""), "state": m.state, "ags": m.ags},
        "respondent": {"name": person.name if person else "", "role": person.role if person else ""},
        "date": answers.date,
        "priorities": {k: str(v) for k, v in answers.priorities},
        "targets": {k: v for k, v in answers.targets},
        "answers": {},
        "states": {},
        "comments": {},
        "evidence": {},
    }
    for a in answers.answers:
        value = list(a.value) if isinstance(a.value, tuple) else a.value
        state["answers"][a.question] = value
        if state_of(a):
            state["states"][a.question] = state_of(a)
        if a.comment:
            state["comments"][a.question] = a.comment
        if a.evidence:
            state["evidence"][a.question] = a.evidence
    return state


