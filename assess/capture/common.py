"""Helpers shared by the capture modes: parsing typed-in values, readable words, file names."""

from __future__ import annotations

import re
import unicodedata

from assess.answers import IN_PROGRESS, OUTDATED, PLANNED, STATES, Answer, reasonable_number
from assess.i18n import label
from assess.model import NOT_APPLICABLE, UNKNOWN, Questionnaire

# Words people type or pick for the special answers and yes/no, in both languages (lower case).
UNKNOWN_WORDS = ("weiß nicht", "weiss nicht", "unknown", "don't know", "dont know", "unbekannt", "?")
NOT_APPLICABLE_WORDS = ("trifft nicht zu", "not applicable", "not_applicable", "n/a", "entfällt", "k. a.")
YES_WORDS = ("ja", "j", "yes", "y", "true", "wahr", "1", "x")
NO_WORDS = ("nein", "n", "no", "false", "falsch", "0")

_THOUSANDS = re.compile(r"^\d{1,3}([.,' ]\d{3})+$")

# Words for the answer states, as people type or pick them (lower case), longest first; the interview's
# one-letter keys (g, u, v) are among them.
STATE_WORDS = (
    (OUTDATED, ("vorhanden, aber veraltet", "vorhanden aber veraltet", "exists but outdated", "veraltet", "outdated", "v")),
    (IN_PROGRESS, ("in umsetzung", "in arbeit", "in progress", "under way", "in_progress", "u")),
    (PLANNED, ("geplant / beschlossen", "geplant/beschlossen", "planned / decided", "planned/decided", "geplant",
               "beschlossen", "planned", "decided", "g")),
)
DATE_PLACEHOLDERS = ("mm/jjjj", "jjjj-mm", "mm/yyyy", "yyyy-mm")
_STATE_DATE = (
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"), (1, 2, 3)),  # 2027-06, 2027-06-30
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), (2, 1, None)),  # 06/2027, 6.2027
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), (3, 2, 1)),  # 30.06.2027
)


def parse_answer_state(text: str) -> dict | None:
    """An answer state as people write it – "geplant", "in Umsetzung bis 06/2027", "veraltet 2008", or
    the interview's g, u 2027-06, v 2008 – as the fields of an answer file (`progress`, `until`,
    `outdated`); {} for empty text, None when it is not a state. Whether the state fits the question and
    the answer is for `assess.answers.read_answer` to say; an unreadable date or year is passed on as
    typed, so its message comes from there too."""
    raw = normalise(text).strip(" ()")
    if not raw:
        return {}
    for state, words in STATE_WORDS:
        word_ = next((w for w in words if raw == w or raw.startswith(w + " ") or raw.startswith(w + "(")), None)
        if word_ is None:
            continue
        rest = raw[len(word_):].strip(" ():,")
        # "in Umsetzung bis 06/2027", "veraltet (Stand 2008)"; a start date ("seit 06/2020") is no due
        # date and stays as typed, for the answer reader to refuse
        leads = ("stand", "dated", "von", "from", "seit", "since") if state == OUTDATED else ("bis", "by", "until")
        for lead in leads:
            if rest.startswith(lead + " "):
                rest = rest[len(lead):].strip()
        if state == OUTDATED:
            return {"outdated": int(rest) if rest.isdigit() and len(rest) == 4 else (rest or word_)}
        if rest in DATE_PLACEHOLDERS:  # the workbook's list entry "in Umsetzung (bis MM/JJJJ)" as picked
            rest = ""
        return {"progress": state, "until": _state_date(rest)} if rest else {"progress": state}
    return None


def _state_date(text: str) -> str:
    """A due date as typed (2027-06, 06/2027, 30.06.2027) in ISO form (2027-06, 2027-06-30); other text
    unchanged, for the answer reader to refuse with its message."""
    for pattern, (year, month, day) in _STATE_DATE:
        match = pattern.match(text)
        if match:
            iso = f"{match.group(year)}-{int(match.group(month)):02d}"
            return iso + (f"-{int(match.group(day)):02d}" if day and match.group(day) else "")
    return text


