"""Full-text search over papers: SQLite FTS5 ranked by bm25, with highlighted snippets.

Papers are ranked on one row each (title, authors, tags, body); the snippet then comes from the
paper's best-matching section (one row per heading, math as its plain reading), so a result
quotes one passage without running a heading into it and links straight to that section.
The same service backs the /search page, the library's search box and /api/v1/search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from app.db.models import Paper
from app.services.paging import Page

# Column weights for bm25: a hit in the title counts most, then authors and tags.
_WEIGHTS = "10.0, 5.0, 5.0, 1.0"
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet markers no summary contains; become <mark> after escaping
_WORD = re.compile(r"\w+", re.UNICODE)
_SNIPPET_TOKENS = 24


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    snippet_html: str
    score: float
    anchor: str = ""  # the matching section's heading id ("" for the opening or no section)
    heading: str = ""


def build_match_query(query: str) -> str | None:
    """User text to an FTS5 query: every word must occur, the last may be a prefix.

    Words are quoted, so FTS5 operators and punctuation in the text cannot cause a syntax
    error; a query with no word characters matches nothing.
    """
    words = _WORD.findall(query)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_papers(session: Session, query: str, *, page: int = 1, per_page: int = 20) -> Page[SearchHit]:
    match = build_match_query(query)
    if match is None:
        return Page([], 0, page, per_page)
    if session.get_bind().dialect.name != "sqlite":
        return _search_without_fts(session, query, page=page, per_page=per_page)
    total = session.scalar(
        text("SELECT count(*) FROM paper_search WHERE paper_search MATCH :q"), {"q": match}
    )
    rows = session.execute(
        text(
            f"SELECT rowid, bm25(paper_search, {_WEIGHTS}) AS rank, "
            f"snippet(paper_search, -1, :open, :close, '…', {_SNIPPET_TOKENS}) "
            "FROM paper_search WHERE paper_search MATCH :q "
            "ORDER BY rank LIMIT :limit OFFSET :offset"
        ),
        {"q": match, "open": MARK_OPEN, "close": MARK_CLOSE, "limit": per_page,
         "offset": (page - 1) * per_page},
    ).all()
    papers = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_([r[0] for r in rows])))}
    hits = [_in_best_section(session, match, SearchHit(papers[r[0]], highlight(r[2]), -r[1]))
            for r in rows if r[0] in papers]
    return Page(hits, total or 0, page, per_page)


def _in_best_section(session: Session, match: str, hit: SearchHit) -> SearchHit:
    """The hit with the snippet, anchor and heading of its best-matching section, if any section
    matches (a match on the title or tags alone keeps the paper-level snippet)."""
    row = session.execute(
        text(
            "SELECT anchor, heading, "
            f"snippet(paper_section_search, 3, :open, :close, '…', {_SNIPPET_TOKENS}) "
            "FROM paper_section_search WHERE paper_section_search MATCH :q AND paper_id = :id "
            "ORDER BY bm25(paper_section_search, 0.0, 0.0, 1.0, 2.0) LIMIT 1"
        ),
        {"q": match, "id": hit.paper.id, "open": MARK_OPEN, "close": MARK_CLOSE},
    ).first()
    if row is None:
        return hit
    anchor, heading, snippet = row
    # a match in the heading alone: the heading names the section, the paper's snippet quotes it
    quoted = highlight(snippet) if MARK_OPEN in snippet else hit.snippet_html
    return SearchHit(hit.paper, quoted, hit.score, anchor or "", heading or "")


def matching_paper_ids(session: Session, query: str) -> list[int]:
    """Ids of every paper matching `query`, best first (for filtering the library)."""
    match = build_match_query(query)
    if match is None:
        return []
    if session.get_bind().dialect.name != "sqlite":
        return [hit.paper.id for hit in _search_without_fts(session, query, page=1, per_page=10_000).items]
    rows = session.execute(
        text(
            f"SELECT rowid FROM paper_search WHERE paper_search MATCH :q "
            f"ORDER BY bm25(paper_search, {_WEIGHTS})"
        ),
        {"q": match},
    )
    return [row[0] for row in rows]


def highlight(snippet: str) -> str:
    return escape(snippet).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def _search_without_fts(session: Session, query: str, *, page: int, per_page: int) -> Page[SearchHit]:
    # Databases other than SQLite (PostgreSQL via DATABASE_URL) get plain substring
    # matching until they get a native index; ranking is by title match, then title.
    words = _WORD.findall(query)
    conditions = [
        or_(Paper.title.ilike(f"%{w}%"), Paper.text.ilike(f"%{w}%")) for w in words
    ]
    base = select(Paper).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    papers = session.scalars(
        base.order_by(Paper.title.ilike(f"%{words[0]}%").desc(), Paper.title)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    hits = [SearchHit(p, _plain_snippet(p.text, words[0]), 0.0) for p in papers]
    return Page(hits, total or 0, page, per_page)


def _plain_snippet(body: str, word: str) -> str:
    at = max(0, body.lower().find(word.lower()))
    window = body[max(0, at - 80) : at + 120]
    return escape(window).replace(
        escape(body[at : at + len(word)]), f"<mark>{escape(body[at : at + len(word)])}</mark>", 1
    )
