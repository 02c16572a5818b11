"""The municipality's profile, the measures recommended for it, and their roadmap (pure)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assess.conditions import condition_questions, evaluate, holds, matched_questions
from assess.model import Cap, Catalogue, Dimension, Measure, Question, size_class_for
from assess.scoring import DimensionResult, QuestionResult, Scores, skipped_questions

# Points per maturity level step: a gap of 20 points is one level.
LEVEL_STEP = 20.0
EFFORT_COST = {"S": 1, "M": 2, "L": 3}
# A measure that closes a missing baseline (a cap's condition) counts this much more: weakest link first.
BASELINE_FACTOR = 2.0
HORIZON_PHASE = {"quick": 1, "medium": 2, "long": 3}
# (start month, end month) of each roadmap phase.
PHASES = {1: (0, 6), 2: (6, 18), 3: (18, 36)}
# How many measures a phase may hold, by size class: a village administration cannot run 15 projects.
PHASE_CAPACITY = {"landgemeinde": 4, "kleinstadt": 5, "mittelstadt": 7, "grossstadt": 9}
TOP_FIELDS = 3
DEFAULT_PRIORITY = 3


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


@dataclass(frozen=True)
class KnowledgeGap:
    """A "don't know" answer: what to find out, and who would know."""

    question: Question
    dimension: Dimension


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


@dataclass(frozen=True)
class Recommendation:
    """A measure recommended for this municipality, with its rank value and the reasons."""

    measure: Measure
    value: float
    dimension: DimensionProfile
    evidence: tuple[QuestionResult, ...]
    phase: int | None = None  # 1–3, or None when it does not fit into the 36 months
    baseline: tuple[Cap, ...] = ()  # must-have rules whose missing baseline this measure addresses


@dataclass(frozen=True)
class Phase:
    """A roadmap phase with its months and measures in the order to start them."""

    number: int
    start_month: int
    end_month: int
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class Advice:
    """Profile, ranked recommendations, roadmap, and the catalogue measures fulfilled or still open."""

    profile: Profile
    recommendations: tuple[Recommendation, ...]
    phases: tuple[Phase, ...]
    later: tuple[Recommendation, ...]
    fulfilled: tuple[Measure, ...]
    undecided: tuple[Measure, ...] = ()  # depend on "don't know" or missing answers

    def undecided_for(self, dimension_id: str) -> tuple[Measure, ...]:
        """The open measures of one dimension."""
        return tuple(m for m in self.undecided if m.dimension == dimension_id)

    def for_dimension(self, dimension_id: str) -> tuple[Recommendation, ...]:
        """The recommendations of one dimension, best first."""
        return tuple(r for r in self.recommendations if r.measure.dimension == dimension_id)

    @property
    def top(self) -> tuple[Recommendation, ...]:
        """The five measures to start first: the roadmap's order."""
        ordered = [r for p in self.phases for r in p.recommendations]
        return tuple(ordered[:5])


def profile(scores: Scores) -> Profile:
    """The profile of a scored answer set."""
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
    scored = [d for d in dims if d.result.score is not None]
    strengths = sorted((d for d in scored if d.margin > 0), key=lambda d: (-d.margin, d.dimension.id))
    actions = sorted((d for d in scored if d.gap > 0), key=lambda d: (-d.weighted_gap, -d.priority, d.dimension.id))
    gaps = tuple(KnowledgeGap(r.question, d.dimension) for d in scores.dimensions for r in d.unknown)
    return Profile(size_class, tuple(dims), tuple(strengths[:TOP_FIELDS]), tuple(actions[:TOP_FIELDS]), gaps)


def rank_value(measure: Measure, dimension: DimensionProfile, baseline: bool = False) -> float:
    """Impact × need × priority ÷ effort, where need grows by one per level of gap to the target.

    Doubled when the measure addresses a missing baseline (a must-have rule that holds).
    """
    need = 1.0 + dimension.gap / LEVEL_STEP
    value = measure.impact * need * (dimension.priority / DEFAULT_PRIORITY) / EFFORT_COST[measure.effort]
    return value * BASELINE_FACTOR if baseline else value


def verdict(measure: Measure, scores: Scores, size_class: str) -> bool | None:
    """Whether a measure is needed: True, False (fulfilled), or None while open answers decide it."""
    questionnaire, answers = scores.questionnaire, scores.answers
    dims = {d.dimension.id: (d.score, d.level) for d in scores.dimensions}
    asked = {q.id for q in questionnaire.questions}
    return evaluate(measure.when, answers, skipped_questions(questionnaire, answers), dims, size_class, asked)


