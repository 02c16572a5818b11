"""The interview state machine: which step comes next, going back, progress and reading typed input.

Pure logic: the CLI prompts and prints, this module decides. An interview walks through the facts
about the municipality, the priorities per dimension and then every question whose "ask only if"
condition holds. Each answer changes the AnswerSet, which the caller saves after every step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from assess import texts
from assess.answers import ROLES, Answer, AnswerSet, Municipality, Respondent, parse_answers, read_answer, state_of, states_offered
from assess.capture.common import (
    NO_WORDS,
    STATE_WORDS,
    YES_WORDS,
    normalise,
    ordered,
    parse_answer_state,
    parse_number,
    parse_state,
    word,
)
from assess.errors import Problem, ValidationError, in_language
from assess.i18n import state_words
from assess.model import NOT_APPLICABLE, UNKNOWN, Dimension, Question, Questionnaire, Text, normal_ags
from assess.scoring import skipped_questions
from assess.yamlfile import Checker, read_file

FACT, PRIORITY, QUESTION = "fact", "priority", "question"
# The facts asked first; name and population are required by the answer file format.
FACTS = ("name", "population", "state", "ags", "respondent", "role")
REQUIRED_FACTS = ("name", "population")

# Actions a typed line can mean.
ANSWER, HELP, BACK, SKIP, QUIT, INVALID = "answer", "help", "back", "skip", "quit", "invalid"

COMMANDS = {
    HELP: ("?", "hilfe", "help"),
    BACK: ("<", "z", "zurück", "zurueck", "b", "back"),
    SKIP: (">", "", "-"),
    QUIT: ("q", "quit", "beenden", "ende", "exit"),
    UNKNOWN: ("w", "weiß nicht", "weiss nicht", "d", "don't know", "dont know", "unknown"),
    NOT_APPLICABLE: ("x", "trifft nicht zu", "not applicable", "n/a", "not_applicable"),
}

def text(key: str, lang: str, **values) -> str:
    """A user-facing interview text in `lang`."""
    return texts.text(f"interview.{key}", lang, **values)


@dataclass(frozen=True)
class Step:
    """One thing the interview asks: a fact, a dimension's priority or a question."""

    kind: str  # fact | priority | question
    key: str  # fact name, dimension id or question id
    question: Question | None = None
    dimension: Dimension | None = None


@dataclass(frozen=True)
class Action:
    """What a typed line means: an answer with its value, a command, or an invalid entry with why."""

    kind: str  # answer | help | back | skip | quit | invalid
    value: object = None
    message: str = ""


