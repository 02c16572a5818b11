"""A town's progress over its rounds: the scores stored when a round closes, the trend across rounds
(also across questionnaire versions, on what they share), and the measures the town tracks.

No Flask here (like service.py): functions take a SQLAlchemy session and model objects.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, exists, select, true, update

from assess.errors import AssessError
from assess.model import Measure, Questionnaire, Text, size_class_for
from assess.server import models as m
from assess.server import service
from assess.server.strings import both_languages, t

log = logging.getLogger("assess.server")
CHANGE = 0.5  # points: a smaller change counts as "unchanged" (scores are shown rounded)


# --- a round's result on the installed questionnaire version ------------------------------------

@dataclass(frozen=True)
class RoundAnswers:
    """A round's merged answers on the questionnaire version installed now; `carried` when they were
    carried over in memory from the round's own earlier version (notes: what was dropped)."""

    answers: object  # AnswerSet
    questionnaire: Questionnaire
    carried: bool
    notes: tuple = ()


def round_answers(round_: m.Round) -> RoundAnswers | None:
    """None when nobody answered, or the round's questionnaire is not installed at all."""
    try:
        if service.installed_version(round_) is None:
            result = service.merged(round_)
            return RoundAnswers(result.answers, service.questionnaire_of(round_), False) if result else None
        sets, target, notes = service.carried_sets(round_)
    except AssessError:
        return None
    result = service.merge_sets(round_, sets, target)
    return RoundAnswers(result.answers, target, True, tuple(notes)) if result else None


# --- stored scores of closed rounds ----------------------------------------------------------

def store_scores(db, round_: m.Round) -> None:
    """Write the scores of a round that was just closed (replacing any earlier ones) and mark the
    town's latest closed round of the questionnaire. A round without answers stores an empty index,
    so it is not scored again and again."""
    db.execute(delete(m.RoundScore).where(m.RoundScore.round_id == round_.id))
    town = round_.municipality
    common = {"round_id": round_.id, "municipality_id": town.id, "questionnaire_id": round_.questionnaire_id,
              "questionnaire_version": round_.questionnaire_version, "size_class": size_class_for(town.population),
              "state": town.state or "", "latest": False, "peer": False}
    values = [{"dimension": m.OVERALL, "score": None, "coverage": 0.0, "gap": None, "measures": []}]
    found = round_answers(round_)
    if found is not None:
        try:
            values = score_values(service.LIBRARY.assess(found.answers, found.questionnaire))
        except AssessError as exc:  # e.g. a catalogue that no longer loads: the round stays without scores
            log.error("round %s: %s", round_.id, exc.message_in("en"))
    rows = [m.RoundScore(**common, **v) for v in values]
    db.add_all(rows)
    db.flush()
    mark_latest(db, town.id, round_.questionnaire_id)


def score_values(result) -> list[dict]:
    """What is stored of an Assessment: per dimension and OVERALL the score, coverage, the gap to the
    target (advice) and the recommended measures."""
    scores, advice = result.scores, result.advice
    values = [{"dimension": m.OVERALL, "score": scores.score, "coverage": scores.coverage, "gap": None,
               "measures": [r.measure.id for r in advice.recommendations]}]
    for d in scores.dimensions:
        profile = advice.profile.dimension(d.dimension.id)
        values.append({"dimension": d.dimension.id, "score": d.score, "coverage": d.coverage,
                       "gap": profile.gap if profile is not None and d.score is not None else None,
                       "measures": [r.measure.id for r in advice.for_dimension(d.dimension.id)]})
    return values


def clear_scores(db, round_: m.Round) -> None:
    """A reopened round is no longer a result: its stored scores go, the round before it is latest again."""
    db.execute(delete(m.RoundScore).where(m.RoundScore.round_id == round_.id))
    db.flush()
    mark_latest(db, round_.municipality_id, round_.questionnaire_id)


