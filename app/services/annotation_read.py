"""Reading annotations: who may see what, and filtered, paged listings.

Every read path goes through `visible_to`, so a private annotation cannot leak through a
listing, a count, a search, an export or a 403-versus-404 difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import Annotation, Paper, Tag, User, annotation_tags
from app.db.values import Visibility
from app.services.fulltext import fulltext, query_words
from app.services.paging import Page


def visible_to(viewer: User | None) -> ColumnElement[bool]:
    """Public and not hidden: everyone. Own annotations (hidden ones too): their author.
    Hidden public ones: admins as well."""
    shown_publicly = and_(Annotation.visibility == Visibility.PUBLIC, Annotation.hidden.is_(False))
    if viewer is None:
        return shown_publicly
    own = Annotation.creator_id == viewer.id
    if viewer.is_admin:
        return or_(own, Annotation.visibility == Visibility.PUBLIC)
    return or_(own, shown_publicly)


@dataclass(frozen=True)
class AnnotationFilters:
    paper: str | None = None  # slug
    tag: str | None = None
    user: str | None = None
    q: str | None = None
    visibility: str | None = None  # "private" means the viewer's own private notes
    include_replies: bool = True


def get_visible(session: Session, annotation_id: str, viewer: User | None) -> Annotation | None:
    return session.scalar(
        select(Annotation).where(Annotation.id == annotation_id, visible_to(viewer))
    )


def list_visible(
    session: Session, viewer: User | None, filters: AnnotationFilters = AnnotationFilters(),
    *, page: int = 1, per_page: int = 50, oldest_first: bool = False,
) -> Page[Annotation]:
    statement = select(Annotation).where(visible_to(viewer), *_conditions(session, viewer, filters))
    order = Annotation.created_at.asc() if oldest_first else Annotation.created_at.desc()
    rows = list(session.scalars(
        statement.order_by(order, Annotation.id).limit(per_page).offset((page - 1) * per_page)
    ))
    if page == 1 and len(rows) < per_page:
        total = len(rows)  # the whole list fits on this page: no need to count it again
    else:
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    return Page(rows, total, page, per_page)


@dataclass(frozen=True, slots=True)
class AnnotationRow:
    """One annotation of a listing, read as a plain row: an API page of 1,000 notes builds
    in a fraction of the time 1,000 ORM objects (and their relationship loads) take."""

    id: str
    motivation: str
    created_at: datetime
    modified_at: datetime
    creator_name: str
    paper_slug: str
    parent_id: str | None
    body_markdown: str
    body_html: str
    visibility: str
    quote_exact: str | None
    quote_prefix: str | None
    quote_suffix: str | None
    position_start: int | None
    position_end: int | None
    content_hash: str | None
    orphaned: bool
    hidden: bool
    deleted: bool
    tag_names: tuple[str, ...] = ()

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


_ROW_COLUMNS = (
    Annotation.id, Annotation.motivation, Annotation.created_at, Annotation.modified_at,
    User.name.label("creator_name"), Paper.slug.label("paper_slug"), Annotation.parent_id,
    Annotation.body_markdown, Annotation.body_html, Annotation.visibility, Annotation.quote_exact,
    Annotation.quote_prefix, Annotation.quote_suffix, Annotation.position_start,
    Annotation.position_end, Annotation.content_hash, Annotation.orphaned, Annotation.hidden,
    Annotation.deleted,
)


def list_visible_rows(
    session: Session, viewer: User | None, filters: AnnotationFilters = AnnotationFilters(),
    *, page: int = 1, per_page: int = 50, oldest_first: bool = False,
) -> Page[AnnotationRow]:
    """The same listing as `list_visible`, as AnnotationRows (for the JSON API)."""
    conditions = [visible_to(viewer), *_conditions(session, viewer, filters)]
    order = Annotation.created_at.asc() if oldest_first else Annotation.created_at.desc()
    rows = session.execute(
        select(*_ROW_COLUMNS).join(User, User.id == Annotation.creator_id)
        .join(Paper, Paper.id == Annotation.paper_id).where(*conditions)
        .order_by(order, Annotation.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    tags: dict[str, list[str]] = {}
    if rows:
        pairs = session.execute(
            select(annotation_tags.c.annotation_id, Tag.name).join(Tag, Tag.id == annotation_tags.c.tag_id)
            .where(annotation_tags.c.annotation_id.in_([row.id for row in rows])).order_by(Tag.name)
        )
        for annotation_id, name in pairs:
            tags.setdefault(annotation_id, []).append(name)
    items = [AnnotationRow(*row, tag_names=tuple(tags.get(row.id, ()))) for row in rows]
    if page == 1 and len(items) < per_page:
        total = len(items)
    else:
        total = session.scalar(select(func.count(Annotation.id)).where(*conditions)) or 0
    return Page(items, total, page, per_page)


def _conditions(session: Session, viewer: User | None, filters: AnnotationFilters) -> list:
    conditions: list = []
    if filters.paper:
        # A scalar subquery runs once; `Annotation.paper.has(...)` would run per row.
        conditions.append(Annotation.paper_id == select(Paper.id).where(Paper.slug == filters.paper).scalar_subquery())
    if filters.tag:
        conditions.append(Annotation.tags.any(Tag.name == filters.tag))
    if filters.user:
        name = filters.user.strip().lower()
        conditions.append(Annotation.creator_id == select(User.id).where(User.name == name).scalar_subquery())
    if filters.visibility == Visibility.PUBLIC:
        conditions.append(Annotation.visibility == Visibility.PUBLIC)
    elif filters.visibility == Visibility.PRIVATE:
        owner = Annotation.creator_id == viewer.id if viewer else false()
        conditions.append(and_(Annotation.visibility == Visibility.PRIVATE, owner))
    if not filters.include_replies:
        conditions.append(Annotation.parent_id.is_(None))
    if filters.q and filters.q.strip():
        conditions.append(Annotation.id.in_(matching_annotation_ids(session, filters.q)))
    return conditions


def matching_annotation_ids(session: Session, query: str) -> list[str]:
    """Ids whose comment, quote or tags match; callers still apply `visible_to`."""
    words = query_words(query)
    if not words:
        return []
    return [annotation_id for annotation_id, _ in fulltext(session).annotation_matches(session, words, limit=None)]


def replies_count(session: Session, viewer: User | None, annotation_ids: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(Annotation.parent_id, func.count()).where(
            Annotation.parent_id.in_(annotation_ids), visible_to(viewer)
        ).group_by(Annotation.parent_id)
    )
    return dict(rows.all())


def tags_used_by(session: Session, viewer: User | None, user: User) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Tag.name, func.count())
        .join(annotation_tags, annotation_tags.c.tag_id == Tag.id)
        .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
        .where(Annotation.creator_id == user.id, visible_to(viewer))
        .group_by(Tag.name).order_by(func.count().desc(), Tag.name)
    )
    return [(name, count) for name, count in rows]


def public_note_counts(session: Session, paper_ids: list[int]) -> dict[int, int]:
    """Public notes (replies included; hidden and deleted ones not) per paper, for the cards."""
    if not paper_ids:
        return {}
    rows = session.execute(
        select(Annotation.paper_id, func.count())
        .where(Annotation.paper_id.in_(paper_ids), Annotation.visibility == Visibility.PUBLIC,
               Annotation.hidden.is_(False), Annotation.deleted.is_(False))
        .group_by(Annotation.paper_id)
    )
    return {paper_id: count for paper_id, count in rows}
