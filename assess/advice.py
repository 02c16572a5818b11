"""The municipality's profile, the measures recommended for it, and their roadmap (pure).

The rules (documented in docs/method.md, "Empfehlungen"):
- evidence or nothing: a measure is recommended only with at least one real answer of this town that
  makes it necessary; one that hangs on "weiß nicht" or missing answers is open to clarify;
- legal duties first: a duty open on the assessment date goes to phase 1, whatever the capacity;
- foundations next (responsibility, leadership, strategy, budget, ISB, backups), the rest by rank;
- prerequisites complete: a measure starts after what it builds on (in the same phase only after a
  small step);
- capacity by size class: at most PHASE_CAPACITY measures per phase and TOTAL_CAPACITY in all; small
  steps without material cost may go beyond a phase's capacity and are listed as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assess.conditions import condition_dimensions, condition_questions, evaluate, holds
from assess.i18n import answer_text, due_date, points
from assess.model import (
    NOT_APPLICABLE,
    Answer,
    AnswerSet,
    UNKNOWN,
    AllOf,
    AnyOf,
    Not,
    QuestionCondition,
    Cap,
    Catalogue,
    Dimension,
    Measure,
    Question,
    Text,
    size_class_for,
)
from assess.scoring import ANSWERED, UNSCORED, DimensionResult, QuestionResult, Scores, score, skipped_questions

# Points per maturity level step: a gap of 20 points is one level.
LEVEL_STEP = 20.0
# Effort weighs little: a small step is preferred among equally important ones, but capacity, not rank, limits big projects.
EFFORT_FACTOR = {"S": 1.3, "M": 1.0, "L": 0.9}
# A measure that closes a missing baseline (a cap's condition) counts this much more: weakest link first.
BASELINE_FACTOR = 2.0
# (start month, end month) of each roadmap phase.
PHASES = {1: (0, 6), 2: (6, 18), 3: (18, 36)}
# The phase a measure's horizon points to: a quick win in months 0–6, a medium one by month 18, a long one by 36.
# A measure placed later says why (capacity or a prerequisite).
NATURAL_PHASE = {"quick": 1, "medium": 2, "long": 3}
# How many measures a phase may hold, by size class (calibrated on tests/cases): a village administration
# with ten staff cannot run more than three projects at once besides its daily work.
PHASE_CAPACITY = {"landgemeinde": 4, "kleinstadt": 5, "mittelstadt": 7, "grossstadt": 10}
# How many recommendations in all (phases plus small no-cost steps). Open legal duties are a block of their own,
# outside both limits: the law, not the adviser, puts them on the list, and counting them would let a town's
# legal backlog crowd out everything else (docs/method.md 3.6).
TOTAL_CAPACITY = {"landgemeinde": 15, "kleinstadt": 22, "mittelstadt": 30, "grossstadt": 40}
TOP_FIELDS = 3
DEFAULT_PRIORITY = 3
# Strengths and needs are named only for dimensions with at least this share of applicable questions answered.
PROFILE_MIN_COVERAGE = 0.5
# Below this overall coverage the headline is provisional ("vorläufig") and shows a range.
PROVISIONAL_COVERAGE = 0.6
START, FINISH = "start", "finish"


@dataclass(frozen=True)
class DimensionProfile:
    """Where one dimension stands against its target, weighted by the municipality's priority."""

    dimension: Dimension
    result: DimensionResult
    priority: int
    size_class_target: int
    own_target: int | None
    target_score: float
    effective_score: float | None  # the score, or for a capped dimension the floor of its capped level

    @property
    def target_level(self) -> int:
        """The level aimed at: the municipality's own target where stated, else the size-class target."""
        return self.own_target if self.own_target is not None else self.size_class_target

    @property
    def gap(self) -> float:
        """Points missing to the target level's threshold (0 when reached or unscored).

        A dimension held down by a must-have rule counts with the lowest score of its capped level,
        so a missing baseline shows as a gap even when the points alone would reach the target.
        """
        if self.effective_score is None:
            return 0.0
        return max(0.0, self.target_score - self.effective_score)

    @property
    def margin(self) -> float:
        """Points above (positive) or below (negative) the target threshold, caps included."""
        return 0.0 if self.effective_score is None else self.effective_score - self.target_score

    @property
    def weighted_gap(self) -> float:
        """The gap weighted by priority: priority 3 counts once, 5 counts 5/3, 1 counts 1/3."""
        return self.gap * self.priority / DEFAULT_PRIORITY

    @property
    def judged(self) -> bool:
        """Whether enough is answered to call the dimension a strength or a need (half its questions)."""
        return self.result.score is not None and self.result.coverage >= PROFILE_MIN_COVERAGE


