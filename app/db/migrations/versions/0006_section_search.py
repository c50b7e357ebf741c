"""Search by section: one full-text row per heading of each summary, so a result can quote and
link the passage that matched.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # rows are (paper id, heading anchor, heading, section text); same stemming as paper_search
        op.execute(
            "CREATE VIRTUAL TABLE paper_section_search USING fts5("
            "paper_id UNINDEXED, anchor UNINDEXED, heading, body, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
    # An empty hash makes the next reindex render every summary again and fill the new index.
    op.execute("UPDATE papers SET content_hash = ''")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE paper_section_search")
