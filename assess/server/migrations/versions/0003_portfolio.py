"""Portfolio and progress: measures tracked per municipality, a town's consent to peer benchmarks,
and the scores of each closed round per dimension (what the trend, the overview and the peer
benchmark read, without scoring every round again).

Stored scores are written when a round is closed; rounds closed before this revision get theirs the
first time a page needs them (scoring needs the questionnaire, which a migration must not load).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite's batch mode would copy the table, and dropping the old one would
    # cascade to every round of every town.
    op.add_column("municipalities", sa.Column("peer_opt_in", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "measure_tracking",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipalities.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("measure", sa.String(100), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("municipality_id", "measure"),
    )
    op.create_index("ix_measure_tracking_due", "measure_tracking", ["status", "due_date"])
    op.create_table(
        "round_scores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipalities.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("questionnaire_version", sa.String(50), nullable=False),
        sa.Column("size_class", sa.String(20), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("peer", sa.Boolean(), nullable=False),
        sa.Column("dimension", sa.String(100), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=False),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.UniqueConstraint("round_id", "dimension"),
    )
    # The peer query's groups (size class, size class in a Land, all sizes): each index covers the
    # query and hands the scores over sorted by dimension and score.
    op.create_index("ix_round_scores_peer", "round_scores",
                    ["questionnaire_id", "peer", "size_class", "dimension", "score", "municipality_id"])
    op.create_index("ix_round_scores_state", "round_scores",
                    ["questionnaire_id", "peer", "state", "size_class", "dimension", "score", "municipality_id"])
    op.create_index("ix_round_scores_wide", "round_scores", ["questionnaire_id", "peer", "dimension", "score", "municipality_id"])


def downgrade() -> None:
    for index in ("ix_round_scores_wide", "ix_round_scores_state", "ix_round_scores_peer"):
        op.drop_index(index, "round_scores")
    op.drop_table("round_scores")
    op.drop_index("ix_measure_tracking_due", "measure_tracking")
    op.drop_table("measure_tracking")
    op.drop_column("municipalities", "peer_opt_in")  # SQLite ≥ 3.35 drops a column in place