@dataclass(frozen=True)
class KnowledgeGap:
    """A "don't know" answer: what to find out, and who would know."""

    question: Question
    dimension: Dimension


@dataclass(frozen=True)
class Headline:
    """The overall index as the report may claim it: provisional with a range below PROVISIONAL_COVERAGE."""

    score: float | None
    level: int | None
    coverage: float
    low: float | None  # the index with every unanswered or unknown question at its lowest answer
    high: float | None  # ... and at its highest
    covered: tuple[Dimension, ...]  # dimensions the index is computed from
    uncovered: tuple[Dimension, ...]

    @property
    def provisional(self) -> bool:
        """Whether too little is answered for one confident number."""
        return self.score is None or self.coverage < PROVISIONAL_COVERAGE


@dataclass(frozen=True)
class Profile:
    """The municipality's individual profile: size class, targets, strengths and fields of action."""

    size_class: str
    dimensions: tuple[DimensionProfile, ...]
    strengths: tuple[DimensionProfile, ...]
    needs_action: tuple[DimensionProfile, ...]
    knowledge_gaps: tuple[KnowledgeGap, ...]

    def dimension(self, dimension_id: str) -> DimensionProfile | None:
        """The profile of one dimension."""
        return next((d for d in self.dimensions if d.dimension.id == dimension_id), None)

    @property
    def unscored(self) -> tuple[DimensionProfile, ...]:
        """Dimensions without a single counting answer: nothing can be said about them yet."""
        return tuple(d for d in self.dimensions if d.result.score is None)

    @property
    def unjudged(self) -> tuple[DimensionProfile, ...]:
        """Scored dimensions with less than half their questions answered: no strength, no need named."""
        return tuple(d for d in self.dimensions if d.result.score is not None and not d.judged)


@dataclass(frozen=True)
class Recommendation:
    """A measure recommended for this municipality, with its rank value, evidence and reason."""

    measure: Measure
    value: float
    dimension: DimensionProfile
    evidence: tuple[QuestionResult, ...]
    phase: int | None = None  # 1–3, or None when it does not fit into the 36 months
    baseline: tuple[Cap, ...] = ()  # must-have rules whose missing baseline this measure addresses
    duty: bool = False  # a legal duty that is open on the assessment date
    status: str = START  # START, or FINISH when a decided or running improvement makes it unnecessary
    reason: Text = Text("", "")  # one sentence from the answers that trigger it
    note: Text | None = None  # why it starts later than its horizon's phase (capacity, prerequisite), or why it waits
    extra: bool = False  # a small no-cost step beyond the phase's capacity

    @property
    def until(self) -> str:
        """For a measure to finish: the date the running or planned work is due, if stated."""
        return next((e.answer.until for e in self.evidence if e.answer is not None and e.answer.until), "")


@dataclass(frozen=True)
class OpenMeasure:
    """A measure that may be needed but hangs on "don't know" or missing answers: clarify these first."""

    measure: Measure
    questions: tuple[Question, ...]
    asked: bool = True  # False: the questionnaire asks none of its questions (the Quick-Check)

    @property
    def id(self) -> str:
        return self.measure.id


@dataclass(frozen=True)
class Phase:
    """A roadmap phase with its months and measures in the order to start them."""

    number: int
    start_month: int
    end_month: int
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class Advice:
    """Profile, recommendations in roadmap order, the measures that wait, and those fulfilled or open."""

    profile: Profile
    recommendations: tuple[Recommendation, ...]
    phases: tuple[Phase, ...]
    later: tuple[Recommendation, ...]
    fulfilled: tuple[Measure, ...]
    undecided: tuple[Measure, ...] = ()  # depend on "don't know" or missing answers
    open_measures: tuple[OpenMeasure, ...] = ()  # the same, with the questions to clarify
    covered: tuple[tuple[Recommendation, Measure], ...] = ()  # (left out, the overlapping measure recommended)
    headline: Headline | None = None
    date: str = ""  # the assessment date the duties were evaluated at

    def undecided_for(self, dimension_id: str) -> tuple[Measure, ...]:
        """The open measures of one dimension."""
        return tuple(m for m in self.undecided if m.dimension == dimension_id)

    def for_dimension(self, dimension_id: str) -> tuple[Recommendation, ...]:
        """The recommendations of one dimension, in roadmap order."""
        return tuple(r for r in self.recommendations if r.measure.dimension == dimension_id)

    @property
    def top(self) -> tuple[Recommendation, ...]:
        """The five measures to start first: the roadmap's order."""
        return self.recommendations[:5]

    @property
    def duties(self) -> tuple[Recommendation, ...]:
        """The recommended measures that fulfil an open legal duty."""
        return tuple(r for r in self.recommendations if r.duty)


