"""Reading annotations: who may see what, and filtered, paged listings.

Every read path goes through `visible_to`, so a private annotation cannot leak through a
listing, a count, a search, an export or a 403-versus-404 difference.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import Annotation, Paper, Tag, User
from app.services.paging import Page
from app.services.search import build_match_query


def visible_to(viewer: User | None) -> ColumnElement[bool]:
    """Public and not hidden: everyone. Own annotations (hidden ones too): their author.
    Hidden public ones: admins as well."""
    shown_publicly = and_(Annotation.visibility == "public", Annotation.hidden.is_(False))
    if viewer is None:
        return shown_publicly
    own = Annotation.creator_id == viewer.id
    if viewer.is_admin:
        return or_(own, Annotation.visibility == "public")
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


def _conditions(session: Session, viewer: User | None, filters: AnnotationFilters) -> list:
    conditions: list = []
    if filters.paper:
        conditions.append(Annotation.paper.has(Paper.slug == filters.paper))
    if filters.tag:
        conditions.append(Annotation.tags.any(Tag.name == filters.tag))
    if filters.user:
        conditions.append(Annotation.creator.has(User.name == filters.user.strip().lower()))
    if filters.visibility == "public":
        conditions.append(Annotation.visibility == "public")
    elif filters.visibility == "private":
        owner = Annotation.creator_id == viewer.id if viewer else false()
        conditions.append(and_(Annotation.visibility == "private", owner))
    if not filters.include_replies:
        conditions.append(Annotation.parent_id.is_(None))
    if filters.q and filters.q.strip():
        conditions.append(Annotation.id.in_(matching_annotation_ids(session, filters.q)))
    return conditions


def matching_annotation_ids(session: Session, query: str) -> list[str]:
    """Ids whose comment, quote or tags match; callers still apply `visible_to`."""
    match = build_match_query(query)
    if match is None:
        return []
    if session.get_bind().dialect.name != "sqlite":
        like = f"%{query.strip()}%"
        return list(session.scalars(select(Annotation.id).where(
            or_(Annotation.body_markdown.ilike(like), Annotation.quote_exact.ilike(like)))))
    rows = session.execute(
        text("SELECT annotation_id FROM annotation_search WHERE annotation_search MATCH :q"), {"q": match}
    )
    return [row[0] for row in rows]


def replies_count(session: Session, viewer: User | None, annotation_ids: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(Annotation.parent_id, func.count()).where(
            Annotation.parent_id.in_(annotation_ids), visible_to(viewer)
        ).group_by(Annotation.parent_id)
    )
    return dict(rows.all())


def tags_used_by(session: Session, viewer: User | None, user: User) -> list[tuple[str, int]]:
    from app.db.models import annotation_tags

    rows = session.execute(
        select(Tag.name, func.count())
        .join(annotation_tags, annotation_tags.c.tag_id == Tag.id)
        .join(Annotation, Annotation.id == annotation_tags.c.annotation_id)
        .where(Annotation.creator_id == user.id, visible_to(viewer))
        .group_by(Tag.name).order_by(func.count().desc(), Tag.name)
    )
    return [(name, count) for name, count in rows]