class Interview:
    """Walks the facts, priorities and applicable questions of a questionnaire over an AnswerSet.

    `answers` is the current state; every `answer(...)` replaces it with an updated copy, which
    the caller saves. Navigation is by position in the fixed asking order, so conditions that
    change while answering simply add or remove questions ahead.
    """

    def __init__(self, questionnaire: Questionnaire, answers: AnswerSet | None = None, today: dt.date | None = None):
        self.questionnaire = questionnaire
        self.answers = answers or new_answer_set(questionnaire, today)
        self.steps: tuple[Step, ...] = (
            tuple(Step(FACT, name) for name in FACTS)
            + tuple(Step(PRIORITY, d.id, dimension=d) for d in questionnaire.dimensions)
            + tuple(Step(QUESTION, q.id, q, questionnaire.dimension_of(q.id)) for q in questionnaire.questions)
        )

    # --- state ----------------------------------------------------------------------------------

    def skipped(self) -> frozenset[str]:
        """Questions whose "ask only if" condition does not hold with the current answers."""
        return skipped_questions(self.questionnaire, self.answers)

    def applicable(self, step: Step, skipped: frozenset[str] | None = None) -> bool:
        """Whether the step is asked: facts and priorities always, questions if their condition holds."""
        if step.kind != QUESTION:
            return True
        return step.key not in (self.skipped() if skipped is None else skipped)

    def value(self, step: Step):
        """The current value of a step, or None when it is open."""
        m = self.answers.municipality
        if step.kind == FACT:
            respondent = self.answers.respondents[0] if self.answers.respondents else Respondent("")
            value = {"name": m.name, "population": m.population, "state": m.state, "ags": m.ags,
                     "respondent": respondent.name, "role": respondent.role}[step.key]
            return value or None
        if step.kind == PRIORITY:
            return dict(self.answers.priorities).get(step.key)
        answer = self.answers.answer(step.key)
        return answer.value if answer else None

    def is_open(self, step: Step) -> bool:
        """Whether the step still lacks an answer."""
        return self.value(step) is None

    @property
    def started(self) -> bool:
        """Whether any question has been answered yet."""
        return bool(self.answers.answers)

    def resume_point(self) -> Step | None:
        """Where to continue: the first open required fact or question (None when all are done).

        Optional facts and priorities count as open only until the first question is answered, so
        skipping them once does not bring a returning user back to the start.
        """
        skipped = self.skipped()
        for step in self.steps:
            if not self.applicable(step, skipped) or not self.is_open(step):
                continue
            if step.kind == QUESTION or step.key in REQUIRED_FACTS or not self.started:
                return step
        return None

    def first(self) -> Step:
        """The very first step (for going through everything again)."""
        return self.steps[0]

    def next_after(self, step: Step) -> Step | None:
        """The next applicable step after `step` in asking order, None at the end."""
        skipped = self.skipped()
        index = self.steps.index(step)
        return next((s for s in self.steps[index + 1:] if self.applicable(s, skipped)), None)

    def previous_before(self, step: Step) -> Step | None:
        """The applicable step before `step`, None at the start."""
        skipped = self.skipped()
        index = self.steps.index(step)
        return next((s for s in reversed(self.steps[:index]) if self.applicable(s, skipped)), None)

    def step_for(self, key: str) -> Step | None:
        """The step of a question id, dimension id or fact name."""
        return next((s for s in self.steps if s.key == key), None)

    # --- progress -------------------------------------------------------------------------------

    def progress(self, step: Step, lang: str = "de") -> str:
        """A progress line such as "Frage 12 von 85 · Interne Prozesse"."""
        if step.kind == FACT:
            return text("facts", lang, n=FACTS.index(step.key) + 1, total=len(FACTS))
        if step.kind == PRIORITY:
            ids = [d.id for d in self.questionnaire.dimensions]
            return text("priorities", lang, n=ids.index(step.key) + 1, total=len(ids),
                        dimension=step.dimension.title.get(lang))
        number, total = self.position(step)
        return text("question", lang, n=number, total=total, dimension=step.dimension.title.get(lang))

    def position(self, step: Step) -> tuple[int, int]:
        """(number of this question among the applicable ones, how many are applicable)."""
        skipped = self.skipped()
        asked = [q.id for q in self.questionnaire.questions if q.id not in skipped]
        before = {q.id for q in self.questionnaire.questions[: self._question_index(step)]}
        number = sum(1 for qid in asked if qid in before) + 1
        return number, len(asked)

    def counts(self) -> tuple[int, int]:
        """(answered applicable questions, applicable questions)."""
        skipped = self.skipped()
        asked = [q.id for q in self.questionnaire.questions if q.id not in skipped]
        return sum(1 for qid in asked if self.answers.answer(qid)), len(asked)

    def _question_index(self, step: Step) -> int:
        return next(i for i, q in enumerate(self.questionnaire.questions) if q.id == step.key)

    # --- answering ------------------------------------------------------------------------------

    def answer(self, step: Step, value) -> AnswerSet:
        """Record `value` for the step and return the new AnswerSet (also kept as `self.answers`)."""
        a = self.answers
        if step.kind == FACT:
            if step.key in ("respondent", "role"):
                current = a.respondents[0] if a.respondents else Respondent("")
                person = replace(current, **{"name" if step.key == "respondent" else "role": value})
                a = replace(a, respondents=(person,) + a.respondents[1:])
            else:
                a = replace(a, municipality=replace(a.municipality, **{step.key: value}))
        elif step.kind == PRIORITY:
            others = tuple(p for p in a.priorities if p[0] != step.key)
            order = [d.id for d in self.questionnaire.dimensions]
            a = replace(a, priorities=tuple(sorted(others + ((step.key, value),), key=lambda p: order.index(p[0]))))
        else:
            # An Answer carries a state (planned, in progress, outdated); a plain value clears an earlier one.
            given = value if isinstance(value, Answer) else Answer(step.key, value)
            old = a.answer(step.key)
            new = replace(old, value=given.value, progress=given.progress, toward=given.toward, until=given.until,
                          outdated=given.outdated) if old else given
            a = a.with_answer(new)
            a = replace(a, answers=ordered(a.answers, self.questionnaire))
        self.answers = a
        return a

    # --- reading typed input ----------------------------------------------------------------------

    def parse(self, step: Step, line: str, lang: str = "de") -> Action:
        """What a typed line means at this step (see COMMANDS; otherwise an answer or invalid)."""
        raw = line.strip()
        typed = normalise(raw)
        for kind in (HELP, BACK, SKIP, QUIT):
            if typed in COMMANDS[kind]:
                if kind == SKIP and step.kind == FACT and step.key in REQUIRED_FACTS and self.is_open(step):
                    return Action(INVALID, message=text("required", lang))
                return Action(kind)
        if step.kind == FACT:
            return _parse_fact(step.key, raw, lang)
        if step.kind == PRIORITY:
            number = parse_number(raw, integer=True)
            if number is None or not 1 <= number <= 5:
                return Action(INVALID, message=text("bad_priority", lang))
            return Action(ANSWER, number)
        question = step.question
        if typed in COMMANDS[UNKNOWN] and question.type != "text":
            if not question.allow_unknown:
                return Action(INVALID, message=text("no_unknown", lang))
            return Action(ANSWER, UNKNOWN)
        if typed in COMMANDS[NOT_APPLICABLE] and question.type != "text":
            if not question.allow_not_applicable:
                return Action(INVALID, message=text("no_na", lang))
            return Action(ANSWER, NOT_APPLICABLE)
        raw, state = _split_state(question, raw)
        action = _parse_answer(question, raw, lang)
        if action.kind != ANSWER or not state:
            return action
        answer, problems = read_answer(question, action.value, state, self.answers.date)
        if answer is None:
            return Action(INVALID, message="; ".join(in_language(p.message, lang) for p in problems))
        return Action(ANSWER, answer)

    # --- what to show -----------------------------------------------------------------------------

    def prompt(self, step: Step, lang: str = "de") -> str:
        """The text of a step: the question with numbered options and what may be typed."""
        if step.kind == FACT:
            lines = [text(f"fact_{step.key}", lang)]
            if step.key == "role":
                lines += [f"  {i}  {role}" for i, role in enumerate(ROLES, 1)] + [f"  ({text('role_other', lang)})"]
            return "\n".join(lines)
        if step.kind == PRIORITY:
            return text("priority", lang, dimension=step.dimension.title.get(lang))
        q = step.question
        lines = [q.text.get(lang)]
        width = len(str(len(q.options)))
        lines += [f"  {str(i).rjust(width)}  {o.text.get(lang)}" for i, o in enumerate(q.options, 1)]
        unit = f" ({q.unit.get(lang)})" if q.unit.get(lang) else ""
        lines.append(text(q.type, lang, unit=unit))
        offered = states_offered(q)
        if offered:
            hints = [text("state_progress", lang)] if "planned" in offered else []
            hints += [text("state_outdated", lang)] if "outdated" in offered else []
            lines.append(text("state_hint", lang, states=" · ".join(hints)))
        return "\n".join(lines)

    def keys(self, step: Step, lang: str = "de") -> str:
        """The command line under a prompt: what ?, z, Enter, w, x and q do here."""
        parts = [text("keys", lang)]
        if step.kind == QUESTION and step.question.type != "text":
            if step.question.allow_unknown:
                parts.append(text("key_unknown", lang))
            if step.question.allow_not_applicable:
                parts.append(text("key_na", lang))
        parts.append(text("key_quit", lang))
        return "[" + " · ".join(parts) + "]"

    def help(self, step: Step, lang: str = "de") -> str:
        """The help text of a step (question help, source, why it is asked)."""
        if step.kind != QUESTION:
            return text("required", lang) if step.key in REQUIRED_FACTS else self.prompt(step, lang)
        q = step.question
        parts = [q.help.get(lang) or text("no_help", lang)]
        if q.source:
            parts.append(text("source", lang, source=q.source))
        if q.when is not None:
            parts.append(text("only_if", lang))
        if states_offered(q):
            parts.append(text("state_help", lang))
        return "\n".join(parts)

    def shown(self, step: Step, lang: str = "de") -> str:
        """The current value as the user would type it (the default offered at the prompt)."""
        value = self.value(step)
        if value is None:
            return ""
        if step.kind != QUESTION:
            return str(value)
        q = step.question
        state = state_of(self.answers.answer(step.key))
        suffix = ""
        if state.get("outdated") is not None:
            suffix = f" v {state['outdated']}"
        elif state.get("progress"):
            suffix = (" g" if state["progress"] == "planned" else " u") + (f" {state['until']}" if state.get("until") else "")
        return self._shown_value(q, value, lang) + suffix

    def _shown_value(self, q: Question, value, lang: str) -> str:
        if value == UNKNOWN:
            return "w"
        if value == NOT_APPLICABLE:
            return "x"
        if q.type == "single":
            return str(next((i for i, o in enumerate(q.options, 1) if o.id == value), value))
        if q.type == "multi":
            return ",".join(str(i) for i, o in enumerate(q.options, 1) if o.id in value)
        if q.type == "yesno":
            return ("y" if lang == "en" else "j") if value else "n"
        if q.type == "number":
            return f"{value:g}" if isinstance(value, float) else str(value)
        return str(value)

    def describe_value(self, step: Step, lang: str = "de") -> str:
        """The current value in words, e.g. "bisher: Entwurf"."""
        from assess.i18n import answer_text

        value = self.value(step)
        if value is None:
            return ""
        shown = answer_text(step.question, value, lang) if step.kind == QUESTION else str(value)
        state = state_words(state_of(self.answers.answer(step.key)), lang) if step.kind == QUESTION else ""
        return text("current", lang, value=f"{shown} ({state})" if state else shown)