def profile(scores: Scores) -> Profile:
    """The profile of a scored answer set.

    Strengths: dimensions with at least half their questions answered that reach their target level
    (the Soll); the town's own highest levels first, among equal levels the largest margin over the
    Soll; at most three. Needs: dimensions with at least half their questions answered below their
    target, the largest gap weighted by priority and the dimension's weight first.
    """
    questionnaire, answers = scores.questionnaire, scores.answers
    size_class = size_class_for(answers.municipality.population)
    dims = []
    for result in scores.dimensions:
        dim = result.dimension
        size_target = dim.target(size_class) or 1
        own = answers.own_target(dim.id)
        level = questionnaire.level(own if own is not None else size_target)
        effective = result.score
        if result.applied_caps and result.score is not None:
            effective = min(result.score, questionnaire.level(result.level).min_score)
        dims.append(
            DimensionProfile(dim, result, answers.priority(dim.id, DEFAULT_PRIORITY), size_target, own,
                             level.min_score if level else 0.0, effective)
        )
    judged = [d for d in dims if d.judged]
    strengths = sorted((d for d in judged if d.margin >= 0), key=lambda d: (-d.result.level, -d.margin, d.dimension.id))
    actions = sorted((d for d in judged if d.gap > 0),
                     key=lambda d: (-d.weighted_gap * d.dimension.weight, -d.priority, d.dimension.id))
    gaps = tuple(KnowledgeGap(r.question, d.dimension) for d in scores.dimensions for r in d.unknown)
    return Profile(size_class, tuple(dims), tuple(strengths[:TOP_FIELDS]), tuple(actions[:TOP_FIELDS]), gaps)


def headline(scores: Scores) -> Headline:
    """The overall index with its coverage, its possible range and the dimensions it covers."""
    low = _bounded(scores, lowest=True)
    high = _bounded(scores, lowest=False)
    covered = tuple(d.dimension for d in scores.dimensions if d.score is not None)
    uncovered = tuple(d.dimension for d in scores.dimensions if d.score is None)
    return Headline(scores.score, scores.level, scores.coverage, low, high, covered, uncovered)


def _bounded(scores: Scores, lowest: bool) -> float | None:
    """The overall index with every applicable open question (unanswered or "weiß nicht") at its
    lowest (or highest) answer."""
    filled = {}
    for result in (r for d in scores.dimensions for r in d.questions):
        if result.question.scored and result.status in ("unanswered", "unknown"):
            value = _extreme(result.question, lowest)
            if value is not None:
                filled[result.question.id] = Answer(result.question.id, value)
    if not filled:
        return scores.score
    answers = scores.answers
    kept = tuple(a for a in answers.answers if a.question not in filled)
    return score(scores.questionnaire, replace(answers, answers=kept + tuple(filled.values()))).score


def _extreme(question: Question, lowest: bool):
    if question.type == "single":
        pick = min if lowest else max
        return pick(question.options, key=lambda o: o.value).id
    if question.type == "multi":
        if lowest:
            zero = [o for o in question.options if o.value == 0]
            return (zero[0].id,) if zero else ()
        return tuple(o.id for o in question.options if not o.exclusive)
    if question.type == "yesno":
        return not lowest
    if question.type == "number" and question.bands:
        return min(b.min for b in question.bands) if lowest else max(b.min for b in question.bands)
    return None


