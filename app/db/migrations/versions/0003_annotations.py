"""Annotations, their tags and full-text index; withdrawn papers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("papers") as papers:
        papers.add_column(sa.Column("removed_at", sa.DateTime))
    op.create_table(
        "annotations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("creator_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("paper_id", sa.Integer, sa.ForeignKey("papers.id"), nullable=False, index=True),
        sa.Column("parent_id", sa.String(32), sa.ForeignKey("annotations.id"), index=True),
        sa.Column("motivation", sa.String(20), nullable=False),
        sa.Column("body_markdown", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text, nullable=False),
        sa.Column("visibility", sa.String(10), nullable=False, index=True),
        sa.Column("quote_exact", sa.Text),
        sa.Column("quote_prefix", sa.Text),
        sa.Column("quote_suffix", sa.Text),
        sa.Column("position_start", sa.Integer),
        sa.Column("position_end", sa.Integer),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("orphaned", sa.Boolean, nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("imported_from", sa.String(500)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("modified_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_annotations_import", "annotations", ["creator_id", "imported_from"], unique=True)
    op.create_table(
        "annotation_tags",
        sa.Column("annotation_id", sa.String(32), sa.ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_annotation_tags_tag_id", "annotation_tags", ["tag_id"])
    if op.get_bind().dialect.name == "sqlite":
        # rowid-less: the annotation id is a column; visibility is checked on the join.
        op.execute(
            "CREATE VIRTUAL TABLE annotation_search USING fts5("
            "annotation_id UNINDEXED, body, quote, tags, tokenize='porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE annotation_search")
    op.drop_table("annotation_tags")
    op.drop_index("ix_annotations_import", "annotations")
    op.drop_table("annotations")
    with op.batch_alter_table("papers") as papers:
        papers.drop_column("removed_at")
