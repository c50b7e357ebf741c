"""PostgreSQL's full-text indexes: the three tables SQLite keeps in FTS5 (0001, 0003, 0006), as
plain tables with a generated tsvector column and a GIN index each. Nothing changes on SQLite.

Weights follow the FTS5 ranking: a hit in a paper's title (A) counts most, then its authors and
tags (B), then its text (D); a section's heading (B) above its text (D); a note's comment and
tags (A) above the passage it quotes (B).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _vector(*columns: tuple[str, str]) -> str:
    return " || ".join(f"setweight(to_tsvector('english', coalesce({name}, '')), '{weight}')"
                       for name, weight in columns)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE paper_search ("
        "paper_id integer PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE, "
        "title text NOT NULL, authors text NOT NULL, tags text NOT NULL, body text NOT NULL, "
        f"document tsvector GENERATED ALWAYS AS ({_vector(('title', 'A'), ('authors', 'B'), ('tags', 'B'), ('body', 'D'))}) STORED)"
    )
    op.execute(
        "CREATE TABLE paper_section_search ("
        "id serial PRIMARY KEY, paper_id integer NOT NULL REFERENCES papers (id) ON DELETE CASCADE, "
        "anchor text NOT NULL, heading text NOT NULL, body text NOT NULL, "
        f"document tsvector GENERATED ALWAYS AS ({_vector(('heading', 'B'), ('body', 'D'))}) STORED)"
    )
    op.execute(
        "CREATE TABLE annotation_search ("
        "annotation_id varchar(32) PRIMARY KEY REFERENCES annotations (id) ON DELETE CASCADE, "
        "body text NOT NULL, quote text NOT NULL, tags text NOT NULL, "
        f"document tsvector GENERATED ALWAYS AS ({_vector(('body', 'A'), ('tags', 'A'), ('quote', 'B'))}) STORED)"
    )
    op.execute("CREATE INDEX ix_paper_search_document ON paper_search USING gin (document)")
    op.execute("CREATE INDEX ix_paper_section_search_document ON paper_section_search USING gin (document)")
    op.execute("CREATE INDEX ix_paper_section_search_paper ON paper_section_search (paper_id)")
    op.execute("CREATE INDEX ix_annotation_search_document ON annotation_search USING gin (document)")
    # A database that ran earlier revisions without these indexes: the next reindex fills the
    # papers' rows; the notes' rows are filled here (deleted notes stay out, as on SQLite).
    op.execute("UPDATE papers SET content_hash = ''")
    op.execute(
        "INSERT INTO annotation_search (annotation_id, body, quote, tags) "
        "SELECT a.id, a.body_markdown, coalesce(a.quote_exact, ''), coalesce(string_agg(t.name, ' '), '') "
        "FROM annotations a LEFT JOIN annotation_tags j ON j.annotation_id = a.id "
        "LEFT JOIN tags t ON t.id = j.tag_id WHERE NOT a.deleted GROUP BY a.id"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("annotation_search", "paper_section_search", "paper_search"):
        op.execute(f"DROP TABLE {table}")
