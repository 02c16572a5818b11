"""Compare a municipality with a group of peers: the group's mean per dimension, never a ranking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from assess.errors import AssessError
from assess.model import Text
from assess.scoring import Scores

MIN_PEERS = 3  # fewer would let a reader work out a single town's result
MIN_GROUP = 5  # the smallest group whose distribution (quartiles) is shown — the CLI's and the server's rule


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


@dataclass(frozen=True)
class PeerGroup:
    """The mean scores of comparable municipalities (the assessed one excluded)."""

    count: int
    score: float | None
    dimensions: tuple[tuple[str, float | None], ...]

    def dimension(self, dimension_id: str) -> float | None:
        """The group's mean score of a dimension (None when no peer scored it)."""
        return dict(self.dimensions).get(dimension_id)


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


def peer_group(current: Scores, peers: list[PeerResult | Scores]) -> PeerGroup:
    """The mean per dimension over `peers`, which must answer the same questionnaire.

    Each municipality counts once, with its latest assessment; the assessed municipality itself is
    left out. Raises AssessError for fewer than MIN_PEERS other municipalities or a peer of another
    questionnaire, so that no report can reveal or mix up another town's result.
    """
    peers = [p if isinstance(p, PeerResult) else peer_result(p) for p in peers]
    for other in peers:
        if other.questionnaire != current.questionnaire.id:
            raise AssessError(Text(
                f"{other.path}: beantwortet {other.ref}, der Bericht gilt aber "
                f"{current.questionnaire.ref}; Vergleichskommunen müssen denselben Fragebogen beantworten",
                f"{other.path}: answers {other.ref}, but the report is for "
                f"{current.questionnaire.ref}; peers must answer the same questionnaire"))
    latest: dict[str, PeerResult] = {}
    own = municipality_key(current)
    for other in peers:
        key = other.key
        if key != own and (key not in latest or other.date > latest[key].date):
            latest[key] = other
    peers = list(latest.values())
    if len(peers) < MIN_PEERS:
        raise AssessError(Text(
            f"ein Vergleich braucht mindestens {MIN_PEERS} andere Kommunen (gefunden: {len(peers)}), damit sich "
            "das Ergebnis keiner einzelnen Kommune aus dem Vergleich ablesen lässt",
            f"a peer group needs at least {MIN_PEERS} other municipalities (got {len(peers)}), "
            "so that no single town's result can be read off the comparison"))
    dims = []
    for result in current.dimensions:
        values = [v for p in peers if (v := p.dimension(result.dimension.id)) is not None]
        dims.append((result.dimension.id, mean(values) if values else None))
    overall = [p.score for p in peers if p.score is not None]
    return PeerGroup(len(peers), mean(overall) if overall else None, tuple(dims))
