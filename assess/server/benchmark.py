"""Peer benchmarks from the database: the distribution (quartiles and median) of comparable towns per
dimension, computed in SQL on the stored scores of closed rounds.

The rules (docs/portfolio.md): only towns that opted in count, each with its latest closed round of
the questionnaire, never the town itself; a group smaller than `assess.peers.MIN_GROUP` is never shown
(the next wider group is taken, with a note, else nothing); no other town's name, no ranking — only
the distribution and where the town stands in it. The numbers are those of `assess.peers.quartiles`
(linear interpolation, PostgreSQL's percentile_cont); tests compare both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select, true, union_all

from assess.peers import MIN_GROUP, Spread, position
from assess.server import models as m

FRACTIONS = (0.25, 0.5, 0.75)


def distributions(db, questionnaire_id: str, *, size_class: str | None = None, state: str | None = None,
                  exclude_town: int | None = None, towns=None, opted_in: bool = True) -> dict[str, Spread]:
    """Per dimension the distribution of the latest closed rounds of `questionnaire_id`, filtered by
    size class and Land, without `exclude_town`, limited to the ids `towns` selects (a subquery)
    and, for peer benchmarks (`opted_in`), to towns that opted in. Groups below MIN_GROUP are left out."""
    s = m.RoundScore
    where = [s.questionnaire_id == questionnaire_id, s.score.is_not(None),
             (s.peer if opted_in else s.latest) == true()]
    if size_class:
        where.append(s.size_class == size_class)
    if state:
        where.append(s.state == state)
    if exclude_town is not None:
        where.append(s.municipality_id != exclude_town)
    if towns is not None:
        where.append(s.municipality_id.in_(towns))
    counts = {d: n for d, n in db.execute(select(s.dimension, func.count()).where(*where).group_by(s.dimension))
              if n >= MIN_GROUP}
    if not counts:
        return {}
    if db.get_bind().dialect.name == "postgresql":
        query = (select(s.dimension, *(func.percentile_cont(f).within_group(s.score) for f in FRACTIONS))
                 .where(*where, s.dimension.in_(list(counts))).group_by(s.dimension))
        return {d: Spread(*(float(v) for v in values), counts[d]) for d, *values in db.execute(query)}
    return _ordered_offsets(db, where, counts)


def _ordered_offsets(db, where, counts: dict[str, int]) -> dict[str, Spread]:
    """percentile_cont where the database has none (SQLite): for each dimension and fraction the two
    scores around the fraction's position, read by ORDER BY … LIMIT 2 OFFSET k along the index (one
    statement), then interpolated linearly as `assess.peers.quartiles` does."""
    s = m.RoundScore
    parts = []
    for d, n in counts.items():
        for i, f in enumerate(FRACTIONS):
            low = int(f * (n - 1))
            parts.append(select(literal(d).label("d"), literal(i).label("f"), s.score.label("v"))
                         .where(*where, s.dimension == d).order_by(s.score).limit(2).offset(low).subquery().select())
    found: dict[tuple[str, int], list[float]] = {}
    for d, i, v in db.execute(union_all(*parts)):
        found.setdefault((d, i), []).append(v)
    result = {}
    for d, n in counts.items():
        quartile = []
        for i, f in enumerate(FRACTIONS):
            position = f * (n - 1)
            low = int(position)
            pair = sorted(found[(d, i)])  # the scores at positions low and low + 1
            high = pair[1] if len(pair) > 1 and low + 1 < n else pair[0]
            quartile.append(pair[0] + (high - pair[0]) * (position - low))
        result[d] = Spread(*quartile, n)
    return result


@dataclass(frozen=True)
class Benchmark:
    """A town's peer benchmark: the group it was compared with and the distribution per dimension."""

    scope: str  # "size_state" (size class in the Land), "size" (size class), "all" (all sizes)
    size_class: str
    state: str
    rows: dict  # dimension id -> assess.peers.Spread
    own: dict  # dimension id -> the town's own score (its latest closed round)
    wider: bool  # the asked-for group was too small: a wider one is shown

    @property
    def count(self) -> int:
        overall = self.rows.get(m.OVERALL)
        return overall.count if overall else max((d.count for d in self.rows.values()), default=0)

    def position(self, dimension: str) -> str | None:
        """assess.peers' LOWER, MIDDLE or UPPER: where the town lies in the group (None: unknown)."""
        return position(self.own.get(dimension), self.rows.get(dimension))


def benchmark(db, town: m.Municipality, questionnaire_id: str, with_state: bool = False) -> Benchmark | None:
    """The benchmark of an opted-in town (None otherwise, or when even all sizes give no group of
    MIN_GROUP): its size class (in its Land with `with_state`), else the next wider group."""
    from assess.model import size_class_for

    if not town.peer_opt_in:
        return None
    size_class = size_class_for(town.population)
    own = {row.dimension: row.score for row in db.scalars(select(m.RoundScore).where(
        m.RoundScore.municipality_id == town.id, m.RoundScore.questionnaire_id == questionnaire_id,
        m.RoundScore.latest == true()))}
    scopes = ([("size_state", size_class, town.state)] if with_state and town.state else []) + \
        [("size", size_class, None), ("all", None, None)]
    for i, (scope, sc, state) in enumerate(scopes):
        rows = distributions(db, questionnaire_id, size_class=sc, state=state, exclude_town=town.id)
        if m.OVERALL in rows:
            return Benchmark(scope, size_class, town.state, rows, own, wider=i > 0)
    return None


def group_filter(owner_id: int | None):
    """The ids of the towns a coordinator owns (None: all towns, for an admin) as a subquery."""
    query = select(m.Municipality.id)
    return query if owner_id is None else query.where(m.Municipality.owner_id == owner_id)