def rank_value(measure: Measure, dimension: DimensionProfile, baseline: bool = False) -> float:
    """Impact × need × (priority ÷ 3)² × dimension weight × effort factor.

    Need grows by a half per level of gap to the target; the town's priority counts squared, so a
    dimension it rates 5 weighs 2.8 times, one it rates 1 a ninth; the dimension's weight in the index (2 for the
    core of the administration: strategy, services, processes, infrastructure, security) makes the core
    come first; the effort factor (S 1.3, M 1.0, L 0.9) prefers a quick, small step among equally important ones.

    Doubled when the measure addresses a missing baseline (a must-have rule that holds).
    """
    need = 1.0 + dimension.gap / (2 * LEVEL_STEP)
    value = (measure.impact * need * (dimension.priority / DEFAULT_PRIORITY) ** 2 * dimension.dimension.weight
             * EFFORT_FACTOR[measure.effort])
    return value * BASELINE_FACTOR if baseline else value


def verdict(measure: Measure, scores: Scores, size_class: str) -> bool | None:
    """Whether a measure is needed: True, False (fulfilled), or None while open answers decide it."""
    questionnaire, answers = scores.questionnaire, scores.answers
    dims = {d.dimension.id: (d.score, d.level) for d in scores.dimensions}
    asked = {q.id for q in questionnaire.questions}
    return evaluate(measure.when, answers, skipped_questions(questionnaire, answers), dims, size_class, asked)


def _real(result: QuestionResult) -> bool:
    """Whether a question result carries a real answer of the town (not "weiß nicht", not skipped)."""
    return result.status in (ANSWERED, UNSCORED) and result.answer is not None and \
        result.answer.value not in (UNKNOWN, NOT_APPLICABLE)


def advise(scores: Scores, catalogue: Catalogue) -> Advice:
    """Select the measures that apply, fit the size class and rest on evidence; rank them; build the roadmap.

    A measure not available on the assessment date (`available_from`/`available_until`: the law, service
    or standard it needs did not exist yet, or no longer does) is left out like one for another size class.
    A measure whose condition depends on "don't know" or missing answers – or that holds without any
    real answer of the town behind it – is neither recommended nor counted as fulfilled: it is listed
    as open, to be clarified.
    """
    prof = profile(scores)
    questionnaire, answers = scores.questionnaire, scores.answers
    skipped = skipped_questions(questionnaire, answers)
    asked = {q.id for q in questionnaire.questions}
    dims = {d.dimension.id: (d.score, d.level) for d in scores.dimensions}
    results = scores.question_results
    open_caps = [(cap, set(condition_questions(cap.when))) for d in questionnaire.dimensions for cap in d.caps
                 if holds(cap.when, answers, skipped)]
    chosen, fulfilled, open_measures = [], [], []
    for measure in catalogue.measures:
        dimension = prof.dimension(measure.dimension)
        if dimension is None or prof.size_class not in measure.size_classes or not measure.available(answers.date):
            continue
        needed = evaluate(measure.when, answers, skipped, dims, prof.size_class, asked)
        if needed is False:
            fulfilled.append(measure)
            continue
        evidence = ()
        if needed:
            deciding = _deciding_questions(measure.when, answers, skipped, dims, prof.size_class, asked)
            evidence = tuple(results[q] for q in deciding if q in results and _real(results[q]))
            if not evidence and not condition_questions(measure.when):
                evidence = _dimension_evidence(measure, scores)
        if not evidence:
            open_measures.append(OpenMeasure(measure, _to_clarify(measure, results),
                                             bool(set(condition_questions(measure.when)) & asked)))
            continue
        evidence_ids = {r.question.id for r in evidence}
        baseline = tuple(cap for cap, questions in open_caps if questions & evidence_ids)
        status = FINISH if _finishes(measure, evidence, answers, skipped, dims, prof.size_class, asked) else START
        duty = measure.duty is not None and measure.duty.in_force(answers.date) and (
            measure.duty.open_when is None or holds(measure.duty.open_when, answers, skipped))
        rec = Recommendation(measure, rank_value(measure, dimension, bool(baseline)), dimension, evidence, None,
                             baseline, duty, status)
        chosen.append(replace(rec, reason=reason_text(rec, scores)))
    chosen.sort(key=lambda r: (-r.value, -r.measure.impact, r.measure.id))
    kept, covered = _without_overlaps(chosen)
    strategy = prof.dimension("strategy")
    lowest_strategy = strategy is not None and strategy.result.level == questionnaire.levels[0].level
    phases, later = roadmap(kept, PHASE_CAPACITY[prof.size_class], TOTAL_CAPACITY[prof.size_class], lowest_strategy)
    ordered = tuple(r for p in phases for r in p.recommendations)
    return Advice(prof, ordered, phases, later, tuple(fulfilled), tuple(o.measure for o in open_measures),
                  tuple(open_measures), tuple(covered), headline(scores), answers.date)


