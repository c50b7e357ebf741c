"""An in-memory, read-only copy of every paper, for the pages read most (a paper page).

A paper page is read thousands of times for each time its file changes, so it is served
from immutable snapshots instead of an ORM query per request. The snapshot is rebuilt when
this process reindexes, and at most once a second it asks the database whether another
process (`marginalia reindex`, a second web worker) changed the library.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Paper
from app.services.related_papers import Related, related_papers


@dataclass(frozen=True)
class PaperView:
    slug: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str | None
    arxiv: str | None
    url: str | None
    code: str | None
    demos: tuple[str, ...]
    gist: str
    bibtex: str | None
    markdown: str
    html: str
    toc: tuple[dict, ...]
    word_count: int
    content_hash: str
    tag_names: tuple[str, ...]

    @classmethod
    def of(cls, paper: Paper) -> PaperView:
        return cls(
            slug=paper.slug, title=paper.title, authors=tuple(paper.authors), year=paper.year,
            venue=paper.venue, arxiv=paper.arxiv, url=paper.url, code=paper.code,
            demos=tuple(paper.demos), gist=paper.gist, bibtex=paper.bibtex,
            markdown=paper.markdown, html=paper.html, toc=tuple(paper.toc),
            word_count=paper.word_count, content_hash=paper.content_hash,
            tag_names=tuple(paper.tag_names),
        )


def library_version(session: Session) -> tuple:
    # A reindex that adds or edits a paper moves max(indexed_at); one that withdraws a
    # paper moves max(removed_at). Either way the version differs.
    return tuple(session.execute(
        select(func.count(Paper.id), func.max(Paper.indexed_at), func.max(Paper.removed_at))
    ).one())


class PaperCatalog:
    def __init__(self, sessions: sessionmaker[Session], *, recheck_seconds: float = 1.0) -> None:
        self._sessions = sessions
        self._recheck_seconds = recheck_seconds
        self._papers: MappingProxyType[str, PaperView] = MappingProxyType({})
        self._related: MappingProxyType[str, tuple[Related, ...]] = MappingProxyType({})
        self._version: tuple | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, slug: str) -> PaperView | None:
        self._refresh_if_stale()
        return self._papers.get(slug)

    def related(self, slug: str) -> tuple[Related, ...]:
        """The closest other summaries (recomputed with the snapshot, after every reindex)."""
        self._refresh_if_stale()
        return self._related.get(slug, ())

    def reload(self) -> None:
        with self._sessions() as session:
            version = library_version(session)
            live = select(Paper).where(Paper.removed_at.is_(None))
            papers = {paper.slug: PaperView.of(paper) for paper in session.scalars(live)}
        related = related_papers({slug: (view.markdown, view.tag_names) for slug, view in papers.items()})
        with self._lock:
            self._papers, self._version = MappingProxyType(papers), version
            self._related = MappingProxyType(related)
            self._checked_at = time.monotonic()

    def _refresh_if_stale(self) -> None:
        if time.monotonic() - self._checked_at < self._recheck_seconds:
            return
        with self._lock:
            if time.monotonic() - self._checked_at < self._recheck_seconds:
                return  # another thread checked while this one waited
            self._checked_at = time.monotonic()
        with self._sessions() as session:
            changed = library_version(session) != self._version
        if changed:
            self.reload()