def word(key: str, lang: str) -> str:
    """A short user-facing word ("weiß nicht", "ja") in `lang`."""
    return label(key, lang)


def normalise(text: str) -> str:
    """Lower case, single spaces, typographic apostrophes made plain — for matching typed words."""
    return " ".join(str(text).replace("’", "'").split()).lower()


def parse_number(text: str, integer: bool = False) -> float | int | None:
    """A number as a person types it: 12000, 12.000, 12 000, 1,5 or 1.5; None if it is not one (or is
    infinite or beyond any count a town hall gives)."""
    raw = str(text).strip().replace("\u00a0", " ")
    if not raw:
        return None
    negative = raw.startswith("-")
    raw = raw.lstrip("-").strip()
    if _THOUSANDS.match(raw):
        raw = re.sub(r"[.,' ]", "", raw)
    else:
        raw = raw.replace(" ", "").replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    if not reasonable_number(value):  # inf, nan, 1e300: nothing an answer file would take back
        return None
    value = -value if negative else value
    if value.is_integer():
        return int(value)
    return None if integer else value


def parse_state(text: str) -> str | None:
    """A federal state code (BY) from a code or a name (Bayern); None if unknown."""
    raw = normalise(text)
    for code, name in STATES.items():
        if raw in (code.lower(), name.lower()):
            return code
    return None


def slug(text: str) -> str:
    """A file-name-safe form of a name: "Bad Münstereifel" → "bad-muenstereifel"."""
    text = str(text).lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def ordered(answers: tuple[Answer, ...], questionnaire: Questionnaire) -> tuple[Answer, ...]:
    """Answers sorted in the questionnaire's asking order, so saved files read like the questionnaire."""
    position = {q.id: i for i, q in enumerate(questionnaire.questions)}
    return tuple(sorted(answers, key=lambda a: position.get(a.question, len(position))))


def is_special(value) -> bool:
    """Whether a value is "don't know" or "not applicable"."""
    return isinstance(value, str) and value in (UNKNOWN, NOT_APPLICABLE)


def describe_condition(condition, questionnaire: Questionnaire, lang: str = "de") -> str:
    """A question condition in words: "„Gibt es …?“ ist „Entwurf“ oder „Beschlossen“"."""
    from assess.model import AllOf, AnyOf, Not, QuestionCondition

    de = lang != "en"
    if isinstance(condition, (AllOf, AnyOf)):
        joiner = (" und " if de else " and ") if isinstance(condition, AllOf) else (" oder " if de else " or ")
        return joiner.join(f"({describe_condition(p, questionnaire, lang)})" for p in condition.parts)
    if isinstance(condition, Not):
        return ("nicht " if de else "not ") + f"({describe_condition(condition.part, questionnaire, lang)})"
    if not isinstance(condition, QuestionCondition):
        return ""
    question = questionnaire.question(condition.question)
    if question is None:
        return condition.question
    subject = f"„{question.text.get(lang)}“" if de else f"\"{question.text.get(lang)}\""

    def shown(value) -> str:
        if isinstance(value, bool):
            return word("yes" if value else "no", lang)
        option = question.option(str(value)) if question.options else None
        text = option.text.get(lang) if option else str(value)
        return f"„{text}“" if de else f"\"{text}\""

    operand = condition.operand
    values = list(operand) if isinstance(operand, (list, tuple)) else [operand]
    either = " oder " if de else " or "
    op = condition.op
    if op == "in":
        return f"{subject}: {either.join(shown(v) for v in values)}"
    if op == "not_in":
        return f"{subject}: " + ("nicht " if de else "not ") + either.join(shown(v) for v in values)
    if op == "equals":
        return f"{subject}: {', '.join(shown(v) for v in values)}"
    if op == "includes":
        return f"{subject}: " + (" und " if de else " and ").join(shown(v) for v in values) + (" angekreuzt" if de else " ticked")
    if op == "at_least":
        return f"{subject} ≥ {operand}"
    if op == "at_most":
        return f"{subject} ≤ {operand}"
    return subject + (" ist beantwortet" if de else " is answered")
