"""Compare a municipality with a group of peers: the group's distribution per dimension (lower quartile,
median, upper quartile) and where the municipality stands in it — never a ranking, never a name.

The rules hold for every way a group is formed (peer files on the command line, the server's database):
each municipality counts once, with its latest assessment; the assessed municipality is never its own
peer; a group smaller than MIN_GROUP is not shown at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assess.errors import AssessError
from assess.scoring import Scores
from assess.texts import both

MIN_GROUP = 5  # the smallest group whose distribution (quartiles) is shown — the CLI's and the server's rule

# Where a value lies in a group's distribution: below the lower quartile, between the quartiles, above
# the upper quartile. Report texts: strings.yaml `peer_position_<key>`.
BELOW, MIDDLE, ABOVE = "below", "middle", "above"


def quartiles(values: Iterable[float]) -> tuple[float, float, float] | None:
    """The lower quartile, median and upper quartile of `values` by linear interpolation between the
    sorted values (as PostgreSQL's `percentile_cont`); None for fewer than MIN_GROUP values.

    This is the reference definition: a computation in SQL must give the same numbers.
    """
    ordered = sorted(values)
    if len(ordered) < MIN_GROUP:
        return None

    def at(fraction: float) -> float:
        position = fraction * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return at(0.25), at(0.5), at(0.75)


def position(value: float | None, spread: Spread | None) -> str | None:
    """BELOW, MIDDLE or ABOVE: where `value` lies in `spread`; None when either is missing.

    A value on a quartile counts to the middle half: "im oberen Viertel" means above the upper quartile."""
    if value is None or spread is None:
        return None
    if value < spread.low:
        return BELOW
    if value > spread.high:
        return ABOVE
    return MIDDLE


@dataclass(frozen=True)
class Spread:
    """A group's distribution of one score: lower quartile, median, upper quartile, and how many
    municipalities it is drawn from."""

    low: float
    median: float
    high: float
    count: int


def spread(values: Iterable[float]) -> Spread | None:
    """The Spread of `values` (None below MIN_GROUP values: a small group is never shown)."""
    values = list(values)
    found = quartiles(values)
    return Spread(*found, len(values)) if found else None


@dataclass(frozen=True)
class PeerGroup:
    """The distribution of comparable municipalities' scores (the assessed one excluded), per dimension
    and for the index, with the assessed municipality's position in each."""

    count: int  # municipalities in the group
    score: Spread | None
    score_position: str | None
    dimensions: tuple[tuple[str, Spread | None, str | None], ...]  # (dimension id, spread, position)

    def dimension(self, dimension_id: str) -> Spread | None:
        """The group's distribution of a dimension's score (None when fewer than MIN_GROUP scored it)."""
        return next((s for d, s, _ in self.dimensions if d == dimension_id), None)

    def position(self, dimension_id: str) -> str | None:
        """Where the assessed municipality lies in that distribution (BELOW, MIDDLE, ABOVE or None)."""
        return next((p for d, _, p in self.dimensions if d == dimension_id), None)


@dataclass(frozen=True)
class PeerResult:
    """What a peer group needs of one assessment: who, when, and the scores — nothing else is kept,
    so a group of a thousand assessments stays small."""

    key: str  # the municipality: its AGS where given, else its name
    date: str
    questionnaire: str  # id
    ref: str  # id@version
    path: str
    score: float | None
    dimensions: tuple[tuple[str, float | None], ...]

    def dimension(self, dimension_id: str) -> float | None:
        return dict(self.dimensions).get(dimension_id)


def municipality_key(scores: Scores) -> str:
    """Who an assessment is about: the official key (AGS) where given, else the name."""
    municipality = scores.answers.municipality
    return municipality.ags or " ".join(municipality.name.casefold().split())


def peer_result(scores: Scores) -> PeerResult:
    """The part of an assessment a peer group uses."""
    return PeerResult(municipality_key(scores), scores.answers.date, scores.questionnaire.id, scores.questionnaire.ref,
                      scores.answers.path, scores.score,
                      tuple((d.dimension.id, d.score) for d in scores.dimensions))


def latest_per_municipality(peers: Iterable[PeerResult], own: str) -> list[PeerResult]:
    """Each municipality once, with its latest assessment; the municipality `own` left out."""
    latest: dict[str, PeerResult] = {}
    for other in peers:
        key = other.key
        if key != own and (key not in latest or other.date > latest[key].date):
            latest[key] = other
    return list(latest.values())


def peer_group(current: Scores, peers: list[PeerResult | Scores]) -> PeerGroup:
    """The distribution per dimension over `peers`, which must answer the same questionnaire.

    Each municipality counts once, with its latest assessment; the assessed municipality itself is
    left out. Raises AssessError for fewer than MIN_GROUP other municipalities or a peer of another
    questionnaire, so that no report can reveal or mix up another town's result.
    """
    peers = [p if isinstance(p, PeerResult) else peer_result(p) for p in peers]
    for other in peers:
        if other.ref != current.questionnaire.ref:  # the same version: scores of another are not comparable
            raise AssessError(both("peers.other_questionnaire", path=other.path, ref=other.ref,
                                   report_ref=current.questionnaire.ref))
    peers = latest_per_municipality(peers, municipality_key(current))
    if len(peers) < MIN_GROUP:
        raise AssessError(both("peers.too_few", minimum=MIN_GROUP, count=len(peers)))
    dims = []
    for result in current.dimensions:
        found = spread(v for p in peers if (v := p.dimension(result.dimension.id)) is not None)
        dims.append((result.dimension.id, found, position(result.score, found)))
    overall = spread(p.score for p in peers if p.score is not None)
    return PeerGroup(len(peers), overall, position(current.score, overall), tuple(dims))

