"""Creating, editing, deleting and moderating annotations; keeps the search index in step."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, insert, or_, select, text, update
from sqlalchemy.orm import Session, lazyload

from app.clock import utcnow
from app.db.models import Annotation, Paper, Tag, User, annotation_tags
from app.markdown import render_comment
from app.schemas.annotations import AnnotationDraft, InvalidAnnotation, paper_slug_from
from app.services.annotation_read import get_visible


# Statements built once: building them per call costs more than running them.
_COLUMNS = tuple(column.key for column in Annotation.__table__.columns)
_INSERT_ANNOTATION = insert(Annotation.__table__)
_INSERT_TAGS = insert(annotation_tags)
_papers = Paper.__table__.c
_MOVE_PAPER_UP = update(Paper.__table__).where(
    _papers.id == bindparam("paper"),
    or_(_papers.last_annotated_at.is_(None), _papers.last_annotated_at < bindparam("moment")),
).values(last_annotated_at=bindparam("moment"))
# The note needs its paper's id, slug and summary version, never the paper's tags.
_PAPER_TO_ANNOTATE = select(Paper).options(lazyload(Paper.tags)).where(
    Paper.slug == bindparam("slug"), Paper.removed_at.is_(None))
_TAG_NAMED = select(Tag).where(Tag.name == bindparam("name"))
_INDEX = text("INSERT INTO annotation_search (annotation_id, body, quote, tags) VALUES (:id, :body, :quote, :tags)")
_UNINDEX = text("DELETE FROM annotation_search WHERE annotation_id = :id")


class AnnotationNotFound(LookupError):
    """No such annotation, or not one the caller may see (the two are never told apart)."""


class NotAllowed(PermissionError):
    pass


class StaleWrite(Exception):
    """The client edited an older version (If-Match did not match)."""


def create_annotation(session: Session, author: User, draft: AnnotationDraft, *,
                      imported_from: str | None = None, created_at=None) -> Annotation:  # noqa: ANN001
    """Store a new annotation and return it (detached: built here, written with Core).

    Creating is the API's hottest write. The ORM's unit of work costs about 2 ms per note
    here, more than everything else in the request together, so the rows are inserted with
    plain INSERTs; edits and deletes, which are rarer, go through the ORM.
    """
    now = utcnow()
    annotation = Annotation(
        id=uuid.uuid4().hex, creator=author, creator_id=author.id, motivation=draft.motivation,
        visibility=draft.visibility, orphaned=False, hidden=False, deleted=False, version=1,
        imported_from=imported_from, created_at=created_at or now, modified_at=created_at or now,
    )
    if draft.parent_id:
        parent = get_visible(session, draft.parent_id, author)
        if parent is None or parent.deleted:
            raise InvalidAnnotation("the annotation you reply to does not exist")
        annotation.parent_id, annotation.paper, annotation.paper_id = parent.id, parent.paper, parent.paper_id
        if parent.visibility == "private":
            annotation.visibility = "private"  # a reply never makes a private thread public
    else:
        paper = session.scalar(_PAPER_TO_ANNOTATE, {"slug": paper_slug_from(draft.paper_ref or "")})
        if paper is None:
            raise InvalidAnnotation(f"no paper matches target.source {draft.paper_ref!r}")
        passage = draft.passage
        annotation.paper, annotation.paper_id, annotation.content_hash = paper, paper.id, paper.content_hash
        annotation.quote_exact, annotation.quote_prefix = passage.exact, passage.prefix
        annotation.quote_suffix = passage.suffix
        annotation.position_start, annotation.position_end = passage.start, passage.end
    annotation.body_markdown = draft.comment.strip()
    annotation.body_html = render_comment(annotation.body_markdown) if annotation.body_markdown else ""
    tags = [_tag(session, name) for name in draft.tags]
    # Core statements straight on the session's connection (same transaction): the
    # session's execute adds ORM bookkeeping that plain INSERTs do not need.
    connection = session.connection()
    connection.execute(_INSERT_ANNOTATION, {column: getattr(annotation, column) for column in _COLUMNS})
    if tags:
        connection.execute(_INSERT_TAGS, [{"annotation_id": annotation.id, "tag_id": t.id} for t in tags])
    if annotation.visibility == "public":
        _move_paper_up(session, annotation.paper, annotation.modified_at)
    annotation.tags = tags
    _index(session, annotation, fresh=True)
    session.commit()
    return annotation


def update_annotation(session: Session, author: User, annotation_id: str, *, comment: str | None,
                      tags: tuple[str, ...] | None, visibility: str | None,
                      if_match: int | None = None) -> Annotation:
    annotation = _own(session, author, annotation_id)
    if if_match is not None and if_match != annotation.version:
        raise StaleWrite(f"annotation changed since version {if_match} (now {annotation.version})")
    if comment is not None or tags is not None:
        _apply_body(session, annotation, annotation.body_markdown if comment is None else comment,
                    tuple(annotation.tag_names) if tags is None else tags)
        if annotation.is_reply and not annotation.body_markdown.strip():
            raise InvalidAnnotation("a reply needs some text")
    if visibility is not None and not (annotation.is_reply and _parent_is_private(session, annotation)):
        annotation.visibility = visibility
    if not annotation.is_reply:
        annotation.motivation = ("commenting" if annotation.body_markdown else
                                 "tagging" if annotation.tags else "highlighting")
    annotation.version += 1
    annotation.modified_at = utcnow()
    _touch_paper(session, annotation)
    _index(session, annotation)
    session.commit()
    return annotation


def delete_annotation(session: Session, author: User, annotation_id: str) -> None:
    annotation = _own(session, author, annotation_id)
    has_replies = session.scalar(select(Annotation.id).where(Annotation.parent_id == annotation.id).limit(1))
    _unindex(session, annotation.id)
    if has_replies:
        # Others' replies stay readable under a stub that says the note was deleted.
        annotation.deleted, annotation.body_markdown, annotation.body_html = True, "", ""
        annotation.tags, annotation.version, annotation.modified_at = [], annotation.version + 1, utcnow()
    else:
        session.delete(annotation)
    session.commit()


def set_hidden(session: Session, moderator: User, annotation_id: str, hidden: bool) -> Annotation:
    if not moderator.is_admin:
        raise NotAllowed("only admins hide annotations")
    annotation = get_visible(session, annotation_id, moderator)
    if annotation is None:
        raise AnnotationNotFound(annotation_id)
    annotation.hidden, annotation.version = hidden, annotation.version + 1
    annotation.modified_at = utcnow()
    session.commit()
    return annotation


def _own(session: Session, author: User, annotation_id: str) -> Annotation:
    annotation = get_visible(session, annotation_id, author)
    if annotation is None or annotation.deleted:
        raise AnnotationNotFound(annotation_id)
    if annotation.creator_id != author.id:
        raise NotAllowed("only its author may change or delete an annotation")
    return annotation


def _apply_body(session: Session, annotation: Annotation, comment: str, tags: tuple[str, ...]) -> None:
    annotation.body_markdown = comment.strip()
    annotation.body_html = render_comment(annotation.body_markdown) if annotation.body_markdown else ""
    annotation.tags = [_tag(session, name) for name in tags]


def _tag(session: Session, name: str) -> Tag:
    tag = session.scalar(_TAG_NAMED, {"name": name})
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
        session.flush()
    return tag


def _parent_is_private(session: Session, reply: Annotation) -> bool:
    return session.scalar(select(Annotation.visibility).where(Annotation.id == reply.parent_id)) == "private"


def _move_paper_up(session: Session, paper: Paper, moment) -> None:  # noqa: ANN001
    """"Recently annotated" order: never backwards (an imported note keeps its old date).

    The paper as read may be stale, but only ever behind: when even that copy is as recent
    as `moment`, the row is too and the UPDATE would change nothing. Otherwise the WHERE
    clause decides, against the row itself.
    """
    if paper.last_annotated_at is not None and paper.last_annotated_at >= moment:
        return
    session.connection().execute(_MOVE_PAPER_UP, {"paper": paper.id, "moment": moment})


def _touch_paper(session: Session, annotation: Annotation) -> None:
    # Only public notes move a paper up "recently annotated": that order is public. Never
    # backwards: an imported note keeps its old date.
    paper = annotation.paper
    if annotation.visibility == "public" and (
        paper.last_annotated_at is None or paper.last_annotated_at < annotation.modified_at
    ):
        paper.last_annotated_at = annotation.modified_at


def _index(session: Session, annotation: Annotation, *, fresh: bool = False) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    if not fresh:
        _unindex(session, annotation.id)
    session.connection().execute(
        _INDEX,
        {"id": annotation.id, "body": annotation.body_markdown, "quote": annotation.quote_exact or "",
         "tags": " ".join(annotation.tag_names)},
    )


def _unindex(session: Session, annotation_id: str) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.connection().execute(_UNINDEX, {"id": annotation_id})
