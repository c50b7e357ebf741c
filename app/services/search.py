"""Full-text search over papers, ranked, with highlighted snippets (FTS5 on SQLite, tsvector on
PostgreSQL: `app.services.fulltext`).

Papers are ranked on one row each (title, authors, tags, body); the snippet then comes from the
paper's best-matching section (one row per heading, math as its plain reading), so a result
quotes one passage without running a heading into it and links straight to that section.
The same service backs the /search page, the library's search box and /api/v1/search.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import CARD_ONLY, Paper
from app.services.fulltext import MARK_CLOSE, MARK_OPEN, fulltext, query_words
from app.services.paging import Page


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    snippet_html: str
    score: float
    anchor: str = ""  # the matching section's heading id ("" for the opening or no section)
    heading: str = ""


def search_papers(session: Session, query: str, *, page: int = 1, per_page: int = 20) -> Page[SearchHit]:
    words = query_words(query)
    if not words:  # a query with no word characters matches nothing
        return Page([], 0, page, per_page)
    index = fulltext(session)
    total = index.count_papers(session, words)
    ranked = index.rank_papers(session, words, limit=per_page, offset=(page - 1) * per_page)
    hit_ids = [r.paper_id for r in ranked]
    papers = {p.id: p for p in session.scalars(select(Paper).options(CARD_ONLY).where(Paper.id.in_(hit_ids)))}
    hits = [_in_best_section(session, words, SearchHit(papers[r.paper_id], highlight(r.snippet), r.score))
            for r in ranked if r.paper_id in papers]
    return Page(hits, total, page, per_page)


def _in_best_section(session: Session, words: list[str], hit: SearchHit) -> SearchHit:
    """The hit with the snippet, anchor and heading of its best-matching section, if any section
    matches (a match on the title or tags alone keeps the paper-level snippet)."""
    section = fulltext(session).best_section(session, words, hit.paper.id)
    if section is None:
        return hit
    # a match in the heading alone: the heading names the section, the paper's snippet quotes it
    quoted = highlight(section.snippet) if MARK_OPEN in section.snippet else hit.snippet_html
    return SearchHit(hit.paper, quoted, hit.score, section.anchor, section.heading)


def matching_paper_ids(session: Session, query: str) -> list[int]:
    """Ids of every paper matching `query`, best first (for filtering the library)."""
    words = query_words(query)
    if not words:
        return []
    return fulltext(session).ranked_paper_ids(session, words)


def highlight(snippet: str) -> str:
    return escape(snippet).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
