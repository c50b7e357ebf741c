"""Papers, tags, and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
    )
    op.create_table(
        "papers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("year", sa.Integer, index=True),
        sa.Column("venue", sa.String(200)),
        sa.Column("arxiv", sa.String(50)),
        sa.Column("url", sa.String(500)),
        sa.Column("code", sa.String(500)),
        sa.Column("demos", sa.JSON, nullable=False),
        sa.Column("gist", sa.Text, nullable=False),
        sa.Column("bibtex", sa.Text),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("toc", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source_path", sa.String(1000), nullable=False),
        sa.Column("indexed_at", sa.DateTime, nullable=False),
        sa.Column("last_annotated_at", sa.DateTime, index=True),
    )
    op.create_table(
        "paper_tags",
        sa.Column("paper_id", sa.Integer, sa.ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_paper_tags_tag_id", "paper_tags", ["tag_id"])
    if op.get_bind().dialect.name == "sqlite":
        # rowid = papers.id. Porter stemming so "normalize" finds "normalization".
        op.execute(
            "CREATE VIRTUAL TABLE paper_search USING fts5("
            "title, authors, tags, body, tokenize='porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE paper_search")
    op.drop_table("paper_tags")
    op.drop_table("papers")
    op.drop_table("tags")
