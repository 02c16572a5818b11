"""User-facing labels in German and English, and number and date formatting per language."""

from __future__ import annotations

import datetime as dt

from assess import texts

MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
    "November", "Dezember",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)


def label(key: str, lang: str) -> str:
    """The label for `key` in `lang` (the catalogue's `label.<key>`; the key itself if unknown)."""
    return texts.text(f"label.{key}", lang) if texts.has(f"label.{key}") else key


def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """A number formatted for the language: 1.234,5 in German, 1,234.5 in English."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def points(value: float | None, lang: str, signed: bool = False) -> str:
    """A rounded number of points with the right word: "1 Punkt", "12 Punkte", "+3 points"."""
    if value is None:
        return "–"
    rounded = round(value)
    text = number(rounded, lang)
    if signed and rounded > 0:
        text = "+" + text
    if lang == "de":
        return f"{text} Punkt" if abs(rounded) == 1 else f"{text} Punkte"
    return f"{text} point" if abs(rounded) == 1 else f"{text} points"


def percent(fraction: float | None, lang: str) -> str:
    """A fraction (0–1) as a whole percentage: "83 %" in German, "83%" in English."""
    if fraction is None:
        return "–"
    return f"{number(100 * fraction, lang)} %" if lang == "de" else f"{number(100 * fraction, lang)}%"


def date(value: str | dt.date | None, lang: str) -> str:
    """An ISO date as "23. November 2026" (German) or "23 November 2026" (English)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if lang == "de":
        return f"{value.day}. {MONTHS_DE[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def euro(low: int, high: int, lang: str) -> str:
    """A cost range in euro, e.g. "5.000–20.000 €"."""
    if not low and not high:
        return label("no_material_cost", lang)
    if low == high:
        return f"{number(low, lang)} €"
    return f"{number(low, lang)}–{number(high, lang)} €"


def euro_yearly(low: int, high: int, lang: str) -> str:
    """Running costs per year, e.g. "500–2.000 € pro Jahr"; empty when there are none."""
    if not low and not high:
        return ""
    amount = f"{number(low, lang)} €" if low == high else f"{number(low, lang)}–{number(high, lang)} €"
    return f"{amount} {'pro Jahr' if lang == 'de' else 'per year'}"


def staff_days(low: int, high: int, lang: str) -> str:
    """The town's own staff time, e.g. "5–10 Personentage"; empty when not estimated."""
    if not low and not high:
        return ""
    amount = number(low, lang) if low == high else f"{number(low, lang)}–{number(high, lang)}"
    return f"{amount} {'Personentage' if lang == 'de' else 'person-days'}"


def state_words(state: dict, lang: str) -> str:
    """An answer state (the answer-file fields) in words: „in Umsetzung bis 06/2027“, „vorhanden, aber
    veraltet (Stand 2008)“; "" for none."""
    if state.get("outdated") is not None:
        return texts.text("label.state_outdated", lang, year=state["outdated"])
    if not state.get("progress"):
        return ""
    words = texts.text(f"label.state_{state['progress']}", lang)
    if state.get("until"):
        words += " " + texts.text("label.state_until", lang, date=due_date(state["until"], lang))
    return words


def due_date(iso: str, lang: str) -> str:
    """A due date as the answer file gives it (2027-06-30 or 2027-06), in the reader's order: 30.06.2027
    and 06/2027 in German, unchanged in English."""
    if lang != "de":
        return iso
    parts = iso.split("-")
    return ".".join(reversed(parts)) if len(parts) == 3 else "/".join(reversed(parts))


def answer_with_state(question, answer, lang: str) -> str:
    """An answer as the report lists it: its text, and a state with its target where there is one
    („Nur online – in Umsetzung bis 06/2027: Offline und getestet“)."""
    text = answer_text(question, answer.value, lang)
    if answer.outdated is not None:
        return f"{text.rstrip('. ')} – {state_words({'outdated': answer.outdated}, lang)}"
    if answer.progress:
        words = state_words({"progress": answer.progress, "until": answer.until}, lang)
        target = answer_text(question, answer.toward, lang) if answer.toward is not None else ""
        return f"{text.rstrip('. ')} – {words}: {target}" if target else f"{text.rstrip('. ')} – {words}"
    return text


def answer_text(question, value, lang: str) -> str:
    """A readable rendering of an answer value: option texts, ja/nein, numbers with unit."""
    if value is None:
        return label("unanswered", lang)
    if value in ("unknown", "not_applicable"):
        return label(value, lang)
    if question.type == "single":
        option = question.option(value)
        return option.text.get(lang) if option else str(value)
    if question.type == "multi":
        texts = [question.option(v).text.get(lang).rstrip(". ") for v in value if question.option(v)]
        return "; ".join(texts) if texts else "–"
    if question.type == "yesno":
        return label("yes" if value else "no", lang)
    if question.type == "number":
        unit = question.unit.get(lang)
        digits = 0 if float(value).is_integer() else 1
        return f"{number(value, lang, digits)} {unit}".strip()
    return str(value)