def _parse_fact(key: str, raw: str, lang: str) -> Action:
    if key == "name":
        return Action(ANSWER, raw) if raw else Action(INVALID, message=text("required", lang))
    if key == "population":
        number = parse_number(raw, integer=True)
        if number is None or number <= 0:
            return Action(INVALID, message=text("bad_population", lang))
        return Action(ANSWER, number)
    if key == "state":
        code = parse_state(raw)
        return Action(ANSWER, code) if code else Action(INVALID, message=text("bad_state", lang, text=raw))
    if key == "ags":
        digits = normal_ags(raw)
        if digits is None:
            return Action(INVALID, message=text("bad_ags", lang))
        return Action(ANSWER, digits)
    if key == "role":
        number = parse_number(raw, integer=True)
        if number is not None and 1 <= number <= len(ROLES):
            return Action(ANSWER, ROLES[number - 1])
        return Action(ANSWER, raw)
    return Action(ANSWER, raw)


def _split_state(question: Question, raw: str) -> tuple[str, dict]:
    """The answer and its state from a typed line such as "2 u 2027-06" or "3 v 2008" (the state after the
    answer); the line unchanged and {} when the question offers no state or none is typed."""
    if not states_offered(question):
        return raw, {}
    words = sorted((w for _, ws in STATE_WORDS for w in ws), key=len, reverse=True)
    typed = normalise(raw)
    for w in words:
        at = typed.find(" " + w)
        while at >= 0:
            end = at + 1 + len(w)
            if end == len(typed) or not typed[end].isalnum():
                state = parse_answer_state(typed[at + 1:])
                if state:
                    return typed[:at].strip(), state
            at = typed.find(" " + w, at + 1)
    return raw, {}


