"""The server's tables (SQLAlchemy 2). The schema itself is created by the Alembic migrations in
`assess/server/migrations`; these classes must match the newest revision (a test compares them).

A municipality belongs to one coordinator account and has assessment rounds over time (T0, T1, …);
a round has respondents — invited by a personal link or imported from an answer file — and each
respondent's answers are rows of their own, so concurrent respondents never write the same row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        false)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> dt.datetime:
    """The current time in UTC, without tzinfo (stored as UTC in every database)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Installation-wide values, e.g. the key that signs session cookies (shared by all workers)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    """A coordinator account (Hauptamt, CDO, consultant); an admin also manages accounts."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class LoginAttempt(Base):
    """A failed login, for rate limiting across workers (old rows are deleted as they expire)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)


class Municipality(Base):
    __tablename__ = "municipalities"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    ags: Mapped[str] = mapped_column(String(8), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    population: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    # The town agrees that its latest closed round counts in other towns' peer benchmarks (never by
    # name); only a town that gives also sees its own benchmark.
    peer_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    rounds: Mapped[list["Round"]] = relationship(back_populates="municipality", cascade="all, delete-orphan",
                                                 order_by="Round.id", passive_deletes=True)


class Round(Base):
    """One assessment of a municipality with one questionnaire version; open until closed."""

    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    due_date: Mapped[dt.date | None] = mapped_column(nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    merge_method: Mapped[str] = mapped_column(String(10), default="median")
    priorities: Mapped[dict] = mapped_column(JSON, default=dict)  # the town's own, set by the coordinator
    targets: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    municipality: Mapped[Municipality] = relationship(back_populates="rounds")
    respondents: Mapped[list["Respondent"]] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                           order_by="Respondent.id", passive_deletes=True)

    @property
    def ref(self) -> str:
        return f"{self.questionnaire_id}@{self.questionnaire_version}"


class Respondent(Base):
    """A person answering in a round: by personal link (token stored only as a hash) or imported."""

    __tablename__ = "respondents"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(300), default="link")  # "link" or "import: <file name>"
    date: Mapped[str] = mapped_column(String(10), default="")  # the answer file's date
    # An imported answer file that several people filled in together names them all: [{name, role}, …]
    team: Mapped[list | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    round: Mapped[Round] = relationship(back_populates="respondents")
    answers: Mapped[list["AnswerRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                      order_by="AnswerRow.id")
    levels: Mapped[list["LevelRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                    order_by="LevelRow.id")


class AnswerRow(Base):
    """One respondent's answer to one question: written in one transaction as it is given."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("respondent_id", "question"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(100))
    value: Mapped[object] = mapped_column(JSON)  # as in an answer file: option id, list, bool, number, text
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    # planned / in progress / outdated, as an answer file writes it ({"progress", "toward", "until"} or
    # {"outdated"}); None for a plain answer
    state: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class LevelRow(Base):
    """A respondent's priority (1–5) or own target level for one dimension."""

    __tablename__ = "levels"
    __table_args__ = (UniqueConstraint("respondent_id", "kind", "dimension"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # priority | target
    dimension: Mapped[str] = mapped_column(String(100))
    value: Mapped[int] = mapped_column(Integer)


TRACKING_STATUSES = ("offen", "in_arbeit", "erledigt", "verworfen")


class MeasureTracking(Base):
    """What a town decided about a recommended measure: accepted, who, until when, how far. One row
    per town and measure, so the status carries from one round into the next."""

    __tablename__ = "measure_tracking"
    __table_args__ = (UniqueConstraint("municipality_id", "measure"),
                      Index("ix_measure_tracking_due", "status", "due_date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(100))
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(200), default="")  # a role or a name
    due_date: Mapped[dt.date | None] = mapped_column(nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="offen")  # TRACKING_STATUSES
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was dropped (verworfen)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


OVERALL = "*"  # the dimension value of a round's overall score in round_scores


class RoundScore(Base):
    """The score of one dimension (or OVERALL) of a closed round, stored when it was closed, with what
    the peer benchmark groups by: questionnaire, size class and Land at that time, and whether it is
    the town's latest closed round of that questionnaire."""

    __tablename__ = "round_scores"
    __table_args__ = (UniqueConstraint("round_id", "dimension"),
                      # The peer query's groups: size class, size class in a Land, all sizes. Each index
                      # covers the query and hands the scores over sorted by dimension and score.
                      Index("ix_round_scores_peer", "questionnaire_id", "peer", "size_class", "dimension", "score",
                            "municipality_id"),
                      Index("ix_round_scores_state", "questionnaire_id", "peer", "state", "size_class", "dimension",
                            "score", "municipality_id"),
                      Index("ix_round_scores_wide", "questionnaire_id", "peer", "dimension", "score", "municipality_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    size_class: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(2))
    latest: Mapped[bool] = mapped_column(Boolean, default=False)
    # Counts in peer benchmarks: the town's latest closed round, and the town opted in (kept in step
    # by assess.server.progress, so the peer query reads one index and nothing else).
    peer: Mapped[bool] = mapped_column(Boolean, default=False)
    dimension: Mapped[str] = mapped_column(String(100))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    coverage: Mapped[float] = mapped_column(Float, default=0.0)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)  # levels below the target (advice)
    measures: Mapped[list] = mapped_column(JSON, default=list)  # ids of the measures recommended in it