def mark_latest(db, town_id: int, questionnaire_id: str) -> None:
    """Mark the town's newest closed round of the questionnaire that has a result as latest; it counts
    in peer benchmarks when the town opted in. A round closed without answers does not replace it."""
    where = (m.RoundScore.municipality_id == town_id, m.RoundScore.questionnaire_id == questionnaire_id)
    newest = db.scalar(select(m.RoundScore.round_id).where(*where, m.RoundScore.dimension == m.OVERALL,
                                                           m.RoundScore.score.is_not(None))
                       .order_by(m.RoundScore.round_id.desc()).limit(1))
    opted_in = bool(db.scalar(select(m.Municipality.peer_opt_in).where(m.Municipality.id == town_id)))
    db.execute(update(m.RoundScore).where(*where, m.RoundScore.round_id != newest).values(latest=False, peer=False))
    if newest is not None:
        db.execute(update(m.RoundScore).where(*where, m.RoundScore.round_id == newest).values(latest=True, peer=opted_in))


def set_opt_in(db, town: m.Municipality, opted_in: bool) -> None:
    """The town agrees (or no longer agrees) that its latest closed rounds count in peer benchmarks."""
    town.peer_opt_in = opted_in
    db.execute(update(m.RoundScore).where(m.RoundScore.municipality_id == town.id, m.RoundScore.latest == true())
               .values(peer=opted_in))
    db.commit()


def ensure_scores(db, town_ids=None) -> int:
    """Store the scores of closed rounds that have none yet (rounds closed before the scores were
    stored); normally a single cheap query that finds nothing. Returns how many were stored."""
    query = select(m.Round).where(m.Round.status == "closed",
                                  ~exists().where(m.RoundScore.round_id == m.Round.id)).order_by(m.Round.id)
    if town_ids is not None:
        query = query.where(m.Round.municipality_id.in_(list(town_ids)))
    missing = db.scalars(query).all()
    for round_ in missing:
        store_scores(db, round_)
    if missing:
        db.commit()
    return len(missing)


def refresh_scores(db, round_: m.Round) -> None:
    """After a change to a closed round (a person removed, files imported, settings, a new questionnaire
    version), its stored scores follow."""
    if round_.status == "closed":
        store_scores(db, round_)
        db.commit()


def set_status(db, round_: m.Round, status: str) -> None:
    """Close or reopen a round, with its stored scores, in one transaction."""
    round_.status = status
    round_.closed_at = m.now() if status == "closed" else None
    db.flush()
    if status == "closed":
        store_scores(db, round_)
    else:
        clear_scores(db, round_)
    db.commit()


def index_title() -> Text:
    """The maturity index's name in the trend and the programme report, from the text catalogue."""
    return both_languages("index")


# --- the trend across rounds -----------------------------------------------------------------

@dataclass(frozen=True)
class Point:
    """One round in the trend: its scores per dimension id and OVERALL (None: not scored)."""

    round: m.Round
    scores: dict
    live: bool  # computed now (an open round), not stored at closing

    def score(self, dimension: str):
        return self.scores.get(dimension)


@dataclass(frozen=True)
class Change:
    dimension: str
    title: Text
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass
class Trend:
    """A town's rounds with scores, the change between the last two, and what was done in between."""

    points: list[Point]
    dimensions: list[tuple[str, Text]]  # of the newest round's questionnaire
    changes: list[Change] = field(default_factory=list)
    completed: tuple[Measure, ...] = ()  # needed in the earlier round by its answers, no longer now
    marked_done: list = field(default_factory=list)  # MeasureTracking rows set to erledigt in between
    notes: list[Text] = field(default_factory=list)  # version changes: what is compared, what is not
    before: m.Round | None = None
    after: m.Round | None = None

    @property
    def improved(self) -> list[Change]:
        return [c for c in self.changes if c.delta is not None and c.delta >= CHANGE]

    @property
    def slipped(self) -> list[Change]:
        return [c for c in self.changes if c.delta is not None and c.delta <= -CHANGE]

    def series(self) -> list[tuple[str, Text, list]]:
        """(dimension id, title, score per point) for the table and the chart; the index first."""
        rows = [(m.OVERALL, index_title(), [p.score(m.OVERALL) for p in self.points])]
        return rows + [(d, title, [p.score(d) for p in self.points]) for d, title in self.dimensions]