def advise(scores: Scores, catalogue: Catalogue) -> Advice:
    """Select the measures that apply and fit the size class, rank them and build the roadmap.

    A measure whose condition depends on "don't know" or missing answers is neither recommended
    nor counted as fulfilled: it is listed as open, to be decided once those answers are clear.
    """
    prof = profile(scores)
    questionnaire, answers = scores.questionnaire, scores.answers
    skipped = skipped_questions(questionnaire, answers)
    asked = {q.id for q in questionnaire.questions}
    dims = {d.dimension.id: (d.score, d.level) for d in scores.dimensions}
    results = scores.question_results
    open_caps = [(cap, set(condition_questions(cap.when))) for d in questionnaire.dimensions for cap in d.caps
                 if holds(cap.when, answers, skipped)]
    chosen, fulfilled, undecided = [], [], []
    for measure in catalogue.measures:
        dimension = prof.dimension(measure.dimension)
        if dimension is None or prof.size_class not in measure.size_classes:
            continue
        needed = evaluate(measure.when, answers, skipped, dims, prof.size_class, asked)
        if needed is None:
            undecided.append(measure)
            continue
        if not needed:
            fulfilled.append(measure)
            continue
        matched = matched_questions(measure.when, answers, skipped, dims, prof.size_class, asked)
        evidence = tuple(results[q] for q in matched if q in results)
        evidence_ids = {r.question.id for r in evidence}
        baseline = tuple(cap for cap, questions in open_caps if questions & evidence_ids)
        chosen.append(Recommendation(measure, rank_value(measure, dimension, bool(baseline)), dimension, evidence, None, baseline))
    chosen.sort(key=lambda r: (-r.value, HORIZON_PHASE[r.measure.horizon], r.measure.id))
    phases, later = roadmap(chosen, PHASE_CAPACITY[prof.size_class])
    placed = {r.measure.id: r for p in phases for r in p.recommendations} | {r.measure.id: r for r in later}
    ranked = tuple(placed[r.measure.id] for r in chosen)
    return Advice(prof, ranked, phases, later, tuple(fulfilled), tuple(undecided))


def roadmap(ranked: list[Recommendation], capacity: int) -> tuple[tuple[Phase, ...], tuple[Recommendation, ...]]:
    """Place ranked recommendations into phases: by horizon, prerequisites first, at most `capacity` each.

    A prerequisite that is itself recommended is placed before its dependant (pulled forward if
    needed); a measure whose prerequisite did not fit goes to `later` as well. One dimension may
    fill at most half a phase (its measures usually fall to the same people), except measures that
    close a missing baseline.
    """
    per_dimension = max(1, capacity // 2)
    by_id = {r.measure.id: r for r in ranked}
    slots: dict[int, list[Recommendation]] = {n: [] for n in PHASES}
    phase_of: dict[str, int | None] = {}

    def place(rec: Recommendation, visiting: frozenset = frozenset()) -> int | None:
        mid = rec.measure.id
        if mid in phase_of:
            return phase_of[mid]
        earliest = HORIZON_PHASE[rec.measure.horizon]
        for req in rec.measure.requires:
            if req in by_id and req not in visiting:
                req_phase = place(by_id[req], visiting | {mid})
                if req_phase is None:
                    phase_of[mid] = None
                    return None
                earliest = max(earliest, req_phase)
        for number in range(earliest, max(PHASES) + 1):
            same = sum(1 for r in slots[number] if r.measure.dimension == rec.measure.dimension and not r.baseline)
            if len(slots[number]) < capacity and (rec.baseline or same < per_dimension):
                slots[number].append(rec)
                phase_of[mid] = number
                return number
        phase_of[mid] = None
        return None

    for rec in ranked:
        place(rec)
    phases = tuple(
        Phase(n, PHASES[n][0], PHASES[n][1], tuple(_with_phase(r, n) for r in slots[n])) for n in PHASES
    )
    later = tuple(_with_phase(r, None) for r in ranked if phase_of.get(r.measure.id) is None)
    return phases, later


def _with_phase(rec: Recommendation, phase: int | None) -> Recommendation:
    return replace(rec, phase=phase)


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
        and verdict(m, baseline, size_class) is True
        and verdict(m, current, size_class) is False
        and m.id not in unfinished
    )
    return Comparison(baseline, current, tuple(changes), completed)
