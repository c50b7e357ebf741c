"""Full-text search over annotations the viewer may see: comments, quotes and tags."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Annotation, User
from app.services.annotation_read import visible_to
from app.services.fulltext import fulltext, query_words
from app.services.paging import Page
from app.services.search import highlight

_CANDIDATES = 1000  # best-ranked matches considered before the visibility filter


@dataclass(frozen=True)
class AnnotationHit:
    annotation: Annotation
    snippet_html: str


def search_annotations(session: Session, viewer: User | None, query: str, *, page: int = 1,
                       per_page: int = 20) -> Page[AnnotationHit]:
    words = query_words(query)
    if not words:
        return Page([], 0, page, per_page)
    ranked = fulltext(session).annotation_matches(session, words, limit=_CANDIDATES)
    snippets = dict(ranked)
    # Visibility is decided by the one rule in annotation_read, never in this SQL. Ids first:
    # only the page's notes are loaded whole (a common word matches hundreds of notes).
    visible_ids = set(session.scalars(
        select(Annotation.id).where(Annotation.id.in_(list(snippets)), visible_to(viewer))))
    ordered = [note_id for note_id, _ in ranked if note_id in visible_ids]
    start = (page - 1) * per_page
    shown = ordered[start:start + per_page]
    loaded = {a.id: a for a in session.scalars(select(Annotation).where(Annotation.id.in_(shown)))}
    hits = [AnnotationHit(loaded[note_id], highlight(snippets[note_id])) for note_id in shown]
    return Page(hits, len(ordered), page, per_page)