def _deciding_questions(condition, answers, skipped, dims, size_class, asked) -> list[str]:
    """The questions whose answers make a holding condition hold: its own tests that hold, and for a
    `not` the questions of the part that does not hold. ("Is answered" tests count; "is not answered"
    ones carry no answer and are dropped by the caller.)"""
    if condition is None or evaluate(condition, answers, skipped, dims, size_class, asked) is not True:
        return []
    if isinstance(condition, QuestionCondition):
        return [condition.question]
    if isinstance(condition, Not):
        return condition_questions(condition.part)
    if isinstance(condition, (AllOf, AnyOf)):
        found: list[str] = []
        for part in condition.parts:
            found += [q for q in _deciding_questions(part, answers, skipped, dims, size_class, asked) if q not in found]
        return found
    return []


def _dimension_evidence(measure: Measure, scores: Scores) -> tuple[QuestionResult, ...]:
    """For a measure about a dimension as a whole (its condition tests no question, only the
    dimension's score or level): the town's low answers (under half the points) in that dimension."""
    found = []
    for dim_id in condition_dimensions(measure.when):
        result = scores.dimension(dim_id)
        if result is not None:
            found += [r for r in result.questions if _real(r) and r.score is not None and r.score < 0.5]
    return tuple(found)


def _to_clarify(measure: Measure, results: dict) -> tuple[Question, ...]:
    """The questions of a measure's condition that this questionnaire asks but the town has not
    really answered (unanswered or "weiß nicht"; not skipped, not "trifft nicht zu")."""
    return tuple(results[q].question for q in dict.fromkeys(condition_questions(measure.when))
                 if q in results and not _real(results[q]) and results[q].status not in ("skipped", "not_applicable"))


def _finishes(measure, evidence, answers: AnswerSet, skipped, dims, size_class, asked) -> bool:
    """Whether the decided or running improvements among the evidence would make the measure unnecessary."""
    progressing = [e.answer for e in evidence if e.answer is not None and e.answer.progress and e.answer.toward is not None]
    if not progressing:
        return False
    target = answers
    for answer in progressing:
        target = target.with_answer(replace(answer, value=answer.toward, progress="", toward=None))
    return evaluate(measure.when, target, skipped, dims, size_class, asked) is False


def _without_overlaps(ranked: list[Recommendation]) -> tuple[list[Recommendation], list]:
    """Keep the better ranked of two overlapping measures (`overlaps`, either direction); a legal duty
    always stays."""
    kept: list[Recommendation] = []
    covered = []
    for rec in sorted(ranked, key=lambda r: (not r.duty, -r.value, -r.measure.impact, r.measure.id)):
        rival = next((k for k in kept if rec.measure.id in k.measure.overlaps or k.measure.id in rec.measure.overlaps), None)
        if rival is not None:
            covered.append((rec, rival.measure))
        else:
            kept.append(rec)
    return sorted(kept, key=lambda r: (-r.value, -r.measure.impact, r.measure.id)), covered


