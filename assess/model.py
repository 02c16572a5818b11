"""The maturity model: questionnaires, questions, levels and measures as frozen dataclasses."""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields, replace
from functools import cached_property
from typing import Union

from assess.bilingual import EMPTY_TEXT, Text  # noqa: F401 - part of the model

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")  # ids of questionnaires, dimensions, questions, options, measures

LANGUAGES = ("de", "en")
SIZE_CLASSES = ("landgemeinde", "kleinstadt", "mittelstadt", "grossstadt")
# Lower population bound of each size class (BBSR convention).
SIZE_CLASS_MIN_POPULATION = {"landgemeinde": 0, "kleinstadt": 5_000, "mittelstadt": 20_000, "grossstadt": 100_000}
QUESTION_TYPES = ("single", "multi", "yesno", "number", "text")
AGGREGATES = ("mean", "sum", "min", "max")
EFFORTS = ("S", "M", "L")
HORIZONS = ("quick", "medium", "long")
UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"


def written_at_once(cls):
    """Give a frozen dataclass made in great numbers an __init__ that writes all fields with one update
    of the instance's dict instead of one frozen-attribute write per field (a third of the time; an
    answer file makes a hundred answers, a folder of peer files a hundred thousand). Same parameters,
    defaults and checks as the dataclass's own __init__; the instance stays frozen."""
    names = [f.name for f in fields(cls)]
    defaults = {f"_default_{f.name}": f.default for f in fields(cls) if f.default is not MISSING}
    assert all(f.init and f.default_factory is MISSING for f in fields(cls)) and not hasattr(cls, "__post_init__"), cls
    parameters = ", ".join(f"{n}=_default_{n}" if f"_default_{n}" in defaults else n for n in names)
    namespace = dict(defaults)
    exec(f"def __init__(self, {parameters}):\n    self.__dict__.update({', '.join(f'{n}={n}' for n in names)})",
         namespace)  # as dataclasses itself writes __init__: from the fields, no input involved
    cls.__init__ = namespace["__init__"]
    return cls




@dataclass(frozen=True)
class Level:
    """One maturity level, reached from `min_score` (0–100) upwards."""

    level: int
    min_score: float
    name: Text
    description: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Option:
    """An answer option; `value` is its score weight before normalisation."""

    id: str
    value: float
    text: Text
    exclusive: bool = False


@dataclass(frozen=True)
class Band:
    """For number questions: from `min` upwards the answer is worth `value`."""

    min: float
    value: float


# --- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionCondition:
    """Holds when the answer to `question` satisfies `op` against `operand`."""

    question: str
    op: str  # in | not_in | equals | at_least | at_most | includes | answered
    operand: object = None


@dataclass(frozen=True)
class DimensionCondition:
    """Holds when the dimension's score or level compares as `op` says (measures only)."""

    dimension: str
    op: str  # score_below | score_at_least | level_below
    operand: float = 0


@dataclass(frozen=True)
class SizeClassCondition:
    """Holds when the municipality's size class is one of `size_classes` (measures only)."""

    size_classes: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    """Holds when every part holds."""

    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class AnyOf:
    """Holds when at least one part holds."""

    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class Not:
    """Holds when its part does not."""

    part: "Condition"


Condition = Union[QuestionCondition, DimensionCondition, SizeClassCondition, AllOf, AnyOf, Not]


# --- questionnaire ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question of a dimension."""

    id: str
    type: str
    text: Text
    help: Text = EMPTY_TEXT
    weight: float = 1.0
    source: str = ""
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    unit: Text = EMPTY_TEXT
    allow_unknown: bool = True
    allow_not_applicable: bool = False
    when: Condition | None = None
    informational: Text = EMPTY_TEXT  # why the question feeds no measure (context only), if it does not
    document: bool = False  # asks about a document (strategy, plan): may be answered "vorhanden, aber veraltet"

    @cached_property
    def scored(self) -> bool:
        """Whether the answer contributes to the score (asked for every question of every file)."""
        if self.type == "text":
            return False
        if self.type == "number":
            return bool(self.bands)
        return True

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if the question offers it."""
        return self._options_by_id.get(option_id)

    # Looked up for every answer of every file: computed once per question (the model is immutable).
    @cached_property
    def _options_by_id(self) -> dict[str, Option]:
        return {o.id: o for o in self.options}

    @cached_property
    def top_value(self) -> float:
        """The highest option value (0 without options)."""
        return max((o.value for o in self.options), default=0)

    def exclusive_conflict(self, chosen) -> Option | None:
        """The exclusive option ("none of these") that is ticked together with others, if any.

        The one rule for every way of answering a multiple-choice question."""
        if len(chosen) < 2:
            return None
        return next((o for o in self.options if o.exclusive and o.id in chosen), None)


@dataclass(frozen=True)
class Group:
    """A node of questions and groups that combines its children with `aggregate`."""

    id: str
    title: Text
    items: tuple["Item", ...]
    aggregate: str = "mean"
    weight: float = 1.0


Item = Union[Question, Group]


@dataclass(frozen=True)
class Cap:
    """Must-have rule: while `when` holds, the dimension's level is at most `max_level`."""

    when: Condition
    max_level: int
    reason: Text


