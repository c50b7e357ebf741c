"""The full-text index answers the same way on both databases (each test runs on SQLite's FTS5
and on PostgreSQL's tsvector): the same words match, titles outrank bodies, the last word is a
prefix, snippets mark the words, and a removed row is gone."""

import pytest

from app.services.fulltext import MARK_CLOSE, MARK_OPEN, SectionRow, fulltext


@pytest.fixture
def index(session):
    rows = {
        1: ("Dilated convolutions", "receptive fields grow with depth", "audio"),
        2: ("Image colorization", "a classifier over colours; dilated layers widen the view", "vision"),
        3: ("Style transfer", "perceptual losses from a fixed network", "vision"),
    }
    from app.db.models import Paper

    for paper_id, (title, body, tags) in rows.items():
        session.add(Paper(id=paper_id, slug=f"p{paper_id}", title=title, authors=["A. Author"], demos=[], gist="",
                          markdown=body, html=body, toc=[], text=body, word_count=len(body.split()),
                          content_hash="x", source_path="x", indexed_at=_now()))
        session.flush()
        fulltext(session).index_paper(session, paper_id, title=title, authors="A. Author", tags=tags, body=body,
                                      sections=[SectionRow("s1", "Method", body)])
    session.commit()
    return fulltext(session), session


def _now():
    from app.clock import utcnow

    return utcnow()


def test_titles_outrank_bodies_and_snippets_mark_the_words(index) -> None:
    engine, session = index
    ranked = engine.rank_papers(session, ["dilated"], limit=10, offset=0)
    assert [r.paper_id for r in ranked] == [1, 2]  # a title hit above a body hit
    assert ranked[0].score > ranked[1].score
    assert f"{MARK_OPEN}dilated{MARK_CLOSE}" in ranked[1].snippet.lower()
    assert engine.count_papers(session, ["dilated"]) == 2
    assert engine.ranked_paper_ids(session, ["dilated"]) == [1, 2]  # the same order, without snippets


def test_every_word_must_occur_and_the_last_is_a_prefix(index) -> None:
    engine, session = index
    assert [r.paper_id for r in engine.rank_papers(session, ["dilated", "colo"], limit=10, offset=0)] == [2]
    assert engine.count_papers(session, ["perceptual", "audio"]) == 0
    assert engine.count_papers(session, ["a"]) >= 1  # a stop word typed first still narrows as a prefix


def test_the_best_section_and_removal(index) -> None:
    engine, session = index
    section = engine.best_section(session, ["receptive"], 1)
    assert (section.anchor, section.heading) == ("s1", "Method") and MARK_OPEN in section.snippet
    engine.remove_paper(session, 1)
    assert engine.best_section(session, ["receptive"], 1) is None
    assert engine.count_papers(session, ["receptive"]) == 0


def test_notes_are_indexed_replaced_and_removed(index) -> None:
    engine, session = index
    from app.db.models import Annotation, User
    from app.services.accounts import create_user

    ada: User = create_user(session, name="ada", password="correct horse battery")
    note = Annotation(id="n1", creator_id=ada.id, paper_id=2, motivation="commenting", body_markdown="x", body_html="x",
                      visibility="public", orphaned=False, hidden=False, deleted=False, version=1,
                      created_at=_now(), modified_at=_now())
    session.add(note)
    session.flush()
    engine.index_annotation(session, "n1", body="lovely gradients", quote="dilated layers", tags="colour", fresh=True)
    assert [i for i, _ in engine.annotation_matches(session, ["gradients"], limit=None)] == ["n1"]
    engine.index_annotation(session, "n1", body="changed my mind", quote="dilated layers", tags="", fresh=False)
    assert engine.annotation_matches(session, ["gradients"], limit=None) == []
    (found, snippet), = engine.annotation_matches(session, ["mind"], limit=5)
    assert found == "n1" and f"{MARK_OPEN}mind{MARK_CLOSE}" in snippet
    engine.remove_annotation(session, "n1")
    assert engine.annotation_matches(session, ["mind"], limit=None) == []
