"""Creating annotations: the value create_annotation returns, replies, "recently annotated"."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.db.models import Annotation, Paper
from app.presenters.annotation_jsonld import etag, present_annotation
from app.schemas.annotations import AnnotationDraft, InvalidAnnotation, Passage
from app.services.annotation_write import create_annotation

BASE = "http://testserver"


def passage_note(db, user, *, slug="wave-toy", comment="", tags=(), visibility="private", when=None):
    draft = AnnotationDraft(comment, tuple(tags), visibility, paper_ref=f"{BASE}/papers/{slug}",
                            passage=Passage("receptive field", "grow the ", " exponentially", 40, 55),
                            motivation="commenting" if comment else "tagging" if tags else "highlighting")
    return create_annotation(db, user, draft, created_at=when)


def reply(db, user, parent, comment="a reply", visibility="public"):
    draft = AnnotationDraft(comment, (), visibility, parent_id=parent.id, motivation="replying")
    return create_annotation(db, user, draft)


def last_annotated(db, slug="wave-toy") -> datetime | None:
    return db.scalar(select(Paper.last_annotated_at).where(Paper.slug == slug))


def test_the_returned_note_presents_exactly_as_the_stored_one(db, ada) -> None:
    # Tags in name order: a stored note lists its tags that way.
    note = passage_note(db, ada, comment="Why *exponential*? $x^2$", tags=("dilation", "receptive-field"),
                        visibility="public")
    answer = reply(db, ada, note)
    for created in (note, answer):
        stored = db.get(Annotation, created.id)
        assert present_annotation(created, BASE) == present_annotation(stored, BASE)
        assert etag(created) == etag(stored) == f'"{created.id}-1"'


def test_a_reply_never_makes_a_private_thread_public(db, ada) -> None:
    answer = reply(db, ada, passage_note(db, ada, comment="mine", visibility="private"), visibility="public")
    assert answer.visibility == db.get(Annotation, answer.id).visibility == "private"


def test_an_unknown_paper_or_parent_is_refused_and_nothing_is_stored(db, ada) -> None:
    with pytest.raises(InvalidAnnotation, match="no paper"):
        passage_note(db, ada, slug="no-such-paper")
    with pytest.raises(InvalidAnnotation, match="does not exist"):
        reply(db, ada, Annotation(id="f" * 32))
    assert db.scalar(select(Annotation.id)) is None


def test_recently_annotated_moves_forward_for_public_notes_only(db, ada) -> None:
    passage_note(db, ada, comment="private")
    assert last_annotated(db) is None
    first = datetime(2025, 1, 1, 12)
    passage_note(db, ada, comment="public", visibility="public", when=first)
    assert last_annotated(db) == first
    # An imported note keeps its old date and never moves the paper back, nor does one from
    # the same moment; a later one moves it on, and so does a reply made now.
    passage_note(db, ada, comment="imported", visibility="public", when=first - timedelta(days=30))
    passage_note(db, ada, comment="same moment", visibility="public", when=first)
    assert last_annotated(db) == first
    later = passage_note(db, ada, comment="later", visibility="public", when=first + timedelta(microseconds=1))
    assert last_annotated(db) == later.created_at
    answer = reply(db, ada, later)
    assert last_annotated(db) == answer.created_at
