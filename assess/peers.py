"""Compare a municipality with a group of peers: the group's mean per dimension, never a ranking."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from assess.errors import AssessError
from assess.model import Text
from assess.scoring import Scores

MIN_PEERS = 3  # fewer would let a reader work out a single town's result


@dataclass(frozen=True)
class PeerGroup:
    """The mean scores of comparable municipalities (the assessed one excluded)."""

    count: int
    score: float | None
    dimensions: tuple[tuple[str, float | None], ...]

    def dimension(self, dimension_id: str) -> float | None:
        """The group's mean score of a dimension (None when no peer scored it)."""
        return dict(self.dimensions).get(dimension_id)


def municipality_key(scores: Scores) -> str:
    """Who an assessment is about: the official key (AGS) where given, else the name."""
    municipality = scores.answers.municipality
    return municipality.ags or " ".join(municipality.name.casefold().split())


def peer_group(current: Scores, peers: list[Scores]) -> PeerGroup:
    """The mean per dimension over `peers`, which must answer the same questionnaire.

    Each municipality counts once, with its latest assessment; the assessed municipality itself is
    left out. Raises AssessError for fewer than MIN_PEERS other municipalities or a peer of another
    questionnaire, so that no report can reveal or mix up another town's result.
    """
    for other in peers:
        if other.questionnaire.id != current.questionnaire.id:
            raise AssessError(Text(
                f"{other.answers.path}: beantwortet {other.questionnaire.ref}, der Bericht gilt aber "
                f"{current.questionnaire.ref}; Vergleichskommunen müssen denselben Fragebogen beantworten",
                f"{other.answers.path}: answers {other.questionnaire.ref}, but the report is for "
                f"{current.questionnaire.ref}; peers must answer the same questionnaire"))
    latest: dict[str, Scores] = {}
    for other in peers:
        key = municipality_key(other)
        if key != municipality_key(current) and (key not in latest or other.answers.date > latest[key].answers.date):
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
        values = [d.score for p in peers if (d := p.dimension(result.dimension.id)) and d.score is not None]
        dims.append((result.dimension.id, mean(values) if values else None))
    overall = [p.score for p in peers if p.score is not None]
    return PeerGroup(len(peers), mean(overall) if overall else None, tuple(dims))
