"""Turing-test votes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turing_votes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("demo", sa.String(50), nullable=False),
        sa.Column("model", sa.String(16), nullable=False, index=True),
        sa.Column("photo", sa.String(40), nullable=False),
        sa.Column("reader", sa.String(80), nullable=False, index=True),
        sa.Column("client", sa.String(80), nullable=False, index=True),
        sa.Column("real_side", sa.String(5), nullable=False),
        sa.Column("chose_real", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.UniqueConstraint("demo", "model", "photo", "reader"),
    )


def downgrade() -> None:
    op.drop_table("turing_votes")
