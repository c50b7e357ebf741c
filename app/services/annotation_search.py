"""Full-text search over annotations the viewer may see: comments, quotes and tags."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.models import Annotation, User
from app.services.annotation_read import visible_to
from app.services.paging import Page
from app.services.search import MARK_CLOSE, MARK_OPEN, build_match_query, highlight

_CANDIDATES = 1000  # best-ranked matches considered before the visibility filter


@dataclass(frozen=True)
class AnnotationHit:
    annotation: Annotation
    snippet_html: str


def search_annotations(session: Session, viewer: User | None, query: str, *, page: int = 1,
                       per_page: int = 20) -> Page[AnnotationHit]:
    match = build_match_query(query)
    if match is None or session.get_bind().dialect.name != "sqlite":
        return Page([], 0, page, per_page)
    ranked = session.execute(
        text(
            "SELECT annotation_id, snippet(annotation_search, -1, :open, :close, '…', 20) "
            "FROM annotation_search WHERE annotation_search MATCH :q ORDER BY rank LIMIT :limit"
        ),
        {"q": match, "open": MARK_OPEN, "close": MARK_CLOSE, "limit": _CANDIDATES},
    ).all()
    snippets = dict(ranked)
    # Visibility is decided by the one rule in annotation_read, never in this SQL.
    visible = {a.id: a for a in session.scalars(
        select(Annotation).where(Annotation.id.in_(list(snippets)), visible_to(viewer)))}
    hits = [AnnotationHit(visible[i], highlight(snippets[i])) for i, _ in ranked if i in visible]
    start = (page - 1) * per_page
    return Page(hits[start:start + per_page], len(hits), page, per_page)