@dataclass(frozen=True)
class Dimension:
    """A scored area of the model, with its targets per size class."""

    id: str
    title: Text
    items: tuple[Item, ...]
    description: Text = EMPTY_TEXT
    weight: float = 1.0
    aggregate: str = "mean"
    targets: tuple[tuple[str, int], ...] = ()
    caps: tuple[Cap, ...] = ()
    owner: Text = EMPTY_TEXT  # who in the town hall usually knows the answers

    def target(self, size_class: str) -> int | None:
        """The target level for a size class."""
        return dict(self.targets).get(size_class)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """All questions of the dimension in asking order, groups flattened."""
        return tuple(iter_questions(self.items))


def iter_questions(items):
    """Yield the questions under `items`, depth first, in order."""
    for item in items:
        if isinstance(item, Group):
            yield from iter_questions(item.items)
        else:
            yield item


@dataclass(frozen=True)
class QuestionMove:
    """How the answer to one question of an earlier version carries over into this version."""

    old: str
    new: tuple[str, ...]  # () the question was removed; several: it was split and the answer goes to each
    options: tuple[tuple[str, str | None], ...] = ()  # old option id -> new option id (None: answer dropped)


@dataclass(frozen=True)
class Migration:
    """The changes from an earlier version of a questionnaire to this one; unlisted ids stay as they are."""

    from_version: str
    moves: tuple[QuestionMove, ...] = ()


FRAMINGS = ("municipal", "organisation")


@dataclass(frozen=True)
class Questionnaire:
    """A versioned maturity model."""

    id: str
    version: str
    title: Text
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    description: Text = EMPTY_TEXT
    source: str = ""
    path: str = ""
    migrations: tuple[Migration, ...] = ()
    catalogue: str = ""  # the measure catalogue, relative to the bundle folder; "" = none
    framing: str = "municipal"  # "organisation": no population, size classes or municipal wording
    languages: tuple[str, ...] = LANGUAGES

    def migration_from(self, version: str) -> Migration | None:
        """The declared way from an earlier `version` to this one, if any."""
        return next((m for m in self.migrations if m.from_version == version), None)

    @property
    def ref(self) -> str:
        """`id@version`, as answer files name it."""
        return f"{self.id}@{self.version}"

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """All questions in asking order."""
        return tuple(q for d in self.dimensions for q in d.questions)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return self._questions_by_id.get(question_id)

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def dimension(self, dimension_id: str) -> Dimension | None:
        """The dimension with this id, if any."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def dimension_of(self, question_id: str) -> Dimension | None:
        """The dimension that holds the question."""
        return next((d for d in self.dimensions if any(q.id == question_id for q in d.questions)), None)

    def level_for(self, score: float) -> Level:
        """The highest level whose threshold the score reaches."""
        reached = [lv for lv in self.levels if score >= lv.min_score]
        return reached[-1] if reached else self.levels[0]

    def level(self, number: int) -> Level | None:
        """The level with this number."""
        return next((lv for lv in self.levels if lv.level == number), None)


# --- measures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duty:
    """A legal duty behind a measure: the law and paragraph, in force from `since` (ISO date) until
    `until` (empty: open-ended). It is open while `open_when` holds (None: while the measure applies)."""

    law: str
    paragraph: str
    since: str
    until: str = ""
    open_when: Condition | None = None

    def in_force(self, date: str) -> bool:
        """Whether the duty applies on `date` (ISO). The core has no clock: the edge dates an undated
        assessment (Library.assess uses today); without any date the duty counts as in force."""
        return within(date, self.since, self.until)


def within(date: str, since: str, until: str) -> bool:
    """Whether the ISO date `date` lies in `since`–`until` (either may be empty: open-ended).
    An empty `date` (an undated assessment the edge did not date) lies within every period."""
    if not date:
        return True
    return (not since or since <= date) and (not until or date <= until)


@dataclass(frozen=True)
class Measure:
    """A recommendable action from the measure catalogue."""

    id: str
    dimension: str
    title: Text
    description: Text
    steps: tuple[Text, ...]
    when: Condition
    reason: Text
    effort: str
    impact: int
    horizon: str
    cost_min: int = 0  # one-off cost in euros (material, services), range
    cost_max: int = 0
    cost_yearly_min: int = 0  # running cost in euros per year (licences, services), range
    cost_yearly_max: int = 0
    staff_days_min: int = 0  # the town's own staff time in person-days, range
    staff_days_max: int = 0
    size_classes: tuple[str, ...] = SIZE_CLASSES
    requires: tuple[str, ...] = ()
    continues: str = ""  # a measure this one finishes: while this one applies, that one is not done
    example: Text = EMPTY_TEXT
    funding: Text = EMPTY_TEXT
    funding_programmes: tuple[str, ...] = ()  # ids in questionnaires/funding.yaml
    source: str = ""
    duty: Duty | None = None
    foundation: bool = False  # a foundation others build on: placed before the rest of the roadmap
    overlaps: tuple[str, ...] = ()  # measures that prescribe much the same action: only one is recommended
    available_from: str = ""  # ISO date from which the measure can be taken (a law, a service, a standard exists)
    available_until: str = ""  # ISO date after which it no longer can (a programme or a service ended)

    def available(self, date: str) -> bool:
        """Whether the measure can be recommended on the assessment date `date` (ISO)."""
        return within(date, self.available_from, self.available_until)

    @property
    def no_cost_step(self) -> bool:
        """A small step without material cost: it may go beyond a phase's capacity."""
        return self.effort == "S" and self.cost_max == 0 and self.cost_yearly_max == 0