def _parse_answer(question: Question, raw: str, lang: str) -> Action:
    if question.type == "single":
        number = parse_number(raw, integer=True)
        if number is not None and 1 <= number <= len(question.options):
            return Action(ANSWER, question.options[number - 1].id)
        option = question.option(raw) or next(
            (o for o in question.options if normalise(o.text.get(lang)) == normalise(raw)), None)
        if option:
            return Action(ANSWER, option.id)
        return Action(INVALID, message=text("bad_choice", lang, text=raw, count=len(question.options)))
    if question.type == "multi":
        chosen = []
        for part in raw.replace(";", ",").replace(" ", ",").split(","):
            if not part:
                continue
            number = parse_number(part, integer=True)
            if number is None or not 1 <= number <= len(question.options):
                return Action(INVALID, message=text("bad_choice", lang, text=part, count=len(question.options)))
            option = question.options[number - 1]
            if option.id not in chosen:
                chosen.append(option.id)
        conflict = question.exclusive_conflict(chosen)
        if conflict is not None:
            return Action(INVALID, message=text("bad_exclusive", lang, option=conflict.text.get(lang)))
        return Action(ANSWER, tuple(chosen))
    if question.type == "yesno":
        typed = normalise(raw)
        if typed in YES_WORDS or typed == normalise(word("yes", lang)):
            return Action(ANSWER, True)
        if typed in NO_WORDS or typed == normalise(word("no", lang)):
            return Action(ANSWER, False)
        return Action(INVALID, message=text("bad_yesno", lang))
    if question.type == "number":
        number = parse_number(raw)
        if number is None:
            return Action(INVALID, message=text("bad_number", lang, text=raw))
        return Action(ANSWER, number)
    return Action(ANSWER, raw)


