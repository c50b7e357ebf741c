"""Keep the database and the search index in step with the content folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import Paper, Tag, annotation_tags
from app.markdown import render_markdown
from app.markdown.render import Section
from app.services.annotation_anchoring import reanchor_paper
from app.services.content_source import ContentError, PaperSource, iter_summary_files, load_paper
from app.services.fulltext import SectionRow, fulltext

_GIST_WORDS = 30


@dataclass
class ReindexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # path -> message
    orphaned: list[str] = field(default_factory=list)  # annotations whose passage is gone

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged, {len(self.errors)} errors"
            + (f", {len(self.orphaned)} annotations orphaned" if self.orphaned else "")
        )


def reindex(session: Session, papers_dir: Path) -> ReindexReport:
    """Render new and changed files (by content hash), drop papers whose file is gone.

    A file that fails to load keeps its last good version in the database: a typo in front
    matter must not take a published summary offline.
    """
    report = ReindexReport()
    existing = {paper.slug: paper for paper in session.scalars(select(Paper))}
    seen: set[str] = set()
    for path in iter_summary_files(papers_dir) if papers_dir.is_dir() else []:
        try:
            source = load_paper(path)
        except ContentError as exc:
            report.errors[str(path)] = str(exc)
            seen.add(path.stem)
            continue
        seen.add(source.slug)
        paper = existing.get(source.slug)
        if paper is not None and paper.content_hash == source.content_hash and paper.removed_at is None:
            report.unchanged += 1
            continue
        (report.updated if paper else report.added).append(source.slug)
        stored = _store(session, paper or Paper(), source)
        if paper is not None:
            report.orphaned += reanchor_paper(session, stored).orphaned
    for slug in sorted(set(existing) - seen):
        if existing[slug].removed_at is None:
            _withdraw(session, existing[slug])
            report.removed.append(slug)
    session.flush()
    # Tags nothing uses any more (annotation tags live in the same table).
    session.execute(delete(Tag).where(~Tag.papers.any(), ~Tag.id.in_(select(annotation_tags.c.tag_id))))
    session.commit()
    return report


def _store(session: Session, paper: Paper, source: PaperSource) -> Paper:
    rendered = render_markdown(source.body)
    meta = source.meta
    paper.slug, paper.title, paper.authors = source.slug, meta.title, meta.authors
    paper.year, paper.venue, paper.arxiv = meta.year, meta.venue, meta.arxiv
    paper.url, paper.code, paper.demos, paper.bibtex = meta.url, meta.code, meta.demos, meta.bibtex
    paper.gist = meta.gist or _first_words(rendered.text)
    paper.markdown, paper.html, paper.text = source.body, rendered.html, rendered.text
    paper.toc = [{"level": e.level, "anchor": e.anchor, "html": e.html} for e in rendered.toc]
    paper.word_count, paper.content_hash = rendered.word_count, source.content_hash
    paper.source_path, paper.indexed_at = str(source.path), utcnow()
    paper.removed_at = None
    paper.tags = [_tag(session, name) for name in meta.tags]
    session.add(paper)
    session.flush()  # assigns paper.id for the search row
    _index_for_search(session, paper, rendered.sections)
    return paper


def _withdraw(session: Session, paper: Paper) -> None:
    """The file is gone: the paper leaves the library and the search index, but its row
    stays, because annotations point at it and no one's notes may vanish with a file."""
    fulltext(session).remove_paper(session, paper.id)
    paper.removed_at = utcnow()
    paper.tags = []



def _tag(session: Session, name: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
    return tag


def _index_for_search(session: Session, paper: Paper, sections: tuple[Section, ...]) -> None:
    fulltext(session).index_paper(
        session, paper.id, title=paper.title, authors=", ".join(paper.authors), tags=" ".join(paper.tag_names),
        body=paper.text, sections=[SectionRow(s.anchor, s.heading, s.text) for s in sections],
    )


def _first_words(text_: str) -> str:
    words = text_.split()
    return " ".join(words[:_GIST_WORDS]) + ("…" if len(words) > _GIST_WORDS else "")

