"""Creating, editing, deleting and moderating annotations; keeps the search index in step."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import Annotation, Paper, Tag, User, annotation_tags
from app.db.values import Visibility
from app.markdown import render_comment
from app.schemas.annotations import AnnotationDraft, InvalidAnnotation, paper_slug_from
from app.services.annotation_read import AnnotationRow, get_visible
from app.services.fulltext import fulltext

# Statements built once: building them per call costs more than running them.
_INSERT_ANNOTATION = insert(Annotation.__table__)
_INSERT_TAGS = insert(annotation_tags)
_papers = Paper.__table__.c
_MOVE_PAPER_UP = update(Paper.__table__).where(
    _papers.id == bindparam("paper"),
    or_(_papers.last_annotated_at.is_(None), _papers.last_annotated_at < bindparam("moment")),
).values(last_annotated_at=bindparam("moment"))
# A new note needs four of its paper's columns; a Paper object would cost more than the query.
_PAPER_TO_ANNOTATE = select(_papers.id, _papers.slug, _papers.content_hash, _papers.last_annotated_at).where(
    _papers.slug == bindparam("slug"), _papers.removed_at.is_(None))
_TAG_NAMED = select(Tag).where(Tag.name == bindparam("name"))


class AnnotationNotFound(LookupError):
    """No such annotation, or not one the caller may see (the two are never told apart)."""


class NotAllowed(PermissionError):
    pass


class StaleWrite(Exception):
    """The client edited an older version (If-Match did not match)."""


@dataclass(frozen=True, slots=True)
class CreatedAnnotation(AnnotationRow):
    """A note just stored, as a listing would read it back, plus its version (for the ETag).
    The JSON-LD presenter takes it like an Annotation; to change it, load the Annotation."""

    version: int = 1


class _Target(NamedTuple):
    """Where a new note goes: its paper, and the columns of its row that say where (parent,
    quoted passage, summary version) and who may see it."""

    paper_id: int
    paper_slug: str
    paper_last_annotated_at: datetime | None
    columns: dict


def create_annotation(session: Session, author: User, draft: AnnotationDraft, *,
                      imported_from: str | None = None, created_at=None) -> CreatedAnnotation:
    """Store a new annotation and return it as a CreatedAnnotation.

    Creating is the API's hottest write. The ORM's unit of work costs about 2 ms per note
    here, more than everything else in the request together, so the rows are inserted with
    plain INSERTs, and neither the note nor its paper becomes an ORM object (building those
    costs more than the queries do); edits and deletes, which are rarer, go through the ORM.
    """
    moment = created_at or utcnow()
    target = _reply_target(session, author, draft) if draft.parent_id else _passage_target(session, draft)
    body = draft.comment.strip()
    row = {
        "id": uuid.uuid4().hex, "creator_id": author.id, "paper_id": target.paper_id,
        "motivation": draft.motivation, "body_markdown": body,
        "body_html": render_comment(body) if body else "", **target.columns,
        "orphaned": False, "hidden": False, "deleted": False, "imported_from": imported_from,
        "version": 1, "created_at": moment, "modified_at": moment,
    }
    tags = [_tag(session, name) for name in draft.tags]
    # Core statements straight on the session's connection (same transaction): the
    # session's execute adds ORM bookkeeping that plain statements do not need.
    connection = session.connection()
    connection.execute(_INSERT_ANNOTATION, row)
    if tags:
        connection.execute(_INSERT_TAGS, [{"annotation_id": row["id"], "tag_id": tag.id} for tag in tags])
    _note_moves_paper_up(session, row["visibility"], target.paper_id, target.paper_last_annotated_at, moment)
    annotation = _created(row, creator_name=author.name, paper_slug=target.paper_slug, tag_names=draft.tags)
    _index(session, annotation, fresh=True)
    session.commit()
    return annotation


def _passage_target(session: Session, draft: AnnotationDraft) -> _Target:
    paper = session.connection().execute(
        _PAPER_TO_ANNOTATE, {"slug": paper_slug_from(draft.paper_ref or "")}).first()
    if paper is None:
        raise InvalidAnnotation(f"no paper matches target.source {draft.paper_ref!r}")
    passage = draft.passage
    return _Target(paper.id, paper.slug, paper.last_annotated_at, {
        "parent_id": None, "visibility": draft.visibility, "quote_exact": passage.exact,
        "quote_prefix": passage.prefix, "quote_suffix": passage.suffix,
        "position_start": passage.start, "position_end": passage.end, "content_hash": paper.content_hash,
    })


def _reply_target(session: Session, author: User, draft: AnnotationDraft) -> _Target:
    parent = get_visible(session, draft.parent_id, author)
    if parent is None or parent.deleted:
        raise InvalidAnnotation("the annotation you reply to does not exist")
    visibility = reply_visibility(parent.visibility, draft.visibility)
    paper = parent.paper
    return _Target(paper.id, paper.slug, paper.last_annotated_at, {
        "parent_id": parent.id, "visibility": visibility, "quote_exact": None, "quote_prefix": None,
        "quote_suffix": None, "position_start": None, "position_end": None, "content_hash": None,
    })


def _created(row: dict, *, creator_name: str, paper_slug: str, tag_names: tuple[str, ...]) -> CreatedAnnotation:
    """The row just inserted, with what a listing would join to it."""
    return CreatedAnnotation(
        id=row["id"], motivation=row["motivation"], created_at=row["created_at"],
        modified_at=row["modified_at"], creator_name=creator_name, paper_slug=paper_slug,
        parent_id=row["parent_id"], body_markdown=row["body_markdown"], body_html=row["body_html"],
        visibility=row["visibility"], quote_exact=row["quote_exact"], quote_prefix=row["quote_prefix"],
        quote_suffix=row["quote_suffix"], position_start=row["position_start"],
        position_end=row["position_end"], content_hash=row["content_hash"], orphaned=row["orphaned"],
        hidden=row["hidden"], deleted=row["deleted"], tag_names=tuple(tag_names), version=row["version"],
    )


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
    if visibility is not None:
        annotation.visibility = (reply_visibility(_parent_visibility(session, annotation), visibility)
                                 if annotation.is_reply else visibility)
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


def reply_visibility(parent: str, wanted: str) -> str:
    """A reply is never more public than its parent: a reply never opens a private thread."""
    return Visibility.PRIVATE if parent == Visibility.PRIVATE else wanted


def _parent_visibility(session: Session, reply: Annotation) -> str:
    return session.scalar(select(Annotation.visibility).where(Annotation.id == reply.parent_id))


def _note_moves_paper_up(session: Session, visibility: str, paper_id: int, last_annotated_at: datetime | None,
                         moment: datetime) -> None:
    """A public note moves its paper up "recently annotated"; a private one does not, since
    that order is public. Never backwards: an imported note keeps its old date.

    `last_annotated_at` was read in this transaction and the order only ever moves forward,
    so when it is already as recent as `moment` the UPDATE would change nothing; otherwise
    the WHERE clause decides, against the row itself.
    """
    if visibility != Visibility.PUBLIC or (last_annotated_at is not None and last_annotated_at >= moment):
        return
    session.connection().execute(_MOVE_PAPER_UP, {"paper": paper_id, "moment": moment})


def _touch_paper(session: Session, annotation: Annotation) -> None:
    paper = annotation.paper
    session.flush()  # the annotation's own changes first, then the paper's row by statement
    _note_moves_paper_up(session, annotation.visibility, paper.id, paper.last_annotated_at, annotation.modified_at)
    session.expire(paper, ["last_annotated_at"])  # re-read after the statement, not the stale value


def _index(session: Session, annotation: Annotation | CreatedAnnotation, *, fresh: bool = False) -> None:
    fulltext(session).index_annotation(
        session, annotation.id, body=annotation.body_markdown, quote=annotation.quote_exact or "",
        tags=" ".join(annotation.tag_names), fresh=fresh)


def _unindex(session: Session, annotation_id: str) -> None:
    fulltext(session).remove_annotation(session, annotation_id)