# --- files --------------------------------------------------------------------------------------


def new_answer_set(questionnaire: Questionnaire, today: dt.date | None = None) -> AnswerSet:
    """An empty answer set for a new interview, dated today."""
    return AnswerSet(questionnaire.ref, Municipality("", 0), date=(today or dt.date.today()).isoformat())


def load_for_resume(path: Path, questionnaire: Questionnaire) -> AnswerSet:
    """Load an interview's answer file to continue it; facts may still be missing.

    Raises ValidationError (naming file and line) when the file is unreadable, has invalid answers
    or belongs to another questionnaire — the file is then left untouched.
    """
    c = Checker(str(path))
    data = c.mapping(read_file(path), 1, Text("Antwortdatei", "an answer file"))
    c.raise_if_errors()
    ref = data.get("questionnaire")
    if ref != questionnaire.ref:
        raise ValidationError([Problem(str(path), data.line_of("questionnaire"), Text(
            f"diese Antwortdatei gehört zu „{ref}“, das Interview aber zu „{questionnaire.ref}“; wählen Sie eine "
            f"andere Ausgabedatei oder den passenden Fragebogen",
            f"this answer file is for '{ref}', but the interview is for "
            f"'{questionnaire.ref}'; choose another output file or the matching questionnaire"))])
    # An interview in progress may be saved before name and population are known: a draft.
    answer_set = parse_answers(c, data, questionnaire, draft=True)
    c.raise_if_errors()
    return replace(answer_set, answers=ordered(answer_set.answers, questionnaire))
