"""Reading papers: the library listing with its filters, one paper, the tags."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.db.models import CARD_ONLY, Paper, Tag, paper_tags
from app.services.paging import Page
from app.services.search import matching_paper_ids

LIVE = Paper.removed_at.is_(None)  # withdrawn papers (file deleted) leave every listing


class PaperSort(StrEnum):
    relevance = "relevance"  # only meaningful with a query; falls back to year otherwise
    year = "year"
    title = "title"
    annotated = "annotated"  # most recently annotated first


def sorts_for(query: str) -> list[PaperSort]:
    """The orders worth offering: "best match" only when there is something to match."""
    return [sort for sort in PaperSort if query.strip() or sort is not PaperSort.relevance]


def effective_sort(sort: PaperSort | None, query: str) -> PaperSort:
    """The order asked for, or the default: best match with a query, newest first without."""
    if sort is None or sort not in sorts_for(query):
        return PaperSort.relevance if query.strip() else PaperSort.year
    return sort


@dataclass(frozen=True)
class TagCount:
    name: str
    papers: int


def list_papers(
    session: Session,
    *,
    query: str | None = None,
    tag: str | None = None,
    year: int | None = None,
    sort: PaperSort = PaperSort.year,
    page: int = 1,
    per_page: int = 12,
) -> Page[Paper]:
    statement = select(Paper).options(CARD_ONLY).where(LIVE)
    ranked_ids: list[int] = []
    if query and query.strip():
        ranked_ids = matching_paper_ids(session, query)
        statement = statement.where(Paper.id.in_(ranked_ids))
    if tag:
        statement = statement.where(Paper.tags.any(Tag.name == tag))
    if year is not None:
        statement = statement.where(Paper.year == year)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    statement = statement.order_by(*_ordering(sort, ranked_ids))
    papers = session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(papers), total, page, per_page)


def _ordering(sort: PaperSort, ranked_ids: list[int]) -> list:
    if sort is PaperSort.relevance and ranked_ids:
        rank = case({paper_id: i for i, paper_id in enumerate(ranked_ids)}, value=Paper.id)
        return [rank]
    if sort is PaperSort.title:
        return [func.lower(Paper.title)]
    if sort is PaperSort.annotated:
        return [Paper.last_annotated_at.is_(None), Paper.last_annotated_at.desc(), func.lower(Paper.title)]
    return [Paper.year.is_(None), Paper.year.desc(), func.lower(Paper.title)]


def get_paper(session: Session, slug: str) -> Paper | None:
    return session.scalar(select(Paper).where(Paper.slug == slug))


def list_tags(session: Session) -> list[TagCount]:
    rows = session.execute(
        select(Tag.name, func.count(paper_tags.c.paper_id))
        .join(paper_tags, paper_tags.c.tag_id == Tag.id)
        .join(Paper, Paper.id == paper_tags.c.paper_id)
        .where(LIVE)
        .group_by(Tag.name)
        .order_by(func.count(paper_tags.c.paper_id).desc(), Tag.name)
    )
    return [TagCount(name, count) for name, count in rows]


def list_years(session: Session) -> list[int]:
    rows = session.scalars(select(Paper.year).where(Paper.year.is_not(None), LIVE).distinct())
    return sorted(rows, reverse=True)


def count_papers(session: Session) -> int:
    return session.scalar(select(func.count(Paper.id)).where(LIVE)) or 0


def papers_by_demo(session: Session) -> dict[str, list[Paper]]:
    # Demos are a short JSON list per paper and the library holds tens of papers, so
    # grouping in Python beats a dialect-specific JSON query.
    grouped: dict[str, list[Paper]] = {}
    for paper in session.scalars(select(Paper).where(LIVE).order_by(Paper.year, Paper.title)):
        for demo in paper.demos:
            grouped.setdefault(demo, []).append(paper)
    return grouped