@dataclass(frozen=True)
class Catalogue:
    """The measure catalogue."""

    measures: tuple[Measure, ...]
    path: str = ""

    def measure(self, measure_id: str) -> Measure | None:
        """The measure with this id, if any."""
        return next((m for m in self.measures if m.id == measure_id), None)


def size_class_for(population: int) -> str:
    """The BBSR size class of a municipality with this population."""
    result = SIZE_CLASSES[0]
    for name in SIZE_CLASSES:
        if population >= SIZE_CLASS_MIN_POPULATION[name]:
            result = name
    return result


# --- answers ---------------------------------------------------------------------------------

STATES = {
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg", "HB": "Bremen",
    "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern", "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz", "SL": "Saarland", "SN": "Sachsen",
    "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein", "TH": "Thüringen",
}
def normal_ags(value: str) -> str | None:
    """An official municipality key (Amtlicher Gemeindeschlüssel) as its 8 digits, spaces removed,
    or None when it is not one. The one rule for every way of entering it."""
    digits = str(value).replace(" ", "")
    return digits if len(digits) == 8 and digits.isascii() and digits.isdigit() else None


ROLES = ("Bürgermeister/in", "Hauptamt", "IT", "Fachbereich", "Rat", "Beratung", "Sonstige")

# An answer value: option id, tuple of option ids, bool, number, free text, UNKNOWN or NOT_APPLICABLE.
Value = Union[str, tuple, bool, float, int]


@dataclass(frozen=True)
class Municipality:
    """Facts about the assessed municipality."""

    name: str
    population: int
    state: str = ""
    ags: str = ""


@dataclass(frozen=True)
class Respondent:
    """A person who answered, with their role."""

    name: str
    role: str = ""


@written_at_once
@dataclass(frozen=True)
class Answer:
    """The answer to one question; `by_respondent` keeps individual values of a merged file.

    `progress` ("planned" = geplant/beschlossen, "in_progress" = in Umsetzung) says that `toward`, a
    better answer, is decided or under way (until `until`, an ISO date, if given); `outdated` is the
    year of a document that exists but is out of date (vorhanden, aber veraltet).
    """

    question: str
    value: Value
    comment: str = ""
    evidence: str = ""
    by_respondent: tuple[tuple[str, Value], ...] = ()
    progress: str = ""
    toward: Value | None = None
    until: str = ""
    outdated: int | None = None


@dataclass(frozen=True)
class AnswerSet:
    """A municipality's answers to one questionnaire version."""

    questionnaire: str  # id@version
    municipality: Municipality
    answers: tuple[Answer, ...] = ()
    date: str = ""
    respondents: tuple[Respondent, ...] = ()
    priorities: tuple[tuple[str, int], ...] = ()
    targets: tuple[tuple[str, int], ...] = ()
    path: str = ""
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self._index.update({a.question: a for a in self.answers})

    def answer(self, question_id: str) -> Answer | None:
        """The answer to a question, if given."""
        return self._index.get(question_id)

    def priority(self, dimension_id: str, default: int = 3) -> int:
        """The municipality's own priority (1–5) for a dimension."""
        return dict(self.priorities).get(dimension_id, default)

    def own_target(self, dimension_id: str) -> int | None:
        """The municipality's own target level for a dimension, if stated."""
        return dict(self.targets).get(dimension_id)

    def with_answer(self, answer: Answer) -> "AnswerSet":
        """A copy with `answer` set (replacing an earlier answer to the same question)."""
        others = tuple(a for a in self.answers if a.question != answer.question)
        return replace(self, answers=others + (answer,))