def roadmap(ranked: list[Recommendation], capacity: int, total: int | None = None, strategy_first: bool = False
            ) -> tuple[tuple[Phase, ...], tuple[Recommendation, ...]]:
    """Place ranked recommendations into phases; return the phases and what waits ("später").

    Order of placing: open legal duties, then foundations (the strategy's first when the town is at the
    lowest level of strategy), then the rest by rank. A duty goes to the earliest phase its
    prerequisites allow, whatever the capacity. Other measures take the earliest phase with room: at
    most `capacity` per phase, plus small no-cost steps (foundations always, others up to half the
    capacity, at least two); one dimension fills at most half a
    phase with ordinary measures, unless the town gives it priority 4 or 5. A prerequisite that is itself recommended is placed first (pulled
    forward if needed); its dependant starts in a later phase, or in the same one after a small step.
    A measure placed after the phase its horizon points to (NATURAL_PHASE) carries a note saying why:
    the prerequisite it waits for, or capacity. At most `total` recommendations besides open duties,
    which count against neither limit. What does not fit waits, with the reason.
    """
    total = total if total is not None else capacity * len(PHASES) * 2
    per_dimension = max(1, capacity // 2)
    by_id = {r.measure.id: r for r in ranked}
    slots: dict[int, list[Recommendation]] = {n: [] for n in PHASES}
    placed: dict[str, Recommendation | None] = {}
    waiting: dict[str, Recommendation] = {}

    def order(rec: Recommendation):
        if rec.duty:
            return (0,)
        if rec.measure.foundation:
            first = strategy_first and rec.measure.dimension == "strategy"
            return (1, 0 if first else 1)
        return (2,)

    def count() -> int:  # open legal duties are a block of their own, outside the total
        return sum(1 for n in slots for r in slots[n] if not r.duty)

    def wait(rec: Recommendation, note: Text) -> None:
        placed[rec.measure.id] = None
        waiting[rec.measure.id] = replace(rec, phase=None, note=note)

    def place(rec: Recommendation, visiting: frozenset = frozenset()) -> int | None:
        mid = rec.measure.id
        if mid in placed:
            return placed[mid].phase if placed[mid] is not None else None
        earliest, blocker = 1, None
        for req in rec.measure.requires:
            if req not in by_id or req in visiting:
                continue
            req_phase = place(by_id[req], visiting | {mid})
            if req_phase is None:
                wait(rec, Text(f"wartet auf „{by_id[req].measure.title.de}“, die erst später Platz hat",
                               f"waits for “{by_id[req].measure.title.en}”, which only fits later"))
                return None
            start = req_phase if by_id[req].measure.effort == "S" else req_phase + 1
            if start > earliest:
                earliest, blocker = start, by_id[req]
        if earliest > max(PHASES):
            wait(rec, Text(f"beginnt nach „{blocker.measure.title.de}“, also nach Monat 36",
                           f"starts after “{blocker.measure.title.en}”, so after month 36"))
            return None
        if not rec.duty and count() >= total:
            wait(rec, Text(f"mehr als {total} Empfehlungen überfordern eine Verwaltung dieser Größe",
                           f"more than {total} recommendations overtax an administration of this size"))
            return None
        crowded = False  # an earlier phase had room, but enough measures of this dimension already
        for number in range(earliest, max(PHASES) + 1):
            here = slots[number]
            if rec.duty:
                fits, extra = True, False
            elif rec.measure.no_cost_step:
                small = sum(1 for r in here if r.extra and not r.measure.foundation)
                fits, extra = rec.measure.foundation or small < max(2, capacity // 2), True
            else:
                ordinary = [r for r in here if not r.duty and not r.extra]
                same = sum(1 for r in ordinary if r.measure.dimension == rec.measure.dimension and not r.measure.foundation)
                spread = rec.measure.foundation or rec.baseline or rec.dimension.priority >= 4 or same < per_dimension
                fits = len(ordinary) < capacity and spread
                crowded = crowded or (len(ordinary) < capacity and not spread)
                extra = False
            if fits:
                note = None
                if number > NATURAL_PHASE[rec.measure.horizon]:
                    note = (Text(f"wartet auf „{blocker.measure.title.de}“", f"waits for “{blocker.measure.title.en}”")
                            if blocker is not None and number == earliest else
                            Text("beginnt später: in den früheren Phasen stehen schon genug Maßnahmen dieses Bereichs",
                                 "starts later: the earlier phases already hold enough measures of this area")
                            if crowded else
                            Text("beginnt später: die früheren Phasen sind mit wichtigeren Maßnahmen ausgelastet",
                                 "starts later: the earlier phases are full with more important measures"))
                done = replace(rec, phase=number, note=note, extra=extra)
                here.append(done)
                placed[mid] = done
                return number
        wait(rec, Text("die drei Phasen sind mit wichtigeren Maßnahmen ausgelastet",
                       "the three phases are full with more important measures"))
        return None

    for rec in sorted(ranked, key=lambda r: (order(r), -r.value, -r.measure.impact, r.measure.id)):
        place(rec)
    phases = tuple(Phase(n, PHASES[n][0], PHASES[n][1], tuple(_in_order(slots[n]))) for n in PHASES)
    later = tuple(waiting[r.measure.id] for r in ranked if r.measure.id in waiting)
    return phases, later


def _in_order(recs: list[Recommendation]) -> list[Recommendation]:
    """A phase's measures in the order to start them: duties and foundations first, each group by rank,
    a prerequisite always before its dependant."""
    by_id = {r.measure.id: r for r in recs}
    ordered: list[Recommendation] = []

    def emit(rec: Recommendation) -> None:
        if rec in ordered:
            return
        for req in rec.measure.requires:
            if req in by_id:
                emit(by_id[req])
        ordered.append(rec)

    for rec in sorted(recs, key=lambda r: (not (r.duty or r.measure.foundation), -r.value, -r.measure.impact, r.measure.id)):
        emit(rec)
    return ordered


def reason_text(rec: Recommendation, scores: Scores) -> Text:
    """One sentence why this measure is recommended, from the answers that trigger it (German, English)."""
    if rec.measure.when is not None and not condition_questions(rec.measure.when):
        prof = rec.dimension
        names = [r.question.text for r in rec.evidence[:2]]
        return Text(
            f"Die Dimension „{prof.dimension.title.de}“ erreicht {points(prof.result.score, 'de')}; "
            "niedrig bewertet sind Ihre Antworten zu " + " und ".join(f"„{n.de}“" for n in names) + ".",
            f"The dimension “{prof.dimension.title.en}” reaches {points(prof.result.score, 'en')}; "
            "your answers on " + " and ".join(f"“{n.en}”" for n in names) + " score low.")
    parts_de, parts_en = [], []
    for result in rec.evidence:
        question, answer = result.question, result.answer
        de = f"„{question.text.de}“ – „{answer_text(question, answer.value, 'de').rstrip('. ')}“"
        en = f"“{question.text.en}” – “{answer_text(question, answer.value, 'en').rstrip('. ')}”"
        if answer.outdated is not None:
            de += f" (Stand {answer.outdated}, veraltet)"
            en += f" (dated {answer.outdated}, outdated)"
        parts_de.append(de)
        parts_en.append(en)
    lead_de = "Ihre Angabe: " if len(parts_de) == 1 else "Ihre Angaben: "
    lead_en = "Your answer: " if len(parts_en) == 1 else "Your answers: "
    de, en = lead_de + "; ".join(parts_de) + ".", lead_en + "; ".join(parts_en) + "."
    for r in (r for r in rec.evidence if r.answer.progress and r.answer.toward is not None):
        planned = r.answer.progress == "planned"
        lead_de = "Als nächster Schritt geplant oder beschlossen" if planned else "Bereits in Umsetzung"
        lead_en = "Planned or decided as the next step" if planned else "Already under way"
        target_de = answer_text(r.question, r.answer.toward, "de").rstrip(". ")
        target_en = answer_text(r.question, r.answer.toward, "en").rstrip(". ")
        until_de = f", bis {due_date(r.answer.until, 'de')}" if r.answer.until else ""
        until_en = f", by {due_date(r.answer.until, 'en')}" if r.answer.until else ""
        then_de, then_en = (("diese Maßnahme führt es zu Ende", "this measure finishes it") if rec.status == FINISH else
                            ("diese Maßnahme geht darüber hinaus", "this measure goes further"))
        de += f" {lead_de}: „{target_de}“{until_de} – {then_de}."
        en += f" {lead_en}: “{target_en}”{until_en} – {then_en}."
    return Text(de, en)


@dataclass(frozen=True)
class Change:
    """How a dimension moved since the baseline assessment."""

    dimension: Dimension
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """Points gained (negative: lost)."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """The change since an earlier assessment of the same questionnaire."""

    baseline: Scores
    current: Scores
    changes: tuple[Change, ...]
    completed: tuple[Measure, ...]

    @property
    def overall_delta(self) -> float | None:
        """Points gained on the maturity index."""
        if self.baseline.score is None or self.current.score is None:
            return None
        return self.current.score - self.baseline.score


def compare(current: Scores, baseline: Scores, catalogue: Catalogue) -> Comparison:
    """Changes per dimension since `baseline`, and measures certainly needed then and certainly not now.

    A measure does not count as completed while a measure that continues it (finishes its work, e.g.
    "have the draft adopted" after "draft a strategy") still applies.
    """
    changes = []
    for result in current.dimensions:
        before = baseline.dimension(result.dimension.id)
        changes.append(Change(result.dimension, before.score if before else None, result.score))
    size_class = size_class_for(current.answers.municipality.population)
    unfinished = {m.continues for m in catalogue.measures if m.continues and verdict(m, current, size_class) is not False}
    completed = tuple(
        m for m in catalogue.measures
        if size_class in m.size_classes
        and m.available(baseline.answers.date)
        and verdict(m, baseline, size_class) is True
        and verdict(m, current, size_class) is False
        and m.id not in unfinished
    )
    return Comparison(baseline, current, tuple(changes), completed)