def trend(db, town: m.Municipality, upto: m.Round | None = None) -> Trend:
    """The trend of `town` over its rounds of one questionnaire (that of `upto`, else of its newest
    round) up to `upto`: closed rounds from their stored scores, an open round scored now."""
    ensure_scores(db, [town.id])
    rounds = [r for r in town.rounds if upto is None or r.id <= upto.id]
    if not rounds:
        return Trend([], [])
    qid = (upto or rounds[-1]).questionnaire_id
    rounds = [r for r in rounds if r.questionnaire_id == qid]
    stored: dict[int, dict] = {}
    for row in db.scalars(select(m.RoundScore).where(m.RoundScore.round_id.in_([r.id for r in rounds]))):
        stored.setdefault(row.round_id, {})[row.dimension] = row.score
    points, answers = [], {}
    for r in rounds:
        if r.status == "closed" and r.id in stored:
            if stored[r.id].get(m.OVERALL) is not None or len(stored[r.id]) > 1:
                points.append(Point(r, stored[r.id], False))
            continue
        if r.status == "open" and (upto is None or r.id == upto.id or r.id == rounds[-1].id):
            found = round_answers(r)
            if found is not None:
                scores = service.LIBRARY.score(found.answers, found.questionnaire)
                values = {d.dimension.id: d.score for d in scores.dimensions}
                values[m.OVERALL] = scores.score
                points.append(Point(r, values, True))
                answers[r.id] = found
    try:
        newest = service.LIBRARY.resolve(qid, None)
    except AssessError:
        return Trend(points, [])
    result = Trend(points, [(d.id, d.title) for d in newest.dimensions])
    if len(points) >= 2:
        _compare(db, result, points[-2].round, points[-1].round, answers)
    return result


def _compare(db, result: Trend, before: m.Round, after: m.Round, cache: dict) -> None:
    """The change from `before` to `after` by the engine's comparison; across questionnaire versions
    both rounds are carried to the installed version and compared on the questions both answered."""
    old = cache.get(before.id) or round_answers(before)
    new = cache.get(after.id) or round_answers(after)
    result.before, result.after = before, after
    result.marked_done = list(db.scalars(select(m.MeasureTracking).where(
        m.MeasureTracking.municipality_id == after.municipality_id, m.MeasureTracking.status == "erledigt",
        m.MeasureTracking.round_id > before.id, m.MeasureTracking.round_id <= after.id)))
    if old is None or new is None:
        return
    old_answers, new_answers = old.answers, new.answers
    if before.questionnaire_version != after.questionnaire_version:
        shared = {a.question for a in old_answers.answers} & {a.question for a in new_answers.answers}
        old_answers = replace(old_answers, answers=tuple(a for a in old_answers.answers if a.question in shared))
        new_answers = replace(new_answers, answers=tuple(a for a in new_answers.answers if a.question in shared))
        one_only = sorted({a.question for a in old.answers.answers} ^ {a.question for a in new.answers.answers})
        removed = sorted({move.old for version in {before.questionnaire_version, after.questionnaire_version}
                          if (migration := new.questionnaire.migration_from(version)) is not None
                          for move in migration.moves if not move.new})
        version = new.questionnaire.version

        def note(lang: str) -> str:
            return (t("trend_versions", lang, before=before.label, before_ref=before.ref, after=after.label,
                      after_ref=after.ref, count=len(shared), version=version)
                    + (t("trend_one_only", lang, questions=", ".join(one_only)) if one_only else "")
                    + (t("trend_removed", lang, version=version, questions=", ".join(removed)) if removed else "") + ".")

        result.notes.append(Text(note("de"), note("en")))
    assessed = service.LIBRARY.assess(new_answers, new.questionnaire, old_answers)
    comparison = assessed.comparison
    titles = dict(result.dimensions)
    result.changes = [Change(c.dimension.id, titles.get(c.dimension.id, c.dimension.title), c.before, c.after)
                      for c in comparison.changes]
    result.completed = comparison.completed


# --- measure tracking ------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanRow:
    """One measure of the action plan: the engine's recommendation (None: no longer recommended) and
    what the town decided about it (None: nothing yet)."""

    measure: Measure
    recommendation: object | None
    tracking: m.MeasureTracking | None

    @property
    def flagged(self) -> bool:
        """Marked erledigt, but the answers of this round still recommend it."""
        return self.recommendation is not None and self.tracking is not None and self.tracking.status == "erledigt"

    @property
    def status(self) -> str:
        return self.tracking.status if self.tracking else "offen"

    @property
    def overdue(self) -> bool:
        t = self.tracking
        return bool(t and t.due_date and t.status in ("offen", "in_arbeit") and t.due_date < dt.date.today())


