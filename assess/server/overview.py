"""The portfolio overview of many towns and the aggregate programme report, read from the stored
scores of closed rounds with a fixed number of queries per page (no scoring of rounds here).

`owner_id` None means every town of the installation (an admin, e.g. a Land programme); otherwise
the towns a coordinator owns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select, true

from assess.errors import AssessError
from assess.model import SIZE_CLASS_MIN_POPULATION, SIZE_CLASSES, size_class_for
from assess.server import benchmark as bench
from assess.server import models as m
from assess.server import progress, service
from assess.server.strings import t

PAGE = 25  # towns per page: a page costs the same for 30 towns as for 3,000
STATUSES = ("open", "closed", "none")  # a round is open / the latest round is closed / no round yet
OPEN_TRACKING = ("offen", "in_arbeit")


@dataclass(frozen=True)
class Row:
    town: m.Municipality
    size_class: str
    score: float | None  # the index of the latest closed round
    coverage: float | None
    arrow: str  # ↑ ↓ → or "" (fewer than two closed rounds of the same questionnaire version)
    open_rounds: int
    overdue: int


@dataclass(frozen=True)
class Overview:
    rows: list[Row]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE))


def _towns(owner_id: int | None, state: str = "", size_class: str = "", status: str = ""):
    query = select(m.Municipality)
    if owner_id is not None:
        query = query.where(m.Municipality.owner_id == owner_id)
    if state:
        query = query.where(m.Municipality.state == state)
    if size_class:
        low = SIZE_CLASS_MIN_POPULATION[size_class]
        higher = [SIZE_CLASS_MIN_POPULATION[c] for c in SIZE_CLASSES if SIZE_CLASS_MIN_POPULATION[c] > low]
        query = query.where(m.Municipality.population >= low)
        if higher:
            query = query.where(m.Municipality.population < min(higher))
    any_round = exists().where(m.Round.municipality_id == m.Municipality.id)
    open_round = exists().where(m.Round.municipality_id == m.Municipality.id, m.Round.status == "open")
    if status == "open":
        query = query.where(open_round)
    elif status == "closed":
        query = query.where(any_round, ~open_round)
    elif status == "none":
        query = query.where(~any_round)
    return query


def overview(db, owner_id: int | None, *, page: int = 1, state: str = "", size_class: str = "",
             status: str = "") -> Overview:
    """One page of towns (by name) with their latest score, trend, coverage, open rounds and overdue measures."""
    query = _towns(owner_id, state, size_class, status)
    total = db.scalar(select(func.count()).select_from(query.subquery()))
    towns = db.scalars(query.order_by(m.Municipality.name, m.Municipality.id).limit(PAGE).offset((page - 1) * PAGE)).all()
    ids = [town.id for town in towns]
    progress.ensure_scores(db, ids)
    overall: dict[int, list] = {}
    for row in db.execute(select(m.RoundScore.municipality_id, m.RoundScore.round_id, m.RoundScore.questionnaire_id,
                                 m.RoundScore.questionnaire_version, m.RoundScore.score, m.RoundScore.coverage)
                          .where(m.RoundScore.municipality_id.in_(ids), m.RoundScore.dimension == m.OVERALL)
                          .order_by(m.RoundScore.round_id)):
        overall.setdefault(row.municipality_id, []).append(row)
    open_rounds = dict(db.execute(select(m.Round.municipality_id, func.count()).where(
        m.Round.municipality_id.in_(ids), m.Round.status == "open").group_by(m.Round.municipality_id)).all())
    overdue = dict(db.execute(select(m.MeasureTracking.municipality_id, func.count()).where(
        m.MeasureTracking.municipality_id.in_(ids), m.MeasureTracking.status.in_(OPEN_TRACKING),
        m.MeasureTracking.due_date < dt.date.today()).group_by(m.MeasureTracking.municipality_id)).all())
    rows = []
    for town in towns:
        closed = [r for r in overall.get(town.id, []) if r.score is not None]
        latest = closed[-1] if closed else None
        arrow = ""
        if latest is not None:
            earlier = [r for r in closed[:-1] if r.questionnaire_id == latest.questionnaire_id]
            # Indices of different questionnaire versions rest on different questions: no arrow (the
            # town's page compares them on what they share).
            if earlier and earlier[-1].questionnaire_version == latest.questionnaire_version:
                delta = latest.score - earlier[-1].score
                arrow = "↑" if delta >= progress.CHANGE else "↓" if delta <= -progress.CHANGE else "→"
        rows.append(Row(town, size_class_for(town.population), latest.score if latest else None,
                        latest.coverage if latest else None, arrow, open_rounds.get(town.id, 0), overdue.get(town.id, 0)))
    return Overview(rows, total, page)


# --- the programme report ----------------------------------------------------------------------

@dataclass
class Programme:
    questionnaire_id: str | None
    questionnaire_ids: list[str]
    towns: int  # towns with a closed round of the questionnaire
    distributions: dict = field(default_factory=dict)  # dimension -> assess.peers.Spread
    titles: dict = field(default_factory=dict)  # dimension -> Text
    needs: list = field(default_factory=list)  # (dimension, towns below their target)
    recommended: list = field(default_factory=list)  # (measure, towns it is recommended to)
    completed: list = field(default_factory=list)  # (measure, towns that marked it erledigt)


def programme(db, owner_id: int | None, questionnaire_id: str | None = None) -> Programme:
    """Distribution per dimension, the most common needs, the most recommended and the most often
    completed measures, over the latest closed round of each town (the coordinator's own towns — no
    opt-in needed for one's own; groups below MIN_GROUP show no quartiles)."""
    progress.ensure_scores(db)
    towns = bench.group_filter(owner_id)
    s = m.RoundScore
    counts = db.execute(select(s.questionnaire_id, func.count()).where(
        s.latest == true(), s.dimension == m.OVERALL, s.municipality_id.in_(towns))
        .group_by(s.questionnaire_id).order_by(func.count().desc(), s.questionnaire_id)).all()
    ids = [qid for qid, _ in counts]
    qid = questionnaire_id if questionnaire_id in ids else (ids[0] if ids else None)
    result = Programme(qid, ids, dict(counts).get(qid, 0))
    if qid is None:
        return result
    try:
        q = service.LIBRARY.resolve(qid, None)
        result.titles = {m.OVERALL: progress.index_title(), **{d.id: d.title for d in q.dimensions}}
        catalogue = service.LIBRARY.catalogue(q)
    except AssessError:
        catalogue = None
    result.distributions = bench.distributions(db, qid, towns=towns, opted_in=False)
    latest = (s.questionnaire_id == qid, s.latest == true(), s.municipality_id.in_(towns))
    result.needs = db.execute(select(s.dimension, func.count()).where(*latest, s.dimension != m.OVERALL, s.gap > 0)
                              .group_by(s.dimension).order_by(func.count().desc(), s.dimension)).all()
    recommended = Counter()
    for measures in db.scalars(select(s.measures).where(*latest, s.dimension == m.OVERALL)):
        recommended.update(measures or [])
    done = db.execute(select(m.MeasureTracking.measure, func.count()).where(
        m.MeasureTracking.status == "erledigt", m.MeasureTracking.municipality_id.in_(towns))
        .group_by(m.MeasureTracking.measure).order_by(func.count().desc(), m.MeasureTracking.measure).limit(10)).all()

    def named(pairs):
        found = [(catalogue.measure(mid) if catalogue else None, n) for mid, n in pairs]
        return [(measure, n) for measure, n in found if measure is not None]

    result.recommended = named(sorted(recommended.items(), key=lambda x: (-x[1], x[0]))[:10])
    result.completed = named(done)
    return result


def programme_sheets(db, found: Programme, owner_id: int | None, lang: str) -> list:
    """The programme report as workbook sheets: distribution, needs, measures and the list of towns."""
    def title(key):
        text = found.titles.get(key)
        return text.get(lang) if text else key

    order = list(found.titles) or sorted(found.distributions)
    sheets = [(t("prog_distribution", lang), [t("col_dimension", lang), t("col_towns", lang), "Q1", t("p_median", lang), "Q3"],
               [[title(d), found.distributions[d].count, round(found.distributions[d].low, 1),
                 round(found.distributions[d].median, 1), round(found.distributions[d].high, 1)]
                for d in order if d in found.distributions]),
              (t("prog_needs", lang), [t("col_dimension", lang), t("col_towns", lang)],
               [[title(d), n] for d, n in found.needs]),
              (t("prog_recommended", lang), [t("col_measure_id", lang), t("col_measure", lang), t("col_towns", lang)],
               [[measure.id, measure.title.get(lang), n] for measure, n in found.recommended]),
              (t("prog_completed", lang), [t("col_measure_id", lang), t("col_measure", lang), t("col_towns", lang)],
               [[measure.id, measure.title.get(lang), n] for measure, n in found.completed])]
    rows = []
    page = 1
    while True:
        view = overview(db, owner_id, page=page)
        rows += [[r.town.name, r.town.ags, r.town.state, i18n_label(r.size_class, lang),
                  None if r.score is None else round(r.score, 1), None if r.coverage is None else round(r.coverage * 100),
                  r.arrow, r.open_rounds, r.overdue] for r in view.rows]
        if page >= view.pages:
            break
        page += 1
    sheets.append((t("prog_towns", lang), [t("name", lang), "AGS", t("state", lang), t("size_class", lang),
                                          t("index", lang), t("coverage_pct", lang), t("trend_col", lang),
                                          t("open_rounds", lang), t("overdue_measures", lang)], rows))
    return sheets


def i18n_label(key: str, lang: str) -> str:
    from assess import i18n

    return i18n.label(key, lang)