def plan(db, round_: m.Round, assessment=None) -> list[PlanRow]:
    """The round's recommended measures in roadmap order with their tracking, then the measures the
    town tracks that this round no longer recommends."""
    if assessment is None:
        assessment = service.assessment(round_)
    tracked = {t.measure: t for t in db.scalars(select(m.MeasureTracking).where(
        m.MeasureTracking.municipality_id == round_.municipality_id))}
    rows = []
    if assessment is not None:
        for rec in assessment.advice.recommendations:
            rows.append(PlanRow(rec.measure, rec, tracked.pop(rec.measure.id, None)))
        catalogue = service.LIBRARY.catalogue(assessment.questionnaire)
    else:
        catalogue = service.LIBRARY.catalogue(service.questionnaire_of(round_))
    for measure_id, tracking in sorted(tracked.items()):
        measure = catalogue.measure(measure_id)
        if measure is not None:
            rows.append(PlanRow(measure, None, tracking))
    return rows


class TrackingError(AssessError):
    """A tracking form the server refuses; the message says what to fix."""


def set_tracking(db, round_: m.Round, measure_id: str, *, accepted: bool, owner: str, due: str, status: str,
                 reason: str) -> m.MeasureTracking:
    """Record the town's decision on a measure of the round's catalogue (one row per town and measure)."""
    catalogue = service.LIBRARY.catalogue(service.questionnaire_of(round_))
    if catalogue.measure(measure_id) is None:
        raise TrackingError(both_languages("err_measure", measure=measure_id[:100]))
    if status not in m.TRACKING_STATUSES:
        raise TrackingError(both_languages("err_status"))
    reason = reason.strip()[:service.MAX_TEXT]
    if status == "verworfen" and not reason:
        raise TrackingError(both_languages("err_reason"))
    due_date = None
    if due.strip():
        try:
            due_date = dt.date.fromisoformat(due.strip())
        except ValueError:
            raise TrackingError(both_languages("err_due")) from None
    row = db.scalar(select(m.MeasureTracking).where(m.MeasureTracking.municipality_id == round_.municipality_id,
                                                    m.MeasureTracking.measure == measure_id))
    if row is None:
        row = m.MeasureTracking(municipality_id=round_.municipality_id, measure=measure_id)
        db.add(row)
    row.accepted = accepted
    row.owner = owner.strip()[:200]
    row.due_date = due_date
    row.status = status
    row.reason = reason if status == "verworfen" else ""
    row.round_id = round_.id
    row.updated_at = m.now()
    db.commit()
    return row


# --- the round's report with the trend and the action plan --------------------------------------

REPORT_TEMPLATES = __import__("pathlib").Path(__file__).parent / "report_templates"


def report_bytes(db, round_: m.Round, fmt: str, lang: str, edition: str) -> bytes | None:
    """The round's report; HTML and PDF add the trend across the town's rounds and the action plan
    with its tracking (the engine's report extended by template inheritance, see report_templates/)."""
    if fmt == "pdf":
        try:
            import weasyprint
        except (ImportError, OSError):  # the engine's PDF says what is missing
            return service.report_bytes(round_, fmt, lang, edition)
    if fmt not in ("html", "pdf"):
        return service.report_bytes(round_, fmt, lang, edition)
    result = service.assessment(round_)
    if result is None:
        return None
    from assess import render, templating

    found = trend(db, round_.municipality, round_)
    env = render.environment_for(lang, REPORT_TEMPLATES)  # compiled once per thread
    context = render.report_context(result, lang, None, render.check_edition(edition))
    context.update(server_trend=found, server_plan=plan(db, round_, result), st=lambda key, **v: t(key, lang, **v),
                   server_trend_svg=trend_svg(found, lang))
    html = context["csp"].finish(templating.render(env, "report.html.j2", context))
    if fmt == "html":
        return html.encode("utf-8")
    return weasyprint.HTML(string=html, base_url=None).render(**render.PDF_OPTIONS).write_pdf(**render.PDF_OPTIONS)


def trend_svg(found: Trend, lang: str) -> str:
    """The trend as an SVG line chart (markup), or "" with fewer than two rounds."""
    if len(found.points) < 2:
        return ""
    from markupsafe import Markup

    from assess.charts import Series
    from assess.charts import trend as draw

    series = [Series(title.get(lang), tuple(values), "current" if key == m.OVERALL else "other")
              for key, title, values in found.series()]
    return Markup(draw([p.round.label for p in found.points], series))  # built by assess.charts from escaped text
